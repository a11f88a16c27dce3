import { Writable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { invalidField } from '../common/errors';
import { col, selectOne } from '../database/rows';
import { inSnapshot } from '../database/stream-rows';
import { BookAccount, Period, findBookAccount } from '../ledger/ledger-books';
import { BookContext, bookContext } from './books/context';
import { subsidiaryLedgerTable } from './books/subsidiary-ledger';
import { BOOK_NAMES, REGISTER_NAMES, bookTable, registerTable } from './catalogue';
import { TableFormat } from './exports.dto';
import { periodProblem } from './period';
import { writeCsv } from './formats/csv';
import { writeXlsx } from './formats/xlsx';
import { subsidiaryLedgerPdfOf, trialBalancePdfOf } from './ledger-pdfs';
import { ExportTable } from './table';

export type TableFamily = 'books' | 'registers';

/** What to export: a book or a register by name, for a period, in a format (docs/exports.md). */
export interface TableRequest {
  family: TableFamily;
  name: string;
  period: Period;
  format: TableFormat;
  /** The subsidiary ledger of this account code only. */
  account?: string;
}

export const CONTENT_TYPES: Record<TableFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/**
 * Refuses, before anything is written, a request no export answers: an unknown name, a period that ends before it
 * starts, a PDF of a table that has none, an account where only the subsidiary ledger takes one.
 */
export function requestProblem(r: TableRequest): ReturnType<typeof invalidField> | null {
  const names = r.family === 'books' ? BOOK_NAMES : REGISTER_NAMES;
  if (!names.includes(r.name)) return invalidField('name', `name must be one of ${names.join(', ')}`);
  const period = periodProblem(r.period);
  if (period) return period;
  if (r.account !== undefined && !(r.family === 'books' && r.name === 'subsidiary-ledger')) {
    return invalidField('account', 'account applies to the subsidiary ledger only');
  }
  if (r.format === 'pdf' && !(r.family === 'books' && (r.name === 'trial-balance' || (r.name === 'subsidiary-ledger' && r.account)))) {
    return invalidField('format', 'pdf is written for the trial balance and for the subsidiary ledger of one account');
  }
  return null;
}

/** A download's file name: `<county>-<name>-<from>-<to>.<format>`. */
export function fileNameOf(countyCode: string, r: TableRequest): string {
  return `${countyCode}-${r.name}${r.account ? `-${r.account.replace(/[^0-9A-Za-z_-]/g, '_')}` : ''}-${r.period.from}-${r.period.to}.${r.format}`;
}

const CountyName = z.object({ name: col.text });

/**
 * Checks the request against the county's data (an account that exists), then calls `start` (which sends the
 * response's headers) and streams the export to `out`, all on one snapshot. Nothing is written when it is refused.
 */
export async function exportTable(ds: DataSource, county: { id: number; code: string }, r: TableRequest, out: Writable, start: () => void = () => undefined) {
  const problem = requestProblem(r);
  if (problem) throw problem;
  await inSnapshot(ds, async (em) => {
    const ctx = await contextOf(em, county, r.period);
    let account: BookAccount | undefined;
    if (r.account !== undefined) {
      account = await findBookAccount(em, county.id, r.account);
      if (!account) throw invalidField('account', `no account ${r.account} in this county`);
    }
    start();
    if (r.format === 'pdf') {
      await (account ? subsidiaryLedgerPdfOf(ctx, account, out) : trialBalancePdfOf(ctx, out));
      return;
    }
    const table = tableOf(em, ctx, r, account);
    await (r.format === 'csv' ? writeCsv(table, out) : writeXlsx([table], out));
  });
}

function tableOf(em: EntityManager, ctx: BookContext, r: TableRequest, account?: BookAccount): ExportTable {
  if (r.family === 'registers') return registerTable(r.name, em, ctx.countyId, r.period);
  return account ? subsidiaryLedgerTable(ctx, account) : bookTable(r.name, ctx);
}

async function contextOf(em: EntityManager, county: { id: number; code: string }, period: Period): Promise<BookContext> {
  const { name } = (await selectOne(em, CountyName, `SELECT name FROM counties WHERE id = $1`, [county.id]))!;
  return bookContext(em, { ...county, name }, period);
}
