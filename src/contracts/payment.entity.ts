import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../access/entities/user.entity';
import { moneyColumn } from '../common/money';
import { County } from '../county/county.entity';
import { Transaction } from '../ledger/entities/transaction.entity';
import { Contract } from './contract.entity';

/** A payment on a contract: the only way money leaves a dedicated account; retention withheld on every one. */
@Entity('contract_payments')
@Index('IDX_contract_payments_contract', ['contractId'])
@Index('UQ_contract_payments_transaction', ['transactionId'], { unique: true })
@Check('CK_contract_payments_split', `"amount" > 0 AND "retention" >= 0 AND "net" >= 0 AND "net" + "retention" = "amount"`)
export class Payment {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_contract_payments' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_contract_payments_county' })
  county?: County;

  @Column({ type: 'int' })
  contractId: number;

  @ManyToOne(() => Contract, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contract_id', foreignKeyConstraintName: 'FK_contract_payments_contract' })
  contract?: Contract;

  @Column({ type: 'int', nullable: true })
  stage: number | null;

  @Column({ type: 'numeric', precision: 20, scale: 2, transformer: moneyColumn })
  amount: string;

  @Column({ type: 'numeric', precision: 20, scale: 2, transformer: moneyColumn })
  retention: string;

  @Column({ type: 'numeric', precision: 20, scale: 2, transformer: moneyColumn })
  net: string;

  @Column({ type: 'uuid' })
  transactionId: string;

  @ManyToOne(() => Transaction, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'transaction_id', foreignKeyConstraintName: 'FK_contract_payments_transaction' })
  transaction?: Transaction;

  @Column({ type: 'int' })
  paidBy: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'paid_by', foreignKeyConstraintName: 'FK_contract_payments_paid_by' })
  payer?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
