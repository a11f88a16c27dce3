import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrgUnit } from '../../access/entities/org-unit.entity';
import { User } from '../../access/entities/user.entity';
import { County } from '../../county/county.entity';
import { FundAllocation } from '../../funds/fund-allocation.entity';
import { Project } from '../../projects/project.entity';

/**
 * A publicity notice (公示): drafted by one person of the publishing unit, approved by another, which freezes its
 * snapshot, renders its PDF and starts its period. A published notice never changes (the database refuses it); a
 * correction is a new notice that names the one it supersedes.
 */
@Entity('notices')
@Index('UQ_notices_code', ['code'], { unique: true })
@Index('IDX_notices_county_state', ['countyId', 'state'])
@Index('UQ_notices_supersedes', ['supersedesId'], { unique: true, where: `state = 'published'` })
@Check('CK_notices_kind', `"kind" IN ('library', 'plan', 'allocation', 'implementation', 'completion')`)
@Check('CK_notices_state', `"state" IN ('draft', 'published')`)
@Check('CK_notices_checker', `"approved_by" IS NULL OR "approved_by" <> "drafted_by"`)
@Check(
  'CK_notices_published',
  `("state" = 'published') = ("approved_by" IS NOT NULL AND "starts_on" IS NOT NULL AND "ends_on" IS NOT NULL AND "snapshot" IS NOT NULL AND "pdf" IS NOT NULL)`,
)
@Check('CK_notices_period', `"ends_on" >= "starts_on"`)
@Check('CK_notices_pdf_hash', `"pdf" IS NULL OR "pdf_sha256" = encode(sha256("pdf"), 'hex')`)
@Check('CK_notices_content_hash', `("snapshot" IS NULL) = ("content_hash" IS NULL)`)
export class Notice {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_notices' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_notices_county' })
  county?: County;

  /** The public code, in the notice's URL and on its paper. */
  @Column({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'varchar', length: 16 })
  kind: string;

  /** The unit that publishes (誰分配、誰使用、誰公開): the drafter's unit. */
  @Column({ type: 'int' })
  publisherUnitId: number;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'publisher_unit_id', foreignKeyConstraintName: 'FK_notices_publisher_unit' })
  publisherUnit?: OrgUnit;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 100 })
  documentNumber: string;

  @Column({ type: 'varchar', length: 4000 })
  body: string;

  @Column({ type: 'varchar', length: 32, array: true })
  channels: string[];

  /** The day the information was formed or changed: publication is due within the policy's working days of it. */
  @Column({ type: 'date' })
  formedOn: string;

  @Column({ type: 'int', nullable: true })
  supersedesId: number | null;

  @ManyToOne(() => Notice, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'supersedes_id', foreignKeyConstraintName: 'FK_notices_supersedes' })
  supersedes?: Notice;

  @Column({ type: 'varchar', length: 16 })
  state: string;

  @Column({ type: 'int' })
  draftedBy: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'drafted_by', foreignKeyConstraintName: 'FK_notices_drafted_by' })
  drafter?: User;

  @Column({ type: 'int', nullable: true })
  approvedBy: number | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'approved_by', foreignKeyConstraintName: 'FK_notices_approved_by' })
  approver?: User;

  @Column({ type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ type: 'date', nullable: true })
  startsOn: string | null;

  @Column({ type: 'date', nullable: true })
  endsOn: string | null;

  /** The frozen figures and texts (the NoticeDocument), taken at approval. */
  @Column({ type: 'jsonb', nullable: true })
  snapshot: unknown;

  /** SHA-256 of the snapshot's canonical JSON (RFC 8785). */
  @Column({ type: 'char', length: 64, nullable: true })
  contentHash: string | null;

  @Column({ type: 'bytea', nullable: true })
  pdf: Buffer | null;

  @Column({ type: 'char', length: 64, nullable: true })
  pdfSha256: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** The projects a notice publishes (library, plan, implementation, completion). */
