import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../../access/entities/user.entity';
import { County } from '../../county/county.entity';

/**
 * The declared register of county and village officials and their relatives (優親厚友): matched against payees on ID
 * number or bank account, never on name alone. An official's own entry (relation `self`) names a staff member's
 * account: money paid there is diversion (轉移). An entry is removed, never deleted.
 */
@Entity('related_parties')
@Index('IDX_related_parties_id_number', ['countyId', 'idNumber'])
@Index('IDX_related_parties_bank_account', ['countyId', 'bankAccount'])
@Check('CK_related_parties_relation', `"relation" IN ('self', 'spouse', 'parent', 'child', 'sibling', 'other')`)
@Check('CK_related_parties_identified', `"id_number" IS NOT NULL OR "bank_account" IS NOT NULL`)
@Check('CK_related_parties_removed', `("removed_at" IS NULL) = ("removed_by" IS NULL) AND ("removed_at" IS NULL) = ("removal_reason" IS NULL)`)
export class RelatedParty {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_related_parties' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_related_parties_county' })
  county?: County;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** Resident ID number (GB 11643), canonical: 18 characters, check digit X upper case. */
  @Column({ type: 'varchar', length: 18, nullable: true })
  idNumber: string | null;

  /** Bank account number, digits only. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  bankAccount: string | null;

  @Column({ type: 'varchar', length: 16 })
  relation: string;

  /** The official this person is related to (their own name for `self`). */
  @Column({ type: 'varchar', length: 100 })
  officialName: string;

  /** The official's office, e.g. 溫泉鎮一村村委會主任. */
  @Column({ type: 'varchar', length: 200 })
  office: string;

  @Column({ type: 'int' })
  createdBy: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'FK_related_parties_created_by' })
  creator?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'int', nullable: true })
  removedBy: number | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'removed_by', foreignKeyConstraintName: 'FK_related_parties_removed_by' })
  remover?: User;

  @Column({ type: 'timestamptz', nullable: true })
  removedAt: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  removalReason: string | null;
}
