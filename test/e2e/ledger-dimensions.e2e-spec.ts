import { DataSource } from 'typeorm';
import { systemActor } from '../../src/common/context';
import { LedgerReadingService } from '../../src/ledger/ledger-reading.service';
import { TestApp, startTestApp } from '../support/app';
import { ClaimWorld, attachAll, claimWorld, packet } from '../support/claims';
import { CHECKER, openCountyBooks, post, posting, sumOfLinesMismatches } from '../support/factories';

/**
 * What an account is about (its kind and ids) is written when it is opened and never changes; balances as of a date
 * come from closing balances the database keeps with the lines, whatever order the lines' dates were posted in.
 */
describe('accounts with dimensions, and balances as of a date', () => {
  let t: TestApp;
  let w: ClaimWorld;
  let road: { id: number; projectId: number };
  let claimId: number;

  const dimensions = (where: string, params: unknown[] = []) =>
    t.ds.query(
      `SELECT code, kind, allocation_id AS "allocationId", project_id AS "projectId", contract_id AS "contractId", claim_id AS "claimId",
              dedicated_account_id AS "dedicatedAccountId", category
         FROM ledger_accounts WHERE ${where} ORDER BY code`,
      params,
    );

  beforeAll(async () => {
    t = await startTestApp();
    w = await claimWorld(t);
    road = await w.contract('100000.00');
    await w.maker.post(`/api/v1/contracts/${road.id}/payments`).send({ amount: '20000.00', payeeAccount: '8201000000999' }).expect(201);
    const claim = (await w.village.post('/api/v1/claims').send(packet(road.id, '10000.00')).expect(201)).body;
    claimId = claim.id;
    await attachAll(w.village, claimId);
    await w.village.post(`/api/v1/claims/${claimId}/submit`).expect(200);
    await w.township.post(`/api/v1/claims/${claimId}/township-review`).send({ signedOn: '2026-06-28', opinion: 'ok' }).expect(200);
  });
  afterAll(() => t.close());

  it('opens every workflow account with its kind and ids, and a dedicated account’s bank with its dedicated account', async () => {
    const a = w.allocationId;
    const [{ id: dedicated }] = await t.ds.query(`SELECT id FROM dedicated_accounts WHERE code = 'D001'`);
    const none = { allocationId: null, projectId: null, contractId: null, claimId: null, dedicatedAccountId: null, category: null };
    const p = road.projectId;
    const c = road.id;
    expect(await dimensions(`kind <> 'manual'`)).toEqual([
      { ...none, code: `appropriation:A${a}`, kind: 'appropriation', allocationId: a },
      { ...none, code: 'bank:D001', kind: 'bank', dedicatedAccountId: dedicated },
      { ...none, code: `expense:P${p}:A${a}:infrastructure`, kind: 'expense', projectId: p, allocationId: a, category: 'infrastructure' },
      { ...none, code: `fund:A${a}`, kind: 'fund', allocationId: a, dedicatedAccountId: dedicated },
      { ...none, code: `quota:committed:C${c}:A${a}`, kind: 'quota_committed', projectId: p, contractId: c, allocationId: a },
      { ...none, code: `quota:held:C${c}:K${claimId}:A${a}`, kind: 'quota_held', projectId: p, contractId: c, claimId, allocationId: a },
      { ...none, code: `quota:project:P${p}:A${a}`, kind: 'quota_project', projectId: p, allocationId: a },
      { ...none, code: `quota:spent:P${p}:A${a}`, kind: 'quota_spent', projectId: p, allocationId: a },
      { ...none, code: `quota:unallocated:A${a}`, kind: 'quota_unallocated', allocationId: a },
      { ...none, code: `retention:C${c}:A${a}`, kind: 'retention', projectId: p, contractId: c, allocationId: a },
    ]);
    const events = await t.ds.query(
      `SELECT body::jsonb -> 'data' AS data FROM audit_events WHERE type = 'ledger.account.opened' AND body::jsonb #>> '{data,kind}' = 'quota_held'`,
    );
    expect(events.map((e: { data: unknown }) => e.data)).toEqual([
      expect.objectContaining({ kind: 'quota_held', projectId: p, contractId: c, claimId, allocationId: w.allocationId }),
    ]);
  });

  it('answers balances summed by dimension from the accounts the workflows opened', async () => {
    const reading = new LedgerReadingService(t.ds);
    const [county] = await t.ds.query(`SELECT id FROM counties`);
    const c = road.id;
    expect((await reading.total(t.ds.manager, county.id, { kind: 'retention', contractId: c })).toFixed(2)).toBe('3000.00');
    expect((await reading.total(t.ds.manager, county.id, { kind: ['quota_committed', 'quota_held'], contractId: c })).toFixed(2)).toBe('80000.00');
    const perKind = await reading.balancesBy(
      t.ds.manager,
      county.id,
      { kind: ['quota_project', 'quota_committed', 'quota_held', 'quota_spent'], projectId: road.projectId },
      ['kind'],
    );
    expect(perKind.map((r) => [r.kind, r.balance.toFixed(2)])).toEqual([
      ['quota_committed', '70000.00'],
      ['quota_held', '10000.00'],
      ['quota_project', '0.00'],
      ['quota_spent', '20000.00'],
    ]);
    const sources = await reading.sources(t.ds.manager, county.id, { kind: 'quota_committed', projectId: road.projectId, contractId: c });
    expect(sources.map((s) => [s.allocationId, s.balance.toFixed(2), s.bank])).toEqual([
      [w.allocationId, '70000.00', { kind: 'bank', dedicatedAccountId: expect.any(Number) }],
    ]);
  });

  it('refuses a change of what an account is about, as of its code', async () => {
    const [held] = await t.ds.query(`SELECT id FROM ledger_accounts WHERE kind = 'quota_held'`);
    for (const change of [
      `kind = 'quota_committed', claim_id = NULL`,
      `claim_id = claim_id + 1`,
      `project_id = project_id + 1`,
      `allocation_id = allocation_id + 1`,
      `contract_id = contract_id + 1`,
    ]) {
      await expect(t.ds.query(`UPDATE ledger_accounts SET ${change} WHERE id = $1`, [held.id])).rejects.toMatchObject({ driverError: { code: 'FL005' } });
    }
    await expect(t.ds.query(`UPDATE ledger_accounts SET category = 'training' WHERE kind = 'expense'`)).rejects.toMatchObject({
      driverError: { code: 'FL005' },
    });
    await expect(t.ds.query(`UPDATE ledger_accounts SET dedicated_account_id = dedicated_account_id + 1 WHERE kind = 'bank'`)).rejects.toMatchObject({
      driverError: { code: 'FL005' },
    });
  });

  it('holds each kind to its type and exactly its dimensions', async () => {
    const [county] = await t.ds.query(`SELECT id FROM counties`);
    const open = (code: string, type: string, kind: string, dims: string, values: string) => {
      const budget = ['quota', 'appropriation'].includes(type);
      const debitNormal = ['asset', 'expense', 'quota'].includes(type);
      return t.ds.query(
        `INSERT INTO ledger_accounts (county_id, code, name, book, type, normal_side, allow_negative, kind${dims})
         VALUES ($1, $2, 'x', $3, $4, $5, false, $6${values})`,
        [county.id, code, budget ? 'budget' : 'financial', type, debitNormal ? 'debit' : 'credit', kind],
      );
    };
    const refused = { driverError: { code: '23514', constraint: 'CK_ledger_accounts_dimensions' } };
    await expect(open('x:1', 'quota', 'quota_held', ', contract_id, allocation_id', ', 1, 1')).rejects.toMatchObject(refused);
    await expect(open('x:2', 'asset', 'retention', ', project_id, contract_id, allocation_id', ', 1, 1, 1')).rejects.toMatchObject(refused);
    await expect(open('x:3', 'asset', 'manual', ', project_id', ', 1')).rejects.toMatchObject(refused);
    await expect(open('x:4', 'asset', 'no_such_kind', '', '')).rejects.toMatchObject(refused);
  });

  it('keeps closing balances only through lines', async () => {
    const [row] = await t.ds.query(`SELECT account_id, effective_date::text, county_id FROM ledger_closing_balances LIMIT 1`);
    const refused = { driverError: { code: 'FL005' } };
    await expect(t.ds.query(`UPDATE ledger_closing_balances SET balance = balance + 1 WHERE account_id = $1`, [row.account_id])).rejects.toMatchObject(refused);
    await expect(t.ds.query(`DELETE FROM ledger_closing_balances WHERE account_id = $1`, [row.account_id])).rejects.toMatchObject(refused);
    await expect(
      t.ds.query(`INSERT INTO ledger_closing_balances (account_id, effective_date, county_id, balance) VALUES ($1, '2001-01-01', $2, 5)`, [
        row.account_id,
        row.county_id,
      ]),
    ).rejects.toMatchObject(refused);
    await expect(t.ds.query(`TRUNCATE ledger_closing_balances`)).rejects.toMatchObject({ driverError: { code: 'FL003' } });
  });

  it('answers a balance as of a date from lines posted in any order of their dates, as the sum of the lines up to it', async () => {
    await t.as(CHECKER);
    await openCountyBooks(t);
    // Posted out of the order of their dates: the later postings are backdated before the earlier ones.
    for (const [date, amount] of [
      ['2026-03-10', '100.00'],
      ['2026-03-20', '40.00'],
      ['2026-03-05', '7.00'],
      ['2026-03-15', '0.50'],
      ['2026-03-20', '2.00'],
      ['2026-03-01', '1000.00'],
    ]) {
      await post(
        t,
        posting(
          [
            { account: 'bank:D', debit: amount },
            { account: 'equity:A', credit: amount },
          ],
          date,
        ),
      );
    }
    await post(
      t,
      posting(
        [
          { account: 'expense:P', debit: '30.00' },
          { account: 'bank:D', credit: '30.00' },
        ],
        '2026-03-12',
      ),
    );
    const reading = new LedgerReadingService(t.ds);
    const [county] = await t.ds.query(`SELECT id, code FROM counties`);
    const linesUpTo = async (ds: DataSource, code: string, date: string) => {
      const [{ sum }] = await ds.query(
        `SELECT coalesce(sum(CASE WHEN a.normal_side = 'debit' THEN l.debit - l.credit ELSE l.credit - l.debit END), 0)::numeric(20,2)::text AS sum
           FROM ledger_lines l JOIN ledger_accounts a ON a.id = l.account_id WHERE a.code = $1 AND l.effective_date <= $2`,
        [code, date],
      );
      return sum;
    };
    for (const date of ['2026-02-28', '2026-03-01', '2026-03-04', '2026-03-05', '2026-03-11', '2026-03-12', '2026-03-15', '2026-03-20', '2026-12-31']) {
      for (const code of ['bank:D', 'equity:A', 'expense:P']) {
        expect([date, code, (await reading.balanceAsOf(t.ds.manager, county.id, { code }, date)).toFixed(2)]).toEqual([
          date,
          code,
          await linesUpTo(t.ds, code, date),
        ]);
      }
    }
    const tb = await reading.trialBalance({ ...systemActor(county), roles: ['auditor'] }, { asOf: '2026-03-12', book: 'financial' });
    expect(tb.books[0].accounts.find((r) => r.code === 'bank:D')).toMatchObject({ debit: await linesUpTo(t.ds, 'bank:D', '2026-03-12') });
    expect(await sumOfLinesMismatches(t)).toEqual([]);
    const [{ stale }] = await t.ds.query(
      `SELECT count(*)::int AS stale FROM ledger_accounts a
        WHERE a.balance <> coalesce((SELECT c.balance FROM ledger_closing_balances c WHERE c.account_id = a.id ORDER BY c.effective_date DESC LIMIT 1), 0)`,
    );
    expect(stale).toBe(0);
  });
});
