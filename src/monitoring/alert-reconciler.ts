import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { col, selectOne, selectRows } from '../database/rows';
import { Detector, Finding, SEVERITIES } from './domain/detector';
import { ClosedByHand, LiveAlert, reconcilePlan, storedKey } from './domain/alert-lifecycle';
import { clipped } from './detectors/shared';

const LiveRow = z.object({
  id: col.id,
  subjectType: col.text,
  subjectId: col.text,
  severity: z.enum(SEVERITIES),
  summary: col.text,
  evidence: z.record(z.string(), z.unknown()),
});
const ClosedRow = z.object({ subjectType: col.text, subjectId: col.text, severity: z.enum(SEVERITIES), findingKey: col.text });
const RootUnit = z.object({ id: col.id });
const Opened = z.object({ id: col.id, subjectType: col.text, subjectId: col.text });

export interface ReconcileCounts {
  findings: number;
  opened: number;
  updated: number;
  raised: number;
  closed: number;
}

/** The run that writes: its id, the day it judged, and the county's system actor that signs its events. */
export interface RunStamp {
  id: number;
  today: string;
  actor: Actor;
}

/**
 * Turns one detector's findings into alert changes (the plan of `reconcilePlan`) in the caller's unit of work: each
 * opening, raising and automatic closing is a history row and an audit event; a finding seen again with other
 * figures updates the alert's evidence.
 */
@Injectable()
export class AlertReconciler {
  constructor(private readonly audit: AuditLog) {}

  async apply(em: EntityManager, run: RunStamp, detector: Detector, found: readonly Finding[]): Promise<ReconcileCounts> {
    // A summary is one line a clerk reads: a long list of lines or entries is cut, never refused by the column.
    const findings = found.map((f) => ({ ...f, summary: clipped(f.summary) }));
    const countyId = run.actor.county.id;
    const live: LiveAlert[] = await selectRows(
      em,
      LiveRow,
      `SELECT id, subject_type, subject_id, severity, summary, evidence FROM monitoring_alerts
        WHERE county_id = $1 AND detector_id = $2 AND state <> 'closed' FOR UPDATE`,
      [countyId, detector.id],
    );
    const closedByHand: ClosedByHand[] = findings.length
      ? await selectRows(
          em,
          ClosedRow,
          `SELECT subject_type, subject_id, severity, finding_key FROM monitoring_alerts
            WHERE county_id = $1 AND detector_id = $2 AND state = 'closed' AND NOT closed_automatically
              AND subject_id = ANY($3::text[])`,
          [countyId, detector.id, [...new Set(findings.map((f) => f.subjectId))]],
        )
      : [];
    const plan = reconcilePlan(live, findings, closedByHand);
    const counts: ReconcileCounts = { findings: findings.length, opened: 0, updated: 0, raised: 0, closed: 0 };

    if (plan.open.length > 0) {
      const root = await selectOne(em, RootUnit, `SELECT id FROM org_units WHERE county_id = $1 AND parent_id IS NULL`, [countyId]);
      const opened = await selectRows(
        em,
        Opened,
        `INSERT INTO monitoring_alerts (county_id, detector_id, subject_type, subject_id, unit_id, severity, state, summary, evidence,
                                        finding_key, opened_run_id, first_seen_on, last_seen_on)
         SELECT $1, $2, f.subject_type, f.subject_id, coalesce(f.unit_id, $3), f.severity, 'open', f.summary, f.evidence, f.finding_key, $4, $5, $5
           FROM jsonb_to_recordset($6::jsonb)
             AS f(subject_type text, subject_id text, unit_id int, severity text, summary text, evidence jsonb, finding_key text)
         RETURNING id, subject_type, subject_id`,
        [countyId, detector.id, root!.id, run.id, run.today, JSON.stringify(plan.open.map(recordOf))],
      );
      const idOf = new Map(opened.map((o) => [`${o.subjectType}:${o.subjectId}`, o.id]));
      for (const f of plan.open) {
        const alertId = idOf.get(`${f.subjectType}:${f.subjectId}`)!;
        await this.record(em, run, alertId, 'opened', 'open', f.severity, f.summary);
        await this.audit.append(em, run.actor, 'monitoring.alert.opened', {
          alertId,
          detector: detector.id,
          subject: { type: f.subjectType, id: f.subjectId },
          severity: f.severity,
          summary: f.summary,
          evidence: f.evidence,
          runId: run.id,
        });
      }
      counts.opened = opened.length;
    }

    for (const { alert, finding, raise, changed } of plan.seen) {
      const severity = raise ? finding.severity : alert.severity;
      // A worse finding asks for a fresh look: an acknowledged or explained alert goes back to open.
      await em.query(
        `UPDATE monitoring_alerts SET severity = $2, summary = $3, evidence = $4, finding_key = $5, last_seen_on = $6,
                state = CASE WHEN $7::boolean THEN 'open' ELSE state END
          WHERE id = $1`,
        [alert.id, severity, finding.summary, JSON.stringify(finding.evidence), storedKey(finding.key), run.today, raise],
      );
      if (raise) {
        counts.raised++;
        await this.record(em, run, alert.id, 'raised', 'open', severity, finding.summary);
        await this.audit.append(em, run.actor, 'monitoring.alert.raised', {
          alertId: alert.id,
          detector: detector.id,
          from: alert.severity,
          to: severity,
          evidence: finding.evidence,
          runId: run.id,
        });
      } else if (changed) counts.updated++;
    }

    for (const alert of plan.close) {
      const reason = `第 ${run.id} 次檢查未再發現：${detector.nameZh}的條件已不成立`;
      await em.query(
        `UPDATE monitoring_alerts SET state = 'closed', closed_at = now(), close_reason = $2, closed_automatically = true, last_seen_on = $3 WHERE id = $1`,
        [alert.id, reason, run.today],
      );
      await this.record(em, run, alert.id, 'closed_automatically', 'closed', alert.severity, reason);
      await this.audit.append(em, run.actor, 'monitoring.alert.closed', {
        alertId: alert.id,
        detector: detector.id,
        automatically: true,
        reason,
        runId: run.id,
      });
      counts.closed++;
    }
    return counts;
  }

  /** A history row written by the run; `state` null: the alert's state is unchanged. */
  private async record(em: EntityManager, run: RunStamp, alertId: number, action: string, state: string | null, severity: string, note: string): Promise<void> {
    await em.query(
      `INSERT INTO monitoring_alert_history (alert_id, action, state, severity, run_id, note)
       SELECT id, $2, coalesce($3, state), $4, $5, $6 FROM monitoring_alerts WHERE id = $1`,
      [alertId, action, state, severity, run.id, note],
    );
  }
}

function recordOf(f: Finding) {
  return {
    subject_type: f.subjectType,
    subject_id: f.subjectId,
    unit_id: f.unitId,
    severity: f.severity,
    summary: f.summary,
    evidence: f.evidence,
    finding_key: storedKey(f.key),
  };
}
