import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyEvents } from '../../src/audit/audit-verifier';
import { chinaDate } from '../../src/common/dates';
import { TestApp, startTestApp } from '../support/app';
import {
  ClaimWorld,
  PAYEE,
  PDF,
  PNG,
  attachAll,
  balance,
  balanceLike,
  claimCounts,
  claimLedgerMismatches,
  claimWorld,
  invoice,
  packet,
} from '../support/claims';
import { sumOfLinesMismatches } from '../support/factories';

/** 資金報帳制: a claim's packet, three-level review, the budget hold, approval and payment (design §6). */
// Uploads of this file are streamed here, so the test can see that none is left behind.
const uploads = mkdtempSync(join(tmpdir(), 'fund-ledger-uploads-'));
process.env.UPLOAD_TMP_DIR = uploads;

describe('claims', () => {
  let t: TestApp;
  let w: ClaimWorld;
  let road: { id: number; projectId: number };

  const draft = async (body: object) => (await w.village.post('/api/v1/claims').send(body).expect(201)).body;
  /** Drafted with every document, and submitted. */
  const submitted = async (body: object) => {
    const claim = await draft(body);
    await attachAll(w.village, claim.id);
    await w.village.post(`/api/v1/claims/${claim.id}/submit`).expect(200);
    return claim;
  };
  const review = { signedOn: '2026-06-28', opinion: '單據齊全' };

  beforeAll(async () => {
    t = await startTestApp();
    w = await claimWorld(t);
    road = await w.contract('800000.00', [
      { percent: '70', milestone: '路基路面完工' },
      { percent: '20', milestone: '附屬工程' },
      { percent: '10', milestone: '驗收合格' },
    ]);
    await w.inspector.post(`/api/v1/contracts/${road.id}/inspections`).send({ stage: 1, result: 'pass', notes: '路面完工' }).expect(201);
  });
  afterAll(() => t.close());
  // Whatever a test did, every claim agrees with the ledger and every kept balance with its lines.
  afterEach(async () => {
    expect(await claimLedgerMismatches(t)).toEqual([]);
    expect(await sumOfLinesMismatches(t)).toEqual([]);
  });

  it('goes from draft to paid with one person per step, holding budget from township review, and the books agree', async () => {
    const a = w.allocationId;
    const claim = await draft(packet(road.id, '560000.00', { stage: 1 }));
    expect(claim).toMatchObject({ state: 'draft', version: 1, amount: '560000.00', needsLeader: true, next: 'submit' });
    await attachAll(w.village, claim.id);
    expect((await w.village.post(`/api/v1/claims/${claim.id}/submit`).expect(200)).body.state).toBe('submitted');

    const reviewed = (await w.township.post(`/api/v1/claims/${claim.id}/township-review`).send(review).expect(200)).body;
    expect(reviewed).toMatchObject({ state: 'township_reviewed', townshipSignedOn: '2026-06-28' });
    expect(await balance(t, `quota:held:C${road.id}:K${claim.id}:A${a}`)).toBe('560000.00');
    expect(await balance(t, `quota:committed:C${road.id}:A${a}`)).toBe('240000.00');
    // The held amount is still the contract's commitment in the reports, and the contract cannot be settled under it.
    expect((await w.auditor.get(`/api/v1/reports/projects/${road.projectId}`).expect(200)).body).toMatchObject({
      budget: '800000.00',
      committed: '800000.00',
      spent: '0.00',
    });
    expect((await w.checker.post(`/api/v1/contracts/${road.id}/settle`).expect(409)).body).toMatchObject({
      code: 'INVALID_STATE',
      details: { claimsHold: '560000.00' },
    });

    await w.line.post(`/api/v1/claims/${claim.id}/line-review`).send({ result: 'pass', opinion: '工程量相符' }).expect(200);
    const financeApproved = (await w.maker.post(`/api/v1/claims/${claim.id}/approve`).send({ opinion: '同意' }).expect(200)).body;
    expect(financeApproved).toMatchObject({ state: 'line_reviewed', next: 'leader_sign' });
    expect((await w.checker.post(`/api/v1/claims/${claim.id}/pay`).send({ payeeAccount: '8201000000999' }).expect(409)).body.code).toBe('INVALID_STATE');
    expect((await w.leader.post(`/api/v1/claims/${claim.id}/approve`).send({ opinion: '同意撥付' }).expect(200)).body.state).toBe('approved');

    // The approver may not pay: a different county_finance user does.
    expect((await w.maker.post(`/api/v1/claims/${claim.id}/pay`).send({ payeeAccount: '8201000000999' }).expect(403)).body.code).toBe('SAME_HAND');
    const paid = await w.payer
      .post(`/api/v1/claims/${claim.id}/pay`)
      .set('Idempotency-Key', `pay-${claim.id}`)
      .send({ payeeAccount: '8201000000999' })
      .expect(200);
    expect(paid.body).toMatchObject({ state: 'paid', next: null });
    const [payment] = await t.ds.query(`SELECT amount::text, retention::text, net::text, paid_by FROM contract_payments WHERE id = $1`, [paid.body.paymentId]);
    expect(payment).toMatchObject({ amount: '560000.00', retention: '84000.00', net: '476000.00' });

    // A retried request answers as the first did and posts nothing.
    const before = await claimCounts(t);
    const replay = await w.payer
      .post(`/api/v1/claims/${claim.id}/pay`)
      .set('Idempotency-Key', `pay-${claim.id}`)
      .send({ payeeAccount: '8201000000999' })
      .expect(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.paymentId).toBe(paid.body.paymentId);
    expect(await claimCounts(t)).toEqual(before);
    expect((await w.payer.post(`/api/v1/claims/${claim.id}/pay`).send({ payeeAccount: '8201000000999' }).expect(409)).body.code).toBe('INVALID_STATE');

    expect(await balance(t, 'bank:D001')).toBe('4524000.00');
    expect(await balance(t, `retention:C${road.id}:A${a}`)).toBe('84000.00');
    expect(await balance(t, `expense:P${road.projectId}:A${a}:infrastructure`)).toBe('560000.00');
    expect(await balance(t, `quota:spent:P${road.projectId}:A${a}`)).toBe('560000.00');
    expect(await balance(t, `quota:committed:C${road.id}:A${a}`)).toBe('240000.00');
    expect(await balanceLike(t, `quota:held:C${road.id}:`)).toBe('0.00');
    expect(await sumOfLinesMismatches(t)).toEqual([]);

    const detail = (await w.auditor.get(`/api/v1/claims/${claim.id}`).expect(200)).body;
    expect(detail.history.map((h: { step: string; actor: string }) => [h.step, h.actor])).toEqual([
      ['draft', 'village1'],
      ['submit', 'village1'],
      ['township_review', 'township1'],
      ['line_review', 'poverty-office'],
      ['approve', 'finance-maker'],
      ['leader_sign', 'leader'],
      ['pay', 'finance-payer'],
    ]);
    const events: { type: string; actor: string }[] = await t.ds.query(
      `SELECT type, actor FROM audit_events WHERE type LIKE 'claim.%' AND (body::jsonb -> 'data' ->> 'claimId')::int = $1 AND type <> 'claim.attachment.added' ORDER BY id`,
      [claim.id],
    );
    expect(events.map((e) => e.type)).toEqual([
      'claim.submit',
      'claim.township_review',
      'claim.line_review',
      'claim.approve',
      'claim.leader_sign',
      'claim.pay',
    ]);
    expect(events.map((e) => e.actor)).toEqual(['village1', 'township1', 'poverty-office', 'finance-maker', 'leader', 'finance-payer']);
    const [drafted] = await t.ds.query(`SELECT actor FROM audit_events WHERE type = 'claim.drafted' AND (body::jsonb -> 'data' ->> 'id')::int = $1`, [
      claim.id,
    ]);
    expect(drafted.actor).toBe('village1');
  });

  describe('refusals write nothing', () => {
    let small: { id: number; projectId: number };
    beforeAll(async () => {
      small = await w.contract('100000.00');
    });

    it.each<readonly [string, () => object, number, string, string]>([
      ['a 3-decimal amount', () => packet(small.id, '100.005'), 400, 'VALIDATION_FAILED', 'amount'],
      [
        'invoices that do not add up',
        () => ({ ...packet(small.id, '1000.00'), invoices: [invoice('90000001', { amount: '999.99' })] }),
        422,
        'INVOICE_TOTAL_MISMATCH',
        'invoices',
      ],
      [
        'expenses that do not add up',
        () => ({ ...packet(small.id, '1000.00'), expenses: [{ description: 'x', amount: '1000.01' }] }),
        422,
        'EXPENSE_TOTAL_MISMATCH',
        'expenses',
      ],
      [
        'the same invoice twice in one claim',
        () => ({
          ...packet(small.id, '1000.00'),
          invoices: [
            invoice('90000002', { amount: '500.00' }),
            invoice('９０００ ０００２', { issuer: '英山县路桥工程有限公司', issuerTaxId: PAYEE.taxId.toLowerCase(), amount: '500.00' }),
          ],
        }),
        409,
        'DUPLICATE_INVOICE',
        'invoices.1.number',
      ],
      ['a final claim without its acceptance', () => packet(small.id, '1000.00', { final: true }), 422, 'ACCEPTANCE_REQUIRED', 'acceptanceId'],
      ['an application dated in the future', () => packet(small.id, '1000.00', { applicationDate: '2099-01-01' }), 400, 'VALIDATION_FAILED', 'applicationDate'],
      [
        'an acceptance named by a claim that is not final',
        () => packet(small.id, '1000.00', { acceptanceId: 999999 }),
        400,
        'VALIDATION_FAILED',
        'acceptanceId',
      ],
      ...['\u200b', '\u2060', '\u00ad', '\u200e', '\ufeff'].map(
        (c) =>
          [
            `an invoice number with the invisible U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} inside`,
            () => ({ ...packet(small.id, '1000.00'), invoices: [invoice(`0328${c}5728`)] }),
            400,
            'VALIDATION_FAILED',
            'invoices.0.number',
          ] as const,
      ),
      ...['\u200b', '\u200c'].map(
        (c) =>
          [
            `an issuer taxpayer id with the invisible U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} inside`,
            () => ({
              ...packet(small.id, '1000.00'),
              invoices: [invoice('90000003', { issuerTaxId: `${PAYEE.taxId.slice(0, 9)}${c}${PAYEE.taxId.slice(9)}` })],
            }),
            400,
            'VALIDATION_FAILED',
            'invoices.0.issuerTaxId',
          ] as const,
      ),
      [
        'an issuer taxpayer id with a wrong check character',
        () => ({ ...packet(small.id, '1000.00'), invoices: [invoice('90000004', { issuerTaxId: '91421124MA4F0B3K58' })] }),
        400,
        'VALIDATION_FAILED',
        'invoices.0.issuerTaxId',
      ],
      [
        'an invoice without the issuer taxpayer id',
        () => ({ ...packet(small.id, '1000.00'), invoices: [invoice('90000005', { issuerTaxId: undefined })] }),
        400,
        'VALIDATION_FAILED',
        'invoices.0.issuerTaxId',
      ],
      [
        'an invoice code of 11 digits',
        () => ({ ...packet(small.id, '1000.00'), invoices: [invoice('90000006', { code: '42002611301' })] }),
        400,
        'VALIDATION_FAILED',
        'invoices.0.code',
      ],
      [
        'an 8-digit number without its invoice code',
        () => ({ ...packet(small.id, '1000.00'), invoices: [invoice('90000007', { code: undefined })] }),
        400,
        'VALIDATION_FAILED',
        'invoices.0.number',
      ],
      [
        'a 20-digit digital invoice number with a code',
        () => ({ ...packet(small.id, '1000.00'), invoices: [invoice('26422000000012345678')] }),
        400,
        'VALIDATION_FAILED',
        'invoices.0.number',
      ],
      [
        'an invoice number of letters',
        () => ({ ...packet(small.id, '1000.00'), invoices: [invoice('N0000001')] }),
        400,
        'VALIDATION_FAILED',
        'invoices.0.number',
      ],
      ['a stage on a contract without a schedule', () => packet(small.id, '1000.00', { stage: 1 }), 400, 'VALIDATION_FAILED', 'stage'],
      [
        'an impossible invoice date',
        () => ({ ...packet(small.id, '1000.00'), invoices: [invoice('90000008', { date: '2026-02-30' })] }),
        400,
        'VALIDATION_FAILED',
        'invoices.0.date',
      ],
    ])('%s', async (_name, body, status, code, field) => {
      const before = await claimCounts(t);
      const res = await w.village.post('/api/v1/claims').send(body()).expect(status);
      expect(res.body.code).toBe(code);
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(await claimCounts(t)).toEqual(before);
    });

    it('a claim on another village’s project is not found', async () => {
      const before = await claimCounts(t);
      expect((await w.otherVillage.post('/api/v1/claims').send(packet(small.id, '1000.00')).expect(404)).body.code).toBe('NOT_FOUND');
      expect(await claimCounts(t)).toEqual(before);
    });

    it('an invoice already claimed in the county, however it is written (虛報冒領)', async () => {
      const first = await draft(packet(small.id, '1000.00'));
      // The issuer written in simplified characters, the taxpayer id in lower case and full width, the number grouped.
      const { number } = first.invoices[0];
      const written = {
        issuer: '英山县路桥工程有限公司',
        issuerTaxId: '９１４２１１２４ｍａ４ｆ０ｂ３ｋ５７',
        number: `${number.slice(0, 4)} ${number.slice(4)}`,
      };
      const reused = { ...packet(small.id, '1000.00'), invoices: [invoice(number, written)] };
      const before = await claimCounts(t);
      const res = await w.village.post('/api/v1/claims').send(reused).expect(409);
      expect(res.body).toMatchObject({ code: 'DUPLICATE_INVOICE', details: { fields: [{ field: 'invoices.0.number' }] } });
      expect(await claimCounts(t)).toEqual(before);
    });

    it('a claim drafted on the wrong contract is withdrawn, which frees its invoices; a withdrawn claim is final', async () => {
      const right = await w.contract('20000.00');
      const wrong = await draft(packet(small.id, '1500.00'));
      const submittedOne = await submitted(packet(small.id, '1600.00'));
      const before = await claimCounts(t);
      expect(
        (
          await w.village
            .post('/api/v1/claims')
            .send({ ...packet(right.id, '1500.00'), invoices: wrong.invoices })
            .expect(409)
        ).body.code,
      ).toBe('DUPLICATE_INVOICE');
      expect((await w.otherVillage.post(`/api/v1/claims/${wrong.id}/withdraw`).send({ reason: 'x' }).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await w.village.post(`/api/v1/claims/${submittedOne.id}/withdraw`).send({ reason: 'x' }).expect(409)).body.code).toBe('INVALID_STATE');
      expect(await claimCounts(t)).toEqual(before);

      expect((await w.village.post(`/api/v1/claims/${wrong.id}/withdraw`).send({ reason: '合同選錯' }).expect(200)).body).toMatchObject({
        state: 'withdrawn',
        next: null,
        invoices: [],
      });
      await w.village
        .post('/api/v1/claims')
        .send({ ...packet(right.id, '1500.00'), invoices: wrong.invoices })
        .expect(201);
      const afterWithdrawal = await claimCounts(t);
      expect((await w.village.post(`/api/v1/claims/${wrong.id}/submit`).expect(409)).body.code).toBe('INVALID_STATE');
      const { contractId: _, ...again } = packet(small.id, '1500.00');
      expect((await w.village.put(`/api/v1/claims/${wrong.id}`).send(again).expect(409)).body.code).toBe('INVALID_STATE');
      expect(await claimCounts(t)).toEqual(afterWithdrawal);
      const history = (await w.auditor.get(`/api/v1/claims/${wrong.id}`).expect(200)).body.history;
      expect(history.at(-1)).toMatchObject({ step: 'withdraw', actor: 'village1', note: '合同選錯' });
    });

    it('submitting without the required documents, then every document present', async () => {
      const claim = await draft(packet(small.id, '2000.00'));
      await attachAll(w.village, claim.id, ['application', 'invoice']);
      const before = await claimCounts(t);
      const res = await w.village.post(`/api/v1/claims/${claim.id}/submit`).expect(422);
      expect(res.body).toMatchObject({
        code: 'DOCUMENTS_MISSING',
        details: { missing: ['expense_detail', 'letter_county_township', 'letter_township_village'] },
      });
      expect(await claimCounts(t)).toEqual(before);
      await attachAll(w.village, claim.id, ['expense_detail', 'letter_county_township', 'letter_township_village']);
      await w.village.post(`/api/v1/claims/${claim.id}/submit`).expect(200);
    });

    it('review steps out of order, a sign-off dated before the application, and one person taking two steps', async () => {
      const claim = await submitted(packet(small.id, '3000.00'));
      const before = await claimCounts(t);
      expect((await w.line.post(`/api/v1/claims/${claim.id}/line-review`).send({ result: 'pass', opinion: 'x' }).expect(409)).body.code).toBe('INVALID_STATE');
      expect((await w.maker.post(`/api/v1/claims/${claim.id}/approve`).send({ opinion: 'x' }).expect(409)).body.code).toBe('INVALID_STATE');
      expect((await w.payer.post(`/api/v1/claims/${claim.id}/pay`).send({ payeeAccount: '8201000000999' }).expect(409)).body.code).toBe('INVALID_STATE');
      expect((await w.village.post(`/api/v1/claims/${claim.id}/submit`).expect(409)).body.code).toBe('INVALID_STATE');
      const early = await w.township.post(`/api/v1/claims/${claim.id}/township-review`).send({ signedOn: '2026-06-24', opinion: 'x' }).expect(422);
      expect(early.body).toMatchObject({ code: 'SIGNOFF_BEFORE_APPLICATION', details: { fields: [{ field: 'signedOn' }] } });
      expect((await w.line.post(`/api/v1/claims/${claim.id}/township-review`).send(review).expect(403)).body.code).toBe('FORBIDDEN_ROLE');
      expect((await w.otherTownship.post(`/api/v1/claims/${claim.id}/township-review`).send(review).expect(404)).body.code).toBe('NOT_FOUND');
      expect(await claimCounts(t)).toEqual(before);

      // A person holding both review roles takes only one of the steps.
      // Such a person can no longer be made (a role fits its unit); one made before that rule is given both here.
      const twoHats = await t.as('two-hats', ['township_finance'], w.townshipId);
      await t.ds.query(`UPDATE users SET roles = '{township_finance,line_department}' WHERE username = 'two-hats'`);
      await twoHats.post(`/api/v1/claims/${claim.id}/township-review`).send(review).expect(200);
      const afterReview = await claimCounts(t);
      expect((await twoHats.post(`/api/v1/claims/${claim.id}/line-review`).send({ result: 'pass', opinion: 'x' }).expect(403)).body.code).toBe('SAME_HAND');
      expect(await claimCounts(t)).toEqual(afterReview);
      // Roles that have no step here.
      expect((await w.village.post(`/api/v1/claims/${claim.id}/approve`).send({ opinion: 'x' }).expect(403)).body.code).toBe('FORBIDDEN_ROLE');
      expect((await w.auditor.post(`/api/v1/claims/${claim.id}/pay`).send({ payeeAccount: '8201000000999' }).expect(403)).body.code).toBe('FORBIDDEN_ROLE');
      expect(await claimCounts(t)).toEqual(afterReview);
    });

    it('whoever uploaded a claim’s scans does not review it', async () => {
      // As above: both roles in one person, as made before a role had to fit its unit.
      const uploader = await t.as('uploads-and-reviews', ['township_finance'], w.townshipId);
      await t.ds.query(`UPDATE users SET roles = '{village,township_finance}' WHERE username = 'uploads-and-reviews'`);
      const claim = await draft(packet(small.id, '3200.00'));
      await attachAll(uploader, claim.id, ['application']);
      await attachAll(w.village, claim.id, ['expense_detail', 'invoice', 'letter_county_township', 'letter_township_village']);
      await w.village.post(`/api/v1/claims/${claim.id}/submit`).expect(200);
      const before = await claimCounts(t);
      expect((await uploader.post(`/api/v1/claims/${claim.id}/township-review`).send(review).expect(403)).body).toMatchObject({
        code: 'SAME_HAND',
        details: { earlierStep: 'upload' },
      });
      expect(await claimCounts(t)).toEqual(before);
    });

    it('the database refuses a second step by the same person even past the service', async () => {
      const claim = await submitted(packet(small.id, '3100.00'));
      await w.township.post(`/api/v1/claims/${claim.id}/township-review`).send(review).expect(200);
      const [township] = await t.ds.query(`SELECT id FROM users WHERE username = 'township1'`);
      await expect(
        t.ds.query(`INSERT INTO claim_steps (claim_id, version, step, actor_id) VALUES ($1, 1, 'line_review', $2)`, [claim.id, township.id]),
      ).rejects.toMatchObject({ driverError: { code: 'FL008' } });
      await expect(t.ds.query(`UPDATE claims SET state = 'paid' WHERE id = $1`, [claim.id])).rejects.toMatchObject({ driverError: { code: 'FL009' } });
      await expect(t.ds.query(`UPDATE claims SET amount = 1 WHERE id = $1`, [claim.id])).rejects.toMatchObject({ driverError: { code: 'FL009' } });
      await expect(t.ds.query(`DELETE FROM claim_steps WHERE claim_id = $1`, [claim.id])).rejects.toMatchObject({ driverError: { code: 'FL003' } });
    });

    it('a failed line review blocks approval (督查一把尺); rejection releases the hold and the corrected version starts again', async () => {
      const a = w.allocationId;
      const claim = await submitted(packet(small.id, '4000.00'));
      await w.township.post(`/api/v1/claims/${claim.id}/township-review`).send(review).expect(200);
      expect(await balance(t, `quota:held:C${small.id}:K${claim.id}:A${a}`)).toBe('4000.00');
      await w.line.post(`/api/v1/claims/${claim.id}/line-review`).send({ result: 'fail', opinion: '涵洞未完工' }).expect(200);
      const before = await claimCounts(t);
      expect((await w.maker.post(`/api/v1/claims/${claim.id}/approve`).send({ opinion: 'x' }).expect(422)).body.code).toBe('LINE_REVIEW_FAILED');
      expect((await w.leader.post(`/api/v1/claims/${claim.id}/reject`).send({ reason: 'x' }).expect(403)).body.code).toBe('FORBIDDEN_ROLE');
      expect((await w.township.post(`/api/v1/claims/${claim.id}/reject`).send({ reason: 'x' }).expect(403)).body.code).toBe('FORBIDDEN_ROLE');
      expect(await claimCounts(t)).toEqual(before);

      const committedBefore = await balance(t, `quota:committed:C${small.id}:A${a}`);
      const rejected = (await w.maker.post(`/api/v1/claims/${claim.id}/reject`).send({ reason: '涵洞未完工，完工後再報' }).expect(200)).body;
      expect(rejected).toMatchObject({ state: 'rejected', holdTransactionId: null, next: 'revise' });
      expect(await balance(t, `quota:held:C${small.id}:K${claim.id}:A${a}`)).toBe('0.00');
      expect(await balance(t, `quota:committed:C${small.id}:A${a}`)).toBe((Number(committedBefore) + 4000).toFixed(2));

      // Corrected: its own invoices may stay; the new version goes through the chain again, by the same people.
      const { contractId: _, ...corrections } = packet(small.id, '4000.00', { invoices: claim.invoices });
      const corrected = (await w.village.put(`/api/v1/claims/${claim.id}`).send(corrections).expect(200)).body;
      expect(corrected).toMatchObject({ state: 'draft', version: 2 });
      await w.village.post(`/api/v1/claims/${claim.id}/submit`).expect(200);
      await w.township.post(`/api/v1/claims/${claim.id}/township-review`).send(review).expect(200);
      await w.line.post(`/api/v1/claims/${claim.id}/line-review`).send({ result: 'pass', opinion: '已完工' }).expect(200);
      expect((await w.leader.post(`/api/v1/claims/${claim.id}/approve`).send({ opinion: 'x' }).expect(409)).body.code).toBe('INVALID_STATE');
      expect((await w.maker.post(`/api/v1/claims/${claim.id}/approve`).send({ opinion: '同意' }).expect(200)).body.state).toBe('approved');
      expect((await w.leader.post(`/api/v1/claims/${claim.id}/approve`).send({ opinion: 'x' }).expect(409)).body.code).toBe('INVALID_STATE');

      // County finance may still send an approved claim back before paying it; the hold returns.
      expect((await w.maker.post(`/api/v1/claims/${claim.id}/reject`).send({ reason: 'x' }).expect(403)).body.code).toBe('SAME_HAND');
      const held = await balance(t, `quota:committed:C${small.id}:A${a}`);
      await w.checker.post(`/api/v1/claims/${claim.id}/reject`).send({ reason: '收款賬戶待核實' }).expect(200);
      expect(await balance(t, `quota:held:C${small.id}:K${claim.id}:A${a}`)).toBe('0.00');
      expect(await balance(t, `quota:committed:C${small.id}:A${a}`)).toBe((Number(held) + 4000).toFixed(2));
      const detail = (await w.auditor.get(`/api/v1/claims/${claim.id}`).expect(200)).body;
      expect(detail.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
      expect(detail.history.filter((h: { step: string }) => h.step === 'reject')).toEqual([
        expect.objectContaining({ version: 1, actor: 'finance-maker', note: '涵洞未完工，完工後再報' }),
        expect.objectContaining({ version: 2, actor: 'finance-checker', note: '收款賬戶待核實' }),
      ]);
    });

    it('a claim beyond the contract’s remaining amount or its stage', async () => {
      const staged = await w.contract('50000.00', [
        { percent: '50', milestone: 'a' },
        { percent: '50', milestone: 'b' },
      ]);
      const beyondStage = await draft(packet(staged.id, '1000.00', { stage: 1 }));
      await attachAll(w.village, beyondStage.id);
      const before = await claimCounts(t);
      expect((await w.village.post(`/api/v1/claims/${beyondStage.id}/submit`).expect(422)).body.code).toBe('BEYOND_STAGE');
      await w.inspector.post(`/api/v1/contracts/${staged.id}/inspections`).send({ stage: 1, result: 'pass', notes: 'ok' }).expect(201);
      const tooMuch = await draft(packet(staged.id, '25000.01', { stage: 1 }));
      await attachAll(w.village, tooMuch.id);
      const mid = await claimCounts(t);
      expect((await w.village.post(`/api/v1/claims/${tooMuch.id}/submit`).expect(422)).body.code).toBe('BEYOND_STAGE');
      const over = await draft(packet(staged.id, '50000.01', { stage: 2 }));
      await attachAll(w.village, over.id);
      const mid2 = await claimCounts(t);
      expect((await w.village.post(`/api/v1/claims/${over.id}/submit`).expect(422)).body.code).toBe('OVER_CONTRACT');
      expect(await claimCounts(t)).toEqual(mid2);
      expect(mid.claims).toBe(before.claims + 1);
    });

    it('a final claim needs the passed acceptance and is not dated before it', async () => {
      const last = await w.contract('20000.00');
      await w.inspector.post(`/api/v1/contracts/${last.id}/inspections`).send({ result: 'pass', notes: 'ok' }).expect(201);
      const acceptance = (await w.line.post(`/api/v1/projects/${last.projectId}/acceptances`).send({ contractId: last.id, scaleStatement: '合格' }).expect(201))
        .body;
      await w.maker.post(`/api/v1/acceptances/${acceptance.id}/signoffs`).send({ department: 'finance', result: 'pass', notes: 'ok' }).expect(200);
      await w.line.post(`/api/v1/acceptances/${acceptance.id}/signoffs`).send({ department: 'line', result: 'pass', notes: 'ok' }).expect(200);
      await w.inspector.post(`/api/v1/acceptances/${acceptance.id}/signoffs`).send({ department: 'audit', result: 'pass', notes: 'ok' }).expect(200);
      await w.inspector2.post(`/api/v1/acceptances/${acceptance.id}/signoffs`).send({ department: 'transport', result: 'pass', notes: 'ok' }).expect(200);

      const before = await claimCounts(t);
      const early = await w.village
        .post('/api/v1/claims')
        .send(packet(last.id, '20000.00', { final: true, acceptanceId: acceptance.id, applicationDate: '2026-06-25' }))
        .expect(422);
      expect(early.body).toMatchObject({ code: 'APPLICATION_BEFORE_ACCEPTANCE', details: { fields: [{ field: 'applicationDate' }] } });
      const wrong = await w.village
        .post('/api/v1/claims')
        .send(packet(last.id, '20000.00', { final: true, acceptanceId: acceptance.id + 1000, applicationDate: chinaDate(new Date()) }))
        .expect(422);
      expect(wrong.body.code).toBe('ACCEPTANCE_REQUIRED');
      expect(await claimCounts(t)).toEqual(before);

      const final = await draft(packet(last.id, '20000.00', { final: true, acceptanceId: acceptance.id, applicationDate: chinaDate(new Date()) }));
      await attachAll(w.village, final.id);
      expect((await w.village.post(`/api/v1/claims/${final.id}/submit`).expect(422)).body).toMatchObject({
        code: 'DOCUMENTS_MISSING',
        details: { missing: ['acceptance'] },
      });
      await attachAll(w.village, final.id, ['acceptance']);
      await w.village.post(`/api/v1/claims/${final.id}/submit`).expect(200);
      await w.township
        .post(`/api/v1/claims/${final.id}/township-review`)
        .send({ signedOn: chinaDate(new Date()), opinion: 'ok' })
        .expect(200);
      await w.line.post(`/api/v1/claims/${final.id}/line-review`).send({ result: 'pass', opinion: 'ok' }).expect(200);
      await w.maker.post(`/api/v1/claims/${final.id}/approve`).send({ opinion: 'ok' }).expect(200);
      await w.payer.post(`/api/v1/claims/${final.id}/pay`).send({ payeeAccount: '8201000000999' }).expect(200);
      expect(await balance(t, `quota:committed:C${last.id}:A${w.allocationId}`)).toBe('0.00');
      expect(await balance(t, `retention:C${last.id}:A${w.allocationId}`)).toBe('3000.00');
    });
  });

  describe('attachments', () => {
    let claimId: number;
    beforeAll(async () => {
      const c = await w.contract('10000.00');
      claimId = (await draft(packet(c.id, '1000.00'))).id;
    });

    it('are typed by content, hashed into the event log, and downloadable by those in scope', async () => {
      const up = await w.village
        .post(`/api/v1/claims/${claimId}/attachments`)
        .field('kind', 'invoice')
        .attach('file', PNG, { filename: '發票掃描.png', contentType: 'image/png' })
        .expect(201);
      const sha256 = createHash('sha256').update(PNG).digest('hex');
      expect(up.body).toMatchObject({ kind: 'invoice', filename: '發票掃描.png', contentType: 'image/png', size: PNG.length, sha256 });
      const [event] = await t.ds.query(
        `SELECT body FROM audit_events WHERE type = 'claim.attachment.added' AND (body::jsonb -> 'data' ->> 'attachmentId')::int = $1`,
        [up.body.id],
      );
      expect(JSON.parse(event.body).data).toMatchObject({ sha256, claimId, filename: '發票掃描.png' });

      const down = await w.auditor
        .get(`/api/v1/claims/${claimId}/attachments/${up.body.id}`)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(Buffer.compare(down.body as Buffer, PNG)).toBe(0);
      expect(down.headers['content-type']).toBe('image/png');
      expect(down.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`);
      // RFC 6266: an ASCII fallback name for old clients and the real one in RFC 5987 form; never sniffed, never cached.
      expect(down.headers['content-disposition']).toBe(`attachment; filename="????.png"; filename*=UTF-8''${encodeURIComponent('發票掃描.png')}`);
      expect(down.headers['x-content-type-options']).toBe('nosniff');
      expect(down.headers['cache-control']).toBe('no-store');
      await w.township.get(`/api/v1/claims/${claimId}/attachments/${up.body.id}`).expect(200);
      expect((await w.otherVillage.get(`/api/v1/claims/${claimId}/attachments/${up.body.id}`).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await w.otherTownship.get(`/api/v1/claims/${claimId}`).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await w.auditor.get(`/api/v1/claims/${claimId}/attachments`).expect(200)).body).toHaveLength(1);
    });

    it.each([
      ['a “PDF” that is not one', Buffer.from('MZ this is an executable'), 'scan.pdf', 'application/pdf', 415, 'UNSUPPORTED_MEDIA_TYPE', 'file'],
      ['a PNG named .pdf', PNG, 'scan.pdf', 'application/pdf', 400, 'VALIDATION_FAILED', 'filename'],
      ['a PDF declared as PNG', PDF, 'scan.png', 'image/png', 400, 'VALIDATION_FAILED', 'filename'],
      ['a path in the name', PDF, '../../etc/scan.pdf', 'application/pdf', 400, 'VALIDATION_FAILED', 'filename'],
      ['a Windows path in the name', PDF, 'C:\\scans\\scan.pdf', 'application/pdf', 400, 'VALIDATION_FAILED', 'filename'],
      ['a right-to-left override disguising the extension', PDF, 'invoice\u202Egpj.pdf', 'application/pdf', 400, 'VALIDATION_FAILED', 'filename'],
    ])('refuses %s, writing nothing', async (_name, content, filename, contentType, status, code, field) => {
      const before = await claimCounts(t);
      const res = await w.village
        .post(`/api/v1/claims/${claimId}/attachments`)
        .field('kind', 'invoice')
        .attach('file', content, { filename, contentType, ...(filename.includes('/') && { filepath: filename }) })
        .expect(status);
      expect(res.body.code).toBe(code);
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(await claimCounts(t)).toEqual(before);
    });

    it('refuses a file over the limit (413), a missing file and an unknown kind, writing nothing', async () => {
      const before = await claimCounts(t);
      const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]);
      const res = await w.village
        .post(`/api/v1/claims/${claimId}/attachments`)
        .field('kind', 'invoice')
        .attach('file', big, { filename: 'big.pdf', contentType: 'application/pdf' });
      expect([res.status, res.body.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
      expect((await w.village.post(`/api/v1/claims/${claimId}/attachments`).field('kind', 'invoice').expect(400)).body.details.fields[0].field).toBe('file');
      expect(
        (
          await w.village
            .post(`/api/v1/claims/${claimId}/attachments`)
            .field('kind', 'selfie')
            .attach('file', PDF, { filename: 'a.pdf', contentType: 'application/pdf' })
            .expect(400)
        ).body.code,
      ).toBe('VALIDATION_FAILED');
      expect(await claimCounts(t)).toEqual(before);
    });

    it('streams uploads to temporary files and leaves none behind, whatever the outcome', async () => {
      await w.village
        .post(`/api/v1/claims/${claimId}/attachments`)
        .field('kind', 'other')
        .attach('file', PDF, { filename: 'ok.pdf', contentType: 'application/pdf' })
        .expect(201);
      await w.village
        .post(`/api/v1/claims/${claimId}/attachments`)
        .field('kind', 'other')
        .attach('file', PNG, { filename: 'wrong.pdf', contentType: 'application/pdf' })
        .expect(400);
      await w.village
        .post(`/api/v1/claims/${claimId}/attachments`)
        .field('kind', 'selfie')
        .attach('file', PDF, { filename: 'a.pdf', contentType: 'application/pdf' })
        .expect(400);
      await w.otherVillage
        .post(`/api/v1/claims/${claimId}/attachments`)
        .field('kind', 'other')
        .attach('file', PDF, { filename: 'a.pdf', contentType: 'application/pdf' })
        .expect(404);
      // The file is removed as the request ends; give the removal a moment to land.
      for (let i = 0; i < 50 && readdirSync(uploads).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(readdirSync(uploads)).toEqual([]);
    });

    it('a file swapped in the database behind the service is detected on download', async () => {
      const up = await w.village
        .post(`/api/v1/claims/${claimId}/attachments`)
        .field('kind', 'application')
        .attach('file', PDF, { filename: 'application.pdf', contentType: 'application/pdf' })
        .expect(201);
      const forged = Buffer.from('%PDF-1.4\nforged\n%%EOF\n');
      // Only a superuser switching triggers off gets this far; the row's own hash check still has to be satisfied.
      await t.ds.transaction(async (em) => {
        await em.query(`SET LOCAL session_replication_role = replica`);
        await em.query(`UPDATE claim_attachments SET content = $2, sha256 = encode(sha256($2::bytea), 'hex'), size = octet_length($2::bytea) WHERE id = $1`, [
          up.body.id,
          forged,
        ]);
      });
      const res = await w.auditor.get(`/api/v1/claims/${claimId}/attachments/${up.body.id}`).expect(409);
      expect(res.body).toMatchObject({ code: 'ATTACHMENT_TAMPERED', details: { recorded: up.body.sha256 } });
      // The auditor's verifier finds it too, naming the attachment and its event.
      const report = await verifyEvents(t.ds);
      expect(report).toMatchObject({ ok: false, firstBadFile: { kind: 'claim_attachment', id: up.body.id } });
    });

    it('a row made to point at another upload’s event, with that upload’s bytes, is detected too', async () => {
      const c = await w.contract('10000.00');
      const other = (await draft(packet(c.id, '1000.00'))).id;
      const mine = await w.village
        .post(`/api/v1/claims/${claimId}/attachments`)
        .field('kind', 'expense_detail')
        .attach('file', PDF, { filename: 'mine.pdf', contentType: 'application/pdf' })
        .expect(201);
      const theirs = await w.village
        .post(`/api/v1/claims/${other}/attachments`)
        .field('kind', 'expense_detail')
        .attach('file', PNG, { filename: 'theirs.png', contentType: 'image/png' })
        .expect(201);
      await t.ds.transaction(async (em) => {
        await em.query(`SET LOCAL session_replication_role = replica`);
        const [[row]] = await em.query(`DELETE FROM claim_attachments WHERE id = $1 RETURNING event_id, content`, [theirs.body.id]);
        await em.query(
          `UPDATE claim_attachments SET event_id = $2, content = $3, sha256 = encode(sha256($3::bytea), 'hex'), size = octet_length($3::bytea) WHERE id = $1`,
          [mine.body.id, row.event_id, row.content],
        );
      });
      expect((await w.auditor.get(`/api/v1/claims/${claimId}/attachments/${mine.body.id}`).expect(409)).body.code).toBe('ATTACHMENT_TAMPERED');
      const report = await verifyEvents(t.ds);
      expect(report.ok).toBe(false);
      expect(report.firstBadFile).toMatchObject({ kind: 'claim_attachment' });
    });
  });

  describe('concurrency', () => {
    it('20 claims racing through township review against a budget that fits 5: exactly 5 hold budget', async () => {
      const a = w.allocationId;
      const c = await w.contract('55000.00');
      const claims = [];
      for (let i = 0; i < 20; i++) claims.push(await submitted(packet(c.id, '10000.00')));
      const before = await claimCounts(t);
      const results = await Promise.all(claims.map((k) => w.township.post(`/api/v1/claims/${k.id}/township-review`).send(review)));
      const statuses = results.map((r) => `${r.status} ${r.body.code ?? r.body.state}`).sort();
      expect(statuses).toEqual([...Array(5).fill('200 township_reviewed'), ...Array(15).fill('422 BUDGET_EXCEEDED')]);
      expect(await balanceLike(t, `quota:held:C${c.id}:`)).toBe('50000.00');
      expect(await balance(t, `quota:committed:C${c.id}:A${a}`)).toBe('5000.00');
      const after = await claimCounts(t);
      expect(after.transactions - before.transactions).toBe(5);
      const [{ holding }] = await t.ds.query(`SELECT count(*)::int AS holding FROM claims WHERE contract_id = $1 AND state = 'township_reviewed'`, [c.id]);
      expect(holding).toBe(5);

      // A direct payment cannot take what the claims hold.
      const afterHolds = await claimCounts(t);
      const direct = await w.maker.post(`/api/v1/contracts/${c.id}/payments`).send({ amount: '5000.01', payeeAccount: '8201000000999' }).expect(422);
      expect(direct.body).toMatchObject({ code: 'OVER_CONTRACT', details: { held: '50000.00' } });
      expect(await claimCounts(t)).toEqual(afterHolds);
    });

    it('two claims racing with the same invoice: exactly one is drafted', async () => {
      const c = await w.contract('30000.00');
      const body = packet(c.id, '1000.00');
      const results = await Promise.all([w.village.post('/api/v1/claims').send(body), w.village.post('/api/v1/claims').send(body)]);
      expect(results.map((r) => `${r.status} ${r.body.code ?? r.body.state}`).sort()).toEqual(['201 draft', '409 DUPLICATE_INVOICE']);
      const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM claims WHERE contract_id = $1`, [c.id]);
      expect(n).toBe(1);
    });

    it('two payers racing on one approved claim: one payment', async () => {
      const c = await w.contract('30000.00');
      const claim = await submitted(packet(c.id, '1000.00'));
      await w.township.post(`/api/v1/claims/${claim.id}/township-review`).send(review).expect(200);
      await w.line.post(`/api/v1/claims/${claim.id}/line-review`).send({ result: 'pass', opinion: 'ok' }).expect(200);
      await w.maker.post(`/api/v1/claims/${claim.id}/approve`).send({ opinion: 'ok' }).expect(200);
      const results = await Promise.all([
        w.payer.post(`/api/v1/claims/${claim.id}/pay`).send({ payeeAccount: '8201000000999' }),
        w.checker.post(`/api/v1/claims/${claim.id}/pay`).send({ payeeAccount: '8201000000999' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM contract_payments WHERE contract_id = $1`, [c.id]);
      expect(n).toBe(1);
    });

    it('five copies of one payment request with its key: one payment, every copy answered with it', async () => {
      const c = await w.contract('30000.00');
      const claim = await submitted(packet(c.id, '1000.00'));
      await w.township.post(`/api/v1/claims/${claim.id}/township-review`).send(review).expect(200);
      await w.line.post(`/api/v1/claims/${claim.id}/line-review`).send({ result: 'pass', opinion: 'ok' }).expect(200);
      await w.maker.post(`/api/v1/claims/${claim.id}/approve`).send({ opinion: 'ok' }).expect(200);
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          w.payer.post(`/api/v1/claims/${claim.id}/pay`).set('Idempotency-Key', `race-${claim.id}`).send({ payeeAccount: '8201000000999' }),
        ),
      );
      expect(results.map((r) => `${r.status} ${r.body.state}`)).toEqual(Array(5).fill('200 paid'));
      expect(new Set(results.map((r) => r.body.paymentId)).size).toBe(1);
      // The approver replaying the payer's key is not the payer: refused as a person, not answered from the record.
      expect(
        (await w.maker.post(`/api/v1/claims/${claim.id}/pay`).set('Idempotency-Key', `race-${claim.id}`).send({ payeeAccount: '8201000000999' }).expect(409))
          .body.code,
      ).toBe('INVALID_STATE');
      const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM contract_payments WHERE contract_id = $1`, [c.id]);
      expect(n).toBe(1);
    });
  });

  it('lists claims by state, township, village and project, within scope', async () => {
    const mine = (await w.village.get(`/api/v1/claims?projectId=${road.projectId}`).expect(200)).body;
    expect(mine.map((k: { state: string }) => k.state)).toEqual(['paid']);
    expect((await w.otherVillage.get('/api/v1/claims').expect(200)).body).toEqual([]);
    expect((await w.otherTownship.get('/api/v1/claims').expect(200)).body).toEqual([]);
    const inTownship = (await w.auditor.get(`/api/v1/claims?townshipId=${w.townshipId}&limit=1000`).expect(200)).body;
    const inVillage = (await w.auditor.get(`/api/v1/claims?villageId=${w.villageId}&limit=1000`).expect(200)).body;
    expect(inTownship.length).toBeGreaterThan(20);
    expect(inVillage).toEqual(inTownship);
    const paid = (await w.township.get('/api/v1/claims?state=paid&limit=1000').expect(200)).body;
    expect(paid.every((k: { state: string }) => k.state === 'paid')).toBe(true);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM claims WHERE state = 'paid'`);
    expect(paid.length).toBe(n);
    expect(n).toBeGreaterThan(1);
  });
});
