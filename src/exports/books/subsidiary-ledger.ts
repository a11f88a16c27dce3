import Decimal from 'decimal.js';
import { ZERO, formatMoney, money } from '../../common/money';
import { BookAccount, BookLine, PeriodBalance, accountLines, periodBalances } from '../../ledger/ledger-books';
import { govAccountOf } from '../account-map';
import { Cell, ExportRow, ExportTable, column } from '../table';
import { BookContext } from './context';
import { direction } from './two-columns';

export const SUBSIDIARY_LEDGER_COLUMNS = [
  column('row_type', '行類型', 'text', 'opening (期初餘額), line, period_total (本期合計) or closing (期末餘額)'),
  column('book', '賬簿', 'text', 'financial or budget'),
  column('account_code', '科目編碼', 'text', 'Our account code'),
  column('account_name', '科目名稱', 'text', "The account's name"),
  column('gov_code', '政府會計科目編碼', 'text', 'The mapped 政府會計制度 account'),
  column('effective_date', '日期', 'date', 'The line’s effective date; the period’s first day on the opening row, its last on the total and closing rows'),
  column('transaction_id', '交易號', 'text', 'The transaction of a line'),
  column('memo', '摘要', 'text', "The line's transaction memo, or 期初餘額 / 本期合計 / 期末餘額"),
  column('debit', '借方', 'money', 'Debit of the line, or the period’s debits on the total row'),
  column('credit', '貸方', 'money', 'Credit of the line, or the period’s credits on the total row'),
  column('direction', '方向', 'text', '借, 貸 or 平: the side the balance stands on'),
  column('balance', '餘額', 'money', 'The balance after the row, in date order (not negative: its side is `direction`)'),
] as const;

/**
 * books/subsidiary-ledger.csv — 明細賬 (三欄式) of every account that has an opening balance or a line in the period:
 * its opening balance, each line in date order with the balance after it, the period's totals and the closing
 * balance. The balance here runs in date order; the stored balance after (ledger-lines.csv) runs in posting order.
 */
export function subsidiaryLedgerTable(ctx: BookContext, only?: BookAccount): ExportTable {
  return {
    name: 'subsidiary-ledger',
    title: '明細賬',
    description: 'Per account: opening balance, each line of the period in date order with the balance after it, period totals, closing balance',
    columns: SUBSIDIARY_LEDGER_COLUMNS,
    rows: subsidiaryRows(ctx, only),
  };
}

async function* subsidiaryRows(ctx: BookContext, only?: BookAccount): AsyncGenerator<ExportRow> {
  const balances = (await periodBalances(ctx.em, ctx.countyId, ctx.period)).filter((b) => !only || b.id === only.id);
  const lines = accountLines(ctx.em, ctx.countyId, ctx.period, only?.id)[Symbol.asyncIterator]();
  let next = await lines.next();
  for (const account of balances) {
    const ledger = new AccountLedger(ctx, account);
    if (money(account.openingNet).isZero() && money(account.periodDebit).isZero() && money(account.periodCredit).isZero()) {
      // An account with neither an opening balance nor a line in the period has no page in the book.
      while (!next.done && next.value.accountId === account.id) next = await lines.next();
      continue;
    }
    yield ledger.opening();
    while (!next.done && next.value.accountId === account.id) {
      yield ledger.line(next.value);
      next = await lines.next();
    }
    yield* [ledger.total(), ledger.closing()];
  }
  if (!next.done) throw new Error(`line of account ${next.value.accountCode} out of the accounts' order`);
}

/** One account's page of the ledger, row by row, carrying the running balance (Σ debit − Σ credit). */
export class AccountLedger {
  private balance: Decimal;
  private debits = ZERO;
  private credits = ZERO;

  constructor(
    private readonly ctx: BookContext,
    private readonly account: PeriodBalance,
  ) {
    this.balance = money(account.openingNet);
  }

  opening(): ExportRow {
    return this.row('opening', this.ctx.period.from, null, '期初餘額', null, null);
  }

  line(l: BookLine): ExportRow {
    this.balance = this.balance.plus(l.debit).minus(l.credit);
    this.debits = this.debits.plus(l.debit);
    this.credits = this.credits.plus(l.credit);
    return this.row('line', l.effectiveDate, l.transactionId, l.memo, l.debit, l.credit);
  }

  total(): ExportRow {
    return this.row('period_total', this.ctx.period.to, null, '本期合計', formatMoney(this.debits), formatMoney(this.credits));
  }

  closing(): ExportRow {
    return this.row('closing', this.ctx.period.to, null, '期末餘額', null, null);
  }

  private row(type: string, date: string, transactionId: Cell, memo: string, debit: Cell, credit: Cell): ExportRow {
    const a = this.account;
    return [
      type,
      a.book,
      a.code,
      a.name,
      govAccountOf(a.kind, a.type).code,
      date,
      transactionId,
      memo,
      debit,
      credit,
      direction(this.balance),
      formatMoney(this.balance.abs()),
    ];
  }
}
