import { createHash } from 'node:crypto';
import { PassThrough, Readable, Transform, TransformCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource, EntityManager } from 'typeorm';
import { ZipFile } from 'yazl';
import { z } from 'zod';
import { sealCommittedEvents } from '../audit/audit-sealer';
import { DomainError, ErrorCode } from '../common/errors';
import { col, selectOne } from '../database/rows';
import { streamRows } from '../database/stream-rows';
import { Period } from '../ledger/ledger-books';
import { BOOKS } from './books';
import { bookContext } from './books/context';
import { dataPackage } from './datapackage';
import { csvStream } from './formats/csv';
import { ATTACHMENT_FILES, NOTICE_FILES, REGISTERS } from './registers';
import { ExportTable, TableShape } from './table';

export const PACKAGE_FORMAT = 'fund-ledger-audit-package/1';

/** What the package takes from the signed checkpoints (src/audit/checkpoints). */
export interface CheckpointSource {
  /** Signs a checkpoint of the county's sealed head now, unless there is one already. */
  signHead(countyId: number): Promise<void>;
  /** Every checkpoint of the county whose tree size is at most `treeSize`, as signed-note text, smallest first. */
  notesUpTo(em: EntityManager, countyId: number, treeSize: string): Promise<{ treeSize: string; note: string }[]>;
  /** The service's verifier key of the county's checkpoints (`name+id+key`). */
  verifierKey(countyCode: string): string;
  /** A signed note of `body` by the county's key. */
  sign(countyCode: string, body: string): string;
}

export interface AuditPackageOptions {
  county: { id: number; code: string };
  period: Period;
  /** Claim attachments too (they can be large). */
  attachments: boolean;
  onProgress?: (file: string, bytes: number) => void;
  /** Called once the package is cut, right before its first byte (an HTTP answer sends its headers then). */
  onStart?: () => void;
}

interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

const ATTEMPTS = 50;
const Head = z.object({ treeSize: col.int8, unsealed: col.int8, name: col.text });

/**
 * Writes the audit package (docs/audit-package.md) to `out` as a zip, streamed: each file is read from the database
 * as the zip takes it, hashed on the way for the manifest, so memory does not grow with the books.
 *
 * Everything comes from one snapshot in which every committed event of the county is sealed and the sealed head is
 * signed: then each ledger line has its posting event in events.jsonl, and every event is under the signature of a
 * checkpoint. The events are sealed and the head signed first, the snapshot taken right after; when an event
 * committed in between is unsealed or unsigned in it, the attempt is given up and made again.
 */
export async function writeAuditPackage(ds: DataSource, checkpoints: CheckpointSource, options: AuditPackageOptions, out: Writable): Promise<void> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    await sealCommittedEvents(ds);
    await checkpoints.signHead(options.county.id);
    const written = await ds.transaction('REPEATABLE READ', async (em) => {
      await em.query('SET TRANSACTION READ ONLY');
      const head = await selectOne(
        em,
        Head,
        `SELECT h.seq AS tree_size, c.name,
                (SELECT count(*) FROM audit_events e WHERE e.county_id = c.id AND e.seq IS NULL) AS unsealed
           FROM counties c JOIN audit_chain_heads h ON h.county_id = c.id WHERE c.id = $1`,
        [options.county.id],
      );
      if (!head) throw new DomainError(ErrorCode.NotFound, `County ${options.county.code} has no audit chain`);
      if (head.unsealed !== '0') return false;
      const notes = await checkpoints.notesUpTo(em, options.county.id, head.treeSize);
      if (head.treeSize !== '0' && notes[notes.length - 1]?.treeSize !== head.treeSize) return false;
      options.onStart?.();
      await writePackage(em, notes, checkpoints, options, { name: head.name, treeSize: head.treeSize }, out);
      return true;
    });
    if (written) return;
  }
  throw new DomainError(ErrorCode.SnapshotBusy, 'Events are committed faster than they are sealed and signed: the package could not be cut; try again');
}

