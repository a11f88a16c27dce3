import { isCalendarDay } from '../../common/dates';
import Decimal from 'decimal.js';
import { EntityManager } from 'typeorm';
import { RowShape, selectRows } from '../../database/rows';
import { LedgerReadingService } from '../../ledger/ledger-reading.service';
import { Cell, ExportTable } from '../table';

/** The period an export covers: two days of the county's calendar, `from` ≤ `to`, both included. */
export interface RegisterPeriod {
  from: string;
  to: string;
}

/** How every register is built: in the caller's unit of work (one snapshot), for one county and period. */
export type RegisterBuilder = (em: EntityManager, countyId: number, period: RegisterPeriod) => ExportTable;

/** A file the audit package carries beside the registers, read one at a time. */
export interface PackageFile {
  path: string;
  bytes: Buffer;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The instants a period's days span in China (Asia/Shanghai, no daylight saving), where the county keeps its books:
 * `start` is `from` at 00:00, `end` the day after `to` at 00:00. Timestamps (`at`, `created_at`, `closed_at`) fall in
 * the period when `start <= t < end`, a range an index on the timestamp can answer.
 */
export function periodInstants(period: RegisterPeriod): { start: Date; end: Date } {
  for (const day of [period.from, period.to]) if (!isCalendarDay(day)) throw new Error(`Not a day: ${day}`);
  if (period.from > period.to) throw new Error(`The period ${period.from}…${period.to} ends before it starts`);
  const start = new Date(`${period.from}T00:00:00+08:00`);
  const end = new Date(new Date(`${period.to}T00:00:00+08:00`).getTime() + DAY_MS);
  return { start, end };
}

/** Cells as the export contract writes them (src/exports/table.ts): strings, or null for an empty cell. */
export const cell = {
  text: (value: string | null): Cell => value,
  integer: (value: number | string | null): Cell => (value === null ? null : String(value)),
  /** numeric(20,2) text or a Decimal: exactly two decimals, never negative (a negative is a bug, not a cell). */
  money: (value: string | Decimal | null): Cell => {
    if (value === null) return null;
    const text = typeof value === 'string' ? value : value.toFixed(2, Decimal.ROUND_HALF_UP);
    if (!/^\d+\.\d{2}$/.test(text)) throw new Error(`Not a money cell: ${text}`);
    return text;
  },
  date: (value: string | null): Cell => value,
  datetime: (value: Date | null): Cell => (value === null ? null : value.toISOString()),
  boolean: (value: boolean | null): Cell => (value === null ? null : String(value)),
  /** Several values in one cell, in their order, separated by `;` (none: empty). */
  list: (values: readonly (string | number)[]): Cell => (values.length === 0 ? null : values.join(';')),
};

/**
 * Rows of a statement a page at a time, by keyset on `id`: the statement's last two parameters are the last id of the
 * previous page (`after`, 0 first) and the page size, and it orders by `id`. Registers that ask the ledger about a
 * page's transactions read this way instead of through one cursor: a cursor holds the unit of work's connection until
 * it is read to the end, so the ledger could not be asked anything meanwhile. Every page is read in the caller's unit
 * of work, so all pages see its one snapshot; memory holds one page.
 */
export async function* keysetPages<T extends { id: number }>(
  em: EntityManager,
  shape: RowShape<T>,
  sql: string,
  params: readonly unknown[],
  pageSize: number,
): AsyncGenerator<T[]> {
  let after = 0;
  for (;;) {
    const page = await selectRows(em, shape, sql, [...params, after, pageSize]);
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1].id;
  }
}

/**
 * The effective date (業務日期) of each ledger transaction named, asked of the ledger's way out: a payment or a
 * retention movement records its transaction, and the ledger alone keeps the date the transaction belongs to.
 * A transaction the ledger does not know is a broken link, and fails the export.
 */
export async function effectiveDates(em: EntityManager, countyId: number, transactionIds: readonly string[]): Promise<Map<string, string>> {
  if (!em.queryRunner) throw new Error('A register reads in the EntityManager of a unit of work');
  const dates = await new LedgerReadingService(em.connection).effectiveDates(em, countyId, [...new Set(transactionIds)]);
  for (const id of transactionIds) if (!dates.has(id)) throw new Error(`The ledger of county ${countyId} has no transaction ${id}`);
  return dates;
}
