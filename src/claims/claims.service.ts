import { Injectable, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';
import { DataSource, EntityManager } from 'typeorm';
import { ChainStep, assertNewHand } from '../access/domain/maker-checker';
import { inScope, scopePrefix } from '../access/scope';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode, invalidField } from '../common/errors';
import { IdempotencyKey, IdempotentAnswer } from '../common/idempotency';
import { ZERO, formatMoney, money } from '../common/money';
import { DEFAULT_PAGE_SIZE } from '../common/pagination';
import { ContractRow, PaymentsService, commitmentOf } from '../contracts/payments.service';
import { canonicalIdentifier } from '../common/identifiers';
import { pgErrorOf } from '../database/pg-errors';
import { idempotent } from '../database/idempotency';
import { inTransaction } from '../database/unit-of-work';
import { stageProblem } from '../contracts/domain/schedule';
import { SourceFamily, atSource } from '../ledger/domain/account-refs';
import { EntryLine, credit, debit } from '../ledger/domain/entry';
import { drawInOrder } from '../ledger/domain/split';
import { LedgerPostingService } from '../ledger/ledger-posting.service';
import { LedgerReadingService, sumOf } from '../ledger/ledger-reading.service';
import { PoliciesService } from '../policies/policies.service';
import { Sema } from 'async-sema';
import { UploadedScan, bytesOf, headOf, sha256Of, sizeOf } from './attachment-upload';
import {
  ApproveClaimDto,
  AttachmentView,
  ClaimDetailView,
  ClaimPacketDto,
  ClaimQueryDto,
  ClaimView,
  DraftClaimDto,
  LineReviewDto,
  PayClaimDto,
  RejectClaimDto,
  TownshipReviewDto,
} from './claims.dto';
import {
  ClaimState,
  ClaimStepName,
  HOLDING_STATES,
  MAKER_STEPS,
  REJECTER,
  checkClaimWorkflow,
  claimTransition,
  detectType,
  MAGIC_BYTES,
  invoiceKeys,
  PacketInvoice,
  requiredDocuments,
  uploadProblem,
} from './domain/claims';

interface ClaimRow {
  id: number;
  contract_id: number;
  project_id: number;
  village_id: number;
  path: string;
  version: number;
  state: ClaimState;
  amount: string;
  stage: number | null;
  final: boolean;
  acceptance_id: number | null;
  application_date: string;
  expenses: { description: string; amount: string }[];
  township_signed_on: string | null;
  line_result: string | null;
  hold_transaction_id: string | null;
  payment_id: number | null;
  drafted_by: number;
  /** The county finance approval of this version: null before it, `leader` when a leader must sign after it, else `alone`. */
  finance_approval: 'leader' | 'alone' | null;
  invoices: PacketInvoice[];
}

const SELECT = `
  SELECT k.id, k.contract_id, k.project_id, p.village_id, o.path, k.version, k.state, k.amount, k.stage, k.final, k.acceptance_id,
         k.application_date::text, k.expenses, k.township_signed_on::text, k.line_result, k.hold_transaction_id, k.payment_id,
         k.drafted_by,
         (SELECT s.result FROM claim_steps s WHERE s.claim_id = k.id AND s.version = k.version AND s.step = 'approve' LIMIT 1) AS finance_approval,
         coalesce((SELECT json_agg(jsonb_strip_nulls(jsonb_build_object('issuer', i.issuer, 'issuerTaxId', i.issuer_key, 'code', i.code, 'number', i.number, 'date', i.issued_on::text, 'amount', i.amount)) ORDER BY i.id)
                     FROM claim_invoices i WHERE i.claim_id = k.id), '[]') AS invoices
    FROM claims k JOIN projects p ON p.id = k.project_id JOIN org_units o ON o.id = p.village_id`;

/**
 * 資金報帳制 (design §6): claims on contracts, their packets and three-level review. Township review holds the
 * amount in the budget book (Dr quota:held:C:K:A, Cr quota:committed:C:A), a rejection releases it, and the payment
 * service turns it into spending. Every step re-runs the checks, takes a new hand, and appends an event.
 */
