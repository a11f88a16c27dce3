import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EntityManager } from 'typeorm';
import { VerifyReport, verifyEvents } from '../../src/audit/audit-verifier';
import { canonicalJson } from '../../src/audit/domain/chain';
import { TestApp, startTestApp } from '../support/app';
import { openCountyBooks, post, posting, reverse } from '../support/factories';

const run = promisify(execFile);

/** The ledger's tables, in the order they are emptied (lines before their transactions) to be put back. */
const LEDGER_TABLES = ['ledger_closing_balances', 'ledger_lines', 'ledger_transactions'] as const;

/**
 * `verify-events` checks the ledger against its posting events and against itself: a superuser who edits ledger rows
 * with the triggers off leaves the event chain intact, and each edit is named by the check that catches it first.
 * Every tampering is undone after its test (the ledger put back as it was saved), and the verifier must then pass again.
 */
describe('verify-events checks the ledger', () => {
  let t: TestApp;
  /** The transactions of the county, by what they are. */
  const tx = { receipt: '', payment: '', small: '', backdated: '', reversal: '' };

  beforeAll(async () => {
    t = await startTestApp();
    await openCountyBooks(t);
    const receipt = (amount: string, date: string) =>
      posting(
        [
          { account: 'bank:D', debit: amount },
          { account: 'equity:A', credit: amount },
          { account: 'budget:available:A', debit: amount },
          { account: 'budget:source:A', credit: amount },
        ],
        date,
        '中央財政專項扶貧資金到帳',
      );
    tx.receipt = (await post(t, receipt('1000.00', '2026-03-01'))).body.id;
    tx.payment = (
      await post(
        t,
        posting(
          [
            { account: 'expense:P', debit: '300.00' },
            { account: 'bank:D', credit: '255.00' },
            { account: 'payable:C', credit: '45.00' },
          ],
          '2026-03-05',
        ),
      )
    ).body.id;
    tx.small = (await post(t, receipt('0.01', '2026-04-01'))).body.id;
    // Posted after the payment but dated before it: the closing balances of the days after move too.
    tx.backdated = (await post(t, receipt('20.00', '2026-03-03'))).body.id;
    const reversed = await reverse(t, tx.small, { reason: '重複入帳', effectiveDate: '2026-04-02' });
    expect(reversed.status).toBe(201);
    tx.reversal = reversed.body.id;
    await t.seal();
    await t.ds.query(`CREATE SCHEMA saved`);
    for (const table of [...LEDGER_TABLES, 'ledger_accounts']) await t.ds.query(`CREATE TABLE saved.${table} AS TABLE ${table}`);
  });

  afterEach(async () => {
    await behindTheTriggers(async (em) => {
      for (const table of LEDGER_TABLES) await em.query(`DELETE FROM ${table}`);
      for (const table of [...LEDGER_TABLES].reverse()) await em.query(`INSERT INTO ${table} SELECT * FROM saved.${table}`);
      await em.query(`UPDATE ledger_accounts a SET balance = s.balance, line_count = s.line_count FROM saved.ledger_accounts s WHERE s.id = a.id`);
    });
    const report = await verifyEvents(t.ds);
    expect(report.firstBadLedger).toBeUndefined();
    expect(report.ok).toBe(true);
  });

  afterAll(() => t.close());

  /** A superuser's edit with every trigger off. */
  async function behindTheTriggers(work: (em: EntityManager) => Promise<unknown>): Promise<void> {
    await t.ds.transaction(async (em) => {
      await em.query(`SET LOCAL session_replication_role = replica`);
      await work(em);
    });
  }

  const tamper = (sql: string, params: unknown[] = []) => behindTheTriggers((em) => em.query(sql, params));

  /** The verifier's report after the edit: not ok, the chain intact, the ledger's first fault named. */
  async function verifyTampered(): Promise<NonNullable<VerifyReport['firstBadLedger']>> {
    const report = await verifyEvents(t.ds);
    expect(report.firstBad).toBeUndefined();
    expect(report.ok).toBe(false);
    expect(report.firstBadLedger).toBeDefined();
    return report.firstBadLedger!;
  }

  const lineOf = (transactionId: string, lineNo: number) => `transaction_id = '${transactionId}' AND line_no = ${lineNo}`;

  it('verifies a clean county, with what it checked', async () => {
    const report = await verifyEvents(t.ds);
    expect(report).toMatchObject({ ok: true, counties: [{ county: '421124', unsealed: '0' }] });
    expect(report.firstBadLedger).toBeUndefined();
    // Five transactions: three receipts of four lines, a payment of three, a reversal of four; six accounts. Closing
    // balances: bank:D, equity:A and both budget accounts moved on 03-01, 03-03, 04-01 and 04-02, the payment's three
    // accounts on 03-05 (bank:D and expense:P, payable:C).
    expect(report.ledger).toEqual({ transactions: '5', lines: '19', accounts: '6', closingBalances: '19' });
  });

  it('names a line whose debit was edited', async () => {
    await tamper(`UPDATE ledger_lines SET debit = 310.00 WHERE ${lineOf(tx.payment, 1)}`);
    const fault = await verifyTampered();
    expect(fault).toMatchObject({ check: 'line', county: '421124', transactionId: tx.payment, lineNo: 1, account: 'expense:P' });
    expect(fault.seq).toMatch(/^\d+$/);
    expect(fault.message).toContain('debit 310.00');
    expect(fault.message).toContain('debit 300.00');
  });

  it('names a line moved to another account', async () => {
    await tamper(
      `UPDATE ledger_lines SET account_id = (SELECT id FROM ledger_accounts WHERE code = 'equity:A'), account_seq = 100 WHERE ${lineOf(tx.payment, 3)}`,
    );
    const fault = await verifyTampered();
    expect(fault).toMatchObject({ check: 'line', transactionId: tx.payment, lineNo: 3, account: 'equity:A' });
    expect(fault.message).toContain('payable:C');
  });

  it('names a deleted line by the event’s line', async () => {
    await tamper(`DELETE FROM ledger_lines WHERE ${lineOf(tx.receipt, 2)}`);
    expect(await verifyTampered()).toMatchObject({ check: 'missing_lines', transactionId: tx.receipt, lineNo: 2, account: 'equity:A' });
  });

  it('names a transaction deleted behind its event', async () => {
    await tamper(`DELETE FROM ledger_lines WHERE transaction_id = $1`, [tx.small]);
    await tamper(`DELETE FROM ledger_transactions WHERE id = $1`, [tx.small]);
    const fault = await verifyTampered();
    expect(fault).toMatchObject({ check: 'transaction', transactionId: tx.small });
    expect(fault.message).toContain('which the ledger does not hold');
  });

  it('names lines of a transaction neither the ledger nor the log holds', async () => {
    const id = (await t.ds.query(`SELECT gen_random_uuid()::text AS id`))[0].id;
    await tamper(
      `INSERT INTO ledger_lines (transaction_id, county_id, account_id, book, line_no, debit, credit, effective_date, balance_after, account_seq)
       SELECT $1, 1, id, 'financial', 1, 9.00, 0, '2026-03-10', balance + 9.00, line_count + 1 FROM ledger_accounts WHERE code = 'expense:P'`,
      [id],
    );
    expect(await verifyTampered()).toMatchObject({ check: 'missing_event', transactionId: id, lineNo: 1, account: 'expense:P' });
  });

  it('names a transaction inserted with its lines but without an event', async () => {
    // Only the event check is switched off: the lines move the balances, number themselves and close their days.
    const id = (await t.ds.query(`SELECT gen_random_uuid()::text AS id`))[0].id;
    await t.ds.query(`ALTER TABLE ledger_transactions DISABLE TRIGGER ledger_transactions_has_event`);
    try {
      await t.ds.transaction(async (em) => {
        await em.query(`INSERT INTO ledger_transactions (id, county_id, effective_date, memo) VALUES ($1, 1, '2026-03-10', 'behind the log')`, [id]);
        await em.query(
          `INSERT INTO ledger_lines (transaction_id, county_id, account_id, book, line_no, debit, credit, effective_date)
           SELECT $1, 1, a.id, 'financial', v.n, v.debit, v.credit, '2026-03-10'
             FROM (VALUES (1, 'expense:P', 50.00, 0), (2, 'bank:D', 0, 50.00)) v(n, code, debit, credit)
             JOIN ledger_accounts a ON a.code = v.code ORDER BY a.id`,
          [id],
        );
      });
    } finally {
      await t.ds.query(`ALTER TABLE ledger_transactions ENABLE TRIGGER ledger_transactions_has_event`);
    }
    expect(await verifyTampered()).toEqual({
      check: 'missing_event',
      county: '421124',
      transactionId: id,
      message: `transaction ${id} has no posting event`,
    });
  });

  it('names an account whose kept balance was edited', async () => {
    await tamper(`UPDATE ledger_accounts SET balance = balance + 1 WHERE code = 'bank:D'`);
    const fault = await verifyTampered();
    expect(fault).toMatchObject({ check: 'kept_balance', county: '421124', account: 'bank:D' });
    expect(fault.message).toContain('766.00');
  });

  it('names a line whose balance after was edited', async () => {
    await tamper(`UPDATE ledger_lines SET balance_after = balance_after + 1 WHERE ${lineOf(tx.payment, 2)}`);
    expect(await verifyTampered()).toMatchObject({ check: 'balance_after', transactionId: tx.payment, lineNo: 2, account: 'bank:D', accountSeq: '2' });
  });

  it('names a line taken out of its account’s numbering', async () => {
    await tamper(`UPDATE ledger_lines SET account_seq = 9 WHERE transaction_id = $1 AND account_id = (SELECT id FROM ledger_accounts WHERE code = 'bank:D')`, [
      tx.reversal,
    ]);
    expect(await verifyTampered()).toMatchObject({ check: 'account_seq', transactionId: tx.reversal, account: 'bank:D', accountSeq: '9' });
  });

  it('names a closing balance that was edited', async () => {
    await tamper(
      `UPDATE ledger_closing_balances SET balance = balance - 1
        WHERE account_id = (SELECT id FROM ledger_accounts WHERE code = 'bank:D') AND effective_date = '2026-03-05'`,
    );
    const fault = await verifyTampered();
    expect(fault).toMatchObject({ check: 'closing_balance', account: 'bank:D', date: '2026-03-05' });
    expect(fault.message).toContain('765.00');
  });

  it('names a line whose effective date was edited', async () => {
    await tamper(`UPDATE ledger_lines SET effective_date = '2026-03-06' WHERE ${lineOf(tx.payment, 2)}`);
    const fault = await verifyTampered();
    expect(fault).toMatchObject({ check: 'line', transactionId: tx.payment, lineNo: 2, account: 'bank:D' });
    expect(fault.message).toContain('2026-03-06');
  });

  it('names a transaction whose effective date or memo was edited', async () => {
    await tamper(`UPDATE ledger_transactions SET effective_date = '2026-03-02' WHERE id = $1`, [tx.receipt]);
    const dated = await verifyTampered();
    expect(dated).toMatchObject({ check: 'transaction', transactionId: tx.receipt });
    expect(dated.message).toContain('2026-03-02');
    await tamper(`UPDATE ledger_transactions SET effective_date = '2026-03-01', memo = '其他' WHERE id = $1`, [tx.receipt]);
    expect(await verifyTampered()).toMatchObject({ check: 'transaction', transactionId: tx.receipt, message: expect.stringContaining('memo') });
  });

  it('names a line whose purpose was edited (as if a payment could leave the dedicated account)', async () => {
    await tamper(`UPDATE ledger_lines SET purpose = 'payment' WHERE ${lineOf(tx.payment, 2)}`);
    const fault = await verifyTampered();
    expect(fault).toMatchObject({ check: 'line', transactionId: tx.payment, lineNo: 2, account: 'bank:D' });
    expect(fault.message).toContain('purpose payment');
  });

  it('reads a posting event whose body PostgreSQL cannot hold as jsonb (a lone surrogate from before it was refused)', async () => {
    // The event as the service wrote it then: the memo's lone surrogate escaped in the body, U+FFFD in the row.
    const id = (await t.ds.query(`SELECT gen_random_uuid()::text AS id`))[0].id;
    const lines = [
      { account: 'bank:D', book: 'financial', debit: '1.00' },
      { account: 'equity:A', book: 'financial', credit: '1.00' },
    ];
    const body = canonicalJson({
      actor: 'finance-checker',
      at: new Date().toISOString(),
      county: '421124',
      data: { id, effectiveDate: '2026-03-10', memo: 'a\ud800b', lines },
      type: 'ledger.transaction.posted',
    });
    expect(body).toContain('\\ud800');
    await t.ds.query(`ALTER TABLE ledger_transactions DISABLE TRIGGER ledger_transactions_has_event`);
    try {
      await t.ds.transaction(async (em) => {
        await em.query(`INSERT INTO ledger_transactions (id, county_id, effective_date, memo) VALUES ($1, 1, '2026-03-10', 'a\ufffdb')`, [id]);
        await em.query(
          `INSERT INTO ledger_lines (transaction_id, county_id, account_id, book, line_no, debit, credit, effective_date)
           SELECT $1, 1, a.id, 'financial', v.n, v.debit, v.credit, '2026-03-10'
             FROM (VALUES (1, 'bank:D', 1.00, 0), (2, 'equity:A', 0, 1.00)) v(n, code, debit, credit)
             JOIN ledger_accounts a ON a.code = v.code ORDER BY a.id`,
          [id],
        );
        await em.query(
          `INSERT INTO audit_events (county_id, type, actor, recorded_at, body) VALUES (1, 'ledger.transaction.posted', 'finance-checker', now(), $1)`,
          [body],
        );
      });
    } finally {
      await t.ds.query(`ALTER TABLE ledger_transactions ENABLE TRIGGER ledger_transactions_has_event`);
    }
    await t.seal();
    const report = await verifyEvents(t.ds);
    expect(report.firstBadLedger).toBeUndefined();
    expect(report).toMatchObject({ ok: true, ledger: { transactions: '6', lines: '21' } });

    // The same event now disagrees with an edited line, and is compared all the same.
    await tamper(`UPDATE ledger_lines SET credit = 2.00 WHERE ${lineOf(id, 2)}`);
    expect(await verifyTampered()).toMatchObject({ check: 'line', transactionId: id, lineNo: 2, account: 'equity:A' });
    // Put back: the saved ledger does not hold this transaction, and its event stays in the chain.
    await tamper(`UPDATE ledger_lines SET credit = 1.00 WHERE ${lineOf(id, 2)}`);
    for (const table of [...LEDGER_TABLES, 'ledger_accounts']) {
      await t.ds.query(`DROP TABLE saved.${table}`);
      await t.ds.query(`CREATE TABLE saved.${table} AS TABLE ${table}`);
    }
  });

  it('makes verify-events exit 1 and print the ledger’s first fault', async () => {
    await tamper(`UPDATE ledger_lines SET debit = 310.00 WHERE ${lineOf(tx.payment, 1)}`);
    const failed = await run('npx', ['ts-node', '--transpile-only', 'src/cli/main.ts', 'verify-events'], {
      env: { ...process.env, DATABASE_URL: t.url },
    }).then(
      () => undefined,
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(JSON.parse(failed!.stdout)).toMatchObject({ ok: false, firstBadLedger: { check: 'line', transactionId: tx.payment, lineNo: 1 } });
    expect(failed!.stderr).toContain(`ledger check line failed: line 1 of transaction ${tx.payment}`);
  });
});

describe('verify-events and a transaction recorded twice', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('names a transaction that two posting events record', async () => {
    t = await startTestApp();
    await openCountyBooks(t);
    const id = (
      await post(
        t,
        posting([
          { account: 'bank:D', debit: '5.00' },
          { account: 'equity:A', credit: '5.00' },
        ]),
      )
    ).body.id;
    // An event may be appended by anyone who may write events; a second copy of the posting's is one.
    await t.ds.query(
      `INSERT INTO audit_events (county_id, type, actor, recorded_at, body)
       SELECT county_id, type, actor, recorded_at, body FROM audit_events WHERE type = 'ledger.transaction.posted' AND body LIKE $1`,
      [`%${id}%`],
    );
    await t.seal();
    const report = await verifyEvents(t.ds);
    expect(report).toMatchObject({ ok: false, firstBadLedger: { check: 'duplicate_event', county: '421124', transactionId: id } });
    expect(report.firstBad).toBeUndefined();
  });
});
