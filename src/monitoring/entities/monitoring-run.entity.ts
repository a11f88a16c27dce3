import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../../access/entities/user.entity';
import { County } from '../../county/county.entity';

/**
 * One run of detectors over a county: why it ran (the daily schedule, someone's request, a workflow step), the day
 * it judged, and per detector how long it took, what it looked at and how many alerts it opened, updated, raised
 * and closed. One scheduled run per county and day; a run that stopped half-way (its process died) is marked
 * abandoned by the scheduler, which lets the day's run happen again.
 */
@Entity('monitoring_runs')
@Index('UQ_monitoring_runs_daily', ['countyId', 'today'], { unique: true, where: `"trigger" = 'schedule' AND "state" <> 'abandoned'` })
@Index('IDX_monitoring_runs_county', ['countyId', 'id'])
@Check('CK_monitoring_runs_trigger', `"trigger" IN ('schedule', 'demand', 'step')`)
@Check('CK_monitoring_runs_state', `"state" IN ('running', 'finished', 'failed', 'abandoned')`)
export class MonitoringRun {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_monitoring_runs' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_monitoring_runs_county' })
  county?: County;

  @Column({ type: 'varchar', length: 16 })
  trigger: string;

  /** For a run after a workflow step: the step (`claim.submitted`, `contract.paid`…). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  step: string | null;

  @Column({ type: 'int', nullable: true })
  requestedBy: number | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'requested_by', foreignKeyConstraintName: 'FK_monitoring_runs_requested_by' })
  requester?: User;

  /** The day the rules were judged on (the clock's today). */
  @Column({ type: 'date' })
  today: string;

  @Column({ type: 'varchar', length: 16 })
  state: string;

  /** Per detector: id, ms, subjects looked at, findings, opened, updated, raised, closed (or its error). */
  @Column({ type: 'jsonb', default: () => `'[]'` })
  detectors: Record<string, unknown>[];

  @Column({ type: 'int', default: 0 })
  opened: number;

  @Column({ type: 'int', default: 0 })
  updated: number;

  @Column({ type: 'int', default: 0 })
  raised: number;

  @Column({ type: 'int', default: 0 })
  closed: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  startedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
