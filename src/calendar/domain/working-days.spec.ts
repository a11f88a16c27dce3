import fc from 'fast-check';
import { NATIONAL_2026, noticeExceptions } from './national-2026';
import {
  CalendarException,
  DEFAULT_CALENDAR,
  WorkingCalendar,
  addDays,
  addWorkingDays,
  calendarOf,
  dateOf,
  dayChangeProblem,
  dayNumber,
  exceptionProblem,
  isCalendarDate,
  isWorkingDay,
  isoWeekday,
} from './working-days';

const CAL_2026 = calendarOf(noticeExceptions(NATIONAL_2026));

describe('the 2026 national calendar', () => {
  it('stores only what departs from the default rule: holidays on weekdays and worked weekend days', () => {
    expect(noticeExceptions(NATIONAL_2026).map((e) => `${e.day} ${e.kind} ${e.name}`)).toEqual([
      '2026-01-01 holiday 元旦',
      '2026-01-02 holiday 元旦',
      '2026-01-04 workday 元旦',
      '2026-02-14 workday 春節',
      '2026-02-16 holiday 春節',
      '2026-02-17 holiday 春節',
      '2026-02-18 holiday 春節',
      '2026-02-19 holiday 春節',
      '2026-02-20 holiday 春節',
      '2026-02-23 holiday 春節',
      '2026-02-28 workday 春節',
      '2026-04-06 holiday 清明節',
      '2026-05-01 holiday 勞動節',
      '2026-05-04 holiday 勞動節',
      '2026-05-05 holiday 勞動節',
      '2026-05-09 workday 勞動節',
      '2026-06-19 holiday 端午節',
      '2026-09-20 workday 國慶節',
      '2026-09-25 holiday 中秋節',
      '2026-10-01 holiday 國慶節',
      '2026-10-02 holiday 國慶節',
      '2026-10-05 holiday 國慶節',
      '2026-10-06 holiday 國慶節',
      '2026-10-07 holiday 國慶節',
      '2026-10-10 workday 國慶節',
    ]);
  });

  it('gives each holiday as many consecutive days off as the notice counts (共3天, 共9天, …)', () => {
    const daysOff = (from: string, to: string) => {
      let n = 0;
      for (let d = from; d <= to; d = addDays(d, 1)) n += isWorkingDay(CAL_2026, d) ? 0 : 1;
      return n;
    };
    expect(NATIONAL_2026.holidays.map((h) => [h.name, daysOff(h.from, h.to), isWorkingDay(CAL_2026, addDays(h.from, -1))])).toEqual([
      ['元旦', 3, true],
      ['春節', 9, true],
      ['清明節', 3, true],
      ['勞動節', 5, true],
      ['端午節', 3, true],
      ['中秋節', 3, true],
      ['國慶節', 7, true],
    ]);
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-10-01', false, 'National Day, a Thursday'],
    ['2026-10-03', false, 'a Saturday inside the National Day week: rest by the default rule, not stored'],
    ['2026-10-08', true, 'the Thursday after the National Day week'],
    ['2026-10-10', true, 'an adjusted working Saturday'],
    ['2026-09-20', true, 'an adjusted working Sunday'],
    ['2026-01-04', true, 'the Sunday worked for 元旦'],
    ['2026-03-07', false, 'an ordinary Saturday'],
    ['2026-03-09', true, 'an ordinary Monday'],
    ['2027-10-01', true, 'a Friday of a year not loaded: the default rule'],
  ])('%s is a working day: %s (%s)', (day, working) => {
    expect(isWorkingDay(CAL_2026, day)).toBe(working);
  });
});

