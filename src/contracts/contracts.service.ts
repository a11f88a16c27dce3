import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { assertNewHand } from '../access/domain/maker-checker';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { MonitoringRunner } from '../monitoring/monitoring-runner';
import { Clock } from '../common/clock';
import { PublicityGates } from '../publicity/publicity-gates';
import { DomainError, ErrorCode, invalidField } from '../common/errors';
import { Money, formatMoney, money } from '../common/money';
import { IdRow, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';
import { AccountRef } from '../ledger/domain/account-refs';
import { EntryLine, credit, debit } from '../ledger/domain/entry';
import { drawInOrder } from '../ledger/domain/split';
import { LedgerPostingService } from '../ledger/ledger-posting.service';
import { LedgerReadingService, sumOf } from '../ledger/ledger-reading.service';
import { PoliciesService } from '../policies/policies.service';
import { ProjectsService } from '../projects/projects.service';
import { ContractRow, contractsOfProject, loadContract } from './contract-loader';
import { ContractView, DraftContractDto, LettersDto } from './contracts.dto';
import { missingLetters } from './domain/letters';

/** Construction categories, where the national cap on retention (3%, 建質〔2017〕138號) applies. */
const CONSTRUCTION = ['infrastructure', 'work_for_relief'];

/**
 * 合同一把鎖 and 招標一套法: contracts are drafted with their terms and, when a different person signs, commit
 * budget from the project's quota, source by source (Dr quota:committed:C:A, Cr quota:project:P:A).
 */
@Injectable()
export class ContractsService {
  constructor(
    private readonly ds: DataSource,
    private readonly ledger: LedgerPostingService,
    private readonly reading: LedgerReadingService,
    private readonly projects: ProjectsService,
    private readonly policies: PoliciesService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly publicity: PublicityGates,
    private readonly monitor: MonitoringRunner,
  ) {}

  async draft(actor: Actor, projectId: number, dto: DraftContractDto): Promise<ContractView> {
    await this.projects.find(this.ds.manager, actor, projectId, false);
    const schedule = dto.schedule ?? [];
    if (schedule.length > 0) {
      const total = schedule.reduce((s, st) => s.plus(st.percent), new Money(0));
      if (!total.eq(100) || schedule.some((st) => new Money(st.percent).lte(0))) {
        throw invalidField('schedule', `stages must be positive and add up to 100% (they add up to ${total.toString()}%)`);
      }
    }
    if (dto.tender && !dto.tender.bidders.includes(dto.tender.winner)) throw invalidField('tender.winner', 'the winner must be one of the bidders');
    const threshold = (await this.policies.inForce(this.ds.manager, actor)).values.tender_required_threshold.value;
    if (!dto.tender && money(dto.amount).gt(threshold)) {
      throw new DomainError(ErrorCode.TenderRequired, `A contract above ${threshold} needs its tender record (招標一套法)`, {
        fields: [{ field: 'tender', message: `required above ${threshold}` }],
      });
    }
    return inTransaction(this.ds, async (em) => {
      const [{ id }] = await selectRows(
        em,
        IdRow,
        `INSERT INTO contracts (county_id, project_id, title, payee_name, payee_type, payee_bank, payee_account, payee_tax_id, payee_id_number,
                                amount, retention_override, retention_override_reason, schedule, tender, letters, state, drafted_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'draft', $16) RETURNING id`,
        [
          actor.county.id,
          projectId,
          dto.title,
          dto.payee.name,
          dto.payee.type,
          dto.payee.bank,
          dto.payee.account,
          dto.payee.taxId ?? null,
          dto.payee.idNumber ?? null,
          dto.amount,
          dto.retentionOverride?.rate ?? null,
          dto.retentionOverride?.reason ?? null,
          JSON.stringify(schedule),
          dto.tender ? JSON.stringify(dto.tender) : null,
          JSON.stringify(dto.letters),
          actor.userId,
        ],
      );
      const contract = await this.find(em, actor, id);
      await this.audit.append(em, actor, 'contract.drafted', { ...contract });
      return contract;
    });
  }

  /** A different person signs: the retention rate is fixed and the budget committed, or nothing happens. */
  async sign(actor: Actor, id: number): Promise<ContractView> {
    const signed = await inTransaction(this.ds, async (em) => {
      const row = await loadContract(em, actor, id, { lock: true });
      if (row.state !== 'draft') throw new DomainError(ErrorCode.InvalidState, `Contract ${id} is already signed`);
      assertNewHand([{ step: 'draft', userId: row.draftedBy }], { step: 'sign', userId: actor.userId! });
      const missing = missingLetters(row.letters, this.clock.today());
      if (missing.length > 0) {
        throw new DomainError(
          ErrorCode.DocumentsMissing,
          `Contract ${id} lacks the responsibility letters ${missing.join(', ')} (縣、鄉、村級級簽定項目建設責任書)`,
          {
            fields: missing.map((level) => ({
              field: `letters.${level}`,
              message: 'a responsibility letter signed on or before today is required before signing',
            })),
          },
        );
      }
      // Signings on one project queue here, so each sees the quota the previous one left.
      await this.projects.find(em, actor, row.projectId, true);
      await this.publicity.assertPassed(em, actor.county.id, 'signContract', row.projectId);

      const sources = await this.reading.sources(em, actor.county.id, { kind: 'quota_project', projectId: row.projectId });
      const available = sumOf(sources);
      if (available.lt(row.amount)) {
        throw new DomainError(
          ErrorCode.BudgetExceeded,
          `Contract ${id} (${formatMoney(money(row.amount))}) exceeds the project's available budget ${formatMoney(available)}`,
          {
            available: formatMoney(available),
          },
        );
      }
      const draws = drawInOrder(
        money(row.amount),
        sources.map((s) => s.balance),
      ).map(({ source, amount }) => {
        const { allocationId, account: from } = sources[source];
        const committed: AccountRef = { kind: 'quota_committed', projectId: row.projectId, contractId: id, allocationId };
        return { committed, from, amount, name: `合同 ${id} 指標 ${allocationId}` };
      });
      await this.ledger.open(
        em,
        actor,
        draws.map(({ committed, name }) => ({ account: committed, name })),
      );
      const lines: EntryLine[] = draws.flatMap(({ committed, from, amount }) => [debit(committed, amount), credit(from, amount)]);
      const signedOn = this.clock.today();
      const rate = row.retentionOverride ?? (await this.policies.inForce(em, actor, signedOn)).values.retention_rate.value;
      const transaction = await this.ledger.post(em, actor, { effectiveDate: signedOn, memo: `合同 ${id} 簽訂，預算承諾`, purpose: 'budget', lines });
      await em.query(`UPDATE contracts SET state = 'signed', signed_by = $2, signed_on = $3, retention_rate = $4, commit_transaction_id = $5 WHERE id = $1`, [
        id,
        actor.userId,
        signedOn,
        rate,
        transaction.id,
      ]);
      const contract = await this.find(em, actor, id);
      await this.audit.append(em, actor, 'contract.signed', { ...contract });
      return contract;
    });
    this.monitor.afterStep(actor.county.id, 'contract.signed');
    return signed;
  }

  async get(actor: Actor, id: number): Promise<ContractView> {
    return this.find(this.ds.manager, actor, id);
  }

  async listForProject(actor: Actor, projectId: number): Promise<ContractView[]> {
    await this.projects.find(this.ds.manager, actor, projectId, false);
    return (await contractsOfProject(this.ds, projectId)).map(view);
  }

  private async find(em: EntityManager, actor: Actor, id: number): Promise<ContractView> {
    return view(await loadContract(em, actor, id));
  }
}

/** Shows a contract: its rate as a plain decimal, and a warning where the rate is above the construction cap. */
function view(row: ContractRow): ContractView {
  const rate = row.retentionRate ?? row.retentionOverride;
  const warnings =
    rate !== null && CONSTRUCTION.includes(row.category) && money(rate).gt('0.03')
      ? ['retention above the 3% cap of 建質〔2017〕138號 for construction contracts']
      : [];
  return {
    id: row.id,
    projectId: row.projectId,
    title: row.title,
    payee: {
      name: row.payeeName,
      type: row.payeeType,
      bank: row.payeeBank,
      account: row.payeeAccount,
      ...(row.payeeTaxId === null ? {} : { taxId: row.payeeTaxId }),
      ...(row.payeeIdNumber === null ? {} : { idNumber: row.payeeIdNumber }),
    },
    amount: formatMoney(money(row.amount)),
    retentionRate: row.retentionRate === null ? null : money(row.retentionRate).toString(),
    retentionOverride: row.retentionOverride === null ? null : { rate: money(row.retentionOverride).toString(), reason: row.retentionOverrideReason! },
    schedule: row.schedule,
    tender: row.tender,
    // Shown as recorded (see ContractRow.letters); contracts drafted now always carry all three.
    letters: row.letters as LettersDto,
    state: row.state,
    draftedBy: row.draftedBy,
    signedBy: row.signedBy,
    signedOn: row.signedOn,
    commitTransactionId: row.commitTransactionId,
    warnings,
  };
}
