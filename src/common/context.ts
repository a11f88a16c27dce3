import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';

/** Who acts, and in which county. Every service call that changes or reads county data takes one. */
export interface Actor {
  county: { id: number; code: string };
  actor: string;
}

export type RequestWithActor = Request & { actor?: Actor };

/**
 * The acting person and county of the request, set by the request-context middleware. Until access control
 * lands, every request acts as `anonymous` in the configured county; the guard will set the real person here.
 */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<RequestWithActor>().actor;
  if (!actor) throw new Error('request has no actor: is the request-context middleware installed?');
  return actor;
});
