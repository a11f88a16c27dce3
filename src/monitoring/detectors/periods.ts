import { dateOf, dayNumber } from '../../calendar/domain/working-days';
import { Severity } from '../domain/detector';

/** Whole days from `from` to `to` (both YYYY-MM-DD): 0 on the same day. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** The severity of an age against thresholds, mildest first (`[[180, 'yellow'], [365, 'red']]`); null below them all. */
export function severityOfAge(days: number, thresholds: readonly (readonly [number, Severity])[]): Severity | null {
  let found: Severity | null = null;
  for (const [atLeast, severity] of thresholds) if (days >= atLeast) found = severity;
  return found;
}

/** The last day of a month (1–12) of a year, YYYY-MM-DD. */
export function lastDayOfMonth(year: number, month: number): string {
  const next = month === 12 ? `${String(year + 1).padStart(4, '0')}-01-01` : `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-01`;
  return dateOf(dayNumber(next) - 1);
}
