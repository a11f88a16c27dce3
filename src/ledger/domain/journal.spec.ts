import fc from 'fast-check';
import { Money } from '../../common/money';
import { Book } from './accounts';
import { JournalLine, checkJournal, mirrorOf, totalsByBook } from './journal';

const line = (accountCode: string, book: Book, side: 'debit' | 'credit', amount: string): JournalLine => ({
  accountId: accountCode,
  accountCode,
  book,
  side,
  amount: new Money(amount),
});

describe('checkJournal', () => {
  it('accepts an entry balanced in each book it touches', () => {
    expect(
      checkJournal([
        line('bank', 'financial', 'debit', '1000000.00'),
        line('fund', 'financial', 'credit', '1000000.00'),
        line('quota', 'budget', 'debit', '1000000.00'),
        line('appropriation', 'budget', 'credit', '1000000.00'),
      ]),
    ).toBeNull();
  });

  it('refuses an entry balanced overall but not per book', () => {
    const problem = checkJournal([line('bank', 'financial', 'debit', '5.00'), line('appropriation', 'budget', 'credit', '5.00')]);
    expect(problem).toEqual({
      kind: 'unbalanced',
      books: [
        { book: 'budget', debit: '0.00', credit: '5.00' },
        { book: 'financial', debit: '5.00', credit: '0.00' },
      ],
    });
  });

  it('refuses one line, and a zero amount', () => {
    expect(checkJournal([line('bank', 'financial', 'debit', '1.00')])).toEqual({ kind: 'too_few_lines', count: 1 });
    expect(checkJournal([line('a', 'financial', 'debit', '0'), line('b', 'financial', 'credit', '0')])).toEqual({
      kind: 'non_positive_amount',
      index: 0,
    });
  });

  it('sums exactly where binary floating point would not', () => {
    const lines = [line('a', 'financial', 'debit', '0.10'), line('b', 'financial', 'debit', '0.20'), line('c', 'financial', 'credit', '0.30')];
    expect(checkJournal(lines)).toBeNull();
    expect(totalsByBook(lines)).toEqual([{ book: 'financial', debit: '0.30', credit: '0.30' }]);
  });

  it('the mirror of any balanced entry is balanced, and both together net to zero per account', () => {
    const amount = fc.bigInt({ min: 1n, max: 10n ** 18n - 1n }).map((f) => new Money(f.toString()).div(100).toFixed(2));
    fc.assert(
      fc.property(fc.array(amount, { minLength: 1, maxLength: 10 }), (amounts) => {
        const debits = amounts.map((a, i) => line(`d${i}`, 'financial', 'debit', a));
        const total = amounts.reduce((s, a) => s.plus(a), new Money(0)).toFixed(2);
        const entry = [...debits, line('c', 'financial', 'credit', total)];
        const mirror = mirrorOf(entry);
        return (
          checkJournal(entry) === null && checkJournal(mirror) === null && mirror.every((m, i) => m.side !== entry[i].side && m.amount.eq(entry[i].amount))
        );
      }),
    );
  });
});
