import { createHash } from 'node:crypto';
import { As, TestApp, startTestApp } from '../support/app';
import { ClaimWorld, PAYEE, PNG, claimWorld } from '../support/claims';

const LETTERS = {
  countyToTownship: { reference: '英扶責〔2026〕8號', date: '2026-04-01' },
  townshipToVillage: { reference: '溫扶責〔2026〕3號', date: '2026-04-05' },
  villageToContractor: { reference: '一村責〔2026〕1號', date: '2026-04-08' },
};

describe('publicity (公示制)', () => {
  let t: TestApp;
  let w: ClaimWorld;
  let line2: As;
  let n = 0;

  /** What a refusal must leave untouched. */
  const counts = async () => {
    const [row] = await t.ds.query(
      `SELECT (SELECT count(*) FROM audit_events)::int AS events, (SELECT count(*) FROM project_transitions)::int AS transitions,
              (SELECT count(*) FROM notices)::int AS notices, (SELECT count(*) FROM notice_objections)::int AS objections,
              (SELECT count(*) FROM projects WHERE state = 'in_library')::int AS in_library,
              (SELECT count(*) FROM contracts WHERE state = 'signed')::int AS signed`,
    );
    return row;
  };

  /** A project of the first village, reviewed by its township: waiting for the library. */
  const reviewedProject = async (): Promise<number> => {
    n++;
    const id = (
      await w.village
        .post('/api/v1/projects')
        .send({
          name: `產業路 ${n}`,
          category: 'infrastructure',
          location: '溫泉鎮一村',
          startDate: '2027-03-01',
          endDate: '2027-10-31',
          responsibleUnit: '一村村委會',
          responsiblePerson: '王',
          tasks: '硬化2公里',
          fundScale: '1200050.00',
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

  const publish = async (kind: string, projectIds: number[], over: Record<string, unknown> = {}) => {
    const draft = (
      await w.line
        .post('/api/v1/notices')
        .send({ kind, documentNumber: `英扶公〔2026〕${++n}號`, channels: ['portal', 'village_board'], formedOn: t.clock.today(), projectIds, ...over })
        .expect(201)
    ).body;
    return (await line2.post(`/api/v1/notices/${draft.id}/approve`).send({}).expect(200)).body;
  };

  const enterLibrary = (id: number) => w.line.post(`/api/v1/projects/${id}/enter-library`).send({ reason: '入庫' });

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.travelTo('2026-12-01');
    w = await claimWorld(t);
    line2 = await t.as('poverty-office-2', ['line_department']);
  });

  afterAll(async () => {
    await t.close();
  });

  it('a project enters the library only after its notice has run its days with no objection open', async () => {
    const project = await reviewedProject();

    let before = await counts();
    expect((await enterLibrary(project).expect(422)).body).toMatchObject({ code: 'PUBLICITY_REQUIRED', details: { projectId: project, kind: 'library' } });
    expect(await counts()).toEqual(before);

    const draft = (
      await w.line
        .post('/api/v1/notices')
        .send({ kind: 'library', documentNumber: '英扶公〔2026〕1號', channels: ['portal'], formedOn: '2026-11-30', projectIds: [project] })
        .expect(201)
    ).body;
    expect(draft).toMatchObject({ state: 'draft', standing: 'draft', kind: 'library', projectIds: [project], publisher: expect.any(String) });
    before = await counts();
    expect((await w.line.post(`/api/v1/notices/${draft.id}/approve`).send({}).expect(403)).body.code).toBe('SAME_HAND');
    expect((await w.inspector.post(`/api/v1/notices/${draft.id}/approve`).send({}).expect(403)).body.code).toBe('FORBIDDEN_ROLE');
    // A draft is seen by its unit's subtree and county-wide roles only.
    await w.village.post(`/api/v1/notices/${draft.id}/approve`).send({}).expect(404);
    expect(await counts()).toEqual(before);

    const published = (await line2.post(`/api/v1/notices/${draft.id}/approve`).send({}).expect(200)).body;
    // publicity_min_days (10) from the day of approval, both days counted.
    expect(published).toMatchObject({ state: 'published', standing: 'running', startsOn: '2026-12-01', endsOn: '2026-12-10', approvedBy: 'poverty-office-2' });
    expect(published.pdfSha256).toMatch(/^[0-9a-f]{64}$/);
    const [event] = await t.ds.query(
      `SELECT body::jsonb -> 'data' AS data FROM audit_events WHERE type = 'notice.published' AND (body::jsonb -> 'data' ->> 'noticeId')::int = $1`,
      [draft.id],
    );
    expect(event.data).toMatchObject({ pdfSha256: published.pdfSha256, contentHash: published.contentHash, endsOn: '2026-12-10' });

    before = await counts();
    const running = (await enterLibrary(project).expect(422)).body;
    expect(running).toMatchObject({ code: 'PUBLICITY_RUNNING', details: { notice: published.code, endsOn: '2026-12-10', passesOn: '2026-12-11' } });
    expect(running.message).toMatch(/2026-12-11/);

    // Anyone objects on the public page, without a token.
    await t.api().post(`/public/notices/${published.code}/objections`).send({ content: '實施地點與實際不符', name: '李四', phone: '13800000000' }).expect(201);
    expect(await counts()).toMatchObject({ ...before, objections: before.objections + 1, events: before.events + 1 });

    t.clock.travelTo('2026-12-11');
    before = await counts();
    expect((await enterLibrary(project).expect(422)).body).toMatchObject({ code: 'OBJECTION_OPEN', details: { notice: published.code } });
    expect(await counts()).toEqual(before);

    const [objection] = (await w.line.get(`/api/v1/notices/${draft.id}`).expect(200)).body.objections;
    expect(objection).toMatchObject({ channel: 'public', name: '李四', late: false, state: 'received' });
    await w.line.post(`/api/v1/notices/${draft.id}/objections/${objection.id}/investigate`).expect(200);
    await w.line
      .post(`/api/v1/notices/${draft.id}/objections/${objection.id}/answer`)
      .send({ outcome: 'dismissed', finding: '經核實，實施地點與計劃一致。' })
      .expect(200);

    expect((await enterLibrary(project).expect(200)).body.state).toBe('in_library');

    // The answer is published on the notice's page; the objector's name and phone are not.
    const page = (await t.api().get(`/public/notices/${published.code}`).set('Accept', 'application/json').expect(200)).body;
    expect(page).toMatchObject({ standing: 'passed', objections: [{ outcome: 'dismissed', finding: '經核實，實施地點與計劃一致。', late: false }] });
    expect(JSON.stringify(page)).not.toMatch(/李四|13800000000/);
  });

  it('an upheld objection blocks until a notice superseding it has itself passed', async () => {
    t.clock.travelTo('2026-12-01');
    const project = await reviewedProject();
    const first = await publish('library', [project]);
    const recorded = (
      await w.line.post(`/api/v1/notices/${first.id}/objections`).send({ channel: 'phone', content: '資金規模有誤', receivedOn: '2026-12-01' }).expect(201)
    ).body;
    await w.line.post(`/api/v1/notices/${first.id}/objections/${recorded.id}/answer`).send({ outcome: 'upheld', finding: '資金規模應為120萬元' }).expect(200);

    t.clock.travelTo('2026-12-20');
    expect((await enterLibrary(project).expect(422)).body).toMatchObject({ code: 'OBJECTION_UPHELD', details: { notice: first.code } });

    const second = await publish('library', [project], { supersedesId: first.id });
    expect(second).toMatchObject({ supersedesId: first.id, startsOn: '2026-12-20', endsOn: '2026-12-29' });
    expect((await w.line.get(`/api/v1/notices/${first.id}`).expect(200)).body).toMatchObject({ standing: 'superseded', supersededById: second.id });
    expect((await enterLibrary(project).expect(422)).body).toMatchObject({ code: 'PUBLICITY_RUNNING', details: { notice: second.code } });
    // A notice is superseded once.
    expect(
      (
        await w.line
          .post('/api/v1/notices')
          .send({
            kind: 'library',
            documentNumber: 'x〔2026〕9號',
            channels: ['portal'],
            formedOn: '2026-12-20',
            projectIds: [project],
            supersedesId: first.id,
          })
          .expect(400)
      ).body.details.fields[0].field,
    ).toBe('supersedesId');

    t.clock.travelTo('2026-12-30');
    expect((await enterLibrary(project).expect(200)).body.state).toBe('in_library');
  });

  it('an objection after the last day is recorded as late and does not hold the gate', async () => {
    t.clock.travelTo('2026-12-01');
    const project = await reviewedProject();
    const notice = await publish('library', [project]);
    t.clock.travelTo('2026-12-15');
    const late = await t.api().post(`/public/notices/${notice.code}/objections`).send({ content: '補充意見' }).expect(201);
    expect(late.body).toMatchObject({ late: true, state: 'received' });
    expect((await enterLibrary(project).expect(200)).body.state).toBe('in_library');
  });

  it('a contract is signed only after the project plan notice has passed', async () => {
    t.clock.travelTo('2026-12-01');
    const project = await reviewedProject();
    await publish('library', [project]);
    t.clock.travelTo('2026-12-11');
    await enterLibrary(project).expect(200);
    const line = (await w.maker.post(`/api/v1/projects/${project}/budget-lines`).send({ allocationId: w.allocationId, amount: '300000.00' }).expect(201)).body;
    expect(line.state).toBe('posted');
    const draft = (
      await w.maker
        .post(`/api/v1/projects/${project}/contracts`)
        .send({ title: '產業路合同', payee: PAYEE, amount: '300000.00', schedule: [], letters: LETTERS })
        .expect(201)
    ).body;

    const before = await counts();
    expect((await w.checker.post(`/api/v1/contracts/${draft.id}/sign`).expect(422)).body).toMatchObject({
      code: 'PUBLICITY_REQUIRED',
      details: { kind: 'plan' },
    });
    expect(await counts()).toEqual(before);

    const plan = await publish('plan', [project]);
    // The plan's figures come from the ledger at approval: the 300,000.00 budget line.
    expect(plan.document.rows).toEqual([expect.objectContaining({ budget: '300000.00', location: '溫泉鎮一村' })]);
    expect(plan.document.totals).toEqual({ budget: '300000.00' });
    expect((await w.checker.post(`/api/v1/contracts/${draft.id}/sign`).expect(422)).body.code).toBe('PUBLICITY_RUNNING');
    t.clock.travelTo('2026-12-21');
    expect((await w.checker.post(`/api/v1/contracts/${draft.id}/sign`).expect(200)).body.state).toBe('signed');
  });

  it('the database refuses a library entry without a passed notice at commit, past the service', async () => {
    const project = await reviewedProject();
    await expect(t.ds.query(`UPDATE projects SET state = 'in_library' WHERE id = $1`, [project])).rejects.toMatchObject({ driverError: { code: 'FL014' } });
    // A published notice never changes.
    const [published] = await t.ds.query(`SELECT id FROM notices WHERE state = 'published' LIMIT 1`);
    await expect(t.ds.query(`UPDATE notices SET title = 'x' WHERE id = $1`, [published.id])).rejects.toMatchObject({ driverError: { code: 'FL003' } });
    await expect(t.ds.query(`DELETE FROM notice_objections`)).rejects.toMatchObject({ driverError: { code: 'FL003' } });
  });

  it('a notice is corrected only by its own unit, naming again all it published, and once', async () => {
    t.clock.travelTo('2026-12-01');
    const [a, b] = [await reviewedProject(), await reviewedProject()];
    const county = await publish('library', [a, b]);
    const otherVillage = await t.as('village2b', ['village'], (await t.ds.query(`SELECT village_id FROM projects WHERE id = $1`, [a]))[0].village_id);
    const before = await counts();
    // Another unit: a village may not supersede the county's notice (it could block every project in it).
    const foreign = await otherVillage
      .post('/api/v1/notices')
      .send({
        kind: 'library',
        documentNumber: '村〔2026〕1號',
        channels: ['village_board'],
        formedOn: '2026-12-01',
        projectIds: [a, b],
        supersedesId: county.id,
      })
      .expect(400);
    expect(foreign.body.details.fields[0].field).toBe('supersedesId');
    // A correction names again everything the notice published.
    const partial = await w.line
      .post('/api/v1/notices')
      .send({ kind: 'library', documentNumber: '更〔2026〕1號', channels: ['portal'], formedOn: '2026-12-01', projectIds: [a], supersedesId: county.id })
      .expect(400);
    expect(partial.body.details.fields[0].field).toBe('projectIds');
    // A second current notice for a project is refused: it must supersede the first.
    const second = await w.line
      .post('/api/v1/notices')
      .send({ kind: 'library', documentNumber: '重〔2026〕1號', channels: ['portal'], formedOn: '2026-12-01', projectIds: [b] })
      .expect(400);
    expect(second.body.details.fields[0]).toMatchObject({ field: 'supersedesId', message: expect.stringContaining(county.code) });
    expect(await counts()).toEqual(before);

    // Two corrections approved at once: one publishes, the other is refused.
    const drafts = [];
    for (const no of ['甲', '乙']) {
      drafts.push(
        (
          await w.line
            .post('/api/v1/notices')
            .send({
              kind: 'library',
              documentNumber: `更〔2026〕${no}號`,
              channels: ['portal'],
              formedOn: '2026-12-01',
              projectIds: [a, b],
              supersedesId: county.id,
            })
            .expect(201)
        ).body.id as number,
      );
    }
    const results = await Promise.all(drafts.map((id) => line2.post(`/api/v1/notices/${id}/approve`).send({})));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM notices WHERE supersedes_id = $1 AND state = 'published'`, [county.id]);
    expect(n).toBe(1);
  });

  it('shows who objected to the publishing unit only', async () => {
    t.clock.travelTo('2026-12-01');
    const notice = await publish('library', [await reviewedProject()]);
    await t.api().post(`/public/notices/${notice.code}/objections`).send({ content: '實名反映', name: '趙六', phone: '13900000000' }).expect(201);
    expect((await w.line.get(`/api/v1/notices/${notice.id}`).expect(200)).body.objections[0]).toMatchObject({ name: '趙六', phone: '13900000000' });
    for (const reader of [w.township, w.otherVillage, w.auditor]) {
      const seen = (await reader.get(`/api/v1/notices/${notice.id}`).expect(200)).body.objections[0];
      expect(seen).toMatchObject({ content: '實名反映', name: null, phone: null });
      const listed = (await reader.get('/api/v1/notices').expect(200)).body as { id: number; objections: unknown[] }[];
      expect(JSON.stringify(listed)).not.toMatch(/趙六|13900000000/);
    }
  });

  it('refuses a start beyond 30 days and a plan notice of a project without budget, writing nothing', async () => {
    t.clock.travelTo('2026-12-01');
    const project = await reviewedProject();
    const draft = (
      await w.line
        .post('/api/v1/notices')
        .send({ kind: 'library', documentNumber: '遠〔2026〕1號', channels: ['portal'], formedOn: '2026-12-01', projectIds: [project] })
        .expect(201)
    ).body;
    const before = await counts();
    for (const startsOn of ['9999-12-31', '2027-01-01']) {
      expect((await line2.post(`/api/v1/notices/${draft.id}/approve`).send({ startsOn }).expect(400)).body.details.fields[0].field).toBe('startsOn');
    }
    expect(await counts()).toEqual(before);
    await line2.post(`/api/v1/notices/${draft.id}/approve`).send({ startsOn: '2026-12-31' }).expect(200);

    t.clock.travelTo('2027-01-10');
    await enterLibrary(project).expect(200);
    const plan = (
      await w.line
        .post('/api/v1/notices')
        .send({ kind: 'plan', documentNumber: '計〔2027〕1號', channels: ['portal'], formedOn: '2027-01-10', projectIds: [project] })
        .expect(201)
    ).body;
    const refused = await line2.post(`/api/v1/notices/${plan.id}/approve`).send({}).expect(400);
    expect(refused.body.details.fields[0].field).toBe('projectIds');
    expect((await w.line.get(`/api/v1/notices/${plan.id}`).expect(200)).body.state).toBe('draft');
  });

  it('lets the database, not the writer, say whether an objection is late, and not move its day past the calendar', async () => {
    t.clock.travelTo('2026-12-01');
    const project = await reviewedProject();
    const notice = await publish('library', [project]);
    const [county] = await t.ds.query(`SELECT county_id FROM notices WHERE id = $1`, [notice.id]);
    const [o] = await t.ds.query(
      `INSERT INTO notice_objections (county_id, notice_id, channel, content, received_on, late, state, recorded_by)
       VALUES ($1, $2, 'letter', '信件', '2026-12-02', true, 'received', (SELECT min(id) FROM users)) RETURNING late`,
      [county.county_id, notice.id],
    );
    expect(o.late).toBe(false);
    await expect(
      t.ds.query(
        `INSERT INTO notice_objections (county_id, notice_id, channel, content, received_on, state, outcome, recorded_by)
         VALUES ($1, $2, 'letter', '直接答覆', '2026-12-02', 'answered', 'dismissed', (SELECT min(id) FROM users))`,
        [county.county_id, notice.id],
      ),
    ).rejects.toMatchObject({ driverError: { code: 'FL003' } });

    // Without clock_travel a session's far date does not open the gate at commit: the day is at most the real one.
    await t.ds.query(`DELETE FROM clock_travel`);
    try {
      await expect(
        t.ds.transaction(async (em) => {
          await em.query(`SELECT set_config('fund_ledger.today', '2999-01-01', true)`);
          await em.query(
            `UPDATE notice_objections SET state = 'answered', outcome = 'dismissed', finding = 'x', answered_by = recorded_by, answered_at = now() WHERE notice_id = $1`,
            [notice.id],
          );
          await em.query(`UPDATE projects SET state = 'in_library' WHERE id = $1`, [project]);
        }),
      ).rejects.toMatchObject({ driverError: { code: 'FL014' } });
    } finally {
      await t.ds.query(`INSERT INTO clock_travel (allowed) VALUES (true)`);
    }
  });

  it('refuses to publish characters the notice font cannot print, naming them', async () => {
    t.clock.travelTo('2026-12-01');
    const draft = (
      await w.line
        .post('/api/v1/notices')
        .send({
          kind: 'library',
          title: '𠮷村項目公示',
          documentNumber: '字〔2026〕1號',
          channels: ['portal'],
          formedOn: '2026-12-01',
          projectIds: [await reviewedProject()],
        })
        .expect(201)
    ).body;
    const before = await counts();
    const res = await line2.post(`/api/v1/notices/${draft.id}/approve`).send({}).expect(422);
    expect(res.body).toMatchObject({ code: 'UNPRINTABLE_TEXT', details: { characters: ['𠮷'] } });
    expect(await counts()).toEqual(before);
  });

  it('keeps evidence of posting on a published notice, hashed, and knows when its bytes were swapped', async () => {
    t.clock.travelTo('2026-12-01');
    const project = await reviewedProject();
    const draft = (
      await w.line
        .post('/api/v1/notices')
        .send({ kind: 'library', documentNumber: '證〔2026〕1號', channels: ['village_board'], formedOn: '2026-12-01', projectIds: [project] })
        .expect(201)
    ).body;
    const upload = (notice: number, channel: string, body: Buffer, name = '公示欄照片.png', type = 'image/png') =>
      w.line.post(`/api/v1/notices/${notice}/evidence`).field('channel', channel).attach('file', body, { filename: name, contentType: type });
    let before = await counts();
    expect((await upload(draft.id, 'village_board', PNG).expect(409)).body.code).toBe('INVALID_STATE');
    expect(await counts()).toEqual(before);
    await line2.post(`/api/v1/notices/${draft.id}/approve`).send({}).expect(200);

    before = await counts();
    expect((await upload(draft.id, 'portal', PNG).expect(400)).body.details.fields[0].field).toBe('channel');
    expect((await upload(draft.id, 'village_board', Buffer.from('not an image')).expect(415)).body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(
      (await w.village.post(`/api/v1/notices/${draft.id}/evidence`).field('channel', 'village_board').attach('file', PNG, '照片.png').expect(403)).body.code,
    ).toBe('FORBIDDEN_ROLE');
    expect(await counts()).toEqual(before);

    const added = (await upload(draft.id, 'village_board', PNG).expect(201)).body;
    const sha256 = createHash('sha256').update(PNG).digest('hex');
    expect(added).toMatchObject({ channel: 'village_board', contentType: 'image/png', size: PNG.length, sha256, uploadedBy: 'poverty-office' });
    const [event] = await t.ds.query(`SELECT body::jsonb -> 'data' AS data FROM audit_events WHERE type = 'notice.evidence.added' ORDER BY id DESC LIMIT 1`);
    expect(event.data).toMatchObject({ evidenceId: added.id, noticeId: draft.id, sha256 });
    expect((await w.auditor.get(`/api/v1/notices/${draft.id}/evidence`).expect(200)).body).toEqual([added]);
    const down = await w.auditor.get(`/api/v1/notices/${draft.id}/evidence/${added.id}`).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(down.body as Buffer, PNG)).toBe(0);
    expect(down.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`);

    // Swapped past the triggers by a superuser: the download refuses instead of serving other bytes.
    await t.ds.transaction(async (em) => {
      await em.query(`SET LOCAL session_replication_role = replica`);
      const other = Buffer.concat([PNG, Buffer.from('x')]);
      await em.query(`UPDATE notice_evidence SET content = $2, size = $3, sha256 = $4 WHERE id = $1`, [
        added.id,
        other,
        other.length,
        createHash('sha256').update(other).digest('hex'),
      ]);
    });
    expect((await w.auditor.get(`/api/v1/notices/${draft.id}/evidence/${added.id}`).expect(409)).body.code).toBe('ATTACHMENT_TAMPERED');
  });

  describe('the public page', () => {
    let notice: { id: number; code: string; pdfSha256: string; contentHash: string };

    beforeAll(async () => {
      t.clock.travelTo('2026-12-01');
      notice = await publish('library', [await reviewedProject()]);
    });

    it('needs no token, serves the PDF whose hash the page and the event name, and checks a PDF against it', async () => {
      const pdf = await t.api().get(`/public/notices/${notice.code}/pdf`).buffer(true).parse(binary).expect(200).expect('Content-Type', 'application/pdf');
      const sha = createHash('sha256')
        .update(pdf.body as Buffer)
        .digest('hex');
      expect(sha).toBe(notice.pdfSha256);
      expect(pdf.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(sha, 'hex').toString('base64')}:`);

      const same = await t
        .api()
        .post(`/public/notices/${notice.code}/verify`)
        .set('Accept', 'application/json')
        .attach('file', pdf.body as Buffer, 'notice.pdf')
        .expect(200);
      expect(same.body).toMatchObject({ matches: true, sha256: sha });
      const other = await t
        .api()
        .post(`/public/notices/${notice.code}/verify`)
        .set('Accept', 'application/json')
        .attach('file', Buffer.from('%PDF-1.4 forged'), 'x.pdf')
        .expect(200);
      expect(other.body.matches).toBe(false);

      const html = await t
        .api()
        .get(`/public/notices/${notice.code}`)
        .expect(200)
        .expect('Content-Type', /text\/html/);
      expect(html.text).toContain('項目庫入庫公示');
      expect(html.text).toContain(notice.pdfSha256);
      expect(html.text).toContain('12317');

      const list = await t.api().get('/public/notices').set('Accept', 'application/json').expect(200);
      expect(list.body.map((x: { code: string }) => x.code)).toContain(notice.code);
    });

    it('shows nothing unpublished and answers unknown codes 404', async () => {
      const project = await reviewedProject();
      const draft = (
        await w.line
          .post('/api/v1/notices')
          .send({ kind: 'library', documentNumber: '草稿〔2026〕1號', channels: ['portal'], formedOn: '2026-12-01', projectIds: [project] })
          .expect(201)
      ).body;
      await t.api().get(`/public/notices/${draft.code}`).set('Accept', 'application/json').expect(404);
      await t.api().get(`/public/notices/${draft.code}/pdf`).expect(404);
      await t.api().post(`/public/notices/${draft.code}/objections`).send({ content: '異議內容' }).expect(404);
      await t.api().get('/public/notices/..%2F..%2Fetc').expect(404);
      const list = await t.api().get('/public/notices').set('Accept', 'application/json').expect(200);
      expect(list.body.map((x: { code: string }) => x.code)).not.toContain(draft.code);
    });

    it('takes a form post from the page and sends the reader back to it', async () => {
      const before = await counts();
      const res = await t
        .api()
        .post(`/public/notices/${notice.code}/objections`)
        .type('form')
        .send({ content: '表單提交的異議', name: '', phone: '' })
        .expect(303);
      expect(res.headers.location).toBe(`/public/notices/${notice.code}?objection=received`);
      expect((await counts()).objections).toBe(before.objections + 1);
    });

    it('refuses bad objections with the field and writes nothing; throttles one address', async () => {
      const before = await counts();
      const res = await t.api().post(`/public/notices/${notice.code}/objections`).send({ content: 'x', phone: 'call me' }).expect(400);
      expect(res.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['content', 'phone']);
      expect(await counts()).toEqual(before);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push(
          (
            await t
              .api()
              .post(`/public/notices/${notice.code}/objections`)
              .send({ content: `第${i}條異議` })
          ).status,
        );
      expect(statuses).toContain(429);
    });
  });
});

/** Reads a response body as bytes. */
function binary(res: import('supertest').Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  (res as unknown as NodeJS.ReadableStream).on('data', (c: Buffer) => chunks.push(c));
  (res as unknown as NodeJS.ReadableStream).on('end', () => done(null, Buffer.concat(chunks)));
}
