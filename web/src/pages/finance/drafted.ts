import type { LineInput } from './voucherBalance';

/** What a voucher's `request` holds: a posting's date, memo and lines, or a reversal's reason and date. */
export interface Drafted {
  effectiveDate?: string;
  memo?: string;
  reason?: string;
  lines: LineInput[];
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Reads the drafted request (free-form JSON in the API's schema) as the entry it is. */
export function draftedOf(request: Record<string, unknown>): Drafted {
  const lines = Array.isArray(request.lines) ? (request.lines as unknown[]) : [];
  return {
    effectiveDate: text(request.effectiveDate),
    memo: text(request.memo),
    reason: text(request.reason),
    lines: lines.map((l) => {
      const line = (l ?? {}) as Record<string, unknown>;
      return { account: text(line.account), debit: text(line.debit), credit: text(line.credit) };
    }),
  };
}
