import { As, TestApp, counts, startTestApp } from '../support/app';
import { MAKER, approve, draft, openCountyBooks } from '../support/factories';

/** Every refusal: the status, the stable code, the field at fault, and nothing written. */
describe('bad input is refused and changes nothing', () => {
  let t: TestApp;
  let fin: As;

  beforeAll(async () => {
    t = await startTestApp();
    await openCountyBooks(t);
    fin = await t.as(MAKER);
    const res = await approve(t, await draft(t, valid(), 'taken'));
    expect(res.status).toBe(201);
  });
  afterAll(() => t.close());

  function valid(amount: unknown = '10.00') {
    return {
      effectiveDate: '2026-03-01',
      memo: 'receipt',
      lines: [
        { account: 'bank:D', debit: amount },
        { account: 'equity:A', credit: amount },
      ],
    };
  }

  const withLines = (lines: unknown[]) => ({ ...valid(), lines });

  const cases: { name: string; body: unknown; status: number; code: string; field?: string; key?: string }[] = [
    { name: 'amount as a JSON number', body: valid(10), status: 400, code: 'VALIDATION_FAILED', field: 'lines.0.debit' },
    { name: 'negative amount', body: valid('-10.00'), status: 400, code: 'VALIDATION_FAILED', field: 'lines.0.debit' },
    { name: 'zero amount', body: valid('0.00'), status: 400, code: 'VALIDATION_FAILED', field: 'lines.0.debit' },
    { name: 'three decimals', body: valid('10.005'), status: 400, code: 'VALIDATION_FAILED', field: 'lines.0.debit' },
    { name: '17 integer digits', body: valid('12345678901234567'), status: 400, code: 'VALIDATION_FAILED', field: 'lines.0.debit' },
    { name: 'exponent notation', body: valid('1e3'), status: 400, code: 'VALIDATION_FAILED', field: 'lines.0.debit' },
    { name: 'NaN', body: valid('NaN'), status: 400, code: 'VALIDATION_FAILED', field: 'lines.0.debit' },
    { name: 'empty string', body: valid(''), status: 400, code: 'VALIDATION_FAILED', field: 'lines.0.debit' },
    { name: 'leading zero', body: valid('010.00'), status: 400, code: 'VALIDATION_FAILED', field: 'lines.0.debit' },
    {
      name: 'a line with both debit and credit',
      body: withLines([
        { account: 'bank:D', debit: '1.00', credit: '1.00' },
        { account: 'equity:A', credit: '1.00' },
      ]),
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'lines.0',
    },
    {
      name: 'a line with neither',
      body: withLines([{ account: 'bank:D' }, { account: 'equity:A', credit: '1.00' }]),
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'lines.0',
    },
    { name: 'one line only', body: withLines([{ account: 'bank:D', debit: '1.00' }]), status: 400, code: 'VALIDATION_FAILED', field: 'lines' },
    { name: 'lines not an array', body: { ...valid(), lines: 'x' }, status: 400, code: 'VALIDATION_FAILED', field: 'lines' },
    {
      name: 'unknown account',
      body: withLines([
        { account: 'bank:D', debit: '1.00' },
        { account: 'no:such', credit: '1.00' },
      ]),
      status: 422,
      code: 'UNKNOWN_ACCOUNT',
      field: 'lines.1.account',
    },
    {
      name: 'accounts of two books, so neither book balances',
      body: withLines([
        { account: 'bank:D', debit: '1.00' },
        { account: 'budget:source:A', credit: '1.00' },
      ]),
      status: 422,
      code: 'UNBALANCED_TRANSACTION',
    },
    {
      name: 'unbalanced lines',
      body: withLines([
        { account: 'bank:D', debit: '1.00' },
        { account: 'equity:A', credit: '0.99' },
      ]),
      status: 422,
      code: 'UNBALANCED_TRANSACTION',
    },
    { name: 'missing effectiveDate', body: { ...valid(), effectiveDate: undefined }, status: 400, code: 'VALIDATION_FAILED', field: 'effectiveDate' },
    { name: 'impossible date', body: { ...valid(), effectiveDate: '2026-02-30' }, status: 400, code: 'VALIDATION_FAILED', field: 'effectiveDate' },
    { name: 'date in another format', body: { ...valid(), effectiveDate: '03/01/2026' }, status: 400, code: 'VALIDATION_FAILED', field: 'effectiveDate' },
    { name: 'missing memo', body: { ...valid(), memo: undefined }, status: 400, code: 'VALIDATION_FAILED', field: 'memo' },
    { name: 'unknown top-level field', body: { ...valid(), postedBy: 'x' }, status: 400, code: 'VALIDATION_FAILED', field: 'postedBy' },
    {
      name: 'unknown field in a line',
      body: withLines([
        { account: 'bank:D', debit: '1.00', balanceAfter: '0' },
        { account: 'equity:A', credit: '1.00' },
      ]),
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'lines.0.balanceAfter',
    },
    { name: 'malformed JSON', body: '{"effectiveDate": "2026-03-01", ', status: 400, code: 'MALFORMED_JSON' },
    { name: 'body over the size limit', body: { ...valid(), memo: 'x'.repeat(1_100_000) }, status: 413, code: 'PAYLOAD_TOO_LARGE' },
    { name: 'idempotency key reused with another body', body: valid('11.00'), key: 'taken', status: 409, code: 'IDEMPOTENCY_MISMATCH' },
    { name: 'mass assignment of an org unit', body: { ...valid(), orgUnitId: 1 }, status: 400, code: 'VALIDATION_FAILED', field: 'orgUnitId' },
    { name: 'idempotency key with control characters', body: valid(), key: 'a b', status: 400, code: 'VALIDATION_FAILED', field: 'Idempotency-Key' },
  ];

  it.each(cases)('$name → $status $code', async ({ body, status, code, field, key }) => {
    const before = await counts(t.ds);
    let req = fin.post('/api/v1/ledger/transactions').set('Content-Type', 'application/json');
    if (key) req = req.set('Idempotency-Key', key);
    const res = await req.send(typeof body === 'string' ? body : JSON.stringify(body));
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    expect(typeof res.body.message).toBe('string');
    if (field) expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(JSON.stringify(res.body)).not.toMatch(/INSERT|SELECT|at .*\.ts:/);
    expect(await counts(t.ds)).toEqual(before);
  });

  it.each([
    {
      name: 'type of another book',
      body: { code: 'x', name: 'x', book: 'budget', type: 'asset', allowNegative: false },
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'type',
    },
    {
      name: 'unknown type',
      body: { code: 'x', name: 'x', book: 'financial', type: 'cash', allowNegative: false },
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'type',
    },
    {
      name: 'code with spaces',
      body: { code: 'a b', name: 'x', book: 'financial', type: 'asset', allowNegative: false },
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'code',
    },
    {
      name: 'allowNegative as a string',
      body: { code: 'y', name: 'x', book: 'financial', type: 'asset', allowNegative: 'no' },
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'allowNegative',
    },
    {
      name: 'a balance set at opening',
      body: { code: 'z', name: 'x', book: 'financial', type: 'asset', allowNegative: false, balance: '100.00' },
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'balance',
    },
    {
      name: 'duplicate code',
      body: { code: 'bank:D', name: 'x', book: 'financial', type: 'asset', allowNegative: false },
      status: 409,
      code: 'DUPLICATE_ACCOUNT',
      field: 'code',
    },
  ])('account: $name → $status $code', async ({ body, status, code, field }) => {
    const before = await counts(t.ds);
    const res = await fin.post('/api/v1/ledger/accounts').send(body);
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(await counts(t.ds)).toEqual(before);
  });

  it('refuses at approval, writing nothing, more out of a non-negative account than it holds', async () => {
    const voucherId = await draft(t, {
      ...valid(),
      lines: [
        { account: 'equity:A', debit: '11.00' },
        { account: 'bank:D', credit: '11.00' },
      ],
    });
    const before = await counts(t.ds);
    const res = await approve(t, voucherId);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'INSUFFICIENT_BALANCE', details: { account: 'bank:D' } });
    expect(await counts(t.ds)).toEqual(before);
    expect((await fin.get(`/api/v1/ledger/vouchers/${voucherId}`).expect(200)).body.state).toBe('draft');
  });

  it('refuses, writing nothing, amounts that each fit but whose balance would pass numeric(20,2)', async () => {
    const big = '9999999999999999.99';
    const lines = [
      ...Array.from({ length: 100 }, () => ({ account: 'bank:D', debit: big })),
      ...Array.from({ length: 100 }, () => ({ account: 'equity:A', credit: big })),
    ];
    const voucherId = await draft(t, { ...valid(), lines });
    const before = await counts(t.ds);
    const res = await approve(t, voucherId);
    expect([res.status, res.body.code]).toEqual([422, 'AMOUNT_OUT_OF_RANGE']);
    expect(await counts(t.ds)).toEqual(before);
    const auditor = await t.as('bad-input-auditor', ['auditor']);
    const events = await auditor.get('/api/v1/audit/events?afterSeq=9999999999999999999');
    expect([events.status, events.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('answers unknown objects and routes with 404 NOT_FOUND', async () => {
    const before = await counts(t.ds);
    // One row, one id: the upper-case spelling of a transaction's UUID names nothing.
    const [{ id }] = await t.ds.query(`SELECT id FROM ledger_transactions LIMIT 1`);
    await fin.get(`/api/v1/ledger/transactions/${id}`).expect(200);
    expect((await fin.get(`/api/v1/ledger/transactions/${String(id).toUpperCase()}`).expect(404)).body.code).toBe('NOT_FOUND');
    for (const path of [
      '/api/v1/ledger/accounts/none',
      '/api/v1/ledger/transactions/not-a-uuid',
      '/api/v1/ledger/transactions/00000000-0000-4000-8000-000000000000',
      '/api/v1/nothing',
    ]) {
      const res = await fin.get(path).expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    const rev = await fin.post('/api/v1/ledger/transactions/00000000-0000-4000-8000-000000000000/reversal').send({ reason: 'x' }).expect(404);
    expect(rev.body.code).toBe('NOT_FOUND');
    const noReason = await fin.post('/api/v1/ledger/transactions/00000000-0000-4000-8000-000000000000/reversal').send({}).expect(400);
    expect(noReason.body.details.fields[0].field).toBe('reason');
    expect(await counts(t.ds)).toEqual(before);
  });

  it('refuses bad list parameters', async () => {
    for (const q of ['limit=0', 'limit=1001', 'limit=abc', 'cursor=-1', 'from=yesterday', 'cursor=9999999999999999999']) {
      const res = await fin.get(`/api/v1/ledger/accounts/bank:D/statement?${q}`).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    const tb = await fin.get('/api/v1/ledger/trial-balance?book=cash').expect(400);
    expect(tb.body.details.fields[0].field).toBe('book');
  });
});
