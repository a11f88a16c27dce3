import Decimal from 'decimal.js';
import { Money, ZERO, formatMoney } from '../../common/money';

/**
 * A balance in two columns (docs/exports.md, "Balances in two columns"): net = Σ debit − Σ credit, written on the
 * debit side when positive and on the credit side when negative, so no money cell is ever negative.
 */
export function twoColumns(net: Decimal): [debit: string, credit: string] {
  return net.gte(0) ? [formatMoney(net), formatMoney(ZERO)] : [formatMoney(ZERO), formatMoney(net.neg())];
}

/** 借 / 貸 / 平: the side a balance stands on, as a three-column ledger prints it. */
export function direction(net: Decimal): '借' | '貸' | '平' {
  return net.isZero() ? '平' : net.gt(0) ? '借' : '貸';
}

/** A kept balance (on the account's normal side) as a net debit-minus-credit. */
export function netOf(balance: string | Decimal, normalSide: 'debit' | 'credit'): Decimal {
  const value = new Money(balance);
  return normalSide === 'debit' ? value : value.neg();
}
