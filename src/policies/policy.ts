import { Money, isPositiveAmount } from '../common/money';

/**
 * The policy parameters of design §10: name, default, and what a value must look like. Values are kept as exact
 * decimal strings. A posting uses the value in force on its effective date.
 */
interface Definition {
  defaultValue: string;
  check(value: string): string | null;
  /** Said with an accepted value that is allowed but worth a second look. */
  warn?(value: string): string | null;
}

const RATE = /^(0|1)(\.\d{1,4})?$/;
const DAYS = /^\d{1,4}$/;

const rate = (defaultValue: string, warn?: Definition['warn']): Definition => ({
  defaultValue,
  check: (v) => (RATE.test(v) && new Money(v).lte(1) ? null : 'a rate between 0 and 1 with at most 4 decimals, e.g. "0.15"'),
  warn,
});
const days = (defaultValue: string, min: number): Definition => ({
  defaultValue,
  check: (v) => (DAYS.test(v) && Number(v) >= min ? null : `a whole number of days, at least ${min}`),
});
const phone = (defaultValue: string): Definition => ({
  defaultValue,
  check: (v) => (/^(\d{3,4}-)?\d{5,8}$/.test(v) ? null : 'a telephone number of digits, with its area code before a hyphen, e.g. "0713-5801234"'),
});
const SCHEDULE = /^(0[1-9]|1[0-2]):(0|1)(\.\d{1,4})?$/;
const schedule = (defaultValue: string): Definition => ({
  defaultValue,
  check: (v) => (v === '' || scheduleOf(v) ? null : 'empty, or months with minimum shares spent in month order, e.g. "06:0.40,09:0.70,11:0.90"'),
});

/** A spending schedule's months (1–12) and minimum shares, ascending in both; null when it is not one. */
export function scheduleOf(value: string): { month: number; share: Money }[] | null {
  if (value === '') return [];
  const parts = value.split(',');
  if (!parts.every((p) => SCHEDULE.test(p))) return null;
  const steps = parts.map((p) => ({ month: Number(p.slice(0, 2)), share: new Money(p.slice(3)) }));
  const ascending = steps.every((s, i) => s.share.lte(1) && (i === 0 || (s.month > steps[i - 1].month && s.share.gte(steps[i - 1].share))));
  return ascending ? steps : null;
}

const amount = (defaultValue: string): Definition => ({
  defaultValue,
  check: (v) => (isPositiveAmount(v) ? null : 'a positive amount as a string, e.g. "500000.00"'),
});

export const POLICY = {
  retention_rate: rate('0.15', (v) => (new Money(v).gt('0.03') ? 'above the 3% cap of 建質〔2017〕138號 for construction contracts' : null)),
  retention_defect_days: days('0', 0),
  publicity_min_days: days('10', 1),
  /** 扶貧項目資金公告公示: information is published within 20 working days of being formed or changed. */
  publicity_due_working_days: days('20', 1),
  /** The county's own supervision telephone, printed on every notice beside 12317. */
  supervision_phone: phone('12317'),
  leader_signoff_threshold: amount('500000.00'),
  tender_required_threshold: amount('1000000.00'),
  /** Monitoring (審計署 poverty-fund audits): money unallocated, or allocated and unspent, this many days. */
  idle_fund_yellow_days: days('180', 1),
  idle_fund_red_days: days('365', 1),
  /** 長期閒置: idle two years. */
  idle_fund_long_days: days('730', 1),
  /** 保障中小企業款項支付條例 (2025): an approved claim unpaid this many days is in arrears (yellow), then red. */
  arrears_days: days('30', 1),
  arrears_red_days: days('60', 1),
  /** Retention still held this many days after its defect period ended, neither released nor forfeited. */
  retention_overdue_days: days('30', 1),
  /**
   * Spending progress: the minimum share of an allocation spent by the end of each month, `MM:share` in month order
   * (`06:0.40,09:0.70,11:0.90`). No national schedule was verified: empty until a county sets one.
   */
  spending_schedule: schedule(''),
  management_fee_cap: rate('0.01'),
  /** Claims within this share below the leader sign-off threshold count as "just under" it. */
  split_claim_margin: rate('0.10'),
  /** Contracts of one payee this many days apart are read together against the tender threshold. */
  split_window_days: days('365', 1),
  /** 建質〔2017〕138號: retention on a construction contract above this share of its price is worth explaining. */
  retention_construction_cap: rate('0.03'),
} satisfies Record<string, Definition>;

export type PolicyKey = keyof typeof POLICY;
const DEFINITIONS: Readonly<Record<string, Definition>> = POLICY;

export const POLICY_KEYS = Object.keys(POLICY) as PolicyKey[];

/** The problem with a proposed value, or null. */
export function policyValueProblem(key: string, value: string): string | null {
  const def = DEFINITIONS[key];
  return def ? def.check(value) : `unknown policy; one of ${POLICY_KEYS.join(', ')}`;
}

export function policyWarning(key: string, value: string): string | null {
  return DEFINITIONS[key]?.warn?.(value) ?? null;
}

export interface ApprovedChange {
  id: number;
  key: string;
  value: string;
  effectiveFrom: string;
}

export interface InForce {
  value: string;
  /** null: the default. */
  effectiveFrom: string | null;
  changeId: number | null;
}

/** The value of every parameter on `asOf`: the latest approved change effective by then, else the default. */
export function policyInForce(changes: readonly ApprovedChange[], asOf: string): Record<string, InForce> {
  const result: Record<string, InForce> = {};
  for (const key of POLICY_KEYS) {
    const latest = changes
      .filter((c) => c.key === key && c.effectiveFrom <= asOf)
      .sort((a, b) => (a.effectiveFrom === b.effectiveFrom ? a.id - b.id : a.effectiveFrom < b.effectiveFrom ? -1 : 1))
      .at(-1);
    result[key] = latest
      ? { value: latest.value, effectiveFrom: latest.effectiveFrom, changeId: latest.id }
      : { value: POLICY[key].defaultValue, effectiveFrom: null, changeId: null };
  }
  return result;
}
