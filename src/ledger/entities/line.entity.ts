import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { moneyColumn } from '../../common/money';
import type { Book, TransactionPurpose } from '../domain/accounts';
import { Account } from './account.entity';
import { Transaction } from './transaction.entity';

@Entity('ledger_lines')
@Index('UQ_ledger_lines_account_seq', ['accountId', 'accountSeq'], { unique: true })
@Index('IDX_ledger_lines_transaction', ['transactionId'])
@Check('CK_ledger_lines_one_side', `("debit" > 0 AND "credit" = 0) OR ("credit" > 0 AND "debit" = 0)`)
export class Line {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_ledger_lines' })
  id: string;

  @Column({ type: 'uuid' })
  transactionId: string;

  @ManyToOne(() => Transaction, (t) => t.lines, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'transaction_id', foreignKeyConstraintName: 'FK_ledger_lines_transaction' })
  transaction?: Transaction;

  @Column({ type: 'int' })
  countyId: number;

  @Column({ type: 'bigint' })
  accountId: string;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'FK_ledger_lines_account' })
  account?: Account;

  /** Copied from the account so the balance check per book needs no join; the database checks it matches. */
  @Column({ type: 'varchar', length: 16 })
  book: Book;

  @Column({ type: 'smallint' })
  lineNo: number;

  @Column({ type: 'numeric', precision: 20, scale: 2, default: 0, transformer: moneyColumn })
  debit: string;

  @Column({ type: 'numeric', precision: 20, scale: 2, default: 0, transformer: moneyColumn })
  credit: string;

  /** The account's balance right after this line, set by the database when the line is inserted. */
  @Column({ type: 'numeric', precision: 20, scale: 2, transformer: moneyColumn })
  balanceAfter: string;

  /**
   * The line's place among its account's lines (1..n, no gaps), taken with the balance under the account's row
   * lock: the order in which `balance_after` adds up. Set by the database.
   */
  @Column({ type: 'bigint' })
  accountSeq: string;

  @Column({ type: 'date' })
  effectiveDate: string;

  /** Copied from the transaction (checked at commit) so the restricted-outflow rule needs no lookup. */
  @Column({ type: 'varchar', length: 16, default: 'manual' })
  purpose: TransactionPurpose;
}
