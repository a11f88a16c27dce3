import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { assertUnreachable } from '../../common/errors';
import { Cell, ColumnType, ExportRow, ExportTable } from '../table';

/** Excel's limit on a sheet's name, in UTF-16 units. */
const SHEET_NAME_MAX = 31;
/** Rows read ahead to size the columns: the `<cols>` element precedes the rows in the sheet's XML. */
const SAMPLE_ROWS = 100;
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;

/**
 * Each column type's number format. Money: a number when Excel holds it exactly (see `moneyValue`), otherwise text.
 * Integers: `0`, since the General format shows 12 digits and more in scientific notation. Dates: a real date (the
 * serial number of the day, exact: exceljs counts days from the Unix epoch in UTC and the date is built at UTC
 * midnight, so no time zone shifts it and Excel shows it as written), so auditors can sort and filter by it.
 * Date-times stay ISO 8601 text: Excel has no time zone, and a UTC time shown without its `Z` would read as Beijing
 * time.
 */
const NUMBER_FORMATS: Partial<Record<ColumnType, string>> = {
  money: '#,##0.00',
  integer: '0',
  date: 'yyyy-mm-dd',
};

/**
 * Tables as one XLSX workbook, one sheet per table in order: the sheet named after the table's title (cut to 31
 * characters, made unique), a bold header row of the column titles, frozen, with a filter; then the rows, each
 * committed as it is written. Cell types follow the columns (`NUMBER_FORMATS`); text is always a string cell, never a
 * formula, so a cell starting with `=` is shown as written.
 *
 * Memory stays flat whatever the number of rows: rows are written one at a time and the next is pulled only when the
 * zip entry has room. Resolves once `out` has finished. On an error (the rows, a cell that is not of its column's
 * type, `out`), `out` is destroyed and the promise rejects with the error: a client or an archive sees a broken
 * stream, never a short workbook.
 */
export async function writeXlsx(tables: readonly ExportTable[], out: Writable): Promise<void> {
  const outDone = finished(out);
  // Raced against every wait below; kept handled so a failure of `out` while nothing waits is not unhandled.
  outDone.catch(() => undefined);
  try {
    // Excel refuses to open a workbook without a sheet.
    if (tables.length === 0) throw new Error('a workbook needs at least one table');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
    workbook.creator = 'fund-ledger';
    workbook.lastModifiedBy = 'fund-ledger';
    const names = new SheetNames();
    for (const table of tables) await writeSheet(workbook, names.next(table.title), table, outDone);
    await Promise.race([workbook.commit(), outDone]);
    await outDone;
  } catch (err) {
    out.destroy(err instanceof Error ? err : new Error(String(err)));
    throw err;
  }
}

