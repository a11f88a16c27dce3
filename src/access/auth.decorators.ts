import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Role } from './domain/roles';

export const ROLES_KEY = 'access:roles';
export const PUBLIC_KEY = 'access:public';

/**
 * Who may call a route: a valid token of an enabled user holding one of `roles`. Sets the OpenAPI security too.
 * Every route carries this or @Public(); the service refuses to start otherwise (RouteAuditor).
 */
export function Authenticated(...roles: Role[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED: missing, expired or invalid token, or a disabled user' }),
    ApiForbiddenResponse({ description: 'FORBIDDEN_ROLE: none of the roles this route requires' }),
  );
}

/** A route open to anyone: only health, the API docs and login. */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(PUBLIC_KEY, true);
}
