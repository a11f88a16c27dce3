import Decimal from 'decimal.js';
import { verifyEvents } from '../../src/audit/audit-verifier';
import { As, TestApp, startTestApp } from '../support/app';
import { CHECKER, MAKER, draft, openAccount, openCountyBooks, post, posting, sumOfLinesMismatches } from '../support/factories';

/** Real parallel HTTP requests against one service and one database. */
describe('concurrency', () => {
  let t: TestApp;
  let maker: As;
  let checker: As;

  beforeAll(async () => {
    t = await startTestApp({ poolSize: 20 });
    await openCountyBooks(t);
    maker = await t.as(MAKER);
    checker = await t.as(CHECKER);
    await post(
      t,
      posting([
        { account: 'bank:D', debit: '25.00' },
        { account: 'equity:A', credit: '25.00' },
      ]),
    );
  });
  afterAll(() => t.close());

  it('50 transfers of 1.00 racing out of 25.00: exactly 25 succeed and the balance ends at 0.00', async () => {
    const transfer = posting(
      [
        { account: 'expense:P', debit: '1.00' },
        { account: 'bank:D', credit: '1.00' },
      ],
      '2026-03-02',
      'transfer',
    );
    const vouchers = await Promise.all(Array.from({ length: 50 }, () => draft(t, transfer)));
    const results = await Promise.all(vouchers.map((id) => checker.post(`/api/v1/ledger/transactions/${id}/approve`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(25);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(25);
    for (const r of refused) expect(r.body).toMatchObject({ code: 'INSUFFICIENT_BALANCE', details: { account: 'bank:D' } });

    const bank = await maker.get('/api/v1/ledger/accounts/bank:D').expect(200);
    expect(bank.body.balance).toBe('0.00');
    const expense = await maker.get('/api/v1/ledger/accounts/expense:P').expect(200);
    expect(expense.body.balance).toBe('25.00');
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM ledger_transactions WHERE memo = 'transfer'`);
    expect(n).toBe(25);
  });

  it('20 parallel drafts with one Idempotency-Key make exactly one voucher; 20 parallel approvals post it once', async () => {
    const body = posting(
      [
        { account: 'bank:D', debit: '7.00' },
        { account: 'equity:A', credit: '7.00' },
      ],
      '2026-03-03',
      'retried receipt',
    );
    const results = await Promise.all(
      Array.from({ length: 20 }, () => maker.post('/api/v1/ledger/transactions').set('Idempotency-Key', 'retry-me').send(body)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM ledger_vouchers WHERE request->>'memo' = 'retried receipt'`);
    expect(n).toBe(1);

    const approvals = await Promise.all(Array.from({ length: 20 }, () => checker.post(`/api/v1/ledger/transactions/${results[0].body.id}/approve`)));
    expect(approvals.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of approvals.filter((x) => x.status !== 201)) expect(r.body.code).toBe('INVALID_STATE');
    const [{ posted }] = await t.ds.query(`SELECT count(*)::int AS posted FROM ledger_transactions WHERE memo = 'retried receipt'`);
    expect(posted).toBe(1);
    const bank = await maker.get('/api/v1/ledger/accounts/bank:D').expect(200);
    expect(bank.body.balance).toBe('7.00');
  });

  it('10 parallel reversal drafts of one transaction: exactly one waits for approval; it posts once', async () => {
    const original = await post(
      t,
      posting(
        [
          { account: 'bank:D', debit: '3.00' },
          { account: 'equity:A', credit: '3.00' },
        ],
        '2026-03-04',
        'to be reversed',
      ),
    );
    const drafts = await Promise.all(
      Array.from({ length: 10 }, () => maker.post(`/api/v1/ledger/transactions/${original.body.id}/reversal`).send({ reason: 'duplicate' })),
    );
    const drafted = drafts.filter((d) => d.status === 201);
    expect(drafted).toHaveLength(1);
    for (const r of drafts.filter((x) => x.status !== 201)) expect(r.body.code).toBe('INVALID_STATE');
    await checker.post(`/api/v1/ledger/transactions/${drafted[0].body.id}/approve`).expect(201);
    const again = await maker.post(`/api/v1/ledger/transactions/${original.body.id}/reversal`).send({ reason: 'again' }).expect(409);
    expect(again.body.code).toBe('ALREADY_REVERSED');
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM ledger_transactions WHERE reverses_id = $1`, [original.body.id]);
    expect(n).toBe(1);
    const bank = await maker.get('/api/v1/ledger/accounts/bank:D').expect(200);
    expect(bank.body.balance).toBe('7.00');
  });

  it('60 parallel postings on one account: its statement adds up line by line, in account_seq 1..n', async () => {
    // The hot account sits between its counterparts in id order, so some postings hold a lock while they wait for
    // it and others take it first: the order balances move in is not the order line ids are drawn in.
    await openAccount(t, 'side:1', 'liability', true);
    await openAccount(t, 'side:2', 'liability', true);
    await openAccount(t, 'hot', 'asset');
    await openAccount(t, 'side:3', 'liability', true);
    await openAccount(t, 'side:4', 'liability', true);
    await post(
      t,
      posting(
        [
          { account: 'hot', debit: '10000.00' },
          { account: 'side:1', credit: '10000.00' },
        ],
        '2026-03-05',
        'hot opening',
      ),
    );
    const sides = ['side:1', 'side:2', 'side:3', 'side:4'];
    const bodies = Array.from({ length: 60 }, (_, i) => {
      const cents = 101 + i * 37;
      const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
      const a = sides[i % 4];
      const b = sides[(i + 1 + (i % 3)) % 4];
      return i % 3 === 2
        ? posting(
            [
              { account: 'hot', credit: amount },
              { account: a, debit: amount },
            ],
            '2026-03-06',
            `hot out ${i}`,
          )
        : posting(
            [
              { account: 'hot', debit: amount },
              { account: a, credit: '0.01' },
              { account: b, credit: subtractCent(amount) },
            ],
            '2026-03-06',
            `hot in ${i}`,
          );
    });
    const vouchers = await Promise.all(bodies.map((b) => draft(t, b)));
    const results = await Promise.all(vouchers.map((id) => checker.post(`/api/v1/ledger/transactions/${id}/approve`)));
    expect(results.map((r) => r.status)).toEqual(Array(60).fill(201));

    const items: { debit?: string; credit?: string; balanceAfter: string }[] = [];
    for (let cursor: string | null = ''; cursor !== null;) {
      const page: { items: typeof items; nextCursor: string | null } = (
        await maker.get(`/api/v1/ledger/accounts/hot/statement?limit=7${cursor ? `&cursor=${cursor}` : ''}`).expect(200)
      ).body;
      items.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(items).toHaveLength(61);
    const broken: string[] = [];
    let running = new Decimal(0);
    items.forEach((line, i) => {
      running = running.plus(line.debit ?? 0).minus(line.credit ?? 0);
      if (!running.eq(line.balanceAfter)) broken.push(`line ${i + 1}: ${running.toFixed(2)} expected, ${line.balanceAfter} shown`);
      running = new Decimal(line.balanceAfter);
    });
    expect(broken).toEqual([]);
    const hot = await maker.get('/api/v1/ledger/accounts/hot').expect(200);
    expect(items[items.length - 1].balanceAfter).toBe(hot.body.balance);

    const seqs: { account_seq: string }[] = await t.ds.query(
      `SELECT l.account_seq FROM ledger_lines l JOIN ledger_accounts a ON a.id = l.account_id WHERE a.code = 'hot' ORDER BY l.account_seq`,
    );
    expect(seqs.map((r) => Number(r.account_seq))).toEqual(Array.from({ length: 61 }, (_, i) => i + 1));
    const [{ lineCount }] = await t.ds.query(`SELECT line_count AS "lineCount" FROM ledger_accounts WHERE code = 'hot'`);
    expect(lineCount).toBe('61');
  });

  it('leaves every kept balance equal to the sum of its lines and the event chain intact', async () => {
    expect(await sumOfLinesMismatches(t)).toEqual([]);
    await t.seal();
    const report = await verifyEvents(t.ds);
    expect(report.ok).toBe(true);
    const [{ tx }] = await t.ds.query(`SELECT count(*)::int AS tx FROM ledger_transactions`);
    const [{ events }] = await t.ds.query(`SELECT count(*)::int AS events FROM audit_events`);
    expect(report.counties[0]).toMatchObject({ events: String(events), unsealed: '0' });
    const [{ posted }] = await t.ds.query(`SELECT count(*)::int AS posted FROM audit_events WHERE type LIKE 'ledger.transaction.%'`);
    expect(posted).toBe(tx);
  });
});

function subtractCent(amount: string): string {
  return new Decimal(amount).minus('0.01').toFixed(2);
}
