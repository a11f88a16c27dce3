import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Role } from './domain/roles';

export const ROLES_KEY = 'access:roles';
export const PUBLIC_KEY = 'access:public';
/** The OpenAPI security scheme every authenticated operation names; the document defines it (src/app.ts). */
export const BEARER_SCHEME = 'bearer';

/**
 * Who may call a route: a valid token of an enabled user holding one of `roles`. Sets the OpenAPI security too.
 * Every route carries this or @Public(); the service refuses to start otherwise (RouteAuditor).
 */
export function Authenticated(...roles: Role[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(BEARER_SCHEME),
    ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED: missing, expired or invalid token, or a disabled user' }),
    ApiForbiddenResponse({ description: `FORBIDDEN_ROLE: the caller holds none of the roles this route requires (${roles.join(', ')})` }),
  );
}

/** A route open to anyone: only health, the API docs and login. */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(PUBLIC_KEY, true);
}

export const PASSWORD_CHANGE_ROUTE_KEY = 'access:password-change-route';

/**
 * One of the few routes a user who must change their password may call (who they are, and the change itself);
 * every other route answers them 403 PASSWORD_CHANGE_REQUIRED.
 */
export function OpenDuringPasswordChange(): MethodDecorator {
  return SetMetadata(PASSWORD_CHANGE_ROUTE_KEY, true);
}
