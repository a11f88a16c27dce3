import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../../access/entities/user.entity';
import { AuditEvent } from '../../audit/entities/audit-event.entity';
import { County } from '../../county/county.entity';
import { Notice } from './notice.entity';

/**
 * Evidence that a published notice was posted where it says (a photo of the board, a scan): typed by its content,
 * stored with its SHA-256 (checked by the database and recorded in the event log, as claim attachments are).
 */
@Entity('notice_evidence')
@Index('IDX_notice_evidence_notice', ['noticeId'])
@Index('UQ_notice_evidence_event', ['eventId'], { unique: true })
@Check('CK_notice_evidence_channel', `"channel" IN ('portal', 'township_board', 'village_board', 'project_site')`)
@Check('CK_notice_evidence_type', `"content_type" IN ('application/pdf', 'image/jpeg', 'image/png')`)
@Check('CK_notice_evidence_hash', `"sha256" = encode(sha256("content"), 'hex') AND "size" = octet_length("content")`)
export class NoticeEvidence {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_notice_evidence' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_notice_evidence_county' })
  county?: County;

  @Column({ type: 'int' })
  noticeId: number;

  @ManyToOne(() => Notice, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'notice_id', foreignKeyConstraintName: 'FK_notice_evidence_notice' })
  notice?: Notice;

  /** Where it was posted: one of the notice's channels. */
  @Column({ type: 'varchar', length: 32 })
  channel: string;

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

  /** The event that recorded the upload and its hash. */
  @Column({ type: 'bigint' })
  eventId: string;

  @ManyToOne(() => AuditEvent, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'FK_notice_evidence_event' })
  event?: AuditEvent;

  @Column({ type: 'int' })
  uploadedBy: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'uploaded_by', foreignKeyConstraintName: 'FK_notice_evidence_uploaded_by' })
  uploader?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
