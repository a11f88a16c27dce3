import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { County } from '../../county/county.entity';

/**
 * One event of a county's audit log (design §9), appended in the transaction of the change it records.
 * It is written unsealed (seq, prev_hash and hash empty) so postings never queue for the chain; the sealer links
 * committed events into the county's hash chain within a second (see the AuditChain migration).
 */
@Entity('audit_events')
@Index('UQ_audit_events_county_seq', ['countyId', 'seq'], { unique: true, where: 'seq IS NOT NULL' })
@Index('IDX_audit_events_unsealed', ['countyId', 'id'], { where: 'seq IS NULL' })
export class AuditEvent {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_audit_events' })
  id: string;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_audit_events_county' })
  county?: County;

  /** Position in the county's chain: contiguous from 1; null until sealed. */
  @Column({ type: 'bigint', nullable: true })
  seq: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  prevHash: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  hash: string | null;

  /** The database transaction that wrote the event, set by the database; sealing waits until it has ended. */
  @Column({ type: 'bigint' })
  txId: string;

  @Column({ type: 'varchar', length: 100 })
  type: string;

  @Column({ type: 'varchar', length: 100 })
  actor: string;

  @Column({ type: 'timestamptz' })
  recordedAt: Date;

  /** The event as canonical JSON (RFC 8785): exactly the bytes that are hashed. */
  @Column({ type: 'text' })
  body: string;
}
