import { Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { MonitoringRunner } from '../monitoring/monitoring-runner';
import { Clock } from '../common/clock';
import { PublicityGates } from '../publicity/publicity-gates';
import { DomainError, ErrorCode, invalidField } from '../common/errors';
import { IdempotencyKey, IdempotentAnswer } from '../common/idempotency';
import { Money, ZERO, formatMoney, money } from '../common/money';
import { idempotent } from '../database/idempotency';
import { IdRow, col, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';
import { AccountRef, SourceFamily } from '../ledger/domain/account-refs';
import { EntryLine, credit, debit } from '../ledger/domain/entry';
import { LedgerPostingService } from '../ledger/ledger-posting.service';
import { LedgerReadingService, sumOf } from '../ledger/ledger-reading.service';
import { latestAcceptanceIfPassed } from './acceptance-state';
import { ContractRow, loadContract } from './contract-loader';
import { splitPayment } from './domain/payment-split';
import { stageProblem } from './domain/schedule';
import { InspectionView, PayDto, PaymentView, RecordInspectionDto } from './payments.dto';
import { canonicalIdentifier } from '../common/identifiers';

const Inspected = z.object({ id: col.id, at: col.timestamp });
const PaidAndInspected = z.object({
  paid: col.money,
  inspections: z.array(z.object({ stage: col.int.nullable(), result: z.string() })),
});

/**
 * The payment service: the only path by which money leaves a dedicated account (purpose `payment`). Each payment
 * passes every gate of issue #5 and posts design §4's recipe, source by source of the contract's commitment:
 * fin Dr expense:P:A:<category> amount, Cr bank:D net, Cr retention:C retention;
 * bud Dr quota:spent:P:A amount, Cr quota:committed:C:A amount.
 */
@Injectable()
export class PaymentsService {
  constructor(
    private readonly ds: DataSource,
    private readonly ledger: LedgerPostingService,
    private readonly reading: LedgerReadingService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly publicity: PublicityGates,
    private readonly monitor: MonitoringRunner,
  ) {}

  async inspect(actor: Actor, contractId: number, dto: RecordInspectionDto): Promise<InspectionView> {
    return inTransaction(this.ds, async (em) => {
      const c = await loadContract(em, actor, contractId);
      if (dto.stage !== undefined && dto.stage > c.schedule.length) {
        throw new DomainError(ErrorCode.ValidationFailed, `Contract ${contractId} has ${c.schedule.length} stage(s)`, {
          fields: [{ field: 'stage', message: `at most ${c.schedule.length}` }],
        });
      }
      const [row] = await selectRows(
        em,
        Inspected,
        `INSERT INTO contract_inspections (contract_id, stage, result, notes, inspector_id) VALUES ($1, $2, $3, $4, $5) RETURNING id, at`,
        [contractId, dto.stage ?? null, dto.result, dto.notes, actor.userId],
      );
      const view: InspectionView = {
        id: row.id,
        contractId,
        stage: dto.stage ?? null,
        result: dto.result,
        notes: dto.notes,
        inspector: actor.actor,
        at: row.at.toISOString(),
      };
      await this.audit.append(em, actor, 'contract.inspected', { ...view });
      return view;
    });
  }

  /** County finance pays on a contract through every gate; a retried request with its Idempotency-Key pays once. */
  async pay(actor: Actor, contractId: number, dto: PayDto, key?: IdempotencyKey): Promise<IdempotentAnswer<PaymentView>> {
    const body = { amount: formatMoney(money(dto.amount)), stage: dto.stage ?? null, payeeAccount: canonicalIdentifier(dto.payeeAccount) };
    const paid = await idempotent(this.ds, { actor, key, body }, async (em) => {
      // The contract's row lock queues its payments (and claim holds), so each gate sees the ones before it.
      const c = await loadContract(em, actor, contractId, { lock: true });
      return this.payIn(em, actor, c, dto, commitmentOf(c));
    });
    this.monitor.afterStep(actor.county.id, 'contract.paid');
    return paid;
  }

  /**
   * A payment inside the caller's unit of work on a contract it has locked, drawn from a per-source account family
   * (`drawFrom`): the contract's free commitment (`commitmentOf`), or a claim's budget hold.
   */
  async payIn(em: EntityManager, actor: Actor, c: ContractRow, dto: PayDto, drawFrom: SourceFamily): Promise<PaymentView> {
    if (canonicalIdentifier(dto.payeeAccount) !== canonicalIdentifier(c.payeeAccount)) {
      throw new DomainError(ErrorCode.PayeeMismatch, "The payee account is not the contract's", {
        fields: [{ field: 'payeeAccount', message: "not the contract's payee account" }],
      });
    }
    const ownHold = drawFrom.kind === 'quota_committed' ? ZERO : money(dto.amount);
    const { paidToDate, retentionHeld } = await this.assertPayable(em, c, money(dto.amount), dto.stage, ownHold);
    return this.post(em, actor, c, dto, { paidToDate, retentionHeld }, drawFrom);
  }

  /**
   * The gates every payment passes, and every claim at each of its steps (合同一把鎖, 驗收一道關): the contract is
   * signed; what is paid, plus what claims hold, plus this amount stays within the contract and, with a schedule,
   * within the stages whose milestones passed inspection; the latest inspection did not fail; and whatever completes
   * the contract has a passed acceptance. `ownHold` is the part of the holds that is this amount's own. Answers what
   * is paid with this amount, and the retention the contract holds so far.
   */
  async assertPayable(
    em: EntityManager,
    c: ContractRow,
    amount: Decimal,
    stage: number | undefined,
    ownHold: Decimal,
  ): Promise<{ paidToDate: Decimal; retentionHeld: Decimal }> {
    if (c.state !== 'signed') throw new DomainError(ErrorCode.ContractNotSigned, `Contract ${c.id} is not signed`);
    const [{ paid, inspections }] = await selectRows(
      em,
      PaidAndInspected,
      `SELECT (SELECT coalesce(sum(amount), 0) FROM contract_payments WHERE contract_id = $1) AS paid,
              coalesce((SELECT json_agg(json_build_object('stage', stage, 'result', result) ORDER BY id) FROM contract_inspections WHERE contract_id = $1), '[]') AS inspections`,
      [c.id],
    );
    const onContract = await this.reading.balancesBy(em, c.countyId, { kind: ['quota_held', 'retention'], contractId: c.id }, ['kind']);
    const [held, retentionHeld] = (['quota_held', 'retention'] as const).map((kind) => onContract.find((b) => b.kind === kind)?.balance ?? ZERO);
    const paidToDate = money(paid).plus(amount);
    const claimedToDate = paidToDate.plus(held.minus(ownHold));
    if (claimedToDate.gt(c.amount)) {
      throw new DomainError(
        ErrorCode.OverContract,
        `Payments and held claims would reach ${formatMoney(claimedToDate)}, above the contract's ${formatMoney(money(c.amount))}`,
        {
          paid: formatMoney(money(paid)),
          held: formatMoney(held.minus(ownHold)),
          contract: formatMoney(money(c.amount)),
        },
      );
    }
    if (inspections.at(-1)?.result === 'fail') {
      throw new DomainError(ErrorCode.InspectionFailed, `The latest inspection of contract ${c.id} failed; a passing one must come first`);
    }
    this.assertStage(c, stage, claimedToDate, inspections);
    if (claimedToDate.eq(c.amount) && !(await latestAcceptanceIfPassed(em, c.id))) {
      throw new DomainError(ErrorCode.AcceptanceRequired, `The payment completing contract ${c.id} needs a passed acceptance (驗收一道關)`);
    }
    if (claimedToDate.eq(c.amount)) await this.publicity.assertPassed(em, c.countyId, 'complete', c.projectId);
    return { paidToDate, retentionHeld };
  }

  /** With a schedule, a payment names its stage; the stage's milestone has passed inspection, and cumulative pay stays within the stages reached. */
  private assertStage(c: ContractRow, stage: number | undefined, claimedToDate: Decimal, inspections: { stage: number | null; result: string }[]): void {
    const problem = stageProblem(c.schedule.length, stage);
    if (problem) throw invalidField('stage', problem);
    if (stage === undefined) return;
    if (!inspections.some((i) => i.stage === stage && i.result === 'pass')) {
      throw new DomainError(ErrorCode.BeyondStage, `Stage ${stage} (${c.schedule[stage - 1].milestone}) has not passed inspection`);
    }
    const reached = c.schedule.slice(0, stage).reduce((s, st) => s.plus(st.percent), new Money(0));
    const ceiling = money(c.amount).times(reached).div(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    if (claimedToDate.gt(ceiling)) {
      throw new DomainError(ErrorCode.BeyondStage, `Through stage ${stage} at most ${formatMoney(ceiling)} (${reached.toString()}%) may be paid`, {
        ceiling: formatMoney(ceiling),
      });
    }
  }

  private async post(
    em: EntityManager,
    actor: Actor,
    c: ContractRow,
    dto: PayDto,
    { paidToDate, retentionHeld }: { paidToDate: Decimal; retentionHeld: Decimal },
    drawFrom: SourceFamily,
  ): Promise<PaymentView> {
    // Draw the payment from the contract's commitment (or a claim's hold) source by source (allocation order); each
    // source pays from its own dedicated account, and the retention is split over the sources to the fen (splitPayment).
    const sources = await this.reading.sources(em, actor.county.id, drawFrom);
    if (sumOf(sources).lt(dto.amount)) throw new DomainError(ErrorCode.BudgetExceeded, `Contract ${c.id} has less committed budget than this payment`);
    const shares = splitPayment(
      money(dto.amount),
      money(c.retentionRate!),
      sources.map((r) => r.balance),
    );
    const retention = shares.reduce((s, p) => s.plus(p.retention), ZERO);

    const draws = shares.map((share) => {
      const { allocationId, account, bank } = sources[share.source];
      const { projectId, id: contractId } = c;
      return {
        share,
        account,
        bank,
        expense: { kind: 'expense', projectId, allocationId, category: c.category } satisfies AccountRef,
        spent: { kind: 'quota_spent', projectId, allocationId } satisfies AccountRef,
        // Retention is held per contract and source, so its release pays from the source's own dedicated account.
        retention: { kind: 'retention', projectId, contractId, allocationId } satisfies AccountRef,
        allocationId,
      };
    });
    await this.ledger.open(
      em,
      actor,
      draws.flatMap((d) => [
        { account: d.retention, name: `合同 ${c.id} 質量保證金 指標 ${d.allocationId}` },
        { account: d.expense, name: `項目 ${c.projectId} 支出` },
        { account: d.spent, name: `項目 ${c.projectId} 已支出` },
      ]),
    );
    const lines: EntryLine[] = draws.flatMap(({ share, account, bank, expense, spent, retention }) => [
      debit(expense, share.amount),
      credit(bank, share.amount.minus(share.retention)),
      credit(retention, share.retention),
      debit(spent, share.amount),
      credit(account, share.amount),
    ]);
    const transaction = await this.ledger.post(em, actor, {
      effectiveDate: this.clock.today(),
      memo: `合同 ${c.id} 付款${dto.stage ? `（第${dto.stage}期）` : ''}`,
      purpose: 'payment',
      lines: lines.filter((l) => !l.amount.isZero()),
    });
    const [row] = await selectRows(
      em,
      IdRow,
      `INSERT INTO contract_payments (county_id, contract_id, stage, amount, retention, net, transaction_id, paid_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        actor.county.id,
        c.id,
        dto.stage ?? null,
        dto.amount,
        formatMoney(retention),
        formatMoney(money(dto.amount).minus(retention)),
        transaction.id,
        actor.userId,
      ],
    );
    const view: PaymentView = {
      id: row.id,
      contractId: c.id,
      stage: dto.stage ?? null,
      amount: formatMoney(money(dto.amount)),
      retention: formatMoney(retention),
      net: formatMoney(money(dto.amount).minus(retention)),
      transactionId: transaction.id,
      paidToDate: formatMoney(paidToDate),
      // The contract's row lock keeps every other movement of its retention out until this one commits.
      retentionHeld: formatMoney(retentionHeld.plus(retention)),
    };
    await this.audit.append(em, actor, 'contract.paid', { ...view });
    return view;
  }
}

/** The per-source family a direct payment on a contract draws from: its commitment, source by source. */
export function commitmentOf(c: ContractRow): SourceFamily {
  return { kind: 'quota_committed', projectId: c.projectId, contractId: c.id };
}
