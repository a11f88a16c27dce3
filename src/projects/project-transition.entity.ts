import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../access/entities/user.entity';
import { Project } from './project.entity';

/** Who moved a project from which state to which, when and why. */
@Entity('project_transitions')
@Index('IDX_project_transitions_project', ['projectId', 'id'])
export class ProjectTransition {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_project_transitions' })
  id: string;

  @Column({ type: 'int' })
  projectId: number;

  @ManyToOne(() => Project, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'FK_project_transitions_project' })
  project?: Project;

  @Column({ type: 'varchar', length: 32 })
  action: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  fromState: string | null;

  @Column({ type: 'varchar', length: 32 })
  toState: string;

  @Column({ type: 'int' })
  actorId: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'actor_id', foreignKeyConstraintName: 'FK_project_transitions_actor' })
  actor?: User;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}
