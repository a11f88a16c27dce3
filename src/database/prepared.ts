import { DataSource } from 'typeorm';

interface PgPool {
  query<T>(query: { name: string; text: string; values: unknown[] }): Promise<{ rows: T[] }>;
}

/**
 * Runs a named prepared statement on its own (autocommitted) connection from the pool. PostgreSQL parses and
 * plans it once per connection, which for the posting statement (a CTE whose inserts fire triggers) halves the
 * database's work. `name` must stand for exactly one `text`.
 */
export async function runPrepared<T>(ds: DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  const pool = (ds.driver as unknown as { master: PgPool }).master;
  return (await pool.query<T>({ name, text, values })).rows;
}
