import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { scopePrefix } from '../access/scope';
import { Actor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { col, selectOne } from '../database/rows';
import { ALERT_STATES } from './domain/alert-lifecycle';
import { SEVERITIES } from './domain/detector';

export const AlertRow = z.object({
  id: col.id,
  detectorId: col.text,
  subjectType: col.text,
  subjectId: col.text,
  unitId: col.id,
  unitName: col.text,
  severity: z.enum(SEVERITIES),
  state: z.enum(ALERT_STATES),
  summary: col.text,
  evidence: z.record(z.string(), z.unknown()),
  firstSeenOn: col.date,
  lastSeenOn: col.date,
  explanation: col.text.nullable(),
  explainedBy: col.id.nullable(),
  closeReason: col.text.nullable(),
  closedAutomatically: col.bool,
});
export type AlertRow = z.infer<typeof AlertRow>;

export const ALERT_SELECT = `
  SELECT a.id, a.detector_id, a.subject_type, a.subject_id, a.unit_id, u.name AS unit_name, a.severity, a.state, a.summary, a.evidence,
         a.first_seen_on::text, a.last_seen_on::text, a.explanation, a.explained_by, a.close_reason, a.closed_automatically
    FROM monitoring_alerts a JOIN org_units u ON u.id = a.unit_id`;

/** An alert of the actor's scope (404 otherwise, as for anything out of scope), locked when it is to change. */
export async function loadAlert(em: EntityManager, actor: Actor, id: number, forUpdate: boolean): Promise<AlertRow> {
  const alert = await selectOne(
    em,
    AlertRow,
    `${ALERT_SELECT} WHERE a.id = $1 AND a.county_id = $2 AND u.path LIKE $3 || '%' ${forUpdate ? 'FOR UPDATE OF a' : ''}`,
    [id, actor.county.id, scopePrefix(actor)],
  );
  if (!alert) throw new DomainError(ErrorCode.NotFound, `No alert ${id}`);
  return alert;
}
