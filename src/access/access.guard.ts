import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RequestWithActor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { PASSWORD_CHANGE_ROUTE_KEY, PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { AuthService } from './auth.service';
import { Role } from './domain/roles';

/**
 * The one guard: every request to a route is authenticated and its role checked, unless the route is @Public. A user
 * whose password was set by someone else reaches only the routes that let them see that and change it.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles) throw new Error(`route ${ctx.getClass().name}.${ctx.getHandler().name} declares no access`);

    const req = ctx.switchToHttp().getRequest<RequestWithActor>();
    const header = req.headers.authorization ?? '';
    const token = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header)?.[1];
    if (!token) throw new DomainError(ErrorCode.Unauthenticated, 'A valid access token is required');
    const { actor, passwordChangeRequired } = await this.auth.authenticate(token);
    if (passwordChangeRequired && !this.reflector.getAllAndOverride<boolean>(PASSWORD_CHANGE_ROUTE_KEY, targets)) {
      throw new DomainError(ErrorCode.PasswordChangeRequired, 'Your password was set by someone else: change it first (POST /api/v1/auth/password)');
    }
    if (!actor.roles.some((r) => roles.includes(r))) {
      throw new DomainError(ErrorCode.ForbiddenRole, 'Your roles do not allow this action', { requires: roles });
    }
    req.actor = actor;
    return true;
  }
}