@Injectable()
export class ClaimsService implements OnModuleInit {
  constructor(
    private readonly ds: DataSource,
    private readonly ledger: LedgerPostingService,
    private readonly reading: LedgerReadingService,
    private readonly payments: PaymentsService,
    private readonly policies: PoliciesService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** Scans being written to the database at once: each is held in memory (and hex-encoded by the driver) meanwhile. */
  private readonly attachmentWrites = new Sema(2);

  onModuleInit(): void {
    checkClaimWorkflow();
  }

  async draft(actor: Actor, dto: DraftClaimDto): Promise<ClaimView> {
    return this.writingInvoices(() =>
      inTransaction(this.ds, async (em) => {
        const contract = await this.payments.contract(em, actor, dto.contractId, false);
        if (contract.state !== 'signed') throw new DomainError(ErrorCode.ContractNotSigned, `Contract ${dto.contractId} is not signed`);
        const packet = packetOf(dto);
        await this.assertPacket(em, actor, contract.id, packet);
        const [{ id }] = await em.query(
          `INSERT INTO claims (county_id, contract_id, project_id, version, state, amount, stage, final, acceptance_id, application_date, expenses, drafted_by)
           VALUES ($1, $2, $3, 1, 'draft', $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
          [
            actor.county.id,
            contract.id,
            contract.project_id,
            packet.amount,
            packet.stage,
            packet.final,
            packet.acceptanceId,
            packet.applicationDate,
            JSON.stringify(packet.expenses),
            actor.userId,
          ],
        );
        await this.writeVersion(em, actor, id, 1, packet);
        await this.step(em, id, 1, 'draft', actor, null, null);
        const claim = await this.find(em, actor, id, false);
        await this.audit.append(em, actor, 'claim.drafted', { ...claim });
        return claim;
      }),
    );
  }

  /** Corrects a draft, or a rejected claim, as a new version; earlier versions stay as they were. */
  async revise(actor: Actor, id: number, dto: ClaimPacketDto): Promise<ClaimView> {
    return this.writingInvoices(() =>
      inTransaction(this.ds, async (em) => {
        const row = await this.row(em, actor, id, true);
        this.assertStep(row, 'revise', actor);
        const packet = packetOf(dto);
        await this.assertPacket(em, actor, row.contract_id, packet);
        const version = row.version + 1;
        await em.query(`DELETE FROM claim_invoices WHERE claim_id = $1`, [id]);
        await em.query(
          `UPDATE claims SET version = $2, state = 'draft', amount = $3, stage = $4, final = $5, acceptance_id = $6, application_date = $7,
                             expenses = $8, township_signed_on = NULL, line_result = NULL WHERE id = $1`,
          [id, version, packet.amount, packet.stage, packet.final, packet.acceptanceId, packet.applicationDate, JSON.stringify(packet.expenses)],
        );
        await this.writeVersion(em, actor, id, version, packet);
        await this.step(em, id, version, 'revise', actor, null, null);
        const claim = await this.find(em, actor, id, false);
        await this.audit.append(em, actor, 'claim.revised', { ...claim });
        return claim;
      }),
    );
  }

  /** The village gives up a draft or rejected claim: it is kept, final, and its invoices may be claimed again. */
  async withdraw(actor: Actor, id: number, dto: RejectClaimDto): Promise<ClaimView> {
    return this.advance(actor, id, 'withdraw', dto.reason, async (em, row) => {
      await em.query(`DELETE FROM claim_invoices WHERE claim_id = $1`, [row.id]);
      return { state: 'withdrawn' };
    });
  }

  async submit(actor: Actor, id: number): Promise<ClaimView> {
    return this.advance(actor, id, 'submit', null, async (em, row, contract) => {
      await this.assertDocuments(em, row);
      await this.assertChecks(em, row, contract, ZERO);
      return { state: 'submitted' };
    });
  }

  /** Township finance signs off and the amount is held in the budget book, or nothing happens. */
  async townshipReview(actor: Actor, id: number, dto: TownshipReviewDto): Promise<ClaimView> {
    return this.advance(actor, id, 'township_review', dto.opinion, async (em, row, contract) => {
      if (dto.signedOn > this.clock.today()) throw invalidField('signedOn', 'a sign-off cannot be dated in the future');
      if (dto.signedOn < row.application_date) {
        throw new DomainError(
          ErrorCode.SignoffBeforeApplication,
          `The township cannot sign off (${dto.signedOn}) before the application (${row.application_date})`,
          {
            fields: [{ field: 'signedOn', message: `not before ${row.application_date}` }],
          },
        );
      }
      if (contract.state !== 'signed') throw new DomainError(ErrorCode.ContractNotSigned, `Contract ${contract.id} is not signed`);
      await this.assertDocuments(em, row);
      // The hold comes first, so a claim that does not fit the contract's unheld budget is refused as such.
      const hold = await this.hold(em, actor, row, contract);
      await this.assertChecks(em, row, contract, money(row.amount));
      return { state: 'township_reviewed', set: { township_signed_on: dto.signedOn, hold_transaction_id: hold }, data: { holdTransactionId: hold } };
    });
  }

  /** 督查一把尺: the line department's verdict on the merits; a fail is recorded and blocks approval. */
  async lineReview(actor: Actor, id: number, dto: LineReviewDto): Promise<ClaimView> {
    return this.advance(actor, id, 'line_review', dto.opinion, async (em, row, contract) => {
      if (dto.result === 'pass') {
        await this.assertDocuments(em, row);
        await this.assertChecks(em, row, contract, money(row.amount));
      }
      return { state: 'line_reviewed', set: { line_result: dto.result }, result: dto.result };
    });
  }

  /**
   * County finance approves; above the policy's leader threshold a county leader signs as well, after finance
   * (資金一本帳). The claim is approved when every signature it needs is there.
   */
  async approve(actor: Actor, id: number, dto: ApproveClaimDto): Promise<ClaimView> {
    return inTransaction(this.ds, async (em) => {
      const claim = await this.row(em, actor, id, true);
      // A leader signs once county finance has approved; otherwise a county finance user approves.
      const step: ClaimStepName =
        claim.finance_approval !== null && actor.roles.includes('county_leader')
          ? 'leader_sign'
          : actor.roles.includes('county_finance')
            ? 'approve'
            : 'leader_sign';
      return this.move(em, actor, claim, step, dto.opinion, async (_em, row, contract) => {
        if (row.line_result !== 'pass') {
          throw new DomainError(ErrorCode.LineReviewFailed, `The line department's review of claim ${id} failed (督查一把尺): it cannot be approved`);
        }
        const financeDone = row.finance_approval !== null;
        if (step === 'approve' && financeDone) throw new DomainError(ErrorCode.InvalidState, `County finance has already approved claim ${id}`);
        if (step === 'leader_sign' && !financeDone) throw new DomainError(ErrorCode.InvalidState, `County finance approves claim ${id} before a leader signs`);
        // Whether a leader must sign is settled when finance approves, so a later change of the threshold strands nothing.
        const threshold = money((await this.policies.inForce(em, actor)).values.leader_signoff_threshold.value);
        const needsLeader = financeDone ? row.finance_approval === 'leader' : money(row.amount).gt(threshold);
        if (step === 'leader_sign' && !needsLeader)
          throw new DomainError(ErrorCode.InvalidState, `Claim ${id} is within the leader threshold: county finance approves it alone`);
        await this.assertChecks(em, row, contract, money(row.amount));
        const complete = step === 'leader_sign' || !needsLeader;
        return {
          state: complete ? 'approved' : row.state,
          ...(step === 'approve' && { result: needsLeader ? 'leader' : 'alone' }),
          data: { threshold: formatMoney(threshold) },
        };
      });
    });
  }

