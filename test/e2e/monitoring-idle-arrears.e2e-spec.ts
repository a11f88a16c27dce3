import { addDays } from '../../src/calendar/domain/working-days';
import { chinaDate } from '../../src/common/dates';
import { Finding } from '../../src/monitoring/domain/detector';
import { As, TestApp, startTestApp } from '../support/app';
import { ClaimWorld, PAYEE, attachAll, claimWorld, packet } from '../support/claims';
import { MAKER } from '../support/factories';
import { detect, findingsBySubject } from '../support/monitoring';

/**
 * Monitoring of idle money and arrears (M01–M05): each rule fires at its thresholds and not a day before, follows a
 * policy change from the day it takes effect, and finds nothing in a county with no money.
 *
 * The workflow runs on one day (WORK_DAY); detection moves the clock. Ages that count from recorded timestamps (a
 * a claim's approval, an acceptance's close) are the database's real `now()`, and a budget line's posting is its
 * effective date: the test reads those days back and counts from them.
 */
const WORK_DAY = '2026-12-01';

describe('monitoring: idle funds, spending progress and arrears (M01–M05)', () => {
  let t: TestApp;
  let maker: As;
  let leader: As;

  /** What a detector finds on `date`, by subject id. */
  const on = async (date: string, id: string): Promise<Map<string, Finding>> => {
    t.clock.travelTo(date);
    return findingsBySubject(t, id);
  };
  /** Proposed the day before it takes effect, approved by a second person. */
  const changePolicy = async (key: string, value: string, effectiveFrom: string) => {
    t.clock.travelTo(addDays(effectiveFrom, -1));
    const change = await maker.post('/api/v1/policies/changes').send({ key, value, effectiveFrom, reason: '縣政府常務會議決定' }).expect(201);
    await leader.post(`/api/v1/policies/changes/${change.body.id}/approve`).expect(200);
  };
  const atWork = () => t.clock.travelTo(WORK_DAY);

  beforeAll(async () => {
    t = await startTestApp();
    atWork();
    maker = await t.as(MAKER);
    leader = await t.as('leader', ['county_leader']);
  });
  afterAll(() => t.close());

  it('finds nothing in a county with no money, whatever the day and the schedule', async () => {
    // A schedule in force, so that M03 reads the county instead of stopping at the empty default.
    await changePolicy('spending_schedule', '01:0.10,03:0.50', '2030-01-01');
    for (const date of [WORK_DAY, '2030-06-30', '2032-01-15']) {
      t.clock.travelTo(date);
      for (const id of ['M01', 'M02', 'M03', 'M04', 'M05']) expect(await detect(t, id)).toEqual([]);
    }
  });

  describe('with money flowing', () => {
    let w: ClaimWorld;
    let auditor: As;

    /** The China day a query of the owner answers as `d`. */
    const dayOf = async (sql: string, params: unknown[]): Promise<string> => {
      const [row] = await t.ds.query<{ d: string }[]>(sql, params);
      return row.d;
    };
    const pay = (contractId: number, amount: string) =>
      w.maker.post(`/api/v1/contracts/${contractId}/payments`).send({ amount, payeeAccount: PAYEE.account }).expect(201);

    beforeAll(async () => {
      atWork();
      w = await claimWorld(t);
      auditor = w.auditor;
    });

    describe('M01 idle: received and not allocated (allocation A1, received 2026-03-01)', () => {
      const received = '2026-03-01';
      const unallocated = async () => (await auditor.get(`/api/v1/fund-allocations/${w.allocationId}`).expect(200)).body.unallocated as string;

      beforeAll(async () => {
        atWork();
        await w.contract('200000.00');
      });

      it('is yellow from the 180th day after receipt, silent on the 179th', async () => {
        expect((await on(addDays(received, 179), 'M01')).get(String(w.allocationId))).toBeUndefined();
        const f = (await on(addDays(received, 180), 'M01')).get(String(w.allocationId));
        expect(f).toMatchObject({ subjectType: 'allocation', severity: 'yellow', unitId: null });
        expect(f!.evidence).toMatchObject({ allocationId: w.allocationId, receivedOn: received, days: 180, unallocated: await unallocated(), longIdle: false });
        expect(f!.summary).toBe(`資金 A1 到位 180 天，仍有 ${await unallocated()} 元未分配到項目`);
      });

      it('is red from the 365th day, and long idle (長期閒置) from the 730th', async () => {
        expect((await on(addDays(received, 364), 'M01')).get(String(w.allocationId))?.severity).toBe('yellow');
        expect((await on(addDays(received, 365), 'M01')).get(String(w.allocationId))).toMatchObject({ severity: 'red', evidence: { days: 365 } });
        expect((await on(addDays(received, 729), 'M01')).get(String(w.allocationId))?.evidence).toMatchObject({ longIdle: false });
        const long = (await on(addDays(received, 730), 'M01')).get(String(w.allocationId));
        expect(long).toMatchObject({ severity: 'red', evidence: { days: 730, longIdle: true } });
        expect(long!.summary).toMatch(/（長期閒置）$/);
      });
    });

    describe('M02 idle: allocated to a project and unspent', () => {
      let subject: string;
      let posted: string;

      beforeAll(async () => {
        atWork();
        const c = await w.contract('50000.00');
        await pay(c.id, '20000.00');
        subject = `${c.projectId}:${w.allocationId}`;
        posted = await dayOf(
          `SELECT min(t.effective_date)::text AS d FROM budget_lines b JOIN ledger_transactions t ON t.id = b.transaction_id WHERE b.project_id = $1 AND b.state = 'posted'`,
          [c.projectId],
        );
      });

      it('is yellow from the 180th day after the budget line was posted (its effective date), silent on the 179th', async () => {
        expect((await on(addDays(posted, 179), 'M02')).get(subject)).toBeUndefined();
        const f = (await on(addDays(posted, 180), 'M02')).get(subject);
        // What is left of the project's money from A1: the contract's unpaid commitment (the payment is spent).
        expect(f).toMatchObject({
          subjectType: 'budget',
          severity: 'yellow',
          unitId: w.villageId,
          evidence: { allocatedOn: posted, days: 180, unspent: '30000.00' },
        });
        expect(f!.summary).toMatch(new RegExp(`^項目「通村公路 \\d+」${posted} 分配的資金 180 天後仍有 30000\\.00 元未支出$`));
      });

      it('is red from the 365th day, yellow on the 364th', async () => {
        expect((await on(addDays(posted, 364), 'M02')).get(subject)?.severity).toBe('yellow');
        expect((await on(addDays(posted, 365), 'M02')).get(subject)).toMatchObject({ severity: 'red', evidence: { days: 365, longIdle: false } });
      });
    });

    describe('M01 and M02 follow a change of the idle thresholds from the day it takes effect', () => {
      it('M01 turns red at 300 days once idle_fund_red_days = 300 is in force, not the day before', async () => {
        // 2026-12-26 is the 300th day after 2026-03-01: red under the new value, still yellow under the old one.
        await changePolicy('idle_fund_red_days', '300', '2026-12-27');
        expect((await on('2026-12-26', 'M01')).get(String(w.allocationId))).toMatchObject({ severity: 'yellow', evidence: { days: 300 } });
        expect((await on('2026-12-27', 'M01')).get(String(w.allocationId))).toMatchObject({ severity: 'red', evidence: { days: 301 } });
      });

      it('M02 turns yellow at 90 days once idle_fund_yellow_days = 90 is in force, not the day before', async () => {
        atWork();
        const c = await w.contract('40000.00');
        const subject = `${c.projectId}:${w.allocationId}`;
        const posted = await dayOf(
          `SELECT min(t.effective_date)::text AS d FROM budget_lines b JOIN ledger_transactions t ON t.id = b.transaction_id WHERE b.project_id = $1 AND b.state = 'posted'`,
          [c.projectId],
        );
        await changePolicy('idle_fund_yellow_days', '90', addDays(posted, 100));
        expect((await on(addDays(posted, 99), 'M02')).get(subject)).toBeUndefined();
        expect((await on(addDays(posted, 100), 'M02')).get(subject)).toMatchObject({ severity: 'yellow', evidence: { days: 100, unspent: '40000.00' } });
      });
    });

    describe('M03 spending behind the schedule (allocation B1 of 1,000,000.00)', () => {
      let b: number;
      let late: number;
      let spending: number;

      const allocation = async (documentNumber: string, amount: string, receivedOn: string): Promise<number> => {
        const [d] = await t.ds.query<{ id: number }[]>(`SELECT id FROM dedicated_accounts WHERE code = 'D001'`);
        return (
          await w.maker
            .post('/api/v1/fund-allocations')
            .send({
              issuingLevel: 'provincial',
              fiscalYear: 2026,
              dedicatedAccountId: d.id,
              receivedOn,
              documentNumber,
              fundType: '財政專項扶貧資金',
              amount,
              permittedCategories: ['infrastructure'],
            })
            .expect(201)
        ).body.id as number;
      };

      /** A signed contract with no schedule on a new library project whose budget is from `allocationId`. */
      const contractOn = async (allocationId: number, amount: string): Promise<number> => (await w.contract(amount, [], { allocationId })).id;
      const payB = async (amount: string) => {
        atWork();
        await pay(spending, amount);
      };

      beforeAll(async () => {
        atWork();
        b = await allocation('B1', '1000000.00', '2026-04-01');
        // Received after June ended: judged against September's share, never June's.
        late = await allocation('B2', '100000.00', '2026-08-01');
        spending = await contractOn(b, '450000.00');
      });

      it('is silent by default: the county has set no schedule', async () => {
        for (const date of ['2026-07-01', '2026-10-01', '2026-12-01']) expect(await on(date, 'M03')).toEqual(new Map());
      });

      it('follows a schedule from the day it takes effect, against the latest month that has ended', async () => {
        await changePolicy('spending_schedule', '06:0.20,09:0.40', '2026-09-15');
        expect(await on('2026-09-14', 'M03')).toEqual(new Map());
        const found = await on('2026-09-15', 'M03');
        expect(found.get(String(b))).toMatchObject({
          subjectType: 'allocation',
          severity: 'red',
          unitId: null,
          evidence: { scheduleMonth: 6, dueBy: '2026-06-30', requiredShare: '0.2000', required: '200000.00', spent: '0.00', spentShare: '0.0000' },
        });
        expect(found.get(String(b))!.summary).toBe('資金 B1 應於 2026-06-30 前支出 20.00%（200000.00 元），實際支出 0.00 元（0.00%），落後 20.00 個百分點');
        expect(found.get(String(late))).toBeUndefined();
        expect((await on('2026-10-01', 'M03')).get(String(late))).toMatchObject({ severity: 'red', evidence: { scheduleMonth: 9, required: '40000.00' } });
      });

      it('is red while less than half the required share is spent, yellow from half, silent at the share', async () => {
        const judged = async () => (await on('2026-09-15', 'M03')).get(String(b));
        await payB('99999.99');
        expect(await judged()).toMatchObject({ severity: 'red', evidence: { spent: '99999.99', shortfall: '100000.01' } });
        await payB('0.01');
        expect(await judged()).toMatchObject({ severity: 'yellow', evidence: { spent: '100000.00', spentShare: '0.1000', shortfall: '100000.00' } });
        await payB('99999.99');
        expect(await judged()).toMatchObject({ severity: 'yellow', evidence: { spent: '199999.99', shortfall: '0.01' } });
        await payB('0.01');
        expect(await judged()).toBeUndefined();
      });

      it('moves to the next month of the schedule the day after that month ends', async () => {
        expect((await on('2026-09-30', 'M03')).get(String(b))).toBeUndefined();
        expect((await on('2026-10-01', 'M03')).get(String(b))).toMatchObject({
          severity: 'yellow',
          evidence: { scheduleMonth: 9, dueBy: '2026-09-30', requiredShare: '0.4000', required: '400000.00', spent: '200000.00', shortfall: '200000.00' },
        });
      });
    });

    describe('M04 arrears: approved claims left unpaid', () => {
      let claim: number;
      let approved: string;
      const quiet: number[] = [];
      const review = { signedOn: '2026-06-28', opinion: '單據齊全' };

      /** Drafted with every document, submitted, and reviewed by the township and the line department. */
      const lineReviewed = async (contractId: number, amount: string): Promise<number> => {
        const id = (await w.village.post('/api/v1/claims').send(packet(contractId, amount)).expect(201)).body.id as number;
        await attachAll(w.village, id);
        await w.village.post(`/api/v1/claims/${id}/submit`).expect(200);
        await w.township.post(`/api/v1/claims/${id}/township-review`).send(review).expect(200);
        await w.line.post(`/api/v1/claims/${id}/line-review`).send({ result: 'pass', opinion: '工程量相符' }).expect(200);
        return id;
      };

      beforeAll(async () => {
        atWork();
        const c = await w.contract('100000.00');
        claim = await lineReviewed(c.id, '10000.00');
        await w.maker.post(`/api/v1/claims/${claim}/approve`).send({ opinion: '同意' }).expect(200);
        approved = await dayOf(
          `SELECT (max(at) AT TIME ZONE 'Asia/Shanghai')::date::text AS d FROM claim_steps WHERE claim_id = $1 AND step IN ('approve', 'leader_sign')`,
          [claim],
        );
        // Paid; still in review; approved by county finance and waiting for the leader's signature.
        const paid = await lineReviewed(c.id, '5000.00');
        await w.maker.post(`/api/v1/claims/${paid}/approve`).send({ opinion: '同意' }).expect(200);
        await w.payer.post(`/api/v1/claims/${paid}/pay`).send({ payeeAccount: PAYEE.account }).expect(200);
        const inReview = await lineReviewed(c.id, '3000.00');
        const big = await w.contract('600000.00');
        const waiting = await lineReviewed(big.id, '560000.00');
        expect((await w.maker.post(`/api/v1/claims/${waiting}/approve`).send({ opinion: '同意' }).expect(200)).body).toMatchObject({
          state: 'line_reviewed',
          next: 'leader_sign',
        });
        quiet.push(paid, inReview, waiting);
      });

      it('is yellow from the 30th day after approval, silent on the 29th', async () => {
        expect((await on(addDays(approved, 29), 'M04')).get(String(claim))).toBeUndefined();
        const f = (await on(addDays(approved, 30), 'M04')).get(String(claim));
        expect(f).toMatchObject({
          subjectType: 'claim',
          severity: 'yellow',
          unitId: w.villageId,
          evidence: { claimId: claim, amount: '10000.00', approvedOn: approved, days: 30, payee: PAYEE.name },
        });
        expect(f!.summary).toMatch(
          new RegExp(`^報帳單 ${claim}（項目「通村公路 \\d+」，收款人 ${PAYEE.name}）於 ${approved} 審批同意支付 10000\\.00 元，已 30 天未支付$`),
        );
      });

      it('is red from the 60th day, yellow on the 59th', async () => {
        expect((await on(addDays(approved, 59), 'M04')).get(String(claim))?.severity).toBe('yellow');
        expect((await on(addDays(approved, 60), 'M04')).get(String(claim))).toMatchObject({ severity: 'red', evidence: { days: 60 } });
      });

      it('never counts a paid claim, one still in review, or one waiting for the leader', async () => {
        const found = await on(addDays(approved, 400), 'M04');
        expect(found.get(String(claim))?.severity).toBe('red');
        for (const id of quiet) expect(found.get(String(id))).toBeUndefined();
      });

      it('follows arrears_days from the day a change takes effect', async () => {
        await changePolicy('arrears_days', '20', addDays(approved, 25));
        expect((await on(addDays(approved, 24), 'M04')).get(String(claim))).toBeUndefined();
        expect((await on(addDays(approved, 25), 'M04')).get(String(claim))).toMatchObject({ severity: 'yellow', evidence: { days: 25 } });
        expect((await on(addDays(approved, 60), 'M04')).get(String(claim))?.severity).toBe('red');
      });
    });

    describe('M05 arrears: retention held past its defect period', () => {
      let held: number;
      let defectEnds: string;
      const quiet: number[] = [];

      /** An acceptance of the contract, signed by its four departments; transport's result decides it. */
      const acceptance = async (projectId: number, contractId: number, transport: 'pass' | 'fail' = 'pass') => {
        const a = (await w.line.post(`/api/v1/projects/${projectId}/acceptances`).send({ contractId, scaleStatement: '硬化3公里，質量合格' }).expect(201)).body;
        await w.checker.post(`/api/v1/acceptances/${a.id}/signoffs`).send({ department: 'finance', result: 'pass', notes: 'ok' }).expect(200);
        await w.inspector.post(`/api/v1/acceptances/${a.id}/signoffs`).send({ department: 'audit', result: 'pass', notes: 'ok' }).expect(200);
        await w.line.post(`/api/v1/acceptances/${a.id}/signoffs`).send({ department: 'line', result: 'pass', notes: 'ok' }).expect(200);
        return (
          await w.inspector2.post(`/api/v1/acceptances/${a.id}/signoffs`).send({ department: 'transport', result: transport, notes: transport }).expect(200)
        ).body as { state: string; closedAt: string; defectDays: number | null };
      };
      /** A contract paid 40,000.00 of 100,000.00, withholding 6,000.00 of retention (15%). */
      const withRetention = async () => {
        const c = await w.contract('100000.00');
        expect((await pay(c.id, '40000.00')).body).toMatchObject({ retention: '6000.00' });
        return c;
      };

      beforeAll(async () => {
        atWork();
        // Acceptances passed from today on carry a 10-day defect period.
        await changePolicy('retention_defect_days', '10', WORK_DAY);
        atWork();
        const c = await withRetention();
        held = c.id;
        const passed = await acceptance(c.projectId, c.id);
        expect(passed).toMatchObject({ state: 'passed', defectDays: 10 });
        defectEnds = addDays(chinaDate(new Date(passed.closedAt)), 10);

        const notAccepted = await withRetention();
        const forfeited = await withRetention();
        await acceptance(forfeited.projectId, forfeited.id);
        const forfeit = await w.maker.post(`/api/v1/contracts/${forfeited.id}/retention/forfeit`).send({ amount: '6000.00', reason: '路面修補' }).expect(201);
        await w.checker.post(`/api/v1/retention-movements/${forfeit.body.id}/approve`).expect(200);
        // Passed, then opened again for rework and failed: not accepted any more.
        const reworked = await withRetention();
        await acceptance(reworked.projectId, reworked.id);
        expect((await acceptance(reworked.projectId, reworked.id, 'fail')).state).toBe('failed');
        quiet.push(notAccepted.id, forfeited.id, reworked.id);
      });

      it('is yellow from the 30th day after the defect period ended, silent on the 29th', async () => {
        expect((await on(addDays(defectEnds, 29), 'M05')).get(String(held))).toBeUndefined();
        const f = (await on(addDays(defectEnds, 30), 'M05')).get(String(held));
        expect(f).toMatchObject({
          subjectType: 'contract',
          severity: 'yellow',
          unitId: w.villageId,
          evidence: { contractId: held, defectPeriodEndsOn: defectEnds, daysAfterDefectPeriod: 30, retentionHeld: '6000.00', payee: PAYEE.name },
        });
        expect(f!.summary).toMatch(
          new RegExp(
            `^合同「合同 \\d+」（項目「通村公路 \\d+」，收款人 ${PAYEE.name}）缺陷責任期於 ${defectEnds} 屆滿，已過 30 天，質量保證金 6000\\.00 元仍未返還或扣留$`,
          ),
        );
      });

      it('is red from twice the overdue days, yellow the day before', async () => {
        expect((await on(addDays(defectEnds, 59), 'M05')).get(String(held))?.severity).toBe('yellow');
        expect((await on(addDays(defectEnds, 60), 'M05')).get(String(held))).toMatchObject({ severity: 'red', evidence: { daysAfterDefectPeriod: 60 } });
      });

      it('never counts retention without a passed acceptance, after a failed rework, or forfeited', async () => {
        const found = await on(addDays(defectEnds, 400), 'M05');
        expect(found.get(String(held))?.severity).toBe('red');
        for (const id of quiet) expect(found.get(String(id))).toBeUndefined();
      });

      it('follows retention_overdue_days from the day a change takes effect', async () => {
        await changePolicy('retention_overdue_days', '20', addDays(defectEnds, 25));
        expect((await on(addDays(defectEnds, 24), 'M05')).get(String(held))).toBeUndefined();
        expect((await on(addDays(defectEnds, 25), 'M05')).get(String(held))).toMatchObject({ severity: 'yellow', evidence: { daysAfterDefectPeriod: 25 } });
        expect((await on(addDays(defectEnds, 40), 'M05')).get(String(held))?.severity).toBe('red');
      });
    });
  });
});
