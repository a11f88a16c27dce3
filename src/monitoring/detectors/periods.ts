import { dayNumber } from '../../calendar/domain/working-days';
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
