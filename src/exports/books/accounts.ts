import { bookAccounts } from '../../ledger/ledger-books';
import { ExportTable, column } from '../table';
import { ACCOUNT_DIMENSION_COLUMNS, BookContext, accountDimensionCells, idCell } from './context';
import { netOf, twoColumns } from './two-columns';

/** books/accounts.csv: every account, its map and dimensions, and its kept balance at the snapshot. */
export function accountsTable(ctx: BookContext): ExportTable {
  return {
    name: 'accounts',
    title: '科目表',
    description: 'Every ledger account with its mapped 政府會計制度 account, its dimensions and its kept balance at the snapshot',
    columns: [
      column('code', '科目編碼', 'text', 'Our account code'),
      column('name', '科目名稱', 'text', "The account's name"),
      column('book', '賬簿', 'text', 'financial (財務會計) or budget (預算會計)'),
      column('type', '類型', 'text', 'asset, expense, liability, net_assets, revenue, quota, appropriation'),
      column('normal_side', '餘額方向', 'text', 'debit or credit: the side its kept balance is counted on'),
      column('kind', '種類', 'text', 'What the account is about (bank, fund, quota_project, retention, expense, manual, …)'),
      ...ACCOUNT_DIMENSION_COLUMNS,
      column('claim_id', '報帳單編號', 'integer', "A claim's budget hold"),
      column('dedicated_account_id', '專戶編號', 'integer', "A dedicated account's bank account or an allocation's fund"),
      column('category', '支出類別', 'text', "An expense account's project category"),
      column('balance_debit', '餘額借方', 'money', 'The kept balance when it stands on the debit side, else 0.00'),
      column('balance_credit', '餘額貸方', 'money', 'The kept balance when it stands on the credit side, else 0.00'),
      column('line_count', '分錄行數', 'integer', 'How many lines the account has'),
    ],
    rows: (async function* () {
      for await (const a of bookAccounts(ctx.em, ctx.countyId)) {
        yield [
          a.code,
          a.name,
          a.book,
          a.type,
          a.normalSide,
          a.kind,
          ...accountDimensionCells(ctx, a),
          idCell(a.claimId),
          idCell(a.dedicatedAccountId),
          a.category,
          ...twoColumns(netOf(a.balance, a.normalSide)),
          a.lineCount,
        ];
      }
    })(),
  };
}
