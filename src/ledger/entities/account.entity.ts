import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { moneyColumn } from '../../common/money';
import { County } from '../../county/county.entity';
import type { AccountType, Book, Side } from '../domain/accounts';

@Entity('ledger_accounts')
@Unique('UQ_ledger_accounts_county_code', ['countyId', 'code'])
@Check('CK_ledger_accounts_book', `"book" IN ('financial', 'budget')`)
@Check(
  'CK_ledger_accounts_type',
  `("book" = 'financial' AND "type" IN ('asset', 'expense', 'liability', 'net_assets', 'revenue')) OR ("book" = 'budget' AND "type" IN ('quota', 'appropriation'))`,
)
@Check(
  'CK_ledger_accounts_normal_side',
  `"normal_side" = CASE WHEN "type" IN ('asset', 'expense', 'quota') THEN 'debit' ELSE 'credit' END`,
)
@Check('CK_ledger_accounts_balance_allowed', `"allow_negative" OR "balance" >= 0`)
export class Account {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_ledger_accounts' })
  id: string;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_ledger_accounts_county' })
  county?: County;

  @Column({ type: 'varchar', length: 64 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  book: Book;

  @Column({ type: 'varchar', length: 16 })
  type: AccountType;

  @Column({ type: 'varchar', length: 6 })
  normalSide: Side;

  @Column({ type: 'boolean' })
  allowNegative: boolean;

  /** A dedicated account's bank: money leaves it only by a payment or a reversal (三專, design §2). */
  @Column({ type: 'boolean', default: false })
  restrictedOutflow: boolean;

  /** Kept by the database in the same transaction as every line (trigger on ledger_lines). */
  @Column({ type: 'numeric', precision: 20, scale: 2, default: 0, transformer: moneyColumn })
  balance: string;

  /** How many lines the account has, moved with the balance; the last line's `account_seq`. */
  @Column({ type: 'bigint', default: 0 })
  lineCount: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
