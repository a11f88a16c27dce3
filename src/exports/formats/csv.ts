import { stringify } from 'csv-stringify';
import { Readable, Writable, pipeline } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import { ExportRow, ExportTable } from '../table';

/**
 * A table as CSV: UTF-8 with a byte-order mark (so Excel opens Chinese text as UTF-8), RFC 4180 (CRLF between
 * records, a field quoted when it holds a comma, a quote, CR or LF, quotes doubled), a header row of the column
 * names, null as an empty field.
 *
 * Formula injection: a field starting with `=`, `+`, `-`, `@`, tab or CR (or their full-width forms) gets a leading
 * `'`, so a spreadsheet shows the text instead of running it. Only text and a negative integer can start so (money
 * is never negative, dates start with a digit); a reader that wants the original drops the leading `'`.
 *
 * The rows are pulled only as the consumer reads (a Readable over the rows, piped with backpressure), so memory does
 * not grow with the number of rows. An error of the row source, or a row whose length is not the number of columns,
 * destroys the stream with that error; destroying the stream stops the row source (its `return()` runs).
 */
export function csvStream(table: ExportTable): Readable {
  const stringifier = stringify({
    bom: true,
    header: true,
    columns: table.columns.map((c) => c.name),
    record_delimiter: 'windows',
    // With a record delimiter given, csv-stringify 6.9 quotes only fields holding that delimiter (CRLF) unless told
    // otherwise: a lone CR or LF would end the record for every reader.
    quote_record_delimiter: true,
    escape_formulas: true,
  });
  // The error is surfaced on the returned stream: pipeline destroys it with the error.
  pipeline(Readable.from(checkedRows(table)), stringifier, () => undefined);
  return stringifier;
}

/**
 * Writes a table as CSV to `out` (an HTTP response, a file, an entry of a zip) and resolves once `out` has finished.
 * On an error of the rows or of `out`, `out` is destroyed and the promise rejects with the error: a client or an
 * archive sees a broken stream, never a short file that looks complete.
 */
export function writeCsv(table: ExportTable, out: Writable): Promise<void> {
  return pipelineAsync(csvStream(table), out);
}

/** The rows, refusing one whose length is not the number of columns (csv-stringify would silently cut it). */
async function* checkedRows(table: ExportTable): AsyncGenerator<ExportRow> {
  let n = 0;
  for await (const row of table.rows) {
    n++;
    if (row.length !== table.columns.length) {
      throw new Error(`${table.name}: row ${n} has ${row.length} cells, the table has ${table.columns.length} columns`);
    }
    yield row;
  }
}
