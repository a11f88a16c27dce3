import { AccountType, bookOf } from '../../src/ledger/domain/accounts';
import { TestApp } from './app';

export async function openAccount(t: TestApp, code: string, type: AccountType, allowNegative = false): Promise<void> {
  await t
    .api()
    .post('/api/v1/ledger/accounts')
    .send({ code, name: code, book: bookOf(type), type, allowNegative })
    .expect(201);
}

export type Leg = { account: string; debit: string } | { account: string; credit: string };

export function posting(lines: Leg[], effectiveDate = '2026-03-01', memo = 'test posting') {
  return { effectiveDate, memo, lines };
}

/** The receipt of an allocation (design §4): the same money enters both books. */
export async function openCountyBooks(t: TestApp): Promise<void> {
  await openAccount(t, 'bank:D', 'asset');
  await openAccount(t, 'fund:A', 'net_assets');
  await openAccount(t, 'payable:C', 'liability');
  await openAccount(t, 'expense:P', 'expense');
  await openAccount(t, 'quota:unallocated:A', 'quota');
  await openAccount(t, 'appropriation:A', 'appropriation');
}

export async function sumOfLinesMismatches(t: TestApp): Promise<unknown[]> {
  return t.ds.query(`
    SELECT a.code, a.balance, COALESCE(sum(CASE WHEN a.normal_side = 'debit' THEN l.debit - l.credit ELSE l.credit - l.debit END), 0) AS lines
      FROM ledger_accounts a LEFT JOIN ledger_lines l ON l.account_id = a.id
     GROUP BY a.id HAVING a.balance <> COALESCE(sum(CASE WHEN a.normal_side = 'debit' THEN l.debit - l.credit ELSE l.credit - l.debit END), 0)`);
}
