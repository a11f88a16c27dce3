import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { Actor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { MeView, TokenView } from './dto/access.dto';
import { LoginThrottle } from './login-throttle';
import { hashPassword, verifyPassword } from './passwords';
import { UsersService } from './users.service';

export const LOGIN_THROTTLE = Symbol('LOGIN_THROTTLE');

interface TokenPayload {
  sub: number;
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
    const expiresIn = this.config.getOrThrow<number>('JWT_TTL_SECONDS');
    const payload: TokenPayload = { sub: user.id };
    return { accessToken: await this.jwt.signAsync(payload, { expiresIn }), expiresIn };
  }

  /** Checked against when the username does not exist, so a wrong username costs as much as a wrong password. */
  private dummyHash(): Promise<string> {
    this.dummy ??= hashPassword('not the password of anyone', this.config.getOrThrow<number>('PASSWORD_HASH_COST'));
    return this.dummy;
  }

  /** The actor a bearer token stands for; 401 for a bad, expired or forged token or a disabled user. */
  async actorOf(token: string): Promise<Actor> {
    let payload: TokenPayload;
    try {
      payload = await this.jwt.verifyAsync<TokenPayload>(token, { algorithms: ['HS256'] });
    } catch {
      throw unauthenticated();
    }
    const user = Number.isInteger(payload.sub) ? await this.users.principal(payload.sub) : undefined;
    if (!user || user.disabled) throw unauthenticated();
    return {
      county: { id: user.countyId, code: user.countyCode },
      actor: user.username,
      userId: user.id,
      roles: user.roles,
      orgUnit: { id: user.orgUnitId, path: user.orgUnitPath },
    };
  }

  async me(actor: Actor): Promise<MeView> {
    const view = await this.users.get(actor, actor.userId!);
    return { ...view, county: actor.county.code, orgUnitPath: actor.orgUnit!.path };
  }
}

function unauthenticated(): DomainError {
  return new DomainError(ErrorCode.Unauthenticated, 'A valid access token is required');
}