  /** Whoever the next step belongs to sends the claim back with a reason; a held amount returns to the contract. */
  async reject(actor: Actor, id: number, dto: RejectClaimDto): Promise<ClaimView> {
    return this.advance(actor, id, 'reject', dto.reason, async (em, row, contract) => {
      const release = HOLDING_STATES.includes(row.state) ? await this.release(em, actor, row, contract) : null;
      return { state: 'rejected', set: { hold_transaction_id: null }, data: { releaseTransactionId: release } };
    });
  }

  /**
   * A county finance user who took no earlier step pays through the payment service, from the claim's hold. A
   * retried request with the same Idempotency-Key answers as the first did; without one, a second attempt finds the
   * claim paid (409).
   */
  async pay(actor: Actor, id: number, dto: PayClaimDto, key?: IdempotencyKey): Promise<IdempotentAnswer<ClaimView>> {
    return idempotent(this.ds, { actor, key, body: { payeeAccount: canonicalIdentifier(dto.payeeAccount) } }, async (em) =>
      this.move(em, actor, await this.row(em, actor, id, true), 'pay', null, async (_em, r, contract) => {
        if (r.final) await this.assertAcceptance(em, actor.county.id, r.contract_id, { acceptanceId: r.acceptance_id, applicationDate: r.application_date });
        const payment = await this.payments.payIn(
          em,
          actor,
          contract,
          { amount: formatMoney(money(r.amount)), stage: r.stage ?? undefined, payeeAccount: dto.payeeAccount },
          holdOf(r),
        );
        return { state: 'paid', set: { payment_id: payment.id }, data: { payment } };
      }),
    );
  }

