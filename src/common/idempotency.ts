import { CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors, applyDecorators, createParamDecorator } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { Observable, map } from 'rxjs';
import { canonicalJson } from '../audit/domain/chain';
import { DomainError, ErrorCode } from './errors';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
const REPLAYED_HEADER = 'Idempotent-Replayed';
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** An Idempotency-Key and the request it came with: what `idempotent()` (src/database/idempotency.ts) records under. */
export interface IdempotencyKey {
  key: string;
  /** The route with its ids, e.g. `POST /contracts/12/payments`: the same key on another route is another request. */
  scope: string;
}

/** The answer of an @Idempotent route: its value, and whether it is the recorded answer to an earlier copy. */
export class IdempotentAnswer<T> {
  constructor(
    readonly value: T,
    readonly replayed: boolean,
  ) {}
}

/** The Idempotency-Key header as the API accepts it: 1-200 visible ASCII characters, or absent. */
export function idempotencyKey(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!KEY_PATTERN.test(raw)) {
    throw new DomainError(ErrorCode.ValidationFailed, 'Idempotency-Key must be 1-200 visible ASCII characters', {
      fields: [{ field: IDEMPOTENCY_KEY_HEADER, message: 'must be 1-200 visible ASCII characters' }],
    });
  }
  return raw;
}

/** SHA-256 of a request's canonical JSON: tells a replay from a different request under one idempotency key. */
export function requestHashOf(request: object): string {
  return createHash('sha256')
    .update(canonicalJson(JSON.parse(JSON.stringify(request))), 'utf8')
    .digest('hex');
}

/**
 * The route a request was sent to, from the route's pattern (so case and a trailing slash do not make another
 * request), below `/api/v1`: scopes recorded before this was derived here were spelled so, and keep matching.
 */
export function scopeOf(req: { method: string; route: { path: string }; params: Record<string, unknown> }): string {
  const path = req.route.path.replace(/:(\w+)/g, (_, name: string) => String(req.params[name])).replace(/^\/api\/v1(?=\/)/, '');
  return `${req.method} ${path}`;
}

const PARSED = Symbol('idempotency-key');
/** The key the interceptor parsed, and whether the handler took it: a route is idempotent all through or not at all. */
type RequestWithKey = Request & { [PARSED]?: { key: IdempotencyKey | undefined; taken: boolean } };

/**
 * Parses the key before the body is read or anything is written (a malformed key is 400 whatever the body), and
 * answers a replay with `Idempotent-Replayed: true`. The route's status code is the same for every copy: a key is
 * bound to its route, so a replay always comes back through the route that answered first.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<RequestWithKey>();
    const key = idempotencyKey(req.header(IDEMPOTENCY_KEY_HEADER));
    const parsed = (req[PARSED] = { key: key === undefined ? undefined : { key, scope: scopeOf(req) }, taken: false });
    return next.handle().pipe(
      map((answer: unknown): unknown => {
        if (!parsed.taken || !(answer instanceof IdempotentAnswer)) {
          const route = `${context.getClass().name}.${context.getHandler().name}`;
          throw new Error(`${route} is @Idempotent but did not take @RequestIdempotencyKey() or did not answer through idempotent()`);
        }
        if (answer.replayed) http.getResponse<Response>().setHeader(REPLAYED_HEADER, 'true');
        return answer.value;
      }),
    );
  }
}

/**
 * A route that takes an `Idempotency-Key`: its handler passes `@RequestIdempotencyKey()` to a service that runs its
 * unit of work through `idempotent()`, and answers what that returns. Documents the header in the OpenAPI too;
 * `effect` says what a replay does not do again (e.g. "pays nothing").
 */
export function Idempotent(effect: string): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: false,
      schema: { type: 'string', pattern: KEY_PATTERN.source },
      description:
        `1-200 visible ASCII characters, the sender's own (another user's key is another request). The same request sent ` +
        `again with the key gets the first answer again, with the same status and \`${REPLAYED_HEADER}: true\`, and ${effect}; ` +
        'copies sent at once wait for the first. The key with another route or body is 409 IDEMPOTENCY_MISMATCH. Keys are ' +
        'kept for ever: use a new one (e.g. a UUID) for every new request.',
    }),
    UseInterceptors(IdempotencyInterceptor),
  );
}

/** The request's Idempotency-Key with its route, or undefined without one. Only on @Idempotent routes. */
export const RequestIdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext): IdempotencyKey | undefined => {
  const req = ctx.switchToHttp().getRequest<RequestWithKey>();
  const parsed = req[PARSED];
  if (!parsed) throw new Error('request has no parsed Idempotency-Key: the route must be declared with @Idempotent');
  parsed.taken = true;
  return parsed.key;
});
