import { CalendarException, addDays, exceptionProblem } from './working-days';

/** A State Council notice of public holidays (國務院辦公廳關於…年部分節假日安排的通知), in its own terms. */
export interface HolidayNotice {
  year: number;
  title: string;
  issued: string;
  holidays: readonly {
    name: string;
    /** The days off (放假調休), first and last, as the notice gives them. */
    from: string;
    to: string;
    /** Weekend days worked instead (上班). */
    workdays: readonly string[];
  }[];
}

/**
 * 國務院辦公廳關於2026年部分節假日安排的通知, dated 4 November 2025 (國辦發明電〔2025〕7號: the number as we were given
 * it; the texts checked do not print it). Every date and total checked against the text Xinhua published and gmw.cn,
 * cnr.cn and city papers reprinted (docs/architecture.md, "County calendar"). The CountyCalendar migration loads
 * exactly `noticeExceptions(NATIONAL_2026)` for every county; the calendar e2e test holds the two equal.
 */
export const NATIONAL_2026: HolidayNotice = {
  year: 2026,
  title: '國務院辦公廳關於2026年部分節假日安排的通知',
  issued: '2025-11-04',
  holidays: [
    { name: '元旦', from: '2026-01-01', to: '2026-01-03', workdays: ['2026-01-04'] },
    { name: '春節', from: '2026-02-15', to: '2026-02-23', workdays: ['2026-02-14', '2026-02-28'] },
    { name: '清明節', from: '2026-04-04', to: '2026-04-06', workdays: [] },
    { name: '勞動節', from: '2026-05-01', to: '2026-05-05', workdays: ['2026-05-09'] },
    { name: '端午節', from: '2026-06-19', to: '2026-06-21', workdays: [] },
    { name: '中秋節', from: '2026-09-25', to: '2026-09-27', workdays: [] },
    { name: '國慶節', from: '2026-10-01', to: '2026-10-07', workdays: ['2026-09-20', '2026-10-10'] },
  ],
};

/** What a notice changes in the default rule: its days off that fall on weekdays and its worked weekend days, by date. */
export function noticeExceptions(notice: HolidayNotice): CalendarException[] {
  const exceptions: CalendarException[] = [];
  for (const h of notice.holidays) {
    for (let day = h.from; day <= h.to; day = addDays(day, 1)) {
      if (exceptionProblem(day, 'holiday') === null) exceptions.push({ day, kind: 'holiday', name: h.name });
    }
    for (const day of h.workdays) {
      const problem = exceptionProblem(day, 'workday');
      if (problem) throw new RangeError(`${notice.title}: ${problem}`);
      exceptions.push({ day, kind: 'workday', name: h.name });
    }
  }
  return exceptions.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}
