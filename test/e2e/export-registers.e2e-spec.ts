import { createHash } from 'node:crypto';
import { chinaDate } from '../../src/common/dates';
import { REGISTERS, RegisterPeriod, claimAttachments, noticePdfs } from '../../src/exports/registers';
import { ExportRow } from '../../src/exports/table';
import { As, TestApp, startTestApp } from '../support/app';
import { ClaimWorld, PAYEE, PDF, PACKET_KINDS, attachAll, claimWorld, packet } from '../support/claims';

const LETTERS = {
  countyToTownship: { reference: '英扶責〔2026〕8號', date: '2026-04-01' },
  townshipToVillage: { reference: '溫扶責〔2026〕3號', date: '2026-04-05' },
  villageToContractor: { reference: '一村責〔2026〕1號', date: '2026-04-08' },
};

const JULY: RegisterPeriod = { from: '2026-07-01', to: '2026-07-31' };
const AUGUST: RegisterPeriod = { from: '2026-08-01', to: '2026-08-31' };
const YEAR_BEFORE: RegisterPeriod = { from: '2025-01-01', to: '2025-12-31' };

function dayAfter(day: string, days = 1): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The registers (登記簿) against what a small county did through the API: dated workflow steps (payments, retention)
 * with the service's clock moved, people's steps (claims, alerts, notices) at the database's real time.
 */
