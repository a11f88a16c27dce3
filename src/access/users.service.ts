import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { DEFAULT_PAGE_SIZE } from '../common/pagination';
import { SqlState, pgErrorOf } from '../database/pg-errors';
import { inTransaction } from '../database/unit-of-work';
import { Role, roleSetProblem } from './domain/roles';
import { CreateUserDto, UserView } from './dto/access.dto';
import { OrgUnitsService } from './org-units.service';
import { hashPassword } from './passwords';
import { inScope, scopePrefix } from './scope';

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  org_unit_id: number;
  roles: Role[];
  disabled: boolean;
}

/** A signed-in person as the guard sees them. */
export interface Principal {
  id: number;
  username: string;
  roles: Role[];
  disabled: boolean;
  countyId: number;
  countyCode: string;
  orgUnitId: number;
  orgUnitPath: string;
  passwordHash: string;
}

const USER_COLUMNS = 'u.id, u.username, u.display_name, u.org_unit_id, u.roles, u.disabled';

@Injectable()
export class UsersService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditLog,
    private readonly units: OrgUnitsService,
    private readonly config: ConfigService,
  ) {}

  async create(actor: Actor, dto: CreateUserDto): Promise<UserView> {
    assertRoleSet(dto.roles);
    await this.units.get(actor, dto.orgUnitId, 'orgUnitId');
    const passwordHash = await hashPassword(dto.password, this.config.getOrThrow<number>('PASSWORD_HASH_COST'));
    try {
      return await inTransaction(this.ds, async (em) => {
        const rows: UserRow[] = await em.query(
          `INSERT INTO users (county_id, org_unit_id, username, display_name, password_hash, roles)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${USER_COLUMNS.replace(/u\./g, '')}`,
          [actor.county.id, dto.orgUnitId, dto.username, dto.displayName, passwordHash, dto.roles],
        );
        const user = userView(rows[0]);
        await this.audit.append(em, actor, 'access.user.created', { ...user });
        return user;
      });
    } catch (err) {
      if (pgErrorOf(err)?.code === SqlState.uniqueViolation) {
        throw new DomainError(ErrorCode.DuplicateUser, `User ${dto.username} already exists`, {
          fields: [{ field: 'username', message: 'already taken' }],
        });
      }
      throw err;
    }
  }

  async list(actor: Actor, afterId = 0, limit = DEFAULT_PAGE_SIZE): Promise<UserView[]> {
    const rows: UserRow[] = await this.ds.query(
      `SELECT ${USER_COLUMNS} FROM users u JOIN org_units o ON o.id = u.org_unit_id
        WHERE u.county_id = $1 AND o.path LIKE $2 || '%' AND u.id > $3 ORDER BY u.id LIMIT $4`,
      [actor.county.id, scopePrefix(actor), afterId, limit],
    );
    return rows.map(userView);
  }

  async get(actor: Actor, id: number): Promise<UserView> {
    const rows: (UserRow & { path: string })[] = await this.ds.query(
      `SELECT ${USER_COLUMNS}, o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.id = $1 AND u.county_id = $2`,
      [id, actor.county.id],
    );
    if (rows.length === 0 || !inScope(actor, rows[0].path)) throw new DomainError(ErrorCode.NotFound, `No user ${id}`);
    return userView(rows[0]);
  }

  /** Nobody changes their own roles, and the county always keeps an enabled admin. */
  async setRoles(actor: Actor, id: number, roles: Role[]): Promise<UserView> {
    assertRoleSet(roles);
    if (id === actor.userId) throw new DomainError(ErrorCode.InvalidState, 'You cannot change your own roles');
    return this.change(actor, id, 'access.user.roles_set', `roles = $3`, [roles]);
  }

  async disable(actor: Actor, id: number): Promise<UserView> {
    if (id === actor.userId) throw new DomainError(ErrorCode.InvalidState, 'You cannot disable yourself');
    return this.change(actor, id, 'access.user.disabled', `disabled = true`, []);
  }

  /** The person behind a token, or undefined when there is none. */
  async principal(id: number): Promise<Principal | undefined> {
    return this.findPrincipal('u.id = $1', id);
  }

  async principalByUsername(username: string): Promise<Principal | undefined> {
    return this.findPrincipal('u.username = $1', username);
  }

  async countIn(countyId: number): Promise<number> {
    const [{ n }] = await this.ds.query(`SELECT count(*)::int AS n FROM users WHERE county_id = $1`, [countyId]);
    return n;
  }

  private async findPrincipal(where: string, value: unknown): Promise<Principal | undefined> {
    const rows: Principal[] = await this.ds.query(
      `SELECT u.id, u.username, u.roles, u.disabled, u.password_hash AS "passwordHash", u.county_id AS "countyId",
              c.code AS "countyCode", u.org_unit_id AS "orgUnitId", o.path AS "orgUnitPath"
         FROM users u JOIN counties c ON c.id = u.county_id JOIN org_units o ON o.id = u.org_unit_id
        WHERE ${where}`,
      [value],
    );
    return rows[0];
  }

  private async change(actor: Actor, id: number, event: string, set: string, params: unknown[]): Promise<UserView> {
    return inTransaction(this.ds, async (em) => {
      const found: (UserRow & { path: string })[] = await em.query(
        `SELECT ${USER_COLUMNS}, o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id
          WHERE u.id = $1 AND u.county_id = $2 FOR UPDATE OF u`,
        [id, actor.county.id],
      );
      if (found.length === 0 || !inScope(actor, found[0].path)) throw new DomainError(ErrorCode.NotFound, `No user ${id}`);
      // TypeORM answers an UPDATE … RETURNING with [rows, affected].
      const [rows]: [UserRow[], number] = await em.query(
        `UPDATE users SET ${set} WHERE id = $1 AND county_id = $2 RETURNING ${USER_COLUMNS.replace(/u\./g, '')}`,
        [id, actor.county.id, ...params],
      );
      const user = userView(rows[0]);
      const [{ admins }] = await em.query(
        `SELECT count(*)::int AS admins FROM users WHERE county_id = $1 AND NOT disabled AND 'admin' = ANY(roles)`,
        [actor.county.id],
      );
      if (admins === 0) throw new DomainError(ErrorCode.InvalidState, 'The county must keep at least one enabled admin');
      await this.audit.append(em, actor, event, { ...user });
      return user;
    });
  }
}

function assertRoleSet(roles: Role[]): void {
  const problem = roleSetProblem(roles);
  if (problem) throw new DomainError(ErrorCode.ValidationFailed, problem, { fields: [{ field: 'roles', message: problem }] });
}

function userView(row: UserRow): UserView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    orgUnitId: row.org_unit_id,
    roles: row.roles,
    disabled: row.disabled,
  };
}
