import { verifyEvents } from '../../src/audit/audit-verifier';
import { TestApp, counts, startTestApp } from '../support/app';
import { ClaimWorld, PAYEE, PNG, attachAll, claimWorld, invoice, packet } from '../support/claims';
import { detect } from '../support/monitoring';

/** The alert lifecycle, runs, scope, the register and joint inspections, through the API as people use them. */
describe('monitoring', () => {
  let t: TestApp;
  let w: ClaimWorld;
  let project: number;

  const run = async (detectors?: string[]) =>
    (
      await w.maker
        .post('/api/v1/monitoring/runs')
        .send(detectors ? { detectors } : {})
        .expect(201)
    ).body;
  const alertsOf = async (detector: string) =>
    t.ds.query<{ id: number; state: string; severity: string; closed_automatically: boolean }[]>(
      `SELECT id, state, severity, closed_automatically FROM monitoring_alerts WHERE detector_id = $1 ORDER BY id`,
      [detector],
    );
  const eventsOf = async (type: string) => Number((await t.ds.query(`SELECT count(*) AS n FROM audit_events WHERE type = $1`, [type]))[0].n);

  beforeAll(async () => {
    t = await startTestApp({ monitorSteps: true });
    t.clock.travelTo('2026-12-01');
    w = await claimWorld(t);
    project = (await w.contract('100000.00')).projectId;
    // Projects under way for the inspections' random pick.
    for (let i = 0; i < 4; i++) await w.contract('10000.00');
  });
  afterAll(() => t.close());

  it('runs every detector over a county and records each one’s time and counts', async () => {
    const result = await run();
    expect(result.state).toBe('finished');
    expect(result.detectors.map((d: { id: string }) => d.id)).toEqual([...result.detectors.map((d: { id: string }) => d.id)].sort());
    expect(result.detectors.length).toBeGreaterThanOrEqual(2);
    for (const d of result.detectors) {
      expect(d.error).toBeUndefined();
      expect(typeof d.ms).toBe('number');
    }
    const listed = (await w.auditor.get(`/api/v1/monitoring/runs/${result.id}`).expect(200)).body;
    expect(listed).toMatchObject({ id: result.id, trigger: 'demand', requestedBy: 'finance-maker', today: '2026-12-01', state: 'finished' });
    const catalogue = (await w.leader.get('/api/v1/monitoring/detectors').expect(200)).body;
    expect(catalogue.find((d: { id: string }) => d.id === 'M01')).toMatchObject({
      guards: 'idle',
      guardsZh: '閒置',
      policies: { idle_fund_yellow_days: '180', idle_fund_red_days: '365', idle_fund_long_days: '730' },
    });
  });

  it('runs the cheap detectors right after the step that can trigger them', async () => {
    // Signing a contract with 15% retention on a road (above the 3% national cap) is one such step.
    let runs: { trigger: string; step: string | null; detectors: { id: string }[] }[] = [];
    for (let i = 0; i < 50 && !runs.some((r) => r.step === 'contract.signed'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      runs = (await w.auditor.get('/api/v1/monitoring/runs').expect(200)).body;
    }
    const afterSign = runs.find((r) => r.step === 'contract.signed')!;
    expect(afterSign.trigger).toBe('step');
    expect(afterSign.detectors.map((d) => d.id)).toContain('M18');
    expect(afterSign.detectors.map((d) => d.id)).not.toContain('M01');
    const m18 = (await w.leader.get('/api/v1/monitoring/alerts?detector=M18').expect(200)).body;
    expect(m18.length).toBeGreaterThanOrEqual(5);
    expect(m18[0]).toMatchObject({ severity: 'blue', subjectType: 'contract' });
  });

  it('opens one alert per subject, updates it on a re-run, raises it when worse, and closes it when the money moves', async () => {
    const [opened] = await alertsOf('M01');
    expect(opened).toMatchObject({ state: 'open', severity: 'yellow' });
    await run(['M01']);
    expect(await alertsOf('M01')).toHaveLength(1);
    await w.maker.post(`/api/v1/monitoring/alerts/${opened.id}/explain`).send({ note: '年底前分配到項目' }).expect(200);

    t.clock.travelTo('2027-03-01');
    const raised = await run(['M01']);
    expect(raised.detectors[0]).toMatchObject({ id: 'M01', raised: 1, opened: 0 });
    expect(await alertsOf('M01')).toEqual([{ id: opened.id, state: 'open', severity: 'red', closed_automatically: false }]);

    const detail = (await w.auditor.get(`/api/v1/monitoring/alerts/${opened.id}`).expect(200)).body;
    // A worse finding asks for a fresh look: the explanation given for the milder one does not close it.
    expect(detail.history.map((h: { action: string; state: string }) => [h.action, h.state])).toEqual([
      ['opened', 'open'],
      ['explained', 'explained'],
      ['raised', 'open'],
    ]);
    expect(detail.evidence).toMatchObject({ unallocated: '4860000.00', receivedOn: '2026-03-01', days: 365 });

    // The rest of the allocation goes to a project: nothing is idle any more.
    t.clock.travelTo('2026-12-01');
    const line = (await w.maker.post(`/api/v1/projects/${project}/budget-lines`).send({ allocationId: w.allocationId, amount: '4860000.00' }).expect(201)).body;
    await w.leader.post(`/api/v1/projects/${project}/budget-lines/${line.id}/sign`).expect(200);
    t.clock.travelTo('2027-03-02');
    const closed = await run(['M01']);
    expect(closed.detectors[0]).toMatchObject({ closed: 1 });
    const [after] = await alertsOf('M01');
    expect(after).toMatchObject({ state: 'closed', closed_automatically: true });
    expect(await eventsOf('monitoring.alert.closed')).toBe(1);
    t.clock.travelTo('2026-12-01');
  });

  it('moves an alert through acknowledge, explain and close, closed by someone other than who explained it', async () => {
    const finding = await w.inspector
      .post('/api/v1/monitoring/inspections')
      .send({ title: '年度聯合檢查', departments: ['縣財政局', '縣審計局'], plannedOn: '2026-12-10', projectIds: [project] })
      .expect(201);
    const f = (
      await w.inspector
        .post(`/api/v1/monitoring/inspections/${finding.body.id}/findings`)
        .send({ projectId: project, finding: '現場路面厚度不足', severity: 'yellow' })
        .expect(201)
    ).body;
    const id = f.alertId as number;

    expect((await w.maker.post(`/api/v1/monitoring/alerts/${id}/close`).send({ note: '已核實' }).expect(409)).body.code).toBe('INVALID_STATE');
    await w.township.post(`/api/v1/monitoring/alerts/${id}/acknowledge`).send({}).expect(200);
    await w.village.post(`/api/v1/monitoring/alerts/${id}/explain`).send({ note: '已返工並補強，附檢測報告' }).expect(200);
    const file = await w.village.post(`/api/v1/monitoring/alerts/${id}/files`).attach('file', PNG, 'report.png').expect(201);
    const down = await w.auditor.get(`/api/v1/monitoring/alerts/${id}/files/${file.body.id}`).expect(200);
    expect(Buffer.compare(down.body as Buffer, PNG)).toBe(0);

    // The county leader closes it; the village that explained it could not (nor may a village close at all).
    await w.village.post(`/api/v1/monitoring/alerts/${id}/close`).send({ note: '自己關閉' }).expect(403);
    const closed = (await w.leader.post(`/api/v1/monitoring/alerts/${id}/close`).send({ note: '檢測報告合格，同意關閉' }).expect(200)).body;
    expect(closed).toMatchObject({ state: 'closed', closeReason: '檢測報告合格，同意關閉', closedAutomatically: false });
    const detail = (await w.auditor.get(`/api/v1/monitoring/alerts/${id}`).expect(200)).body;
    expect(detail.history.map((h: { action: string; actor: string | null }) => [h.action, h.actor])).toEqual([
      ['opened', 'inspector'],
      ['acknowledged', 'township1'],
      ['explained', 'village1'],
      ['closed', 'leader'],
    ]);
    expect(detail.files).toHaveLength(1);
    await w.village.post(`/api/v1/monitoring/alerts/${id}/files`).attach('file', PNG, 'late.png').expect(409);

    // The database keeps a closed alert as it was, whoever asks.
    await expect(t.ds.query(`UPDATE monitoring_alerts SET state = 'open' WHERE id = $1`, [id])).rejects.toMatchObject({ code: 'FL003' });
    await expect(t.ds.query(`DELETE FROM monitoring_alerts WHERE id = $1`, [id])).rejects.toMatchObject({ code: 'FL003' });
  });

  it('refuses a close by the person who explained, and escalates back to open and red', async () => {
    const plan = (
      await w.inspector
        .post('/api/v1/monitoring/inspections')
        .send({ title: '複查', departments: ['縣財政局', '縣紀委監委'], plannedOn: '2026-12-11', projectIds: [project] })
        .expect(201)
    ).body;
    const { alertId } = (
      await w.inspector
        .post(`/api/v1/monitoring/inspections/${plan.id}/findings`)
        .send({ projectId: project, finding: '公示牌缺失', severity: 'blue' })
        .expect(201)
    ).body;
    await w.maker.post(`/api/v1/monitoring/alerts/${alertId}/explain`).send({ note: '已補設公示牌' }).expect(200);
    const same = await w.maker.post(`/api/v1/monitoring/alerts/${alertId}/close`).send({ note: '已處理' }).expect(403);
    expect(same.body.code).toBe('SAME_HAND');
    await expect(
      t.ds.query(`UPDATE monitoring_alerts SET state = 'closed', closed_by = explained_by, closed_at = now(), close_reason = 'x' WHERE id = $1`, [alertId]),
    ).rejects.toMatchObject({ code: '23514' });
    const escalated = (await w.leader.post(`/api/v1/monitoring/alerts/${alertId}/escalate`).send({ note: '照片不清，重新核查' }).expect(200)).body;
    expect(escalated).toMatchObject({ state: 'open', severity: 'red', explanation: null });
    expect((await w.leader.post(`/api/v1/monitoring/alerts/${alertId}/escalate`).send({ note: '再次' }).expect(409)).body.code).toBe('INVALID_STATE');
    await expect(t.ds.query(`UPDATE monitoring_alerts SET severity = 'blue' WHERE id = $1`, [alertId])).rejects.toMatchObject({ code: 'FL003' });
    // Nor can a hand close its own explanation by calling the closing automatic.
    await w.maker.post(`/api/v1/monitoring/alerts/${alertId}/explain`).send({ note: '已補設公示牌並拍照' }).expect(200);
    await expect(
      t.ds.query(
        `UPDATE monitoring_alerts SET state = 'closed', closed_by = explained_by, closed_at = now(), close_reason = 'x', closed_automatically = true WHERE id = $1`,
        [alertId],
      ),
    ).rejects.toMatchObject({ code: '23514' });
    expect(await eventsOf('monitoring.alert.escalated')).toBe(1);
  });

  it('shows an alert to the units that answer for it and hides it from the others', async () => {
    const [alert] = await t.ds.query<{ id: number }[]>(`SELECT id FROM monitoring_alerts WHERE detector_id = 'M00' AND state <> 'closed'`);
    await w.village.get(`/api/v1/monitoring/alerts/${alert.id}`).expect(200);
    await w.township.get(`/api/v1/monitoring/alerts/${alert.id}`).expect(200);
    await w.otherVillage.get(`/api/v1/monitoring/alerts/${alert.id}`).expect(404);
    await w.otherTownship.get(`/api/v1/monitoring/alerts/${alert.id}`).expect(404);
    expect((await w.otherTownship.get('/api/v1/monitoring/alerts').expect(200)).body).toEqual([]);
    const mine = (await w.township.get('/api/v1/monitoring/alerts?state=explained').expect(200)).body;
    expect(mine.map((a: { id: number }) => a.id)).toContain(alert.id);
    const summary = (await w.leader.get('/api/v1/monitoring/summary').expect(200)).body;
    expect(summary.byTownship.find((r: { townshipId: number | null }) => r.townshipId === w.townshipId)).toMatchObject({ townshipName: '溫泉鎮', red: 1 });
    expect((await w.otherTownship.get('/api/v1/monitoring/summary').expect(200)).body).toEqual({ red: 0, yellow: 0, blue: 0, byTownship: [] });
    const filtered = (await w.leader.get(`/api/v1/monitoring/alerts?townshipId=${w.townshipId}&severity=red&detector=M00`).expect(200)).body;
    expect(filtered.map((a: { id: number }) => a.id)).toEqual([alert.id]);
    expect((await w.leader.get('/api/v1/monitoring/alerts?severity=purple').expect(400)).body.code).toBe('VALIDATION_FAILED');
    const village = await w.leader.get(`/api/v1/monitoring/alerts?townshipId=${w.villageId}`).expect(400);
    expect(village.body.details.fields[0].field).toBe('townshipId');
    // Runs say what each detector met, errors included: the county's own roles read them.
    await w.village.get('/api/v1/monitoring/runs').expect(403);
  });

  it('two runs at once neither duplicate nor lose an alert', async () => {
    t.clock.travelTo('2028-01-01');
    const before = (await alertsOf('M02')).filter((a) => a.state !== 'closed').length;
    await Promise.all([run(['M02']), run(['M02']), run(['M02'])]);
    const open = (await alertsOf('M02')).filter((a) => a.state !== 'closed');
    const found = await detect(t, 'M02');
    expect(before).toBe(0);
    expect(found.length).toBeGreaterThanOrEqual(5);
    expect(open).toHaveLength(found.length);
    const events = await t.ds.query(`SELECT count(*) AS n FROM audit_events WHERE type = 'monitoring.alert.opened' AND body LIKE '%"detector":"M02"%'`);
    expect(Number(events[0].n)).toBe(open.length);
    t.clock.travelTo('2026-12-01');
  });

  it('keeps a register of officials and relatives matched on ID number or account, and refuses a malformed one', async () => {
    const admin = await t.as('admin');
    const before = await counts(t.ds);
    const bad = await admin
      .post('/api/v1/monitoring/related-parties')
      .send({ name: '王小明', idNumber: '421124198001010011', relation: 'spouse', officialName: '王大明', office: '一村村委會主任' })
      .expect(400);
    expect(bad.body.details.fields[0].field).toBe('idNumber');
    const nameOnly = await admin
      .post('/api/v1/monitoring/related-parties')
      .send({ name: '王小明', relation: 'spouse', officialName: '王大明', office: '一村' })
      .expect(400);
    expect(nameOnly.body.details.fields[0].field).toBe('idNumber');
    expect(await counts(t.ds)).toEqual(before);
    const added = (
      await admin
        .post('/api/v1/monitoring/related-parties')
        .send({
          name: '王小明',
          idNumber: '４２１１２４198001010019',
          bankAccount: '6217 0000 0000 0000 001',
          relation: 'spouse',
          officialName: '王大明',
          office: '一村村委會主任',
        })
        .expect(201)
    ).body;
    expect(added).toMatchObject({ idNumber: '421124198001010019', bankAccount: '6217000000000000001', removedAt: null });
    await w.maker.get('/api/v1/monitoring/related-parties').expect(403);
    expect((await w.auditor.get('/api/v1/monitoring/related-parties').expect(200)).body).toHaveLength(1);
    await admin.post(`/api/v1/monitoring/related-parties/${added.id}/remove`).send({ reason: '已離任' }).expect(200);
    expect((await admin.post(`/api/v1/monitoring/related-parties/${added.id}/remove`).send({ reason: '再次' }).expect(409)).body.code).toBe('INVALID_STATE');
    await expect(t.ds.query(`UPDATE related_parties SET name = 'x' WHERE id = $1`, [added.id])).rejects.toMatchObject({ code: 'FL003' });
  });

  it('draws an inspection’s random projects from a kept seed and pool, so anyone can draw them again', async () => {
    const plan = (
      await w.inspector
        .post('/api/v1/monitoring/inspections')
        .send({ title: '隨機抽查', departments: ['縣財政局', '縣審計局'], plannedOn: '2026-12-15', randomCount: 2 })
        .expect(201)
    ).body;
    expect(plan.seed).toMatch(/^[0-9a-f]{32}$/);
    expect(plan.pool.length).toBeGreaterThanOrEqual(4);
    expect(plan.projects.filter((p: { picked: string }) => p.picked === 'random')).toHaveLength(2);
    expect(plan.drawReproduced).toBe(true);
    // The same draw as one SQL expression, as an auditor would run it.
    const drawn = await t.ds.query<{ id: number }[]>(
      `SELECT p AS id FROM unnest($2::int[]) p ORDER BY encode(sha256(convert_to($1 || ':' || p, 'UTF8')), 'hex'), p LIMIT 2`,
      [plan.seed, plan.pool],
    );
    expect(drawn.map((r) => r.id).sort()).toEqual(plan.projects.map((p: { projectId: number }) => p.projectId).sort());
    const tooMany = await w.inspector
      .post('/api/v1/monitoring/inspections')
      .send({ title: '全抽', departments: ['縣財政局', '縣審計局'], plannedOn: '2026-12-15', randomCount: 500 })
      .expect(400);
    expect(tooMany.body.details.fields[0].field).toBe('randomCount');
    await w.maker
      .post('/api/v1/monitoring/inspections')
      .send({ title: 'x', departments: ['a', 'b'], plannedOn: '2026-12-15', randomCount: 1 })
      .expect(403);
  });
});

describe('monitoring: what people type and what the review found', () => {
  let t: TestApp;
  let w: ClaimWorld;
  let contract: { id: number; projectId: number };

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.travelTo('2026-12-01');
    w = await claimWorld(t);
    contract = await w.contract('100000.00');
  });
  afterAll(() => t.close());

  it('cuts a long summary instead of failing the detector for the county', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => ({ description: `村委會辦公經費第${i + 1}項`, amount: '100.00', category: 'unit_basic' }));
    const body = packet(contract.id, '4000.00', { expenses: lines, invoices: [invoice('90000001', { amount: '4000.00' })] });
    const claim = (await w.village.post('/api/v1/claims').send(body).expect(201)).body;
    await attachAll(w.village, claim.id);
    await w.village.post(`/api/v1/claims/${claim.id}/submit`).expect(200);
    const result = (
      await w.maker
        .post('/api/v1/monitoring/runs')
        .send({ detectors: ['M08'] })
        .expect(201)
    ).body;
    expect(result.detectors[0]).toMatchObject({ id: 'M08', opened: 1 });
    expect(result.detectors[0].error).toBeUndefined();
    const [alert] = (await w.leader.get('/api/v1/monitoring/alerts?detector=M08').expect(200)).body;
    expect(alert.summary.length).toBe(500);
    expect(alert.summary.endsWith('…')).toBe(true);
    expect(alert.evidence.lines).toHaveLength(40);
  });

  it('opens a closed subject again when the finding names something new, at the same severity', async () => {
    const admin = await t.as('admin');
    const party = (relation: string, bankAccount: string, name: string) =>
      admin
        .post('/api/v1/monitoring/related-parties')
        .send({ name, bankAccount, relation, officialName: '王大明', office: '溫泉鎮一村村委會主任' })
        .expect(201);
    await party('spouse', PAYEE.account, '陳麗');
    await w.maker
      .post('/api/v1/monitoring/runs')
      .send({ detectors: ['M15'] })
      .expect(201);
    const [first] = (await w.leader.get('/api/v1/monitoring/alerts?detector=M15').expect(200)).body;
    expect(first).toMatchObject({ subjectId: String(contract.id), severity: 'red', unitName: '英山縣' });
    // The register names officials: the village whose official it may name does not see the alert.
    await w.village.get(`/api/v1/monitoring/alerts/${first.id}`).expect(404);
    await w.maker.post(`/api/v1/monitoring/alerts/${first.id}/explain`).send({ note: '已回避，經紀委核查無利益輸送' }).expect(200);
    await w.leader.post(`/api/v1/monitoring/alerts/${first.id}/close`).send({ note: '核查屬實，同意關閉' }).expect(200);
    await w.maker
      .post('/api/v1/monitoring/runs')
      .send({ detectors: ['M15'] })
      .expect(201);
    expect((await w.leader.get('/api/v1/monitoring/alerts?detector=M15&state=open').expect(200)).body).toEqual([]);
    // A second relative declared on the same account is a new finding about the same contract.
    await party('sibling', PAYEE.account, '陳強');
    await w.maker
      .post('/api/v1/monitoring/runs')
      .send({ detectors: ['M15'] })
      .expect(201);
    const reopened = (await w.leader.get('/api/v1/monitoring/alerts?detector=M15&state=open').expect(200)).body;
    expect(reopened).toHaveLength(1);
    expect(reopened[0].id).not.toBe(first.id);
  });

  it('links an inspection finding only to an open alert about its project, and raises it when the finding is worse', async () => {
    const other = await w.contract('20000.00');
    const plan = (
      await w.inspector
        .post('/api/v1/monitoring/inspections')
        .send({ title: '專項檢查', departments: ['縣財政局', '縣審計局'], plannedOn: '2026-12-05', projectIds: [contract.projectId, other.projectId] })
        .expect(201)
    ).body;
    const first = (
      await w.inspector
        .post(`/api/v1/monitoring/inspections/${plan.id}/findings`)
        .send({ projectId: contract.projectId, finding: '施工日誌缺失', severity: 'blue' })
        .expect(201)
    ).body;
    const wrongProject = await w.inspector
      .post(`/api/v1/monitoring/inspections/${plan.id}/findings`)
      .send({ projectId: other.projectId, finding: '同上', severity: 'red', alertId: first.alertId })
      .expect(400);
    expect(wrongProject.body.details.fields[0].field).toBe('alertId');
    const confirmed = await w.inspector
      .post(`/api/v1/monitoring/inspections/${plan.id}/findings`)
      .send({ projectId: contract.projectId, finding: '複查：日誌仍未補齊，且有代簽', severity: 'red', alertId: first.alertId })
      .expect(201);
    expect(confirmed.body.alertId).toBe(first.alertId);
    const alert = (await w.leader.get(`/api/v1/monitoring/alerts/${first.alertId}`).expect(200)).body;
    expect(alert).toMatchObject({ severity: 'red', state: 'open' });
    expect(alert.history.map((h: { action: string }) => h.action)).toEqual(['opened', 'raised']);
    const same = await w.inspector
      .post('/api/v1/monitoring/inspections')
      .send({ title: '單部門', departments: ['縣財政局', '縣財政局'], plannedOn: '2026-12-05', projectIds: [contract.projectId] })
      .expect(400);
    expect(same.body.details.fields[0].field).toBe('departments');
  });

  it('judges last year’s allocations against the schedule’s last step in January', async () => {
    const leader = w.leader;
    const change = await w.maker
      .post('/api/v1/policies/changes')
      .send({ key: 'spending_schedule', value: '06:0.30,12:0.90', effectiveFrom: '2026-12-01', reason: '縣定支出進度' })
      .expect(201);
    await leader.post(`/api/v1/policies/changes/${change.body.id}/approve`).expect(200);
    t.clock.travelTo('2026-12-31');
    expect((await detect(t, 'M03')).map((f) => f.evidence.scheduleMonth)).toEqual([6]);
    t.clock.travelTo('2027-01-02');
    const january = await detect(t, 'M03');
    expect(january.map((f) => [f.subjectId, f.severity, f.evidence.scheduleMonth, f.evidence.dueBy])).toEqual([
      [String(w.allocationId), 'red', 12, '2026-12-31'],
    ]);
    t.clock.travelTo('2026-12-01');
  });
});

