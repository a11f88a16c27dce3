import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { County } from '../../county/county.entity';
import type { Role } from '../domain/roles';
import { OrgUnit } from './org-unit.entity';

@Entity('users')
@Unique('UQ_users_username', ['username'])
@Check('CK_users_password_version', `"password_version" >= 0`)
@Check('CK_users_admin_duties', `NOT ('admin' = ANY ("roles")) OR "roles" <@ ARRAY['admin', 'auditor']::varchar[]`)
@Check(
  'CK_users_roles',
  `cardinality("roles") > 0 AND "roles" <@ ARRAY['admin', 'county_finance', 'county_leader', 'line_department', 'township_finance', 'village', 'inspector', 'auditor']::varchar[]`,
)
export class User {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_users' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_users_county' })
  county?: County;

  @Column({ type: 'int' })
  orgUnitId: number;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'org_unit_id', foreignKeyConstraintName: 'FK_users_org_unit' })
  orgUnit?: OrgUnit;

  @Column({ type: 'varchar', length: 64 })
  username: string;

  @Column({ type: 'varchar', length: 100 })
  displayName: string;

  /** bcrypt of the password's SHA-256 (src/access/passwords.ts); never returned or logged. */
  @Column({ type: 'varchar', length: 200 })
  passwordHash: string;

  /** Raised by every password change; a token carries the version it was issued under and dies with it. */
  @Column({ type: 'int', default: 0 })
  passwordVersion: number;

  /** Set by an admin's or operator's reset (and for a generated first password): the user must choose their own. */
  @Column({ type: 'boolean', default: false })
  passwordChangeRequired: boolean;

  @Column({ type: 'varchar', length: 32, array: true })
  roles: Role[];

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