@Entity('notice_projects')
@Index('IDX_notice_projects_project', ['projectId'])
export class NoticeProject {
  @Column({ type: 'int', primary: true, primaryKeyConstraintName: 'PK_notice_projects' })
  noticeId: number;

  @ManyToOne(() => Notice, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'notice_id', foreignKeyConstraintName: 'FK_notice_projects_notice' })
  notice?: Notice;

  @Column({ type: 'int', primary: true, primaryKeyConstraintName: 'PK_notice_projects' })
  projectId: number;

  @ManyToOne(() => Project, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'FK_notice_projects_project' })
  project?: Project;
}

/** The fund allocations a notice publishes (allocation results). */
@Entity('notice_allocations')
@Index('IDX_notice_allocations_allocation', ['allocationId'])
export class NoticeAllocation {
  @Column({ type: 'int', primary: true, primaryKeyConstraintName: 'PK_notice_allocations' })
  noticeId: number;

  @ManyToOne(() => Notice, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'notice_id', foreignKeyConstraintName: 'FK_notice_allocations_notice' })
  notice?: Notice;

  @Column({ type: 'int', primary: true, primaryKeyConstraintName: 'PK_notice_allocations' })
  allocationId: number;

  @ManyToOne(() => FundAllocation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'allocation_id', foreignKeyConstraintName: 'FK_notice_allocations_allocation' })
  allocation?: FundAllocation;
}

/**
 * An objection (異議) to a published notice: taken down by staff from a call, letter or visit, or sent by anyone on
 * the public page. received → investigating → answered (upheld or dismissed, with the finding).
 */
@Entity('notice_objections')
@Index('IDX_notice_objections_notice', ['noticeId'])
@Check('CK_notice_objections_channel', `"channel" IN ('phone', 'letter', 'visit', 'public')`)
@Check('CK_notice_objections_state', `"state" IN ('received', 'investigating', 'answered')`)
@Check('CK_notice_objections_outcome', `"outcome" IS NULL OR "outcome" IN ('upheld', 'dismissed')`)
@Check(
  'CK_notice_objections_answered',
  `("state" = 'answered') = ("outcome" IS NOT NULL AND "finding" IS NOT NULL AND "answered_by" IS NOT NULL AND "answered_at" IS NOT NULL)`,
)
@Check('CK_notice_objections_recorder', `("channel" = 'public') = ("recorded_by" IS NULL)`)
export class NoticeObjection {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_notice_objections' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_notice_objections_county' })
  county?: County;

  @Column({ type: 'int' })
  noticeId: number;

  @ManyToOne(() => Notice, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'notice_id', foreignKeyConstraintName: 'FK_notice_objections_notice' })
  notice?: Notice;

  @Column({ type: 'varchar', length: 16 })
  channel: string;

  @Column({ type: 'varchar', length: 50, nullable: true })
  name: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone: string | null;

  @Column({ type: 'varchar', length: 2000 })
  content: string;

  @Column({ type: 'date' })
  receivedOn: string;

  /** Received after the notice's last day: recorded and answered, but it does not hold the period open. */
  @Column({ type: 'boolean' })
  late: boolean;

  @Column({ type: 'varchar', length: 16 })
  state: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  outcome: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  finding: string | null;

  @Column({ type: 'int', nullable: true })
  recordedBy: number | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by', foreignKeyConstraintName: 'FK_notice_objections_recorded_by' })
  recorder?: User;

  @Column({ type: 'int', nullable: true })
  investigatedBy: number | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'investigated_by', foreignKeyConstraintName: 'FK_notice_objections_investigated_by' })
  investigator?: User;

  @Column({ type: 'int', nullable: true })
  answeredBy: number | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'answered_by', foreignKeyConstraintName: 'FK_notice_objections_answered_by' })
  answerer?: User;

  @Column({ type: 'timestamptz', nullable: true })
  answeredAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
