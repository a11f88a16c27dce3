/**
 * An export is a table: named columns of a declared type and rows streamed in order. Every format (CSV, XLSX, PDF)
 * and the audit package's datapackage.json are written from this one description, so a column means the same thing
 * in every file an auditor takes away.
 */

/**
 * What a cell holds, as a string (or null for an empty cell):
 * - `text`: any text;
 * - `money`: yuan, exactly two decimals, never negative (`1234.56`); direction lives in its own column;
 * - `integer`: a whole number of any size (`12`, `900000000001`);
 * - `date`: `YYYY-MM-DD`;
 * - `datetime`: ISO 8601 in UTC (`2026-03-01T08:00:00.000Z`);
 * - `boolean`: `true` or `false`.
 */
export type ColumnType = 'text' | 'money' | 'integer' | 'date' | 'datetime' | 'boolean';

export interface ExportColumn {
  /** Machine name: the CSV header and the datapackage field name (snake_case ASCII). */
  name: string;
  /** What people read: the XLSX and PDF header (Chinese). */
  title: string;
  type: ColumnType;
  description: string;
}

export type Cell = string | null;
export type ExportRow = readonly Cell[];

export interface ExportTable {
  /** File stem and datapackage resource name (`journal`, `trial-balance`). */
  name: string;
  /** Chinese title (sheet name, PDF heading). */
  title: string;
  description: string;
  columns: readonly ExportColumn[];
  /** Cells in column order; streamed, read once. */
  rows: AsyncIterable<ExportRow>;
}

/** A table's shape without its rows: what datapackage.json and docs/exports.md describe. */
export type TableShape = Omit<ExportTable, 'rows'>;

export function column(name: string, title: string, type: ColumnType, description: string): ExportColumn {
  return { name, title, type, description };
}
