import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../../access/entities/user.entity';
import { County } from '../../county/county.entity';
import { Project } from '../../projects/project.entity';
import { MonitoringAlert } from './alert.entity';

/**
 * A joint inspection (聯合檢查組): the departments taking part, the projects picked by hand, and a random pick whose
 * seed and candidate pool are kept so an auditor can draw it again and get the same projects.
 */
@Entity('inspection_plans')
@Index('IDX_inspection_plans_county', ['countyId', 'id'])
@Check('CK_inspection_plans_pick', `"random_count" >= 0 AND ("random_count" = 0 OR "seed" IS NOT NULL)`)
export class InspectionPlan {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_inspection_plans' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_inspection_plans_county' })
  county?: County;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  /** The departments of the joint group, e.g. 財政局, 鄉村振興局, 審計局, 紀委監委. */
  @Column({ type: 'varchar', length: 100, array: true })
  departments: string[];

  @Column({ type: 'date' })
  plannedOn: string;

  /** How many projects were drawn at random from the pool. */
  @Column({ type: 'int', default: 0 })
  randomCount: number;

  /** The draw's seed (hex): each pool project is ranked by SHA-256(seed ‖ ":" ‖ project id). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  seed: string | null;

  /** The projects the random pick drew from, as they were when the plan was made. */
  @Column({ type: 'int', array: true, default: () => `'{}'` })
  pool: number[];

  @Column({ type: 'int' })
  createdBy: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'FK_inspection_plans_created_by' })
  creator?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** A project of a plan, and how it came in: named by hand or drawn. */
@Entity('inspection_plan_projects')
@Check('CK_inspection_plan_projects_picked', `"picked" IN ('hand', 'random')`)
export class InspectionPlanProject {
  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'PK_inspection_plan_projects' })
  planId: number;

  @ManyToOne(() => InspectionPlan, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'plan_id', foreignKeyConstraintName: 'FK_inspection_plan_projects_plan' })
  plan?: InspectionPlan;

  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'PK_inspection_plan_projects' })
  projectId: number;

  @ManyToOne(() => Project, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'FK_inspection_plan_projects_project' })
  project?: Project;

  @Column({ type: 'varchar', length: 8 })
  picked: string;
}

/** What the group found on one project of its plan; linked to the alert it confirms or opens. */
@Entity('inspection_findings')
@Index('IDX_inspection_findings_plan', ['planId'])
@Check('CK_inspection_findings_severity', `"severity" IN ('red', 'yellow', 'blue')`)
export class InspectionFinding {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_inspection_findings' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_inspection_findings_county' })
  county?: County;

  @Column({ type: 'int' })
  planId: number;

  @ManyToOne(() => InspectionPlan, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'plan_id', foreignKeyConstraintName: 'FK_inspection_findings_plan' })
  plan?: InspectionPlan;

  @Column({ type: 'int' })
  projectId: number;

  @ManyToOne(() => Project, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'FK_inspection_findings_project' })
  project?: Project;

  @Column({ type: 'varchar', length: 2000 })
  finding: string;

  @Column({ type: 'varchar', length: 8 })
  severity: string;

  @Column({ type: 'int', nullable: true })
  alertId: number | null;

  @ManyToOne(() => MonitoringAlert, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'FK_inspection_findings_alert' })
  alert?: MonitoringAlert;

  @Column({ type: 'int' })
  recordedBy: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by', foreignKeyConstraintName: 'FK_inspection_findings_recorded_by' })
  recorder?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt: Date;
}
