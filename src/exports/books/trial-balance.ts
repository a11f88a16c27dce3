import Decimal from 'decimal.js';
import { ZERO, formatMoney, money } from '../../common/money';
import { Book } from '../../ledger/domain/accounts';
import { PeriodBalance, periodBalances } from '../../ledger/ledger-books';
import { govAccountOf } from '../account-map';
import { ExportRow, ExportTable, column } from '../table';
import { BookContext } from './context';
import { twoColumns } from './two-columns';

/** One account's row of the 科目餘額表: opening, period and closing in two columns each. */
export interface TrialBalanceRow {
  book: Book;
  code: string;
  name: string;
  govCode: string;
  govName: string;
  opening: [string, string];
  period: [string, string];
  closing: [string, string];
}

/** Per book, the sums of its rows' six columns: in each pair the two agree when the book balances. */
export interface TrialBalanceTotal {
  book: Book;
  columns: [string, string, string, string, string, string];
}

export interface TrialBalance {
  rows: TrialBalanceRow[];
  totals: TrialBalanceTotal[];
}

/**
 * 科目餘額表 for the period from the accounts' period balances: every account of the county, those with nothing to show
 * too, so the chart is complete and an auditor sees none missing.
 */
export async function trialBalance(ctx: BookContext): Promise<TrialBalance> {
  const rows = (await periodBalances(ctx.em, ctx.countyId, ctx.period)).map(trialBalanceRow);
  const totals = new Map<Book, Decimal[]>();
  for (const row of rows) {
    const sums = totals.get(row.book) ?? Array.from({ length: 6 }, () => ZERO);
    [...row.opening, ...row.period, ...row.closing].forEach((cell, i) => (sums[i] = sums[i].plus(cell)));
    totals.set(row.book, sums);
  }
  return {
    rows,
    totals: [...totals].map(([book, sums]) => ({ book, columns: sums.map(formatMoney) as TrialBalanceTotal['columns'] })),
  };
}

function trialBalanceRow(b: PeriodBalance): TrialBalanceRow {
  const opening = money(b.openingNet);
  const closing = opening.plus(b.periodDebit).minus(b.periodCredit);
  const gov = govAccountOf(b.kind, b.type);
  return {
    book: b.book,
    code: b.code,
    name: b.name,
    govCode: gov.code,
    govName: gov.name,
    opening: twoColumns(opening),
    period: [b.periodDebit, b.periodCredit],
    closing: twoColumns(closing),
  };
}

export const TRIAL_BALANCE_COLUMNS = [
  column('row_type', '行類型', 'text', 'account, or book_total (合計 of the book’s account rows)'),
  column('book', '賬簿', 'text', 'financial or budget'),
  column('code', '科目編碼', 'text', 'Our account code (empty on a total row)'),
  column('name', '科目名稱', 'text', 'The account’s name (合計 on a total row)'),
  column('gov_code', '政府會計科目編碼', 'text', 'The mapped 政府會計制度 account'),
  column('gov_name', '政府會計科目名稱', 'text', 'Its name'),
  column('opening_debit', '期初借方', 'money', 'Balance of the lines dated before the period, when on the debit side'),
  column('opening_credit', '期初貸方', 'money', 'The same, when on the credit side'),
  column('period_debit', '本期借方', 'money', 'Sum of the debits dated within the period'),
  column('period_credit', '本期貸方', 'money', 'Sum of the credits dated within the period'),
  column('closing_debit', '期末借方', 'money', 'Balance of the lines dated up to the period’s end, when on the debit side'),
  column('closing_credit', '期末貸方', 'money', 'The same, when on the credit side'),
] as const;

/** books/trial-balance.csv. */
export function trialBalanceTable(ctx: BookContext): ExportTable {
  return {
    name: 'trial-balance',
    title: '科目餘額表',
    description: 'Opening, period and closing balances of every account that has one in the period, per book, with the book totals',
    columns: TRIAL_BALANCE_COLUMNS,
    rows: (async function* (): AsyncGenerator<ExportRow> {
      const tb = await trialBalance(ctx);
      for (const total of tb.totals) {
        for (const r of tb.rows.filter((row) => row.book === total.book)) {
          yield ['account', r.book, r.code, r.name, r.govCode, r.govName, ...r.opening, ...r.period, ...r.closing];
        }
        yield ['book_total', total.book, null, '合計', null, null, ...total.columns];
      }
    })(),
  };
}
