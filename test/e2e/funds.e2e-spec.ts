import { Client } from 'pg';
import { As, TestApp, counts, startTestApp } from '../support/app';
import { CHECKER, MAKER, reverse, sumOfLinesMismatches } from '../support/factories';

/** Dedicated accounts (專戶), fund allocations (指標) with their receipt in both books, and policy parameters. */
describe('funds and policies', () => {
  let t: TestApp;
  let maker: As;
  let leader: As;
  let auditor: As;
  let dedicatedId: number;

  const allocation = (over: Record<string, unknown> = {}) => ({
    documentNumber: '鄂財農發〔2026〕12號',
    issuingLevel: 'provincial',
    fundType: '財政專項扶貧資金',
    fiscalYear: 2026,
    amount: '13210000.00',
    permittedCategories: ['industry', 'infrastructure', 'social_services', 'training'],
    dedicatedAccountId: dedicatedId,
    receivedOn: '2026-03-01',
    ...over,
  });

  beforeAll(async () => {
    t = await startTestApp();
    maker = await t.as(MAKER);
    await t.as(CHECKER);
    leader = await t.as('leader', ['county_leader']);
    auditor = await t.as('auditor', ['auditor']);
    const [officer] = await t.ds.query(`SELECT id FROM users WHERE username = $1`, [MAKER]);
    const res = await maker
      .post('/api/v1/dedicated-accounts')
      .send({ code: 'D001', bankName: '湖北英山農村商業銀行', accountName: '英山縣扶貧資金專戶', accountNumber: '82010000000123456', officerId: officer.id })
      .expect(201);
    dedicatedId = res.body.id;
    expect(res.body).toMatchObject({ ledgerAccount: 'bank:D001', balance: '0.00', officerId: officer.id });
  });
  afterAll(() => t.close());

  it('registers allocations and posts each receipt in both books', async () => {
    const a1 = await maker.post('/api/v1/fund-allocations').send(allocation()).expect(201);
    expect(a1.body).toMatchObject({ amount: '13210000.00', received: '13210000.00', unallocated: '13210000.00', fiscalYear: 2026 });
    const a2 = await maker
      .post('/api/v1/fund-allocations')
      .send(
        allocation({
          documentNumber: '鄂發改地振〔2026〕3號',
          issuingLevel: 'central',
          fundType: '以工代賑',
          amount: '6080000.00',
          permittedCategories: ['work_for_relief', 'infrastructure'],
        }),
      )
      .expect(201);
    expect(a2.body.unallocated).toBe('6080000.00');

    const receipt = await auditor.get(`/api/v1/ledger/transactions/${a1.body.receiptTransactionId}`).expect(200);
    expect(receipt.body.lines.map((l: { account: string; debit?: string; credit?: string }) => [l.account, l.debit ?? `-${l.credit}`])).toEqual([
      ['bank:D001', '13210000.00'],
      [`fund:A${a1.body.id}`, '-13210000.00'],
      [`quota:unallocated:A${a1.body.id}`, '13210000.00'],
      [`appropriation:A${a1.body.id}`, '-13210000.00'],
    ]);
    const bank = await auditor.get(`/api/v1/dedicated-accounts/${dedicatedId}`).expect(200);
    expect(bank.body.balance).toBe('19290000.00');

    const tb = await auditor.get('/api/v1/ledger/trial-balance').expect(200);
    expect(tb.body.books.map((b: { book: string; totalDebit: string; totalCredit: string }) => [b.book, b.totalDebit, b.totalCredit])).toEqual([
      ['budget', '19290000.00', '19290000.00'],
      ['financial', '19290000.00', '19290000.00'],
    ]);
    const byType = await auditor.get('/api/v1/fund-allocations?year=2026&fundType=以工代賑').expect(200);
    expect(byType.body.map((a: { documentNumber: string }) => a.documentNumber)).toEqual(['鄂發改地振〔2026〕3號']);
  });

  it('registers a dedicated account whose bank and account names are as long as allowed', async () => {
    const [officer] = await t.ds.query(`SELECT id FROM users WHERE username = $1`, [MAKER]);
    const res = await maker
      .post('/api/v1/dedicated-accounts')
      .send({ code: 'D099', bankName: '行'.repeat(100), accountName: '戶'.repeat(100), accountNumber: '82010000000999999', officerId: officer.id })
      .expect(201);
    expect(res.body).toMatchObject({ bankName: '行'.repeat(100), accountName: '戶'.repeat(100), ledgerAccount: 'bank:D099' });
  });

  it('refuses a second allocation with the same 文號, writing nothing', async () => {
    const before = await counts(t.ds);
    const res = await maker
      .post('/api/v1/fund-allocations')
      .send(allocation({ amount: '1.00' }))
      .expect(409);
    expect(res.body).toMatchObject({ code: 'DUPLICATE_DOCUMENT', details: { fields: [{ field: 'documentNumber' }] } });
    expect(await counts(t.ds)).toEqual(before);
  });

  it.each([
    ['a zero amount', { amount: '0.00' }, 'amount'],
    ['a 3-decimal amount', { amount: '1.001' }, 'amount'],
    ['an unknown fund type', { fundType: '其它資金' }, 'fundType'],
    ['an unknown category', { permittedCategories: ['luxury'] }, 'permittedCategories'],
    ['no category', { permittedCategories: [] }, 'permittedCategories'],
    ['an unknown issuing level', { issuingLevel: 'township' }, 'issuingLevel'],
    ['an impossible date', { receivedOn: '2026-02-30' }, 'receivedOn'],
    ['a receipt in the future', { receivedOn: '2099-01-01' }, 'receivedOn'],
  ])('refuses %s', async (_name, over, field) => {
    const before = await counts(t.ds);
    const res = await maker
      .post('/api/v1/fund-allocations')
      .send(allocation({ documentNumber: 'X-1', ...over }))
      .expect(400);
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(await counts(t.ds)).toEqual(before);
  });

  it("refuses an allocation into another county's dedicated account", async () => {
    const sql = new Client({ connectionString: t.url });
    await sql.connect();
    try {
      const { rows } = await sql.query(`INSERT INTO counties (code, name) VALUES ('421122', '羅田縣') RETURNING id`);
      const county = rows[0].id;
      await sql.query(`INSERT INTO org_units (county_id, parent_id, level, code, name, path) VALUES ($1, NULL, 'county', '421122', '羅田縣', '')`, [county]);
      const unit = (await sql.query(`SELECT id FROM org_units WHERE county_id = $1`, [county])).rows[0].id;
      const user = (
        await sql.query(
          `INSERT INTO users (county_id, org_unit_id, username, display_name, password_hash, roles) VALUES ($1, $2, 'luotian', 'x', 'x', '{county_finance}') RETURNING id`,
          [county, unit],
        )
      ).rows[0].id;
      const account = (
        await sql.query(
          `INSERT INTO ledger_accounts (county_id, code, name, book, type, normal_side, allow_negative, restricted_outflow)
           VALUES ($1, 'bank:LT01', 'x', 'financial', 'asset', 'debit', false, true) RETURNING id`,
          [county],
        )
      ).rows[0].id;
      const other = (
        await sql.query(
          `INSERT INTO dedicated_accounts (county_id, code, bank_name, account_name, account_number, officer_id, ledger_account_id)
           VALUES ($1, 'LT01', 'b', 'a', '12340000', $2, $3) RETURNING id`,
          [county, user, account],
        )
      ).rows[0].id;
      const before = await counts(t.ds);
      const res = await maker
        .post('/api/v1/fund-allocations')
        .send(allocation({ documentNumber: 'X-2', dedicatedAccountId: other }))
        .expect(404);
      expect(res.body.details.fields[0].field).toBe('dedicatedAccountId');
      expect(await counts(t.ds)).toEqual(before);
    } finally {
      await sql.end();
    }
  });

  it('refuses moving money out of a dedicated account other than by a payment (轉移), in code and in the database', async () => {
    const before = await counts(t.ds);
    await maker.post('/api/v1/ledger/accounts').send({ code: 'other:bank', name: 'x', book: 'financial', type: 'asset', allowNegative: false }).expect(201);
    const after = await counts(t.ds);
    const res = await maker
      .post('/api/v1/ledger/transactions')
      .send({
        effectiveDate: '2026-04-01',
        memo: '轉出',
        lines: [
          { account: 'other:bank', debit: '100.00' },
          { account: 'bank:D001', credit: '100.00' },
        ],
      })
      .expect(422);
    expect(res.body).toMatchObject({ code: 'DEDICATED_ACCOUNT_OUTFLOW', details: { account: 'bank:D001' } });
    expect(await counts(t.ds)).toEqual(after);
    expect(after.accounts).toBe(before.accounts + 1);

    const sql = new Client({ connectionString: t.url });
    await sql.connect();
    try {
      await sql.query('BEGIN');
      const id = (await sql.query(`SELECT gen_random_uuid() AS id`)).rows[0].id;
      await sql.query(`INSERT INTO ledger_transactions (id, county_id, effective_date, memo) VALUES ($1, 1, '2026-04-01', 'x')`, [id]);
      await expect(
        sql.query(
          `INSERT INTO ledger_lines (transaction_id, county_id, account_id, book, line_no, debit, credit, effective_date)
           SELECT $1, 1, id, 'financial', 1, 0, 100, '2026-04-01' FROM ledger_accounts WHERE code = 'bank:D001'`,
          [id],
        ),
      ).rejects.toMatchObject({ code: 'FL007' });
      await sql.query('ROLLBACK');
    } finally {
      await sql.end();
    }
  });

  it('lets a receipt be reversed (purpose reversal), by two people', async () => {
    const a = await maker
      .post('/api/v1/fund-allocations')
      .send(allocation({ documentNumber: '錯誤登記〔2026〕1號', amount: '100.00' }))
      .expect(201);
    const res = await reverse(t, a.body.receiptTransactionId, { reason: '文號登記錯誤' });
    expect(res.status).toBe(201);
    expect((await auditor.get(`/api/v1/fund-allocations/${a.body.id}`).expect(200)).body).toMatchObject({ received: '0.00', unallocated: '0.00' });
    expect(await sumOfLinesMismatches(t)).toEqual([]);
  });

  describe('policy parameters', () => {
    it('start at the defaults of the design', async () => {
      const res = await auditor.get('/api/v1/policies?asOf=2026-06-01').expect(200);
      expect(res.body.values.retention_rate).toEqual({ value: '0.15', effectiveFrom: null, changeId: null });
      expect(res.body.values.publicity_min_days.value).toBe('10');
    });

    it('change only when a different person approves, from the date the change names', async () => {
      const proposed = await maker
        .post('/api/v1/policies/changes')
        .send({ key: 'retention_rate', value: '0.10', effectiveFrom: '2027-01-01', reason: '縣政府常務會議決定' })
        .expect(201);
      expect(proposed.body).toMatchObject({ state: 'proposed', warnings: [expect.stringMatching(/3%/)] });
      expect((await auditor.get('/api/v1/policies?asOf=2027-01-01').expect(200)).body.values.retention_rate.value).toBe('0.15');
      expect((await maker.post(`/api/v1/policies/changes/${proposed.body.id}/approve`).expect(403)).body.code).toBe('SAME_HAND');
      await leader.post(`/api/v1/policies/changes/${proposed.body.id}/approve`).expect(200);
      expect((await leader.post(`/api/v1/policies/changes/${proposed.body.id}/approve`).expect(409)).body.code).toBe('INVALID_STATE');
      expect((await auditor.get('/api/v1/policies?asOf=2026-12-31').expect(200)).body.values.retention_rate.value).toBe('0.15');
      expect((await auditor.get('/api/v1/policies?asOf=2027-01-01').expect(200)).body.values.retention_rate).toEqual({
        value: '0.10',
        effectiveFrom: '2027-01-01',
        changeId: proposed.body.id,
      });
    });

    it.each([
      ['a retention rate above 100%', 'retention_rate', '1.01'],
      ['a negative retention rate', 'retention_rate', '-0.01'],
      ['publicity days below 1', 'publicity_min_days', '0'],
      ['a threshold with 3 decimals', 'leader_signoff_threshold', '1.001'],
      ['a change taking effect in the past', 'publicity_min_days', '12', '2026-01-01', 'effectiveFrom'],
    ])('refuse %s, writing nothing', async (_name, key, value, effectiveFrom = '2027-01-01', field = 'value') => {
      const before = await counts(t.ds);
      const res = await maker.post('/api/v1/policies/changes').send({ key, value, effectiveFrom, reason: 'x' }).expect(400);
      expect(res.body.details.fields[0].field).toBe(field);
      expect(await counts(t.ds)).toEqual(before);
    });
  });
});
