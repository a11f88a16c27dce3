import { Injectable, OnModuleInit } from '@nestjs/common';
import Decimal from 'decimal.js';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { ChainStep, assertNewHand } from '../access/domain/maker-checker';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { MonitoringRunner } from '../monitoring/monitoring-runner';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode, invalidField } from '../common/errors';
import { IdempotencyKey, IdempotentAnswer } from '../common/idempotency';
import { canonicalIdentifier } from '../common/identifiers';
import { ZERO, formatMoney, money } from '../common/money';
import { DEFAULT_PAGE_SIZE } from '../common/pagination';
import { ContractRow, loadContract } from '../contracts/contract-loader';
import { PaymentsService } from '../contracts/payments.service';
import { idempotent } from '../database/idempotency';
import { IdRow, col, selectOne, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';
import { PoliciesService } from '../policies/policies.service';
import { ClaimAttachmentsService } from './claim-attachments.service';
import { ClaimHolds, holdOf } from './claim-holds';
import { ClaimPackets, packetOf, writingInvoices } from './claim-packet';
import { CLAIM_HANDS_SQL, ClaimHands, ClaimRow, claimsInScope, loadClaim } from './claim-loader';
import {
  ApproveClaimDto,
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
  awaitsLeader,
  checkClaimWorkflow,
  claimTransition,
  needsLeader,
  nextStep,
  rejectersOf,
  requiredDocuments,
} from './domain/claims';

const StepRow = z.object({
  version: col.int,
  step: col.text,
  result: col.text.nullable(),
  note: col.text.nullable(),
  username: col.text,
  at: col.timestamp,
});
const VersionRow = z.object({ version: col.int, packet: z.record(z.string(), z.unknown()), username: col.text, createdAt: col.timestamp });
const UnitPath = z.object({ path: col.text });
const DocumentKind = z.object({ kind: col.text });
const Hands = z.object({ hands: ClaimHands });

/**
 * 資金報帳制 (design §6): claims on contracts, their packets and three-level review. Township review holds the
 * amount in the budget book (`ClaimHolds`), a rejection releases it, and the payment service turns it into spending.
 * Every step re-runs the checks, takes a new hand, and appends an event. The packet's scans: `ClaimAttachmentsService`.
 */
@Injectable()
export class ClaimsService implements OnModuleInit {
  constructor(
    private readonly ds: DataSource,
    private readonly holds: ClaimHolds,
    private readonly packets: ClaimPackets,
    private readonly attachments: ClaimAttachmentsService,
    private readonly payments: PaymentsService,
    private readonly policies: PoliciesService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly monitor: MonitoringRunner,
  ) {}

  onModuleInit(): void {
    checkClaimWorkflow();
  }

  async draft(actor: Actor, dto: DraftClaimDto): Promise<ClaimView> {
    return writingInvoices(() =>
      inTransaction(this.ds, async (em) => {
        const contract = await loadContract(em, actor, dto.contractId);
        if (contract.state !== 'signed') throw new DomainError(ErrorCode.ContractNotSigned, `Contract ${dto.contractId} is not signed`);
        const packet = packetOf(dto);
        await this.packets.assertPacket(em, actor, contract.id, packet);
        const [{ id }] = await selectRows(
          em,
          IdRow,
          `INSERT INTO claims (county_id, contract_id, project_id, version, state, amount, stage, final, acceptance_id, application_date, expenses, drafted_by)
           VALUES ($1, $2, $3, 1, 'draft', $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
          [
            actor.county.id,
            contract.id,
            contract.projectId,
            packet.amount,
            packet.stage,
            packet.final,
            packet.acceptanceId,
            packet.applicationDate,
            JSON.stringify(packet.expenses),
            actor.userId,
          ],
        );
        await this.packets.writeVersion(em, actor, id, 1, packet);
        await this.step(em, id, 1, 'draft', actor, null, null);
        const claim = await this.find(em, actor, id);
        await this.audit.append(em, actor, 'claim.drafted', { ...claim });
        return claim;
      }),
    );
  }

  /** Corrects a draft, or a rejected claim, as a new version; earlier versions stay as they were. */
  async revise(actor: Actor, id: number, dto: ClaimPacketDto): Promise<ClaimView> {
    return writingInvoices(() =>
      inTransaction(this.ds, async (em) => {
        const row = await loadClaim(em, actor, id, { lock: true });
        this.assertStep(row, 'revise', actor);
        const packet = packetOf(dto);
        await this.packets.assertPacket(em, actor, row.contractId, packet);
        const version = row.version + 1;
        await em.query(`DELETE FROM claim_invoices WHERE claim_id = $1`, [id]);
        await em.query(
          `UPDATE claims SET version = $2, state = 'draft', amount = $3, stage = $4, final = $5, acceptance_id = $6, application_date = $7,
                             expenses = $8, township_signed_on = NULL, line_result = NULL WHERE id = $1`,
          [id, version, packet.amount, packet.stage, packet.final, packet.acceptanceId, packet.applicationDate, JSON.stringify(packet.expenses)],
        );
        await this.packets.writeVersion(em, actor, id, version, packet);
        await this.step(em, id, version, 'revise', actor, null, null);
        const claim = await this.find(em, actor, id);
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
    const submitted = await this.advance(actor, id, 'submit', null, async (em, row, contract) => {
      await this.assertDocuments(em, row);
      await this.assertChecks(em, row, contract, ZERO);
      return { state: 'submitted' };
    });
    this.monitor.afterStep(actor.county.id, 'claim.submitted');
    return submitted;
  }

  /** Township finance signs off and the amount is held in the budget book, or nothing happens. */
  async townshipReview(actor: Actor, id: number, dto: TownshipReviewDto): Promise<ClaimView> {
    return this.advance(actor, id, 'township_review', dto.opinion, async (em, row, contract) => {
      if (dto.signedOn > this.clock.today()) throw invalidField('signedOn', 'a sign-off cannot be dated in the future');
      if (dto.signedOn < row.applicationDate) {
        throw new DomainError(
          ErrorCode.SignoffBeforeApplication,
          `The township cannot sign off (${dto.signedOn}) before the application (${row.applicationDate})`,
          {
            fields: [{ field: 'signedOn', message: `not before ${row.applicationDate}` }],
          },
        );
      }
      if (contract.state !== 'signed') throw new DomainError(ErrorCode.ContractNotSigned, `Contract ${contract.id} is not signed`);
      await this.assertDocuments(em, row);
      // The hold comes first, so a claim that does not fit the contract's unheld budget is refused as such.
      const hold = await this.holds.hold(em, actor, row, contract);
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
      const claim = await loadClaim(em, actor, id, { lock: true });
      // A leader signs once county finance has approved; otherwise a county finance user approves.
      const step: ClaimStepName =
        claim.financeApproval !== null && actor.roles.includes('county_leader')
          ? 'leader_sign'
          : actor.roles.includes('county_finance')
            ? 'approve'
            : 'leader_sign';
      return this.move(em, actor, claim, step, dto.opinion, async (_em, row, contract) => {
        if (row.lineResult !== 'pass') {
          throw new DomainError(ErrorCode.LineReviewFailed, `The line department's review of claim ${id} failed (督查一把尺): it cannot be approved`);
        }
        const financeDone = row.financeApproval !== null;
        if (step === 'approve' && financeDone) throw new DomainError(ErrorCode.InvalidState, `County finance has already approved claim ${id}`);
        if (step === 'leader_sign' && !financeDone) throw new DomainError(ErrorCode.InvalidState, `County finance approves claim ${id} before a leader signs`);
        const threshold = await this.leaderThreshold(em, actor);
        const leader = needsLeader(row, threshold);
        if (step === 'leader_sign' && !leader)
          throw new DomainError(ErrorCode.InvalidState, `Claim ${id} is within the leader threshold: county finance approves it alone`);
        await this.assertChecks(em, row, contract, money(row.amount));
        const complete = step === 'leader_sign' || !leader;
        return {
          state: complete ? 'approved' : row.state,
          ...(step === 'approve' && { result: leader ? 'leader' : 'alone' }),
          data: { threshold: formatMoney(threshold) },
        };
      });
    });
  }

  /** Whoever the next step belongs to sends the claim back with a reason; a held amount returns to the contract. */
  async reject(actor: Actor, id: number, dto: RejectClaimDto): Promise<ClaimView> {
    return this.advance(actor, id, 'reject', dto.reason, async (em, row, contract) => {
      const release = HOLDING_STATES.includes(row.state) ? await this.holds.release(em, actor, row, contract) : null;
      return { state: 'rejected', set: { hold_transaction_id: null }, data: { releaseTransactionId: release } };
    });
  }

  /**
   * A county finance user who took no earlier step pays through the payment service, from the claim's hold. A
   * retried request with the same Idempotency-Key answers as the first did; without one, a second attempt finds the
   * claim paid (409).
   */
  async pay(actor: Actor, id: number, dto: PayClaimDto, key?: IdempotencyKey): Promise<IdempotentAnswer<ClaimView>> {
    const paid = await idempotent(this.ds, { actor, key, body: { payeeAccount: canonicalIdentifier(dto.payeeAccount) } }, async (em) =>
      this.move(em, actor, await loadClaim(em, actor, id, { lock: true }), 'pay', null, async (_em, r, contract) => {
        if (r.final) await this.packets.assertAcceptance(em, r.contractId, r);
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
    this.monitor.afterStep(actor.county.id, 'claim.paid');
    return paid;
  }

  async get(actor: Actor, id: number): Promise<ClaimDetailView> {
    const em = this.ds.manager;
    const claim = await this.find(em, actor, id);
    const history = await selectRows(
      em,
      StepRow,
      `SELECT s.version, s.step, s.result, s.note, u.username, s.at FROM claim_steps s JOIN users u ON u.id = s.actor_id WHERE s.claim_id = $1 ORDER BY s.id`,
      [id],
    );
    const versions = await selectRows(
      em,
      VersionRow,
      `SELECT v.version, v.packet, u.username, v.created_at FROM claim_versions v JOIN users u ON u.id = v.created_by WHERE v.claim_id = $1 ORDER BY v.version`,
      [id],
    );
    return {
      ...claim,
      history: history.map((h) => ({ version: h.version, step: h.step, result: h.result, note: h.note, actor: h.username, at: h.at.toISOString() })),
      attachments: await this.attachments.of(em, id),
      versions: versions.map((v) => ({ version: v.version, packet: v.packet, createdBy: v.username, at: v.createdAt.toISOString() })),
    };
  }

  async list(actor: Actor, q: ClaimQueryDto): Promise<ClaimView[]> {
    const unit = q.villageId ?? q.townshipId;
    const unitPath = unit
      ? (await selectOne(this.ds, UnitPath, `SELECT path FROM org_units WHERE id = $1 AND county_id = $2`, [unit, actor.county.id]))?.path
      : null;
    if (unit && !unitPath) return [];
    const rows = await claimsInScope(this.ds, actor, {
      unitPath: unitPath ?? null,
      state: q.state ?? null,
      projectId: q.projectId ?? null,
      afterId: q.afterId ?? 0,
      limit: q.limit ?? DEFAULT_PAGE_SIZE,
    });
    const threshold = await this.leaderThreshold(this.ds.manager, actor);
    return rows.map((r) => view(r, threshold));
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
    return inTransaction(this.ds, async (em) => this.move(em, actor, await loadClaim(em, actor, id, { lock: true }), step, note, work));
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
    const contract = await loadContract(em, actor, row.contractId, { lock: true });
    const outcome = await work(em, row, contract);
    // One UPDATE, so the table's checks (a held claim names its hold, a paid one its payment) see the whole change.
    const set = Object.entries({ state: outcome.state, ...outcome.set });
    await em.query(`UPDATE claims SET ${set.map(([column], i) => `${column} = $${i + 2}`).join(', ')} WHERE id = $1`, [row.id, ...set.map(([, v]) => v)]);
    await this.step(em, row.id, row.version, step, actor, outcome.result ?? null, note);
    const claim = await this.find(em, actor, row.id);
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
    const rejecters = step !== 'reject' ? t.roles : rejectersOf(row.state).filter((r) => r !== 'county_leader' || awaitsLeader(row));
    if (!actor.roles.some((r) => rejecters.includes(r))) {
      throw new DomainError(ErrorCode.ForbiddenRole, `A ${row.state} claim is rejected by ${rejecters.join(' or ')}`, { requires: rejecters });
    }
  }

  private async assertDocuments(em: EntityManager, row: ClaimRow): Promise<void> {
    const kinds = await selectRows(em, DocumentKind, `SELECT DISTINCT kind FROM claim_attachments WHERE claim_id = $1`, [row.id]);
    const missing = requiredDocuments(row.final).filter((k) => !kinds.some((x) => x.kind === k));
    if (missing.length > 0) {
      throw new DomainError(ErrorCode.DocumentsMissing, `Claim ${row.id} lacks required documents: ${missing.join(', ')}`, { missing });
    }
  }

  /** The checks every step after the draft re-runs: the acceptance and its date, and the contract's gates. */
  private async assertChecks(em: EntityManager, row: ClaimRow, contract: ContractRow, ownHold: Decimal): Promise<void> {
    if (row.final) await this.packets.assertAcceptance(em, row.contractId, row);
    await this.payments.assertPayable(em, contract, money(row.amount), row.stage ?? undefined, ownHold);
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
    const [{ hands }] = await selectRows(em, Hands, `SELECT ${CLAIM_HANDS_SQL} AS hands FROM claims k WHERE k.id = $1`, [row.id]);
    return hands;
  }

  private async find(em: EntityManager, actor: Actor, id: number): Promise<ClaimView> {
    return view(await loadClaim(em, actor, id), await this.leaderThreshold(em, actor));
  }

  private async leaderThreshold(em: EntityManager, actor: Actor): Promise<Decimal> {
    return money((await this.policies.inForce(em, actor)).values.leader_signoff_threshold.value);
  }
}

/** What a step does to its claim: the new state, columns set with it, the step's result, more for the event. */
interface Outcome {
  state: ClaimState;
  set?: Partial<Record<'township_signed_on' | 'hold_transaction_id' | 'line_result' | 'payment_id', unknown>>;
  result?: string;
  data?: Record<string, unknown>;
}

/** Shows a claim: amounts to two decimals, whether a leader must sign, and the step it waits for. */
function view(row: ClaimRow, threshold: Decimal): ClaimView {
  return {
    id: row.id,
    contractId: row.contractId,
    projectId: row.projectId,
    villageId: row.villageId,
    version: row.version,
    state: row.state,
    amount: formatMoney(money(row.amount)),
    stage: row.stage,
    final: row.final,
    acceptanceId: row.acceptanceId,
    applicationDate: row.applicationDate,
    expenses: row.expenses,
    invoices: row.invoices.map((i) => ({ ...i, amount: formatMoney(money(i.amount)) })),
    townshipSignedOn: row.townshipSignedOn,
    lineResult: row.lineResult,
    needsLeader: needsLeader(row, threshold),
    holdTransactionId: row.holdTransactionId,
    paymentId: row.paymentId,
    next: nextStep(row),
  };
}
