import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrgUnit } from '../access/entities/org-unit.entity';
import { User } from '../access/entities/user.entity';
import { moneyColumn } from '../common/money';
import { County } from '../county/county.entity';

/** 項目庫: a village project with the fields of design §5. */
@Entity('projects')
@Index('IDX_projects_county_state', ['countyId', 'state'])
@Index('IDX_projects_village', ['villageId'])
@Check('CK_projects_state', `"state" IN ('proposed', 'township_reviewed', 'in_library', 'planned', 'rejected')`)
@Check('CK_projects_category', `"category" IN ('industry', 'infrastructure', 'social_services', 'training', 'work_for_relief', 'other')`)
@Check('CK_projects_targets', `jsonb_typeof("performance_targets") = 'array' AND jsonb_array_length("performance_targets") > 0`)
@Check('CK_projects_households', `"poor_households" >= 0 AND "beneficiary_households" >= "poor_households"`)
@Check('CK_projects_schedule', `"end_date" >= "start_date"`)
export class Project {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_projects' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_projects_county' })
  county?: County;

  /** The village the project is in (its org unit); scope follows it. */
  @Column({ type: 'int' })
  villageId: number;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'village_id', foreignKeyConstraintName: 'FK_projects_village' })
  village?: OrgUnit;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  category: string;

  @Column({ type: 'varchar', length: 200 })
  location: string;

  @Column({ type: 'date' })
  startDate: string;

  @Column({ type: 'date' })
  endDate: string;

  @Column({ type: 'varchar', length: 100 })
  responsibleUnit: string;

  @Column({ type: 'varchar', length: 50 })
  responsiblePerson: string;

  @Column({ type: 'varchar', length: 2000 })
  tasks: string;

  @Column({ type: 'numeric', precision: 20, scale: 2, transformer: moneyColumn })
  fundScale: string;

  @Column({ type: 'int' })
  beneficiaryHouseholds: number;

  @Column({ type: 'int' })
  poorHouseholds: number;

  /** At least one target: a project without them cannot enter the library. */
  @Column({ type: 'jsonb' })
  performanceTargets: string[];

  /** 帶貧減貧機制. */
  @Column({ type: 'varchar', length: 2000 })
  povertyMechanism: string;

  @Column({ type: 'varchar', length: 32 })
  state: string;

  @Column({ type: 'int' })
  proposedBy: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'proposed_by', foreignKeyConstraintName: 'FK_projects_proposed_by' })
  proposer?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
