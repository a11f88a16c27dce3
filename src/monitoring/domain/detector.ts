import { EntityManager } from 'typeorm';
import { CalendarService } from '../../calendar/calendar.service';
import { LedgerReadingService } from '../../ledger/ledger-reading.service';
import { POLICY, PolicyKey } from '../../policies/policy';

/** red: act now; yellow: explain soon; blue: worth a look (a rule that warns, not blocks). */
export const SEVERITIES = ['blue', 'yellow', 'red'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The worse of two severities. */
export function worse(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b) ? a : b;
}

/**
 * What a detector guards against: the four the source document names (轉移、挪用、拖欠、擠占), and the two the audits
 * found most (虛報冒領 false and duplicate claims, 閒置 idle money).
 */
export const GUARDS = {
  diversion: '轉移',
  misuse: '挪用',
  arrears: '拖欠',
  crowding_out: '擠占',
  false_claims: '虛報冒領',
  idle: '閒置',
} as const;
export type Guard = keyof typeof GUARDS;

/** What an alert is about. `budget` is a project's money from one allocation (`projectId:allocationId`). */
export const SUBJECT_TYPES = ['allocation', 'budget', 'project', 'contract', 'claim', 'transaction', 'invoice', 'payee', 'notice'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/** One subject a detector found breaking its rule, with what the finding rests on. */
export interface Finding {
  subjectType: SubjectType;
  /** The subject's id as text; ids joined by `:` for a pair. */
  subjectId: string;
  severity: Severity;
  /** The org unit whose people answer for the subject (a project's village); null: the county. */
  unitId: number | null;
  /** One line in Chinese, with the figures: shown in lists and to the clerk who explains it. */
  summary: string;
  /** The figures (amounts as strings) and ids behind the finding. */
  evidence: Record<string, unknown>;
  /**
   * What a person's closing answered for, when more than the severity: the ids the finding names (the claims sharing
   * an invoice, the register entries matched) or the amount at stake. A closed alert silences its subject until the
   * finding is worse or its key changes. Absent: the severity alone.
   */
  key?: string;
}

/** What a detector reads with: one unit of work (a snapshot), the county, the day judged, the policy in force that day. */
export interface DetectorContext {
  em: EntityManager;
  countyId: number;
  /** The clock's today: every period is counted to it. */
  today: string;
  /** The values of the county's policy in force on `today`. */
  policy: Readonly<Record<PolicyKey, string>>;
  ledger: LedgerReadingService;
  /** The county calendar: working days. */
  calendar: CalendarService;
}

export interface Detector {
  /** Stable: `M01`… An alert names its detector by it for ever. */
  id: string;
  nameZh: string;
  nameEn: string;
  guards: Guard;
  /** Where the rule comes from: a regulation, an audit finding, the design. */
  source: string;
  /** The severities it can raise, mildest first. */
  severities: readonly Severity[];
  /** The policy values its thresholds are. */
  policies: readonly PolicyKey[];
  /** Workflow steps right after which it runs (cheap detectors only). */
  after?: readonly WorkflowStep[];
  /** Every subject that breaks the rule today. Reads only: the runner turns findings into alerts. */
  detect(ctx: DetectorContext): Promise<Finding[]>;
}

/** Steps after which cheap detectors run. */
export const WORKFLOW_STEPS = ['claim.submitted', 'contract.signed', 'contract.paid', 'claim.paid'] as const;
export type WorkflowStep = (typeof WORKFLOW_STEPS)[number];

/** The catalogue's rules: ids unique and well formed, thresholds named as policies that exist. Answers the problems. */
export function catalogueProblems(detectors: readonly Detector[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const d of detectors) {
    if (!/^M\d{2}$/.test(d.id)) problems.push(`${d.id}: an id is M and two digits`);
    if (seen.has(d.id)) problems.push(`${d.id}: used twice`);
    seen.add(d.id);
    for (const key of d.policies) if (!(key in POLICY)) problems.push(`${d.id}: no policy ${key}`);
    if (d.severities.length === 0) problems.push(`${d.id}: raises no severity`);
  }
  return problems;
}
