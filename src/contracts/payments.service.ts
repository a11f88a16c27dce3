import { Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { chinaToday } from '../common/dates';
import { DomainError, ErrorCode } from '../common/errors';
import { Money, ZERO, formatMoney, money } from '../common/money';
import { inTransaction } from '../database/unit-of-work';
import { fundAccounts, perSource } from '../funds/domain/funds';
import { sourceBalances } from '../funds/source-balances';
import { LedgerService } from '../ledger/ledger.service';
import { ProjectsService } from '../projects/projects.service';
import { AcceptanceService } from './acceptance.service';
import { splitPayment } from './domain/payment-split';
import { InspectionView, PayDto, PaymentView, RecordInspectionDto } from './payments.dto';

interface ContractRow {
  id: number;
  project_id: number;
  category: string;
  amount: string;
  state: string;
  retention_rate: string | null;
  payee_account: string;
  schedule: { percent: string; milestone: string }[];
}

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
    private readonly ledger: LedgerService,
    private readonly projects: ProjectsService,
    private readonly acceptances: AcceptanceService,
    private readonly audit: AuditLog,
  ) {}

  async inspect(actor: Actor, contractId: number, dto: RecordInspectionDto): Promise<InspectionView> {
    return inTransaction(this.ds, async (em) => {
      const c = await this.contract(em, actor, contractId, false);
      if (dto.stage !== undefined && dto.stage > c.schedule.length) {
        throw new DomainError(ErrorCode.ValidationFailed, `Contract ${contractId} has ${c.schedule.length} stage(s)`, {
          fields: [{ field: 'stage', message: `at most ${c.schedule.length}` }],
        });
      }
      const [row] = await em.query(
        `INSERT INTO contract_inspections (contract_id, stage, result, notes, inspector_id) VALUES ($1, $2, $3, $4, $5) RETURNING id, at`,
        [contractId, dto.stage ?? null, dto.result, dto.notes, actor.userId],
      );
      const view: InspectionView = { id: row.id, contractId, stage: dto.stage ?? null, result: dto.result, notes: dto.notes, inspector: actor.actor, at: row.at.toISOString() };
      await this.audit.append(em, actor, 'contract.inspected', { ...view });
      return view;
    });
  }

  async pay(actor: Actor, contractId: number, dto: PayDto): Promise<PaymentView> {
    return inTransaction(this.ds, async (em) => {
      // The contract's row lock queues its payments, so each gate sees the ones before it.
      const c = await this.contract(em, actor, contractId, true);
      if (c.state !== 'signed') throw new DomainError(ErrorCode.ContractNotSigned, `Contract ${contractId} is not signed`);
      if (dto.payeeAccount.replace(/[ -]/g, '') !== c.payee_account.replace(/[ -]/g, '')) {
        throw new DomainError(ErrorCode.PayeeMismatch, "The payee account is not the contract's", { fields: [{ field: 'payeeAccount', message: "not the contract's payee account" }] });
      }
      const [{ paid }] = await em.query(`SELECT coalesce(sum(amount), 0) AS paid FROM contract_payments WHERE contract_id = $1`, [contractId]);
      const paidToDate = money(paid).plus(dto.amount);
      if (paidToDate.gt(c.amount)) {
        throw new DomainError(ErrorCode.OverContract, `Payments would reach ${formatMoney(paidToDate)}, above the contract's ${formatMoney(money(c.amount))}`, {
          paid: formatMoney(money(paid)),
          contract: formatMoney(money(c.amount)),
        });
      }
      const inspections: { stage: number | null; result: string }[] = await em.query(
        `SELECT stage, result FROM contract_inspections WHERE contract_id = $1 ORDER BY id`,
        [contractId],
      );
      if (inspections.at(-1)?.result === 'fail') {
        throw new DomainError(ErrorCode.InspectionFailed, `The latest inspection of contract ${contractId} failed; a passing one must come first`);
      }
      await this.assertStage(c, dto, paidToDate, inspections);
      if (paidToDate.eq(c.amount) && !(await this.acceptances.passed(em, contractId))) {
        throw new DomainError(ErrorCode.AcceptanceRequired, `The payment completing contract ${contractId} needs a passed acceptance (驗收一道關)`);
      }
      return this.post(em, actor, c, dto, paidToDate);
    });
  }

  /** With a schedule, a payment names its stage; the stage's milestone has passed inspection, and cumulative pay stays within the stages reached. */
  private async assertStage(c: ContractRow, dto: PayDto, paidToDate: Decimal, inspections: { stage: number | null; result: string }[]): Promise<void> {
    if (c.schedule.length === 0) return;
    if (dto.stage === undefined || dto.stage > c.schedule.length) {
      throw new DomainError(ErrorCode.ValidationFailed, `Contract ${c.id} pays by stage (1-${c.schedule.length})`, { fields: [{ field: 'stage', message: 'required, a stage of the schedule' }] });
    }
    if (!inspections.some((i) => i.stage === dto.stage && i.result === 'pass')) {
      throw new DomainError(ErrorCode.BeyondStage, `Stage ${dto.stage} (${c.schedule[dto.stage - 1].milestone}) has not passed inspection`);
    }
    const reached = c.schedule.slice(0, dto.stage).reduce((s, st) => s.plus(st.percent), new Money(0));
    const ceiling = money(c.amount).times(reached).div(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    if (paidToDate.gt(ceiling)) {
      throw new DomainError(ErrorCode.BeyondStage, `Through stage ${dto.stage} at most ${formatMoney(ceiling)} (${reached.toString()}%) may be paid`, {
        ceiling: formatMoney(ceiling),
      });
    }
  }

  private async post(em: EntityManager, actor: Actor, c: ContractRow, dto: PayDto, paidToDate: Decimal): Promise<PaymentView> {
    // Draw the payment from the contract's commitment source by source (allocation order); each source pays from
    // its own dedicated account, and the retention is split over the sources to the fen (splitPayment).
    const sources = await sourceBalances(em, actor.county.id, perSource.committed(c.id));
    const committed = sources.reduce((s, r) => s.plus(r.balance), ZERO);
    if (committed.lt(dto.amount)) throw new DomainError(ErrorCode.BudgetExceeded, `Contract ${c.id} has less committed budget than this payment`);
    const shares = splitPayment(money(dto.amount), money(c.retention_rate!), sources.map((r) => r.balance));
    const retention = shares.reduce((s, p) => s.plus(p.retention), ZERO);

    const lines: { account: string; debit?: string; credit?: string }[] = [];
    for (const share of shares) {
      const { allocationId, bank } = sources[share.source];
      const expense = fundAccounts.expense(c.project_id, allocationId, c.category);
      const spent = fundAccounts.spent(c.project_id, allocationId);
      // Retention is held per contract and source, so its release pays from the source's own dedicated account.
      const retentionAccount = fundAccounts.retention(c.id, allocationId);
      await this.ledger.openAccount(actor, { code: retentionAccount, name: `合同 ${c.id} 質量保證金 指標 ${allocationId}`, book: 'financial', type: 'liability', allowNegative: false }, { em, ifMissing: true });
      await this.ledger.openAccount(actor, { code: expense, name: `項目 ${c.project_id} 支出`, book: 'financial', type: 'expense', allowNegative: false }, { em, ifMissing: true });
      await this.ledger.openAccount(actor, { code: spent, name: `項目 ${c.project_id} 已支出`, book: 'budget', type: 'quota', allowNegative: false }, { em, ifMissing: true });
      const amount = formatMoney(share.amount);
      lines.push(
        { account: expense, debit: amount },
        { account: bank, credit: formatMoney(share.amount.minus(share.retention)) },
        { account: retentionAccount, credit: formatMoney(share.retention) },
        { account: spent, debit: amount },
        { account: fundAccounts.committed(c.id, allocationId), credit: amount },
      );
    }
    const { transaction } = await this.ledger.post(
      actor,
      { effectiveDate: chinaToday(), memo: `合同 ${c.id} 付款${dto.stage ? `（第${dto.stage}期）` : ''}`, lines: lines.filter((l) => !money((l.debit ?? l.credit)!).isZero()) },
      { em, purpose: 'payment' },
    );
    const [row] = await em.query(
      `INSERT INTO contract_payments (county_id, contract_id, stage, amount, retention, net, transaction_id, paid_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [actor.county.id, c.id, dto.stage ?? null, dto.amount, formatMoney(retention), formatMoney(money(dto.amount).minus(retention)), transaction.id, actor.userId],
    );
    const [{ balance }] = await em.query(`SELECT coalesce(sum(balance), 0) AS balance FROM ledger_accounts WHERE county_id = $1 AND code LIKE $2`, [
      actor.county.id,
      `${perSource.retention(c.id)}%`,
    ]);
    const view: PaymentView = {
      id: row.id,
      contractId: c.id,
      stage: dto.stage ?? null,
      amount: formatMoney(money(dto.amount)),
      retention: formatMoney(retention),
      net: formatMoney(money(dto.amount).minus(retention)),
      transactionId: transaction.id,
      paidToDate: formatMoney(paidToDate),
      retentionHeld: formatMoney(money(balance ?? ZERO)),
    };
    await this.audit.append(em, actor, 'contract.paid', { ...view });
    return view;
  }

  private async contract(em: EntityManager, actor: Actor, id: number, lock: boolean): Promise<ContractRow> {
    const [row]: ContractRow[] = await em.query(
      `SELECT c.id, c.project_id, p.category, c.amount, c.state, c.retention_rate, c.payee_account, c.schedule
         FROM contracts c JOIN projects p ON p.id = c.project_id WHERE c.id = $1 AND c.county_id = $2 ${lock ? 'FOR UPDATE OF c' : ''}`,
      [id, actor.county.id],
    );
    if (!row) throw new DomainError(ErrorCode.NotFound, `No contract ${id}`);
    await this.projects.find(em, actor, row.project_id, false);
    return row;
  }
}
