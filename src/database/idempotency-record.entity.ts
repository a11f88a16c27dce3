import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../access/entities/user.entity';
import { County } from '../county/county.entity';

/**
 * The first answer to a request sent with an Idempotency-Key, written in the same unit of work as the change it
 * answers, so a key is used exactly when its change committed. The request's hash (its route and body) tells a
 * replay from a different request under the same key.
 */
@Entity('idempotency_records')
export class IdempotencyRecord {
  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'PK_idempotency_records' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_idempotency_records_county' })
  county?: County;

  /** Keys are each user's own: another person's request under the same key is a different request. */
  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'PK_idempotency_records' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_idempotency_records_user' })
  user?: User;

  @PrimaryColumn({ type: 'varchar', length: 200, primaryKeyConstraintName: 'PK_idempotency_records' })
  key: string;

  @Column({ type: 'char', length: 64 })
  requestHash: string;

  @Column({ type: 'jsonb' })
  response: unknown;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
