import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../access/entities/user.entity';
import { moneyColumn } from '../common/money';
import { County } from '../county/county.entity';
import { FundAllocation } from '../funds/fund-allocation.entity';
import { Transaction } from '../ledger/entities/transaction.entity';
import { Project } from './project.entity';

/**
 * Money of one allocation moved to one project (design §4: Dr quota:project:P:A, Cr quota:unallocated:A). Above
 * the policy's leader threshold it waits for a county leader's signature (資金一本帳).
 */
@Entity('budget_lines')
@Index('IDX_budget_lines_project', ['projectId'])
@Index('IDX_budget_lines_allocation', ['allocationId'])
@Index('IDX_budget_lines_awaiting', ['countyId'], { where: "state = 'awaiting_signature'" })
@Index('UQ_budget_lines_transaction', ['transactionId'], { unique: true, where: 'transaction_id IS NOT NULL' })
@Check('CK_budget_lines_state', `"state" IN ('awaiting_signature', 'posted')`)
@Check('CK_budget_lines_amount', `"amount" > 0`)
@Check('CK_budget_lines_signer', `"signed_by" IS NULL OR "signed_by" <> "proposed_by"`)
@Check('CK_budget_lines_posted', `("state" = 'posted') = ("transaction_id" IS NOT NULL)`)
export class BudgetLine {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_budget_lines' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_budget_lines_county' })
  county?: County;

  @Column({ type: 'int' })
  projectId: number;

  @ManyToOne(() => Project, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'FK_budget_lines_project' })
  project?: Project;

  @Column({ type: 'int' })
  allocationId: number;

  @ManyToOne(() => FundAllocation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'allocation_id', foreignKeyConstraintName: 'FK_budget_lines_allocation' })
  allocation?: FundAllocation;

  @Column({ type: 'numeric', precision: 20, scale: 2, transformer: moneyColumn })
  amount: string;

  @Column({ type: 'varchar', length: 32 })
  state: string;

  @Column({ type: 'int' })
  proposedBy: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'proposed_by', foreignKeyConstraintName: 'FK_budget_lines_proposed_by' })
  proposer?: User;

  @Column({ type: 'int', nullable: true })
  signedBy: number | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'signed_by', foreignKeyConstraintName: 'FK_budget_lines_signed_by' })
  signer?: User;

  @Column({ type: 'uuid', nullable: true })
  transactionId: string | null;

  @ManyToOne(() => Transaction, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'transaction_id', foreignKeyConstraintName: 'FK_budget_lines_transaction' })
  transaction?: Transaction;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