async function writePackage(
  em: EntityManager,
  notes: { treeSize: string; note: string }[],
  checkpoints: CheckpointSource,
  options: AuditPackageOptions,
  county: { name: string; treeSize: string },
  out: Writable,
): Promise<void> {
  const zip = new ZipFile();
  const written = pipeline(zip.outputStream, out);
  // The output may break (a client gone) while an entry is being written: every wait below races this, and it is
  // marked handled at once, so a broken download ends the package instead of the process.
  const outputBroken = new Promise<never>((_, reject) => {
    written.catch(reject);
  });
  outputBroken.catch(() => undefined);
  const files: ManifestFile[] = [];
  const shapes: { path: string; shape: TableShape; file: ManifestFile }[] = [];

  /** Adds one entry, hashing and counting its bytes; resolves once the zip has taken all of it. */
  const add = async (path: string, source: Readable): Promise<ManifestFile> => {
    const hash = createHash('sha256');
    let bytes = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    const entry = new PassThrough();
    zip.addReadStream(entry, path, { compress: true });
    const piping = pipeline(source, tap, entry);
    try {
      await Promise.race([piping, outputBroken]);
    } catch (err) {
      // Stop reading the database (the cursor closes with its stream) and let the pipeline settle before leaving.
      source.destroy();
      entry.destroy();
      await piping.catch(() => undefined);
      throw err;
    }
    const file = { path, bytes, sha256: hash.digest('hex') };
    files.push(file);
    options.onProgress?.(path, bytes);
    return file;
  };
  const addTable = async (folder: string, table: ExportTable) => {
    const path = `${folder}/${table.name}.csv`;
    const { rows: _rows, ...shape } = table;
    shapes.push({ path, shape, file: await add(path, csvStream(table)) });
  };

  try {
    await add('events.jsonl', Readable.from(eventLines(em, options.county.id, county.treeSize)));
    for (const { treeSize, note } of notes) {
      await add(`checkpoints/${treeSize.padStart(12, '0')}.note`, Readable.from([Buffer.from(note, 'utf8')]));
    }
    await add('checkpoint.vkey', Readable.from([Buffer.from(`${checkpoints.verifierKey(options.county.code)}\n`, 'utf8')]));
    const ctx = await bookContext(em, { id: options.county.id, code: options.county.code, name: county.name }, options.period);
    for (const build of Object.values(BOOKS)) await addTable('books', build(ctx));
    for (const register of REGISTERS) await addTable('registers', register.build(em, options.county.id, options.period));
    for await (const file of NOTICE_FILES(em, options.county.id, options.period)) await add(file.path, Readable.from([file.bytes]));
    if (options.attachments) {
      for await (const file of ATTACHMENT_FILES(em, options.county.id, options.period)) await add(file.path, Readable.from([file.bytes]));
    }
    const dp = dataPackage({ code: options.county.code, name: county.name }, options.period, shapes);
    await add('datapackage.json', Readable.from([Buffer.from(`${JSON.stringify(dp, null, 2)}\n`, 'utf8')]));
    const manifest = {
      format: PACKAGE_FORMAT,
      county: { code: options.county.code, name: county.name },
      period: options.period,
      createdAt: new Date().toISOString(),
      treeSize: county.treeSize,
      files,
    };
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
    zip.addBuffer(manifestBytes, 'manifest.json');
    // The manifest signed by the county's key: every file it lists is then the service's, not only the ledger's.
    const manifestSha256 = createHash('sha256').update(manifestBytes).digest('hex');
    const body = `${PACKAGE_FORMAT}\n${options.county.code}\n${county.treeSize}\n${manifestSha256}\n`;
    zip.addBuffer(Buffer.from(checkpoints.sign(options.county.code, body), 'utf8'), 'manifest.note');
    zip.end();
    await written;
  } catch (err) {
    (zip.outputStream as Readable).destroy(err as Error);
    out.destroy(err as Error);
    await written.catch(() => undefined);
    throw err;
  }
}

const EventRow = z.object({ seq: col.int8, prevHash: col.text, hash: col.text, type: col.text, recordedAt: col.timestamp, body: col.text });

/** events.jsonl: one JSON object a line, seq 1 to the tree size, the body verbatim as a JSON string. */
async function* eventLines(em: EntityManager, countyId: number, treeSize: string): AsyncGenerator<Buffer> {
  let batch: string[] = [];
  for await (const e of streamRows(
    em,
    EventRow,
    `SELECT seq, prev_hash, hash, type, recorded_at, body FROM audit_events WHERE county_id = $1 AND seq BETWEEN 1 AND $2::bigint ORDER BY seq`,
    [countyId, treeSize],
  )) {
    batch.push(JSON.stringify({ seq: e.seq, prevHash: e.prevHash, hash: e.hash, type: e.type, recordedAt: e.recordedAt.toISOString(), body: e.body }));
    if (batch.length === 1000) {
      yield Buffer.from(`${batch.join('\n')}\n`, 'utf8');
      batch = [];
    }
  }
  if (batch.length > 0) yield Buffer.from(`${batch.join('\n')}\n`, 'utf8');
}
