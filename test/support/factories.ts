import request from 'supertest';
import { AccountType, bookOf } from '../../src/ledger/domain/accounts';
import { TestApp } from './app';

/** The two county_finance users of the tests: one drafts, the other approves. */
export const MAKER = 'finance-maker';
export const CHECKER = 'finance-checker';

export async function openAccount(t: TestApp, code: string, type: AccountType, allowNegative = false): Promise<void> {
  await (
    await t.as(MAKER)
  )
    .post('/api/v1/ledger/accounts')
    .send({ code, name: code, book: bookOf(type), type, allowNegative })
    .expect(201);
}

export type Leg = { account: string; debit: string } | { account: string; credit: string };

export function posting(lines: Leg[], effectiveDate = '2026-03-01', memo = 'test posting') {
  return { effectiveDate, memo, lines };
}

/** Drafts a voucher as the maker (expects 201) and returns its id. */
export async function draft(t: TestApp, body: unknown, key?: string): Promise<string> {
  let req = (await t.as(MAKER)).post('/api/v1/ledger/transactions');
  if (key) req = req.set('Idempotency-Key', key);
  const res = await req.send(body as object);
  if (res.status !== 201) throw new Error(`draft refused: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** The checker approves a voucher; the response is the posted transaction or the refusal. */
export async function approve(t: TestApp, voucherId: string): Promise<request.Response> {
  return (await t.as(CHECKER)).post(`/api/v1/ledger/transactions/${voucherId}/approve`);
}

/** Drafted by the maker, approved by the checker: posted (expects 201). */
export async function post(t: TestApp, body: unknown): Promise<request.Response> {
  const res = await approve(t, await draft(t, body));
  if (res.status !== 201) throw new Error(`approval refused: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/** Reversal drafted by the maker and approved by the checker. */
export async function reverse(t: TestApp, transactionId: string, body: object): Promise<request.Response> {
  const drafted = await (await t.as(MAKER)).post(`/api/v1/ledger/transactions/${transactionId}/reversal`).send(body);
  if (drafted.status !== 201) return drafted;
  return approve(t, drafted.body.id);
}

/** The accounts of an allocation's receipt (design §4): the same money enters both books. */
export async function openCountyBooks(t: TestApp): Promise<void> {
  await t.as(CHECKER);
  await openAccount(t, 'bank:D', 'asset');
  await openAccount(t, 'equity:A', 'net_assets');
  await openAccount(t, 'payable:C', 'liability');
  await openAccount(t, 'expense:P', 'expense');
  await openAccount(t, 'budget:available:A', 'quota');
  await openAccount(t, 'budget:source:A', 'appropriation');
}

export async function sumOfLinesMismatches(t: TestApp): Promise<unknown[]> {
  return t.ds.query(`
    SELECT a.code, a.balance, COALESCE(sum(CASE WHEN a.normal_side = 'debit' THEN l.debit - l.credit ELSE l.credit - l.debit END), 0) AS lines
      FROM ledger_accounts a LEFT JOIN ledger_lines l ON l.account_id = a.id
     GROUP BY a.id HAVING a.balance <> COALESCE(sum(CASE WHEN a.normal_side = 'debit' THEN l.debit - l.credit ELSE l.credit - l.debit END), 0)`);
}
