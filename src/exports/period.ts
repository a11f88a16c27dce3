import { DomainError, invalidField } from '../common/errors';
import { isCalendarDay } from '../common/dates';
import { Period } from '../ledger/ledger-books';

/** The one rule of an export's period: two calendar days, `from` on or before `to`; the refusal names the field. */
export function periodProblem(period: Period): DomainError | null {
  for (const field of ['from', 'to'] as const) {
    if (!isCalendarDay(period[field])) return invalidField(field, `${field} must be a calendar day YYYY-MM-DD`);
  }
  return period.to < period.from ? invalidField('to', 'to must be on or after from') : null;
}
