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
 * Draws `amount` from sources in order, each at most its capacity (sources with nothing are skipped): the order every
 * workflow takes an allocation's money in. Refuses when the sources together cannot cover the amount.
 */
export function drawInOrder(amount: Decimal, capacities: readonly Decimal[]): { source: number; amount: Decimal }[] {
  const draws: { source: number; amount: Decimal }[] = [];
  let need = amount;
  for (const [source, capacity] of capacities.entries()) {
    if (need.isZero()) break;
    const take = Decimal.min(need, capacity);
    if (take.lte(0)) continue;
    draws.push({ source, amount: take });
    need = need.minus(take);
  }
  if (!need.isZero()) throw new RangeError('the sources cannot cover the amount');
  return draws;
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
