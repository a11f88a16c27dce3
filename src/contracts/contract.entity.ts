import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../access/entities/user.entity';
import { moneyColumn } from '../common/money';
import type { Letters } from './domain/letters';
import { County } from '../county/county.entity';
import { Transaction } from '../ledger/entities/transaction.entity';
import { Project } from '../projects/project.entity';

/**
 * 合同一把鎖: a contract on a project with its payee, amount, retention rate, optional payment schedule, tender record
 * and responsibility letters. Signing commits budget from the project's quota (design §4).
 */
@Entity('contracts')
@Index('IDX_contracts_project', ['projectId'])
@Check('CK_contracts_state', `"state" IN ('draft', 'signed', 'settled')`)
@Check('CK_contracts_payee_type', `"payee_type" IN ('company', 'cooperative', 'individual')`)
@Check('CK_contracts_amount', `"amount" > 0`)
@Check('CK_contracts_retention', `"retention_rate" IS NULL OR ("retention_rate" >= 0 AND "retention_rate" <= 1)`)
@Check('CK_contracts_override', `("retention_override" IS NULL) = ("retention_override_reason" IS NULL)`)
@Check('CK_contracts_signed', `("state" = 'draft') = ("signed_by" IS NULL OR "retention_rate" IS NULL OR "commit_transaction_id" IS NULL)`)
@Check('CK_contracts_settled', `("state" = 'settled') = ("settled_by" IS NOT NULL)`)
@Check('CK_contracts_signer', `"signed_by" IS NULL OR "signed_by" <> "drafted_by"`)
export class Contract {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_contracts' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_contracts_county' })
  county?: County;

  @Column({ type: 'int' })
  projectId: number;

  @ManyToOne(() => Project, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'FK_contracts_project' })
  project?: Project;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 200 })
  payeeName: string;

  @Column({ type: 'varchar', length: 16 })
  payeeType: string;

  @Column({ type: 'varchar', length: 100 })
  payeeBank: string;

  /** Canonical: digits only. */
  @Column({ type: 'varchar', length: 40 })
  payeeAccount: string;

  /** 統一社會信用代碼 of a company or cooperative payee. */
  @Column({ type: 'varchar', length: 18, nullable: true })
  payeeTaxId: string | null;

  /** 公民身份號碼 of an individual payee. */
  @Column({ type: 'varchar', length: 18, nullable: true })
  payeeIdNumber: string | null;

  @Column({ type: 'numeric', precision: 20, scale: 2, transformer: moneyColumn })
  amount: string;

  /** Fixed at signing: the override when one was given, else the policy's on the signing date. */
  @Column({ type: 'numeric', precision: 7, scale: 4, nullable: true })
  retentionRate: string | null;

  @Column({ type: 'numeric', precision: 7, scale: 4, nullable: true })
  retentionOverride: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  retentionOverrideReason: string | null;

  /** Stages as percentages of the amount, each tied to a milestone; empty: no schedule. */
  @Column({ type: 'jsonb' })
  schedule: { percent: string; milestone: string }[];

  /** 招標一套法: method, date, bidders, winner; required above the policy's tender threshold. */
  @Column({ type: 'jsonb', nullable: true })
  tender: { method: string; date: string; bidders: string[]; winner: string } | null;

  /** Responsibility letters county→township→village→contractor: references and dates (all three before signing). */
  @Column({ type: 'jsonb' })
  letters: Letters;

  @Column({ type: 'varchar', length: 16 })
  state: string;

  @Column({ type: 'int' })
  draftedBy: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'drafted_by', foreignKeyConstraintName: 'FK_contracts_drafted_by' })
  drafter?: User;

  @Column({ type: 'int', nullable: true })
  signedBy: number | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'signed_by', foreignKeyConstraintName: 'FK_contracts_signed_by' })
  signer?: User;

  @Column({ type: 'date', nullable: true })
  signedOn: string | null;

  @Column({ type: 'uuid', nullable: true })
  commitTransactionId: string | null;

  @ManyToOne(() => Transaction, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'commit_transaction_id', foreignKeyConstraintName: 'FK_contracts_commit_transaction' })
  commitTransaction?: Transaction;

  @Column({ type: 'int', nullable: true })
  settledBy: number | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'settled_by', foreignKeyConstraintName: 'FK_contracts_settled_by' })
  settler?: User;

  @Column({ type: 'timestamptz', nullable: true })
  settledAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
