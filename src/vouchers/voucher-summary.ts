import { z } from 'zod';
import { formatMoney, money } from '../common/money';

/** A drafted posting as the voucher keeps its request (the DTO as it came in). */
const PostingRequest = z.object({
  effectiveDate: z.string(),
  memo: z.string(),
  lines: z.array(z.object({ debit: z.string().optional() })),
});
/** A drafted reversal: its reason, and the date only when one was asked for (else today at approval). */
const ReversalRequest = z.object({ reason: z.string(), effectiveDate: z.string().optional() });

/** What a list shows of a voucher without opening it, read from its drafted request. */
export interface VoucherSummary {
  /** A posting's memo; a reversal's reason. */
  memo: string | null;
  /** The 業務日期 asked for; null for a reversal drafted without one (it takes the approval's day). */
  effectiveDate: string | null;
  /** A posting's debit lines summed (both books, as drafted); null for a reversal (its amount is the original's). */
  amount: string | null;
}

export function voucherSummary(kind: 'posting' | 'reversal', request: Record<string, unknown>): VoucherSummary {
  if (kind === 'reversal') {
    const reversal = ReversalRequest.safeParse(request);
    return reversal.success
      ? { memo: reversal.data.reason, effectiveDate: reversal.data.effectiveDate ?? null, amount: null }
      : { memo: null, effectiveDate: null, amount: null };
  }
  const posting = PostingRequest.safeParse(request);
  if (!posting.success) return { memo: null, effectiveDate: null, amount: null };
  const debits = posting.data.lines.flatMap((l) => (l.debit === undefined ? [] : [money(l.debit)]));
  return {
    memo: posting.data.memo,
    effectiveDate: posting.data.effectiveDate,
    amount: formatMoney(debits.reduce((sum, d) => sum.plus(d), money('0'))),
  };
}
