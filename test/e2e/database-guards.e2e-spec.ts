import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { verifyEvents } from '../../src/audit/audit-verifier';
import { canonicalJson } from '../../src/audit/domain/chain';
import { TestApp, startTestApp } from '../support/app';
import { MAKER, openCountyBooks, post, posting } from '../support/factories';

const run = promisify(execFile);

/** The invariants hold against plain SQL, not only through the service. */
describe('database guards', () => {
  let t: TestApp;
  let sql: Client;
  let txId: string;
  /** An event a test below commits for a transaction the database then refuses. */
  let eventWithoutTransaction: string;

  beforeAll(async () => {
    t = await startTestApp();
    await openCountyBooks(t);
    const res = await post(
      t,
      posting([
        { account: 'bank:D', debit: '100.00' },
        { account: 'equity:A', credit: '100.00' },
      ]),
    );
    txId = res.body.id;
    sql = new Client({ connectionString: t.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await t.close();
  });

  async function accountId(code: string): Promise<string> {
    return (await sql.query(`SELECT id FROM ledger_accounts WHERE code = $1`, [code])).rows[0].id;
  }

  type PlainLine = { code: string; book: string; debit: string; credit: string };

  /** The event the service writes with a posting, here by hand: it names the transaction in `data.id` and carries its lines. */
  async function insertEvent(transactionId: string, lines: PlainLine[], memo = 'plain sql'): Promise<void> {
    const type = 'ledger.transaction.posted';
    const data = {
      id: transactionId,
      effectiveDate: '2026-03-01',
      memo,
      lines: lines.map(({ code, book, debit, credit }) => ({ account: code, book, ...(Number(debit) > 0 ? { debit } : { credit }) })),
    };
    const body = canonicalJson({ actor: 'plain-sql', at: new Date().toISOString(), county: '421124', data, type });
    await sql.query(`INSERT INTO audit_events (county_id, type, actor, recorded_at, body) VALUES (1, $1, 'plain-sql', now(), $2)`, [type, body]);
  }

  /** A transaction, its lines and an audit event naming `eventFor` (default: the transaction; null: no event), in one database transaction. */
  async function insertTransaction(lines: PlainLine[], options: { eventFor?: string | null; id?: string } = {}): Promise<string> {
    await sql.query('BEGIN');
    try {
      const id = options.id ?? (await sql.query(`SELECT gen_random_uuid() AS id`)).rows[0].id;
      await sql.query(`INSERT INTO ledger_transactions (id, county_id, effective_date, memo) VALUES ($1, 1, '2026-03-01', 'plain sql')`, [id]);
      let n = 0;
      for (const l of lines) {
        await sql.query(
          `INSERT INTO ledger_lines (transaction_id, county_id, account_id, book, line_no, debit, credit, effective_date)
           VALUES ($1, 1, $2, $3, $4, $5, $6, '2026-03-01')`,
          [id, await accountId(l.code), l.book, ++n, l.debit, l.credit],
        );
      }
      if (options.eventFor !== null) await insertEvent(options.eventFor ?? id, lines);
      await sql.query('COMMIT');
      return id;
    } catch (err) {
      await sql.query('ROLLBACK');
      throw err;
    }
  }

  it('refuses to commit an unbalanced transaction', async () => {
    const before = (await sql.query(`SELECT count(*)::int AS n FROM ledger_transactions`)).rows[0].n;
    await expect(
      insertTransaction([
        { code: 'bank:D', book: 'financial', debit: '5.00', credit: '0' },
        { code: 'equity:A', book: 'financial', debit: '0', credit: '4.99' },
      ]),
    ).rejects.toThrow(/does not balance in the financial book/);
    await expect(insertTransaction([{ code: 'bank:D', book: 'financial', debit: '5.00', credit: '0' }])).rejects.toThrow(/at least two/);
    await expect(
      insertTransaction([
        { code: 'bank:D', book: 'financial', debit: '5.00', credit: '0' },
        { code: 'budget:source:A', book: 'budget', debit: '0', credit: '5.00' },
      ]),
    ).rejects.toThrow(/does not balance/);
    expect((await sql.query(`SELECT count(*)::int AS n FROM ledger_transactions`)).rows[0].n).toBe(before);
  });

  it('checks again a line added after the deferred checks were run early', async () => {
    const id = (await sql.query(`SELECT gen_random_uuid() AS id`)).rows[0].id;
    const line = async (code: string, debit: string, credit: string, n: number) =>
      sql.query(
        `INSERT INTO ledger_lines (transaction_id, county_id, account_id, book, line_no, debit, credit, effective_date)
         VALUES ($1, 1, $2, 'financial', $3, $4, $5, '2026-03-01')`,
        [id, await accountId(code), n, debit, credit],
      );
    await sql.query('BEGIN');
    await sql.query(`INSERT INTO ledger_transactions (id, county_id, effective_date, memo) VALUES ($1, 1, '2026-03-01', 'sneaky')`, [id]);
    await line('bank:D', '1.00', '0', 1);
    await line('equity:A', '0', '1.00', 2);
    await insertEvent(id, []);
    await sql.query('SET CONSTRAINTS ALL IMMEDIATE');
    await expect(line('bank:D', '1000.00', '0', 3)).rejects.toThrow(/does not balance/);
    await sql.query('ROLLBACK');
    expect((await sql.query(`SELECT count(*)::int AS n FROM ledger_transactions WHERE memo = 'sneaky'`)).rows[0].n).toBe(0);
  });

  it('commits a balanced transaction written in plain SQL, moving the kept balances', async () => {
    await insertTransaction([
      { code: 'bank:D', book: 'financial', debit: '5.00', credit: '0' },
      { code: 'equity:A', book: 'financial', debit: '0', credit: '5.00' },
    ]);
    const bank = await (await t.as(MAKER)).get('/api/v1/ledger/accounts/bank:D').expect(200);
    expect(bank.body.balance).toBe('105.00');
  });

  it('refuses a line whose book differs from its account', async () => {
    await expect(
      insertTransaction([
        { code: 'bank:D', book: 'budget', debit: '5.00', credit: '0' },
        { code: 'equity:A', book: 'budget', debit: '0', credit: '5.00' },
      ]),
    ).rejects.toThrow(/another county or book/);
  });

  it('never lets a non-negative account go below zero', async () => {
    await expect(
      insertTransaction([
        { code: 'expense:P', book: 'financial', debit: '105.01', credit: '0' },
        { code: 'bank:D', book: 'financial', debit: '0', credit: '105.01' },
      ]),
    ).rejects.toMatchObject({ code: 'FL002' });
  });

  it('refuses at commit a balanced transaction without its audit event, and commits it with the event', async () => {
    const lines = [
      { code: 'bank:D', book: 'financial', debit: '2.00', credit: '0' },
      { code: 'equity:A', book: 'financial', debit: '0', credit: '2.00' },
    ];
    const count = async () => (await sql.query(`SELECT count(*)::int AS n FROM ledger_transactions WHERE memo = 'plain sql'`)).rows[0].n;
    const before = await count();
    await expect(insertTransaction(lines, { eventFor: null })).rejects.toMatchObject({ code: 'FL010', message: expect.stringMatching(/no audit event/) });

    // An event naming another transaction, or written before this transaction began, is not its event.
    const other = (await sql.query(`SELECT gen_random_uuid() AS id`)).rows[0].id;
    await expect(insertTransaction(lines, { eventFor: other })).rejects.toMatchObject({ code: 'FL010' });
    const early = (await sql.query(`SELECT gen_random_uuid() AS id`)).rows[0].id;
    // Committed, and naming a transaction that never commits: the ledger check of verify-events names it from now on.
    await insertEvent(early, lines);
    eventWithoutTransaction = early;
    await expect(insertTransaction(lines, { eventFor: null, id: early })).rejects.toMatchObject({ code: 'FL010' });
    expect(await count()).toBe(before);

    const committed = await insertTransaction(lines);
    expect(await count()).toBe(before + 1);
    const shown = await (await t.as(MAKER)).get(`/api/v1/ledger/transactions/${committed}`).expect(200);
    expect(shown.body.lines.map((l: { balanceAfter: string }) => l.balanceAfter)).toEqual(['107.00', '107.00']);
  });

  it('numbers the lines of each account 1..n where its balance moves, whatever a writer says', async () => {
    const id = (await sql.query(`SELECT gen_random_uuid() AS id`)).rows[0].id;
    await sql.query('BEGIN');
    try {
      await sql.query(`INSERT INTO ledger_transactions (id, county_id, effective_date, memo) VALUES ($1, 1, '2026-03-01', 'numbered')`, [id]);
      const lines = [
        { code: 'bank:D', book: 'financial', debit: '1.00', credit: '0' },
        { code: 'equity:A', book: 'financial', debit: '0', credit: '1.00' },
      ];
      for (const [i, { code, debit, credit }] of lines.entries()) {
        await sql.query(
          `INSERT INTO ledger_lines (transaction_id, county_id, account_id, book, line_no, debit, credit, effective_date, account_seq)
           VALUES ($1, 1, $2, 'financial', $3, $4, $5, '2026-03-01', 1)`,
          [id, await accountId(code), i + 1, debit, credit],
        );
      }
      await insertEvent(id, lines, 'numbered');
      await sql.query('COMMIT');
    } catch (err) {
      await sql.query('ROLLBACK');
      throw err;
    }
    const { rows } = await sql.query(
      `SELECT a.code, a.line_count, array_agg(l.account_seq ORDER BY l.account_seq)::text AS seqs
         FROM ledger_accounts a JOIN ledger_lines l ON l.account_id = a.id WHERE a.code IN ('bank:D', 'equity:A') GROUP BY a.id ORDER BY a.code`,
    );
    expect(rows).toEqual([
      { code: 'bank:D', line_count: '4', seqs: '{1,2,3,4}' },
      { code: 'equity:A', line_count: '4', seqs: '{1,2,3,4}' },
    ]);
    await expect(sql.query(`UPDATE ledger_accounts SET line_count = 1 WHERE code = 'bank:D'`)).rejects.toMatchObject({ code: 'FL005' });
  });

  it.each([
    ['UPDATE ledger_transactions SET memo = $$changed$$'],
    ['DELETE FROM ledger_transactions'],
    ['UPDATE ledger_lines SET debit = debit + 1 WHERE debit > 0'],
    ['DELETE FROM ledger_lines'],
    ['UPDATE audit_events SET actor = $$someone$$'],
    ['DELETE FROM audit_events'],
    ['TRUNCATE ledger_lines CASCADE'],
    ['TRUNCATE ledger_transactions CASCADE'],
    ['TRUNCATE audit_events CASCADE'],
    ['UPDATE audit_chain_heads SET seq = seq + 1'],
    ['DELETE FROM audit_chain_heads'],
  ])('refuses %s', async (statement) => {
    await expect(sql.query(statement)).rejects.toMatchObject({ code: 'FL003' });
  });

  it('reads the transaction an event names from any body, even one written before lone surrogates were refused', async () => {
    const { rows } = await sql.query(`SELECT audit_event_data_id($1) AS bad, audit_event_data_id($2) AS good`, [
      '{"data":{"id":"x"},"memo":"\\ud800"}',
      '{"data":{"id":"0f3e"}}',
    ]);
    expect(rows[0]).toEqual({ bad: null, good: '0f3e' });
  });

  it('refuses an admin who also moves money, and a username that differs from another only in case', async () => {
    const [admin] = (await sql.query(`SELECT id, county_id, org_unit_id, password_hash FROM users WHERE username = 'admin'`)).rows;
    await expect(sql.query(`UPDATE users SET roles = '{admin,county_finance}' WHERE id = $1`, [admin.id])).rejects.toThrow(/CK_users_admin_duties/);
    await expect(
      sql.query(`INSERT INTO users (county_id, org_unit_id, username, display_name, password_hash, roles) VALUES ($1, $2, 'ADMIN', 'x', $3, '{auditor}')`, [
        admin.county_id,
        admin.org_unit_id,
        admin.password_hash,
      ]),
    ).rejects.toThrow(/UQ_users_username_folded/);
  });

  it('refuses to change a balance or an account other than through lines', async () => {
    await expect(sql.query(`UPDATE ledger_accounts SET balance = 1000000 WHERE code = 'bank:D'`)).rejects.toMatchObject({ code: 'FL005' });
    await expect(sql.query(`UPDATE ledger_accounts SET allow_negative = true WHERE code = 'bank:D'`)).rejects.toMatchObject({ code: 'FL005' });
    await expect(sql.query(`DELETE FROM ledger_accounts WHERE code = 'payable:C'`)).rejects.toMatchObject({ code: 'FL005' });
    await sql.query(`UPDATE ledger_accounts SET name = '英山縣扶貧資金專戶' WHERE code = 'bank:D'`);
  });

  it('writes any event unsealed, whatever chain values a writer gives, and seals it into the chain', async () => {
    const { rows } = await sql.query(
      `INSERT INTO audit_events (county_id, seq, prev_hash, hash, tx_id, type, actor, recorded_at, body)
       VALUES (1, 999, repeat('a', 64), repeat('b', 64), 1, 'test.plain_sql', 'x', now(), '{}') RETURNING id, seq, hash, tx_id`,
    );
    expect(rows[0]).toMatchObject({ seq: null, hash: null });
    expect(rows[0].tx_id).not.toBe('1');
    // Sealed by this call or already by the service's sealer (every 500 ms).
    await t.seal();
    const sealed = await sql.query(`SELECT seq, prev_hash, hash FROM audit_events WHERE id = $1`, [rows[0].id]);
    const head = await sql.query(`SELECT seq, head_hash FROM audit_chain_heads WHERE county_id = 1`);
    expect(sealed.rows[0]).toMatchObject({ seq: head.rows[0].seq, hash: head.rows[0].head_hash });
    const report = await verifyEvents(t.ds);
    expect(report.firstBad).toBeUndefined();
    expect(report.firstBadLedger).toMatchObject({ transactionId: eventWithoutTransaction });
  });

  it('never changes a sealed event, not even by sealing it again', async () => {
    await t.seal();
    await expect(sql.query(`UPDATE audit_events SET seq = NULL WHERE seq = 1`)).rejects.toMatchObject({ code: 'FL003' });
    await expect(sql.query(`UPDATE audit_events SET body = '{}' WHERE seq = 2`)).rejects.toMatchObject({ code: 'FL003' });
  });

  it('verify-events finds the chain intact and names the first bad seq after tampering', async () => {
    await t.seal();
    const cli = (url: string) =>
      run('npx', ['ts-node', '--transpile-only', 'src/cli/main.ts', 'verify-events'], { env: { ...process.env, DATABASE_URL: url } });
    // The chain is intact; the one fault is the ledger's: the event committed above for a transaction that never was.
    const intact = await cli(t.url).then(
      () => undefined,
      (err: { code: number; stdout: string }) => err,
    );
    expect(intact?.code).toBe(1);
    expect(JSON.parse(intact!.stdout)).toMatchObject({ ok: false, firstBadLedger: { transactionId: eventWithoutTransaction } });
    expect(JSON.parse(intact!.stdout).firstBad).toBeUndefined();

    // Someone with superuser rights switches the guards off and edits history. More than one event may name
    // the transaction; the verifier must name the earliest one the edit changed.
    const { rows } = await sql.query(`SELECT seq FROM audit_events WHERE body LIKE $1 AND body LIKE '%100.00%' ORDER BY seq LIMIT 1`, [`%${txId}%`]);
    await sql.query(`ALTER TABLE audit_events DISABLE TRIGGER USER`);
    await sql.query(`UPDATE audit_events SET body = replace(body, '100.00', '1000.00') WHERE body LIKE $1`, [`%${txId}%`]);
    await sql.query(`ALTER TABLE audit_events ENABLE TRIGGER USER`);

    const failed = await cli(t.url).then(
      () => undefined,
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(JSON.parse(failed!.stdout).firstBad).toEqual({ county: '421124', seq: rows[0].seq, fault: 'hash' });
    expect(failed!.stderr).toContain(`at seq ${rows[0].seq}`);
  });

  it('the verifier finds a deleted event as a gap', async () => {
    await sql.query(`ALTER TABLE audit_events DISABLE TRIGGER USER`);
    await sql.query(`DELETE FROM audit_events WHERE seq = 3`);
    await sql.query(`ALTER TABLE audit_events ENABLE TRIGGER USER`);
    const report = await verifyEvents(t.ds);
    expect(report.firstBad).toEqual({ county: '421124', seq: '3', fault: 'gap' });
  });
});
