import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { moneyColumn } from '../../common/money';
import { County } from '../../county/county.entity';
import { Account } from './account.entity';

/**
 * An account's balance at the end of each effective date on which it moved: the balance of every line dated that day
 * or before, whatever order they were posted in. Kept by the database with the lines (a backdated line moves the
 * days after it too), so a balance as of a date is one index lookup, never a sum over the account's history.
 */
@Entity('ledger_closing_balances')
export class ClosingBalance {
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_ledger_closing_balances' })
  accountId: string;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'FK_ledger_closing_balances_account' })
  account?: Account;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'PK_ledger_closing_balances' })
  effectiveDate: string;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_ledger_closing_balances_county' })
  county?: County;

  /** On the account's normal side, like its kept balance. */
  @Column({ type: 'numeric', precision: 20, scale: 2, transformer: moneyColumn })
  balance: string;
}
