import Decimal from 'decimal.js';
import { AccountRef, ByCode } from './account-refs';
import { Side, TransactionPurpose } from './accounts';

/** One line of an entry to post: an account, a side and a positive amount. */
export interface EntryLine {
  account: AccountRef | ByCode;
  side: Side;
  amount: Decimal;
}

/** What a workflow (or a voucher, converted at the edge) asks the ledger to post. */
export interface Entry {
  effectiveDate: string;
  memo: string;
  purpose: TransactionPurpose;
  lines: EntryLine[];
}

export function debit(account: AccountRef | ByCode, amount: Decimal): EntryLine {
  return { account, side: 'debit', amount };
}

export function credit(account: AccountRef | ByCode, amount: Decimal): EntryLine {
  return { account, side: 'credit', amount };
}
