import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { County } from '../../county/county.entity';

/** The tip of a county's chain: the last sealed seq and hash. Sealing an event moves it. */
@Entity('audit_chain_heads')
export class AuditChainHead {
  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'PK_audit_chain_heads' })
  countyId: number;

  @OneToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_audit_chain_heads_county' })
  county?: County;

  @Column({ type: 'bigint', default: 0 })
  seq: string;

  @Column({ type: 'char', length: 64 })
  prevHash: string;

  @Column({ type: 'char', length: 64 })
  headHash: string;
}
