import { As, ADMIN, TestApp, startTestApp } from '../support/app';
import { ClaimWorld, PAYEE, claimWorld } from '../support/claims';
import { detect, findingsBySubject } from '../support/monitoring';
import { publicityPassed } from '../support/publicity';

const LETTERS = {
  countyToTownship: { reference: '英扶責〔2026〕8號', date: '2026-04-01' },
  townshipToVillage: { reference: '溫扶責〔2026〕3號', date: '2026-04-05' },
  villageToContractor: { reference: '一村責〔2026〕1號', date: '2026-04-08' },
};

describe('monitoring: publicity (M16, M17) and the retention cap (M18)', () => {
  let t: TestApp;
  let auditor: As;

  /** The findings route of the publicity workflow, which reads the same rules as M16 and M17. */
  const routeFindings = async () => (await auditor.get('/api/v1/notices/findings').expect(200)).body as Record<string, unknown>[];

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.travelTo('2026-12-01');
    auditor = await t.as('auditor', ['auditor']);
  });

  afterAll(async () => {
    await t.close();
  });

  it('finds nothing in an empty county', async () => {
    for (const id of ['M16', 'M17', 'M18']) expect(await detect(t, id)).toEqual([]);
    expect(await routeFindings()).toEqual([]);
  });

  describe('in a county at work', () => {
    let w: ClaimWorld;
    let line2: As;
    /** An allocation that permits every construction category and industry. */
    let broadAllocation: number;
    let n = 0;

    const publish = async (kind: string, subjects: { projectIds?: number[]; allocationIds?: number[] }, over: Record<string, unknown> = {}) => {
      const draft = (
        await w.line
          .post('/api/v1/notices')
          .send({ kind, documentNumber: `英扶公〔2026〕${++n}號`, channels: ['portal'], formedOn: t.clock.today(), ...subjects, ...over })
          .expect(201)
      ).body;
      return (await line2.post(`/api/v1/notices/${draft.id}/approve`).send({}).expect(200)).body;
    };

    /** A project of the first village, reviewed by its township: its library notice is due. */
    const reviewedProject = async (category = 'infrastructure'): Promise<number> => {
      const id = (
        await w.village
          .post('/api/v1/projects')
          .send({
            name: `監控項目 ${++n}`,
            category,
            location: '溫泉鎮一村',
            startDate: '2026-04-01',
            endDate: '2026-10-31',
            responsibleUnit: '一村村委會',
            responsiblePerson: '王',
            tasks: '硬化2公里',
            fundScale: '300000.00',
            beneficiaryHouseholds: 120,
            poorHouseholds: 40,
            performanceTargets: ['通行率100%'],
            povertyMechanism: '務工帶貧',
          })
          .expect(201)
      ).body.id as number;
      await w.township.post(`/api/v1/projects/${id}/review`).send({ reason: 'ok' }).expect(200);
      return id;
    };

    /** A contract on a library project of `category` (its notices passed last year), signed unless `draftOnly`. */
    const contract = async (category: string, amount: string, opts: { override?: string; draftOnly?: boolean } = {}) => {
      const projectId = await reviewedProject(category);
      await publicityPassed(t.ds, projectId);
      await w.line.post(`/api/v1/projects/${projectId}/enter-library`).send({ reason: 'ok' }).expect(200);
      const line = (await w.maker.post(`/api/v1/projects/${projectId}/budget-lines`).send({ allocationId: broadAllocation, amount }).expect(201)).body;
      if (line.state !== 'posted') await w.leader.post(`/api/v1/projects/${projectId}/budget-lines/${line.id}/sign`).expect(200);
      const override = opts.override ? { retentionOverride: { rate: opts.override, reason: '合同約定' } } : {};
      const draft = (
        await w.maker
          .post(`/api/v1/projects/${projectId}/contracts`)
          .send({ title: `合同 ${++n}`, payee: PAYEE, amount, schedule: [], letters: LETTERS, ...override })
          .expect(201)
      ).body;
      if (!opts.draftOnly) await w.checker.post(`/api/v1/contracts/${draft.id}/sign`).expect(200);
      return { id: draft.id as number, projectId };
    };

    const policyChange = async (key: string, value: string, effectiveFrom: string) => {
      const change = (await w.maker.post('/api/v1/policies/changes').send({ key, value, effectiveFrom, reason: '縣扶貧領導小組決定' }).expect(201)).body;
      await w.leader.post(`/api/v1/policies/changes/${change.id}/approve`).expect(200);
    };

    beforeAll(async () => {
      t.clock.travelTo('2026-12-01');
      w = await claimWorld(t);
      line2 = await t.as('poverty-office-2', ['line_department']);
      const [account] = await t.ds.query(`SELECT id FROM dedicated_accounts WHERE code = 'D001'`);
      broadAllocation = (
        await w.maker
          .post('/api/v1/fund-allocations')
          .send({
            issuingLevel: 'county',
            fiscalYear: 2026,
            dedicatedAccountId: account.id,
            receivedOn: '2026-11-02',
            documentNumber: '英財農〔2026〕9號',
            fundType: '整合涉農資金',
            amount: '3000000.00',
            permittedCategories: ['infrastructure', 'work_for_relief', 'industry'],
          })
          .expect(201)
      ).body.id as number;
    });

    describe('M18: retention above the construction cap', () => {
      let above: { id: number; projectId: number };
      let overridden: { id: number; projectId: number };

      it('finds a construction contract retaining above 3%, blue, with the figures; not one at the cap, not industry, not a draft', async () => {
        t.clock.travelTo('2026-12-01');
        // Signed under the policy's retention_rate (15%, the source document's local rule).
        above = await contract('infrastructure', '200000.00');
        overridden = await contract('work_for_relief', '100000.00', { override: '0.05' });
        const atCap = await contract('infrastructure', '100000.00', { override: '0.03' });
        const industry = await contract('industry', '100000.00');
        const draft = await contract('infrastructure', '100000.00', { override: '0.05', draftOnly: true });

        const found = await findingsBySubject(t, 'M18');
        expect(found.get(String(above.id))).toEqual({
          subjectType: 'contract',
          subjectId: String(above.id),
          severity: 'blue',
          unitId: w.villageId,
          key: '0.15',
          summary: expect.stringMatching(/質保金比例 15%，高於建設工程上限 3%.*預留 30000\.00 元.*不超過 6000\.00 元/),
          evidence: {
            contractId: above.id,
            projectId: above.projectId,
            category: 'infrastructure',
            signedOn: '2026-12-01',
            amount: '200000.00',
            retentionRate: '0.15',
            cap: '0.03',
            retentionAtRate: '30000.00',
            retentionAtCap: '6000.00',
            overridden: false,
            overrideReason: null,
          },
        });
        expect(found.get(String(overridden.id))).toMatchObject({
          severity: 'blue',
          summary: expect.stringContaining('（簽訂時另定比例）'),
          evidence: { category: 'work_for_relief', retentionRate: '0.05', overridden: true, overrideReason: '合同約定', retentionAtRate: '5000.00' },
        });
        // Exactly at the cap, not construction, or not signed: nothing.
        for (const c of [atCap, industry, draft]) expect(found.has(String(c.id))).toBe(false);
      });

      it('follows a change of the cap from the day it takes effect', async () => {
        t.clock.travelTo('2026-12-01');
        await policyChange('retention_construction_cap', '0.15', '2026-12-10');

        t.clock.travelTo('2026-12-09');
        let found = await findingsBySubject(t, 'M18');
        expect(found.get(String(above.id))?.evidence).toMatchObject({ cap: '0.03' });
        expect(found.has(String(overridden.id))).toBe(true);

        // From the 10th the cap is 15%: the 15% contract sits exactly at it, the 5% one under it.
        t.clock.travelTo('2026-12-10');
        found = await findingsBySubject(t, 'M18');
        expect(found.has(String(above.id))).toBe(false);
        expect(found.has(String(overridden.id))).toBe(false);
      });
    });

    describe('M16: money paid before the plan notice passed', () => {
      it('is red while a correction of the plan notice runs, to its last day, and gone the day it passes', async () => {
        t.clock.travelTo('2026-12-01');
        const paid = await w.contract('100000.00');
        const unpaid = await w.contract('50000.00');
        await w.maker.post(`/api/v1/contracts/${paid.id}/payments`).send({ amount: '10000.00', payeeAccount: PAYEE.account }).expect(201);
        // Paid on a passed notice: nothing.
        expect((await findingsBySubject(t, 'M16')).has(String(paid.projectId))).toBe(false);

        // A correction of each plan notice: until it has run its ten days, no plan notice of the project has passed.
        const planOf = async (projectId: number) =>
          (
            await t.ds.query(
              `SELECT n.id FROM notices n JOIN notice_projects np ON np.notice_id = n.id WHERE np.project_id = $1 AND n.kind = 'plan' AND n.state = 'published'`,
              [projectId],
            )
          )[0].id as number;
        const correction = await publish('plan', { projectIds: [paid.projectId] }, { supersedesId: await planOf(paid.projectId) });
        await publish('plan', { projectIds: [unpaid.projectId] }, { supersedesId: await planOf(unpaid.projectId) });
        expect(correction).toMatchObject({ startsOn: '2026-12-01', endsOn: '2026-12-10' });

        const expected = {
          subjectType: 'project',
          subjectId: String(paid.projectId),
          severity: 'red',
          unitId: w.villageId,
          key: '10000.00',
          summary: `項目「通村公路 1」已支付 10000.00 元，年度項目計劃公示未通過（現行公示 ${correction.code} 公示期至 2026-12-10）`,
          evidence: {
            projectId: paid.projectId,
            paid: '10000.00',
            noticeKind: 'plan',
            noticeId: correction.id,
            noticeCode: correction.code,
            noticeEndsOn: '2026-12-10',
          },
        };
        const routeSays = {
          rule: 'paid_before_notice',
          subject: 'project',
          id: paid.projectId,
          name: '通村公路 1',
          formedOn: null,
          dueOn: null,
          paid: '10000.00',
        };
        for (const day of ['2026-12-01', '2026-12-10']) {
          t.clock.travelTo(day);
          const found = await findingsBySubject(t, 'M16');
          expect(found.get(String(paid.projectId))).toEqual(expected);
          // Committed, not paid: money has not moved.
          expect(found.has(String(unpaid.projectId))).toBe(false);
          expect((await routeFindings()).filter((f) => f.rule === 'paid_before_notice')).toEqual([routeSays]);
        }

        t.clock.travelTo('2026-12-11');
        expect(await detect(t, 'M16')).toEqual([]);
        expect((await routeFindings()).filter((f) => f.rule === 'paid_before_notice')).toEqual([]);
      });
    });

    describe('M17: information not published within the due working days', () => {
      /** M17's findings by `subjectType:subjectId`: a project and an allocation may share an id. */
      const m17 = async () => new Map((await detect(t, 'M17')).map((f) => [`${f.subjectType}:${f.subjectId}`, f]));

      it('finds a reviewed project without its library notice the day after it was due, yellow, until it is published', async () => {
        t.clock.travelTo('2026-12-01');
        const project = await reviewedProject();
        // Formed the day the township reviewed it, in China.
        const [{ formedOn }] = await t.ds.query(
          `SELECT ((max(at) AT TIME ZONE 'Asia/Shanghai')::date)::text AS "formedOn" FROM project_transitions WHERE project_id = $1 AND action = 'review'`,
          [project],
        );
        const dueOn = (await auditor.get(`/api/v1/calendar/working-days?from=${formedOn}&days=20`).expect(200)).body.date as string;
        const dayAfter = new Date(Date.parse(`${dueOn}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

        t.clock.travelTo(dueOn);
        expect((await m17()).has(`project:${project}`)).toBe(false);

        t.clock.travelTo(dayAfter);
        expect((await m17()).get(`project:${project}`)).toEqual({
          subjectType: 'project',
          subjectId: String(project),
          severity: 'yellow',
          unitId: w.villageId,
          summary: `項目「監控項目 ${n}」（資金規模 300000.00 元）於 ${formedOn} 經鄉鎮審核，應在 20 個工作日內（最遲 ${dueOn}）入庫公示，已逾期 1 天仍未公示`,
          evidence: {
            projectId: project,
            name: `監控項目 ${n}`,
            amount: '300000.00',
            noticeKind: 'library',
            formedOn,
            dueWorkingDays: 20,
            dueOn,
            daysOverdue: 1,
          },
        });
        expect(await routeFindings()).toContainEqual({
          rule: 'not_published_in_time',
          subject: 'project',
          id: project,
          name: `監控項目 ${n}`,
          formedOn,
          dueOn,
          paid: null,
        });

        // Published late, but published: the finding closes.
        await publish('library', { projectIds: [project] });
        expect((await m17()).has(`project:${project}`)).toBe(false);
      });

      it('counts the county calendar’s holidays, fires the day after the due date, and follows a change of the due days', async () => {
        t.clock.travelTo('2027-03-01');
        // A weekday made a holiday by the county: the due date moves a working day later.
        const admin = await t.as(ADMIN.username);
        const secondAdmin = await t.as('calendar-admin-2', ['admin']);
        const holiday = (
          await admin
            .post('/api/v1/calendar/changes')
            .send({ day: '2027-03-10', action: 'set', kind: 'holiday', name: '縣慶', reason: '縣人民政府通知' })
            .expect(201)
        ).body;
        await secondAdmin.post(`/api/v1/calendar/changes/${holiday.id}/approve`).expect(200);
        const [account] = await t.ds.query(`SELECT id FROM dedicated_accounts WHERE code = 'D001'`);
        const allocation = (
          await w.maker
            .post('/api/v1/fund-allocations')
            .send({
              issuingLevel: 'county',
              fiscalYear: 2027,
              dedicatedAccountId: account.id,
              receivedOn: '2027-03-01',
              documentNumber: '英財農〔2027〕5號',
              fundType: '整合涉農資金',
              amount: '800000.00',
              permittedCategories: ['industry'],
            })
            .expect(201)
        ).body.id as number;
        // Monday 1 March: twenty working days with Wednesday the 10th off end on Tuesday 30 March.
        expect((await auditor.get('/api/v1/calendar/working-days?from=2027-03-01&days=20').expect(200)).body.date).toBe('2027-03-30');

        for (const day of ['2027-03-29', '2027-03-30']) {
          t.clock.travelTo(day);
          expect((await m17()).has(`allocation:${allocation}`)).toBe(false);
        }
        t.clock.travelTo('2027-03-31');
        const found = await detect(t, 'M17');
        expect(found.find((f) => f.subjectType === 'allocation' && f.subjectId === String(allocation))).toEqual({
          subjectType: 'allocation',
          subjectId: String(allocation),
          severity: 'yellow',
          unitId: null,
          summary: '資金 英財農〔2027〕5號（800000.00 元）於 2027-03-01 到位，應在 20 個工作日內（最遲 2027-03-30）資金分配結果公示，已逾期 1 天仍未公示',
          evidence: {
            allocationId: allocation,
            name: '英財農〔2027〕5號',
            amount: '800000.00',
            noticeKind: 'allocation',
            formedOn: '2027-03-01',
            dueWorkingDays: 20,
            dueOn: '2027-03-30',
            daysOverdue: 1,
          },
        });
        // The route answers the same subjects, in the same order.
        const route = (await routeFindings()).filter((f) => f.rule === 'not_published_in_time');
        expect(route.map((f) => [f.subject, f.id, f.dueOn])).toEqual(found.map((f) => [f.subjectType, Number(f.subjectId), f.evidence.dueOn]));

        // Thirty working days from 5 April: the allocation is due on 13 April instead.
        await policyChange('publicity_due_working_days', '30', '2027-04-05');
        t.clock.travelTo('2027-04-02');
        expect((await m17()).get(`allocation:${allocation}`)?.evidence).toMatchObject({ dueWorkingDays: 20, dueOn: '2027-03-30', daysOverdue: 3 });
        for (const day of ['2027-04-05', '2027-04-13']) {
          t.clock.travelTo(day);
          expect((await m17()).has(`allocation:${allocation}`)).toBe(false);
        }
        t.clock.travelTo('2027-04-14');
        expect((await m17()).get(`allocation:${allocation}`)?.evidence).toMatchObject({ dueWorkingDays: 30, dueOn: '2027-04-13', daysOverdue: 1 });

        await publish('allocation', { allocationIds: [allocation] });
        expect((await m17()).has(`allocation:${allocation}`)).toBe(false);
      });
    });

    it('finds nothing in another, empty county while this one has findings', async () => {
      expect((await detect(t, 'M17')).length).toBeGreaterThan(0);
      const [other] = await t.ds.query(`INSERT INTO counties (code, name) VALUES ('empty-county', '空縣') RETURNING id`);
      for (const id of ['M16', 'M17', 'M18']) expect(await detect(t, id, { countyId: other.id })).toEqual([]);
    });
  });
});
