import { ClientBase } from 'pg';
import QueryStream from 'pg-query-stream';
import { DataSource, EntityManager } from 'typeorm';
import { RowShape, typedRow } from './rows';

/**
 * Rows of a statement read through a server-side cursor, `batchSize` at a time, as the consumer asks for them: memory
 * holds one batch however many rows the statement answers (exports of millions of ledger lines). Runs on the unit of
 * work's connection, so it reads that unit of work's snapshot; each row is renamed and checked like `selectRows`.
 */
export async function* streamRows<T>(em: EntityManager, shape: RowShape<T>, sql: string, params: readonly unknown[] = [], batchSize = 2000): AsyncGenerator<T> {
  if (!em.queryRunner) throw new Error('streamRows needs the EntityManager of a unit of work');
  const client = (await em.queryRunner.connect()) as ClientBase;
  const stream = client.query(new QueryStream(sql, [...params], { batchSize, highWaterMark: batchSize }));
  try {
    for await (const row of stream as AsyncIterable<unknown>) yield typedRow(shape, row);
  } finally {
    stream.destroy();
  }
}

/**
 * A read-only unit of work on one snapshot (REPEATABLE READ): every read of an export sees the same committed state,
 * so a journal, its trial balance and its registers agree with each other whatever is posted meanwhile.
 */
export function inSnapshot<T>(ds: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return ds.transaction('REPEATABLE READ', async (em) => {
    await em.query('SET TRANSACTION READ ONLY');
    return work(em);
  });
}
