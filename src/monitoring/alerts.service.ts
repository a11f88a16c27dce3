import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { scopePrefix } from '../access/scope';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { DomainError, ErrorCode, invalidField } from '../common/errors';
import { DEFAULT_PAGE_SIZE } from '../common/pagination';
import { IdRow, col, selectOne, selectRows } from '../database/rows';
import { SqlParams } from '../database/sql-params';
import { inTransaction } from '../database/unit-of-work';
import { ALERT_TRANSITIONS, AlertAction, alertActionProblem } from './domain/alert-lifecycle';
import { SEVERITIES } from './domain/detector';
import { detectorById } from './detectors';
import { AlertDetailView, AlertHistoryView, AlertQueryDto, AlertView, SummaryView } from './monitoring.dto';
import { AlertEvidenceService } from './alert-evidence.service';
import { ALERT_SELECT, AlertRow, loadAlert } from './alert-rows';

const HistoryRow = z.object({
  action: col.text,
  state: col.text,
  severity: col.text,
  actor: col.text.nullable(),
  runId: col.id.nullable(),
  note: col.text.nullable(),
  at: col.timestamp,
});
const SummaryRow = z.object({ townshipId: col.id.nullable(), townshipName: col.text, severity: z.enum(SEVERITIES), n: col.count });

/**
 * Alerts as people read and move them: lists filtered and scoped to the reader's unit (a township sees its villages'
 * alerts), one alert with its history and files, and the transitions of `ALERT_TRANSITIONS`, each a history row and
 * an audit event in one unit of work.
 */
