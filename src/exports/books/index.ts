import { ExportTable } from '../table';
import { accountsTable } from './accounts';
import { BookContext } from './context';
import { fundBookTable, fundBookTransactionsTable } from './fund-book';
import { generalLedgerTable } from './general-ledger';
import { journalTable } from './journal';
import { ledgerLinesTable } from './ledger-lines';
import { subsidiaryLedgerTable } from './subsidiary-ledger';
import { trialBalanceTable } from './trial-balance';

/** Every book, by the name its file and route carry (`books/<name>.csv`), in the audit package's order. */
export const BOOKS: Readonly<Record<string, (ctx: BookContext) => ExportTable>> = {
  accounts: accountsTable,
  'ledger-lines': ledgerLinesTable,
  journal: journalTable,
  'general-ledger': generalLedgerTable,
  'subsidiary-ledger': subsidiaryLedgerTable,
  'trial-balance': trialBalanceTable,
  'fund-book': fundBookTable,
  'fund-book-transactions': fundBookTransactionsTable,
};
