import Decimal from 'decimal.js';
import { drawInOrder, splitByRate } from '../../ledger/domain/split';

export interface SourceShare {
  /** Index into the sources given. */
  source: number;
  amount: Decimal;
  retention: Decimal;
}

/**
 * Draws `amount` from sources in order (each at most its capacity) and splits the payment's retention,
 * round-half-up(amount × rate), over the parts: each part's own rounded share, the remainder on the last part, every
 * share within its part. The parts add up to the amount and their retentions to the payment's retention, to the fen.
 */
export function splitPayment(amount: Decimal, rate: Decimal, capacities: readonly Decimal[]): SourceShare[] {
  const total = splitByRate(amount, rate).withheld;
  const shares: SourceShare[] = drawInOrder(amount, capacities).map((d) => ({ ...d, retention: splitByRate(d.amount, rate).withheld }));
  // Move the rounding difference onto the parts, last first, keeping each within [0, part].
  let diff = total.minus(shares.reduce((s, p) => s.plus(p.retention), new Decimal(0)));
  for (let i = shares.length - 1; i >= 0 && !diff.isZero(); i--) {
    const adjusted = Decimal.min(shares[i].amount, Decimal.max(0, shares[i].retention.plus(diff)));
    diff = diff.minus(adjusted.minus(shares[i].retention));
    shares[i].retention = adjusted;
  }
  return shares;
}
