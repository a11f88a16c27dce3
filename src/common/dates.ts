/** Today's date in China (Asia/Shanghai), where every county of the ledger keeps its books: YYYY-MM-DD. */
export function chinaToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}
