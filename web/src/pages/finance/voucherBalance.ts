import Decimal from 'decimal.js';
import { formatMoney, sumMoney } from '../../format';
import { BOOK_LABELS, type Book } from './labels';

/** A line of the voucher editor as the form holds it. */
export interface LineInput {
  account?: string;
  debit?: string;
  credit?: string;
}

export interface Totals {
  /** The book, or null for the voucher's overall totals. */
  book: Book | null;
  debit: string;
  credit: string;
  /** Debits less credits; zero when balanced. */
  difference: string;
}

function totalsOf(book: Book | null, lines: readonly LineInput[]): Totals {
  const debit = sumMoney(lines.map((l) => l.debit));
  const credit = sumMoney(lines.map((l) => l.credit));
  return { book, debit, credit, difference: new Decimal(debit).minus(credit).toFixed(2) };
}

/**
 * Debits and credits of each book the picked accounts belong to, then of the whole voucher: the ledger wants each
 * book balanced, and lines whose account is not picked yet count in the whole only.
 */
export function voucherTotals(lines: readonly LineInput[], bookOf: (code: string) => Book | undefined): Totals[] {
  const books = [...new Set(lines.flatMap((l) => (l.account && bookOf(l.account)) || []))].sort();
  return [
    ...books.map((book) =>
      totalsOf(
        book,
        lines.filter((l) => l.account && bookOf(l.account) === book),
      ),
    ),
    totalsOf(null, lines),
  ];
}

/** What refuses the voucher before it is sent: 「借貸不平衡，差額 ¥x」 per unbalanced book (or overall). */
export function imbalances(totals: readonly Totals[]): string[] {
  const books = totals.filter((t) => t.book !== null && !new Decimal(t.difference).isZero());
  const overall = totals.find((t) => t.book === null);
  const unbalanced = books.length > 0 ? books : overall && !new Decimal(overall.difference).isZero() ? [overall] : [];
  return unbalanced.map((t) => `借貸不平衡，差額 ¥${formatMoney(new Decimal(t.difference).abs().toFixed(2))}${t.book ? `（${BOOK_LABELS[t.book]}）` : ''}`);
}
