import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../../access/entities/user.entity';
import { County } from '../../county/county.entity';
import type { DayKind } from '../domain/working-days';

export const CHANGE_ACTIONS = ['set', 'remove'] as const;
export type CalendarChangeAction = (typeof CHANGE_ACTIONS)[number];
export const CHANGE_STATES = ['proposed', 'approved', 'rejected'] as const;
export type CalendarChangeState = (typeof CHANGE_STATES)[number];

/**
 * A proposed change of one day of a county's calendar: set it to a holiday or an adjusted working day (adding or
 * replacing what it holds), or remove it. It writes the day once a different person approves it (the database's
 * `calendar_changes_apply`); a rejected one changes nothing. One pending change per day.
 */
@Entity('calendar_changes')
@Index('UQ_calendar_changes_pending', ['countyId', 'day'], { unique: true, where: "state = 'proposed'" })
@Check('CK_calendar_changes_state', `"state" IN ('proposed', 'approved', 'rejected')`)
@Check(
  'CK_calendar_changes_action',
  `CASE "action" WHEN 'set' THEN "kind" IS NOT NULL AND "name" IS NOT NULL AND "kind" IN ('holiday', 'workday') WHEN 'remove' THEN "kind" IS NULL AND "name" IS NULL ELSE false END`,
)
@Check('CK_calendar_changes_departs', `"kind" IS NULL OR ("kind" = 'holiday') = (EXTRACT(ISODOW FROM "day") < 6)`)
@Check('CK_calendar_changes_decided', `("state" = 'proposed') = ("decided_by" IS NULL) AND ("state" = 'proposed') = ("decided_at" IS NULL)`)
@Check('CK_calendar_changes_rejection', `("state" = 'rejected') = ("rejection_reason" IS NOT NULL)`)
export class CalendarChange {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_calendar_changes' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_calendar_changes_county' })
  county?: County;

  @Column({ type: 'date' })
  day: string;

  @Column({ type: 'varchar', length: 16 })
  action: CalendarChangeAction;

  /** For `set`: what the day becomes; null for `remove`. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  kind: DayKind | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  name: string | null;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ type: 'varchar', length: 16 })
  state: CalendarChangeState;

  @Column({ type: 'int' })
  proposedBy: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'proposed_by', foreignKeyConstraintName: 'FK_calendar_changes_proposed_by' })
  proposer?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  proposedAt: Date;

  /** Who approved or rejected it: never the proposer (`calendar_changes_guard`, FL013). */
  @Column({ type: 'int', nullable: true })
  decidedBy: number | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'decided_by', foreignKeyConstraintName: 'FK_calendar_changes_decided_by' })
  decider?: User;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  rejectionReason: string | null;
}
