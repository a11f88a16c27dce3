import fc from 'fast-check';
import { Money } from '../../common/money';
import Decimal from 'decimal.js';
import { drawInOrder, splitByRate, splitEvenly } from './split';

describe('splitByRate', () => {
  it('withholds 15% rounded half-up to the fen', () => {
    expect(splitByRate(new Money('100000.00'), new Money('0.15'))).toEqual({ withheld: new Money('15000.00'), rest: new Money('85000.00') });
    // 0.03 × 0.15 = 0.0045 → 0.00; 0.10 × 0.15 = 0.015 → 0.02 (half-up, not banker's)
    expect(splitByRate(new Money('0.03'), new Money('0.15')).withheld.toFixed(2)).toBe('0.00');
    expect(splitByRate(new Money('0.10'), new Money('0.15')).withheld.toFixed(2)).toBe('0.02');
    expect(splitByRate(new Money('0.50'), new Money('0.03')).withheld.toFixed(2)).toBe('0.02');
  });

  it('always gives parts that sum to the whole, each within [0, amount], in fen', () => {
    const fen = fc.bigInt({ min: 0n, max: 10n ** 18n - 1n });
    const rate = fc.integer({ min: 0, max: 10_000 }); // basis points
    fc.assert(
      fc.property(fen, rate, (f, bp) => {
        const amount = new Money(f.toString()).div(100);
        const { withheld, rest } = splitByRate(amount, new Money(bp).div(10_000));
        return withheld.plus(rest).eq(amount) && withheld.gte(0) && rest.gte(0) && withheld.decimalPlaces() <= 2 && rest.decimalPlaces() <= 2;
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a rate outside 0..1 and a negative amount', () => {
    expect(() => splitByRate(new Money('1'), new Money('1.01'))).toThrow(RangeError);
    expect(() => splitByRate(new Money('1'), new Money('-0.01'))).toThrow(RangeError);
    expect(() => splitByRate(new Money('-1'), new Money('0.15'))).toThrow(RangeError);
  });
});

describe('splitEvenly', () => {
  it('splits 1,080萬 over 28 projects to the fen, summing to the whole', () => {
    const parts = splitEvenly(new Money('10800000.00'), 28);
    expect(parts.reduce((s, p) => s.plus(p), new Money(0)).toFixed(2)).toBe('10800000.00');
    expect(new Set(parts.map((p) => p.toFixed(2)))).toEqual(new Set(['385714.29', '385714.28']));
  });

  it('always sums to the whole, parts at most one fen apart', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 1, max: 500 }), (fen, n) => {
        const total = new Money(fen.toString()).div(100);
        const parts = splitEvenly(total, n);
        const max = parts.reduce((m, p) => (p.gt(m) ? p : m), parts[0]);
        const min = parts.reduce((m, p) => (p.lt(m) ? p : m), parts[0]);
        return parts.length === n && parts.reduce((s, p) => s.plus(p), new Money(0)).eq(total) && max.minus(min).lte('0.01');
      }),
    );
  });
});

describe('drawInOrder', () => {
  it('takes from the sources in order, skipping empty ones, and refuses what they cannot cover', () => {
    const d = (xs: string[]) => xs.map((x) => new Decimal(x));
    expect(drawInOrder(new Decimal('150.00'), d(['100.00', '0', '80.00', '10.00'])).map((x) => [x.source, x.amount.toFixed(2)])).toEqual([
      [0, '100.00'],
      [2, '50.00'],
    ]);
    expect(() => drawInOrder(new Decimal('190.01'), d(['100.00', '80.00', '10.00']))).toThrow(RangeError);
  });
});
