import { As, ADMIN, TestApp, counts, startTestApp } from '../support/app';
import { chinaDate } from '../../src/common/dates';
import { CHECKER, MAKER, sumOfLinesMismatches } from '../support/factories';
import { publicityPassed } from '../support/publicity';

/** Contracts: terms, tender record, retention rate fixed at signing, budget committed source by source. */
describe('contracts', () => {
  let t: TestApp;
  let maker: As;
  let checker: As;
  let auditor: As;
  let road: number;
  let a1: number;
  let a2: number;
  let c1: number;
  let unsigned: number;
  let inspector: As;

  const contract = (over: Record<string, unknown> = {}) => ({
    title: '通村公路硬化',
    payee: { name: '英山縣路橋工程有限公司', type: 'company', bank: '英山農商行', account: '8201000000999', taxId: '91421124MA4F0B3K57' },
    amount: '200000.00',
    schedule: [
      { percent: '40', milestone: '路基完工' },
      { percent: '50', milestone: '路面完工' },
      { percent: '10', milestone: '驗收合格' },
    ],
    letters: {
      countyToTownship: { reference: '英扶責〔2026〕8號', date: '2026-04-01' },
      townshipToVillage: { reference: '溫扶責〔2026〕3號', date: '2026-04-05' },
      villageToContractor: { reference: '一村責〔2026〕1號', date: '2026-04-08' },
    },
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
    inspector = await t.as('inspector', ['inspector']);
    const [officer] = await t.ds.query(`SELECT id FROM users WHERE username = $1`, [MAKER]);
    const d = (
      await maker
        .post('/api/v1/dedicated-accounts')
        .send({ code: 'D001', bankName: 'b', accountName: 'a', accountNumber: '8201000001', officerId: officer.id })
        .expect(201)
    ).body;
    const base = { issuingLevel: 'provincial', fiscalYear: 2026, dedicatedAccountId: d.id, receivedOn: '2026-03-01' };
    a1 = (
      await maker
        .post('/api/v1/fund-allocations')
        .send({ ...base, documentNumber: 'A1', fundType: '以工代賑', amount: '120000.00', permittedCategories: ['infrastructure'] })
        .expect(201)
    ).body.id;
    a2 = (
      await maker
        .post('/api/v1/fund-allocations')
        .send({ ...base, documentNumber: 'A2', fundType: '財政專項扶貧資金', amount: '500000.00', permittedCategories: ['infrastructure'] })
        .expect(201)
    ).body.id;
    road = (
      await village
        .post('/api/v1/projects')
        .send({
          name: '通村公路',
          category: 'infrastructure',
          location: '一村',
          startDate: '2026-04-01',
          endDate: '2026-10-31',
          responsibleUnit: '村委會',
          responsiblePerson: '王',
          tasks: '硬化3公里',
          fundScale: '300000.00',
          beneficiaryHouseholds: 200,
          poorHouseholds: 60,
          performanceTargets: ['通行'],
          povertyMechanism: '務工',
        })
        .expect(201)
    ).body.id;
    await township.post(`/api/v1/projects/${road}/review`).send({ reason: 'ok' }).expect(200);
    await publicityPassed(t.ds, road);
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
    c1 = draft.body.id;
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
    const draft = await maker
      .post(`/api/v1/projects/${road}/contracts`)
      .send(contract({ amount: '50000.01', schedule: [] }))
      .expect(201);
    unsigned = draft.body.id;
    const before = await counts(t.ds);
    const res = await checker.post(`/api/v1/contracts/${draft.body.id}/sign`).expect(422);
    expect(res.body).toMatchObject({ code: 'BUDGET_EXCEEDED', details: { available: '50000.00' } });
    expect(await counts(t.ds)).toEqual(before);
  });

  it.each([
    [
      'stages that do not add up to 100%',
      {
        schedule: [
          { percent: '40', milestone: 'a' },
          { percent: '50', milestone: 'b' },
        ],
      },
      400,
      'schedule',
    ],
    ['a retention rate above 100%', { retentionOverride: { rate: '1.5', reason: 'x' } }, 400, 'retentionOverride.rate'],
    ['a negative retention rate', { retentionOverride: { rate: '-0.1', reason: 'x' } }, 400, 'retentionOverride.rate'],
    ['a tender won by no bidder', { tender: { method: '公開招標', date: '2026-04-15', bidders: ['甲'], winner: '乙' } }, 400, 'tender.winner'],
    ['no tender above the threshold', { amount: '1000000.01' }, 422, 'tender'],
    [
      'an impossible letter date',
      {
        letters: {
          countyToTownship: { reference: 'x', date: '2026-02-30' },
          townshipToVillage: { reference: 'y', date: '2026-04-05' },
          villageToContractor: { reference: 'z', date: '2026-04-08' },
        },
      },
      400,
      'letters.countyToTownship.date',
    ],
    ['no letters at all', { letters: {} }, 400, 'letters.countyToTownship'],
    ['letters as a list', { letters: [] }, 400, 'letters'],
    [
      'no letter of the village with the contractor (縣、鄉、村級級簽定)',
      { letters: { countyToTownship: { reference: 'x', date: '2026-04-01' }, townshipToVillage: { reference: 'y', date: '2026-04-05' } } },
      400,
      'letters.villageToContractor',
    ],
    ['letters left out', { letters: undefined }, 400, 'letters'],
    [
      'a letter whose reference is a zero-width space',
      {
        letters: {
          countyToTownship: { reference: 'x', date: '2026-04-01' },
          townshipToVillage: { reference: 'y', date: '2026-04-05' },
          villageToContractor: { reference: '\u200b', date: '2026-04-08' },
        },
      },
      400,
      'letters.villageToContractor.reference',
    ],
    ['payee left out', { payee: undefined }, 400, 'payee'],
    ['payee as a list', { payee: [] }, 400, 'payee'],
    ['a retention override as a list', { retentionOverride: [] }, 400, 'retentionOverride'],
    ['a schedule of lists', { schedule: [[]] }, 400, 'schedule'],
    ['a company payee without its taxpayer id', { payee: { name: '甲公司', type: 'company', bank: 'b', account: '8201000000999' } }, 400, 'payee.taxId'],
    [
      'a taxpayer id with a wrong check character',
      { payee: { name: '甲公司', type: 'company', bank: 'b', account: '8201000000999', taxId: '91421124MA4F0B3K58' } },
      400,
      'payee.taxId',
    ],
    [
      'an individual payee without an ID number',
      { payee: { name: '王五', type: 'individual', bank: 'b', account: '6217000000000000000' } },
      400,
      'payee.idNumber',
    ],
    [
      'an ID number with a wrong check digit',
      { payee: { name: '王五', type: 'individual', bank: 'b', account: '6217000000000000000', idNumber: '421124198001010018' } },
      400,
      'payee.idNumber',
    ],
    [
      'a bank account with a zero-width space',
      { payee: { name: '甲公司', type: 'company', bank: 'b', account: '8201\u200b000000999', taxId: '91421124MA4F0B3K57' } },
      400,
      'payee.account',
    ],
    [
      'a bank account too short',
      { payee: { name: '甲公司', type: 'company', bank: 'b', account: '8201 999', taxId: '91421124MA4F0B3K57' } },
      400,
      'payee.account',
    ],
  ])('refuses %s, writing nothing', async (_name, over, status, field) => {
    const before = await counts(t.ds);
    const res = await maker.post(`/api/v1/projects/${road}/contracts`).send(contract(over)).expect(status);
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(await counts(t.ds)).toEqual(before);
  });

  it('keeps a payee’s identifiers in their canonical form, however they were typed', async () => {
    const payee = {
      name: '英山縣路橋工程有限公司',
      type: 'company',
      bank: '英山農商行',
      account: '8201 0000-0000 0999',
      taxId: '９１４２１１２４ｍａ４ｆ０ｂ３ｋ５７',
    };
    const res = await maker
      .post(`/api/v1/projects/${road}/contracts`)
      .send(contract({ payee, amount: '1.00' }))
      .expect(201);
    expect(res.body.payee).toEqual({ name: payee.name, type: 'company', bank: '英山農商行', account: '8201000000000999', taxId: '91421124MA4F0B3K57' });
    const [row] = await t.ds.query(`SELECT payee_account, payee_tax_id FROM contracts WHERE id = $1`, [res.body.id]);
    expect(row).toEqual({ payee_account: '8201000000000999', payee_tax_id: '91421124MA4F0B3K57' });
  });

  it('signs a contract only with the responsibility letters of all three levels', async () => {
    const drafted = (
      await maker
        .post(`/api/v1/projects/${road}/contracts`)
        .send(contract({ amount: '1.00' }))
        .expect(201)
    ).body;
    // A draft recorded before the third letter was required (only a superuser with triggers off can make one now).
    await t.ds.transaction(async (em) => {
      await em.query(`SET LOCAL session_replication_role = replica`);
      await em.query(`UPDATE contracts SET letters = letters - 'villageToContractor' WHERE id = $1`, [drafted.id]);
    });
    const before = await counts(t.ds);
    const res = await checker.post(`/api/v1/contracts/${drafted.id}/sign`).expect(422);
    expect(res.body).toMatchObject({ code: 'DOCUMENTS_MISSING', details: { fields: [{ field: 'letters.villageToContractor' }] } });
    expect(await counts(t.ds)).toEqual(before);
    expect((await checker.get(`/api/v1/contracts/${drafted.id}`).expect(200)).body.state).toBe('draft');
    // The database refuses a signed contract without them, whatever the code does.
    await expect(
      t.ds.query(
        `UPDATE contracts SET state = 'signed', signed_by = drafted_by + 0, retention_rate = 0.15, commit_transaction_id = gen_random_uuid() WHERE id = $1`,
        [drafted.id],
      ),
    ).rejects.toThrow(/responsibility letters of all three levels/);
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

  describe('payments with retention (合同一把鎖, 質量保證金)', () => {
    const pay = (contractId: number, body: Record<string, unknown>) =>
      maker.post(`/api/v1/contracts/${contractId}/payments`).send({ payeeAccount: '8201000000999', ...body });
    const balance = async (code: string) => (await auditor.get(`/api/v1/ledger/accounts/${code}`).expect(200)).body.balance;

    it('pays stage 1 once its milestone passed inspection, withholding 15% to the fen', async () => {
      expect((await pay(c1, { amount: '80000.00', stage: 1 }).expect(422)).body.code).toBe('BEYOND_STAGE');
      await inspector.post(`/api/v1/contracts/${c1}/inspections`).send({ result: 'pass', stage: 1, notes: '路基合格' }).expect(201);
      const res = await pay(c1, { amount: '80000.00', stage: 1 }).expect(201);
      expect(res.body).toMatchObject({ amount: '80000.00', retention: '12000.00', net: '68000.00', paidToDate: '80000.00', retentionHeld: '12000.00' });
      expect(await balance('bank:D001')).toBe(String((620000 - 68000).toFixed(2)));
      expect(await balance(`expense:P${road}:A${a1}:infrastructure`)).toBe('80000.00');
      expect(await balance(`quota:spent:P${road}:A${a1}`)).toBe('80000.00');
      expect(await balance(`quota:committed:C${c1}:A${a1}`)).toBe('20000.00');
      expect((await pay(c1, { amount: '0.01', stage: 1 }).expect(422)).body.code).toBe('BEYOND_STAGE');
    });

    it.each([
      ['a payee account that is not the contract’s', { amount: '1.00', stage: 1, payeeAccount: '8201000000000' }, 422, 'PAYEE_MISMATCH'],
      ['no stage on a scheduled contract', { amount: '1.00' }, 400, 'VALIDATION_FAILED'],
      ['an amount over the contract', { amount: '120000.01', stage: 3 }, 422, 'OVER_CONTRACT'],
    ])('refuses %s, writing nothing', async (_name, body, status, code) => {
      const before = await counts(t.ds);
      const res = await pay(c1, body).expect(status);
      expect(res.body.code).toBe(code);
      expect(await counts(t.ds)).toEqual(before);
    });

    it('refuses paying an unsigned contract', async () => {
      expect((await pay(unsigned, { amount: '1.00' }).expect(409)).body.code).toBe('CONTRACT_NOT_SIGNED');
    });

    it('blocks payments after a failed inspection until a later one passes; splits across sources to the fen', async () => {
      await inspector.post(`/api/v1/contracts/${c1}/inspections`).send({ result: 'fail', stage: 2, notes: '路面開裂' }).expect(201);
      expect((await pay(c1, { amount: '100000.00', stage: 2 }).expect(422)).body.code).toBe('INSPECTION_FAILED');
      await inspector.post(`/api/v1/contracts/${c1}/inspections`).send({ result: 'pass', stage: 2, notes: '返工後合格' }).expect(201);
      const res = await pay(c1, { amount: '100000.00', stage: 2 }).expect(201);
      expect(res.body).toMatchObject({ retention: '15000.00', net: '85000.00', paidToDate: '180000.00', retentionHeld: '27000.00' });
      const tx = (await auditor.get(`/api/v1/ledger/transactions/${res.body.transactionId}`).expect(200)).body;
      expect(tx.purpose).toBe('payment');
      expect(await balance(`retention:C${c1}:A${a1}`)).toBe('15000.00');
      expect(
        tx.lines
          .filter((l: { account: string }) => l.account.startsWith(`retention:C${c1}:`))
          .map((l: { account: string; credit: string }) => [l.account, l.credit]),
      ).toEqual([
        [`retention:C${c1}:A${a1}`, '3000.00'],
        [`retention:C${c1}:A${a2}`, '12000.00'],
      ]);
      expect(await balance(`quota:committed:C${c1}:A${a1}`)).toBe('0.00');
      expect(await balance(`quota:committed:C${c1}:A${a2}`)).toBe('20000.00');
    });

    it('holds back the payment that completes the contract until an acceptance passes', async () => {
      await inspector.post(`/api/v1/contracts/${c1}/inspections`).send({ result: 'pass', stage: 3, notes: '完工' }).expect(201);
      expect((await pay(c1, { amount: '20000.00', stage: 3 }).expect(422)).body.code).toBe('ACCEPTANCE_REQUIRED');
    });

    it('passes an acceptance only when every required department signs pass; a failed one means rework', async () => {
      const line = await t.as('poverty-office');
      const inspector2 = await t.as('inspector-2', ['inspector']);
      const first = await line.post(`/api/v1/projects/${road}/acceptances`).send({ contractId: c1, scaleStatement: '路面部分開裂' }).expect(201);
      expect(first.body).toMatchObject({ state: 'open', requiredDepartments: ['finance', 'audit', 'line', 'transport'] });
      await line.post(`/api/v1/projects/${road}/acceptances`).send({ contractId: c1, scaleStatement: 'again' }).expect(409);
      expect(
        (await line.post(`/api/v1/acceptances/${first.body.id}/signoffs`).send({ department: 'finance', result: 'pass', notes: 'x' }).expect(403)).body.code,
      ).toBe('FORBIDDEN_ROLE');
      await inspector2.post(`/api/v1/acceptances/${first.body.id}/signoffs`).send({ department: 'transport', result: 'fail', notes: '路面開裂' }).expect(200);
      expect((await auditor.get(`/api/v1/acceptances/${first.body.id}`).expect(200)).body.state).toBe('failed');
      expect((await pay(c1, { amount: '20000.00', stage: 3 }).expect(422)).body.code).toBe('ACCEPTANCE_REQUIRED');

      const second = await line
        .post(`/api/v1/projects/${road}/acceptances`)
        .send({ contractId: c1, scaleStatement: '返工後硬化3.1公里，質量合格' })
        .expect(201);
      await checker.post(`/api/v1/acceptances/${second.body.id}/signoffs`).send({ department: 'finance', result: 'pass', notes: '資料齊全' }).expect(200);
      await inspector.post(`/api/v1/acceptances/${second.body.id}/signoffs`).send({ department: 'audit', result: 'pass', notes: '審計無誤' }).expect(200);
      const twice = await inspector
        .post(`/api/v1/acceptances/${second.body.id}/signoffs`)
        .send({ department: 'transport', result: 'pass', notes: 'x' })
        .expect(403);
      expect(twice.body.code).toBe('SAME_HAND');
      await line.post(`/api/v1/acceptances/${second.body.id}/signoffs`).send({ department: 'line', result: 'pass', notes: '合格' }).expect(200);
      const passed = await inspector2
        .post(`/api/v1/acceptances/${second.body.id}/signoffs`)
        .send({ department: 'transport', result: 'pass', notes: '合格' })
        .expect(200);
      expect(passed.body.state).toBe('passed');

      const final = await pay(c1, { amount: '20000.00', stage: 3 }).expect(201);
      expect(final.body).toMatchObject({ retention: '3000.00', net: '17000.00', paidToDate: '200000.00', retentionHeld: '30000.00' });
      expect((await pay(c1, { amount: '0.01', stage: 3 }).expect(422)).body.code).toBe('OVER_CONTRACT');
    });

    it('lets exactly one of two racing payments through when together they exceed the contract', async () => {
      const [c3] = await t.ds.query(`SELECT id FROM contracts WHERE amount = 30000 AND state = 'signed'`);
      const results = await Promise.all([pay(c3.id, { amount: '20000.00' }), pay(c3.id, { amount: '20000.00' })]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
      expect(results.find((r) => r.status === 422)!.body.code).toBe('OVER_CONTRACT');
    });

    it('keeps every book balanced and every report on the ledger', async () => {
      const report = (await auditor.get(`/api/v1/reports/projects/${road}`).expect(200)).body;
      expect(report).toMatchObject({ budget: '250000.00', committed: '10000.00', spent: '220000.00', available: '20000.00', retentionHeld: '30600.00' });
      const tb = (await auditor.get('/api/v1/ledger/trial-balance').expect(200)).body;
      for (const book of tb.books) expect(book.totalDebit).toBe(book.totalCredit);
      expect(await sumOfLinesMismatches(t)).toEqual([]);
    });
  });

  describe('retention release and forfeit (質量保證金)', () => {
    const balance = async (code: string) => (await auditor.get(`/api/v1/ledger/accounts/${code}`).expect(200)).body.balance;

    it('refuses more than the contract holds, and any release before a passed acceptance', async () => {
      const before = await counts(t.ds);
      expect((await maker.post(`/api/v1/contracts/${c1}/retention/release`).send({ amount: '30000.01', reason: 'x' }).expect(422)).body.code).toBe(
        'RETENTION_EXCEEDED',
      );
      const [c3] = await t.ds.query(`SELECT id FROM contracts WHERE amount = 30000 AND state = 'signed'`);
      expect((await maker.post(`/api/v1/contracts/${c3.id}/retention/release`).send({ amount: '1.00', reason: 'x' }).expect(422)).body.code).toBe(
        'ACCEPTANCE_REQUIRED',
      );
      expect(await counts(t.ds)).toEqual(before);
    });

    it('forfeits part to repairs, returning it to the project budget, once a second person approves', async () => {
      const proposed = await maker.post(`/api/v1/contracts/${c1}/retention/forfeit`).send({ amount: '5000.00', reason: '路面修補' }).expect(201);
      expect(proposed.body.state).toBe('proposed');
      expect((await maker.post(`/api/v1/retention-movements/${proposed.body.id}/approve`).expect(403)).body.code).toBe('SAME_HAND');
      const before = (await auditor.get(`/api/v1/reports/projects/${road}`).expect(200)).body;
      const posted = await checker.post(`/api/v1/retention-movements/${proposed.body.id}/approve`).expect(200);
      expect(posted.body.state).toBe('posted');
      const after = (await auditor.get(`/api/v1/reports/projects/${road}`).expect(200)).body;
      expect(after).toMatchObject({ budget: before.budget, spent: '215000.00', available: '25000.00', retentionHeld: '25600.00' });
    });

    it('releases the rest to the payee from the sources’ dedicated accounts; the summary adds up', async () => {
      const bankBefore = await balance('bank:D001');
      const proposed = await maker.post(`/api/v1/contracts/${c1}/retention/release`).send({ amount: '25000.00', reason: '缺陷責任期滿' }).expect(201);
      await checker.post(`/api/v1/retention-movements/${proposed.body.id}/approve`).expect(200);
      expect(await balance('bank:D001')).toBe((Number(bankBefore) - 25000).toFixed(2));
      const summary = (await auditor.get(`/api/v1/contracts/${c1}/retention`).expect(200)).body;
      expect(summary).toEqual({
        contractId: c1,
        state: 'signed',
        contractAmount: '200000.00',
        paid: '200000.00',
        withheld: '30000.00',
        released: '25000.00',
        forfeited: '5000.00',
        held: '0.00',
      });
      const tb = (await auditor.get('/api/v1/ledger/trial-balance').expect(200)).body;
      for (const book of tb.books) expect(book.totalDebit).toBe(book.totalCredit);
      expect(await sumOfLinesMismatches(t)).toEqual([]);
    });

    it('settles a contract only once no retention is held; unpaid commitment goes back to the project', async () => {
      const [c3] = await t.ds.query(`SELECT id FROM contracts WHERE amount = 30000 AND state = 'signed'`);
      const held = await maker.post(`/api/v1/contracts/${c3.id}/settle`).expect(409);
      expect(held.body).toMatchObject({ code: 'INVALID_STATE', details: { held: '600.00' } });
      const settled = await maker.post(`/api/v1/contracts/${c1}/settle`).expect(200);
      expect(settled.body).toMatchObject({
        state: 'settled',
        paid: '200000.00',
        withheld: '30000.00',
        released: '25000.00',
        forfeited: '5000.00',
        held: '0.00',
      });
      expect((await maker.post(`/api/v1/contracts/${c1}/settle`).expect(409)).body.code).toBe('INVALID_STATE');
      const pay = await maker.post(`/api/v1/contracts/${c1}/payments`).send({ amount: '1.00', stage: 3, payeeAccount: '8201000000999' }).expect(409);
      expect(pay.body.code).toBe('CONTRACT_NOT_SIGNED');
      expect(await sumOfLinesMismatches(t)).toEqual([]);
    });

    it('releases nothing before the defect period has run since the acceptance passed', async () => {
      const leader = await t.as('leader', ['county_leader']);
      const change = await maker
        .post('/api/v1/policies/changes')
        .send({ key: 'retention_defect_days', value: '30', effectiveFrom: chinaDate(new Date()), reason: '缺陷責任期30天' })
        .expect(201);
      await leader.post(`/api/v1/policies/changes/${change.body.id}/approve`).expect(200);
      const [c3] = await t.ds.query(`SELECT id FROM contracts WHERE amount = 30000 AND state = 'signed'`);
      const line = await t.as('poverty-office');
      const inspector2 = await t.as('inspector-2');
      const acceptance = await line.post(`/api/v1/projects/${road}/acceptances`).send({ contractId: c3.id, scaleStatement: '合格' }).expect(201);
      await checker.post(`/api/v1/acceptances/${acceptance.body.id}/signoffs`).send({ department: 'finance', result: 'pass', notes: 'ok' }).expect(200);
      await inspector.post(`/api/v1/acceptances/${acceptance.body.id}/signoffs`).send({ department: 'audit', result: 'pass', notes: 'ok' }).expect(200);
      await line.post(`/api/v1/acceptances/${acceptance.body.id}/signoffs`).send({ department: 'line', result: 'pass', notes: 'ok' }).expect(200);
      await inspector2.post(`/api/v1/acceptances/${acceptance.body.id}/signoffs`).send({ department: 'transport', result: 'pass', notes: 'ok' }).expect(200);
      const before = await counts(t.ds);
      const res = await maker.post(`/api/v1/contracts/${c3.id}/retention/release`).send({ amount: '600.00', reason: 'x' }).expect(422);
      expect(res.body).toMatchObject({ code: 'DEFECT_PERIOD', details: { endsOn: expect.any(String) } });
      expect(await counts(t.ds)).toEqual(before);
      expect((await line.get(`/api/v1/acceptances/${acceptance.body.id}`).expect(200)).body).toMatchObject({ state: 'passed', defectDays: 30 });

      // The period was fixed when the work passed: a later policy change does not shorten the wait for this retention.
      // (With no clock to move, the 30-day change is moved a day back so that a new one can take effect today.)
      await t.ds.transaction(async (em) => {
        await em.query(`SET LOCAL session_replication_role = replica`);
        await em.query(`UPDATE policy_changes SET effective_from = effective_from - 1 WHERE id = $1`, [change.body.id]);
      });
      const shorter = await maker
        .post('/api/v1/policies/changes')
        .send({ key: 'retention_defect_days', value: '0', effectiveFrom: chinaDate(new Date()), reason: '取消缺陷責任期' })
        .expect(201);
      await leader.post(`/api/v1/policies/changes/${shorter.body.id}/approve`).expect(200);
      const beforeRetry = await counts(t.ds);
      const still = await maker.post(`/api/v1/contracts/${c3.id}/retention/release`).send({ amount: '600.00', reason: 'x' }).expect(422);
      expect(still.body).toMatchObject({ code: 'DEFECT_PERIOD', details: { endsOn: res.body.details.endsOn } });
      expect(await counts(t.ds)).toEqual(beforeRetry);

      // Nor does a second acceptance passed under the shorter policy.
      const again = await line.post(`/api/v1/projects/${road}/acceptances`).send({ contractId: c3.id, scaleStatement: '複驗合格' }).expect(201);
      await checker.post(`/api/v1/acceptances/${again.body.id}/signoffs`).send({ department: 'finance', result: 'pass', notes: 'ok' }).expect(200);
      await inspector.post(`/api/v1/acceptances/${again.body.id}/signoffs`).send({ department: 'audit', result: 'pass', notes: 'ok' }).expect(200);
      await line.post(`/api/v1/acceptances/${again.body.id}/signoffs`).send({ department: 'line', result: 'pass', notes: 'ok' }).expect(200);
      const passedAgain = await inspector2
        .post(`/api/v1/acceptances/${again.body.id}/signoffs`)
        .send({ department: 'transport', result: 'pass', notes: 'ok' })
        .expect(200);
      expect(passedAgain.body).toMatchObject({ state: 'passed', defectDays: 0 });
      const afterSecond = await maker.post(`/api/v1/contracts/${c3.id}/retention/release`).send({ amount: '600.00', reason: 'x' }).expect(422);
      expect(afterSecond.body).toMatchObject({ code: 'DEFECT_PERIOD', details: { endsOn: res.body.details.endsOn } });
    });
  });
});
