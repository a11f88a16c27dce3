import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { assertNewHand } from '../access/domain/maker-checker';
import { ORG_LEVELS } from '../access/domain/roles';
import { inScope, scopePrefix } from '../access/scope';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { DEFAULT_PAGE_SIZE } from '../common/pagination';
import { IdRow, col, selectOne, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';
import { PublicityGates } from '../publicity/publicity-gates';
import { Gate, PROJECT_STATES, Transition, checkTransitionTable, transitionFor } from './domain/lifecycle';
import { ProjectDetailView, ProjectQueryDto, ProjectView, ProposeProjectDto } from './projects.dto';

const UnitLevel = z.object({ level: z.enum(ORG_LEVELS) });
const TransitionHand = z.object({ action: col.text, actorId: col.id });
const UnitPath = z.object({ path: col.text });

/** A project as the API shows it (`ProjectView`). */
const ProjectRow = z.object({
  id: col.id,
  villageId: col.id,
  name: col.text,
  category: col.text,
  location: col.text,
  startDate: col.date,
  endDate: col.date,
  responsibleUnit: col.text,
  responsiblePerson: col.text,
  tasks: col.text,
  fundScale: col.money,
  beneficiaryHouseholds: col.int,
  poorHouseholds: col.int,
  performanceTargets: col.textArray,
  povertyMechanism: col.text,
  state: z.enum(PROJECT_STATES),
});

/** A project with its village's path, by which scope is decided. */
const ScopedProjectRow = ProjectRow.extend({ path: col.text });

const TransitionRow = z.object({
  action: col.text,
  fromState: col.text.nullable(),
  toState: col.text,
  username: col.text,
  reason: col.text,
  at: col.timestamp,
});

const SELECT = `
  SELECT p.id, p.village_id, p.name, p.category, p.location, p.start_date::text, p.end_date::text, p.responsible_unit,
         p.responsible_person, p.tasks, p.fund_scale, p.beneficiary_households, p.poor_households, p.performance_targets,
         p.poverty_mechanism, p.state, o.path
    FROM projects p JOIN org_units o ON o.id = p.village_id`;

/**
 * The project library (項目庫): a village proposes, the township reviews, the line department enters it into the
 * library; each step is a transition of the table in domain/lifecycle.ts, recorded with who, when and why.
 */
@Injectable()
export class ProjectsService implements OnModuleInit {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditLog,
    private readonly publicity: PublicityGates,
  ) {}

  onModuleInit(): void {
    checkTransitionTable();
  }

  async propose(actor: Actor, dto: ProposeProjectDto): Promise<ProjectView> {
    const unit = await selectOne(this.ds, UnitLevel, `SELECT level FROM org_units WHERE id = $1`, [actor.orgUnit!.id]);
    if (unit?.level !== 'village') {
      throw new DomainError(ErrorCode.InvalidState, 'A project is proposed by a village: your unit is not a village');
    }
    if (dto.endDate < dto.startDate) {
      throw new DomainError(ErrorCode.ValidationFailed, 'The project ends before it starts', { fields: [{ field: 'endDate', message: 'before startDate' }] });
    }
    if (dto.poorHouseholds > dto.beneficiaryHouseholds) {
      throw new DomainError(ErrorCode.ValidationFailed, 'More poor households than beneficiary households', {
        fields: [{ field: 'poorHouseholds', message: 'at most beneficiaryHouseholds' }],
      });
    }
    return inTransaction(this.ds, async (em) => {
      const [{ id }] = await selectRows(
        em,
        IdRow,
        `INSERT INTO projects (county_id, village_id, name, category, location, start_date, end_date, responsible_unit, responsible_person,
                               tasks, fund_scale, beneficiary_households, poor_households, performance_targets, poverty_mechanism, state, proposed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'proposed', $16) RETURNING id`,
        [
          actor.county.id,
          actor.orgUnit!.id,
          dto.name,
          dto.category,
          dto.location,
          dto.startDate,
          dto.endDate,
          dto.responsibleUnit,
          dto.responsiblePerson,
          dto.tasks,
          dto.fundScale,
          dto.beneficiaryHouseholds,
          dto.poorHouseholds,
          JSON.stringify(dto.performanceTargets),
          dto.povertyMechanism,
          actor.userId,
        ],
      );
      await this.record(em, actor, id, 'propose', null, 'proposed', 'proposed');
      const [project] = await selectRows(em, ProjectRow, `${SELECT} WHERE p.id = $1`, [id]);
      await this.audit.append(em, actor, 'project.proposed', { ...project });
      return project;
    });
  }

  /** Moves a project by one action of the transition table: its roles, its from-states, its gates, a new hand. */
  async transition(actor: Actor, id: number, action: string, reason: string): Promise<ProjectView> {
    const t = transitionFor(action)!;
    if (!actor.roles.some((r) => t.roles.includes(r))) {
      throw new DomainError(ErrorCode.ForbiddenRole, `Your roles do not allow ${action}`, { requires: t.roles });
    }
    return inTransaction(this.ds, async (em) => {
      const project = await this.find(em, actor, id, true);
      if (!t.from.includes(project.state)) {
        throw new DomainError(ErrorCode.InvalidState, `A project that is ${project.state} cannot be ${action}ed`, { state: project.state, action });
      }
      for (const gate of t.gates) await this.assertGate(em, actor, gate, project);
      const chain = await selectRows(em, TransitionHand, `SELECT action, actor_id FROM project_transitions WHERE project_id = $1 ORDER BY id`, [id]);
      assertNewHand(
        chain.map((c) => ({ step: c.action, userId: c.actorId })),
        { step: action, userId: actor.userId! },
      );
      return this.move(em, actor, project, t, reason);
    });
  }

  /** Within a unit of work: the project moved to `planned` when its first budget line posts. */
  async markPlanned(em: EntityManager, actor: Actor, id: number): Promise<void> {
    const rows = await selectRows(em, IdRow, `UPDATE projects SET state = 'planned' WHERE id = $1 AND state = 'in_library' RETURNING id`, [id]);
    if (rows.length > 0) {
      await this.record(em, actor, id, 'plan', 'in_library', 'planned', 'first budget line posted');
      await this.audit.append(em, actor, 'project.planned', { projectId: id });
    }
  }

  async get(actor: Actor, id: number): Promise<ProjectDetailView> {
    const project = await this.find(this.ds.manager, actor, id, false);
    const history = await selectRows(
      this.ds,
      TransitionRow,
      `SELECT t.action, t.from_state, t.to_state, u.username, t.reason, t.at FROM project_transitions t JOIN users u ON u.id = t.actor_id
        WHERE t.project_id = $1 ORDER BY t.id`,
      [id],
    );
    return {
      ...project,
      history: history.map((h) => ({
        action: h.action,
        fromState: h.fromState,
        toState: h.toState,
        actor: h.username,
        reason: h.reason,
        at: h.at.toISOString(),
      })),
    };
  }

  async list(actor: Actor, q: ProjectQueryDto): Promise<ProjectView[]> {
    const unitPath = q.unitId
      ? (await selectOne(this.ds, UnitPath, `SELECT path FROM org_units WHERE id = $1 AND county_id = $2`, [q.unitId, actor.county.id]))?.path
      : null;
    if (q.unitId && !unitPath) return [];
    return selectRows(
      this.ds,
      ProjectRow,
      `${SELECT}
        WHERE p.county_id = $1 AND o.path LIKE $2 || '%' AND ($3::text IS NULL OR o.path LIKE $3 || '%')
          AND ($4::text IS NULL OR p.state = $4) AND ($5::text IS NULL OR p.category = $5) AND p.id > $6
        ORDER BY p.id LIMIT $7`,
      [actor.county.id, scopePrefix(actor), unitPath, q.status ?? null, q.category ?? null, q.afterId ?? 0, q.limit ?? DEFAULT_PAGE_SIZE],
    );
  }

  /** A project in the actor's scope (404 otherwise), locked for update inside a unit of work when asked. */
  async find(em: EntityManager, actor: Actor, id: number, lock: boolean): Promise<ProjectView & { path: string }> {
    const project = await selectOne(em, ScopedProjectRow, `${SELECT} WHERE p.id = $1 AND p.county_id = $2 ${lock ? 'FOR UPDATE OF p' : ''}`, [
      id,
      actor.county.id,
    ]);
    if (!project || !inScope(actor, project.path)) throw new DomainError(ErrorCode.NotFound, `No project ${id}`);
    return project;
  }

  /** Entering the library waits for the project's library notice to have passed (公示制). */
  private async assertGate(em: EntityManager, actor: Actor, gate: Gate, project: ProjectView): Promise<void> {
    switch (gate) {
      case 'publicity':
        return this.publicity.assertPassed(em, actor.county.id, 'enterLibrary', project.id);
    }
  }

  private async move(em: EntityManager, actor: Actor, project: ProjectView, t: Transition, reason: string): Promise<ProjectView> {
    await em.query(`UPDATE projects SET state = $2 WHERE id = $1`, [project.id, t.to]);
    await this.record(em, actor, project.id, t.action, project.state, t.to, reason);
    const moved = { ...project, state: t.to };
    await this.audit.append(em, actor, `project.${t.action}`, { projectId: project.id, from: project.state, to: t.to, reason });
    return moved;
  }

  private async record(em: EntityManager, actor: Actor, id: number, action: string, from: string | null, to: string, reason: string): Promise<void> {
    await em.query(`INSERT INTO project_transitions (project_id, action, from_state, to_state, actor_id, reason) VALUES ($1, $2, $3, $4, $5, $6)`, [
      id,
      action,
      from,
      to,
      actor.userId,
      reason,
    ]);
  }
}
