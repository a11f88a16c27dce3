import Decimal from 'decimal.js';

/** What the API accepts as an amount: positive, at most two decimals, at most 16 integer digits. */
export const AMOUNT_PATTERN = /^(?:0|[1-9][0-9]{0,15})(?:\.[0-9]{1,2})?$/;

/**
 * An amount as a clerk reads it: thousands separators and two decimals, from the API's exact string (never a JS
 * number). `formatMoney('1234567.8')` is `1,234,567.80`; null or an empty string is an empty cell.
 */
export function formatMoney(amount: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '';
  const fixed = new Decimal(amount).toFixed(2);
  const negative = fixed.startsWith('-');
  const [whole, fraction] = (negative ? fixed.slice(1) : fixed).split('.');
  return `${negative ? '-' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

/** The exact sum of amounts given as strings; blanks count as zero. Answered with two decimals. */
export function sumMoney(amounts: readonly (string | null | undefined)[]): string {
  return amounts.reduce<Decimal>((sum, a) => (a && AMOUNT_PATTERN.test(a.trim()) ? sum.plus(a.trim()) : sum), new Decimal(0)).toFixed(2);
}

/** A date as YYYY-MM-DD: an API date passes as it is, a timestamp is shown in the browser's own day. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A timestamp as YYYY-MM-DD HH:mm in the browser's time zone. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${formatDate(value)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Today in the browser, as YYYY-MM-DD (a default for date fields; the service's own clock decides every rule). */
export function today(): string {
  return formatDate(new Date().toISOString());
}
