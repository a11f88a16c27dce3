import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { Actor } from '../common/context';
import { DomainError, ErrorCode, invalidField } from '../common/errors';
import { assertPasswordAcceptable } from './domain/password-policy';
import { ChangePasswordDto, MeView, TokenView } from './dto/access.dto';
import { LoginThrottle } from './login-throttle';
import { hashPassword, verifyPassword } from './passwords';
import { Principal, UsersService } from './users.service';

export const LOGIN_THROTTLE = Symbol('LOGIN_THROTTLE');

interface TokenPayload {
  sub: number;
  /** The password version the token was issued under; a password change raises it and so ends the token. */
  pwv: number;
  iat: number;
  exp: number;
}

/** Who a valid token stands for, and whether they must change their password before anything else. */
export interface Authenticated {
  actor: Actor;
  passwordChangeRequired: boolean;
}

@Injectable()
export class AuthService {
  private dummy?: Promise<string>;

  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly config: ConfigService,
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottle,
  ) {}

  /** One answer for every failure, so it never tells whether the username exists or is disabled. */
  async login(username: string, password: string, address: string): Promise<TokenView> {
    // Counted before the (slow) check, so parallel guesses cannot all slip under the limit; undone on success.
    this.throttle.attempt(username, address);
    const user = await this.users.principalByUsername(username);
    const ok = await verifyPassword(user?.passwordHash ?? (await this.dummyHash()), password);
    if (!user || !ok || user.disabled) throw new DomainError(ErrorCode.InvalidCredentials, 'Wrong username or password');
    this.throttle.succeeded(username, address);
    return this.issue(user.id, user.passwordVersion);
  }

  /**
   * The signed-in user's own change. The current password is checked (and throttled like a login, so a borrowed
   * session cannot guess it), the new one by the password policy; every earlier token of the user stops working,
   * and the answer is a fresh token.
   */
  async changePassword(actor: Actor, dto: ChangePasswordDto, address: string): Promise<TokenView> {
    this.throttle.attempt(actor.actor, address);
    const user = await this.users.principal(actor.userId!);
    if (!user || !(await verifyPassword(user.passwordHash, dto.currentPassword))) {
      throw invalidField('currentPassword', 'currentPassword is not your current password');
    }
    this.throttle.succeeded(actor.actor, address);
    if (dto.newPassword === dto.currentPassword) throw invalidField('newPassword', 'newPassword must differ from the current password');
    assertPasswordAcceptable('newPassword', dto.newPassword, { username: user.username, displayName: user.displayName });
    const hash = await hashPassword(dto.newPassword, this.config.getOrThrow<number>('PASSWORD_HASH_COST'));
    const version = await this.users.changeOwnPassword(actor, user.passwordVersion, hash);
    return this.issue(user.id, version);
  }

  private async issue(userId: number, passwordVersion: number): Promise<TokenView> {
    const expiresIn = this.config.getOrThrow<number>('JWT_TTL_SECONDS');
    const payload: Pick<TokenPayload, 'sub' | 'pwv'> = { sub: userId, pwv: passwordVersion };
    return { accessToken: await this.jwt.signAsync(payload, { expiresIn }), expiresIn };
  }

  /** Checked against when the username does not exist, so a wrong username costs as much as a wrong password. */
  private dummyHash(): Promise<string> {
    this.dummy ??= hashPassword('not the password of anyone', this.config.getOrThrow<number>('PASSWORD_HASH_COST'));
    return this.dummy;
  }

  /**
   * Who a bearer token stands for; 401 for a bad, forged or expired token, one without an expiry (it would never
   * expire), one issued before the user's latest password change, or a disabled user's.
   */
  async authenticate(token: string): Promise<Authenticated> {
    let payload: Partial<TokenPayload>;
    try {
      payload = await this.jwt.verifyAsync<TokenPayload>(token, { algorithms: ['HS256'] });
    } catch {
      throw unauthenticated();
    }
    if (!isWellFormed(payload)) throw unauthenticated();
    const user = await this.users.principal(payload.sub);
    if (!user || user.disabled || user.passwordVersion !== payload.pwv) throw unauthenticated();
    return { actor: actorOf(user), passwordChangeRequired: user.passwordChangeRequired };
  }

  async me(actor: Actor): Promise<MeView> {
    const view = await this.users.get(actor, actor.userId!);
    const user = await this.users.principal(actor.userId!);
    return { ...view, county: actor.county.code, orgUnitPath: actor.orgUnit!.path, passwordChangeRequired: user?.passwordChangeRequired ?? false };
  }
}

/** The verifier checks `exp` only when present; a token the service issued always has it, and the rest. */
function isWellFormed(payload: Partial<TokenPayload>): payload is TokenPayload {
  return (
    Number.isInteger(payload.sub) &&
    Number.isInteger(payload.pwv) &&
    typeof payload.iat === 'number' &&
    typeof payload.exp === 'number' &&
    Number.isFinite(payload.exp)
  );
}

function actorOf(user: Principal): Actor {
  return {
    county: { id: user.countyId, code: user.countyCode },
    actor: user.username,
    userId: user.id,
    roles: user.roles,
    orgUnit: { id: user.orgUnitId, path: user.orgUnitPath },
  };
}

function unauthenticated(): DomainError {
  return new DomainError(ErrorCode.Unauthenticated, 'A valid access token is required');
}
