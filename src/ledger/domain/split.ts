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
