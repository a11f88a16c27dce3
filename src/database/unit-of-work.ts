import { DataSource, EntityManager } from 'typeorm';
import { pgErrorOf } from './pg-errors';

const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

/**
 * Runs `work` again when the database reports a serialization failure or a deadlock (SQLSTATE 40001 / 40P01),
 * with a short jittered back-off; any other error propagates.
 */
export async function retryingConflicts<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      const code = pgErrorOf(err)?.code;
      if (!code || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
    }
  }
}

/** Runs `work` in one database transaction (READ COMMITTED) and hands it the manager every query inside must use. */
export function inTransaction<T>(dataSource: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return retryingConflicts(() => dataSource.transaction(work));
}