  async get(actor: Actor, id: number): Promise<ClaimDetailView> {
    const em = this.ds.manager;
    const claim = await this.find(em, actor, id, false);
    const history: { version: number; step: string; result: string | null; note: string | null; username: string; at: Date }[] = await em.query(
      `SELECT s.version, s.step, s.result, s.note, u.username, s.at FROM claim_steps s JOIN users u ON u.id = s.actor_id WHERE s.claim_id = $1 ORDER BY s.id`,
      [id],
    );
    const versions: { version: number; packet: Record<string, unknown>; username: string; created_at: Date }[] = await em.query(
      `SELECT v.version, v.packet, u.username, v.created_at FROM claim_versions v JOIN users u ON u.id = v.created_by WHERE v.claim_id = $1 ORDER BY v.version`,
      [id],
    );
    return {
      ...claim,
      history: history.map((h) => ({ version: h.version, step: h.step, result: h.result, note: h.note, actor: h.username, at: h.at.toISOString() })),
      attachments: await this.attachmentsOf(em, id),
      versions: versions.map((v) => ({ version: v.version, packet: v.packet, createdBy: v.username, at: v.created_at.toISOString() })),
    };
  }

  async list(actor: Actor, q: ClaimQueryDto): Promise<ClaimView[]> {
    const unit = q.villageId ?? q.townshipId;
    const unitPath = unit ? (await this.ds.query(`SELECT path FROM org_units WHERE id = $1 AND county_id = $2`, [unit, actor.county.id]))[0]?.path : null;
    if (unit && !unitPath) return [];
    const rows: ClaimRow[] = await this.ds.query(
      `${SELECT}
        WHERE k.county_id = $1 AND o.path LIKE $2 || '%' AND ($3::text IS NULL OR o.path LIKE $3 || '%')
          AND ($4::text IS NULL OR k.state = $4) AND ($5::int IS NULL OR k.project_id = $5) AND k.id > $6
        ORDER BY k.id LIMIT $7`,
      [actor.county.id, scopePrefix(actor), unitPath, q.state ?? null, q.projectId ?? null, q.afterId ?? 0, q.limit ?? DEFAULT_PAGE_SIZE],
    );
    const threshold = money((await this.policies.inForce(this.ds.manager, actor)).values.leader_signoff_threshold.value);
    return rows.map((r) => view(r, threshold));
  }

