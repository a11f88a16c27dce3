import { createHash } from 'node:crypto';
import { canonicalJson } from '../../audit/domain/chain';
import { Finding, SEVERITIES, Severity } from './detector';

export const ALERT_STATES = ['open', 'acknowledged', 'explained', 'closed'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const ALERT_ACTIONS = ['acknowledge', 'explain', 'close', 'escalate'] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

/**
 * What people do to an alert: acknowledge that they saw it, explain it (text, and evidence files), close an explained
 * alert (someone other than who explained it), or escalate it to red, which sends it back to open for a fresh look.
 */
export const ALERT_TRANSITIONS: Record<AlertAction, { from: readonly AlertState[]; to: AlertState }> = {
  acknowledge: { from: ['open'], to: 'acknowledged' },
  explain: { from: ['open', 'acknowledged'], to: 'explained' },
  close: { from: ['explained'], to: 'closed' },
  escalate: { from: ['open', 'acknowledged', 'explained'], to: 'open' },
};

/** Why an action cannot be taken on an alert, or null. */
export function alertActionProblem(action: AlertAction, alert: { state: AlertState; severity: Severity }): string | null {
  const t = ALERT_TRANSITIONS[action];
  if (!t.from.includes(alert.state)) return `an alert that is ${alert.state} cannot be ${PAST[action]}; it must be ${t.from.join(' or ')}`;
  if (action === 'escalate' && alert.severity === 'red' && alert.state === 'open') return 'the alert is already red and open';
  return null;
}

const PAST: Record<AlertAction, string> = { acknowledge: 'acknowledged', explain: 'explained', close: 'closed', escalate: 'escalated' };

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** An alert not closed, as a run sees it. */
export interface LiveAlert {
  id: number;
  subjectType: string;
  subjectId: string;
  severity: Severity;
  summary: string;
  evidence: Record<string, unknown>;
}

/** An alert a person closed about a subject: the run leaves the subject alone until the finding is worse or changes. */
export interface ClosedByHand {
  subjectType: string;
  subjectId: string;
  severity: Severity;
  findingKey: string;
}

export interface ReconcilePlan {
  open: Finding[];
  /** Seen again: `raise` when the finding is worse than the alert; `changed` when its summary or evidence moved. */
  seen: { alert: LiveAlert; finding: Finding; raise: boolean; changed: boolean }[];
  /** No longer found: the subject meets the rule again. */
  close: LiveAlert[];
}

export function subjectKey(s: { subjectType: string; subjectId: string }): string {
  return `${s.subjectType}:${s.subjectId}`;
}

/**
 * How one detector's findings change its alerts: a new subject opens an alert (unless a person closed one about it at
 * the same or a worse severity with the same finding key), a subject found again updates its alert and raises it when
 * the finding is worse (severity never falls while open), and an alert whose subject is no longer found closes by
 * itself.
 */
export function reconcilePlan(live: readonly LiveAlert[], findings: readonly Finding[], closedByHand: readonly ClosedByHand[]): ReconcilePlan {
  const byKey = new Map(live.map((a) => [subjectKey(a), a]));
  const closed = new Map<string, ClosedByHand[]>();
  for (const c of closedByHand) closed.set(subjectKey(c), [...(closed.get(subjectKey(c)) ?? []), c]);
  const plan: ReconcilePlan = { open: [], seen: [], close: [] };
  const found = new Set<string>();
  for (const f of findings) {
    const k = subjectKey(f);
    if (found.has(k)) throw new Error(`a detector found ${k} twice in one run`);
    found.add(k);
    const alert = byKey.get(k);
    if (alert) {
      const raise = severityRank(f.severity) > severityRank(alert.severity);
      const changed = raise || f.summary !== alert.summary || canonicalJson(f.evidence) !== canonicalJson(alert.evidence);
      plan.seen.push({ alert, finding: f, raise, changed });
      continue;
    }
    const answered = (closed.get(k) ?? []).some((c) => c.findingKey === storedKey(f.key) && severityRank(f.severity) <= severityRank(c.severity));
    if (!answered) plan.open.push(f);
  }
  plan.close = live.filter((a) => !found.has(subjectKey(a)));
  return plan;
}

/** A finding's key as the alert stores it: itself, or its SHA-256 when longer than the column (500). */
export function storedKey(key: string | undefined): string {
  const k = key ?? '';
  return k.length <= 500 ? k : `sha256:${createHash('sha256').update(k).digest('hex')}`;
}
