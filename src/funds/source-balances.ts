import Decimal from 'decimal.js';
import { EntityManager } from 'typeorm';
import { money } from '../common/money';

export interface SourceBalance {
  allocationId: number;
  balance: Decimal;
  /** The ledger code of the allocation's dedicated bank account. */
  bank: string;
}

/**
 * For one per-source account family (`prefix` + allocation id, see `perSource`), every source holding a positive
 * balance, in allocation order (oldest first, the order every workflow draws sources in), with its bank account.
 */
export async function sourceBalances(em: EntityManager, countyId: number, prefix: string): Promise<SourceBalance[]> {
  const rows: { allocation_id: number; balance: string; bank: string }[] = await em.query(
    `SELECT f.id AS allocation_id, acc.balance, bank.code AS bank
       FROM fund_allocations f
       JOIN ledger_accounts acc ON acc.county_id = f.county_id AND acc.code = $2 || f.id
       JOIN dedicated_accounts d ON d.id = f.dedicated_account_id
       JOIN ledger_accounts bank ON bank.id = d.ledger_account_id
      WHERE f.county_id = $1 AND acc.balance > 0
      ORDER BY f.id`,
    [countyId, prefix],
  );
  return rows.map((r) => ({ allocationId: r.allocation_id, balance: money(r.balance), bank: r.bank }));
}
