import { As, ADMIN, TestApp, counts, startTestApp } from '../support/app';
import { CHECKER, MAKER, sumOfLinesMismatches } from '../support/factories';

/** Contracts: terms, tender record, retention rate fixed at signing, budget committed source by source. */
describe('contracts', () => {
  let t: TestApp;
  let maker: As;
  let checker: As;
  let auditor: As;
  let road: number;
  let a1: number;
  let a2: number;

  const contract = (over: Record<string, unknown> = {}) => ({
    title: '通村公路硬化',
    payee: { name: '英山縣路橋工程有限公司', type: 'company', bank: '英山農商行', account: '8201000000999' },
    amount: '200000.00',
    schedule: [
      { percent: '40', milestone: '路基完工' },
      { percent: '50', milestone: '路面完工' },
      { percent: '10', milestone: '驗收合格' },
    ],
    letters: { countyToTownship: { reference: '英扶責〔2026〕8號', date: '2026-04-01' }, townshipToVillage: { reference: '溫扶責〔2026〕3號', date: '2026-04-05' } },
    ...over,
  });

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await t.as(ADMIN.username);
    const [root] = (await admin.get('/api/v1/org-units?limit=1').expect(200)).body;
    const t1 = (await admin.post('/api/v1/org-units').send({ parentId: root.id, code: 'T1', name: '溫泉鎮' }).expect(201)).body;
    const v1 = (await admin.post('/api/v1/org-units').send({ parentId: t1.id, code: 'V1', name: '溫泉鎮一村' }).expect(201)).body;
    const village = await t.as('village1', ['village'], v1.id);
    const township = await t.as('township1', ['township_finance'], t1.id);
    const line = await t.as('poverty-office', ['line_department']);
    maker = await t.as(MAKER);
    checker = await t.as(CHECKER);
    auditor = await t.as('auditor', ['auditor']);
    const [officer] = await t.ds.query(`SELECT id FROM users WHERE username = $1`, [MAKER]);
    const d = (
      await maker.post('/api/v1/dedicated-accounts').send({ code: 'D001', bankName: 'b', accountName: 'a', accountNumber: '8201000001', officerId: officer.id }).expect(201)
    ).body;
    const base = { issuingLevel: 'provincial', fiscalYear: 2026, dedicatedAccountId: d.id, receivedOn: '2026-03-01' };
    a1 = (await maker.post('/api/v1/fund-allocations').send({ ...base, documentNumber: 'A1', fundType: '以工代賑', amount: '120000.00', permittedCategories: ['infrastructure'] }).expect(201)).body.id;
    a2 = (await maker.post('/api/v1/fund-allocations').send({ ...base, documentNumber: 'A2', fundType: '財政專項扶貧資金', amount: '500000.00', permittedCategories: ['infrastructure'] }).expect(201)).body.id;
    road = (
      await village
        .post('/api/v1/projects')
        .send({
          name: '通村公路', category: 'infrastructure', location: '一村', startDate: '2026-04-01', endDate: '2026-10-31', responsibleUnit: '村委會',
          responsiblePerson: '王', tasks: '硬化3公里', fundScale: '300000.00', beneficiaryHouseholds: 200, poorHouseholds: 60,
          performanceTargets: ['通行'], povertyMechanism: '務工',
        })
        .expect(201)
    ).body.id;
    await township.post(`/api/v1/projects/${road}/review`).send({ reason: 'ok' }).expect(200);
    await line.post(`/api/v1/projects/${road}/enter-library`).send({ reason: 'ok' }).expect(200);
    await maker.post(`/api/v1/projects/${road}/budget-lines`).send({ allocationId: a1, amount: '100000.00' }).expect(201);
    await maker.post(`/api/v1/projects/${road}/budget-lines`).send({ allocationId: a2, amount: '150000.00' }).expect(201);
  });
  afterAll(() => t.close());

  it('drafts, and on a second person signing fixes the retention rate and commits budget source by source', async () => {
    const draft = await maker.post(`/api/v1/projects/${road}/contracts`).send(contract()).expect(201);
    expect(draft.body).toMatchObject({ state: 'draft', retentionRate: null, commitTransactionId: null, amount: '200000.00' });
    expect((await maker.post(`/api/v1/contracts/${draft.body.id}/sign`).expect(403)).body.code).toBe('SAME_HAND');
    const signed = await checker.post(`/api/v1/contracts/${draft.body.id}/sign`).expect(200);
    expect(signed.body).toMatchObject({ state: 'signed', retentionRate: '0.15', warnings: [expect.stringMatching(/3%/)] });

    const commit = await auditor.get(`/api/v1/ledger/transactions/${signed.body.commitTransactionId}`).expect(200);
    expect(commit.body.lines.map((l: { account: string; debit?: string; credit?: string }) => [l.account, l.debit ?? `-${l.credit}`])).toEqual([
      [`quota:committed:C${draft.body.id}:A${a1}`, '100000.00'],
      [`quota:project:P${road}:A${a1}`, '-100000.00'],
      [`quota:committed:C${draft.body.id}:A${a2}`, '100000.00'],
      [`quota:project:P${road}:A${a2}`, '-100000.00'],
    ]);
    const report = (await auditor.get(`/api/v1/reports/projects/${road}`).expect(200)).body;
    expect(report).toMatchObject({ budget: '250000.00', committed: '200000.00', available: '50000.00' });
    const r2 = (await auditor.get(`/api/v1/reports/allocations/${a2}`).expect(200)).body;
    expect(r2).toMatchObject({ received: '500000.00', allocated: '150000.00', committed: '100000.00', available: '350000.00' });
    expect((await checker.post(`/api/v1/contracts/${draft.body.id}/sign`).expect(409)).body.code).toBe('INVALID_STATE');
  });

  it('refuses a contract beyond the project’s available budget, committing nothing', async () => {
    const draft = await maker.post(`/api/v1/projects/${road}/contracts`).send(contract({ amount: '50000.01', schedule: [] })).expect(201);
    const before = await counts(t.ds);
    const res = await checker.post(`/api/v1/contracts/${draft.body.id}/sign`).expect(422);
    expect(res.body).toMatchObject({ code: 'BUDGET_EXCEEDED', details: { available: '50000.00' } });
    expect(await counts(t.ds)).toEqual(before);
  });

  it.each([
    ['stages that do not add up to 100%', { schedule: [{ percent: '40', milestone: 'a' }, { percent: '50', milestone: 'b' }] }, 400, 'schedule'],
    ['a retention rate above 100%', { retentionOverride: { rate: '1.5', reason: 'x' } }, 400, 'retentionOverride.rate'],
    ['a negative retention rate', { retentionOverride: { rate: '-0.1', reason: 'x' } }, 400, 'retentionOverride.rate'],
    ['a tender won by no bidder', { tender: { method: '公開招標', date: '2026-04-15', bidders: ['甲'], winner: '乙' } }, 400, 'tender.winner'],
    ['no tender above the threshold', { amount: '1000000.01' }, 422, 'tender'],
    ['an impossible letter date', { letters: { countyToTownship: { reference: 'x', date: '2026-02-30' }, townshipToVillage: { reference: 'y', date: '2026-04-05' } } }, 400, 'letters.countyToTownship.date'],
  ])('refuses %s, writing nothing', async (_name, over, status, field) => {
    const before = await counts(t.ds);
    const res = await maker.post(`/api/v1/projects/${road}/contracts`).send(contract(over)).expect(status);
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(await counts(t.ds)).toEqual(before);
  });

  it('takes an override of the retention rate with its reason, and the books still balance', async () => {
    const draft = await maker
      .post(`/api/v1/projects/${road}/contracts`)
      .send(contract({ amount: '30000.00', schedule: [], retentionOverride: { rate: '0.03', reason: '建質〔2017〕138號' } }))
      .expect(201);
    const signed = await checker.post(`/api/v1/contracts/${draft.body.id}/sign`).expect(200);
    expect(signed.body).toMatchObject({ retentionRate: '0.03', warnings: [], retentionOverride: { rate: '0.03', reason: '建質〔2017〕138號' } });
    expect(await sumOfLinesMismatches(t)).toEqual([]);
  });
});
