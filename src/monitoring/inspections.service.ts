import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { DomainError, ErrorCode, invalidField } from '../common/errors';
import { Clock } from '../common/clock';
import { IdRow, col, selectOne, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';
import { drawProjects } from './domain/inspection-draw';
import { severityRank } from './domain/alert-lifecycle';
import { SEVERITIES, Severity } from './domain/detector';
import { InspectionFindingDto, InspectionFindingView, InspectionPlanDto, InspectionPlanView } from './monitoring.dto';

const PlanRow = z.object({
  id: col.id,
  title: col.text,
  departments: col.textArray,
  plannedOn: col.date,
  randomCount: col.int,
  seed: col.text.nullable(),
  pool: z.array(col.id),
});
const PlanProjectRow = z.object({ projectId: col.id, name: col.text, picked: z.enum(['hand', 'random']) });
const FindingRow = z.object({
  id: col.id,
  projectId: col.id,
  finding: col.text,
  severity: col.text,
  alertId: col.id,
  recordedBy: col.text,
  recordedAt: col.timestamp,
});
const ProjectRow = z.object({ id: col.id, villageId: col.id, name: col.text });
const AlertOfProject = z.object({ id: col.id, state: col.text, severity: z.enum(SEVERITIES) });

const PLAN_COLUMNS = 'id, title, departments, planned_on::text, random_count, seed, pool';

/** States of a project under way, the pool a random pick draws from: funded (planned). */
const UNDER_WAY = ['planned'];

/**
 * Joint inspections (聯合檢查組): a plan names the departments and the projects, some by hand and some drawn with a
 * recorded seed from a recorded pool; each finding on a project links to the alert it confirms or opens one (M00).
 */
@Injectable()
export class InspectionsService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async plan(actor: Actor, dto: InspectionPlanDto): Promise<InspectionPlanView> {
    if (dto.plannedOn < this.clock.today()) throw invalidField('plannedOn', 'today or later');
    if (new Set(dto.departments).size < 2) throw invalidField('departments', 'a joint inspection has at least two different departments');
    const byHand = [...new Set(dto.projectIds ?? [])];
    const randomCount = dto.randomCount ?? 0;
    if (byHand.length + randomCount === 0) throw invalidField('projectIds', 'name projects, or ask for a random pick (randomCount), or both');
    const id = await inTransaction(this.ds, async (em) => {
      const known = await selectRows(em, IdRow, `SELECT id FROM projects WHERE county_id = $1 AND id = ANY($2::int[])`, [actor.county.id, byHand]);
      const missing = byHand.filter((p) => !known.some((k) => k.id === p));
      if (missing.length > 0) throw invalidField('projectIds', `no project ${missing.join(', ')} in this county`);
      const pool = (
        await selectRows(em, IdRow, `SELECT id FROM projects WHERE county_id = $1 AND state = ANY($2::text[]) AND NOT (id = ANY($3::int[])) ORDER BY id`, [
          actor.county.id,
          UNDER_WAY,
          byHand,
        ])
      ).map((r) => r.id);
      if (randomCount > pool.length) throw invalidField('randomCount', `only ${pool.length} projects under way are left to draw from`);
      const seed = randomCount > 0 ? randomBytes(16).toString('hex') : null;
      const drawn = seed ? drawProjects(seed, pool, randomCount) : [];
      const [plan] = await selectRows(
        em,
        IdRow,
        `INSERT INTO inspection_plans (county_id, title, departments, planned_on, random_count, seed, pool, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [actor.county.id, dto.title, dto.departments, dto.plannedOn, randomCount, seed, seed ? pool : [], actor.userId],
      );
      await em.query(
        `INSERT INTO inspection_plan_projects (plan_id, project_id, picked)
         SELECT $1::int, p, 'hand' FROM unnest($2::int[]) p UNION ALL SELECT $1::int, p, 'random' FROM unnest($3::int[]) p`,
        [plan.id, byHand, drawn],
      );
      await this.audit.append(em, actor, 'monitoring.inspection.planned', {
        planId: plan.id,
        title: dto.title,
        departments: dto.departments,
        plannedOn: dto.plannedOn,
        byHand,
        seed,
        pool: seed ? pool : [],
        drawn,
      });
      return plan.id;
    });
    return this.get(actor, id);
  }

  async get(actor: Actor, id: number): Promise<InspectionPlanView> {
    const plan = await selectOne(this.ds, PlanRow, `SELECT ${PLAN_COLUMNS} FROM inspection_plans WHERE id = $1 AND county_id = $2`, [id, actor.county.id]);
    if (!plan) throw new DomainError(ErrorCode.NotFound, `No inspection plan ${id}`);
    const projects = await selectRows(
      this.ds,
      PlanProjectRow,
      `SELECT pp.project_id, p.name, pp.picked FROM inspection_plan_projects pp JOIN projects p ON p.id = pp.project_id WHERE pp.plan_id = $1 ORDER BY pp.picked, pp.project_id`,
      [id],
    );
    const findings = await selectRows(
      this.ds,
      FindingRow,
      `SELECT f.id, f.project_id, f.finding, f.severity, f.alert_id, u.username AS recorded_by, f.recorded_at
         FROM inspection_findings f JOIN users u ON u.id = f.recorded_by WHERE f.plan_id = $1 ORDER BY f.id`,
      [id],
    );
    const drawn = projects.filter((p) => p.picked === 'random').map((p) => p.projectId);
    const redrawn = plan.seed ? drawProjects(plan.seed, plan.pool, plan.randomCount) : [];
    return {
      ...plan,
      projects,
      findings: findings.map(findingView),
      drawReproduced: [...redrawn].sort((a, b) => a - b).join() === [...drawn].sort((a, b) => a - b).join(),
    };
  }

  async list(actor: Actor): Promise<InspectionPlanView[]> {
    const ids = await selectRows(this.ds, IdRow, `SELECT id FROM inspection_plans WHERE county_id = $1 ORDER BY id DESC LIMIT 100`, [actor.county.id]);
    return Promise.all(ids.map((r) => this.get(actor, r.id)));
  }

  async recordFinding(actor: Actor, planId: number, dto: InspectionFindingDto): Promise<InspectionFindingView> {
    return inTransaction(this.ds, async (em) => {
      const inPlan = await selectOne(
        em,
        ProjectRow,
        `SELECT p.id, p.village_id, p.name FROM inspection_plan_projects pp JOIN inspection_plans i ON i.id = pp.plan_id JOIN projects p ON p.id = pp.project_id
          WHERE pp.plan_id = $1 AND i.county_id = $2 AND pp.project_id = $3`,
        [planId, actor.county.id, dto.projectId],
      );
      if (!inPlan) throw invalidField('projectId', `project ${dto.projectId} is not in inspection plan ${planId}`);
      const [{ id: findingId }] = await selectRows(em, IdRow, `SELECT nextval(pg_get_serial_sequence('inspection_findings', 'id'))::int AS id`);
      let alertId = dto.alertId;
      if (alertId !== undefined) {
        // The alert confirmed is open and about this project (its subject, its budget, or its evidence names it).
        const alert = await selectOne(
          em,
          AlertOfProject,
          `SELECT id, state, severity FROM monitoring_alerts
            WHERE id = $1 AND county_id = $2 AND state <> 'closed'
              AND ((subject_type = 'project' AND subject_id = $3::text) OR (subject_type = 'budget' AND subject_id LIKE $3::text || ':%')
                   OR evidence->>'projectId' = $3::text)
            FOR UPDATE`,
          [alertId, actor.county.id, dto.projectId],
        );
        if (!alert) throw invalidField('alertId', `no open alert ${alertId} about project ${dto.projectId}`);
        if (severityRank(dto.severity as Severity) > severityRank(alert.severity)) {
          await em.query(`UPDATE monitoring_alerts SET severity = $2, state = 'open' WHERE id = $1`, [alertId, dto.severity]);
          await em.query(`INSERT INTO monitoring_alert_history (alert_id, action, state, severity, actor_id, note) VALUES ($1, 'raised', 'open', $2, $3, $4)`, [
            alertId,
            dto.severity,
            actor.userId,
            `inspection plan ${planId}: ${dto.finding}`.slice(0, 2000),
          ]);
          await this.audit.append(em, actor, 'monitoring.alert.raised', { alertId, from: alert.severity, to: dto.severity, planId, projectId: dto.projectId });
        }
      } else {
        const [opened] = await selectRows(
          em,
          IdRow,
          `INSERT INTO monitoring_alerts (county_id, detector_id, subject_type, subject_id, unit_id, severity, state, summary, evidence, first_seen_on, last_seen_on)
           VALUES ($1, 'M00', 'inspection_finding', $2, $3, $4, 'open', $5, $6, $7, $7) RETURNING id`,
          [
            actor.county.id,
            String(findingId),
            inPlan.villageId,
            dto.severity,
            `聯合檢查發現（項目「${inPlan.name}」）：${dto.finding}`.slice(0, 500),
            JSON.stringify({ planId, projectId: dto.projectId, findingId }),
            this.clock.today(),
          ],
        );
        alertId = opened.id;
        await em.query(`INSERT INTO monitoring_alert_history (alert_id, action, state, severity, actor_id, note) VALUES ($1, 'opened', 'open', $2, $3, $4)`, [
          alertId,
          dto.severity,
          actor.userId,
          `inspection plan ${planId}`,
        ]);
        await this.audit.append(em, actor, 'monitoring.alert.opened', {
          alertId,
          detector: 'M00',
          subject: { type: 'inspection_finding', id: String(findingId) },
          severity: dto.severity,
          planId,
          projectId: dto.projectId,
        });
      }
      await em.query(
        `INSERT INTO inspection_findings (id, county_id, plan_id, project_id, finding, severity, alert_id, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [findingId, actor.county.id, planId, dto.projectId, dto.finding, dto.severity, alertId, actor.userId],
      );
      await this.audit.append(em, actor, 'monitoring.inspection.finding', {
        findingId,
        planId,
        projectId: dto.projectId,
        severity: dto.severity,
        finding: dto.finding,
        alertId,
        openedAlert: dto.alertId === undefined,
      });
      const [row] = await selectRows(
        em,
        FindingRow,
        `SELECT f.id, f.project_id, f.finding, f.severity, f.alert_id, u.username AS recorded_by, f.recorded_at
           FROM inspection_findings f JOIN users u ON u.id = f.recorded_by WHERE f.id = $1`,
        [findingId],
      );
      return findingView(row);
    });
  }
}

function findingView(row: z.infer<typeof FindingRow>): InspectionFindingView {
  return { ...row, recordedAt: row.recordedAt.toISOString() };
}
