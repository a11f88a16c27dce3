import Decimal from 'decimal.js';
import { ValueTransformer } from 'typeorm';

/** Money is exact: decimal.js in code, numeric(20,2) in the database, a string such as "1234.56" in JSON. */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Money = Decimal;

/** A positive amount with at most 16 integer digits and 2 decimals, written plainly (no sign, exponent or spaces). */
export const AMOUNT_PATTERN = /^(0|[1-9][0-9]{0,15})(\.[0-9]{1,2})?$/;

export function isPositiveAmount(value: unknown): value is string {
  return typeof value === 'string' && AMOUNT_PATTERN.test(value) && new Money(value).gt(0);
}

export function money(value: string | Decimal): Decimal {
  return new Money(value);
}

/** Two decimals always, as the API and the database write amounts. */
export function formatMoney(value: Decimal): string {
  return value.toFixed(2, Decimal.ROUND_HALF_UP);
}

export const ZERO = new Money(0);

/** numeric(20,2) column ↔ canonical two-decimal string; anything that is not a decimal string is refused. */
export const moneyColumn: ValueTransformer = {
  to(value: string | Decimal | null | undefined) {
    if (value === null || value === undefined) return value;
    if (value instanceof Decimal) return formatMoney(value);
    if (typeof value === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(value)) return value;
    throw new TypeError(`not a money value: ${String(value)}`);
  },
  from(value: string | null) {
    return value === null ? null : formatMoney(new Money(value));
  },
};
