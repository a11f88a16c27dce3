import { idCardCheckCharacter, usccCheckCharacter } from '../../src/common/identifiers';
import { Finding } from '../../src/monitoring/domain/detector';
import { As, TestApp, startTestApp } from '../support/app';
import { ClaimWorld, attachAll, claimWorld, packet } from '../support/claims';
import { detect, findingsBySubject } from '../support/monitoring';

/**
 * Monitoring detectors M11–M15: contracts and claims split under a threshold, one invoice or one payment claimed twice
 * (across counties too), and payees on the register of officials' relatives. The workflow is driven over HTTP; the
 * register's rows and a second county's rows are written as the schema's owner (no API creates either yet).
 */
const TODAY = '2026-07-01';
const LETTERS = {
  countyToTownship: { reference: '英扶責〔2026〕8號', date: '2026-04-01' },
  townshipToVillage: { reference: '溫扶責〔2026〕3號', date: '2026-04-05' },
  villageToContractor: { reference: '一村責〔2026〕1號', date: '2026-04-08' },
};
const DETECTORS = ['M11', 'M12', 'M13', 'M14', 'M15'];

interface Payee {
  name: string;
  type: 'company' | 'individual';
  bank: string;
  account: string;
  taxId?: string;
  idNumber?: string;
}

let serial = 0;
/** A payee of its own for each case, so that no case joins another's set. */
function company(name?: string): Payee {
  const n = String(++serial).padStart(7, '0');
  const first17 = `91421124MA${n}`;
  return {
    name: name ?? `英山縣第${serial}建築公司`,
    type: 'company',
    bank: '英山農商行',
    account: `622200${n}`,
    taxId: first17 + usccCheckCharacter(first17),
  };
}
function person(name?: string): Payee {
  const n = String(++serial).padStart(3, '0');
  const first17 = `42112419800101${n}`;
  return {
    name: name ?? `村民${serial}`,
    type: 'individual',
    bank: '英山農商行',
    account: `6228000${String(serial).padStart(7, '0')}`,
    idNumber: first17 + idCardCheckCharacter(first17),
  };
}
/** Another ID number that passes its check, for register entries that must not match. */
function otherIdNumber(): string {
  const first17 = `42112419900101${String(++serial).padStart(3, '0')}`;
  return first17 + idCardCheckCharacter(first17);
}

function subjectsWith(findings: Map<string, Finding>, part: string): string[] {
  return [...findings.keys()].filter((k) => k.includes(part));
}

