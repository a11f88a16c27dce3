import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrgUnit } from '../../access/entities/org-unit.entity';
import { User } from '../../access/entities/user.entity';
import { AuditEvent } from '../../audit/entities/audit-event.entity';
import { County } from '../../county/county.entity';
import { MonitoringRun } from './monitoring-run.entity';

/**
 * What a detector found about one subject (an allocation, a project, a contract, a claim…): at most one alert per
 * detector and subject is not closed (the database refuses a second), its severity never falls while it is open, a
 * person closes it only after someone else explained it, and a closed alert never changes.
 */
@Entity('monitoring_alerts')
@Index('UQ_monitoring_alerts_open', ['countyId', 'detectorId', 'subjectType', 'subjectId'], { unique: true, where: `state <> 'closed'` })
@Index('IDX_monitoring_alerts_list', ['countyId', 'state', 'severity'])
@Index('IDX_monitoring_alerts_subject', ['countyId', 'detectorId', 'subjectType', 'subjectId'])
@Check('CK_monitoring_alerts_severity', `"severity" IN ('red', 'yellow', 'blue')`)
@Check('CK_monitoring_alerts_state', `"state" IN ('open', 'acknowledged', 'explained', 'closed')`)
@Check('CK_monitoring_alerts_automatic', `NOT "closed_automatically" OR ("state" = 'closed' AND "closed_by" IS NULL)`)
@Check('CK_monitoring_alerts_explained', `"state" NOT IN ('explained') OR ("explained_by" IS NOT NULL AND "explanation" IS NOT NULL)`)
@Check(
  'CK_monitoring_alerts_closed',
  `("state" = 'closed') = ("closed_at" IS NOT NULL AND "close_reason" IS NOT NULL) AND ("state" <> 'closed' OR "closed_automatically" OR ("closed_by" IS NOT NULL AND "explained_by" IS NOT NULL AND "closed_by" <> "explained_by"))`,
)
export class MonitoringAlert {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_monitoring_alerts' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_monitoring_alerts_county' })
  county?: County;

  /** The detector's stable id, `M01`… */
  @Column({ type: 'varchar', length: 8 })
  detectorId: string;

  @Column({ type: 'varchar', length: 32 })
  subjectType: string;

  /** The subject's id as text: one id, or ids joined by `:` (a project's money from one allocation: `12:3`). */
  @Column({ type: 'varchar', length: 64 })
  subjectId: string;

  /** Whose alert it is: the subject's org unit (a township sees its villages' alerts); the county unit for county-level subjects. */
  @Column({ type: 'int' })
  unitId: number;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'FK_monitoring_alerts_unit' })
  unit?: OrgUnit;

  @Column({ type: 'varchar', length: 8 })
  severity: string;

  @Column({ type: 'varchar', length: 16 })
  state: string;

  /** One line in Chinese: what was found, with the figures. */
  @Column({ type: 'varchar', length: 500 })
  summary: string;

  /** The figures and ids the finding rests on, as of the last run that found it. */
  @Column({ type: 'jsonb' })
  evidence: Record<string, unknown>;

  /** What a person's closing answers for beyond the severity (the detector's `Finding.key`); '' for the severity alone. */
  @Column({ type: 'varchar', length: 500, default: '' })
  findingKey: string;

  @Column({ type: 'int', nullable: true })
  openedRunId: number | null;

  @ManyToOne(() => MonitoringRun, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'opened_run_id', foreignKeyConstraintName: 'FK_monitoring_alerts_opened_run' })
  openedRun?: MonitoringRun;

  /** The effective "today" of the run that first found it. */
  @Column({ type: 'date' })
  firstSeenOn: string;

  @Column({ type: 'date' })
  lastSeenOn: string;

  @Column({ type: 'int', nullable: true })
  acknowledgedBy: number | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'acknowledged_by', foreignKeyConstraintName: 'FK_monitoring_alerts_acknowledged_by' })
  acknowledger?: User;

  @Column({ type: 'int', nullable: true })
  explainedBy: number | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'explained_by', foreignKeyConstraintName: 'FK_monitoring_alerts_explained_by' })
  explainer?: User;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  explanation: string | null;

  @Column({ type: 'int', nullable: true })
  closedBy: number | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'closed_by', foreignKeyConstraintName: 'FK_monitoring_alerts_closed_by' })
  closer?: User;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  closeReason: string | null;

  /** Closed by a run because the subject no longer meets the rule, not by a person. */
  @Column({ type: 'boolean', default: false })
  closedAutomatically: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** Every change of an alert, in order: who (a person, or the run), from which state and severity to which. */
@Entity('monitoring_alert_history')
@Index('IDX_monitoring_alert_history_alert', ['alertId'])
export class MonitoringAlertHistory {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_monitoring_alert_history' })
  id: number;

  @Column({ type: 'int' })
  alertId: number;

  @ManyToOne(() => MonitoringAlert, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'FK_monitoring_alert_history_alert' })
  alert?: MonitoringAlert;

  /** opened, updated, raised, acknowledged, explained, escalated, closed, closed_automatically */
  @Column({ type: 'varchar', length: 24 })
  action: string;

  @Column({ type: 'varchar', length: 16 })
  state: string;

  @Column({ type: 'varchar', length: 8 })
  severity: string;

  @Column({ type: 'int', nullable: true })
  actorId: number | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'actor_id', foreignKeyConstraintName: 'FK_monitoring_alert_history_actor' })
  actor?: User;

  @Column({ type: 'int', nullable: true })
  runId: number | null;

  @ManyToOne(() => MonitoringRun, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'FK_monitoring_alert_history_run' })
  run?: MonitoringRun;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}

/** A file behind an explanation (a bank slip, a letter, a photo), hashed and recorded in the event log. */
@Entity('monitoring_alert_evidence')
@Index('IDX_monitoring_alert_evidence_alert', ['alertId'])
@Index('UQ_monitoring_alert_evidence_event', ['eventId'], { unique: true })
@Check('CK_monitoring_alert_evidence_type', `"content_type" IN ('application/pdf', 'image/jpeg', 'image/png')`)
@Check('CK_monitoring_alert_evidence_hash', `"sha256" = encode(sha256("content"), 'hex') AND "size" = octet_length("content")`)
export class MonitoringAlertEvidence {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_monitoring_alert_evidence' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_monitoring_alert_evidence_county' })
  county?: County;

  @Column({ type: 'int' })
  alertId: number;

  @ManyToOne(() => MonitoringAlert, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'FK_monitoring_alert_evidence_alert' })
  alert?: MonitoringAlert;

  @Column({ type: 'varchar', length: 255 })
  filename: string;

  @Column({ type: 'varchar', length: 32 })
  contentType: string;

  @Column({ type: 'int' })
  size: number;

  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ type: 'bytea' })
  content: Buffer;

  @Column({ type: 'bigint' })
  eventId: string;

  @ManyToOne(() => AuditEvent, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'FK_monitoring_alert_evidence_event' })
  event?: AuditEvent;

  @Column({ type: 'int' })
  uploadedBy: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'uploaded_by', foreignKeyConstraintName: 'FK_monitoring_alert_evidence_uploaded_by' })
  uploader?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
