import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { County } from '../../county/county.entity';
import type { OrgLevel } from '../domain/roles';

/** County → township → village. `path` ("/1/4/9/") makes "within this unit's subtree" a prefix test. */
@Entity('org_units')
@Unique('UQ_org_units_county_code', ['countyId', 'code'])
@Index('IDX_org_units_path', ['path'])
@Check('CK_org_units_level', `"level" IN ('county', 'township', 'village')`)
export class OrgUnit {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_org_units' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_org_units_county' })
  county?: County;

  @Column({ type: 'int', nullable: true })
  parentId: number | null;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'FK_org_units_parent' })
  parent?: OrgUnit;

  @Column({ type: 'varchar', length: 16 })
  level: OrgLevel;

  @Column({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** Set by the database from the parent's path. */
  @Column({ type: 'varchar', length: 200 })
  path: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
