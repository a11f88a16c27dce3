import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../access/entities/user.entity';
import { County } from '../county/county.entity';

/** A proposed or approved value of one policy parameter from a date on (design §10). */
@Entity('policy_changes')
@Index('IDX_policy_changes_in_force', ['countyId', 'key', 'effectiveFrom'])
@Index('UQ_policy_changes_approved', ['countyId', 'key', 'effectiveFrom'], { unique: true, where: "state = 'approved'" })
@Check('CK_policy_changes_state', `"state" IN ('proposed', 'approved')`)
@Check('CK_policy_changes_checker', `"approved_by" IS NULL OR "approved_by" <> "proposed_by"`)
@Check('CK_policy_changes_approved', `("state" = 'approved') = ("approved_by" IS NOT NULL)`)
export class PolicyChange {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_policy_changes' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_policy_changes_county' })
  county?: County;

  @Column({ type: 'varchar', length: 64 })
  key: string;

  /** Long enough for a twelve-month spending schedule. */
  @Column({ type: 'varchar', length: 128 })
  value: string;

  @Column({ type: 'date' })
  effectiveFrom: string;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ type: 'varchar', length: 16 })
  state: 'proposed' | 'approved';

  @Column({ type: 'int' })
  proposedBy: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'proposed_by', foreignKeyConstraintName: 'FK_policy_changes_proposed_by' })
  proposer?: User;

  @Column({ type: 'int', nullable: true })
  approvedBy: number | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'approved_by', foreignKeyConstraintName: 'FK_policy_changes_approved_by' })
  approver?: User;

  @Column({ type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
