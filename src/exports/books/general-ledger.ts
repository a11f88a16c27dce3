import Decimal from 'decimal.js';
import { ZERO, formatMoney } from '../../common/money';
import { BOOKS, Book } from '../../ledger/domain/accounts';
import { monthlyTotals, periodBalances } from '../../ledger/ledger-books';
import { govAccountOf } from '../account-map';
import { ExportRow, ExportTable, column } from '../table';
import { BookContext } from './context';
import { direction } from './two-columns';

interface GovLedger {
  book: Book;
  code: string;
  name: string;
  opening: Decimal;
  months: Map<string, { debit: Decimal; credit: Decimal }>;
}

/**
 * books/general-ledger.csv — 總賬: per book and mapped 政府會計制度 account (our accounts summed into it), the opening
 * balance, one row per month of the period with its debits, credits and the balance after, the period's totals and
 * the closing balance. The accounts behind each row are in subsidiary-ledger.csv.
 */
export function generalLedgerTable(ctx: BookContext): ExportTable {
  return {
    name: 'general-ledger',
    title: '總賬',
    description: 'Per book and mapped 政府會計制度 account: opening balance, monthly debits and credits with the balance after, period totals, closing',
    columns: [
      column('row_type', '行類型', 'text', 'opening, month, period_total or closing'),
      column('book', '賬簿', 'text', 'financial or budget'),
      column('gov_code', '政府會計科目編碼', 'text', 'The mapped account'),
      column('gov_name', '政府會計科目名稱', 'text', 'Its name'),
      column('month', '月份', 'text', 'YYYY-MM on a month row'),
      column('debit', '借方', 'money', "The month's (or the period's) debits"),
      column('credit', '貸方', 'money', "The month's (or the period's) credits"),
      column('direction', '方向', 'text', '借, 貸 or 平'),
      column('balance', '餘額', 'money', 'The balance after the row (its side is `direction`)'),
    ],
    rows: (async function* (): AsyncGenerator<ExportRow> {
      const ledgers = await govLedgers(ctx);
      for (const g of ledgers) {
        let balance = g.opening;
        let debits = ZERO;
        let credits = ZERO;
        const row = (type: string, month: string | null, debit: Decimal | null, credit: Decimal | null): ExportRow => [
          type,
          g.book,
          g.code,
          g.name,
          month,
          debit && formatMoney(debit),
          credit && formatMoney(credit),
          direction(balance),
          formatMoney(balance.abs()),
        ];
        yield row('opening', null, null, null);
        for (const [month, m] of [...g.months].sort(([a], [b]) => a.localeCompare(b))) {
          balance = balance.plus(m.debit).minus(m.credit);
          debits = debits.plus(m.debit);
          credits = credits.plus(m.credit);
          yield row('month', month, m.debit, m.credit);
        }
        yield row('period_total', null, debits, credits);
        yield row('closing', null, null, null);
      }
    })(),
  };
}

async function govLedgers(ctx: BookContext): Promise<GovLedger[]> {
  const balances = await periodBalances(ctx.em, ctx.countyId, ctx.period);
  const months = await monthlyTotals(ctx.em, ctx.countyId, ctx.period);
  const ledgers = new Map<string, GovLedger>();
  const govOfAccount = new Map<string, GovLedger>();
  for (const b of balances) {
    const gov = govAccountOf(b.kind, b.type);
    const key = `${b.book}:${gov.code}`;
    const g = ledgers.get(key) ?? { book: b.book, code: gov.code, name: gov.name, opening: ZERO, months: new Map() };
    g.opening = g.opening.plus(b.openingNet);
    ledgers.set(key, g);
    govOfAccount.set(b.id, g);
  }
  for (const m of months) {
    const g = govOfAccount.get(m.accountId)!;
    const sums = g.months.get(m.month) ?? { debit: ZERO, credit: ZERO };
    g.months.set(m.month, { debit: sums.debit.plus(m.debit), credit: sums.credit.plus(m.credit) });
  }
  return [...ledgers.values()]
    .filter((g) => !g.opening.isZero() || g.months.size > 0)
    .sort((a, b) => BOOKS.indexOf(a.book) - BOOKS.indexOf(b.book) || a.code.localeCompare(b.code));
}
