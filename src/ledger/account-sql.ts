import { z } from 'zod';
import { RowShape, col } from '../database/rows';
import { SqlParams } from '../database/sql-params';
import { ACCOUNT_KINDS, AccountDimensions, AccountRef, ByCode, Dimension, codeOf } from './domain/account-refs';

/** The column of each dimension in `ledger_accounts`. */
export const DIMENSION_COLUMNS: Record<Dimension, string> = {
  kind: 'kind',
  allocationId: 'allocation_id',
  projectId: 'project_id',
  contractId: 'contract_id',
  claimId: 'claim_id',
  dedicatedAccountId: 'dedicated_account_id',
  category: 'category',
};

/** Which accounts to read: one or more kinds, narrowed by the ids given (one id, or any of several allocations or projects). */
export interface AccountFilter {
  kind: AccountRef['kind'] | readonly AccountRef['kind'][];
  allocationId?: number | readonly number[];
  projectId?: number | readonly number[];
  contractId?: number;
  claimId?: number;
  dedicatedAccountId?: number;
}

/** The WHERE clause (on `a`, the accounts) for a filter in a county. */
export function filterSql(p: SqlParams, countyId: number, filter: AccountFilter): string {
  const conditions = [`a.county_id = ${p.add(countyId)}`];
  conditions.push(typeof filter.kind === 'string' ? `a.kind = ${p.add(filter.kind)}` : `a.kind = ANY(${p.add(filter.kind, '::text[]')})`);
  for (const dimension of ['allocationId', 'projectId', 'contractId', 'claimId', 'dedicatedAccountId'] as const) {
    const value = filter[dimension];
    if (value === undefined) continue;
    const column = `a.${DIMENSION_COLUMNS[dimension]}`;
    conditions.push(typeof value === 'number' ? `${column} = ${p.add(value)}` : `${column} = ANY(${p.add(value, '::int[]')})`);
  }
  return conditions.join(' AND ');
}

/**
 * How one account is found in a county: a workflow account by the code its dimensions spell (the unique index on the
 * code), a dedicated account's bank by its dedicated account, an account people named by its code.
 */
export function accountSql(p: SqlParams, countyId: number, account: AccountRef | ByCode): string {
  if ('code' in account) return `a.county_id = ${p.add(countyId)} AND a.code = ${p.add(account.code)}`;
  if (account.kind === 'bank') return `a.county_id = ${p.add(countyId)} AND a.kind = 'bank' AND a.dedicated_account_id = ${p.add(account.dedicatedAccountId)}`;
  return `a.county_id = ${p.add(countyId)} AND a.code = ${p.add(codeOf(account))}`;
}

/** The key an account is known by in a lookup: its code, or for a bank (whose code people chose) its dedicated account. */
export function keyOf(account: AccountRef | ByCode): string {
  if ('code' in account) return account.code;
  return account.kind === 'bank' ? bankKey(account.dedicatedAccountId) : codeOf(account);
}

/** Codes start with a letter or digit, so this never names an account's code. */
export function bankKey(dedicatedAccountId: number): string {
  return `#bank:${dedicatedAccountId}`;
}

/** An account row's dimension columns: the account's `AccountDimensions`, null where a dimension does not apply. */
export const DimensionsRow = z.object({
  kind: z.enum(ACCOUNT_KINDS),
  allocationId: col.id.nullable(),
  projectId: col.id.nullable(),
  contractId: col.id.nullable(),
  claimId: col.id.nullable(),
  dedicatedAccountId: col.id.nullable(),
  category: col.text.nullable(),
}) satisfies RowShape<AccountDimensions>;

export const DIMENSION_SELECT = 'a.kind, a.allocation_id, a.project_id, a.contract_id, a.claim_id, a.dedicated_account_id, a.category';
