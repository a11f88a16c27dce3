import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { assertNewHand } from '../access/domain/maker-checker';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { IdRow, col, selectOne, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';
import { Clock } from '../common/clock';
import { ApprovedChange, POLICY_KEYS, PolicyKey, policyInForce, policyValueProblem, policyWarning } from './policy';
import { PolicyChangeView, PolicyView, ProposePolicyDto } from './policies.dto';

const ChangeRow = z.object({
  id: col.id,
  key: col.text,
  value: col.text,
  effectiveFrom: col.date,
  reason: col.text,
  state: z.enum(['proposed', 'approved']),
  proposedBy: col.id,
  approvedBy: col.id.nullable(),
});
type ChangeRow = z.infer<typeof ChangeRow>;

const COLUMNS = 'id, key, value, effective_from::text, reason, state, proposed_by, approved_by';

/** Policy parameters change only by a proposal that a different person approves; each step is an event. */
@Injectable()
export class PoliciesService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** The values in force on `asOf` (default today), read on their own. */
  get(actor: Actor, asOf?: string): Promise<PolicyView> {
    return this.inForce(this.ds.manager, actor, asOf);
  }

  /** The values in force on `asOf`, read in the caller's unit of work (so the read takes no second connection). */
  async inForce(em: EntityManager, actor: Actor, asOf = this.clock.today()): Promise<PolicyView> {
    return { asOf, values: policyInForce(await this.approvedBy(em, actor.county.id, asOf), asOf) };
  }

  /** A county's values in force on `asOf`, by key: what rules judge with. */
  async valuesInForce(em: EntityManager, countyId: number, asOf: string): Promise<Record<PolicyKey, string>> {
    const inForce = policyInForce(await this.approvedBy(em, countyId, asOf), asOf);
    return Object.fromEntries(POLICY_KEYS.map((key) => [key, inForce[key].value])) as Record<PolicyKey, string>;
  }

  private approvedBy(em: EntityManager, countyId: number, asOf: string): Promise<ApprovedChange[]> {
    return selectRows(em, ChangeRow, `SELECT ${COLUMNS} FROM policy_changes WHERE county_id = $1 AND state = 'approved' AND effective_from <= $2::date`, [
      countyId,
      asOf,
    ]);
  }

  async propose(actor: Actor, dto: ProposePolicyDto): Promise<PolicyChangeView> {
    assertNotPast(dto.effectiveFrom, this.clock.today());
    const problem = policyValueProblem(dto.key, dto.value);
    if (problem) throw new DomainError(ErrorCode.ValidationFailed, `${dto.key}: ${problem}`, { fields: [{ field: 'value', message: problem }] });
    return inTransaction(this.ds, async (em) => {
      const [row] = await selectRows(
        em,
        ChangeRow,
        `INSERT INTO policy_changes (county_id, key, value, effective_from, reason, state, proposed_by)
         VALUES ($1, $2, $3, $4, $5, 'proposed', $6) RETURNING ${COLUMNS}`,
        [actor.county.id, dto.key, dto.value, dto.effectiveFrom, dto.reason, actor.userId],
      );
      const change = view(row);
      await this.audit.append(em, actor, 'policy.change.proposed', { ...change });
      return change;
    });
  }

  async approve(actor: Actor, id: number): Promise<PolicyChangeView> {
    return inTransaction(this.ds, async (em) => {
      const proposed = await selectOne(em, ChangeRow, `SELECT ${COLUMNS} FROM policy_changes WHERE id = $1 AND county_id = $2 FOR UPDATE`, [
        id,
        actor.county.id,
      ]);
      if (!proposed) throw new DomainError(ErrorCode.NotFound, `No policy change ${id}`);
      if (proposed.state !== 'proposed') throw new DomainError(ErrorCode.InvalidState, `Policy change ${id} is already approved`);
      assertNewHand([{ step: 'propose', userId: proposed.proposedBy }], { step: 'approve', userId: actor.userId! });
      assertNotPast(proposed.effectiveFrom, this.clock.today());
      const same = await selectOne(
        em,
        IdRow,
        `SELECT id FROM policy_changes WHERE county_id = $1 AND key = $2 AND effective_from = $3 AND state = 'approved'`,
        [actor.county.id, proposed.key, proposed.effectiveFrom],
      );
      if (same) throw new DomainError(ErrorCode.InvalidState, `Change ${same.id} already sets ${proposed.key} from ${proposed.effectiveFrom}`);
      const [updated] = await selectRows(
        em,
        ChangeRow,
        `UPDATE policy_changes SET state = 'approved', approved_by = $2, approved_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, actor.userId],
      );
      const change = view(updated);
      await this.audit.append(em, actor, 'policy.change.approved', { ...change });
      return change;
    });
  }

  async list(actor: Actor): Promise<PolicyChangeView[]> {
    const rows = await selectRows(this.ds, ChangeRow, `SELECT ${COLUMNS} FROM policy_changes WHERE county_id = $1 ORDER BY id`, [actor.county.id]);
    return rows.map(view);
  }
}

/** A change never rewrites the rule in force for postings already made: it takes effect today at the earliest. */
export function takesEffectInPast(effectiveFrom: string, today: string): boolean {
  return effectiveFrom < today;
}

function assertNotPast(effectiveFrom: string, today: string): void {
  if (takesEffectInPast(effectiveFrom, today)) {
    throw new DomainError(ErrorCode.ValidationFailed, `A policy change cannot take effect in the past (${effectiveFrom})`, {
      fields: [{ field: 'effectiveFrom', message: 'today or later' }],
    });
  }
}

/** The change with what is worth a second look about its value. */
function view(row: ChangeRow): PolicyChangeView {
  const warning = policyWarning(row.key, row.value);
  return { ...row, warnings: warning ? [warning] : [] };
}
