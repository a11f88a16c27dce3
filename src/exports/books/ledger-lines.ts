import { everyLine } from '../../ledger/ledger-books';
import { ExportTable, column } from '../table';
import { BookContext } from './context';
import { netOf, twoColumns } from './two-columns';

/**
 * books/ledger-lines.csv: every line ever posted, by account code and `account_seq`, with the balance after it as the
 * database kept it: what the offline verifier replays the posting events against (docs/audit-package.md).
 */
export function ledgerLinesTable(ctx: BookContext): ExportTable {
  return {
    name: 'ledger-lines',
    title: '分錄明細',
    description: 'Every ledger line of the county up to the snapshot (whole history), by account code and account_seq',
    columns: [
      column('transaction_id', '交易號', 'text', 'The transaction (uuid)'),
      column('line_no', '行號', 'integer', "The line's number in its transaction, from 1"),
      column('account_code', '科目編碼', 'text', 'The account'),
      column('book', '賬簿', 'text', 'financial or budget'),
      column('effective_date', '業務日期', 'date', 'The date the business event belongs to'),
      column('recorded_at', '記錄時間', 'datetime', 'When it was posted'),
      column('purpose', '用途', 'text', 'manual, receipt, budget, payment, retention, reversal'),
      column('debit', '借方', 'money', 'Debit amount (0.00 on a credit line)'),
      column('credit', '貸方', 'money', 'Credit amount (0.00 on a debit line)'),
      column('account_seq', '科目序號', 'integer', "The line's place among its account's lines (1..n, no gap)"),
      column('balance_after_debit', '行後餘額借方', 'money', "The account's balance right after the line, when on the debit side"),
      column('balance_after_credit', '行後餘額貸方', 'money', "The account's balance right after the line, when on the credit side"),
    ],
    rows: (async function* () {
      for await (const l of everyLine(ctx.em, ctx.countyId)) {
        yield [
          l.transactionId,
          String(l.lineNo),
          l.accountCode,
          l.book,
          l.effectiveDate,
          l.recordedAt.toISOString(),
          l.purpose,
          l.debit,
          l.credit,
          l.accountSeq,
          ...twoColumns(netOf(l.balanceAfter, l.normalSide)),
        ];
      }
    })(),
  };
}
