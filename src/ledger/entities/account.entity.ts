import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { moneyColumn } from '../../common/money';
import { County } from '../../county/county.entity';
import type { AccountKind } from '../domain/account-refs';
import type { AccountType, Book, Side } from '../domain/accounts';

@Entity('ledger_accounts')
@Unique('UQ_ledger_accounts_county_code', ['countyId', 'code'])
@Index('UQ_ledger_accounts_bank', ['countyId', 'dedicatedAccountId'], { unique: true, where: `kind = 'bank'` })
/** Balances summed by kind over a county (monitoring's scans, the reports). */
@Index('IDX_ledger_accounts_county_kind', ['countyId', 'kind'])
@Index('IDX_ledger_accounts_allocation', ['allocationId', 'kind'], { where: 'allocation_id IS NOT NULL' })
@Index('IDX_ledger_accounts_project', ['projectId', 'kind'], { where: 'project_id IS NOT NULL' })
@Index('IDX_ledger_accounts_contract', ['contractId', 'kind'], { where: 'contract_id IS NOT NULL' })
@Check('CK_ledger_accounts_book', `"book" IN ('financial', 'budget')`)
@Check(
  'CK_ledger_accounts_type',
  `("book" = 'financial' AND "type" IN ('asset', 'expense', 'liability', 'net_assets', 'revenue')) OR ("book" = 'budget' AND "type" IN ('quota', 'appropriation'))`,
)
@Check('CK_ledger_accounts_normal_side', `"normal_side" = CASE WHEN "type" IN ('asset', 'expense', 'quota') THEN 'debit' ELSE 'credit' END`)
@Check('CK_ledger_accounts_balance_allowed', `"allow_negative" OR "balance" >= 0`)
/**
 * Each kind has its type and exactly its dimensions (domain/account-refs.ts); the AccountDimensions migration says it
 * again. Checked on every update of the row (each line moves the balance), so written as plain null tests.
 */
@Check(
  'CK_ledger_accounts_dimensions',
  `CASE "kind"
     WHEN 'manual' THEN ("allocation_id", "project_id", "contract_id", "claim_id", "dedicated_account_id", "category") IS NULL
     WHEN 'bank' THEN "type" = 'asset' AND "dedicated_account_id" IS NOT NULL
       AND ("allocation_id", "project_id", "contract_id", "claim_id", "category") IS NULL
     WHEN 'fund' THEN "type" = 'net_assets' AND ("allocation_id", "dedicated_account_id") IS NOT NULL
       AND ("project_id", "contract_id", "claim_id", "category") IS NULL
     WHEN 'appropriation' THEN "type" = 'appropriation' AND "allocation_id" IS NOT NULL
       AND ("project_id", "contract_id", "claim_id", "dedicated_account_id", "category") IS NULL
     WHEN 'quota_unallocated' THEN "type" = 'quota' AND "allocation_id" IS NOT NULL
       AND ("project_id", "contract_id", "claim_id", "dedicated_account_id", "category") IS NULL
     WHEN 'quota_project' THEN "type" = 'quota' AND ("project_id", "allocation_id") IS NOT NULL
       AND ("contract_id", "claim_id", "dedicated_account_id", "category") IS NULL
     WHEN 'quota_spent' THEN "type" = 'quota' AND ("project_id", "allocation_id") IS NOT NULL
       AND ("contract_id", "claim_id", "dedicated_account_id", "category") IS NULL
     WHEN 'quota_committed' THEN "type" = 'quota' AND ("project_id", "contract_id", "allocation_id") IS NOT NULL
       AND ("claim_id", "dedicated_account_id", "category") IS NULL
     WHEN 'retention' THEN "type" = 'liability' AND ("project_id", "contract_id", "allocation_id") IS NOT NULL
       AND ("claim_id", "dedicated_account_id", "category") IS NULL
     WHEN 'quota_held' THEN "type" = 'quota' AND ("project_id", "contract_id", "claim_id", "allocation_id") IS NOT NULL
       AND ("dedicated_account_id", "category") IS NULL
     WHEN 'expense' THEN "type" = 'expense' AND ("project_id", "allocation_id", "category") IS NOT NULL
       AND ("contract_id", "claim_id", "dedicated_account_id") IS NULL
     ELSE false
   END`,
)
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

  /** What the account is about (domain/account-refs.ts); with the ids below, fixed when it is opened. */
  @Column({ type: 'varchar', length: 32, default: 'manual' })
  kind: AccountKind;

  @Column({ type: 'int', nullable: true })
  allocationId: number | null;

  @Column({ type: 'int', nullable: true })
  projectId: number | null;

  @Column({ type: 'int', nullable: true })
  contractId: number | null;

  @Column({ type: 'int', nullable: true })
  claimId: number | null;

  @Column({ type: 'int', nullable: true })
  dedicatedAccountId: number | null;

  /** An expense account's project category. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  category: string | null;

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
