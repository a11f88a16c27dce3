/** A decimal amount string with thousands separators, as printed: 21714000.00 → 21,714,000.00. */
export function formatWithSeparators(amount: string): string {
  const [int, frac = '00'] = amount.split('.');
  const negative = int.startsWith('-');
  const digits = negative ? int.slice(1) : int;
  return `${negative ? '-' : ''}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac.padEnd(2, '0')}`;
}
