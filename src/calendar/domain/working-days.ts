/**
 * Working days of a county (工作日): Monday to Friday work, Saturday and Sunday rest, except on the dated exceptions
 * the calendar holds — public holidays on weekdays (休) and adjusted working days on weekends (調休上班). Dates are
 * 'YYYY-MM-DD' calendar dates with no time zone: the arithmetic is on day numbers, never on Date instants.
 */
export const DAY_KINDS = ['holiday', 'workday'] as const;
export type DayKind = (typeof DAY_KINDS)[number];

/** A day on which the calendar departs from the default rule, and what it is called (春節, 國慶節, …). */
export interface CalendarException {
  day: string;
  kind: DayKind;
  name: string;
}

/** A county's exceptions by date. Days it does not hold follow the default rule. */
export interface WorkingCalendar {
  readonly exceptions: ReadonlyMap<string, DayKind>;
}

export function calendarOf(exceptions: Iterable<Pick<CalendarException, 'day' | 'kind'>>): WorkingCalendar {
  const map = new Map<string, DayKind>();
  for (const e of exceptions) {
    dayNumber(e.day);
    map.set(e.day, e.kind);
  }
  return { exceptions: map };
}

export const DEFAULT_CALENDAR: WorkingCalendar = calendarOf([]);

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `date` is written YYYY-MM-DD and exists (no 2026-02-30, no year 0). */
export function isCalendarDate(date: string): boolean {
  const m = DATE.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 (negative before), by H. Hinnant's days_from_civil. */
export function dayNumber(date: string): number {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  const [y0, m, d] = date.split('-').map(Number);
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The date of a day number (civil_from_days); years outside 1–9999 cannot be written YYYY-MM-DD. */
export function dateOf(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a day number: ${n}`);
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 1 || y > 9999) throw new RangeError(`year ${y} is outside 1–9999`);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function addDays(date: string, days: number): string {
  return dateOf(dayNumber(date) + days);
}

/** ISO weekday: 1 Monday … 7 Sunday (1970-01-01 was a Thursday). */
export function isoWeekday(date: string): number {
  return ((((dayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

/** The default rule alone: Monday–Friday work. */
export function isWeekday(date: string): boolean {
  return isoWeekday(date) <= 5;
}

export function isWorkingDay(calendar: WorkingCalendar, date: string): boolean {
  const kind = calendar.exceptions.get(date);
  if (kind === 'holiday') return false;
  if (kind === 'workday') return true;
  return isWeekday(date);
}

/**
 * The n-th working day after `date`: `date` itself is never counted, whether or not it is a working day, so 1 is the
 * next working day and 0 is `date`. Adding m then n is adding m + n.
 */
export function addWorkingDays(calendar: WorkingCalendar, date: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`working days to add must be a whole number ≥ 0, not ${n}`);
  let day = dayNumber(date);
  for (let counted = 0; counted < n;) {
    day += 1;
    if (isWorkingDay(calendar, dateOf(day))) counted += 1;
  }
  return dateOf(day);
}

/**
 * Why an exception of `kind` on `day` would not depart from the default rule, or null when it does: only a weekday
 * can be a holiday and only a Saturday or Sunday an adjusted working day. The calendar stores departures alone.
 */
export function exceptionProblem(day: string, kind: DayKind): string | null {
  const weekday = isWeekday(day);
  if (kind === 'holiday' && !weekday) return `${day} is a ${weekdayName(day)}, a rest day already: only a weekday can be a holiday`;
  if (kind === 'workday' && weekday) return `${day} is a ${weekdayName(day)}, a working day already: only a Saturday or Sunday can be an adjusted working day`;
  return null;
}

function weekdayName(date: string): string {
  return ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'][isoWeekday(date) - 1];
}

/** A proposed change of one day: set it to an exception (adding or replacing what the day holds), or remove it. */
export type DayChange = { action: 'set'; kind: DayKind; name: string } | { action: 'remove' };

/** Why `change` would change nothing on a day that now holds `current` (undefined: the default rule), or null. */
export function dayChangeProblem(day: string, current: Pick<CalendarException, 'kind' | 'name'> | undefined, change: DayChange): string | null {
  if (change.action === 'remove') return current ? null : `${day} holds no exception to remove: it follows the default rule`;
  if (current && current.kind === change.kind && current.name === change.name) return `${day} is already a ${change.kind} (${change.name})`;
  return null;
}