describe('monitoring: splitting, duplicates and related parties (M11–M15)', () => {
  let t: TestApp;
  let w: ClaimWorld;
  let allocationId: number;
  let countyCode: string;

  /** A library project of the village (default: the first). */
  const project = (village: As = w.village) => w.project({ village });

  /** A contract with `payee`, signed today with its budget unless `draft`. */
  const contract = async (projectId: number, payee: Payee, amount: string, options: { draft?: boolean; tender?: object } = {}) => {
    if (!options.draft) {
      const line = (await w.maker.post(`/api/v1/projects/${projectId}/budget-lines`).send({ allocationId, amount }).expect(201)).body;
      if (line.state !== 'posted') await w.leader.post(`/api/v1/projects/${projectId}/budget-lines/${line.id}/sign`).expect(200);
    }
    const draft = (
      await w.maker
        .post(`/api/v1/projects/${projectId}/contracts`)
        .send({ title: `合同 ${++serial}`, payee, amount, schedule: [], letters: LETTERS, ...(options.tender && { tender: options.tender }) })
        .expect(201)
    ).body;
    if (!options.draft) await w.checker.post(`/api/v1/contracts/${draft.id}/sign`).expect(200);
    return draft.id as number;
  };

  /** A claim of the first village, submitted unless `draft`. */
  const claim = async (contractId: number, amount: string, over: Record<string, unknown> = {}, draft = false) => {
    const id = (
      await w.village
        .post('/api/v1/claims')
        .send(packet(contractId, amount, over))
        .expect(201)
    ).body.id as number;
    if (!draft) {
      await attachAll(w.village, id);
      await w.village.post(`/api/v1/claims/${id}/submit`).expect(200);
    }
    return id;
  };

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.travelTo(TODAY);
    w = await claimWorld(t);
    const [account] = await t.ds.query(`SELECT id FROM dedicated_accounts WHERE code = 'D001'`);
    allocationId = (
      await w.maker
        .post('/api/v1/fund-allocations')
        .send({
          issuingLevel: 'provincial',
          fiscalYear: 2026,
          dedicatedAccountId: account.id,
          receivedOn: '2026-03-01',
          documentNumber: 'A2',
          fundType: '以工代賑',
          amount: '90000000.00',
          permittedCategories: ['infrastructure'],
        })
        .expect(201)
    ).body.id;
    [{ code: countyCode }] = await t.ds.query(`SELECT code FROM counties ORDER BY id LIMIT 1`);
  });
  afterAll(() => t.close());

  it('finds nothing in a county with no contracts or claims', async () => {
    for (const id of DETECTORS) expect(await detect(t, id)).toEqual([]);
  });

  describe('M11 contracts split under the tender threshold', () => {
    it('is red for one payee, known by its taxpayer id across two accounts, on one project above the threshold together', async () => {
      const payee = company();
      const p = await project();
      const c1 = await contract(p, payee, '600000.00');
      const c2 = await contract(p, { ...payee, account: '6222990000001' }, '400000.01');
      const found = (await findingsBySubject(t, 'M11')).get(`P${p}:tax:${payee.taxId}`);
      expect(found).toMatchObject({
        subjectType: 'payee',
        severity: 'red',
        unitId: w.villageId,
        evidence: {
          scope: 'project',
          projectId: p,
          threshold: '1000000.00',
          windowDays: 365,
          total: '1000000.01',
          from: TODAY,
          to: TODAY,
          payee: { accounts: ['6222990000001', payee.account].sort(), taxIds: [payee.taxId] },
          contracts: [
            { contractId: c1, amount: '600000.00', signedOn: TODAY },
            { contractId: c2, amount: '400000.01', signedOn: TODAY },
          ],
        },
      });
      expect(found!.summary).toContain('1000000.01');
      expect(found!.summary).toContain('1000000.00');
      // One project: no township finding beside it.
      expect(subjectsWith(await findingsBySubject(t, 'M11'), payee.taxId!)).toEqual([`P${p}:tax:${payee.taxId}`]);
    });

    it('counts a contract equal to the threshold as below it: the service asks a tender only above it', async () => {
      const payee = company();
      const p = await project();
      await contract(p, payee, '1000000.00');
      await contract(p, payee, '100.00');
      expect((await findingsBySubject(t, 'M11')).get(`P${p}:tax:${payee.taxId}`)).toMatchObject({ severity: 'red', evidence: { total: '1000100.00' } });
    });

    it('is silent when the contracts add up to the threshold and no more', async () => {
      const payee = company();
      const p = await project();
      await contract(p, payee, '600000.00');
      await contract(p, payee, '400000.00');
      expect(subjectsWith(await findingsBySubject(t, 'M11'), payee.taxId!)).toEqual([]);
    });

    it('leaves out a contract that went to tender', async () => {
      const payee = company();
      const p = await project();
      const tender = { method: '公開招標', date: '2026-06-01', bidders: [payee.name, '黃岡市第二建築公司'], winner: payee.name };
      await contract(p, payee, '1000000.01', { tender });
      await contract(p, payee, '200000.00');
      expect(subjectsWith(await findingsBySubject(t, 'M11'), payee.taxId!)).toEqual([]);
    });

    it("is yellow for one payee, known by its ID number, across two villages' projects of one township", async () => {
      const payee = person();
      const p1 = await project();
      const p2 = await project(w.otherVillage);
      const c1 = await contract(p1, payee, '500000.00');
      const c2 = await contract(p2, { ...payee, account: '6228990000002' }, '500000.01');
      const findings = await findingsBySubject(t, 'M11');
      expect(findings.get(`T${w.townshipId}:id:${payee.idNumber}`)).toMatchObject({
        subjectType: 'payee',
        severity: 'yellow',
        unitId: w.townshipId,
        evidence: {
          scope: 'township',
          townshipId: w.townshipId,
          projectIds: [p1, p2],
          total: '1000000.01',
          payee: { idNumbers: [payee.idNumber] },
          contracts: [
            { contractId: c1, projectId: p1, amount: '500000.00' },
            { contractId: c2, projectId: p2, amount: '500000.01' },
          ],
        },
      });
      expect(subjectsWith(findings, payee.idNumber!)).toEqual([`T${w.townshipId}:id:${payee.idNumber}`]);
    });

    it('reads contracts signed within the window of each other together, and not a day further apart', async () => {
      const within = company();
      const apart = company();
      const p1 = await project();
      const p2 = await project();
      const first = await contract(p1, within, '600000.00');
      await contract(p2, apart, '600000.00');
      try {
        t.clock.travelTo('2027-07-01');
        const last = await contract(p1, within, '400000.01');
        t.clock.travelTo('2027-07-02');
        await contract(p2, apart, '400000.01');
        const findings = await findingsBySubject(t, 'M11');
        expect(findings.get(`P${p1}:tax:${within.taxId}`)).toMatchObject({
          severity: 'red',
          evidence: { from: TODAY, to: '2027-07-01', contracts: [{ contractId: first }, { contractId: last }] },
        });
        expect(findings.get(`P${p1}:tax:${within.taxId}`)!.summary).toContain('於 2026-07-01 至 2027-07-01（365 天內）');
        expect(subjectsWith(findings, apart.taxId!)).toEqual([]);
      } finally {
        t.clock.travelTo(TODAY);
      }
    });
  });

  describe('M12 claims split under the leader sign-off threshold', () => {
    let near: number;

    it('is yellow for two claims on one contract within the margin under the threshold, the threshold itself included', async () => {
      near = await contract(await project(), company(), '1000000.00');
      const k1 = await claim(near, '450000.00');
      const k2 = await claim(near, '500000.00');
      expect((await findingsBySubject(t, 'M12')).get(String(near))).toMatchObject({
        subjectType: 'contract',
        severity: 'yellow',
        unitId: w.villageId,
        evidence: {
          contractId: near,
          threshold: '500000.00',
          margin: '0.1',
          lowest: '450000.00',
          total: '950000.00',
          claims: [
            { claimId: k1, amount: '450000.00', state: 'submitted' },
            { claimId: k2, amount: '500000.00', state: 'submitted' },
          ],
        },
      });
    });

    it('is silent for a claim a cent under the margin, a cent above the threshold, or one not yet submitted', async () => {
      const under = await contract(await project(), company(), '1000000.00');
      await claim(under, '449999.99');
      await claim(under, '480000.00');
      const over = await contract(await project(), company(), '1000000.00');
      await claim(over, '500000.01');
      await claim(over, '480000.00');
      const drafted = await contract(await project(), company(), '1000000.00');
      await claim(drafted, '460000.00');
      await claim(drafted, '470000.00', {}, true);
      const findings = await findingsBySubject(t, 'M12');
      for (const id of [under, over, drafted]) expect(findings.has(String(id))).toBe(false);
      expect(findings.has(String(near))).toBe(true);
    });

    it('follows a change of the threshold from the day it takes effect', async () => {
      const lower = await contract(await project(), company(), '1000000.00');
      await claim(lower, '380000.00');
      await claim(lower, '390000.00');
      const change = (
        await w.maker
          .post('/api/v1/policies/changes')
          .send({ key: 'leader_signoff_threshold', value: '400000.00', effectiveFrom: '2026-07-10', reason: '領導簽批限額調整為40萬元' })
          .expect(201)
      ).body;
      await w.leader.post(`/api/v1/policies/changes/${change.id}/approve`).expect(200);
      try {
        t.clock.travelTo('2026-07-09');
        let findings = await findingsBySubject(t, 'M12');
        expect(findings.has(String(near))).toBe(true);
        expect(findings.has(String(lower))).toBe(false);
        t.clock.travelTo('2026-07-10');
        findings = await findingsBySubject(t, 'M12');
        expect(findings.has(String(near))).toBe(false);
        expect(findings.get(String(lower))).toMatchObject({ evidence: { threshold: '400000.00', lowest: '360000.00', total: '770000.00' } });
      } finally {
        t.clock.travelTo(TODAY);
      }
    });
  });

  describe('across counties (M13, M14)', () => {
    let other: { countyId: number; code: string; villageId: number; userId: number; projectId: number };
    /** A contract of the other county (drafted: only the service signs, and it serves one county) with `account`. */
    const otherContract = async (account: string) => {
      const [row] = await t.ds.query(
        `INSERT INTO contracts (county_id, project_id, title, payee_name, payee_type, payee_bank, payee_account, payee_tax_id, amount, schedule, letters, state, drafted_by)
         VALUES ($1, $2, '羅田合同', '羅田縣路橋公司', 'company', '羅田農商行', $3, '91421123MA4F0B3K50', 900000, '[]', '{}', 'draft', $4) RETURNING id`,
        [other.countyId, other.projectId, account, other.userId],
      );
      return row.id as number;
    };
    /** A claim of the other county in `state`, with `invoices` ({ issuer_key, code, number } as claim_invoices keeps them). */
    const otherClaim = async (contractId: number, state: string, amount: string, invoices: { issuerKey: string; code: string; number: string }[] = []) => {
      const [row] = await t.ds.query(
        `INSERT INTO claims (county_id, contract_id, project_id, version, state, amount, final, application_date, expenses, drafted_by)
         VALUES ($1, $2, $3, 1, $4, $5, false, '2026-06-25', '[]', $6) RETURNING id`,
        [other.countyId, contractId, other.projectId, state, amount, other.userId],
      );
      for (const i of invoices) {
        await t.ds.query(
          `INSERT INTO claim_invoices (county_id, claim_id, issuer, code, number, issuer_key, number_key, issued_on, amount)
           VALUES ($1, $2, '開票方', $3, $4, $5, $6, '2026-06-20', $7)`,
          [other.countyId, row.id, i.code, i.number, i.issuerKey, `${i.code}-${i.number}`, amount],
        );
      }
      return row.id as number;
    };

    beforeAll(async () => {
      // The API serves one county: a neighbouring county's rows are written as the schema's owner.
      const [county] = await t.ds.query(`INSERT INTO counties (code, name) VALUES ('421123', '羅田縣') RETURNING id, code`);
      const [root] = await t.ds.query(
        `INSERT INTO org_units (county_id, parent_id, level, code, name, path) VALUES ($1, NULL, 'county', '421123', '羅田縣', '') RETURNING id`,
        [county.id],
      );
      const [township] = await t.ds.query(
        `INSERT INTO org_units (county_id, parent_id, level, code, name, path) VALUES ($1, $2, 'township', 'LT1', '駱駝坳鎮', '') RETURNING id`,
        [county.id, root.id],
      );
      const [village] = await t.ds.query(
        `INSERT INTO org_units (county_id, parent_id, level, code, name, path) VALUES ($1, $2, 'village', 'LV1', '駱駝坳鎮一村', '') RETURNING id`,
        [county.id, township.id],
      );
      const [user] = await t.ds.query(
        `INSERT INTO users (county_id, org_unit_id, username, display_name, password_hash, roles) VALUES ($1, $2, 'luotian-village', 'x', 'x', '{village}') RETURNING id`,
        [county.id, village.id],
      );
      const [p] = await t.ds.query(
        `INSERT INTO projects (county_id, village_id, name, category, location, start_date, end_date, responsible_unit, responsible_person, tasks, fund_scale,
                               beneficiary_households, poor_households, performance_targets, poverty_mechanism, state, proposed_by)
         VALUES ($1, $2, '羅田通村公路', 'infrastructure', '一村', '2026-04-01', '2026-10-31', '村委會', '李', '硬化', 900000, 10, 1, '["通行"]', '務工', 'in_library', $3)
         RETURNING id`,
        [county.id, village.id, user.id],
      );
      other = { countyId: county.id, code: county.code, villageId: village.id, userId: user.id, projectId: p.id };
    });

    describe('M13 one invoice on two claims', () => {
      it('is red on both sides for an invoice claimed in this county and in another, naming the other county and claim', async () => {
        const c = await contract(await project(), company(), '100000.00');
        const mine = await claim(c, '1000.00');
        const third = await claim(c, '3000.00');
        const [a, b]: { issuer_key: string; code: string; number: string; number_key: string }[] = await t.ds.query(
          `SELECT issuer_key, code, number, number_key FROM claim_invoices WHERE claim_id = $1 ORDER BY id`,
          [mine],
        );
        const [s]: { issuer_key: string; code: string; number: string }[] = await t.ds.query(
          `SELECT issuer_key, code, number FROM claim_invoices WHERE claim_id = $1 ORDER BY id LIMIT 1`,
          [third],
        );
        const otherContractId = await otherContract('6225880000000001');
        const theirs = await otherClaim(otherContractId, 'submitted', '500.00', [{ issuerKey: a.issuer_key, code: a.code, number: a.number }]);
        // Near misses: the second invoice on a rejected claim there; the third's number under another issuer.
        await otherClaim(otherContractId, 'rejected', '500.01', [{ issuerKey: b.issuer_key, code: b.code, number: b.number }]);
        const otherIssuer = '91421123MA4F0B3K50';
        expect(otherIssuer).not.toBe(s.issuer_key);
        await otherClaim(otherContractId, 'submitted', '1500.02', [{ issuerKey: otherIssuer, code: s.code, number: s.number }]);

        const subject = `${a.issuer_key}:${a.number_key}`;
        const here = await findingsBySubject(t, 'M13');
        expect([...here.keys()]).toEqual([subject]);
        expect(here.get(subject)).toMatchObject({
          subjectType: 'invoice',
          severity: 'red',
          unitId: w.villageId,
          evidence: {
            issuerKey: a.issuer_key,
            numberKey: a.number_key,
            claims: [{ countyCode, claimId: mine, state: 'submitted', amount: '500.00' }],
            others: [{ countyCode: '421123', claimId: theirs, state: 'submitted', amount: '500.00' }],
          },
        });
        expect(here.get(subject)!.summary).toContain(`421123 報帳 ${theirs}`);
        const there = await detect(t, 'M13', { countyId: other.countyId });
        expect(there).toEqual([
          expect.objectContaining({
            subjectId: subject,
            unitId: other.villageId,
            evidence: expect.objectContaining({ others: [expect.objectContaining({ countyCode, claimId: mine })] }),
          }),
        ]);
      });
    });

    describe('M14 one payee account, amount and application date on two claims', () => {
      it('is yellow on the later claim, in this county and across counties; a day or a cent apart is another payment', async () => {
        const payee = company();
        const c = await contract(await project(), payee, '500000.00');
        const first = await claim(c, '100000.00');
        const second = await claim(c, '100000.00');
        await claim(c, '100000.00', { applicationDate: '2026-06-26' });
        await claim(c, '100000.01');
        const elsewhere = await contract(await project(), company(), '500000.00');
        await claim(elsewhere, '100000.00');

        const findings = await detect(t, 'M14');
        expect(findings).toEqual([
          expect.objectContaining({
            subjectType: 'claim',
            subjectId: String(second),
            severity: 'yellow',
            unitId: w.villageId,
            evidence: expect.objectContaining({
              claimId: second,
              payeeAccount: payee.account,
              amount: '100000.00',
              applicationDate: '2026-06-25',
              earlier: [{ countyCode, claimId: first, contractId: c, state: 'submitted' }],
            }),
          }),
        ]);

        // The same payment asked for again in the other county: found there, on its claim, naming both of ours.
        const theirs = await otherClaim(await otherContract(payee.account), 'submitted', '100000.00');
        expect((await detect(t, 'M14')).map((f) => f.subjectId)).toEqual([String(second)]);
        expect(await detect(t, 'M14', { countyId: other.countyId })).toEqual([
          expect.objectContaining({
            subjectId: String(theirs),
            unitId: other.villageId,
            evidence: expect.objectContaining({
              earlier: [expect.objectContaining({ countyCode, claimId: first }), expect.objectContaining({ countyCode, claimId: second })],
            }),
          }),
        ]);
      });
    });

    it('an empty county finds nothing while its neighbours have findings', async () => {
      const [empty] = await t.ds.query(`INSERT INTO counties (code, name) VALUES ('421125', '浠水縣') RETURNING id`);
      for (const id of DETECTORS) expect(await detect(t, id, { countyId: empty.id })).toEqual([]);
      expect((await detect(t, 'M13')).length).toBeGreaterThan(0);
      expect((await detect(t, 'M14', { countyId: other.countyId })).length).toBeGreaterThan(0);
    });
  });

  describe('M15 payee on the register of relatives (優親厚友)', () => {
    it('is red for a payee matched by bank account or ID number, never by name alone, nor by a removed or own entry', async () => {
      const [maker] = await t.ds.query(`SELECT id, county_id FROM users WHERE username = 'finance-maker'`);
      const register = async (entry: { name: string; relation: string; bankAccount?: string; idNumber?: string; removed?: boolean }) => {
        await t.ds.query(
          `INSERT INTO related_parties (county_id, name, id_number, bank_account, relation, official_name, office, created_by, removed_by, removed_at, removal_reason)
           VALUES ($1, $2, $3, $4, $5, '王建國', '溫泉鎮一村村委會主任', $6, $7, $8, $9)`,
          [
            maker.county_id,
            entry.name,
            entry.idNumber ?? null,
            entry.bankAccount ?? null,
            entry.relation,
            maker.id,
            entry.removed ? maker.id : null,
            entry.removed ? new Date() : null,
            entry.removed ? '已離任' : null,
          ],
        );
      };
      const p = await project();
      const byAccount = company();
      const byIdNumber = person();
      const namesake = person('李秀英');
      const removed = company();
      const own = person();
      const signed = await contract(p, byAccount, '100000.00');
      const drafted = await contract(p, byIdNumber, '80000.00', { draft: true });
      const namesakeContract = await contract(p, namesake, '70000.00', { draft: true });
      const removedContract = await contract(p, removed, '60000.00', { draft: true });
      const ownContract = await contract(p, own, '50000.00', { draft: true });
      await register({ name: '張麗', relation: 'spouse', bankAccount: byAccount.account });
      await register({ name: byIdNumber.name, relation: 'parent', idNumber: byIdNumber.idNumber });
      await register({ name: '李秀英', relation: 'sibling', bankAccount: '6228777700001111', idNumber: otherIdNumber() });
      await register({ name: '趙強', relation: 'child', bankAccount: removed.account, removed: true });
      await register({ name: own.name, relation: 'self', bankAccount: own.account, idNumber: own.idNumber });

      const findings = await findingsBySubject(t, 'M15');
      expect([...findings.keys()].sort()).toEqual([String(signed), String(drafted)].sort());
      expect(findings.get(String(signed))).toMatchObject({
        subjectType: 'contract',
        severity: 'red',
        unitId: null,
        evidence: {
          contractId: signed,
          contractState: 'signed',
          amount: '100000.00',
          projectId: p,
          entries: [{ name: '張麗', relation: 'spouse', officialName: '王建國', matchedOn: ['bank_account'] }],
        },
      });
      expect(findings.get(String(signed))!.summary).toContain('配偶「張麗」銀行賬號相符');
      expect(findings.get(String(drafted))).toMatchObject({
        evidence: { contractState: 'draft', amount: '80000.00', entries: [{ relation: 'parent', matchedOn: ['id_number'] }] },
      });
      for (const id of [namesakeContract, removedContract, ownContract]) expect(findings.has(String(id))).toBe(false);
    });
  });
});
