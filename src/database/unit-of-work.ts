import { DataSource, EntityManager } from 'typeorm';
import { pgErrorOf } from './pg-errors';

const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

/**
 * Runs `work` in one database transaction and hands it the manager every query inside must use.
 * Serialization failures and deadlocks are retried with a short jittered back-off; any other error
 * rolls back and propagates.
 */
export async function inTransaction<T>(dataSource: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction('READ COMMITTED', work);
    } catch (err) {
      const code = pgErrorOf(err)?.code;
      if (!code || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
    }
  }
}
