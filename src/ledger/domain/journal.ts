import Decimal from 'decimal.js';
import { Money, ZERO, formatMoney } from '../../common/money';
import { Book, Side } from './accounts';

/** One line of a journal entry, resolved to its account. Amount is positive; the side says which column. */
export interface JournalLine {
  accountId: string;
  accountCode: string;
  book: Book;
  side: Side;
  amount: Decimal;
}

export interface BookTotals {
  book: Book;
  debit: string;
  credit: string;
}

export type JournalProblem =
  { kind: 'too_few_lines'; count: number } | { kind: 'non_positive_amount'; index: number } | { kind: 'unbalanced'; books: BookTotals[] };

/** Debit and credit totals per book, in book order. */
export function totalsByBook(lines: readonly JournalLine[]): BookTotals[] {
  const totals = new Map<Book, { debit: Decimal; credit: Decimal }>();
  for (const line of lines) {
    const t = totals.get(line.book) ?? { debit: ZERO, credit: ZERO };
    if (line.side === 'debit') t.debit = t.debit.plus(line.amount);
    else t.credit = t.credit.plus(line.amount);
    totals.set(line.book, t);
  }
  return [...totals.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([book, t]) => ({ book, debit: formatMoney(t.debit), credit: formatMoney(t.credit) }));
}

/**
 * The double-entry rule: at least two lines, every amount positive, and in each book the debits equal the
 * credits. The database checks the same rule again at commit.
 */
export function checkJournal(lines: readonly JournalLine[]): JournalProblem | null {
  if (lines.length < 2) return { kind: 'too_few_lines', count: lines.length };
  const bad = lines.findIndex((l) => !l.amount.gt(0));
  if (bad >= 0) return { kind: 'non_positive_amount', index: bad };
  const books = totalsByBook(lines);
  if (books.some((b) => !new Money(b.debit).eq(b.credit))) return { kind: 'unbalanced', books };
  return null;
}

/** The entry that undoes `lines`: same accounts and amounts, sides swapped (紅字沖銷 posted as a mirror entry). */
export function mirrorOf<L extends { side: Side }>(lines: readonly L[]): L[] {
  return lines.map((l) => ({ ...l, side: l.side === 'debit' ? 'credit' : 'debit' }));
}
