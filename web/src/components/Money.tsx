import { formatMoney } from '../format';

/** An amount, right-aligned in tabular figures, with separators and two decimals. */
export function Money({ value }: { value: string | null | undefined }) {
  return <span style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{formatMoney(value)}</span>;
}

/** The column settings an amount column shares. */
export const moneyColumn = { align: 'right' as const, render: (v: string | null) => <Money value={v} /> };
