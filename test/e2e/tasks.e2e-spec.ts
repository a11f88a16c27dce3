import { RouteAuditor } from '../../src/access/route-auditor';
import { TASK_KIND_LIST } from '../../src/tasks/kinds';
import { ADMIN, As, TestApp, startTestApp } from '../support/app';
import { ClaimWorld, attachAll, claimWorld, packet } from '../support/claims';
import { CHECKER, MAKER, openAccount, posting } from '../support/factories';

interface Task {
  kind: string;
  id: string;
  title: string;
  amount: string | null;
  since: string;
  detail: string | null;
}
interface Group {
  kind: string;
  count: number;
  items: Task[];
}

describe('my tasks (GET /tasks)', () => {
  let t: TestApp;
  let w: ClaimWorld;
  let admin: As;
  let secondAdmin: As;
  let line2: As;

  const groups = async (who: As): Promise<Group[]> => (await who.get('/api/v1/tasks').expect(200)).body.groups;
  /** One kind's group: its count and the ids of its items. */
  const waiting = async (who: As, kind: string): Promise<{ count: number; ids: string[]; items: Task[] }> => {
    const group = (await groups(who)).find((g) => g.kind === kind);
    if (!group) throw new Error(`no group ${kind}`);
    return { count: group.count, ids: group.items.map((i) => i.id), items: group.items };
  };
  const review = { signedOn: '2026-06-28', opinion: '單據齊全' };

  beforeAll(async () => {
    t = await startTestApp();
    w = await claimWorld(t);
    admin = await t.as(ADMIN.username);
    secondAdmin = await t.as('tasks-admin2', ['admin']);
    line2 = await t.as('poverty-office-2', ['line_department']);
  });
  afterAll(() => t.close());

  it('answers one group per kind the roles take, empty ones included, and none for roles that take no step', async () => {
    expect((await groups(w.auditor)).map((g) => g.kind)).toEqual([]);
    expect((await groups(w.inspector)).map((g) => g.kind)).toEqual([]);
    expect((await groups(admin)).map((g) => g.kind)).toEqual(['calendar_approval']);
    expect((await groups(w.leader)).map((g) => g.kind)).toEqual(['claim_leader_sign', 'budget_line_signature', 'policy_approval']);
    expect((await groups(w.village)).map((g) => g.kind)).toEqual(['claim_rework', 'notice_approval', 'alert']);
    expect((await groups(w.township)).map((g) => g.kind)).toEqual(['claim_township_review', 'notice_approval', 'alert']);
    expect((await groups(w.line)).map((g) => g.kind)).toEqual(['claim_line_review', 'notice_approval', 'alert']);
    expect(await groups(w.maker)).toEqual(
      ['voucher_approval', 'claim_approval', 'claim_payment', 'retention_approval', 'policy_approval', 'notice_approval', 'alert'].map((kind) => ({
        kind,
        count: 0,
        items: [],
      })),
    );
  });

  it('gives each kind to exactly the roles of the route that takes its step', () => {
    const routes = t.app.get(RouteAuditor).routes();
    for (const k of TASK_KIND_LIST) {
      const route = routes.find((r) => `${r.method} ${r.path}` === k.route);
      expect({ kind: k.kind, found: route !== undefined }).toEqual({ kind: k.kind, found: true });
      expect({ kind: k.kind, outside: k.roles.filter((r) => !(route!.access as readonly string[]).includes(r)) }).toEqual({ kind: k.kind, outside: [] });
    }
  });

  it('voucher_approval: a draft waits for every county_finance user but its drafter, until it is approved', async () => {
    await openAccount(t, 'bank:T', 'asset');
    await openAccount(t, 'equity:T', 'net_assets');
    const body = posting(
      [
        { account: 'bank:T', debit: '1200.50' },
        { account: 'equity:T', credit: '1200.50' },
      ],
      '2026-03-02',
      '鄉鎮配套資金到帳',
    );
    const voucher = (await w.maker.post('/api/v1/ledger/transactions').send(body).expect(201)).body;
    expect(await waiting(w.maker, 'voucher_approval')).toMatchObject({ count: 0, ids: [] });
    const checker = await waiting(w.checker, 'voucher_approval');
    expect(checker.count).toBe(1);
    expect(checker.items[0]).toEqual({
      kind: 'voucher_approval',
      id: voucher.id,
      title: '鄉鎮配套資金到帳',
      amount: '1200.50',
      since: voucher.draftedAt,
      detail: `${MAKER} · 2026-03-02`,
      parentId: null,
    });
    expect((await waiting(w.payer, 'voucher_approval')).ids).toEqual([voucher.id]);
    await w.checker.post(`/api/v1/ledger/transactions/${voucher.id}/approve`).expect(201);
    expect((await waiting(w.checker, 'voucher_approval')).count).toBe(0);
    expect((await waiting(w.payer, 'voucher_approval')).count).toBe(0);
  });

  it('claims: each step waits for its role, in scope, and never for a hand the chain already had', async () => {
    const contract = await w.contract('100000.00');
    const claim = (await w.village.post('/api/v1/claims').send(packet(contract.id, '30000.00')).expect(201)).body;
    const id = String(claim.id);
    // A draft waits for its village to finish and submit it; not for another village.
    const rework = await waiting(w.village, 'claim_rework');
    expect(rework.ids).toEqual([id]);
    expect(rework.items[0]).toMatchObject({ kind: 'claim_rework', amount: '30000.00', detail: '溫泉鎮 溫泉鎮一村' });
    expect(rework.items[0].title).toContain('30000.00');
    expect((await waiting(w.otherVillage, 'claim_rework')).count).toBe(0);

    await attachAll(w.village, claim.id);
    await w.village.post(`/api/v1/claims/${claim.id}/submit`).expect(200);
    expect((await waiting(w.village, 'claim_rework')).count).toBe(0);
    expect((await waiting(w.township, 'claim_township_review')).ids).toEqual([id]);
    expect((await waiting(w.otherTownship, 'claim_township_review')).count).toBe(0);
    expect((await waiting(w.line, 'claim_line_review')).count).toBe(0);

    await w.township.post(`/api/v1/claims/${claim.id}/township-review`).send(review).expect(200);
    expect((await waiting(w.township, 'claim_township_review')).count).toBe(0);
    expect((await waiting(w.line, 'claim_line_review')).ids).toEqual([id]);
    expect((await waiting(w.maker, 'claim_approval')).count).toBe(0);

    await w.line.post(`/api/v1/claims/${claim.id}/line-review`).send({ result: 'pass', opinion: '相符' }).expect(200);
    expect((await waiting(w.line, 'claim_line_review')).count).toBe(0);
    for (const finance of [w.maker, w.checker, w.payer]) expect((await waiting(finance, 'claim_approval')).ids).toEqual([id]);
    // Within the leader threshold: nothing for the leader.
    expect((await waiting(w.leader, 'claim_leader_sign')).count).toBe(0);

    await w.checker.post(`/api/v1/claims/${claim.id}/approve`).send({ opinion: '同意' }).expect(200);
    expect((await waiting(w.maker, 'claim_approval')).count).toBe(0);
    // The approver never pays what they approved: the payment waits for the others only.
    expect((await waiting(w.checker, 'claim_payment')).count).toBe(0);
    expect((await waiting(w.maker, 'claim_payment')).ids).toEqual([id]);
    expect((await waiting(w.payer, 'claim_payment')).ids).toEqual([id]);

    await w.payer.post(`/api/v1/claims/${claim.id}/pay`).send({ payeeAccount: '8201000000999' }).expect(200);
    for (const finance of [w.maker, w.checker, w.payer]) expect((await waiting(finance, 'claim_payment')).count).toBe(0);

    // A rejected claim goes back to its village to correct.
    const second = (await w.village.post('/api/v1/claims').send(packet(contract.id, '20000.00')).expect(201)).body;
    await attachAll(w.village, second.id);
    await w.village.post(`/api/v1/claims/${second.id}/submit`).expect(200);
    await w.township.post(`/api/v1/claims/${second.id}/reject`).send({ reason: '單據不清' }).expect(200);
    expect((await waiting(w.township, 'claim_township_review')).count).toBe(0);
    const back = await waiting(w.village, 'claim_rework');
    expect(back.ids).toEqual([String(second.id)]);
    expect(back.items[0].title).toContain('已退回');
  });

  it('claim_leader_sign: above the threshold, finance approves and the claim waits for the leader, then for payment', async () => {
    const contract = await w.contract('600000.00');
    const claim = (await w.village.post('/api/v1/claims').send(packet(contract.id, '560000.00')).expect(201)).body;
    await attachAll(w.village, claim.id);
    await w.village.post(`/api/v1/claims/${claim.id}/submit`).expect(200);
    await w.township.post(`/api/v1/claims/${claim.id}/township-review`).send(review).expect(200);
    await w.line.post(`/api/v1/claims/${claim.id}/line-review`).send({ result: 'pass', opinion: '相符' }).expect(200);
    expect((await waiting(w.leader, 'claim_leader_sign')).count).toBe(0);
    await w.maker.post(`/api/v1/claims/${claim.id}/approve`).send({ opinion: '同意' }).expect(200);
    // Finance has approved: no longer finance's to approve, the leader's to sign.
    for (const finance of [w.maker, w.checker]) expect((await waiting(finance, 'claim_approval')).count).toBe(0);
    const leader = await waiting(w.leader, 'claim_leader_sign');
    expect(leader).toMatchObject({ count: 1, ids: [String(claim.id)] });
    expect(leader.items[0].amount).toBe('560000.00');
    expect((await waiting(w.maker, 'claim_payment')).count).toBe(0);

    await w.leader.post(`/api/v1/claims/${claim.id}/approve`).send({ opinion: '同意撥付' }).expect(200);
    expect((await waiting(w.leader, 'claim_leader_sign')).count).toBe(0);
    expect((await waiting(w.maker, 'claim_payment')).count).toBe(0);
    expect((await waiting(w.checker, 'claim_payment')).ids).toEqual([String(claim.id)]);
  });

  it('budget_line_signature: a line above the threshold waits for a leader until signed', async () => {
    const project = await w.project({ fundScale: '700000.00' });
    const line = (await w.maker.post(`/api/v1/projects/${project}/budget-lines`).send({ allocationId: w.allocationId, amount: '700000.00' }).expect(201)).body;
    expect(line.state).toBe('awaiting_signature');
    const waitingLine = await waiting(w.leader, 'budget_line_signature');
    expect(waitingLine).toMatchObject({ count: 1, ids: [String(line.id)] });
    expect(waitingLine.items[0]).toMatchObject({ amount: '700000.00', detail: `項目 ${project} · ${MAKER} 提議`, parentId: String(project) });
    await w.leader.post(`/api/v1/projects/${project}/budget-lines/${line.id}/sign`).expect(200);
    expect((await waiting(w.leader, 'budget_line_signature')).count).toBe(0);
  });

  it('retention_approval: a proposed forfeit waits for county finance but its proposer', async () => {
    const contract = await w.contract('50000.00');
    const claim = (await w.village.post('/api/v1/claims').send(packet(contract.id, '10000.00')).expect(201)).body;
    await attachAll(w.village, claim.id);
    await w.village.post(`/api/v1/claims/${claim.id}/submit`).expect(200);
    await w.township.post(`/api/v1/claims/${claim.id}/township-review`).send(review).expect(200);
    await w.line.post(`/api/v1/claims/${claim.id}/line-review`).send({ result: 'pass', opinion: '相符' }).expect(200);
    await w.checker.post(`/api/v1/claims/${claim.id}/approve`).send({ opinion: '同意' }).expect(200);
    await w.payer.post(`/api/v1/claims/${claim.id}/pay`).send({ payeeAccount: '8201000000999' }).expect(200);

    const movement = (await w.maker.post(`/api/v1/contracts/${contract.id}/retention/forfeit`).send({ amount: '500.00', reason: '維修路肩' }).expect(201)).body;
    expect((await waiting(w.maker, 'retention_approval')).count).toBe(0);
    const checker = await waiting(w.checker, 'retention_approval');
    expect(checker).toMatchObject({ count: 1, ids: [String(movement.id)] });
    expect(checker.items[0]).toMatchObject({ amount: '500.00', detail: `${MAKER}：維修路肩`, parentId: String(contract.id) });
    await w.checker.post(`/api/v1/retention-movements/${movement.id}/approve`).expect(200);
    expect((await waiting(w.checker, 'retention_approval')).count).toBe(0);
  });

  it('policy_approval and calendar_approval: a proposal waits for the approvers but its proposer', async () => {
    const change = (
      await w.maker
        .post('/api/v1/policies/changes')
        .send({ key: 'publicity_min_days', value: '12', effectiveFrom: t.clock.today(), reason: '縣政府通知' })
        .expect(201)
    ).body;
    expect((await waiting(w.maker, 'policy_approval')).count).toBe(0);
    expect((await waiting(w.checker, 'policy_approval')).ids).toEqual([String(change.id)]);
    expect((await waiting(w.leader, 'policy_approval')).ids).toEqual([String(change.id)]);
    await w.leader.post(`/api/v1/policies/changes/${change.id}/approve`).expect(200);
    expect((await waiting(w.checker, 'policy_approval')).count).toBe(0);

    const day = (
      await admin.post('/api/v1/calendar/changes').send({ day: '2030-01-08', action: 'set', kind: 'holiday', name: '縣慶', reason: '縣政府通知' }).expect(201)
    ).body;
    expect((await waiting(admin, 'calendar_approval')).count).toBe(0);
    const other = await waiting(secondAdmin, 'calendar_approval');
    expect(other).toMatchObject({ count: 1, ids: [String(day.id)] });
    expect(other.items[0].title).toContain('2030-01-08');
    await secondAdmin.post(`/api/v1/calendar/changes/${day.id}/approve`).expect(200);
    expect((await waiting(secondAdmin, 'calendar_approval')).count).toBe(0);
  });

  it('notice_approval: a draft waits for the other publishers of its unit, not its drafter nor other units', async () => {
    const project = await w.project();
    const draft = (
      await w.line
        .post('/api/v1/notices')
        .send({ kind: 'implementation', documentNumber: '英扶公〔2026〕77號', channels: ['portal'], formedOn: t.clock.today(), projectIds: [project] })
        .expect(201)
    ).body;
    expect((await waiting(w.line, 'notice_approval')).count).toBe(0);
    expect((await waiting(line2, 'notice_approval')).ids).toEqual([String(draft.id)]);
    expect((await waiting(w.maker, 'notice_approval')).ids).toEqual([String(draft.id)]);
    expect((await waiting(w.township, 'notice_approval')).count).toBe(0);
    await line2.post(`/api/v1/notices/${draft.id}/approve`).send({}).expect(200);
    expect((await waiting(w.maker, 'notice_approval')).count).toBe(0);
  });

  it('alert: open alerts in scope wait to be acknowledged, red first', async () => {
    const project = await w.project();
    const plan = (
      await w.inspector
        .post('/api/v1/monitoring/inspections')
        .send({ title: '年度聯合檢查', departments: ['縣財政局', '縣審計局'], plannedOn: t.clock.today(), projectIds: [project] })
        .expect(201)
    ).body;
    const finding = async (severity: string, text: string) =>
      String(
        (await w.inspector.post(`/api/v1/monitoring/inspections/${plan.id}/findings`).send({ projectId: project, finding: text, severity }).expect(201)).body
          .alertId,
      );
    const yellow = await finding('yellow', '路面厚度不足');
    const red = await finding('red', '公示牌缺失');
    for (const who of [w.village, w.township, w.maker, w.line]) expect((await waiting(who, 'alert')).ids).toEqual([red, yellow]);
    expect((await waiting(w.otherTownship, 'alert')).count).toBe(0);
    expect((await waiting(w.otherVillage, 'alert')).count).toBe(0);
    expect((await waiting(w.maker, 'alert')).items[0]).toMatchObject({ kind: 'alert', amount: null, title: expect.stringContaining('M00') });

    await w.township.post(`/api/v1/monitoring/alerts/${red}/acknowledge`).send({}).expect(200);
    expect(await waiting(w.village, 'alert')).toMatchObject({ count: 1, ids: [yellow] });
  });

  it('counts all that waits and lists the 20 that waited longest', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 22; i++) {
      const body = posting(
        [
          { account: 'bank:T', debit: '1.00' },
          { account: 'equity:T', credit: '1.00' },
        ],
        '2026-03-02',
        `第 ${i} 張`,
      );
      ids.push((await (await t.as(MAKER)).post('/api/v1/ledger/transactions').send(body).expect(201)).body.id);
    }
    const checker = await waiting(await t.as(CHECKER), 'voucher_approval');
    expect(checker.count).toBe(22);
    expect(checker.ids).toEqual(ids.slice(0, 20));
  });
});