  /** A scan of the packet, typed by its content; its SHA-256 is checked by the database and recorded in the event. */
  async attach(actor: Actor, id: number, kind: string, file: UploadedScan | undefined): Promise<AttachmentView> {
    await this.row(this.ds.manager, actor, id, false);
    if (!file) throw invalidField('file', 'a file (multipart/form-data field "file") is required');
    const detected = detectType(await headOf(file, MAGIC_BYTES));
    const problem = uploadProblem(file.originalname, file.mimetype, detected);
    if (problem) {
      const code = problem.field === 'file' ? ErrorCode.UnsupportedMediaType : ErrorCode.ValidationFailed;
      throw new DomainError(code, `Attachment refused: ${problem.message}`, { fields: [problem] });
    }
    const sha256 = await sha256Of(file);
    const size = sizeOf(file);
    // Only a few scans are held in memory at once, whatever the number of parallel uploads (they wait on disk).
    return this.attachmentWrites.acquire().then(async () => {
      try {
        return await inTransaction(this.ds, async (em) => {
          const row = await this.row(em, actor, id, true);
          if (row.state !== 'draft') throw new DomainError(ErrorCode.InvalidState, `Claim ${id} is ${row.state}: its packet changes only as a draft`);
          // The event comes first so the row can name it: the upload and its hash are one record in the chain.
          const [{ attachment_id }] = await em.query(`SELECT nextval(pg_get_serial_sequence('claim_attachments', 'id'))::int AS attachment_id`);
          const meta = {
            attachmentId: attachment_id,
            claimId: id,
            version: row.version,
            kind,
            filename: file.originalname,
            contentType: detected!,
            size,
            sha256,
          };
          const eventId = await this.audit.append(em, actor, 'claim.attachment.added', meta);
          // The database recomputes the hash of what it stores (CK_claim_attachments_hash): a file changed on disk
          // between hashing and reading is refused.
          await em.query(
            `INSERT INTO claim_attachments (id, county_id, claim_id, version, kind, filename, content_type, size, sha256, content, event_id, uploaded_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
            [attachment_id, actor.county.id, id, row.version, kind, file.originalname, detected, size, sha256, await bytesOf(file), eventId, actor.userId],
          );
          const [view] = await this.attachmentsOf(em, id, attachment_id);
          return view;
        });
      } finally {
        this.attachmentWrites.release();
      }
    });
  }

  async attachments(actor: Actor, id: number): Promise<AttachmentView[]> {
    await this.row(this.ds.manager, actor, id, false);
    return this.attachmentsOf(this.ds.manager, id);
  }

  /** The file as uploaded, after checking its bytes against the hash the event log recorded. */
  async download(actor: Actor, id: number, attachmentId: number): Promise<{ meta: AttachmentView; content: Buffer }> {
    await this.row(this.ds.manager, actor, id, false);
    const [row]: { content: Buffer; sha256: string; body: string }[] = await this.ds.query(
      `SELECT a.content, a.sha256, e.body FROM claim_attachments a JOIN audit_events e ON e.id = a.event_id WHERE a.id = $1 AND a.claim_id = $2`,
      [attachmentId, id],
    );
    if (!row) throw new DomainError(ErrorCode.NotFound, `No attachment ${attachmentId} on claim ${id}`);
    const event = JSON.parse(row.body) as { type: string; data: { attachmentId: number; claimId: number; sha256: string } };
    const recorded = event.data.sha256;
    const actual = createHash('sha256').update(row.content).digest('hex');
    const ownEvent = event.type === 'claim.attachment.added' && event.data.attachmentId === attachmentId && event.data.claimId === id;
    if (!ownEvent || actual !== recorded || row.sha256 !== recorded) {
      throw new DomainError(ErrorCode.AttachmentTampered, `Attachment ${attachmentId} does not match the hash the event log recorded at upload`, {
        recorded,
        actual,
      });
    }
    const [meta] = await this.attachmentsOf(this.ds.manager, id, attachmentId);
    return { meta, content: row.content };
  }

  /**
   * One step of the workflow on a locked claim: its state and roles (the transition table), a new hand, the step's
   * own checks and effects (`work`), then the state, the history row and the event.
   */
  private async advance(
    actor: Actor,
    id: number,
    step: ClaimStepName,
    note: string | null,
    work: (em: EntityManager, row: ClaimRow, contract: ContractRow) => Promise<Outcome>,
  ): Promise<ClaimView> {
    return inTransaction(this.ds, async (em) => this.move(em, actor, await this.row(em, actor, id, true), step, note, work));
  }

  private async move(
    em: EntityManager,
    actor: Actor,
    row: ClaimRow,
    step: ClaimStepName,
    note: string | null,
    work: (em: EntityManager, row: ClaimRow, contract: ContractRow) => Promise<Outcome>,
  ): Promise<ClaimView> {
    this.assertStep(row, step, actor);
    if (!MAKER_STEPS.includes(step)) assertNewHand(await this.chain(em, row), { step, userId: actor.userId! });
    // Claims and payments of one contract queue on its row, so each hold and gate sees the ones before it.
    const contract = await this.payments.contract(em, actor, row.contract_id, true);
    const outcome = await work(em, row, contract);
    // One UPDATE, so the table's checks (a held claim names its hold, a paid one its payment) see the whole change.
    const set = Object.entries({ state: outcome.state, ...outcome.set });
    await em.query(`UPDATE claims SET ${set.map(([column], i) => `${column} = $${i + 2}`).join(', ')} WHERE id = $1`, [row.id, ...set.map(([, v]) => v)]);
    await this.step(em, row.id, row.version, step, actor, outcome.result ?? null, note);
    const claim = await this.find(em, actor, row.id, false);
    await this.audit.append(em, actor, `claim.${step}`, {
      claimId: row.id,
      version: row.version,
      from: row.state,
      to: outcome.state,
      note,
      ...(outcome.result && { result: outcome.result }),
      ...outcome.data,
    });
    return claim;
  }

  private assertStep(row: ClaimRow, step: ClaimStepName, actor: Actor): void {
    const t = claimTransition(step);
    if (!actor.roles.some((r) => t.roles.includes(r)))
      throw new DomainError(ErrorCode.ForbiddenRole, `Your roles do not allow the step ${step}`, { requires: t.roles });
    if (!t.from.includes(row.state)) {
      throw new DomainError(ErrorCode.InvalidState, `A ${row.state} claim cannot take the step ${step}`, { state: row.state, step });
    }
    // A leader's turn comes only once finance approved a claim that needs the leader's signature.
    const rejecters = step !== 'reject' ? t.roles : REJECTER[row.state]!.filter((r) => r !== 'county_leader' || row.finance_approval === 'leader');
    if (!actor.roles.some((r) => rejecters.includes(r))) {
      throw new DomainError(ErrorCode.ForbiddenRole, `A ${row.state} claim is rejected by ${rejecters.join(' or ')}`, { requires: rejecters });
    }
  }

  /** What the packet itself must satisfy, before any document or review: sums, invoices, the acceptance and dates. */
  private async assertPacket(em: EntityManager, actor: Actor, contractId: number, packet: Packet): Promise<void> {
    if (packet.applicationDate > this.clock.today()) throw invalidField('applicationDate', 'an application cannot be dated in the future');
    if (!packet.final && packet.acceptanceId !== null) throw invalidField('acceptanceId', 'only a final claim names an acceptance');
    // A stage left out is asked for at submission; one named must be of the schedule already.
    if (packet.stage !== null) {
      const [{ stages }] = await em.query(`SELECT jsonb_array_length(schedule) AS stages FROM contracts WHERE id = $1`, [contractId]);
      const problem = stageProblem(stages, packet.stage);
      if (problem) throw invalidField('stage', problem);
    }
    const expenses = packet.expenses.reduce((s, e) => s.plus(e.amount), ZERO);
    if (!expenses.eq(packet.amount)) {
      throw new DomainError(ErrorCode.ExpenseTotalMismatch, `The expense detail adds up to ${formatMoney(expenses)}, not the claimed ${packet.amount}`, {
        fields: [{ field: 'expenses', message: `adds up to ${formatMoney(expenses)}` }],
      });
    }
    const invoices = packet.invoices.reduce((s, i) => s.plus(i.amount), ZERO);
    if (!invoices.eq(packet.amount)) {
      throw new DomainError(ErrorCode.InvoiceTotalMismatch, `The invoices add up to ${formatMoney(invoices)}, not the claimed ${packet.amount}`, {
        fields: [{ field: 'invoices', message: `adds up to ${formatMoney(invoices)}` }],
      });
    }
    const seen = new Set<string>();
    for (const [i, inv] of packet.invoices.entries()) {
      const { issuerKey, numberKey } = invoiceKeys(inv);
      const key = `${issuerKey} ${numberKey}`;
      if (seen.has(key)) throw duplicateInvoice(i, 'appears twice in this claim');
      seen.add(key);
    }
    if (packet.final) await this.assertAcceptance(em, actor.county.id, contractId, packet);
  }

  /** A final claim names the contract's latest acceptance, passed, and is not dated before it. */
  private async assertAcceptance(
    em: EntityManager,
    countyId: number,
    contractId: number,
    packet: Pick<Packet, 'acceptanceId' | 'applicationDate'>,
  ): Promise<void> {
    const required = (message: string) =>
      new DomainError(ErrorCode.AcceptanceRequired, `A final claim needs the contract's passed acceptance (驗收一道關): ${message}`, {
        fields: [{ field: 'acceptanceId', message }],
      });
    if (packet.acceptanceId === null) throw required('required for a final claim');
    const [latest] = await em.query(
      `SELECT id, state, (closed_at AT TIME ZONE 'Asia/Shanghai')::date::text AS closed_on FROM acceptances
        WHERE contract_id = $1 AND county_id = $2 ORDER BY id DESC LIMIT 1`,
      [contractId, countyId],
    );
    if (!latest || latest.id !== packet.acceptanceId || latest.state !== 'passed') throw required(`not the contract's latest passed acceptance`);
    if (packet.applicationDate < latest.closed_on) {
      throw new DomainError(
        ErrorCode.ApplicationBeforeAcceptance,
        `A final claim's application (${packet.applicationDate}) cannot be dated before the acceptance (${latest.closed_on})`,
        {
          fields: [{ field: 'applicationDate', message: `not before ${latest.closed_on}` }],
        },
      );
    }
  }

  private async assertDocuments(em: EntityManager, row: ClaimRow): Promise<void> {
    const kinds: { kind: string }[] = await em.query(`SELECT DISTINCT kind FROM claim_attachments WHERE claim_id = $1`, [row.id]);
    const missing = requiredDocuments(row.final).filter((k) => !kinds.some((x) => x.kind === k));
    if (missing.length > 0) {
      throw new DomainError(ErrorCode.DocumentsMissing, `Claim ${row.id} lacks required documents: ${missing.join(', ')}`, { missing });
    }
  }

  /** The checks every step after the draft re-runs: the acceptance and its date, and the contract's gates. */
  private async assertChecks(em: EntityManager, row: ClaimRow, contract: ContractRow, ownHold: Decimal): Promise<void> {
    if (row.final) {
      await this.assertAcceptance(em, contract.county_id, row.contract_id, { acceptanceId: row.acceptance_id, applicationDate: row.application_date });
    }
    await this.payments.assertPayable(em, contract, money(row.amount), row.stage ?? undefined, ownHold);
  }

  /** Dr quota:held:C:K:A, Cr quota:committed:C:A, source by source; the non-negative quota decides any race. */
  private async hold(em: EntityManager, actor: Actor, row: ClaimRow, contract: ContractRow): Promise<string> {
    const sources = await this.reading.sources(em, actor.county.id, commitmentOf(contract));
    const available = sumOf(sources);
    if (available.lt(row.amount)) {
      throw new DomainError(
        ErrorCode.BudgetExceeded,
        `Claim ${row.id} (${formatMoney(money(row.amount))}) exceeds the contract's unheld budget ${formatMoney(available)}`,
        {
          available: formatMoney(available),
        },
      );
    }
    const draws = drawInOrder(
      money(row.amount),
      sources.map((s) => s.balance),
    ).map(({ source, amount }) => {
      const { allocationId, account: committed } = sources[source];
      const held = atSource(holdOf(row), allocationId);
      return { held, committed, amount, name: `報帳 ${row.id} 預算凍結 指標 ${allocationId}` };
    });
    await this.ledger.open(
      em,
      actor,
      draws.map(({ held, name }) => ({ account: held, name })),
    );
    const lines: EntryLine[] = draws.flatMap(({ held, committed, amount }) => [debit(held, amount), credit(committed, amount)]);
    const transaction = await this.ledger.post(em, actor, { effectiveDate: this.clock.today(), memo: `報帳 ${row.id} 鄉鎮審核，預算凍結`, purpose: 'budget', lines });
    return transaction.id;
  }

  /** The hold goes back to the contract's commitment, source by source. */
  private async release(em: EntityManager, actor: Actor, row: ClaimRow, contract: ContractRow): Promise<string> {
    const held = await this.reading.sources(em, actor.county.id, holdOf(row));
    const lines = held.flatMap((s) => [debit(atSource(commitmentOf(contract), s.allocationId), s.balance), credit(s.account, s.balance)]);
    const transaction = await this.ledger.post(em, actor, { effectiveDate: this.clock.today(), memo: `報帳 ${row.id} 退回，預算解凍`, purpose: 'budget', lines });
    return transaction.id;
  }

  /** Runs `work`, answering a claim's invoice already claimed (the unique index decides races) as DUPLICATE_INVOICE. */
  private async writingInvoices<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (pgErrorOf(err)?.constraint === 'UQ_claim_invoices_invoice') throw duplicateInvoice(null, 'already claimed in this county (虛報冒領)');
      throw err;
    }
  }

  private async writeVersion(em: EntityManager, actor: Actor, id: number, version: number, packet: Packet): Promise<void> {
    await em.query(`INSERT INTO claim_versions (claim_id, version, packet, created_by) VALUES ($1, $2, $3, $4)`, [
      id,
      version,
      JSON.stringify(packet),
      actor.userId,
    ]);
    const keys = packet.invoices.map(invoiceKeys);
    const taken: { issuer_key: string; number_key: string }[] = await em.query(
      `SELECT issuer_key, number_key FROM claim_invoices WHERE county_id = $1 AND (issuer_key, number_key) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
      [actor.county.id, keys.map((k) => k.issuerKey), keys.map((k) => k.numberKey)],
    );
    if (taken.length > 0) {
      const index = keys.findIndex((k) => taken.some((t) => t.issuer_key === k.issuerKey && t.number_key === k.numberKey));
      throw duplicateInvoice(index, 'already claimed in this county (虛報冒領)');
    }
    for (const [i, inv] of packet.invoices.entries()) {
      await em.query(
        `INSERT INTO claim_invoices (county_id, claim_id, issuer, code, number, issuer_key, number_key, issued_on, amount) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [actor.county.id, id, inv.issuer, inv.code ?? null, inv.number, keys[i].issuerKey, keys[i].numberKey, inv.date, inv.amount],
      );
    }
  }

  private async step(
    em: EntityManager,
    id: number,
    version: number,
    step: ClaimStepName,
    actor: Actor,
    result: string | null,
    note: string | null,
  ): Promise<void> {
    await em.query(`INSERT INTO claim_steps (claim_id, version, step, result, note, actor_id) VALUES ($1, $2, $3, $4, $5, $6)`, [
      id,
      version,
      step,
      result,
      note,
      actor.userId,
    ]);
  }

  /** Everyone who already had a hand in this version: its steps, the drafter, and whoever uploaded the packet's scans. */
  private async chain(em: EntityManager, row: ClaimRow): Promise<ChainStep[]> {
    const steps: { step: string; actor_id: number }[] = await em.query(
      `SELECT step, actor_id FROM claim_steps WHERE claim_id = $1 AND version = $2
       UNION ALL SELECT 'upload', uploaded_by FROM claim_attachments WHERE claim_id = $1`,
      [row.id, row.version],
    );
    return [{ step: 'draft', userId: row.drafted_by }, ...steps.map((s) => ({ step: s.step, userId: s.actor_id }))];
  }

  /** A claim's attachments, or the one named. */
  private async attachmentsOf(em: EntityManager, id: number, attachmentId?: number): Promise<AttachmentView[]> {
    const rows: {
      id: number;
      version: number;
      kind: string;
      filename: string;
      content_type: string;
      size: number;
      sha256: string;
      username: string;
      created_at: Date;
    }[] = await em.query(
      `SELECT a.id, a.version, a.kind, a.filename, a.content_type, a.size, a.sha256, u.username, a.created_at
           FROM claim_attachments a JOIN users u ON u.id = a.uploaded_by WHERE a.claim_id = $1 AND ($2::int IS NULL OR a.id = $2) ORDER BY a.id`,
      [id, attachmentId ?? null],
    );
    return rows.map((a) => ({
      id: a.id,
      claimId: id,
      version: a.version,
      kind: a.kind,
      filename: a.filename,
      contentType: a.content_type,
      size: a.size,
      sha256: a.sha256,
      uploadedBy: a.username,
      at: a.created_at.toISOString(),
    }));
  }

  /** A claim in the actor's scope (404 otherwise), locked for update inside a unit of work when asked. */
  private async row(em: EntityManager, actor: Actor, id: number, lock: boolean): Promise<ClaimRow> {
    const rows: ClaimRow[] = await em.query(`${SELECT} WHERE k.id = $1 AND k.county_id = $2 ${lock ? 'FOR UPDATE OF k' : ''}`, [id, actor.county.id]);
    if (rows.length === 0 || !inScope(actor, rows[0].path)) throw new DomainError(ErrorCode.NotFound, `No claim ${id}`);
    return rows[0];
  }

  private async find(em: EntityManager, actor: Actor, id: number, lock: boolean): Promise<ClaimView> {
    const row = await this.row(em, actor, id, lock);
    const threshold = money((await this.policies.inForce(em, actor)).values.leader_signoff_threshold.value);
    return view(row, threshold);
  }
}

/** What a step does to its claim: the new state, columns set with it, the step's result, more for the event. */
interface Outcome {
  state: ClaimState;
  set?: Partial<Record<'township_signed_on' | 'hold_transaction_id' | 'line_result' | 'payment_id', unknown>>;
  result?: string;
  data?: Record<string, unknown>;
}

interface Packet {
  amount: string;
  stage: number | null;
  final: boolean;
  acceptanceId: number | null;
  applicationDate: string;
  expenses: { description: string; amount: string }[];
  invoices: PacketInvoice[];
}

function packetOf(dto: ClaimPacketDto): Packet {
  return {
    amount: formatMoney(money(dto.amount)),
    stage: dto.stage ?? null,
    final: dto.final,
    acceptanceId: dto.acceptanceId ?? null,
    applicationDate: dto.applicationDate,
    expenses: dto.expenses.map((e) => ({ description: e.description, amount: formatMoney(money(e.amount)) })),
    invoices: dto.invoices.map((i) => ({
      issuer: i.issuer,
      issuerTaxId: i.issuerTaxId,
      ...(i.code === undefined ? {} : { code: i.code }),
      number: i.number,
      date: i.date,
      amount: formatMoney(money(i.amount)),
    })),
  };
}

/** A claim's budget hold, per source: what township review took from its contract's commitment. */
function holdOf(row: Pick<ClaimRow, 'id' | 'contract_id' | 'project_id'>): SourceFamily {
  return { kind: 'quota_held', projectId: row.project_id, contractId: row.contract_id, claimId: row.id };
}

function duplicateInvoice(index: number | null, message: string): DomainError {
  return new DomainError(ErrorCode.DuplicateInvoice, `An invoice ${message}`, {
    fields: [{ field: index === null ? 'invoices' : `invoices.${index}.number`, message }],
  });
}

const NEXT: Record<ClaimState, string | null> = {
  draft: 'submit',
  submitted: 'township_review',
  township_reviewed: 'line_review',
  line_reviewed: 'approve',
  approved: 'pay',
  paid: null,
  rejected: 'revise',
  withdrawn: null,
};

function view(row: ClaimRow, threshold: Decimal): ClaimView {
  const financeDone = row.finance_approval !== null;
  const needsLeader = financeDone ? row.finance_approval === 'leader' : money(row.amount).gt(threshold);
  return {
    id: row.id,
    contractId: row.contract_id,
    projectId: row.project_id,
    villageId: row.village_id,
    version: row.version,
    state: row.state,
    amount: formatMoney(money(row.amount)),
    stage: row.stage,
    final: row.final,
    acceptanceId: row.acceptance_id,
    applicationDate: row.application_date,
    expenses: row.expenses,
    invoices: row.invoices.map((i) => ({ ...i, amount: formatMoney(money(i.amount)) })),
    townshipSignedOn: row.township_signed_on,
    lineResult: row.line_result,
    needsLeader,
    holdTransactionId: row.hold_transaction_id,
    paymentId: row.payment_id,
    next:
      row.state === 'line_reviewed' && row.line_result === 'fail'
        ? 'reject'
        : row.state === 'line_reviewed' && financeDone && needsLeader
          ? 'leader_sign'
          : NEXT[row.state],
  };
}
