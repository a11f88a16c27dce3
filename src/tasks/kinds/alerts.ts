import { z } from 'zod';
import { scopePrefix } from '../../access/scope';
import { col, selectRows } from '../../database/rows';
import { detectorById } from '../../monitoring/detectors';
import { ALERT_TRANSITIONS } from '../../monitoring/domain/alert-lifecycle';
import { SEVERITIES } from '../../monitoring/domain/detector';
import { ALERT_ANSWERERS } from '../../monitoring/monitoring-roles';
import { TASK_ITEMS, TaskKind } from '../task-kind';

const OpenAlert = z.object({
  id: col.id,
  detectorId: col.text,
  severity: z.enum(SEVERITIES),
  summary: col.text,
  unitName: col.text,
  since: col.timestamp,
  total: col.count,
});

const SEVERITY_NAMES: Record<(typeof SEVERITIES)[number], string> = { red: '紅', yellow: '黃', blue: '藍' };
/** Worst first. */
const WORST_FIRST = [...SEVERITIES].reverse();

/**
 * Alerts in the person's scope (as `GET /monitoring/alerts`) that wait to be acknowledged, red first, then the oldest.
 * Nothing of maker-checker applies, so the database counts and pages: `IDX_monitoring_alerts_list` (county, state,
 * severity) finds them.
 */
export const openAlerts: TaskKind = {
  kind: 'alert',
  roles: ALERT_ANSWERERS,
  route: 'POST /api/v1/monitoring/alerts/:id/acknowledge',
  async waiting({ db, actor }) {
    const rows = await selectRows(
      db,
      OpenAlert,
      `SELECT a.id, a.detector_id, a.severity, a.summary, u.name AS unit_name, a.created_at AS since, count(*) OVER () AS total
         FROM monitoring_alerts a JOIN org_units u ON u.id = a.unit_id
        WHERE a.county_id = $1 AND a.state = ANY($2::text[]) AND u.path LIKE $3 || '%'
        ORDER BY array_position($4::text[], a.severity::text), a.created_at, a.id
        LIMIT $5`,
      [actor.county.id, ALERT_TRANSITIONS.acknowledge.from, scopePrefix(actor), WORST_FIRST, TASK_ITEMS],
    );
    return {
      count: rows[0]?.total ?? 0,
      items: rows.map((r) => ({
        kind: 'alert',
        id: String(r.id),
        title: `【${SEVERITY_NAMES[r.severity]}】${r.detectorId} ${detectorById(r.detectorId)?.nameZh ?? ''}`.trim(),
        amount: null,
        since: r.since.toISOString(),
        detail: `${r.unitName}：${r.summary}`,
        parentId: null,
      })),
    };
  },
};