describe('monitoring: the verifier checks the files behind explanations', () => {
  let t: TestApp;
  let w: ClaimWorld;

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.travelTo('2026-12-01');
    w = await claimWorld(t);
  });
  afterAll(() => t.close());

  it('finds an explanation’s file swapped behind the triggers, and the download refuses it', async () => {
    const project = (await w.contract('10000.00')).projectId;
    const plan = (
      await w.inspector
        .post('/api/v1/monitoring/inspections')
        .send({ title: '抽查', departments: ['縣財政局', '縣審計局'], plannedOn: '2026-12-05', projectIds: [project] })
        .expect(201)
    ).body;
    const { alertId } = (
      await w.inspector
        .post(`/api/v1/monitoring/inspections/${plan.id}/findings`)
        .send({ projectId: project, finding: '驗收資料不全', severity: 'yellow' })
        .expect(201)
    ).body;
    const file = (await w.village.post(`/api/v1/monitoring/alerts/${alertId}/files`).attach('file', PNG, 'photo.png').expect(201)).body;
    await t.seal();
    expect(await verifyEvents(t.ds)).toMatchObject({ ok: true, files: { alert_evidence: '1' } });

    const forged = Buffer.concat([PNG, Buffer.from('forged')]);
    await t.ds.transaction(async (em) => {
      await em.query(`SET LOCAL session_replication_role = replica`);
      await em.query(
        `UPDATE monitoring_alert_evidence SET content = $2, sha256 = encode(sha256($2::bytea), 'hex'), size = octet_length($2::bytea) WHERE id = $1`,
        [file.id, forged],
      );
    });
    expect((await w.auditor.get(`/api/v1/monitoring/alerts/${alertId}/files/${file.id}`).expect(409)).body.code).toBe('ATTACHMENT_TAMPERED');
    expect(await verifyEvents(t.ds)).toMatchObject({ ok: false, firstBadFile: { kind: 'alert_evidence', id: file.id } });
  });
});
