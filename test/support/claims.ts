import { PACKET_DOCUMENTS } from '../../src/claims/domain/claims';
import { As, ADMIN, TestApp } from './app';
import { CHECKER, MAKER } from './factories';
import { publicityPassed } from './publicity';

/** A minimal PDF and PNG: what the content check recognises. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);

export const PAYEE = { name: '英山縣路橋工程有限公司', type: 'company', bank: '英山農商行', account: '8201000000999', taxId: '91421124MA4F0B3K57' };
/** The code of the test invoices (發票代碼); their numbers count up from 1. */
export const INVOICE_CODE = '4200261130';
const LETTERS = {
  countyToTownship: { reference: '英扶責〔2026〕8號', date: '2026-04-01' },
  townshipToVillage: { reference: '溫扶責〔2026〕3號', date: '2026-04-05' },
  villageToContractor: { reference: '一村責〔2026〕1號', date: '2026-04-08' },
};

/** The people of the claim chain: one user per role, a second village and township outside the first's scope. */
export interface ClaimWorld {
  village: As;
  otherVillage: As;
  township: As;
  otherTownship: As;
  line: As;
  maker: As;
  checker: As;
  payer: As;
  leader: As;
  auditor: As;
  inspector: As;
  inspector2: As;
  allocationId: number;
  townshipId: number;
  villageId: number;
  /** A library project (proposed, reviewed, its publicity passed, in the library) of a village (default: the first). */
  project(options?: { village?: As; fundScale?: string }): Promise<number>;
  /** A signed contract on a new library project of the first village; its budget from the one allocation unless named. */
  contract(
    amount: string,
    schedule?: { percent: string; milestone: string }[],
    options?: { allocationId?: number },
  ): Promise<{ id: number; projectId: number }>;
}

export async function claimWorld(t: TestApp): Promise<ClaimWorld> {
  const admin = await t.as(ADMIN.username);
  const [root] = (await admin.get('/api/v1/org-units?limit=1').expect(200)).body;
  const unit = async (parentId: number, code: string, name: string) =>
    (await admin.post('/api/v1/org-units').send({ parentId, code, name }).expect(201)).body.id as number;
  const t1 = await unit(root.id, 'T1', '溫泉鎮');
  const v1 = await unit(t1, 'V1', '溫泉鎮一村');
  const v2 = await unit(t1, 'V2', '溫泉鎮二村');
  const t2 = await unit(root.id, 'T2', '紅山鎮');
  const w: Omit<ClaimWorld, 'contract' | 'project' | 'allocationId'> = {
    village: await t.as('village1', ['village'], v1),
    otherVillage: await t.as('village2', ['village'], v2),
    township: await t.as('township1', ['township_finance'], t1),
    otherTownship: await t.as('township2', ['township_finance'], t2),
    line: await t.as('poverty-office', ['line_department']),
    maker: await t.as(MAKER),
    checker: await t.as(CHECKER),
    payer: await t.as('finance-payer'),
    leader: await t.as('leader', ['county_leader']),
    auditor: await t.as('auditor', ['auditor']),
    inspector: await t.as('inspector', ['inspector']),
    inspector2: await t.as('inspector2', ['inspector']),
    townshipId: t1,
    villageId: v1,
  };
  const [officer] = await t.ds.query(`SELECT id FROM users WHERE username = $1`, [MAKER]);
  const d = (
    await w.maker
      .post('/api/v1/dedicated-accounts')
      .send({ code: 'D001', bankName: 'b', accountName: 'a', accountNumber: '8201000001', officerId: officer.id })
      .expect(201)
  ).body;
  const allocationId = (
    await w.maker
      .post('/api/v1/fund-allocations')
      .send({
        issuingLevel: 'provincial',
        fiscalYear: 2026,
        dedicatedAccountId: d.id,
        receivedOn: '2026-03-01',
        documentNumber: 'A1',
        fundType: '以工代賑',
        amount: '5000000.00',
        permittedCategories: ['infrastructure'],
      })
      .expect(201)
  ).body.id as number;
  let n = 0;
  const project = async ({ village = w.village, fundScale = '1000000.00' }: { village?: As; fundScale?: string } = {}) => {
    n++;
    const projectId = (
      await village
        .post('/api/v1/projects')
        .send({
          name: `通村公路 ${n}`,
          category: 'infrastructure',
          location: '一村',
          startDate: '2026-04-01',
          endDate: '2026-10-31',
          responsibleUnit: '村委會',
          responsiblePerson: '王',
          tasks: '硬化3公里',
          fundScale,
          beneficiaryHouseholds: 200,
          poorHouseholds: 60,
          performanceTargets: ['通行'],
          povertyMechanism: '務工',
        })
        .expect(201)
    ).body.id as number;
    await w.township.post(`/api/v1/projects/${projectId}/review`).send({ reason: 'ok' }).expect(200);
    await publicityPassed(t.ds, projectId);
    await w.line.post(`/api/v1/projects/${projectId}/enter-library`).send({ reason: 'ok' }).expect(200);
    return projectId;
  };
  const contract = async (amount: string, schedule: { percent: string; milestone: string }[] = [], options: { allocationId?: number } = {}) => {
    const projectId = await project({ fundScale: amount });
    const line = (
      await w.maker
        .post(`/api/v1/projects/${projectId}/budget-lines`)
        .send({ allocationId: options.allocationId ?? allocationId, amount })
        .expect(201)
    ).body;
    if (line.state !== 'posted') await w.leader.post(`/api/v1/projects/${projectId}/budget-lines/${line.id}/sign`).expect(200);
    const draft = (
      await w.maker
        .post(`/api/v1/projects/${projectId}/contracts`)
        .send({ title: `合同 ${n}`, payee: PAYEE, amount, schedule, letters: LETTERS })
        .expect(201)
    ).body;
    await w.checker.post(`/api/v1/contracts/${draft.id}/sign`).expect(200);
    return { id: draft.id as number, projectId };
  };
  return { ...w, allocationId, project, contract };
}

