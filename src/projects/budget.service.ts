import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { assertNewHand } from '../access/domain/maker-checker';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/errors';
import { IdempotencyKey, IdempotentAnswer } from '../common/idempotency';
import { formatMoney, money } from '../common/money';
import { idempotent } from '../database/idempotency';
import { col, selectOne, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';
import { AccountRef } from '../ledger/domain/account-refs';
import { credit, debit } from '../ledger/domain/entry';
import { LedgerPostingService } from '../ledger/ledger-posting.service';
import { PoliciesService } from '../policies/policies.service';
import { FUNDABLE_STATES } from './domain/lifecycle';
import { ProjectsService } from './projects.service';
import { BudgetLineView, ProposeBudgetLineDto } from './projects.dto';

const AllocationCategories = z.object({ id: col.id, permittedCategories: col.textArray });
const Total = z.object({ total: col.money });

/** A budget line as the API shows it (`BudgetLineView`). */
const LineRow = z.object({
  id: col.id,
  projectId: col.id,
  allocationId: col.id,
  amount: col.money,
  state: z.enum(['awaiting_signature', 'posted']),
  proposedBy: col.id,
  signedBy: col.id.nullable(),
  transactionId: col.text.nullable(),
});
type LineRow = z.infer<typeof LineRow>;

const COLUMNS = 'id, project_id, allocation_id, amount, state, proposed_by, signed_by, transaction_id';

/**
 * Allocating money of an allocation to a library project (budget lines): only to categories the allocation permits
 * (挪用 refused), never beyond its unallocated quota (the ledger's non-negative quota account decides, under any
 * concurrency), and above the policy's leader threshold only after a county leader signs (資金一本帳).
 */
@Injectable()
export class BudgetService {
  constructor(
    private readonly ds: DataSource,
    private readonly ledger: LedgerPostingService,
    private readonly projects: ProjectsService,
    private readonly policies: PoliciesService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** Proposes (and below the threshold posts) a line; a retried request with its Idempotency-Key posts once. */
  async propose(actor: Actor, projectId: number, dto: ProposeBudgetLineDto, key?: IdempotencyKey): Promise<IdempotentAnswer<BudgetLineView>> {
    const body = { allocationId: dto.allocationId, amount: formatMoney(money(dto.amount)) };
    return idempotent(this.ds, { actor, key, body }, async (em) => {
      // The threshold applies to what the project gets from this allocation in all, so splitting a line does not
      // avoid the signature; the project's row lock makes concurrent lines count each other.
      const project = await this.projects.find(em, actor, projectId, true);
      if (!FUNDABLE_STATES.includes(project.state)) {
        throw new DomainError(ErrorCode.InvalidState, `Project ${projectId} is not in the library (it is ${project.state})`, { state: project.state });
      }
      const allocation = await selectOne(em, AllocationCategories, `SELECT id, permitted_categories FROM fund_allocations WHERE id = $1 AND county_id = $2`, [
        dto.allocationId,
        actor.county.id,
      ]);
      if (!allocation) {
        throw new DomainError(ErrorCode.NotFound, `No fund allocation ${dto.allocationId}`, {
          fields: [{ field: 'allocationId', message: 'no such allocation' }],
        });
      }
      if (!allocation.permittedCategories.includes(project.category)) {
        throw new DomainError(ErrorCode.CategoryNotPermitted, `Allocation ${dto.allocationId} may not pay for ${project.category} projects (挪用)`, {
          category: project.category,
          permitted: allocation.permittedCategories,
        });
      }
      const threshold = (await this.policies.inForce(em, actor)).values.leader_signoff_threshold.value;
      const [{ total }] = await selectRows(
        em,
        Total,
        `SELECT coalesce(sum(amount), 0) AS total FROM budget_lines WHERE project_id = $1 AND allocation_id = $2`,
        [projectId, dto.allocationId],
      );
      const needsSignature = money(total).plus(dto.amount).gt(threshold);
      const [row] = await selectRows(
        em,
        LineRow,
        `INSERT INTO budget_lines (county_id, project_id, allocation_id, amount, state, proposed_by)
         VALUES ($1, $2, $3, $4, 'awaiting_signature', $5) RETURNING ${COLUMNS}`,
        [actor.county.id, projectId, dto.allocationId, dto.amount, actor.userId],
      );
      await this.audit.append(em, actor, 'budget.line.proposed', { ...row, threshold });
      if (needsSignature) return row;
      return this.post(em, actor, row, null);
    });
  }

  /** A county leader, not the proposer, signs a line above the threshold: it posts. */
  async sign(actor: Actor, projectId: number, lineId: number): Promise<BudgetLineView> {
    return inTransaction(this.ds, async (em) => {
      await this.projects.find(em, actor, projectId, false);
      const row = await selectOne(em, LineRow, `SELECT ${COLUMNS} FROM budget_lines WHERE id = $1 AND project_id = $2 AND county_id = $3 FOR UPDATE`, [
        lineId,
        projectId,
        actor.county.id,
      ]);
      if (!row) throw new DomainError(ErrorCode.NotFound, `No budget line ${lineId} on project ${projectId}`);
      if (row.state !== 'awaiting_signature') throw new DomainError(ErrorCode.InvalidState, `Budget line ${lineId} is already posted`);
      assertNewHand([{ step: 'propose', userId: row.proposedBy }], { step: 'sign', userId: actor.userId! });
      return this.post(em, actor, row, actor.userId);
    });
  }

  async list(actor: Actor, projectId: number): Promise<BudgetLineView[]> {
    await this.projects.find(this.ds.manager, actor, projectId, false);
    return selectRows(this.ds, LineRow, `SELECT ${COLUMNS} FROM budget_lines WHERE project_id = $1 ORDER BY id`, [projectId]);
  }

  /** Design §4: Dr quota:project:P:A, Cr quota:unallocated:A; the project becomes planned with its first line. */
  private async post(em: EntityManager, actor: Actor, row: LineRow, signedBy: number | null): Promise<BudgetLineView> {
    const account: AccountRef = { kind: 'quota_project', projectId: row.projectId, allocationId: row.allocationId };
    await this.ledger.open(em, actor, [{ account, name: `項目 ${row.projectId} 指標 ${row.allocationId}` }]);
    const amount = money(row.amount);
    const transaction = await this.ledger.post(em, actor, {
      effectiveDate: this.clock.today(),
      memo: `指標 ${row.allocationId} 分配至項目 ${row.projectId}`,
      purpose: 'budget',
      lines: [debit(account, amount), credit({ kind: 'quota_unallocated', allocationId: row.allocationId }, amount)],
    });
    const [line] = await selectRows(
      em,
      LineRow,
      `UPDATE budget_lines SET state = 'posted', signed_by = $2, transaction_id = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
      [row.id, signedBy, transaction.id],
    );
    await this.projects.markPlanned(em, actor, row.projectId);
    await this.audit.append(em, actor, 'budget.line.posted', { ...line });
    return line;
  }
}
