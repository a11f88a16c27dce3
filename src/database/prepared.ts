import type { ClientBase } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { Queryable } from './rows';

/** A pg client as `selectRows` reads it: each statement answers its rows; with `name`, run as that prepared statement. */
export function onClient(client: ClientBase, name?: string): Queryable {
  return {
    query: async (text, values = []): Promise<unknown[]> =>
      (await client.query<Record<string, unknown>>(name === undefined ? { text, values } : { name, text, values })).rows,
  };
}

/**
 * A named prepared statement (pg's `{ name, text, values }`) for `selectRows`: PostgreSQL parses and plans it once
 * per connection, which for the posting statement (a CTE whose inserts fire triggers) halves the database's work. It
 * runs on the unit of work's connection, inside its transaction. `name` must stand for exactly one `text`.
 */
export function prepared(em: EntityManager, name: string): Queryable {
  return {
    query: async (text, values) => {
      if (!em.queryRunner) throw new Error('prepared needs the EntityManager of a unit of work');
      // A query runner's connection is the pg client it holds from the pool (TypeORM's postgres driver).
      const client = (await em.queryRunner.connect()) as ClientBase;
      return onClient(client, name).query(text, values);
    },
  };
}

/** The same, alone on a connection of its own from the pool: one autocommitted statement, atomic by itself. */
export function preparedAlone(ds: DataSource, name: string): Queryable {
  return {
    query: async (text, values) => {
      const runner = ds.createQueryRunner();
      try {
        const client = (await runner.connect()) as ClientBase;
        return await onClient(client, name).query(text, values);
      } finally {
        await runner.release();
      }
    },
  };
}
