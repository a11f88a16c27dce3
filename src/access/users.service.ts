import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { AuditLog } from '../audit/audit-log';
import { Actor, systemActor } from '../common/context';
import { DomainError, ErrorCode, invalidField } from '../common/errors';
import { DEFAULT_PAGE_SIZE } from '../common/pagination';
import { SqlState, pgErrorOf } from '../database/pg-errors';
import { col, selectOne, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';
import { assertPasswordAcceptable, generatePassword } from './domain/password-policy';
import { ORG_LEVELS, OrgLevel, ROLES, Role, roleSetProblem, roleUnitProblem } from './domain/roles';
import { CreateUserDto, UserView } from './dto/access.dto';
import { OrgUnitsService } from './org-units.service';
import { hashPassword } from './passwords';
import { inScope, scopePrefix } from './scope';

const UserCount = z.object({ n: col.count });
const AdminCount = z.object({ admins: col.count });
const CountyRef = z.object({ id: col.id, code: col.text });

/** `users.roles`: a varchar[] of known roles. */
const RolesColumn = z.array(z.enum(ROLES));

/** A user as the API shows it (`UserView`). */
const UserRow = z.object({
  id: col.id,
  username: col.text,
  displayName: col.text,
  orgUnitId: col.id,
  roles: RolesColumn,
  disabled: col.bool,
});

/** A user row locked for a change, with what the change's rules read. */
const UserWithPath = UserRow.extend({ path: col.text });
const LockedUser = UserRow.extend({ countyId: col.id, passwordVersion: col.int, path: col.text, level: z.enum(ORG_LEVELS) });
type LockedUser = z.infer<typeof LockedUser>;

/** A signed-in person as the guard sees them. */
const PrincipalRow = z.object({
  id: col.id,
  username: col.text,
  displayName: col.text,
  roles: RolesColumn,
  disabled: col.bool,
  countyId: col.id,
  countyCode: col.text,
  orgUnitId: col.id,
  orgUnitPath: col.text,
  passwordHash: col.text,
  passwordVersion: col.int,
  passwordChangeRequired: col.bool,
});
export type Principal = z.infer<typeof PrincipalRow>;

const USER_COLUMNS = 'u.id, u.username, u.display_name, u.org_unit_id, u.roles, u.disabled';

/** A change of a user row: the SET clause (`$1` id, `$2` county, then `params`), a check of the locked row, and the event. */
interface UserChange {
  event: string;
  set: string;
  params: unknown[];
  check?: (found: LockedUser) => void;
  /** Recorded with the user's view; never a password or its hash. */
  data?: Record<string, unknown>;
}

const PASSWORD_RESET_DATA = { passwordChangeRequired: true };

/** The one way a password is written: a new version, so every token issued under the old one stops working. */
const SET_PASSWORD = 'password_hash = $3, password_version = password_version + 1, password_change_required = $4';

@Injectable()
export class UsersService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditLog,
    private readonly units: OrgUnitsService,
    private readonly config: ConfigService,
  ) {}

  /** `passwordChangeRequired`: the password is someone else's choice (a generated first admin's). */
  async create(actor: Actor, dto: CreateUserDto, options: { passwordChangeRequired?: boolean } = {}): Promise<UserView> {
    assertRoleSet(dto.roles);
    const unit = await this.units.get(actor, dto.orgUnitId, 'orgUnitId');
    assertRolesFitUnit(dto.roles, unit.level);
    assertPasswordAcceptable('password', dto.password, { username: dto.username, displayName: dto.displayName });
    const passwordHash = await hashPassword(dto.password, this.hashCost());
    const changeRequired = options.passwordChangeRequired ?? false;
    try {
      return await inTransaction(this.ds, async (em) => {
        const [user] = await selectRows(
          em,
          UserRow,
          `INSERT INTO users (county_id, org_unit_id, username, display_name, password_hash, roles, password_change_required)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${USER_COLUMNS.replace(/u\./g, '')}`,
          [actor.county.id, dto.orgUnitId, dto.username, dto.displayName, passwordHash, dto.roles, changeRequired],
        );
        await this.audit.append(em, actor, 'access.user.created', { ...user, ...(changeRequired ? { passwordChangeRequired: true } : {}) });
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
    return selectRows(
      this.ds,
      UserRow,
      `SELECT ${USER_COLUMNS} FROM users u JOIN org_units o ON o.id = u.org_unit_id
        WHERE u.county_id = $1 AND o.path LIKE $2 || '%' AND u.id > $3 ORDER BY u.id LIMIT $4`,
      [actor.county.id, scopePrefix(actor), afterId, limit],
    );
  }

  async get(actor: Actor, id: number): Promise<UserView> {
    const row = await selectOne(
      this.ds,
      UserWithPath,
      `SELECT ${USER_COLUMNS}, o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.id = $1 AND u.county_id = $2`,
      [id, actor.county.id],
    );
    if (!row || !inScope(actor, row.path)) throw new DomainError(ErrorCode.NotFound, `No user ${id}`);
    const { path: _path, ...user } = row;
    return user;
  }

  /** Nobody changes their own roles, the roles fit the user's unit, and the county always keeps an enabled admin. */
  async setRoles(actor: Actor, id: number, roles: Role[]): Promise<UserView> {
    assertRoleSet(roles);
    if (id === actor.userId) throw new DomainError(ErrorCode.InvalidState, 'You cannot change your own roles');
    return this.change(actor, id, {
      event: 'access.user.roles_set',
      set: `roles = $3`,
      params: [roles],
      check: (found) => assertRolesFitUnit(roles, found.level),
    });
  }

  async disable(actor: Actor, id: number): Promise<UserView> {
    if (id === actor.userId) throw new DomainError(ErrorCode.InvalidState, 'You cannot disable yourself');
    return this.change(actor, id, { event: 'access.user.disabled', set: `disabled = true`, params: [] });
  }

  /**
   * An admin sets someone else's password (they forgot it, or it may be known): the user must choose their own at
   * the next login, and every token they hold stops working. Nobody resets their own this way (POST /auth/password).
   */
  async resetPassword(actor: Actor, id: number, password: string): Promise<UserView> {
    if (id === actor.userId) throw new DomainError(ErrorCode.InvalidState, 'Change your own password with POST /api/v1/auth/password');
    const target = await this.get(actor, id);
    assertPasswordAcceptable('password', password, { username: target.username, displayName: target.displayName });
    const passwordHash = await hashPassword(password, this.hashCost());
    return this.change(actor, id, { event: 'access.user.password_reset', set: SET_PASSWORD, params: [passwordHash, true], data: PASSWORD_RESET_DATA });
  }

  /**
   * The signed-in user's own new password, already checked against the old one and the policy. Refused when the
   * password changed since it was checked (`seenVersion`), so two racing changes cannot both win. Answers the new
   * password version, which the caller's next token carries.
   */
  async changeOwnPassword(actor: Actor, seenVersion: number, passwordHash: string): Promise<number> {
    let version = 0;
    await this.change(actor, actor.userId!, {
      event: 'access.user.password_changed',
      set: SET_PASSWORD,
      params: [passwordHash, false],
      check: (found) => {
        if (found.passwordVersion !== seenVersion) throw new DomainError(ErrorCode.InvalidState, 'The password was changed meanwhile; sign in again');
        version = found.passwordVersion + 1;
      },
    });
    return version;
  }

  /** The person behind a token, or undefined when there is none. */
  async principal(id: number): Promise<Principal | undefined> {
    return this.findPrincipal('u.id = $1', id);
  }

  async principalByUsername(username: string): Promise<Principal | undefined> {
    return this.findPrincipal('u.username = $1', username);
  }

  async countIn(countyId: number): Promise<number> {
    const [{ n }] = await selectRows(this.ds, UserCount, `SELECT count(*)::int AS n FROM users WHERE county_id = $1`, [countyId]);
    return n;
  }

  private hashCost(): number {
    return this.config.getOrThrow<number>('PASSWORD_HASH_COST');
  }

  private async findPrincipal(where: string, value: unknown): Promise<Principal | undefined> {
    return selectOne(
      this.ds,
      PrincipalRow,
      `SELECT u.id, u.username, u.display_name AS "displayName", u.roles, u.disabled, u.password_hash AS "passwordHash",
              u.password_version AS "passwordVersion", u.password_change_required AS "passwordChangeRequired",
              u.county_id AS "countyId", c.code AS "countyCode", u.org_unit_id AS "orgUnitId", o.path AS "orgUnitPath"
         FROM users u JOIN counties c ON c.id = u.county_id JOIN org_units o ON o.id = u.org_unit_id
        WHERE ${where}`,
      [value],
    );
  }

  /** One change of one user in the actor's scope, checked on the locked row, with its event in the same transaction. */
  private async change(actor: Actor, id: number, c: UserChange): Promise<UserView> {
    return inTransaction(this.ds, async (em) => {
      const found = await lockUser(em, 'u.id = $1 AND u.county_id = $2', [id, actor.county.id]);
      if (!found || !inScope(actor, found.path)) throw new DomainError(ErrorCode.NotFound, `No user ${id}`);
      c.check?.(found);
      const user = await updateUser(em, found, c.set, c.params);
      const [{ admins }] = await selectRows(
        em,
        AdminCount,
        `SELECT count(*)::int AS admins FROM users WHERE county_id = $1 AND NOT disabled AND 'admin' = ANY(roles)`,
        [actor.county.id],
      );
      if (admins === 0) throw new DomainError(ErrorCode.InvalidState, 'The county must keep at least one enabled admin');
      await this.audit.append(em, actor, c.event, { ...user, ...c.data });
      return user;
    });
  }
}

/**
 * The operator's reset from the command line (`reset-password`), for an admin locked out of their own account: a
 * generated password, to be shown once and changed at the next login. Nobody is signed in, so the event is the
 * system's, in the user's county. Undefined when there is no such user.
 */
export async function resetPasswordAsOperator(ds: DataSource, username: string, hashCost: number): Promise<{ user: UserView; password: string } | undefined> {
  const password = generatePassword();
  const passwordHash = await hashPassword(password, hashCost);
  const user = await inTransaction(ds, async (em) => {
    const found = await lockUser(em, 'u.username = $1', [username]);
    if (!found) return undefined;
    const [county] = await selectRows(em, CountyRef, `SELECT id, code FROM counties WHERE id = $1`, [found.countyId]);
    const user = await updateUser(em, found, SET_PASSWORD, [passwordHash, true]);
    await new AuditLog().append(em, systemActor(county), 'access.user.password_reset', { ...user, ...PASSWORD_RESET_DATA, via: 'command line' });
    return user;
  });
  return user && { user, password };
}

async function lockUser(em: EntityManager, where: string, params: unknown[]): Promise<LockedUser | undefined> {
  return selectOne(
    em,
    LockedUser,
    `SELECT ${USER_COLUMNS}, u.county_id, u.password_version, o.path, o.level FROM users u JOIN org_units o ON o.id = u.org_unit_id
      WHERE ${where} FOR UPDATE OF u`,
    params,
  );
}

async function updateUser(em: EntityManager, found: LockedUser, set: string, params: unknown[]): Promise<UserView> {
  const [user] = await selectRows(em, UserRow, `UPDATE users SET ${set} WHERE id = $1 AND county_id = $2 RETURNING ${USER_COLUMNS.replace(/u\./g, '')}`, [
    found.id,
    found.countyId,
    ...params,
  ]);
  return user;
}

function assertRoleSet(roles: Role[]): void {
  const problem = roleSetProblem(roles);
  if (problem) throw invalidField('roles', problem);
}

function assertRolesFitUnit(roles: Role[], level: OrgLevel): void {
  const problem = roleUnitProblem(roles, level);
  if (problem) throw invalidField('roles', problem);
}
