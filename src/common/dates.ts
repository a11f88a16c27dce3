/** The date of `at` in China (Asia/Shanghai), where every county of the ledger keeps its books: YYYY-MM-DD. */
export function chinaDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
}

/** A day written YYYY-MM-DD that the calendar has (2026-02-30 is not: its noon would roll over into March). */
export function isCalendarDay(day: string): boolean {
  const noon = new Date(`${day}T12:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(noon.getTime()) && noon.toISOString().slice(0, 10) === day;
}
