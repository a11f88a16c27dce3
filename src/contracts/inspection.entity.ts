import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../access/entities/user.entity';
import { Contract } from './contract.entity';

/** 督查: a pass or fail recorded against a contract, optionally one stage of its schedule. */
@Entity('contract_inspections')
@Index('IDX_contract_inspections_contract', ['contractId', 'id'])
@Check('CK_contract_inspections_result', `"result" IN ('pass', 'fail')`)
export class Inspection {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_contract_inspections' })
  id: number;

  @Column({ type: 'int' })
  contractId: number;

  @ManyToOne(() => Contract, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contract_id', foreignKeyConstraintName: 'FK_contract_inspections_contract' })
  contract?: Contract;

  /** 1-based stage of the schedule this inspection verifies; null: the contract as a whole. */
  @Column({ type: 'int', nullable: true })
  stage: number | null;

  @Column({ type: 'varchar', length: 8 })
  result: 'pass' | 'fail';

  @Column({ type: 'varchar', length: 2000 })
  notes: string;

  @Column({ type: 'int' })
  inspectorId: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'inspector_id', foreignKeyConstraintName: 'FK_contract_inspections_inspector' })
  inspector?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}
