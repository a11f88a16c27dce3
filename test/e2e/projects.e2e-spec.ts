import { As, ADMIN, TestApp, counts, startTestApp } from '../support/app';
import { chinaDate } from '../../src/common/dates';
import { CHECKER, MAKER, sumOfLinesMismatches } from '../support/factories';
import { publicityPassed } from '../support/publicity';

/** The project library and allocating money to it, with reports checked against hand-computed figures. */
describe('projects, budget lines and reports', () => {
  let t: TestApp;
  let village: As;
  let township: As;
  let line: As;
  let finance: As;
  let leader: As;
  let auditor: As;
  let a1: number;
  let a2: number;
  const p: Record<string, number> = {};

  const project = (name: string, category: string, over: Record<string, unknown> = {}) => ({
    name,
    category,
    location: '溫泉鎮一村',
    startDate: '2026-04-01',
    endDate: '2026-10-31',
    responsibleUnit: '溫泉鎮一村村委會',
    responsiblePerson: '王建國',
    tasks: '建設內容',
    fundScale: '500000.00',
    beneficiaryHouseholds: 120,
    poorHouseholds: 45,
    performanceTargets: ['帶動45戶貧困戶戶均增收2000元'],
    povertyMechanism: '貧困戶以土地入股，優先務工',
    ...over,
  });

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await t.as(ADMIN.username);
    const [root] = (await admin.get('/api/v1/org-units?limit=1').expect(200)).body;
    const t1 = (await admin.post('/api/v1/org-units').send({ parentId: root.id, code: 'T1', name: '溫泉鎮' }).expect(201)).body;
    const v1 = (await admin.post('/api/v1/org-units').send({ parentId: t1.id, code: 'V1', name: '溫泉鎮一村' }).expect(201)).body;
    village = await t.as('village1', ['village'], v1.id);
    township = await t.as('township1', ['township_finance'], t1.id);
    line = await t.as('poverty-office', ['line_department']);
    finance = await t.as(MAKER);
    await t.as(CHECKER);
    leader = await t.as('leader', ['county_leader']);
    auditor = await t.as('auditor', ['auditor']);

    const [officer] = await t.ds.query(`SELECT id FROM users WHERE username = $1`, [MAKER]);
    const d = await finance
      .post('/api/v1/dedicated-accounts')
      .send({ code: 'D001', bankName: '英山農商行', accountName: '扶貧資金專戶', accountNumber: '8201000001', officerId: officer.id })
      .expect(201);
    const base = { issuingLevel: 'provincial', fiscalYear: 2026, dedicatedAccountId: d.body.id, receivedOn: '2026-03-01' };
    a1 = (
      await finance
        .post('/api/v1/fund-allocations')
        .send({
          ...base,
          documentNumber: 'A1',
          fundType: '財政專項扶貧資金',
          amount: '1500000.00',
          permittedCategories: ['industry', 'infrastructure', 'training'],
        })
        .expect(201)
    ).body.id;
    a2 = (
      await finance
        .post('/api/v1/fund-allocations')
        .send({ ...base, documentNumber: 'A2', fundType: '以工代賑', amount: '600000.00', permittedCategories: ['infrastructure', 'work_for_relief'] })
        .expect(201)
    ).body.id;
  });
  afterAll(() => t.close());

  it('takes a project from proposal through township review into the library, recording each step', async () => {
    for (const [key, category] of [
      ['P1', 'industry'],
      ['P2', 'infrastructure'],
      ['P3', 'training'],
      ['P4', 'industry'],
    ]) {
      const res = await village
        .post('/api/v1/projects')
        .send(project(`項目${key}`, category))
        .expect(201);
      expect(res.body.state).toBe('proposed');
      p[key] = res.body.id;
    }
    for (const key of ['P1', 'P2', 'P3']) {
      expect((await township.post(`/api/v1/projects/${p[key]}/review`).send({ reason: '材料齊全' }).expect(200)).body.state).toBe('township_reviewed');
      await publicityPassed(t.ds, p[key]);
      expect((await line.post(`/api/v1/projects/${p[key]}/enter-library`).send({ reason: '入庫' }).expect(200)).body.state).toBe('in_library');
    }
    const detail = await auditor.get(`/api/v1/projects/${p.P1}`).expect(200);
    expect(detail.body.history.map((h: { action: string; actor: string }) => [h.action, h.actor])).toEqual([
      ['propose', 'village1'],
      ['review', 'township1'],
      ['enter-library', 'poverty-office'],
    ]);
  });

  it('refuses what the lifecycle does not allow, writing nothing', async () => {
    const before = await counts(t.ds);
    expect((await line.post(`/api/v1/projects/${p.P4}/enter-library`).send({ reason: 'skip review' }).expect(409)).body.code).toBe('INVALID_STATE');
    expect((await township.post(`/api/v1/projects/${p.P1}/reject`).send({ reason: 'late' }).expect(409)).body.code).toBe('INVALID_STATE');
    expect((await finance.post(`/api/v1/projects/${p.P4}/review`).send({ reason: 'x' }).expect(403)).body.code).toBe('FORBIDDEN_ROLE');
    const noTargets = await village
      .post('/api/v1/projects')
      .send(project('無目標', 'industry', { performanceTargets: [] }))
      .expect(400);
    expect(noTargets.body.details.fields[0].field).toBe('performanceTargets');
    await village
      .post('/api/v1/projects')
      .send(project('倒置', 'industry', { startDate: '2026-12-01', endDate: '2026-01-01' }))
      .expect(400);
    await finance.post('/api/v1/projects').send(project('縣里提的', 'industry')).expect(403);
    expect(await counts(t.ds)).toEqual(before);
  });

  it('allocates from permitted sources only, up to the threshold at once and above it after a leader signs', async () => {
    const line1 = await finance.post(`/api/v1/projects/${p.P1}/budget-lines`).send({ allocationId: a1, amount: '200000.00' }).expect(201);
    expect(line1.body).toMatchObject({ state: 'posted', signedBy: null });
    expect((await auditor.get(`/api/v1/projects/${p.P1}`).expect(200)).body.state).toBe('planned');
    await finance.post(`/api/v1/projects/${p.P2}/budget-lines`).send({ allocationId: a1, amount: '300000.00' }).expect(201);
    await finance.post(`/api/v1/projects/${p.P2}/budget-lines`).send({ allocationId: a2, amount: '250000.00' }).expect(201);

    const big = await finance.post(`/api/v1/projects/${p.P3}/budget-lines`).send({ allocationId: a1, amount: '600000.00' }).expect(201);
    expect(big.body).toMatchObject({ state: 'awaiting_signature', transactionId: null });
    expect((await auditor.get(`/api/v1/reports/allocations/${a1}`).expect(200)).body.available).toBe('1000000.00');
    await finance.post(`/api/v1/projects/${p.P3}/budget-lines/${big.body.id}/sign`).expect(403);
    const signed = await leader.post(`/api/v1/projects/${p.P3}/budget-lines/${big.body.id}/sign`).expect(200);
    expect(signed.body).toMatchObject({ state: 'posted', signedBy: expect.any(Number) });
    await leader.post(`/api/v1/projects/${p.P3}/budget-lines/${big.body.id}/sign`).expect(409);
  });

  it('counts what a project already has from an allocation against the threshold, so splitting needs the leader too', async () => {
    const first = await finance.post(`/api/v1/projects/${p.P1}/budget-lines`).send({ allocationId: a1, amount: '250000.00' }).expect(201);
    expect(first.body.state).toBe('posted');
    const second = await finance.post(`/api/v1/projects/${p.P1}/budget-lines`).send({ allocationId: a1, amount: '50000.01' }).expect(201);
    expect(second.body.state).toBe('awaiting_signature');
    await leader.post(`/api/v1/projects/${p.P1}/budget-lines/${second.body.id}/sign`).expect(200);
  });

  it('refuses a signature by the proposer, even one who is also a county leader', async () => {
    const both = await t.as('finance-and-leader', ['county_finance', 'county_leader']);
    const proposed = await both.post(`/api/v1/projects/${p.P3}/budget-lines`).send({ allocationId: a1, amount: '500000.01' }).expect(201);
    expect(proposed.body.state).toBe('awaiting_signature');
    const before = await counts(t.ds);
    expect((await both.post(`/api/v1/projects/${p.P3}/budget-lines/${proposed.body.id}/sign`).expect(403)).body.code).toBe('SAME_HAND');
    expect(await counts(t.ds)).toEqual(before);
  });

  it('refuses 挪用, over-allocation and a project not in the library, writing nothing', async () => {
    // From today the leader signs only above 10,000,000.00, so the lines below post at once.
    const change = await finance
      .post('/api/v1/policies/changes')
      .send({ key: 'leader_signoff_threshold', value: '10000000.00', effectiveFrom: chinaDate(new Date()), reason: '測試' })
      .expect(201);
    await leader.post(`/api/v1/policies/changes/${change.body.id}/approve`).expect(200);
    const before = await counts(t.ds);
    const misuse = await finance.post(`/api/v1/projects/${p.P3}/budget-lines`).send({ allocationId: a2, amount: '1.00' }).expect(422);
    expect(misuse.body.code).toBe('CATEGORY_NOT_PERMITTED');
    const over = await finance.post(`/api/v1/projects/${p.P2}/budget-lines`).send({ allocationId: a2, amount: '350000.01' }).expect(422);
    expect(over.body).toMatchObject({ code: 'INSUFFICIENT_BALANCE', details: { account: `quota:unallocated:A${a2}` } });
    expect((await finance.post(`/api/v1/projects/${p.P4}/budget-lines`).send({ allocationId: a1, amount: '1.00' }).expect(409)).body.code).toBe(
      'INVALID_STATE',
    );
    await finance.post(`/api/v1/projects/${p.P2}/budget-lines`).send({ allocationId: 999999, amount: '1.00' }).expect(404);
    expect(await counts(t.ds)).toEqual(before);
  });

  it('keeps the workflow accounts out of manual vouchers and budget postings out of voucher reversals', async () => {
    const before = await counts(t.ds);
    const hand = await finance
      .post('/api/v1/ledger/transactions')
      .send({
        effectiveDate: '2026-05-01',
        memo: '手工分配',
        lines: [
          { account: `quota:project:P${p.P3}:A${a1}`, debit: '1.00' },
          { account: `quota:unallocated:A${a1}`, credit: '1.00' },
        ],
      })
      .expect(422);
    expect(hand.body).toMatchObject({ code: 'RESERVED_ACCOUNT' });
    const opened = await finance
      .post('/api/v1/ledger/accounts')
      .send({ code: `quota:project:P9:A${a1}`, name: 'x', book: 'budget', type: 'quota', allowNegative: true })
      .expect(400);
    expect(opened.body.details.fields[0].field).toBe('code');
    const [line] = (await auditor.get(`/api/v1/projects/${p.P2}/budget-lines`).expect(200)).body;
    const undo = await finance.post(`/api/v1/ledger/transactions/${line.transactionId}/reversal`).send({ reason: 'x' }).expect(409);
    expect(undo.body).toMatchObject({ code: 'INVALID_STATE', details: { purpose: 'budget' } });
    expect(await counts(t.ds)).toEqual(before);
  });

  it('lets exactly one of two racing budget lines through when together they exceed the quota', async () => {
    const results = await Promise.all([1, 2].map(() => finance.post(`/api/v1/projects/${p.P2}/budget-lines`).send({ allocationId: a2, amount: '200000.00' })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
    expect(results.find((r) => r.status === 422)!.body.code).toBe('INSUFFICIENT_BALANCE');
  });

  it('reports every figure from the ledger, matching the hand-computed ones', async () => {
    const r1 = (await auditor.get(`/api/v1/reports/allocations/${a1}`).expect(200)).body;
    expect(r1).toMatchObject({ received: '1500000.00', allocated: '1400000.01', committed: '0.00', spent: '0.00', available: '99999.99' });
    expect(r1.projects.map((x: { name: string; allocated: string }) => [x.name, x.allocated])).toEqual([
      ['項目P1', '500000.01'],
      ['項目P2', '300000.00'],
      ['項目P3', '600000.00'],
    ]);
    const r2 = (await auditor.get(`/api/v1/reports/allocations/${a2}`).expect(200)).body;
    expect(r2).toMatchObject({ received: '600000.00', allocated: '450000.00', available: '150000.00' });

    const rp = (await auditor.get(`/api/v1/reports/projects/${p.P2}`).expect(200)).body;
    expect(rp).toMatchObject({ budget: '750000.00', available: '750000.00', retentionHeld: '0.00' });
    expect(rp.sources.map((s: { fundType: string; allocated: string }) => [s.fundType, s.allocated])).toEqual([
      ['財政專項扶貧資金', '300000.00'],
      ['以工代賑', '450000.00'],
    ]);
    expect((await village.get(`/api/v1/reports/projects/${p.P2}`).expect(200)).body.budget).toBe('750000.00');

    const county = (await auditor.get('/api/v1/reports/county?year=2026').expect(200)).body;
    expect(county).toEqual([
      { fiscalYear: 2026, fundType: '以工代賑', allocations: 1, received: '600000.00', allocated: '450000.00', available: '150000.00' },
      { fiscalYear: 2026, fundType: '財政專項扶貧資金', allocations: 1, received: '1500000.00', allocated: '1400000.01', available: '99999.99' },
    ]);

    const tb = (await auditor.get('/api/v1/ledger/trial-balance?book=budget').expect(200)).body.books[0];
    expect([tb.totalDebit, tb.totalCredit]).toEqual(['2100000.00', '2100000.00']);
    expect(await sumOfLinesMismatches(t)).toEqual([]);
  });
});