async function writeSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, table: ExportTable, outDone: Promise<void>): Promise<void> {
  const types = table.columns.map((c) => c.type);
  let sheet: ExcelJS.Worksheet | undefined;
  const sample: XlsxValue[][] = [];
  const open = (): ExcelJS.Worksheet => {
    const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2' }] });
    ws.columns = table.columns.map((c, i) => ({
      width: columnWidth([c.title, ...sample.map((row) => shown(row[i]))]),
      style: NUMBER_FORMATS[c.type] ? { numFmt: NUMBER_FORMATS[c.type] } : {},
    }));
    if (table.columns.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
    const header = ws.addRow(table.columns.map((c) => c.title));
    header.eachCell((cell) => {
      cell.font = { bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle' };
    });
    header.commit();
    for (const values of sample) ws.addRow(values).commit();
    sample.length = 0;
    return ws;
  };

  let n = 0;
  for await (const row of table.rows) {
    n++;
    const values = rowValues(table, types, row, n);
    if (sheet) {
      sheet.addRow(values).commit();
      await entryDrained(sheet, outDone);
    } else {
      sample.push(values);
      if (sample.length === SAMPLE_ROWS) sheet = open();
    }
  }
  (sheet ?? open()).commit();
}

function rowValues(table: ExportTable, types: readonly ColumnType[], row: ExportRow, n: number): XlsxValue[] {
  if (row.length !== types.length) throw new Error(`${table.name}: row ${n} has ${row.length} cells, the table has ${types.length} columns`);
  return row.map((cell, i) => {
    try {
      return cellValue(types[i], cell);
    } catch (err) {
      throw new Error(`${table.name}: row ${n}, column ${table.columns[i].name}: ${(err as Error).message}`);
    }
  });
}

const MONEY = /^(0|[1-9][0-9]*)\.[0-9]{2}$/;
const INTEGER = /^(0|-?[1-9][0-9]*)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** What a cell of the workbook holds. */
type XlsxValue = string | number | boolean | Date | null;

/** A cell as Excel should hold it; refuses a value that is not of its column's type rather than guess. */
function cellValue(type: ColumnType, cell: Cell): XlsxValue {
  if (cell === null) return null;
  switch (type) {
    case 'text':
    case 'datetime':
      return cell;
    case 'money':
      if (!MONEY.test(cell)) throw new Error(`not a money value: ${cell}`);
      return moneyValue(cell);
    case 'integer': {
      if (!INTEGER.test(cell)) throw new Error(`not an integer: ${cell}`);
      const value = Number(cell);
      return Number.isSafeInteger(value) ? value : cell;
    }
    case 'date':
      return dateValue(cell);
    case 'boolean':
      if (cell === 'true') return true;
      if (cell === 'false') return false;
      throw new Error(`not a boolean: ${cell}`);
    default:
      return assertUnreachable(type);
  }
}

/**
 * Excel keeps 15 significant digits: an amount with more would be shown, and summed, as another amount, so it stays
 * text (exact, and still readable). Within 15 digits the double nearest to the decimal gives it back exactly.
 */
function moneyValue(amount: string): number | string {
  const digits = amount.replace('.', '').replace(/^0+/, '');
  const value = Number(amount);
  return digits.length <= 15 && value.toFixed(2) === amount ? value : amount;
}

/** Excel's serial days are right from 1900-03-01 only (it counts a 29 February 1900): an earlier date stays text. */
const FIRST_EXACT_DATE = '1900-03-01';

function dateValue(cell: string): Date | string {
  const m = DATE.exec(cell);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== cell) throw new Error(`not a date: ${cell}`);
  return cell < FIRST_EXACT_DATE ? cell : date;
}

/** The text a cell shows, to size its column. */
function shown(value: XlsxValue): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number' && !Number.isInteger(value)) return value.toLocaleString('en-US', { minimumFractionDigits: 2 });
  return String(value);
}

/** Wide enough for the widest text in characters of the default font: a Chinese character takes two. */
function columnWidth(texts: string[]): number {
  const widest = Math.max(0, ...texts.map(displayWidth));
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, widest + 2));
}

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE.test(ch) ? 2 : 1;
  return width;
}

/**
 * Excel's rules for sheet names: at most 31 characters, none of `\ / ? * : [ ]`, no quote at either end, not
 * `History`, unique regardless of case. A clash gets ` (2)`, ` (3)`… within the 31.
 */
class SheetNames {
  private readonly taken = new Set<string>();

  next(title: string): string {
    const base = title.replace(/[\\/?*:[\]]/g, '_').replace(/^'+|'+$/g, '') || 'Sheet';
    for (let n = 1; ; n++) {
      const suffix = n === 1 ? '' : ` (${n})`;
      const name = cut(base, SHEET_NAME_MAX - suffix.length) + suffix;
      const key = name.toLowerCase();
      if (key === 'history' || this.taken.has(key)) continue;
      this.taken.add(key);
      return name;
    }
  }
}

/** The longest start of `text` within `max` UTF-16 units, never cutting a surrogate pair. */
function cut(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

/** The writable side of a stream, as Node's and readable-stream's streams both keep it. */
interface EntryStream {
  _writableState?: { needDrain?: boolean };
  once(event: 'drain', listener: () => void): unknown;
}

/**
 * exceljs feeds a sheet's XML into its zip entry without heeding backpressure (its buffer's pipe ignores write()'s
 * answer), so a sheet written faster than the zip compresses or than `out` takes it would pile up in memory. Before the
 * next row, wait until the entry (the stream the sheet's buffer pipes into) has drained. Backpressure from `out`
 * reaches the entry through the zip's own pipes. The sheet's buffer is exceljs's, not part of its typings; the XLSX
 * memory test fails if a new version moves it.
 */
async function entryDrained(sheet: ExcelJS.Worksheet, outDone: Promise<void>): Promise<void> {
  const entries = (sheet as unknown as { stream?: { pipes?: EntryStream[] } }).stream?.pipes ?? [];
  for (const entry of entries) {
    if (entry._writableState?.needDrain) await Promise.race([once(entry as unknown as NodeJS.EventEmitter, 'drain'), outDone]);
  }
}