describe('addWorkingDays over the 2026 calendar', () => {
  it.each([
    ['2026-02-10', 20, '2026-03-16', 'a Tuesday before the Spring Festival: the worked Saturdays 2-14 and 2-28 count, 2-15…2-23 do not'],
    ['2026-09-25', 20, '2026-10-29', 'from the 中秋 holiday, across the National Day week and its worked Saturday 10-10'],
    ['2026-09-30', 20, '2026-11-03', 'from the last working day before National Day'],
    ['2026-09-18', 5, '2026-09-24', 'the worked Sunday 9-20 is the first'],
    ['2026-09-30', 1, '2026-10-08', 'the next working day after National Day'],
    ['2026-10-01', 0, '2026-10-01', 'zero days is the date itself, even a holiday'],
    ['2026-10-03', 1, '2026-10-08', 'starting on a Saturday inside the holiday'],
    ['2026-10-10', 1, '2026-10-12', 'starting on an adjusted working Saturday: it is not counted'],
    ['2026-02-28', 1, '2026-03-02', 'starting on the worked Saturday after the Spring Festival'],
    ['2026-02-13', 1, '2026-02-14', 'a Friday whose next working day is a Saturday'],
    ['2026-02-14', 1, '2026-02-24', 'from the worked Saturday over the nine days off'],
    ['2026-01-03', 1, '2026-01-04', 'a holiday Saturday to the worked Sunday'],
    ['2025-12-31', 1, '2026-01-04', 'across the new year'],
    ['2026-04-30', 1, '2026-05-06', 'over Labour Day'],
    ['2026-04-30', 4, '2026-05-09', 'to the worked Saturday after Labour Day'],
    ['2026-12-31', 1, '2027-01-01', 'into a year not loaded: the default rule'],
  ])('%s + %i working days = %s (%s)', (from, n, expected) => {
    expect(addWorkingDays(CAL_2026, from, n)).toBe(expected);
  });

  it('refuses what is not a date or not a whole number of days', () => {
    expect(() => addWorkingDays(CAL_2026, '2026-02-30', 1)).toThrow(RangeError);
    expect(() => addWorkingDays(CAL_2026, '2026-9-1', 1)).toThrow(RangeError);
    expect(() => addWorkingDays(CAL_2026, '2026-09-01', -1)).toThrow(RangeError);
    expect(() => addWorkingDays(CAL_2026, '2026-09-01', 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays(CAL_2026, '9999-12-31', 1)).toThrow(RangeError);
  });
});

describe('dates', () => {
  it('knows which dates exist', () => {
    expect(['2026-02-28', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31'].filter(isCalendarDate)).toHaveLength(5);
    expect(
      ['2026-02-29', '1900-02-29', '2026-02-30', '2026-04-31', '2026-13-01', '2026-00-10', '0000-01-01', '2026-1-01', ' 2026-01-01'].filter(isCalendarDate),
    ).toEqual([]);
  });

  it('numbers days and weekdays as the JavaScript UTC calendar does', () => {
    fc.assert(
      fc.property(fc.integer({ min: -719162, max: 2932896 }), (n) => {
        const utc = new Date(n * 86_400_000);
        const date = utc.toISOString().slice(0, 10);
        return dateOf(n) === date && dayNumber(date) === n && isoWeekday(date) === (utc.getUTCDay() || 7);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('what the calendar stores', () => {
  it('takes a holiday on a weekday and a worked day on a weekend, nothing else', () => {
    expect(exceptionProblem('2026-10-12', 'holiday')).toBeNull();
    expect(exceptionProblem('2026-10-17', 'workday')).toBeNull();
    expect(exceptionProblem('2026-10-17', 'holiday')).toMatch(/Saturday, a rest day already/);
    expect(exceptionProblem('2026-10-12', 'workday')).toMatch(/Monday, a working day already/);
  });

  it('refuses a change that changes nothing', () => {
    expect(dayChangeProblem('2026-10-12', undefined, { action: 'remove' })).toMatch(/no exception to remove/);
    expect(dayChangeProblem('2026-10-01', { kind: 'holiday', name: '國慶節' }, { action: 'set', kind: 'holiday', name: '國慶節' })).toMatch(/already/);
    expect(dayChangeProblem('2026-10-01', { kind: 'holiday', name: '國慶節' }, { action: 'set', kind: 'holiday', name: '縣慶' })).toBeNull();
    expect(dayChangeProblem('2026-10-01', { kind: 'holiday', name: '國慶節' }, { action: 'remove' })).toBeNull();
  });
});

/** Random calendars: holidays on weekdays and worked weekend days around 2025-2028, as the database allows. */
const START = dayNumber('2025-01-01');
const SPAN = 4 * 366;
const aDay = fc.integer({ min: START, max: START + SPAN }).map(dateOf);
const aCalendar: fc.Arbitrary<WorkingCalendar> = fc
  .array(aDay, { maxLength: 120 })
  .map((days) => calendarOf(days.map((day): CalendarException => ({ day, kind: isoWeekday(day) <= 5 ? 'holiday' : 'workday', name: 'test' }))));
const calendars = fc.oneof(aCalendar, fc.constant(CAL_2026), fc.constant(DEFAULT_CALENDAR));
const days = fc.integer({ min: 0, max: 300 });

/** Working days in (from, to], counted one day at a time, independently of addWorkingDays. */
function workingDaysIn(calendar: WorkingCalendar, from: string, to: string): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(calendar, d)) n += 1;
  return n;
}

describe('addWorkingDays, for any calendar, date and number', () => {
  it('answers a working day after the date, with exactly n working days in (date, answer]', () => {
    fc.assert(
      fc.property(calendars, aDay, days, (calendar, date, n) => {
        const answer = addWorkingDays(calendar, date, n);
        if (n === 0) return answer === date;
        return answer > date && isWorkingDay(calendar, answer) && workingDaysIn(calendar, date, answer) === n;
      }),
      { numRuns: 500 },
    );
  });

  it('adding m then n is adding m + n, for every m and n ≥ 0 (the start is never counted)', () => {
    fc.assert(
      fc.property(calendars, aDay, days, days, (calendar, date, m, n) => {
        return addWorkingDays(calendar, addWorkingDays(calendar, date, m), n) === addWorkingDays(calendar, date, m + n);
      }),
      { numRuns: 500 },
    );
  });

  it('answers the same from every day between two consecutive working days', () => {
    fc.assert(
      fc.property(calendars, aDay, fc.integer({ min: 1, max: 300 }), (calendar, date, n) => {
        const next = addWorkingDays(calendar, date, 1);
        for (let d = date; d < next; d = addDays(d, 1)) if (addWorkingDays(calendar, d, n) !== addWorkingDays(calendar, date, n)) return false;
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('never answers earlier when a weekday becomes a holiday, nor later when a weekend day is worked', () => {
    fc.assert(
      fc.property(calendars, aDay, aDay, fc.integer({ min: 1, max: 300 }), (calendar, date, extra, n) => {
        const kind = isoWeekday(extra) <= 5 ? 'holiday' : 'workday';
        const changed = calendarOf([...[...calendar.exceptions].map(([day, k]) => ({ day, kind: k })), { day: extra, kind }]);
        const before = addWorkingDays(calendar, date, n);
        const after = addWorkingDays(changed, date, n);
        return kind === 'holiday' ? after >= before : after <= before;
      }),
      { numRuns: 300 },
    );
  });

  it('under the default rule alone, five working days from a working day are one week', () => {
    fc.assert(
      fc.property(aDay, fc.integer({ min: 0, max: 60 }), (date, weeks) => {
        if (!isWorkingDay(DEFAULT_CALENDAR, date)) return true;
        return addWorkingDays(DEFAULT_CALENDAR, date, 5 * weeks) === addDays(date, 7 * weeks);
      }),
    );
  });
});