@Injectable()
export class AlertsService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditLog,
    private readonly files: AlertEvidenceService,
  ) {}

  async list(actor: Actor, q: AlertQueryDto): Promise<AlertView[]> {
    const p = new SqlParams();
    const where = [`a.county_id = ${p.add(actor.county.id)}`, `u.path LIKE ${p.add(scopePrefix(actor))} || '%'`, `a.id > ${p.add(q.afterId ?? 0)}`];
    if (q.severity) where.push(`a.severity = ${p.add(q.severity)}`);
    if (q.detector) where.push(`a.detector_id = ${p.add(q.detector)}`);
    if (q.state) where.push(`a.state = ${p.add(q.state)}`);
    if (q.from) where.push(`a.first_seen_on >= ${p.add(q.from, '::date')}`);
    if (q.to) where.push(`a.first_seen_on <= ${p.add(q.to, '::date')}`);
    if (q.townshipId) {
      const township = await selectOne(this.ds, IdRow, `SELECT id FROM org_units WHERE id = $1 AND county_id = $2 AND level = 'township'`, [
        q.townshipId,
        actor.county.id,
      ]);
      if (!township) throw invalidField('townshipId', `no township ${q.townshipId} in this county`);
      where.push(
        `u.path LIKE (SELECT t.path FROM org_units t WHERE t.id = ${p.add(q.townshipId)} AND t.county_id = a.county_id AND t.level = 'township') || '%'`,
      );
    }
    const rows = await selectRows(
      this.ds,
      AlertRow,
      `${ALERT_SELECT} WHERE ${where.join(' AND ')} ORDER BY a.id LIMIT ${p.add(q.limit ?? DEFAULT_PAGE_SIZE)}`,
      p.values,
    );
    return rows.map(view);
  }

  async get(actor: Actor, id: number): Promise<AlertDetailView> {
    const alert = await loadAlert(this.ds.manager, actor, id, false);
    const history = await selectRows(
      this.ds,
      HistoryRow,
      `SELECT h.action, h.state, h.severity, u.username AS actor, h.run_id, h.note, h.at
         FROM monitoring_alert_history h LEFT JOIN users u ON u.id = h.actor_id WHERE h.alert_id = $1 ORDER BY h.id`,
      [id],
    );
    return { ...view(alert), history: history.map(historyView), files: await this.files.list(id) };
  }

  async act(actor: Actor, id: number, action: AlertAction, note: string | undefined): Promise<AlertView> {
    return inTransaction(this.ds, async (em) => {
      const alert = await loadAlert(em, actor, id, true);
      const problem = alertActionProblem(action, alert);
      if (problem) throw new DomainError(ErrorCode.InvalidState, `Alert ${id}: ${problem}`);
      if (action === 'close' && alert.explainedBy === actor.userId) {
        throw new DomainError(ErrorCode.SameHand, `Alert ${id} was explained by you: someone else closes it`, { step: 'close', earlierStep: 'explain' });
      }
      const to = ALERT_TRANSITIONS[action].to;
      const severity = action === 'escalate' ? 'red' : alert.severity;
      const set: Record<AlertAction, string> = {
        acknowledge: `acknowledged_by = $3`,
        explain: `explained_by = $3, explanation = $4`,
        close: `closed_by = $3, closed_at = now(), close_reason = $4`,
        // A fresh look: the explanation that was not accepted stays in the history, not on the alert.
        escalate: `severity = 'red', explained_by = NULL, explanation = NULL`,
      };
      const params: Record<AlertAction, unknown[]> = {
        acknowledge: [id, to, actor.userId],
        explain: [id, to, actor.userId, note],
        close: [id, to, actor.userId, note],
        escalate: [id, to],
      };
      await em.query(`UPDATE monitoring_alerts SET state = $2, ${set[action]} WHERE id = $1`, params[action]);
      await em.query(`INSERT INTO monitoring_alert_history (alert_id, action, state, severity, actor_id, note) VALUES ($1, $2, $3, $4, $5, $6)`, [
        id,
        PAST[action],
        to,
        severity,
        actor.userId,
        note ?? null,
      ]);
      await this.audit.append(em, actor, `monitoring.alert.${PAST[action]}`, {
        alertId: id,
        detector: alert.detectorId,
        from: alert.state,
        to,
        severity,
        note: note ?? null,
      });
      return view(await loadAlert(em, actor, id, false));
    });
  }

  /** Alerts not closed, by severity, and by township (county-level subjects apart). */
  async summary(actor: Actor): Promise<SummaryView> {
    const rows = await selectRows(
      this.ds,
      SummaryRow,
      `SELECT t.id AS township_id, coalesce(t.name, '縣級') AS township_name, a.severity, count(*) AS n
         FROM monitoring_alerts a
         JOIN org_units u ON u.id = a.unit_id
         LEFT JOIN org_units t ON t.id = nullif(split_part(u.path, '/', 3), '')::int
        WHERE a.county_id = $1 AND a.state <> 'closed' AND u.path LIKE $2 || '%'
        GROUP BY t.id, t.name, a.severity
        ORDER BY t.id NULLS FIRST`,
      [actor.county.id, scopePrefix(actor)],
    );
    const summary: SummaryView = { red: 0, yellow: 0, blue: 0, byTownship: [] };
    for (const r of rows) {
      summary[r.severity] += r.n;
      let row = summary.byTownship.find((x) => x.townshipId === r.townshipId);
      if (!row) summary.byTownship.push((row = { townshipId: r.townshipId, townshipName: r.townshipName, red: 0, yellow: 0, blue: 0 }));
      row[r.severity] += r.n;
    }
    return summary;
  }
}

const PAST: Record<AlertAction, string> = { acknowledge: 'acknowledged', explain: 'explained', close: 'closed', escalate: 'escalated' };

function view(row: AlertRow): AlertView {
  const { explainedBy: _explainedBy, ...rest } = row;
  return { ...rest, detectorName: detectorById(row.detectorId)?.nameZh ?? (row.detectorId === 'M00' ? '聯合檢查發現' : row.detectorId) };
}

function historyView(row: z.infer<typeof HistoryRow>): AlertHistoryView {
  return { ...row, at: row.at.toISOString() };
}
