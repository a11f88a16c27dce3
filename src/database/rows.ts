import { z } from 'zod';

/** Anything that runs SQL: the DataSource or a unit of work's EntityManager. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * Column types as `pg` hands them over: int4 as number, int8 and numeric as strings (never a JS number for money),
 * timestamptz as Date; dates are selected as `::text` so no time zone moves them.
 */
export const col = {
  id: z.number().int(),
  /** int2 / int4 numbers that are not ids: fiscal years, line numbers, households, versions. */
  int: z.number().int(),
  /** int8 counters and sequence numbers: exact as strings, read as bigint only where arithmetic needs it. */
  int8: z.string().regex(/^-?\d+$/),
  count: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]),
  text: z.string(),
  money: z.string().regex(/^-?\d+(\.\d+)?$/),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  timestamp: z.date(),
  bool: z.boolean(),
  json: z.unknown(),
  textArray: z.array(z.string()),
  /** bytea: stored files (attachments, notice PDFs). */
  bytes: z.instanceof(Buffer),
};

/** The row of `RETURNING id` or `nextval`: the commonest shape, declared once. */
export const IdRow = z.object({ id: col.id });

/** A row shape: the columns of one query, named in camelCase; the SQL names them in snake_case. */
export type RowShape<T> = z.ZodType<T>;

/** Column names repeat on every row of every query: each is renamed once per process. */
const camelNames = new Map<string, string>();

function camelCase(key: string): string {
  let name = camelNames.get(key);
  if (name === undefined) {
    name = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    if (camelNames.size < 10_000) camelNames.set(key, name);
  }
  return name;
}

function camelCaseKeys(row: unknown): unknown {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return row;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[camelCase(key)] = value;
  return out;
}

/**
 * TypeORM answers `UPDATE … RETURNING` / `DELETE … RETURNING` with `[rows, affected]` and everything else with the
 * rows: one place knows the difference.
 */
function rowsOf(result: unknown): unknown[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as unknown[];
  if (Array.isArray(result)) return result;
  throw new TypeError('The query did not answer rows');
}

/**
 * The one way from SQL to typed rows: runs the statement, renames snake_case columns to camelCase and checks every
 * row against its shape. A row that does not fit is a programming error (the SQL and the shape disagree) and fails
 * loudly instead of travelling on as a wrong type.
 */
export async function selectRows<T>(db: Queryable, shape: RowShape<T>, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  const rows = rowsOf(await db.query(sql, [...params]));
  return rows.map((row) => typedRow(shape, row));
}

/** One row as the driver gave it, renamed to camelCase and checked against its shape. */
export function typedRow<T>(shape: RowShape<T>, row: unknown): T {
  return shape.parse(camelCaseKeys(row));
}

/** The first row of `selectRows`, or undefined when there is none. */
export async function selectOne<T>(db: Queryable, shape: RowShape<T>, sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
  const [row] = await selectRows(db, shape, sql, params);
  return row;
}

/** Runs a statement whose answer is not read (INSERT / UPDATE / DELETE without RETURNING, DDL). */
export async function execute(db: Queryable, sql: string, params: readonly unknown[] = []): Promise<void> {
  await db.query(sql, [...params]);
}
