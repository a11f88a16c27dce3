import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { col } from '../../database/rows';
import { streamRows } from '../../database/stream-rows';
import { detectorById } from '../../monitoring/detectors';
import { ExportRow, ExportTable, column } from '../table';
import { RegisterPeriod, cell, periodInstants } from './register';

const AlertRow = z.object({
  id: col.id,
  detectorId: col.text,
  severity: col.text,
  state: col.text,
  subjectType: col.text,
  subjectId: col.text,
  unit: col.text,
  unitLevel: col.text,
  summary: col.text,
  firstSeenOn: col.date,
  raisedAt: col.timestamp,
  lastSeenOn: col.date,
  acknowledgedBy: col.text.nullable(),
  explainedBy: col.text.nullable(),
  explanation: col.text.nullable(),
  closedAt: col.timestamp.nullable(),
  closedBy: col.text.nullable(),
  closedAutomatically: col.bool,
  closeReason: col.text.nullable(),
});
type AlertRow = z.infer<typeof AlertRow>;

/** Open at some time in the period: first found on or before its last day, and not closed before its first instant. */
const ALERTS = `
  SELECT a.id, a.detector_id, a.severity, a.state, a.subject_type, a.subject_id, u.name AS unit, u.level AS unit_level, a.summary,
         a.first_seen_on::text, a.created_at AS raised_at, a.last_seen_on::text, ack.username AS acknowledged_by,
         explainer.username AS explained_by, a.explanation, a.closed_at, closer.username AS closed_by, a.closed_automatically, a.close_reason
    FROM monitoring_alerts a
    JOIN org_units u ON u.id = a.unit_id
    LEFT JOIN users ack ON ack.id = a.acknowledged_by
    LEFT JOIN users explainer ON explainer.id = a.explained_by
    LEFT JOIN users closer ON closer.id = a.closed_by
   WHERE a.county_id = $1 AND a.first_seen_on <= $2::date AND (a.closed_at IS NULL OR a.closed_at >= $3)
   ORDER BY a.id`;

/** registers/alerts.csv — 監控預警: every alert open at some time in the period, as it stands at the export. */
export function alertsRegister(em: EntityManager, countyId: number, period: RegisterPeriod): ExportTable {
  const { start } = periodInstants(period);
  return {
    name: 'alerts',
    title: '監控預警',
    description:
      'Monitoring alerts open at some time in the period (first found on or before its last day, not closed before its first), in id order, as they stand at the export',
    columns: [
      column('alert_id', '預警編號', 'integer', 'The alert’s id'),
      column('detector_id', '規則編號', 'text', 'The detector that raised it (M01…), docs/monitoring.md'),
      column('detector_name', '規則名稱', 'text', 'The detector’s name in the catalogue'),
      column('severity', '等級', 'text', 'red (act now), yellow (explain soon) or blue (worth a look); never lowered while open'),
      column('state', '狀態', 'text', 'open, acknowledged, explained or closed'),
      column(
        'subject_type',
        '對象類型',
        'text',
        'What the alert is about: allocation, budget (a project’s money from one allocation), project, contract, claim, transaction, invoice, payee or notice',
      ),
      column('subject_id', '對象編號', 'text', 'The subject’s id; two ids joined by : for a pair (budget: project:allocation)'),
      column('unit', '責任單位', 'text', 'The org unit whose people answer for the subject (a project’s village; the county for county-level subjects)'),
      column('unit_level', '單位層級', 'text', 'county, township or village'),
      column('summary', '摘要', 'text', 'What was found, with the figures, as of the last run that found it'),
      column('first_seen_on', '首次發現日期', 'date', 'The day (of the monitoring calendar) the first run that found it judged'),
      column('raised_at', '預警時間', 'datetime', 'When the alert was recorded'),
      column('last_seen_on', '最近發現日期', 'date', 'The day the last run that found it judged'),
      column('acknowledged_by', '簽收人', 'text', 'Who acknowledged it (username)'),
      column('explained_by', '說明人', 'text', 'Who explained it (username)'),
      column('explanation', '情況說明', 'text', 'The explanation given'),
      column('closed_at', '關閉時間', 'datetime', 'When it was closed; empty while open'),
      column('closed_by', '關閉人', 'text', 'Who closed it (username): never its explainer; empty when a run closed it'),
      column('closed_automatically', '自動關閉', 'boolean', 'Closed by a run because its subject no longer meets the rule'),
      column('close_reason', '關閉理由', 'text', 'Why it was closed'),
    ],
    rows: (async function* (): AsyncGenerator<ExportRow> {
      for await (const a of streamRows(em, AlertRow, ALERTS, [countyId, period.to, start])) yield alertRow(a);
    })(),
  };
}

function alertRow(a: AlertRow): ExportRow {
  return [
    cell.integer(a.id),
    cell.text(a.detectorId),
    cell.text(detectorById(a.detectorId)?.nameZh ?? null),
    cell.text(a.severity),
    cell.text(a.state),
    cell.text(a.subjectType),
    cell.text(a.subjectId),
    cell.text(a.unit),
    cell.text(a.unitLevel),
    cell.text(a.summary),
    cell.date(a.firstSeenOn),
    cell.datetime(a.raisedAt),
    cell.date(a.lastSeenOn),
    cell.text(a.acknowledgedBy),
    cell.text(a.explainedBy),
    cell.text(a.explanation),
    cell.datetime(a.closedAt),
    cell.text(a.closedBy),
    cell.boolean(a.closedAutomatically),
    cell.text(a.closeReason),
  ];
}
