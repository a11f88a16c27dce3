import Decimal from 'decimal.js';
import { Money } from '../../common/money';

/**
 * Splits `amount` by `rate` into a withheld part rounded half-up to the fen and the rest, so that the two parts
 * always add up to the whole (retention = round(amount × rate); net = amount − retention).
 */
export function splitByRate(amount: Decimal, rate: Decimal): { withheld: Decimal; rest: Decimal } {
  if (amount.isNeg()) throw new RangeError('amount must not be negative');
  if (rate.isNeg() || rate.gt(1)) throw new RangeError('rate must be between 0 and 1');
  const withheld = new Money(amount).times(rate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  return { withheld, rest: amount.minus(withheld) };
}

/**
 * Splits `total` into `parts` amounts in fen that differ by at most one fen and add up to the whole: the first
 * (total mod parts) get the extra fen.
 */
export function splitEvenly(total: Decimal, parts: number): Decimal[] {
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError('parts must be a positive whole number');
  const fen = new Money(total).times(100);
  if (!fen.isInteger() || fen.isNeg()) throw new RangeError('total must be a non-negative amount in fen');
  const base = fen.divToInt(parts);
  const remainder = fen.minus(base.times(parts)).toNumber();
  return Array.from({ length: parts }, (_, i) => base.plus(i < remainder ? 1 : 0).div(100));
}
