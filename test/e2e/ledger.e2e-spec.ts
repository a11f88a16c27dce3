import { ADMIN, As, TestApp, startTestApp } from '../support/app';
import { CHECKER, MAKER, draft, openCountyBooks, post, posting, reverse, sumOfLinesMismatches } from '../support/factories';

describe('ledger over HTTP', () => {
  let t: TestApp;
  let fin: As;
  let auditor: As;

  beforeAll(async () => {
    t = await startTestApp();
    await openCountyBooks(t);
    fin = await t.as(MAKER);
    auditor = await t.as('auditor1', ['auditor']);
  });
  afterAll(() => t.close());

  const receipt = (amount: string, date = '2026-03-01') =>
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

  it('answers health with the database status', async () => {
    const res = await fin.get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', database: { status: 'up', migrations: 'current' } });
  });

  it('posts a transaction in both books and keeps every balance', async () => {
    const res = await post(t, receipt('1000000.00'));
    expect(res.body.lines).toEqual([
      { lineNo: 1, account: 'bank:D', book: 'financial', debit: '1000000.00', balanceAfter: '1000000.00' },
      { lineNo: 2, account: 'equity:A', book: 'financial', credit: '1000000.00', balanceAfter: '1000000.00' },
      { lineNo: 3, account: 'budget:available:A', book: 'budget', debit: '1000000.00', balanceAfter: '1000000.00' },
      { lineNo: 4, account: 'budget:source:A', book: 'budget', credit: '1000000.00', balanceAfter: '1000000.00' },
    ]);
    const got = await fin.get(`/api/v1/ledger/transactions/${res.body.id}`).expect(200);
    expect(got.body).toEqual({ ...res.body, reversedById: null });

    const bank = await fin.get('/api/v1/ledger/accounts/bank:D').expect(200);
    expect(bank.body).toMatchObject({ code: 'bank:D', book: 'financial', normalSide: 'debit', balance: '1000000.00' });
  });

  it('pays out with retention withheld, to the fen', async () => {
    await post(
      t,
      posting(
        [
          { account: 'expense:P', debit: '100000.01' },
          { account: 'bank:D', credit: '85000.01' },
          { account: 'payable:C', credit: '15000.00' },
        ],
        '2026-03-05',
      ),
    );
    const bank = await fin.get('/api/v1/ledger/accounts/bank:D').expect(200);
    expect(bank.body.balance).toBe('914999.99');
  });

  it('pages a statement with the running balance', async () => {
    await post(t, receipt('0.01', '2026-04-01'));
    const first = await fin.get('/api/v1/ledger/accounts/bank:D/statement?limit=2').expect(200);
    expect(first.body.items.map((i: { balanceAfter: string }) => i.balanceAfter)).toEqual(['1000000.00', '914999.99']);
    expect(first.body.items[1]).toMatchObject({ credit: '85000.01', effectiveDate: '2026-03-05' });
    expect(first.body.nextCursor).not.toBeNull();
    const second = await fin.get(`/api/v1/ledger/accounts/bank:D/statement?limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0]).toMatchObject({ debit: '0.01', balanceAfter: '915000.00' });
    expect(second.body.nextCursor).toBeNull();

    const march = await fin.get('/api/v1/ledger/accounts/bank:D/statement?from=2026-03-02&to=2026-03-31').expect(200);
    expect(march.body.items).toHaveLength(1);
    expect(march.body.items[0].credit).toBe('85000.01');
  });

  it('gives a trial balance whose debits equal its credits, now and as of a date', async () => {
    const now = await fin.get('/api/v1/ledger/trial-balance').expect(200);
    for (const book of now.body.books) expect(book.totalDebit).toBe(book.totalCredit);
    const financial = now.body.books.find((b: { book: string }) => b.book === 'financial');
    expect(financial.totalDebit).toBe('1015000.01');

    const before = await fin.get('/api/v1/ledger/trial-balance?book=financial&asOf=2026-03-04').expect(200);
    expect(before.body.books).toHaveLength(1);
    expect(before.body.books[0]).toMatchObject({ book: 'financial', totalDebit: '1000000.00', totalCredit: '1000000.00' });
    expect(before.body.books[0].accounts.find((a: { code: string }) => a.code === 'bank:D').debit).toBe('1000000.00');
  });

  it('reverses a transaction once; the trial balance returns to where it was before the original', async () => {
    const before = await fin.get('/api/v1/ledger/trial-balance').expect(200);
    const original = await post(t, receipt('250.50', '2026-05-01'));
    const reversal = await reverse(t, original.body.id, { reason: '重複錄入', effectiveDate: '2026-05-02' });
    expect(reversal.status).toBe(201);
    expect(reversal.body).toMatchObject({ reversesId: original.body.id, reversalReason: '重複錄入', effectiveDate: '2026-05-02' });
    expect(reversal.body.lines[0]).toMatchObject({ account: 'bank:D', credit: '250.50' });

    const after = await fin.get('/api/v1/ledger/trial-balance').expect(200);
    expect(after.body).toEqual(before.body);

    const again = await fin.post(`/api/v1/ledger/transactions/${original.body.id}/reversal`).send({ reason: 'again' }).expect(409);
    expect(again.body.code).toBe('ALREADY_REVERSED');
    const ofReversal = await fin.post(`/api/v1/ledger/transactions/${reversal.body.id}/reversal`).send({ reason: 'undo' }).expect(409);
    expect(ofReversal.body.code).toBe('REVERSAL_OF_REVERSAL');

    const shown = await fin.get(`/api/v1/ledger/transactions/${original.body.id}`).expect(200);
    expect(shown.body.reversedById).toBe(reversal.body.id);
  });

  it('refuses a reversal dated before its original, writing nothing', async () => {
    const original = await post(t, receipt('3.00', '2026-05-10'));
    const [{ n: before }] = await t.ds.query(`SELECT count(*)::int AS n FROM ledger_vouchers`);
    const res = await fin.post(`/api/v1/ledger/transactions/${original.body.id}/reversal`).send({ reason: '倒簽', effectiveDate: '2026-05-09' }).expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'effectiveDate' }] } });
    const [{ n: after }] = await t.ds.query(`SELECT count(*)::int AS n FROM ledger_vouchers`);
    expect(after).toBe(before);
    expect((await reverse(t, original.body.id, { reason: '同日沖銷', effectiveDate: '2026-05-10' })).status).toBe(201);
  });

  it('refuses a reversal that would take a non-negative account below zero', async () => {
    const original = await post(t, receipt('10.00', '2026-06-01'));
    await post(
      t,
      posting(
        [
          { account: 'expense:P', debit: '915010.00' },
          { account: 'bank:D', credit: '915010.00' },
        ],
        '2026-06-02',
      ),
    );
    const res = await reverse(t, original.body.id, { reason: 'late' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'INSUFFICIENT_BALANCE', details: { account: 'bank:D' } });
  });

  it('replays an idempotent draft and refuses the key with another body', async () => {
    const body = receipt('5.00', '2026-07-01');
    const first = await fin.post('/api/v1/ledger/transactions').set('Idempotency-Key', 'receipt-2026-07-01').send(body).expect(201);
    expect(first.body).toMatchObject({ kind: 'posting', state: 'draft', transactionId: null });
    const again = await fin.post('/api/v1/ledger/transactions').set('Idempotency-Key', 'receipt-2026-07-01').send(body).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await fin.post('/api/v1/ledger/transactions').set('Idempotency-Key', 'receipt-2026-07-01').send(receipt('6.00', '2026-07-01')).expect(409);
    expect(other.body.code).toBe('IDEMPOTENCY_MISMATCH');
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM ledger_vouchers WHERE request->>'effectiveDate' = '2026-07-01'`);
    expect(n).toBe(1);
  });

  it('posts a voucher only when a second person approves it, once', async () => {
    const voucherId = await draft(t, receipt('9.00', '2026-08-01'));
    const before = await fin.get('/api/v1/ledger/accounts/bank:D').expect(200);
    const self = await fin.post(`/api/v1/ledger/transactions/${voucherId}/approve`).expect(403);
    expect(self.body.code).toBe('SAME_HAND');
    expect((await fin.get('/api/v1/ledger/accounts/bank:D').expect(200)).body.balance).toBe(before.body.balance);

    const checker = await t.as(CHECKER);
    const posted = await checker.post(`/api/v1/ledger/transactions/${voucherId}/approve`).expect(201);
    // The answer is the transaction (its own id) and says which voucher posted it.
    expect(posted.body).toMatchObject({ voucherId, lines: expect.any(Array) });
    expect(posted.body.id).not.toBe(voucherId);
    const shown = await auditor.get(`/api/v1/ledger/transactions/${posted.body.id}`).expect(200);
    expect(shown.body).toEqual(posted.body);
    const voucher = await auditor.get(`/api/v1/ledger/vouchers/${voucherId}`).expect(200);
    expect(voucher.body).toMatchObject({ state: 'posted', transactionId: posted.body.id, approvedBy: expect.any(Number) });
    expect(voucher.body.approvedBy).not.toBe(voucher.body.draftedBy);
    const twice = await checker.post(`/api/v1/ledger/transactions/${voucherId}/approve`).expect(409);
    expect(twice.body.code).toBe('INVALID_STATE');
  });

  it('lists accounts by code, filtered by book, type and code prefix, a page at a time', async () => {
    const all = await auditor.get('/api/v1/ledger/accounts').expect(200);
    expect(all.body.map((a: { code: string }) => a.code)).toEqual(['bank:D', 'budget:available:A', 'budget:source:A', 'equity:A', 'expense:P', 'payable:C']);
    expect(all.body[0]).toEqual((await auditor.get('/api/v1/ledger/accounts/bank:D').expect(200)).body);

    const budget = await fin.get('/api/v1/ledger/accounts?book=budget').expect(200);
    expect(budget.body.map((a: { code: string }) => a.code)).toEqual(['budget:available:A', 'budget:source:A']);
    const quota = await fin.get('/api/v1/ledger/accounts?type=quota').expect(200);
    expect(quota.body.map((a: { code: string }) => a.code)).toEqual(['budget:available:A']);
    const prefixed = await fin.get('/api/v1/ledger/accounts?codePrefix=b').expect(200);
    expect(prefixed.body.map((a: { code: string }) => a.code)).toEqual(['bank:D', 'budget:available:A', 'budget:source:A']);
    const none = await fin.get('/api/v1/ledger/accounts?book=financial&codePrefix=budget:').expect(200);
    expect(none.body).toEqual([]);

    const first = await fin.get('/api/v1/ledger/accounts?limit=4').expect(200);
    const second = await fin.get(`/api/v1/ledger/accounts?limit=4&afterCode=${encodeURIComponent(first.body[3].code)}`).expect(200);
    expect([...first.body, ...second.body]).toEqual(all.body);
    expect(second.body).toHaveLength(2);

    const bad = await fin.get('/api/v1/ledger/accounts?type=cash&limit=0').expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['limit', 'type']);
  });

  it('lists audit events in order, one per change, each naming its actor', async () => {
    await t.seal();
    const page = await auditor.get('/api/v1/audit/events?limit=3').expect(200);
    expect(page.body.items.map((e: { seq: string }) => e.seq)).toEqual(['1', '2', '3']);
    expect(page.body.items[0].type).toBe('county.created');
    expect(page.body.items[1].prevHash).toBe(page.body.items[0].hash);
    const rest = await auditor.get(`/api/v1/audit/events?afterSeq=${page.body.nextAfterSeq}&limit=1000`).expect(200);
    const [{ tx }] = await t.ds.query(`SELECT count(*)::int AS tx FROM ledger_transactions`);
    const types = [...page.body.items, ...rest.body.items].map((e: { type: string }) => e.type);
    expect(types.filter((x) => x.startsWith('ledger.transaction.'))).toHaveLength(tx);
    expect(types.filter((x) => x === 'ledger.account.opened')).toHaveLength(6);
    const actors = new Set([...page.body.items, ...rest.body.items].map((e: { actor: string }) => e.actor));
    expect([...actors].sort()).toEqual([ADMIN.username, CHECKER, MAKER, 'system'].sort());
  });

  it('keeps every balance equal to the sum of its lines', async () => {
    expect(await sumOfLinesMismatches(t)).toEqual([]);
  });
});
