import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../access/entities/user.entity';
import { County } from '../county/county.entity';
import { Transaction } from '../ledger/entities/transaction.entity';

/**
 * A manual ledger entry waiting for a second person (記帳憑證): drafted by one county_finance user, posted only
 * when a different one approves it. The database refuses an approval by the drafter.
 */
@Entity('ledger_vouchers')
@Index('IDX_ledger_vouchers_county_state', ['countyId', 'state'])
@Index('IDX_ledger_vouchers_county_drafted', ['countyId', 'draftedAt', 'id'])
@Index('UQ_ledger_vouchers_transaction', ['transactionId'], { unique: true, where: 'transaction_id IS NOT NULL' })
@Index('UQ_ledger_vouchers_pending_reversal', ['reversesId'], { unique: true, where: "state = 'draft' AND reverses_id IS NOT NULL" })
@Check('CK_ledger_vouchers_reversal', `("kind" = 'reversal') = ("reverses_id" IS NOT NULL)`)
@Check('CK_ledger_vouchers_kind', `"kind" IN ('posting', 'reversal')`)
@Check('CK_ledger_vouchers_state', `"state" IN ('draft', 'posted')`)
@Check('CK_ledger_vouchers_checker', `"approved_by" IS NULL OR "approved_by" <> "drafted_by"`)
@Check('CK_ledger_vouchers_posted', `("state" = 'posted') = ("transaction_id" IS NOT NULL AND "approved_by" IS NOT NULL)`)
export class Voucher {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_ledger_vouchers' })
  id: string;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_ledger_vouchers_county' })
  county?: County;

  @Column({ type: 'varchar', length: 16 })
  kind: 'posting' | 'reversal';

  @Column({ type: 'varchar', length: 16 })
  state: 'draft' | 'posted';

  /** The entry as requested (effectiveDate, memo, lines; or, for a reversal, reason and effectiveDate). */
  @Column({ type: 'jsonb' })
  request: Record<string, unknown>;

  @Column({ type: 'uuid', nullable: true })
  reversesId: string | null;

  @ManyToOne(() => Transaction, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reverses_id', foreignKeyConstraintName: 'FK_ledger_vouchers_reverses' })
  reverses?: Transaction;

  @Column({ type: 'int' })
  draftedBy: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'drafted_by', foreignKeyConstraintName: 'FK_ledger_vouchers_drafted_by' })
  drafter?: User;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  draftedAt: Date;

  @Column({ type: 'int', nullable: true })
  approvedBy: number | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'approved_by', foreignKeyConstraintName: 'FK_ledger_vouchers_approved_by' })
  approver?: User;

  @Column({ type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  transactionId: string | null;

  @ManyToOne(() => Transaction, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'transaction_id', foreignKeyConstraintName: 'FK_ledger_vouchers_transaction' })
  transaction?: Transaction;
}
