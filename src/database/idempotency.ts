import { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '../common/errors';
import { requestHashOf } from '../common/idempotency';
import { pgErrorOf } from './pg-errors';
import { inTransaction } from './unit-of-work';

/** What a request with an Idempotency-Key is: its key, and what identifies the request (route and body). */
export interface IdempotentRequest {
  countyId: number;
  key: string | undefined;
  /** The route with its ids, e.g. `POST /contracts/12/payments`: the same key on another route is another request. */
  scope: string;
  body: object;
}

/**
 * Runs `work` in one unit of work. With a key, the answer is recorded in the same unit of work; a replay (same key,
 * same route and body) gets the recorded answer and changes nothing, a different request under the key is refused
 * (409 IDEMPOTENCY_MISMATCH). Two copies racing: the second's unit of work fails on the key and answers the first's.
 */
export async function idempotent<T>(ds: DataSource, request: IdempotentRequest, work: (em: EntityManager) => Promise<T>): Promise<{ value: T; replayed: boolean }> {
  if (request.key === undefined) return { value: await inTransaction(ds, work), replayed: false };
  const hash = requestHashOf({ scope: request.scope, body: request.body });
  const earlier = await recorded<T>(ds, request, hash);
  if (earlier) return earlier;
  try {
    const value = await inTransaction(ds, async (em) => {
      const answer = await work(em);
      await em.query(`INSERT INTO idempotency_records (county_id, key, request_hash, response) VALUES ($1, $2, $3, $4)`, [
        request.countyId,
        request.key,
        hash,
        JSON.stringify(answer),
      ]);
      return answer;
    });
    return { value, replayed: false };
  } catch (err) {
    if (pgErrorOf(err)?.constraint === 'PK_idempotency_records') {
      const first = await recorded<T>(ds, request, hash);
      if (first) return first;
    }
    throw err;
  }
}

async function recorded<T>(ds: DataSource, request: IdempotentRequest, hash: string): Promise<{ value: T; replayed: true } | null> {
  const [row]: { request_hash: string; response: T }[] = await ds.query(`SELECT request_hash, response FROM idempotency_records WHERE county_id = $1 AND key = $2`, [
    request.countyId,
    request.key,
  ]);
  if (!row) return null;
  if (row.request_hash !== hash) {
    throw new DomainError(ErrorCode.IdempotencyMismatch, 'This Idempotency-Key was used with a different request', { fields: [{ field: 'Idempotency-Key', message: 'used with a different request' }] });
  }
  return { value: row.response, replayed: true };
}
