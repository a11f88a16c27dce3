import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { User } from '../access/entities/user.entity';
import { County } from '../county/county.entity';
import { Project } from '../projects/project.entity';
import { Contract } from './contract.entity';

/** 驗收一道關: an acceptance of a contract's work, passed only when every required department signed pass. */
@Entity('acceptances')
@Index('IDX_acceptances_contract', ['contractId', 'id'])
@Index('UQ_acceptances_open', ['contractId'], { unique: true, where: "state = 'open'" })
@Check('CK_acceptances_state', `"state" IN ('open', 'passed', 'failed')`)
@Check('CK_acceptances_defect_days', `("state" = 'passed') = ("defect_days" IS NOT NULL) AND ("defect_days" IS NULL OR "defect_days" >= 0)`)
export class Acceptance {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_acceptances' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_acceptances_county' })
  county?: County;

  @Column({ type: 'int' })
  projectId: number;

  @ManyToOne(() => Project, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'FK_acceptances_project' })
  project?: Project;

  @Column({ type: 'int' })
  contractId: number;

  @ManyToOne(() => Contract, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contract_id', foreignKeyConstraintName: 'FK_acceptances_contract' })
  contract?: Contract;

  /** The actual scale and quality found. */
  @Column({ type: 'varchar', length: 2000 })
  scaleStatement: string;

  @Column({ type: 'varchar', length: 16 })
  state: string;

  @Column({ type: 'varchar', length: 32, array: true })
  requiredDepartments: string[];

  @Column({ type: 'int' })
  openedBy: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'opened_by', foreignKeyConstraintName: 'FK_acceptances_opened_by' })
  opener?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  openedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  /** The retention defect period in force when the acceptance passed, in days; null unless passed. */
  @Column({ type: 'int', nullable: true })
  defectDays: number | null;
}

@Entity('acceptance_signoffs')
@Unique('UQ_acceptance_signoffs_department', ['acceptanceId', 'department'])
@Check('CK_acceptance_signoffs_result', `"result" IN ('pass', 'fail')`)
export class AcceptanceSignoff {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_acceptance_signoffs' })
  id: number;

  @Column({ type: 'int' })
  acceptanceId: number;

  @ManyToOne(() => Acceptance, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'acceptance_id', foreignKeyConstraintName: 'FK_acceptance_signoffs_acceptance' })
  acceptance?: Acceptance;

  @Column({ type: 'varchar', length: 32 })
  department: string;

  @Column({ type: 'varchar', length: 8 })
  result: 'pass' | 'fail';

  @Column({ type: 'varchar', length: 2000 })
  notes: string;

  @Column({ type: 'int' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_acceptance_signoffs_user' })
  user?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}