/** One invoice of the payee (code INVOICE_CODE), for 1000.00 unless `over` says otherwise; undefined leaves a field out. */
export function invoice(number: string, over: Record<string, unknown> = {}) {
  return { issuer: PAYEE.name, issuerTaxId: PAYEE.taxId, code: INVOICE_CODE, number, date: '2026-06-20', amount: '1000.00', ...over };
}

let invoiceNumber = 0;
/** A claim's packet: the amount split over two expense lines and two fresh invoices. */
export function packet(contractId: number, amount: string, over: Record<string, unknown> = {}) {
  const cents = Math.round(Number(amount) * 100);
  const first = Math.floor(cents / 2);
  const yuan = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
  const a = yuan(first);
  const b = yuan(cents - first);
  return {
    contractId,
    amount,
    final: false,
    applicationDate: '2026-06-25',
    expenses: [
      { description: '路基土方', amount: a },
      { description: '涵洞', amount: b },
    ],
    invoices: [
      { issuer: PAYEE.name, issuerTaxId: PAYEE.taxId, code: INVOICE_CODE, number: String(++invoiceNumber).padStart(8, '0'), date: '2026-06-20', amount: a },
      { issuer: PAYEE.name, issuerTaxId: PAYEE.taxId, code: INVOICE_CODE, number: String(++invoiceNumber).padStart(8, '0'), date: '2026-06-21', amount: b },
    ],
    ...over,
  };
}

export const PACKET_KINDS: readonly string[] = PACKET_DOCUMENTS;

/** Uploads one scan of each kind a claim's packet needs. */
export async function attachAll(village: As, claimId: number, kinds = PACKET_KINDS): Promise<void> {
  for (const kind of kinds) {
    await village
      .post(`/api/v1/claims/${claimId}/attachments`)
      .field('kind', kind)
      .attach('file', PDF, { filename: `${kind}.pdf`, contentType: 'application/pdf' })
      .expect(201);
  }
}

/** Row counts of the claim tables, with the ledger's and the event log's. */
export async function claimCounts(t: TestApp): Promise<Record<string, number>> {
  const [row] = await t.ds.query(
    `SELECT (SELECT count(*) FROM claims)::int AS claims, (SELECT count(*) FROM claim_versions)::int AS versions,
            (SELECT count(*) FROM claim_steps)::int AS steps, (SELECT count(*) FROM claim_invoices)::int AS invoices,
            (SELECT count(*) FROM claim_attachments)::int AS attachments, (SELECT count(*) FROM ledger_transactions)::int AS transactions,
            (SELECT count(*) FROM ledger_accounts)::int AS accounts, (SELECT count(*) FROM audit_events)::int AS events,
            (SELECT count(*) FROM contract_payments)::int AS payments`,
  );
  return row;
}

export async function balance(t: TestApp, code: string): Promise<string> {
  const [row] = await t.ds.query(`SELECT balance::text FROM ledger_accounts WHERE code = $1`, [code]);
  return row ? row.balance : 'none';
}

/** Sum of balances of accounts whose code starts with `prefix`, as a string with 2 decimals. */
export async function balanceLike(t: TestApp, prefix: string): Promise<string> {
  const [row] = await t.ds.query(`SELECT coalesce(sum(balance), 0)::numeric(20,2)::text AS total FROM ledger_accounts WHERE code LIKE $1 || '%'`, [prefix]);
  return row.total;
}

/**
 * Claims that disagree with the ledger: a claim holds exactly its amount while township-reviewed, line-reviewed or
 * approved and nothing otherwise, and a paid claim's payment is its amount.
 */
export async function claimLedgerMismatches(t: TestApp): Promise<unknown[]> {
  return t.ds.query(`
    SELECT k.id, k.state, k.amount, coalesce(h.held, 0) AS held, p.amount AS paid
      FROM claims k
      LEFT JOIN (SELECT substring(code from 'K([0-9]+):')::int AS claim_id, sum(balance) AS held
                   FROM ledger_accounts WHERE code LIKE 'quota:held:%' GROUP BY 1) h ON h.claim_id = k.id
      LEFT JOIN contract_payments p ON p.id = k.payment_id
     WHERE coalesce(h.held, 0) <> CASE WHEN k.state IN ('township_reviewed', 'line_reviewed', 'approved') THEN k.amount ELSE 0 END
        OR (k.state = 'paid') <> (p.amount IS NOT NULL) OR p.amount <> k.amount`);
}
