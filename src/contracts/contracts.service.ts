import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { assertNewHand } from '../access/domain/maker-checker';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode, invalidField } from '../common/errors';
import { Money, formatMoney, money } from '../common/money';
import { inTransaction } from '../database/unit-of-work';
import { AccountRef } from '../ledger/domain/account-refs';
import { EntryLine, credit, debit } from '../ledger/domain/entry';
import { drawInOrder } from '../ledger/domain/split';
import { LedgerPostingService } from '../ledger/ledger-posting.service';
import { LedgerReadingService, sumOf } from '../ledger/ledger-reading.service';
import { PoliciesService } from '../policies/policies.service';
import { ProjectsService } from '../projects/projects.service';
import { ContractView, DraftContractDto } from './contracts.dto';
import { missingLetters } from './domain/letters';

interface ContractRow {
  id: number;
  project_id: number;
  title: string;
  payee_name: string;
  payee_type: string;
  payee_bank: string;
  payee_account: string;
  payee_tax_id: string | null;
  payee_id_number: string | null;
  amount: string;
  retention_rate: string | null;
  retention_override: string | null;
  retention_override_reason: string | null;
  schedule: { percent: string; milestone: string }[];
  tender: DraftContractDto['tender'] | null;
  letters: DraftContractDto['letters'];
  state: string;
  drafted_by: number;
  signed_by: number | null;
  signed_on: string | null;
  commit_transaction_id: string | null;
  category: string;
}

const SELECT = `
  SELECT c.id, c.project_id, c.title, c.payee_name, c.payee_type, c.payee_bank, c.payee_account, c.payee_tax_id, c.payee_id_number, c.amount, c.retention_rate,
         c.retention_override, c.retention_override_reason, c.schedule, c.tender, c.letters, c.state, c.drafted_by, c.signed_by,
         c.signed_on::text, c.commit_transaction_id, p.category
    FROM contracts c JOIN projects p ON p.id = c.project_id`;

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
      const [{ id }] = await em.query(
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
    return inTransaction(this.ds, async (em) => {
      const [row]: ContractRow[] = await em.query(`${SELECT} WHERE c.id = $1 AND c.county_id = $2 FOR UPDATE OF c`, [id, actor.county.id]);
      if (!row) throw new DomainError(ErrorCode.NotFound, `No contract ${id}`);
      if (row.state !== 'draft') throw new DomainError(ErrorCode.InvalidState, `Contract ${id} is already signed`);
      assertNewHand([{ step: 'draft', userId: row.drafted_by }], { step: 'sign', userId: actor.userId! });
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
      await this.projects.find(em, actor, row.project_id, true);

      const sources = await this.reading.sources(em, actor.county.id, { kind: 'quota_project', projectId: row.project_id });
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
        const committed: AccountRef = { kind: 'quota_committed', projectId: row.project_id, contractId: id, allocationId };
        return { committed, from, amount, name: `合同 ${id} 指標 ${allocationId}` };
      });
      await this.ledger.open(
        em,
        actor,
        draws.map(({ committed, name }) => ({ account: committed, name })),
      );
      const lines: EntryLine[] = draws.flatMap(({ committed, from, amount }) => [debit(committed, amount), credit(from, amount)]);
      const signedOn = this.clock.today();
      const rate = row.retention_override ?? (await this.policies.inForce(em, actor, signedOn)).values.retention_rate.value;
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
  }

  async get(actor: Actor, id: number): Promise<ContractView> {
    return this.find(this.ds.manager, actor, id);
  }

  async listForProject(actor: Actor, projectId: number): Promise<ContractView[]> {
    await this.projects.find(this.ds.manager, actor, projectId, false);
    const rows: ContractRow[] = await this.ds.query(`${SELECT} WHERE c.project_id = $1 ORDER BY c.id`, [projectId]);
    return rows.map(view);
  }

  private async find(em: EntityManager, actor: Actor, id: number): Promise<ContractView> {
    const [row]: ContractRow[] = await em.query(`${SELECT} WHERE c.id = $1 AND c.county_id = $2`, [id, actor.county.id]);
    if (!row) throw new DomainError(ErrorCode.NotFound, `No contract ${id}`);
    await this.projects.find(em, actor, row.project_id, false);
    return view(row);
  }
}

function view(row: ContractRow): ContractView {
  const rate = row.retention_rate ?? row.retention_override;
  const warnings =
    rate !== null && CONSTRUCTION.includes(row.category) && money(rate).gt('0.03')
      ? ['retention above the 3% cap of 建質〔2017〕138號 for construction contracts']
      : [];
  return {
    id: row.id,
    projectId: row.project_id,
    title: row.title,
    payee: {
      name: row.payee_name,
      type: row.payee_type,
      bank: row.payee_bank,
      account: row.payee_account,
      ...(row.payee_tax_id === null ? {} : { taxId: row.payee_tax_id }),
      ...(row.payee_id_number === null ? {} : { idNumber: row.payee_id_number }),
    },
    amount: formatMoney(money(row.amount)),
    retentionRate: row.retention_rate === null ? null : money(row.retention_rate).toString(),
    retentionOverride: row.retention_override === null ? null : { rate: money(row.retention_override).toString(), reason: row.retention_override_reason! },
    schedule: row.schedule,
    tender: row.tender ?? null,
    letters: row.letters,
    state: row.state,
    draftedBy: row.drafted_by,
    signedBy: row.signed_by,
    signedOn: row.signed_on,
    commitTransactionId: row.commit_transaction_id,
    warnings,
  };
}