describe('export registers', () => {
  let t: TestApp;
  let w: ClaimWorld;
  let line2: As;
  let countyId: number;
  /** A: paid directly in July and through a claim in August, retention forfeited in August and released at the end. */
  let a: { id: number; projectId: number };
  let b: { id: number; projectId: number };
  let draftContractId: number;
  let paidClaim: number;
  let rejectedClaim: number;
  let directPayment: number;
  let claimPayment: number;
  let noticeId: number;
  let closedAlert: number;
  let openAlert: number;
  /** Every step of the setup that carries the database's time happened on this day (China time). */
  let realToday: string;
  let whole: RegisterPeriod;
  let after: RegisterPeriod;

  /** The rows of one register built in one snapshot, as records by column name. */
  const read = async (name: string, period: RegisterPeriod) =>
    t.ds.transaction('REPEATABLE READ', async (em) => {
      const table = REGISTERS.find((r) => r.name === name)!.build(em, countyId, period);
      const rows: ExportRow[] = [];
      for await (const row of table.rows) rows.push(row);
      return { table, rows, records: rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c.name, row[i]]))) };
    });

  const files = async (source: typeof noticePdfs, period: RegisterPeriod) =>
    t.ds.transaction('REPEATABLE READ', async (em) => {
      const out: { path: string; bytes: Buffer }[] = [];
      for await (const file of source(em, countyId, period)) out.push(file);
      return out;
    });

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.travelTo('2026-07-01');
    w = await claimWorld(t);
    line2 = await t.as('poverty-office-2', ['line_department']);
    countyId = (await t.ds.query(`SELECT id FROM counties ORDER BY id LIMIT 1`))[0].id;
    a = await w.contract('100000.00');
    b = await w.contract('50000.00');
    // A draft contract (never signed) on a library project of its own.
    const project = await w.project({ fundScale: '30000.00' });
    await w.maker.post(`/api/v1/projects/${project}/budget-lines`).send({ allocationId: w.allocationId, amount: '30000.00' }).expect(201);
    draftContractId = (
      await w.maker
        .post(`/api/v1/projects/${project}/contracts`)
        .send({ title: '未簽合同', payee: PAYEE, amount: '30000.00', schedule: [], letters: LETTERS })
        .expect(201)
    ).body.id;
    directPayment = (await w.maker.post(`/api/v1/contracts/${a.id}/payments`).send({ amount: '20000.00', payeeAccount: PAYEE.account }).expect(201)).body.id;

    t.clock.travelTo('2026-08-10');
    const draft = async (amount: string) => (await w.village.post('/api/v1/claims').send(packet(a.id, amount)).expect(201)).body.id as number;
    paidClaim = await draft('10000.00');
    await attachAll(w.village, paidClaim);
    await w.village.post(`/api/v1/claims/${paidClaim}/submit`).expect(200);
    await w.township.post(`/api/v1/claims/${paidClaim}/township-review`).send({ signedOn: '2026-06-28', opinion: '單據齊全' }).expect(200);
    await w.line.post(`/api/v1/claims/${paidClaim}/line-review`).send({ result: 'pass', opinion: '工程量相符' }).expect(200);
    await w.maker.post(`/api/v1/claims/${paidClaim}/approve`).send({ opinion: '同意' }).expect(200);
    claimPayment = (await w.payer.post(`/api/v1/claims/${paidClaim}/pay`).send({ payeeAccount: PAYEE.account }).expect(200)).body.paymentId;
    rejectedClaim = await draft('5000.00');
    await attachAll(w.village, rejectedClaim);
    await w.village.post(`/api/v1/claims/${rejectedClaim}/submit`).expect(200);
    await w.township.post(`/api/v1/claims/${rejectedClaim}/reject`).send({ reason: '缺少現場照片' }).expect(200);

    const notice = (
      await w.line
        .post('/api/v1/notices')
        .send({
          kind: 'implementation',
          documentNumber: '英扶公〔2026〕7號',
          channels: ['portal', 'village_board'],
          formedOn: '2026-08-10',
          projectIds: [a.projectId],
        })
        .expect(201)
    ).body;
    const published = (await line2.post(`/api/v1/notices/${notice.id}/approve`).send({}).expect(200)).body;
    noticeId = notice.id;
    await t.api().post(`/public/notices/${published.code}/objections`).send({ content: '承建單位有誤', name: '李四', phone: '13800000000' }).expect(201);

    await w.maker
      .post('/api/v1/monitoring/runs')
      .send({ detectors: ['M18'] })
      .expect(201);
    const alertOf = async (contractId: number) =>
      (await t.ds.query(`SELECT id FROM monitoring_alerts WHERE detector_id = 'M18' AND subject_id = $1`, [String(contractId)]))[0].id as number;
    closedAlert = await alertOf(a.id);
    openAlert = await alertOf(b.id);
    await w.village.post(`/api/v1/monitoring/alerts/${closedAlert}/explain`).send({ note: '合同約定15%，經縣扶貧辦同意' }).expect(200);
    await w.line.post(`/api/v1/monitoring/alerts/${closedAlert}/close`).send({ note: '說明屬實' }).expect(200);

    t.clock.travelTo('2026-08-20');
    const forfeit = (await w.maker.post(`/api/v1/contracts/${a.id}/retention/forfeit`).send({ amount: '500.00', reason: '路面修補' }).expect(201)).body;
    await w.checker.post(`/api/v1/retention-movements/${forfeit.id}/approve`).expect(200);

    // A release waits for a passed acceptance, which closes at the database's time: on the real clock from here.
    t.clock.travelTo(null);
    const acceptance = (await w.line.post(`/api/v1/projects/${a.projectId}/acceptances`).send({ contractId: a.id, scaleStatement: '合格' }).expect(201)).body;
    await w.checker.post(`/api/v1/acceptances/${acceptance.id}/signoffs`).send({ department: 'finance', result: 'pass', notes: 'ok' }).expect(200);
    await w.inspector.post(`/api/v1/acceptances/${acceptance.id}/signoffs`).send({ department: 'audit', result: 'pass', notes: 'ok' }).expect(200);
    await w.line.post(`/api/v1/acceptances/${acceptance.id}/signoffs`).send({ department: 'line', result: 'pass', notes: 'ok' }).expect(200);
    await w.inspector2.post(`/api/v1/acceptances/${acceptance.id}/signoffs`).send({ department: 'transport', result: 'pass', notes: 'ok' }).expect(200);
    const release = (await w.maker.post(`/api/v1/contracts/${a.id}/retention/release`).send({ amount: '1000.00', reason: '缺陷責任期滿' }).expect(201)).body;
    await w.checker.post(`/api/v1/retention-movements/${release.id}/approve`).expect(200);

    realToday = chinaDate(new Date());
    whole = { from: '2026-01-01', to: realToday > '2026-12-31' ? realToday : '2026-12-31' };
    after = { from: dayAfter(realToday), to: dayAfter(realToday, 30) };
  });
  afterAll(() => t.close());

  it('lists the seven registers in order, every row as wide as its columns and each cell of its column’s form', async () => {
    expect(REGISTERS.map((r) => r.name)).toEqual(['contracts', 'payments', 'claims', 'claim-steps', 'retention-movements', 'alerts', 'notices']);
    const form: Record<string, RegExp> = {
      text: /^[\s\S]*$/,
      money: /^\d+\.\d{2}$/,
      integer: /^-?\d+$/,
      date: /^\d{4}-\d{2}-\d{2}$/,
      datetime: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
      boolean: /^(true|false)$/,
    };
    const misfits: string[] = [];
    for (const { name } of REGISTERS) {
      const { table, rows } = await read(name, whole);
      expect(table.name).toBe(name);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row).toHaveLength(table.columns.length);
        row.forEach((value, i) => {
          const { name: column, type } = table.columns[i];
          if (value !== null && (typeof value !== 'string' || !form[type].test(value))) misfits.push(`${name}.${column} (${type}): ${value}`);
        });
      }
    }
    expect(misfits).toEqual([]);
  });

  it('contracts: those signed by the period’s end, with payments and retention summed to that day; drafts left out', async () => {
    const july = (await read('contracts', JULY)).records;
    expect(july.map((r) => Number(r.contract_id))).toEqual([a.id, b.id]);
    expect(july.map((r) => r.contract_id)).not.toContain(String(draftContractId));
    expect(july[0]).toMatchObject({
      project_id: String(a.projectId),
      village: '溫泉鎮一村',
      township: '溫泉鎮',
      payee_name: PAYEE.name,
      payee_type: 'company',
      payee_tax_id: PAYEE.taxId,
      payee_id_number: null,
      payee_account: PAYEE.account,
      tender_method: null,
      amount: '100000.00',
      retention_rate: '0.1500',
      retention_override_reason: null,
      stages: '0',
      drafted_by: 'finance-maker',
      signed_by: 'finance-checker',
      signed_on: '2026-07-01',
      state: 'signed',
      settled_at: null,
      allocation_ids: String(w.allocationId),
      allocation_documents: 'A1',
      paid: '20000.00',
      retention_withheld: '3000.00',
      retention_released: '0.00',
      retention_forfeited: '0.00',
      retention_held: '3000.00',
    });
    expect(july[1]).toMatchObject({ amount: '50000.00', paid: '0.00', retention_withheld: '0.00', retention_held: '0.00' });

    const year = (await read('contracts', whole)).records;
    expect(year[0]).toMatchObject({
      paid: '30000.00',
      retention_withheld: '4500.00',
      retention_released: '1000.00',
      retention_forfeited: '500.00',
      retention_held: '3000.00',
    });
    // Signed on 1 July: nothing was in force before.
    expect((await read('contracts', { from: '2026-06-01', to: '2026-06-30' })).rows).toEqual([]);
  });

  it('payments: each with its retention split, its claim and approvers, filtered by effective date', async () => {
    const year = (await read('payments', whole)).records;
    expect(year).toEqual([
      expect.objectContaining({
        payment_id: String(directPayment),
        effective_date: '2026-07-01',
        contract_id: String(a.id),
        claim_id: null,
        amount: '20000.00',
        retention: '3000.00',
        net: '17000.00',
        payee_account: PAYEE.account,
        paid_by: 'finance-maker',
        approved_by: null,
      }),
      expect.objectContaining({
        payment_id: String(claimPayment),
        effective_date: '2026-08-10',
        contract_id: String(a.id),
        project_id: String(a.projectId),
        claim_id: String(paidClaim),
        stage: null,
        amount: '10000.00',
        retention: '1500.00',
        net: '8500.00',
        payee_name: PAYEE.name,
        payee_bank: PAYEE.bank,
        payee_account: PAYEE.account,
        paid_by: 'finance-payer',
        approved_by: 'finance-maker',
      }),
    ]);
    const [{ transaction_id: transactionId }] = await t.ds.query(`SELECT transaction_id::text FROM contract_payments WHERE id = $1`, [claimPayment]);
    expect(year[1].transaction_id).toBe(transactionId);

    // August leaves out July's payment.
    expect((await read('payments', AUGUST)).records.map((r) => r.payment_id)).toEqual([String(claimPayment)]);
    expect((await read('payments', { from: '2026-08-11', to: '2026-08-31' })).rows).toEqual([]);
  });

  it('claims: with a step in the period or still open at its end, with invoices and times', async () => {
    const year = (await read('claims', whole)).records;
    expect(year).toEqual([
      expect.objectContaining({
        claim_id: String(paidClaim),
        contract_id: String(a.id),
        project_id: String(a.projectId),
        village: '溫泉鎮一村',
        state: 'paid',
        final: 'false',
        amount: '10000.00',
        application_date: '2026-06-25',
        township_signed_on: '2026-06-28',
        line_result: 'pass',
        drafted_by: 'village1',
        payment_id: String(claimPayment),
        invoice_count: '2',
        invoice_total: '10000.00',
        paid_at: expect.stringMatching(/Z$/),
        submitted_at: expect.stringMatching(/Z$/),
      }),
      expect.objectContaining({ claim_id: String(rejectedClaim), state: 'rejected', paid_at: null, payment_id: null, invoice_total: '5000.00' }),
    ]);
    // After the period of its steps, the rejected claim is still open (waiting for its correction); the paid one is done.
    expect((await read('claims', after)).records.map((r) => r.claim_id)).toEqual([String(rejectedClaim)]);
    // Before either was drafted: none.
    expect((await read('claims', YEAR_BEFORE)).rows).toEqual([]);
  });

  it('claim steps: in order, numbered, with actors and opinions', async () => {
    const steps = (await read('claim-steps', whole)).records;
    expect(steps.map((s) => [s.claim_id, s.step_no, s.step, s.step_name, s.actor, s.result, s.opinion])).toEqual([
      [String(paidClaim), '1', 'draft', '起草', 'village1', null, null],
      [String(paidClaim), '2', 'submit', '提交', 'village1', null, null],
      [String(paidClaim), '3', 'township_review', '鄉鎮審核', 'township1', null, '單據齊全'],
      [String(paidClaim), '4', 'line_review', '行業部門審核', 'poverty-office', 'pass', '工程量相符'],
      [String(paidClaim), '5', 'approve', '縣財政審批', 'finance-maker', 'alone', '同意'],
      [String(paidClaim), '6', 'pay', '支付', 'finance-payer', null, null],
      [String(rejectedClaim), '1', 'draft', '起草', 'village1', null, null],
      [String(rejectedClaim), '2', 'submit', '提交', 'village1', null, null],
      [String(rejectedClaim), '3', 'reject', '退回', 'township1', null, '缺少現場照片'],
    ]);
    for (const s of steps) expect(chinaDate(new Date(s.at!))).toBe(realToday);
    expect((await read('claim-steps', after)).rows).toEqual([]);
  });

  it('retention movements: withheld, forfeited and released, dated by the ledger, within the period', async () => {
    const year = (await read('retention-movements', whole)).records;
    expect(year.map((m) => [m.effective_date, m.contract_id, m.movement, m.amount, m.reason, m.proposed_by, m.posted_by])).toEqual([
      ['2026-07-01', String(a.id), 'withheld', '3000.00', null, null, 'finance-maker'],
      ['2026-08-10', String(a.id), 'withheld', '1500.00', null, null, 'finance-payer'],
      ['2026-08-20', String(a.id), 'forfeited', '500.00', '路面修補', 'finance-maker', 'finance-checker'],
      [realToday, String(a.id), 'released', '1000.00', '缺陷責任期滿', 'finance-maker', 'finance-checker'],
    ]);
    expect(year[0].payment_id).toBe(String(directPayment));
    expect(year[1].payment_id).toBe(String(claimPayment));
    expect(year[2].movement_id).not.toBeNull();

    const august = (await read('retention-movements', AUGUST)).records;
    expect(august.map((m) => [m.movement, m.amount])).toEqual([
      ['withheld', '1500.00'],
      ['forfeited', '500.00'],
    ]);
  });

  it('alerts: open at some time in the period, with the detector’s name and who closed it', async () => {
    const august = (await read('alerts', AUGUST)).records;
    expect(august).toEqual([
      expect.objectContaining({
        alert_id: String(closedAlert),
        detector_id: 'M18',
        detector_name: '質保金比例高於建設工程 3% 上限',
        severity: 'blue',
        state: 'closed',
        subject_type: 'contract',
        subject_id: String(a.id),
        unit: '溫泉鎮一村',
        unit_level: 'village',
        first_seen_on: '2026-08-10',
        last_seen_on: '2026-08-10',
        explained_by: 'village1',
        explanation: '合同約定15%，經縣扶貧辦同意',
        closed_by: 'poverty-office',
        closed_automatically: 'false',
        close_reason: '說明屬實',
        closed_at: expect.stringMatching(/Z$/),
      }),
      expect.objectContaining({ alert_id: String(openAlert), subject_id: String(b.id), state: 'open', closed_at: null, closed_by: null }),
    ]);
    // Raised on 10 August: not open in July. Once the first is closed, only the second is open.
    expect((await read('alerts', JULY)).rows).toEqual([]);
    expect((await read('alerts', after)).records.map((r) => r.alert_id)).toEqual([String(openAlert)]);
  });

  it('notices: published in the period or publicised in it, with hashes, objections and the PDF beside them', async () => {
    const august = (await read('notices', AUGUST)).records;
    expect(august).toEqual([
      expect.objectContaining({
        notice_id: String(noticeId),
        kind: 'implementation',
        document_number: '英扶公〔2026〕7號',
        publisher_level: 'county',
        channels: 'portal;village_board',
        project_ids: String(a.projectId),
        allocation_ids: null,
        formed_on: '2026-08-10',
        starts_on: '2026-08-10',
        state: 'published',
        drafted_by: 'poverty-office',
        approved_by: 'poverty-office-2',
        content_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        pdf_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        objection_count: '1',
        pdf_path: `files/notices/${noticeId}.pdf`,
      }),
    ]);
    const pdfs = await files(noticePdfs, AUGUST);
    expect(pdfs.map((f) => f.path)).toEqual([`files/notices/${noticeId}.pdf`]);
    expect(pdfs[0].bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHash('sha256').update(pdfs[0].bytes).digest('hex')).toBe(august[0].pdf_sha256);

    // The year also holds the notices published (as fixtures, today) for last year's periods; every one has its PDF.
    const year = (await read('notices', whole)).records;
    expect(year.length).toBeGreaterThan(1);
    expect((await files(noticePdfs, whole)).map((f) => f.path)).toEqual(year.map((n) => n.pdf_path));
    expect((await read('notices', after)).rows).toEqual([]);
  });

  it('claim attachments: every scan of the period’s claims, one file each, at a safe path', async () => {
    const scans = await files(claimAttachments, whole);
    const ids: { id: number; claim_id: number; filename: string }[] = await t.ds.query(
      `SELECT id, claim_id, filename FROM claim_attachments ORDER BY claim_id, id`,
    );
    expect(ids).toHaveLength(2 * PACKET_KINDS.length);
    expect(scans.map((f) => f.path)).toEqual(ids.map((r) => `files/claims/${r.claim_id}/${r.id}-${r.filename}`));
    for (const f of scans) expect(f.bytes.equals(PDF)).toBe(true);
    expect((await files(claimAttachments, after)).map((f) => f.path)).toEqual(
      ids.filter((r) => r.claim_id === rejectedClaim).map((r) => `files/claims/${r.claim_id}/${r.id}-${r.filename}`),
    );
  });
});
