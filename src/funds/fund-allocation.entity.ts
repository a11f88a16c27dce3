import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { User } from '../access/entities/user.entity';
import { moneyColumn } from '../common/money';
import { County } from '../county/county.entity';
import { Transaction } from '../ledger/entities/transaction.entity';
import { DedicatedAccount } from './dedicated-account.entity';

/** 指標: money allotted to the county by a document (文號), received into a dedicated account. */
@Entity('fund_allocations')
@Unique('UQ_fund_allocations_county_document', ['countyId', 'documentNumber'])
@Index('IDX_fund_allocations_county_year', ['countyId', 'fiscalYear'])
@Check('CK_fund_allocations_level', `"issuing_level" IN ('central', 'provincial', 'city', 'county')`)
@Check('CK_fund_allocations_amount', `"amount" > 0`)
@Check('CK_fund_allocations_categories', `cardinality("permitted_categories") > 0`)
export class FundAllocation {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_fund_allocations' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_fund_allocations_county' })
  county?: County;

  @Column({ type: 'varchar', length: 100 })
  documentNumber: string;

  @Column({ type: 'varchar', length: 16 })
  issuingLevel: string;

  @Column({ type: 'varchar', length: 50 })
  fundType: string;

  @Column({ type: 'int' })
  fiscalYear: number;

  @Column({ type: 'numeric', precision: 20, scale: 2, transformer: moneyColumn })
  amount: string;

  @Column({ type: 'varchar', length: 32, array: true })
  permittedCategories: string[];

  @Column({ type: 'int' })
  dedicatedAccountId: number;

  @ManyToOne(() => DedicatedAccount, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'dedicated_account_id', foreignKeyConstraintName: 'FK_fund_allocations_dedicated_account' })
  dedicatedAccount?: DedicatedAccount;

  @Column({ type: 'date' })
  receivedOn: string;

  @Column({ type: 'uuid' })
  receiptTransactionId: string;

  @ManyToOne(() => Transaction, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'receipt_transaction_id', foreignKeyConstraintName: 'FK_fund_allocations_receipt' })
  receiptTransaction?: Transaction;

  @Column({ type: 'int' })
  createdBy: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'FK_fund_allocations_created_by' })
  creator?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
