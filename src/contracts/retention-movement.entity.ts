import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../access/entities/user.entity';
import { moneyColumn } from '../common/money';
import { County } from '../county/county.entity';
import { Transaction } from '../ledger/entities/transaction.entity';
import { Contract } from './contract.entity';

/** A release of retention to the payee, or its forfeit to repairs: proposed by one person, posted when another approves. */
@Entity('retention_movements')
@Index('IDX_retention_movements_contract', ['contractId'])
@Index('IDX_retention_movements_proposed', ['countyId'], { where: "state = 'proposed'" })
@Index('UQ_retention_movements_transaction', ['transactionId'], { unique: true, where: 'transaction_id IS NOT NULL' })
@Check('CK_retention_movements_kind', `"kind" IN ('release', 'forfeit')`)
@Check('CK_retention_movements_state', `"state" IN ('proposed', 'posted')`)
@Check('CK_retention_movements_amount', `"amount" > 0`)
@Check('CK_retention_movements_checker', `"approved_by" IS NULL OR "approved_by" <> "proposed_by"`)
@Check('CK_retention_movements_posted', `("state" = 'posted') = ("transaction_id" IS NOT NULL AND "approved_by" IS NOT NULL)`)
export class RetentionMovement {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_retention_movements' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_retention_movements_county' })
  county?: County;

  @Column({ type: 'int' })
  contractId: number;

  @ManyToOne(() => Contract, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contract_id', foreignKeyConstraintName: 'FK_retention_movements_contract' })
  contract?: Contract;

  @Column({ type: 'varchar', length: 16 })
  kind: 'release' | 'forfeit';

  @Column({ type: 'numeric', precision: 20, scale: 2, transformer: moneyColumn })
  amount: string;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ type: 'varchar', length: 16 })
  state: 'proposed' | 'posted';

  @Column({ type: 'int' })
  proposedBy: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'proposed_by', foreignKeyConstraintName: 'FK_retention_movements_proposed_by' })
  proposer?: User;

  @Column({ type: 'int', nullable: true })
  approvedBy: number | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'approved_by', foreignKeyConstraintName: 'FK_retention_movements_approved_by' })
  approver?: User;

  @Column({ type: 'uuid', nullable: true })
  transactionId: string | null;

  @ManyToOne(() => Transaction, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'transaction_id', foreignKeyConstraintName: 'FK_retention_movements_transaction' })
  transaction?: Transaction;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
