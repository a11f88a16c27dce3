import { DataSource, EntityManager } from 'typeorm';

interface PgQueryable {
  query<T>(query: { name: string; text: string; values: unknown[] }): Promise<{ rows: T[] }>;
}

/**
 * Runs a named prepared statement: PostgreSQL parses and plans it once per connection, which for the posting
 * statement (a CTE whose inserts fire triggers) halves the database's work. Alone (`ds`) it takes its own pooled
 * connection and is autocommitted; with `em` it runs on the unit of work's connection, inside its transaction.
 * `name` must stand for exactly one `text`.
 */
export async function runPrepared<T>(on: DataSource | EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  const target: PgQueryable =
    on instanceof DataSource
      ? (on.driver as unknown as { master: PgQueryable }).master
      : (on.queryRunner as unknown as { databaseConnection: PgQueryable }).databaseConnection;
  return (await target.query<T>({ name, text, values })).rows;
}
