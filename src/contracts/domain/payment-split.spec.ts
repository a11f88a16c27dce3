import fc from 'fast-check';
import { Money } from '../../common/money';
import { splitByRate } from '../../ledger/domain/split';
import { splitPayment } from './payment-split';

const fen = (max: bigint) => fc.bigInt({ min: 1n, max }).map((f) => new Money(f.toString()).div(100));

describe('splitPayment', () => {
  it('splits 100,000.00 at 15% over 20,000.00 and 500,000.00 as 3,000.00 and 12,000.00', () => {
    const shares = splitPayment(new Money('100000'), new Money('0.15'), [new Money('20000'), new Money('500000')]);
    expect(shares.map((s) => [s.source, s.amount.toFixed(2), s.retention.toFixed(2)])).toEqual([
      [0, '20000.00', '3000.00'],
      [1, '80000.00', '12000.00'],
    ]);
  });

  it('always adds up: amounts to the payment, retentions to round(amount × rate), each within its part', () => {
    fc.assert(
      fc.property(
        fc.array(fen(10n ** 10n), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (capacities, bp, share) => {
          const rate = new Money(bp).div(10_000);
          const capacity = capacities.reduce((s, c) => s.plus(c), new Money(0));
          const amount = capacity.times(share).toDecimalPlaces(2, Money.ROUND_DOWN);
          if (amount.lte(0)) return true;
          const shares = splitPayment(amount, rate, capacities);
          const sum = shares.reduce((s, p) => s.plus(p.amount), new Money(0));
          const retention = shares.reduce((s, p) => s.plus(p.retention), new Money(0));
          return (
            sum.eq(amount) &&
            retention.eq(splitByRate(amount, rate).withheld) &&
            shares.every((p) => p.retention.gte(0) && p.retention.lte(p.amount) && p.amount.lte(capacities[p.source]))
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('refuses an amount the sources cannot cover', () => {
    expect(() => splitPayment(new Money('10.01'), new Money('0.15'), [new Money('10')])).toThrow(RangeError);
  });
});
