import { DataSource } from 'typeorm';
import { Actor } from '../../src/common/context';
import { money } from '../../src/common/money';
import { pgErrorOf } from '../../src/database/pg-errors';
import { inTransaction } from '../../src/database/unit-of-work';
import { credit, debit } from '../../src/ledger/domain/entry';
import { LedgerPostingService } from '../../src/ledger/ledger-posting.service';
import { LedgerReadingService } from '../../src/ledger/ledger-reading.service';
import { Finding } from '../../src/monitoring/domain/detector';
import { TestApp, startTestApp } from '../support/app';
import { ClaimWorld, PAYEE, attachAll, claimCounts, claimWorld, packet } from '../support/claims';
import { MAKER, openAccount, post, posting, reverse, sumOfLinesMismatches } from '../support/factories';
import { detect } from '../support/monitoring';

/** Monitoring of 轉移 (M06, M07), 挪用 (M08, M09) and 擠占 (M10): each fires on its case and not on the near miss. */
describe('monitoring: diversion, misuse and crowding out', () => {
  const FAMILY = ['M06', 'M07', 'M08', 'M09', 'M10'];
  let t: TestApp;
  let countyId: number;

  beforeAll(async () => {
    t = await startTestApp();
    [{ id: countyId }] = await t.ds.query(`SELECT id FROM counties ORDER BY id LIMIT 1`);
  });
  afterAll(async () => {
    t.clock.travelTo(null);
    await t.close();
  });

  it('an empty county gives no findings', async () => {
    for (const id of FAMILY) expect(await detect(t, id)).toEqual([]);
  });

  describe('with money received, budgeted and committed', () => {
    let w: ClaimWorld;
    let dedicatedAccountId: number;
    let makerId: number;
    const review = { signedOn: '2026-06-28', opinion: '單據齊全' };

    /** A claim drafted with its packet's expense lines, every document attached, and submitted. */
    const submitted = async (contractId: number, amount: string, expenses: object[]) => {
      const claim = (
        await w.village
          .post('/api/v1/claims')
          .send(packet(contractId, amount, { expenses }))
          .expect(201)
      ).body;
      await attachAll(w.village, claim.id);
      await w.village.post(`/api/v1/claims/${claim.id}/submit`).expect(200);
      return claim.id as number;
    };
    /** Submitted, reviewed by the township and the line department, approved by county finance (below the leader's threshold). */
    const approved = async (contractId: number, amount: string, expenses: object[]) => {
      const id = await submitted(contractId, amount, expenses);
      await w.township.post(`/api/v1/claims/${id}/township-review`).send(review).expect(200);
      await w.line.post(`/api/v1/claims/${id}/line-review`).send({ result: 'pass', opinion: '工程量相符' }).expect(200);
      expect((await w.maker.post(`/api/v1/claims/${id}/approve`).send({ opinion: '同意' }).expect(200)).body.state).toBe('approved');
      return id;
    };
    const paid = async (contractId: number, amount: string, expenses: object[]) => {
      const id = await approved(contractId, amount, expenses);
      await w.payer.post(`/api/v1/claims/${id}/pay`).send({ payeeAccount: PAYEE.account }).expect(200);
      return id;
    };
    /** The findings of one detector, by subject id. */
    const bySubject = async (id: string) => new Map((await detect(t, id)).map((f) => [f.subjectId, f]));

    beforeAll(async () => {
      w = await claimWorld(t);
      [{ id: dedicatedAccountId }] = await t.ds.query(`SELECT id FROM dedicated_accounts WHERE code = 'D001'`);
      [{ id: makerId }] = await t.ds.query(`SELECT id FROM users WHERE username = $1`, [MAKER]);
    });
    afterEach(async () => {
      expect(await sumOfLinesMismatches(t)).toEqual([]);
    });

    it('money received and committed to a signed contract gives no findings yet', async () => {
      await w.contract('50000.00');
      for (const id of FAMILY) expect(await detect(t, id)).toEqual([]);
    });

    describe('M06: money out of a dedicated account without a recorded payment', () => {
      it('a contract payment, a retention release and the refund of a receipt do not fire; the ledger reads each outflow', async () => {
        const c = await w.contract('100000.00');
        const payment = (await w.maker.post(`/api/v1/contracts/${c.id}/payments`).send({ amount: '20000.00', payeeAccount: PAYEE.account }).expect(201)).body;
        expect(payment).toMatchObject({ retention: '3000.00', net: '17000.00' });

        await w.inspector.post(`/api/v1/contracts/${c.id}/inspections`).send({ result: 'pass', notes: '完工' }).expect(201);
        const acceptance = (await w.line.post(`/api/v1/projects/${c.projectId}/acceptances`).send({ contractId: c.id, scaleStatement: '合格' }).expect(201))
          .body;
        await w.maker.post(`/api/v1/acceptances/${acceptance.id}/signoffs`).send({ department: 'finance', result: 'pass', notes: 'ok' }).expect(200);
        await w.line.post(`/api/v1/acceptances/${acceptance.id}/signoffs`).send({ department: 'line', result: 'pass', notes: 'ok' }).expect(200);
        await w.inspector.post(`/api/v1/acceptances/${acceptance.id}/signoffs`).send({ department: 'audit', result: 'pass', notes: 'ok' }).expect(200);
        await w.inspector2.post(`/api/v1/acceptances/${acceptance.id}/signoffs`).send({ department: 'transport', result: 'pass', notes: 'ok' }).expect(200);
        const release = (await w.maker.post(`/api/v1/contracts/${c.id}/retention/release`).send({ amount: '3000.00', reason: '缺陷責任期滿' }).expect(201))
          .body;
        const posted = (await w.checker.post(`/api/v1/retention-movements/${release.id}/approve`).expect(200)).body;

        // An allocation registered in error and refunded: the reversal of its receipt takes the money back out.
        const wrong = (
          await w.maker
            .post('/api/v1/fund-allocations')
            .send({
              issuingLevel: 'provincial',
              fiscalYear: 2026,
              dedicatedAccountId,
              receivedOn: '2026-03-02',
              documentNumber: 'A2',
              fundType: '以工代賑',
              amount: '1000.00',
              permittedCategories: ['infrastructure'],
            })
            .expect(201)
        ).body;
        const refund = await reverse(t, wrong.receiptTransactionId, { reason: '重複登記，退回' });
        expect(refund.status).toBe(201);

        expect(await detect(t, 'M06')).toEqual([]);

        const outflows = await t.app.get(DataSource).transaction((em) => t.app.get(LedgerReadingService).outflows(em, countyId));
        const shown = outflows.map((o) => [o.transactionId, o.purpose, o.reversesPurpose, o.account, o.amount.toFixed(2)]);
        expect(shown).toEqual(
          expect.arrayContaining([
            [payment.transactionId, 'payment', null, 'bank:D001', '17000.00'],
            [posted.transactionId, 'retention', null, 'bank:D001', '3000.00'],
            [refund.body.id, 'reversal', 'receipt', 'bank:D001', '1000.00'],
          ]),
        );
        const reversals = await t.app.get(DataSource).transaction((em) => t.app.get(LedgerReadingService).outflows(em, countyId, { purpose: 'reversal' }));
        expect(reversals.map((o) => o.transactionId)).toEqual([refund.body.id]);
        const elsewhere = await t.app
          .get(DataSource)
          .transaction((em) => t.app.get(LedgerReadingService).outflows(em, countyId, { dedicatedAccountId: dedicatedAccountId + 1000 }));
        expect(elsewhere).toEqual([]);
      });

      it('a payment-labelled outflow with no contract payment fires in the unit of work that posts it, and the database refuses to commit it', async () => {
        await openAccount(t, 'suspense:paid-out', 'expense');
        const [county] = await t.ds.query(`SELECT id, code FROM counties WHERE id = $1`, [countyId]);
        const actor: Actor = { county, actor: MAKER, userId: makerId, roles: ['county_finance'], orgUnit: null };
        const before = await claimCounts(t);
        let findings: Finding[] = [];
        let transactionId = '';
        const refused = await inTransaction(t.app.get(DataSource), async (em) => {
          // What a workflow bug or a hand-made entry would write: purpose payment, no contract_payments row.
          const tx = await t.app.get(LedgerPostingService).post(em, actor, {
            effectiveDate: t.clock.today(),
            memo: '付款（無合同）',
            purpose: 'payment',
            lines: [debit({ code: 'suspense:paid-out' }, money('5000.00')), credit({ kind: 'bank', dedicatedAccountId }, money('5000.00'))],
          });
          transactionId = tx.id;
          findings = await detect(t, 'M06', { countyId, em });
        }).catch((err: unknown) => err);

        expect(findings).toHaveLength(1);
        expect(findings[0]).toMatchObject({
          subjectType: 'transaction',
          subjectId: transactionId,
          severity: 'red',
          unitId: null,
          evidence: { transactionId, purpose: 'payment', amount: '5000.00', accounts: [{ dedicatedAccountId, account: 'bank:D001', amount: '5000.00' }] },
        });
        expect(findings[0].summary).toContain('5000.00');
        expect(findings[0].summary).toContain('bank:D001');
        // The database holds purpose payment to a contract payment at commit: nothing of it was kept.
        expect(pgErrorOf(refused)).toMatchObject({ code: 'FL007' });
        expect(String((refused as Error).message)).toContain('no contract payment records it');
        expect(await claimCounts(t)).toEqual(before);
        expect(await detect(t, 'M06')).toEqual([]);
      });

      it('a deposit made by hand and then reversed takes money out with no contract: fires, red, on the reversal', async () => {
        await openAccount(t, 'suspense:deposit', 'liability');
        const today = t.clock.today();
        const deposit = await post(
          t,
          posting(
            [
              { account: 'bank:D001', debit: '800.00' },
              { account: 'suspense:deposit', credit: '800.00' },
            ],
            today,
            '暫收款',
          ),
        );
        expect(await detect(t, 'M06')).toEqual([]);
        const reversal = await reverse(t, deposit.body.id, { reason: '退回' });
        expect(reversal.status).toBe(201);

        const findings = await detect(t, 'M06');
        expect(findings).toHaveLength(1);
        expect(findings[0]).toMatchObject({
          subjectType: 'transaction',
          subjectId: reversal.body.id,
          severity: 'red',
          unitId: null,
          evidence: {
            transactionId: reversal.body.id,
            purpose: 'reversal',
            reversesId: deposit.body.id,
            reversesPurpose: 'manual',
            effectiveDate: today,
            amount: '800.00',
            accounts: [{ dedicatedAccountId, account: 'bank:D001', amount: '800.00' }],
          },
        });
        expect(findings[0].summary).toMatch(/^\d{4}-\d{2}-\d{2} 專戶 bank:D001 流出 800\.00 元（沖銷手工記帳）/);
      });
    });

    describe('M07: a contract paying a staff member’s own account', () => {
      // Valid resident ID numbers (GB 11643 check digits).
      const STAFF_ID = '42112419800101006X';
      const OTHER_STAFF_ID = '421124198512120017';
      const NAMESAKE_ID = '421124199005050012';
      const PAYEE_IDS = ['421124199005050020', '421124199005050039', '421124199005050047'];
      let projectId: number;

      /** A register entry, written as the owner: the register's own API is not what is tested here. */
      const register = async (entry: { name: string; idNumber?: string; bankAccount?: string; relation?: string }) => {
        const [row] = await t.ds.query(
          `INSERT INTO related_parties (county_id, name, id_number, bank_account, relation, official_name, office, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, '溫泉鎮財政所', $7) RETURNING id`,
          [countyId, entry.name, entry.idNumber ?? null, entry.bankAccount ?? null, entry.relation ?? 'self', entry.name, makerId],
        );
        return row.id as number;
      };
      /** A contract drafted on the project to an individual payee. */
      const drafted = async (name: string, account: string, idNumber: string, amount = '10000.00') =>
        (
          await w.maker
            .post(`/api/v1/projects/${projectId}/contracts`)
            .send({
              title: `勞務合同 ${name}`,
              payee: { name, type: 'individual', bank: '英山農商行', account, idNumber },
              amount,
              schedule: [],
              letters: {
                countyToTownship: { reference: '英扶責〔2026〕8號', date: '2026-04-01' },
                townshipToVillage: { reference: '溫扶責〔2026〕3號', date: '2026-04-05' },
                villageToContractor: { reference: '一村責〔2026〕1號', date: '2026-04-08' },
              },
            })
            .expect(201)
        ).body.id as number;

      beforeAll(async () => {
        ({ projectId } = await w.contract('1000.00'));
        const line = (await w.maker.post(`/api/v1/projects/${projectId}/budget-lines`).send({ allocationId: w.allocationId, amount: '100000.00' }).expect(201))
          .body;
        if (line.state !== 'posted') await w.leader.post(`/api/v1/projects/${projectId}/budget-lines/${line.id}/sign`).expect(200);
      });

      it('fires on the payee account of a signed and paid contract, however the register wrote it; the evidence names the entry', async () => {
        const entry = await register({ name: '李四', bankAccount: '6222 0000-1111 2222' });
        const c = await drafted('李四', '6222000011112222', PAYEE_IDS[0]);
        await w.checker.post(`/api/v1/contracts/${c}/sign`).expect(200);
        await w.maker.post(`/api/v1/contracts/${c}/payments`).send({ amount: '4000.00', payeeAccount: '6222000011112222' }).expect(201);

        const found = (await bySubject('M07')).get(String(c));
        expect(found).toMatchObject({
          subjectType: 'contract',
          severity: 'red',
          unitId: null,
          evidence: {
            contractId: c,
            state: 'signed',
            projectId,
            payeeAccount: '6222000011112222',
            amount: '10000.00',
            paid: '4000.00',
            register: [{ relatedPartyId: entry, name: '李四', office: '溫泉鎮財政所', matchedOn: ['bankAccount'] }],
          },
        });
        expect(found!.summary).toContain('銀行賬戶');
        expect(found!.summary).toContain('李四（溫泉鎮財政所）');
      });

      it('fires on the payee’s ID number alone, a draft included', async () => {
        const entry = await register({ name: '張三', idNumber: STAFF_ID.toLowerCase() });
        const c = await drafted('張三', '6222000033334444', STAFF_ID);
        const found = (await bySubject('M07')).get(String(c));
        expect(found).toMatchObject({
          severity: 'red',
          evidence: { state: 'draft', paid: '0.00', register: [{ relatedPartyId: entry, matchedOn: ['idNumber'] }] },
        });
        expect(found!.summary).toContain('身份證號');
      });

      it('does not fire on a removed entry, a name alone, or a relative (another rule’s)', async () => {
        const removed = await register({ name: '趙六', bankAccount: '6222000055556666', idNumber: OTHER_STAFF_ID });
        await t.ds.query(`UPDATE related_parties SET removed_at = now(), removed_by = $2, removal_reason = '已調離' WHERE id = $1`, [removed, makerId]);
        const afterRemoval = await drafted('趙六', '6222000055556666', OTHER_STAFF_ID);
        await register({ name: '王五', bankAccount: '6222000077778888', idNumber: NAMESAKE_ID });
        const namesake = await drafted('王五', '6222000099990000', PAYEE_IDS[1]);
        await register({ name: '孫七', bankAccount: '6222000012120000', relation: 'spouse' });
        const spouse = await drafted('孫七', '6222000012120000', PAYEE_IDS[2]);

        const found = await bySubject('M07');
        for (const c of [afterRemoval, namesake, spouse]) expect(found.has(String(c))).toBe(false);
        expect(found.size).toBe(2);
      });
    });

    describe('M08: claims spending on the negative list', () => {
      let contract: { id: number; projectId: number };
      beforeAll(async () => {
        contract = await w.contract('200000.00');
      });

      it('a bad expense category is refused with the field named, and nothing is written', async () => {
        const before = await claimCounts(t);
        const body = packet(contract.id, '1000.00', { expenses: [{ description: '公務用車', amount: '1000.00', category: 'car' }] });
        const res = await w.village.post('/api/v1/claims').send(body).expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain('expenses.0.category');
        expect(await claimCounts(t)).toEqual(before);
      });

      it('keeps each line’s category in the stored expenses and the version’s packet; a line may leave it out', async () => {
        const expenses = [
          { description: '路基土方', amount: '600.00', category: 'materials' },
          { description: '雜項', amount: '400.00' },
        ];
        const claim = (
          await w.village
            .post('/api/v1/claims')
            .send(packet(contract.id, '1000.00', { expenses }))
            .expect(201)
        ).body;
        const [stored] = await t.ds.query(`SELECT k.expenses, v.packet FROM claims k JOIN claim_versions v ON v.claim_id = k.id WHERE k.id = $1`, [claim.id]);
        expect(stored.expenses).toEqual(expenses);
        expect(stored.packet.expenses).toEqual(expenses);
        const detail = (await w.auditor.get(`/api/v1/claims/${claim.id}`).expect(200)).body;
        expect(detail.versions[0].packet.expenses).toEqual(expenses);
        await w.village.post(`/api/v1/claims/${claim.id}/withdraw`).send({ reason: '重填' }).expect(200);
      });

      it('fires, red, once a claim with a negative-list line is submitted; a draft, a withdrawn claim and allowed categories do not', async () => {
        const listed = [
          { description: '工作用手機', amount: '3000.00', category: 'vehicles_comms' },
          { description: '路基', amount: '6000.00', category: 'materials' },
          { description: '發放補貼', amount: '1000.00', category: 'bonuses' },
        ];
        const draft = (
          await w.village
            .post('/api/v1/claims')
            .send(packet(contract.id, '10000.00', { expenses: listed }))
            .expect(201)
        ).body;
        expect(await detect(t, 'M08')).toEqual([]);
        await w.village.post(`/api/v1/claims/${draft.id}/withdraw`).send({ reason: '重填' }).expect(200);
        expect(await detect(t, 'M08')).toEqual([]);

        const allowed = await submitted(contract.id, '10000.00', [
          { description: '路基', amount: '9000.00', category: 'materials' },
          { description: '監理', amount: '1000.00', category: 'services' },
        ]);
        const flagged = await submitted(contract.id, '10000.00', listed);

        const found = await bySubject('M08');
        expect(found.has(String(allowed))).toBe(false);
        expect([...found.keys()]).toEqual([String(flagged)]);
        expect(found.get(String(flagged))).toMatchObject({
          subjectType: 'claim',
          severity: 'red',
          unitId: w.villageId,
          evidence: {
            claimId: flagged,
            state: 'submitted',
            projectId: contract.projectId,
            claimAmount: '10000.00',
            negativeTotal: '4000.00',
            lines: [
              { index: 0, category: 'vehicles_comms', categoryName: '交通工具及通訊設備', description: '工作用手機', amount: '3000.00' },
              { index: 2, category: 'bonuses', categoryName: '獎金津貼福利', description: '發放補貼', amount: '1000.00' },
            ],
          },
        });
        expect(found.get(String(flagged))!.summary).toContain('交通工具及通訊設備 3000.00 元、獎金津貼福利 1000.00 元');
      });
    });

    describe('M09: spending outside the project’s category', () => {
      it('fires when the category changed after spending (only past the database’s guards); not where nothing was spent', async () => {
        const spent = await w.contract('30000.00');
        await paid(spent.id, '10000.00', [{ description: '路基', amount: '10000.00', category: 'materials' }]);
        const unspent = await w.contract('30000.00');
        expect(await detect(t, 'M09')).toEqual([]);

        // The project row refuses a change of category (projects_keep_identity); only the owner, with the guards
        // switched off, gets one through.
        const recategorise = async (projectId: number, category: string) =>
          t.ds.transaction(async (em) => {
            await em.query(`SET LOCAL session_replication_role = replica`);
            await em.query(`UPDATE projects SET category = $2 WHERE id = $1`, [projectId, category]);
          });
        await expect(t.ds.query(`UPDATE projects SET category = 'industry' WHERE id = $1`, [spent.projectId])).rejects.toThrow(
          /keeps its county, village, category/,
        );
        await recategorise(spent.projectId, 'industry');
        await recategorise(unspent.projectId, 'industry');
        try {
          const findings = await detect(t, 'M09');
          expect(findings.map((f) => f.subjectId)).toEqual([`${spent.projectId}:${w.allocationId}`]);
          expect(findings[0]).toMatchObject({
            subjectType: 'budget',
            severity: 'red',
            unitId: w.villageId,
            evidence: {
              projectId: spent.projectId,
              allocationId: w.allocationId,
              projectCategory: 'industry',
              permittedCategories: ['infrastructure'],
              total: '10000.00',
              accounts: [{ category: 'infrastructure', amount: '10000.00', notProjectCategory: true, notPermitted: false }],
            },
          });
          expect(findings[0].summary).toContain('10000.00');

          // An allocation whose permitted uses no longer cover what was spent: every budget spent from it.
          await t.ds.transaction(async (em) => {
            await em.query(`SET LOCAL session_replication_role = replica`);
            await em.query(`UPDATE fund_allocations SET permitted_categories = '{industry}' WHERE id = $1`, [w.allocationId]);
          });
          const narrowed = await bySubject('M09');
          expect(narrowed.get(`${spent.projectId}:${w.allocationId}`)?.evidence).toMatchObject({
            accounts: [{ notProjectCategory: true, notPermitted: true }],
          });
          expect(narrowed.size).toBeGreaterThan(1);
          for (const f of narrowed.values()) expect((f.evidence.accounts as { notPermitted: boolean }[]).every((a) => a.notPermitted)).toBe(true);
        } finally {
          await t.ds.transaction(async (em) => {
            await em.query(`SET LOCAL session_replication_role = replica`);
            await em.query(`UPDATE fund_allocations SET permitted_categories = '{infrastructure}' WHERE id = $1`, [w.allocationId]);
          });
          await recategorise(spent.projectId, 'infrastructure');
          await recategorise(unspent.projectId, 'infrastructure');
        }
        expect(await detect(t, 'M09')).toEqual([]);
      });
    });

    describe('M10: management costs above the cap of the project’s budget', () => {
      const lines = (management: string, rest: string) => [
        { description: '項目管理', amount: management, category: 'management' },
        { description: '路基', amount: rest, category: 'materials' },
      ];

      it('yellow just above the cap, red above twice it, nothing at the cap or for claims not yet approved; a policy change moves the line on its date', async () => {
        const atCap = await w.contract('100000.00');
        const over = await w.contract('100000.00');
        const farOver = await w.contract('100000.00');
        const atTwice = await w.contract('100000.00');
        await approved(atCap.id, '10000.00', lines('1000.00', '9000.00'));
        // Submitted, not approved: not counted, however large.
        await submitted(atCap.id, '10000.00', lines('5000.00', '5000.00'));
        await paid(over.id, '10000.00', lines('1000.01', '8999.99'));
        await approved(farOver.id, '5000.00', lines('1000.00', '4000.00'));
        await paid(farOver.id, '5000.00', lines('1000.01', '3999.99'));
        await approved(atTwice.id, '10000.00', lines('2000.00', '8000.00'));

        const found = await bySubject('M10');
        expect(found.has(String(atCap.projectId))).toBe(false);
        expect(found.get(String(over.projectId))).toMatchObject({
          subjectType: 'project',
          severity: 'yellow',
          unitId: w.villageId,
          evidence: { projectId: over.projectId, management: '1000.01', budget: '100000.00', cap: '0.01', allowed: '1000.00', share: '0.01000010' },
        });
        expect(found.get(String(over.projectId))!.summary).toContain('管理費 1000.01 元，超過項目預算 100000.00 元的上限 1%（1000.00 元）');
        expect(found.get(String(farOver.projectId))).toMatchObject({ severity: 'red', evidence: { management: '2000.01' } });
        expect((found.get(String(farOver.projectId))!.evidence.claimIds as number[]).length).toBe(2);
        expect(found.get(String(farOver.projectId))!.summary).toContain('上限 1% 的兩倍（2000.00 元）');
        expect(found.get(String(atTwice.projectId))).toMatchObject({ severity: 'yellow', evidence: { management: '2000.00' } });

        // Halving the cap from a later date: the same claims are judged by the value in force on the day.
        const effectiveFrom = addDays(t.clock.today(), 7);
        const change = (
          await w.maker
            .post('/api/v1/policies/changes')
            .send({ key: 'management_fee_cap', value: '0.005', effectiveFrom, reason: '縣定項目管理費上限0.5%' })
            .expect(201)
        ).body;
        await w.leader.post(`/api/v1/policies/changes/${change.id}/approve`).expect(200);
        expect((await bySubject('M10')).has(String(atCap.projectId))).toBe(false);

        t.clock.travelTo(addDays(effectiveFrom, -1));
        expect((await bySubject('M10')).has(String(atCap.projectId))).toBe(false);
        t.clock.travelTo(effectiveFrom);
        try {
          const later = await bySubject('M10');
          expect(later.get(String(atCap.projectId))).toMatchObject({
            severity: 'yellow',
            evidence: { cap: '0.005', allowed: '500.00', management: '1000.00' },
          });
          expect(later.get(String(over.projectId))?.severity).toBe('red');
          expect(later.get(String(atTwice.projectId))?.severity).toBe('red');
          expect(later.get(String(farOver.projectId))?.severity).toBe('red');
        } finally {
          t.clock.travelTo(null);
        }
      });
    });
  });
});

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
