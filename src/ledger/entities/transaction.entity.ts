import { Check, Column, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryColumn } from 'typeorm';
import { County } from '../../county/county.entity';
import type { TransactionPurpose } from '../domain/accounts';
import { Line } from './line.entity';

@Entity('ledger_transactions')
@Check('CK_ledger_transactions_reversal', `("purpose" = 'reversal') = ("reverses_id" IS NOT NULL)`)
@Check('CK_ledger_transactions_purpose', `"purpose" IN ('manual', 'receipt', 'budget', 'payment', 'retention', 'reversal')`)
@Index('UQ_ledger_transactions_reverses', ['reversesId'], { unique: true, where: 'reverses_id IS NOT NULL' })
@Index('IDX_ledger_transactions_county_effective_date', ['countyId', 'effectiveDate'])
export class Transaction {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_ledger_transactions' })
  id: string;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_ledger_transactions_county' })
  county?: County;

  /** 業務日期: the date the business event belongs to, apart from when it was recorded. */
  @Column({ type: 'date' })
  effectiveDate: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  recordedAt: Date;

  @Column({ type: 'varchar', length: 500 })
  memo: string;

  /** Why money moved: a manual voucher, an allocation's receipt, a budget step, a payment, a reversal. */
  @Column({ type: 'varchar', length: 16, default: 'manual' })
  purpose: TransactionPurpose;

  /** The original this transaction reverses; unique, so an original is reversed at most once. */
  @Column({ type: 'uuid', nullable: true })
  reversesId: string | null;

  @ManyToOne(() => Transaction, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reverses_id', foreignKeyConstraintName: 'FK_ledger_transactions_reverses' })
  reverses?: Transaction;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reversalReason: string | null;

  @OneToMany(() => Line, (line) => line.transaction)
  lines?: Line[];
}
