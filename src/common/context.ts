import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '../access/domain/roles';

/** Who acts, and in which county. Every service call that reads or changes county data takes one. */
export interface Actor {
  county: { id: number; code: string };
  /** The username, as events record it; `system` for what the service does by itself. */
  actor: string;
  /** null for the system. */
  userId: number | null;
  roles: readonly Role[];
  /** The acting person's org unit and its path ("/1/4/"), for scope. */
  orgUnit: { id: number; path: string } | null;
}

export type RequestWithActor = Request & { actor?: Actor };

export function systemActor(county: { id: number; code: string }): Actor {
  return { county, actor: 'system', userId: null, roles: [], orgUnit: null };
}

/** The authenticated person of the request, set by the global access guard. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<RequestWithActor>().actor;
  if (!actor) throw new Error('request has no actor: the route must be declared with @Authenticated');
  return actor;
});
