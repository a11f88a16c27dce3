import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { County } from '../../county/county.entity';

/** One link of a county's hash chain (design §9). Appended only, in the transaction of the change it records. */
@Entity('audit_events')
export class AuditEvent {
  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'PK_audit_events' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_audit_events_county' })
  county?: County;

  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_audit_events' })
  seq: string;

  @Column({ type: 'char', length: 64 })
  prevHash: string;

  @Column({ type: 'char', length: 64 })
  hash: string;

  @Column({ type: 'varchar', length: 100 })
  type: string;

  @Column({ type: 'varchar', length: 100 })
  actor: string;

  @Column({ type: 'timestamptz' })
  recordedAt: Date;

  /** The event as canonical JSON (RFC 8785): exactly the bytes that were hashed. */
  @Column({ type: 'text' })
  body: string;
}
