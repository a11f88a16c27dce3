import type { PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs a named prepared statement (pg's `{ name, text, values }`): PostgreSQL parses and plans it once per
 * connection, which for the posting statement (a CTE whose inserts fire triggers) halves the database's work. It runs
 * on the unit of work's connection, inside its transaction. `name` must stand for exactly one `text`.
 */
export async function runPrepared<T>(em: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  if (!em.queryRunner) throw new Error('runPrepared needs the EntityManager of a unit of work');
  // A query runner's connection is the pg client it holds from the pool (TypeORM's postgres driver).
  const client = (await em.queryRunner.connect()) as PoolClient;
  return (await client.query({ name, text, values })).rows as T[];
}

/** The same, alone on a connection of its own from the pool: one autocommitted statement, atomic by itself. */
export async function runPreparedAlone<T>(ds: DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  const runner = ds.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    return (await client.query({ name, text, values })).rows as T[];
  } finally {
    await runner.release();
  }
}
