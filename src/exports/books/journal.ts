import { journalLines } from '../../ledger/ledger-books';
import { ExportTable, column } from '../table';
import { ACCOUNT_DIMENSION_COLUMNS, BookContext, accountDimensionCells } from './context';

/** books/journal.csv — 序時賬: every transaction of the period with its lines, by effective date then as posted. */
export function journalTable(ctx: BookContext): ExportTable {
  return {
    name: 'journal',
    title: '序時賬',
    description: "Every transaction of the period with its lines, in order of effective date, then as posted; a transaction's lines together",
    columns: [
      column('effective_date', '業務日期', 'date', 'The date the business event belongs to'),
      column('transaction_id', '交易號', 'text', 'The transaction (uuid); its lines share it'),
      column('recorded_at', '記錄時間', 'datetime', 'When it was posted'),
      column('purpose', '用途', 'text', 'manual, receipt, budget, payment, retention, reversal'),
      column('memo', '摘要', 'text', "The transaction's memo"),
      column('reverses_id', '沖銷交易號', 'text', 'For a reversal (紅字沖銷): the transaction it reverses'),
      column('line_no', '行號', 'integer', "The line's number in its transaction"),
      column('account_code', '科目編碼', 'text', 'Our account code'),
      column('account_name', '科目名稱', 'text', "The account's name"),
      column('book', '賬簿', 'text', 'financial or budget'),
      ...ACCOUNT_DIMENSION_COLUMNS,
      column('debit', '借方', 'money', 'Debit amount (0.00 on a credit line)'),
      column('credit', '貸方', 'money', 'Credit amount (0.00 on a debit line)'),
    ],
    rows: (async function* () {
      for await (const l of journalLines(ctx.em, ctx.countyId, ctx.period)) {
        const account = ctx.accounts.get(l.accountId)!;
        yield [
          l.effectiveDate,
          l.transactionId,
          l.recordedAt.toISOString(),
          l.purpose,
          l.memo,
          l.reversesId,
          String(l.lineNo),
          l.accountCode,
          account.name,
          l.book,
          ...accountDimensionCells(ctx, account),
          l.debit,
          l.credit,
        ];
      }
    })(),
  };
}
