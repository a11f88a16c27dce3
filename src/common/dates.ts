/** The date of `at` in China (Asia/Shanghai), where every county of the ledger keeps its books: YYYY-MM-DD. */
export function chinaDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
}
