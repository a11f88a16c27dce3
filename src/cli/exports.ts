import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { CheckpointSource, writeAuditPackage } from '../exports/audit-package';
import { TABLE_FORMATS, TableFormat } from '../exports/exports.dto';
import { exportTable } from '../exports/exporter';
import { col, selectOne } from '../database/rows';
import { isCalendarDay } from '../common/dates';
import { DomainError } from '../common/errors';

export const EXPORT_USAGE = `  export <books|registers>/<name> --from YYYY-MM-DD --to YYYY-MM-DD --out FILE [--format csv|xlsx|pdf] [--account CODE] [--county CODE]
                    write one book or register of the period (docs/exports.md), streamed, for the large ones
  audit-package --from YYYY-MM-DD --to YYYY-MM-DD --out FILE.zip [--attachments] [--county CODE]
                    write the audit package (docs/audit-package.md): books, registers, events, signed checkpoints, manifest`;

const County = z.object({ id: col.id, code: col.text });

/** The county a command works on, or undefined (said on stderr) when there is none of that code. */
async function countyOf(ds: DataSource, code: string): Promise<{ id: number; code: string } | undefined> {
  const county = await selectOne(ds, County, `SELECT id, code FROM counties WHERE code = $1`, [code]);
  if (!county) console.error(`no county ${code}`);
  return county;
}

/** Writes to a temporary file beside `out` and renames it into place once whole, so a failed export leaves no file. */
async function toFile(out: string, write: (stream: Writable) => Promise<void>): Promise<void> {
  const partial = `${out}.partial`;
  try {
    await write(createWriteStream(partial));
    await rename(partial, out);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
}

function period(values: { from?: string; to?: string }): { from: string; to: string } | string {
  if (!values.from || !isCalendarDay(values.from)) return '--from YYYY-MM-DD (a calendar day) is required';
  if (!values.to || !isCalendarDay(values.to)) return '--to YYYY-MM-DD (a calendar day) is required';
  return { from: values.from, to: values.to };
}

export async function exportCommand(ds: DataSource, argv: string[], countyCode: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      account: { type: 'string' },
      county: { type: 'string' },
    },
  });
  const [family, name] = (positionals[0] ?? '').split('/');
  const p = period(values);
  if (
    (family !== 'books' && family !== 'registers') ||
    !name ||
    typeof p === 'string' ||
    !values.out ||
    !TABLE_FORMATS.includes(values.format as TableFormat)
  ) {
    console.error(`usage:\n${EXPORT_USAGE}${typeof p === 'string' ? `\n${p}` : ''}`);
    return 2;
  }
  const county = await countyOf(ds, values.county ?? countyCode);
  if (!county) return 1;
  const started = Date.now();
  try {
    await toFile(values.out, (out) => exportTable(ds, county, { family, name, period: p, format: values.format as TableFormat, account: values.account }, out));
  } catch (err) {
    if (err instanceof DomainError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  console.log(`wrote ${values.out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

export async function auditPackageCommand(ds: DataSource, checkpoints: CheckpointSource, argv: string[], countyCode: string): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      attachments: { type: 'boolean', default: false },
      county: { type: 'string' },
    },
  });
  const p = period(values);
  if (typeof p === 'string' || !values.out) {
    console.error(`usage:\n${EXPORT_USAGE}${typeof p === 'string' ? `\n${p}` : ''}`);
    return 2;
  }
  const county = await countyOf(ds, values.county ?? countyCode);
  if (!county) return 1;
  const started = Date.now();
  let total = 0;
  await toFile(values.out, (out) =>
    writeAuditPackage(
      ds,
      checkpoints,
      {
        county,
        period: p,
        attachments: values.attachments ?? false,
        onProgress: (file, bytes) => {
          total += bytes;
          process.stderr.write(`${file} (${bytes} bytes)\n`);
        },
      },
      out,
    ),
  );
  console.log(`wrote ${values.out}: ${total} bytes of files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}
