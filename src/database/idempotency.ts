import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { Actor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey, IdempotentAnswer, requestHashOf } from '../common/idempotency';
import { pgErrorOf } from './pg-errors';
import { col, selectOne } from './rows';
import { inTransaction } from './unit-of-work';

/** A request that may carry an Idempotency-Key (bound to its route by `@RequestIdempotencyKey()`): who sends it, its body. */
export interface IdempotentRequest {
  actor: Actor;
  key: IdempotencyKey | undefined;
  /** The body as the service understands it (amounts formatted, accounts as digits), so equivalent retries match. */
  body: object;
}

/**
 * Runs `work` in one unit of work. With a key, the unit of work first waits for any other copy of the request under
 * that key (an advisory lock on the person and key), then answers the recorded answer if there is one (a replay: same
 * person, key, route and body; anything else under the key is 409 IDEMPOTENCY_MISMATCH), else does the work and
 * records its answer before committing. So copies racing each other get the first answer, never a second change.
 */
export async function idempotent<T>(ds: DataSource, request: IdempotentRequest, work: (em: EntityManager) => Promise<T>): Promise<IdempotentAnswer<T>> {
  const { actor } = request;
  if (request.key === undefined) return new IdempotentAnswer(await inTransaction(ds, work), false);
  const { key, scope } = request.key;
  const hash = requestHashOf({ scope, body: request.body });
  const run = () =>
    inTransaction(ds, async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [actor.county.id, `${actor.userId}:${key}`]);
      const earlier = await recorded<T>(em, actor, key, hash);
      if (earlier) return earlier;
      const value = await work(em);
      await em.query(`INSERT INTO idempotency_records (county_id, user_id, key, request_hash, response) VALUES ($1, $2, $3, $4, $5)`, [
        actor.county.id,
        actor.userId,
        key,
        hash,
        JSON.stringify(value),
      ]);
      return new IdempotentAnswer(value, false);
    });
  try {
    return await run();
  } catch (err) {
    // Only if the lock was bypassed (a writer outside this helper): the key's row still decides.
    if (pgErrorOf(err)?.constraint === 'PK_idempotency_records') {
      const first = await recorded<T>(ds.manager, actor, key, hash);
      if (first) return first;
    }
    throw err;
  }
}

/** A recorded answer: `response` is the JSON of what `work` answered the first time. */
const RecordRow = z.object({ requestHash: col.text, response: col.json });

async function recorded<T>(em: EntityManager, actor: Actor, key: string, hash: string): Promise<IdempotentAnswer<T> | null> {
  const row = await selectOne(em, RecordRow, `SELECT request_hash, response FROM idempotency_records WHERE county_id = $1 AND user_id = $2 AND key = $3`, [
    actor.county.id,
    actor.userId,
    key,
  ]);
  if (!row) return null;
  if (row.requestHash !== hash) {
    throw new DomainError(ErrorCode.IdempotencyMismatch, 'This Idempotency-Key was used with a different request', {
      fields: [{ field: IDEMPOTENCY_KEY_HEADER, message: 'used with a different request' }],
    });
  }
  // Written by this function from a `T` under the same key and request hash: it is that answer, as JSON.
  return new IdempotentAnswer(row.response as T, true);
}
