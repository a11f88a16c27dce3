import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { MulterOptions } from '@nestjs/platform-express/multer/interfaces/multer-options.interface';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Observable, finalize } from 'rxjs';
import { z } from 'zod';
import { AttachmentType, MAGIC_BYTES, detectType, uploadProblem } from '../claims/domain/claims';
import { DomainError, ErrorCode, invalidField } from './errors';
import { Queryable, col, selectOne } from '../database/rows';

let privateUploadDir: string | undefined;

/**
 * How every upload is received: one file, streamed to a temporary file up to the limit (removed when the request
 * ends, RemoveUploadedFile); the name kept whole (preservePath) so a path in it is refused rather than silently cut
 * off, and read as UTF-8 so Chinese names survive. Default directory: one of this process's own (mode 700), so no
 * other local user reads a scan in transit.
 */
export function uploadOptions(config: ConfigService): MulterOptions {
  return {
    dest: config.get<string>('UPLOAD_TMP_DIR') ?? (privateUploadDir ??= mkdtempSync(join(tmpdir(), 'fund-ledger-uploads-'))),
    preservePath: true,
    defParamCharset: 'utf8',
    limits: { fileSize: config.getOrThrow<number>('ATTACHMENT_MAX_BYTES'), files: 1, fields: 4, parts: 6 },
  };
}

/**
 * An uploaded scan. Over HTTP multer streams it to a temporary file (`path`), so a request holds no more than its
 * stream's buffers in memory while it arrives; the service's own callers (demo data, benchmarks) hand it bytes.
 */
export type UploadedScan = { originalname: string; mimetype: string } & ({ path: string; size: number } | { buffer: Buffer });

/** The first `n` bytes: enough to tell the type by content. */
export async function headOf(scan: UploadedScan, n: number): Promise<Buffer> {
  if ('buffer' in scan) return scan.buffer.subarray(0, n);
  const file = await open(scan.path, 'r');
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(n), 0, n, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** SHA-256 (hex) of the content, read as a stream. */
export async function sha256Of(scan: UploadedScan): Promise<string> {
  const hash = createHash('sha256');
  if ('buffer' in scan) return hash.update(scan.buffer).digest('hex');
  for await (const chunk of createReadStream(scan.path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function sizeOf(scan: UploadedScan): number {
  return 'buffer' in scan ? scan.buffer.length : scan.size;
}

/** The whole content, for the one statement that stores it. */
export function bytesOf(scan: UploadedScan): Promise<Buffer> {
  return 'buffer' in scan ? Promise.resolve(scan.buffer) : readFile(scan.path);
}

/** A scan as received and checked: its type read from its content, its SHA-256 and size. */
export interface CheckedScan {
  file: UploadedScan;
  contentType: AttachmentType;
  sha256: string;
  size: number;
}

/**
 * Every upload's checks (claim scans, evidence of posting, files behind an explanation): a file is there, its content
 * is PDF, JPEG or PNG and its name and declared type agree with it (415 or 400 naming the field otherwise).
 */
export async function checkedScan(file: UploadedScan | undefined, what: string): Promise<CheckedScan> {
  if (!file) throw invalidField('file', 'a file (multipart/form-data field "file") is required');
  const detected = detectType(await headOf(file, MAGIC_BYTES));
  const problem = uploadProblem(file.originalname, file.mimetype, detected);
  if (problem) {
    const code = problem.field === 'file' ? ErrorCode.UnsupportedMediaType : ErrorCode.ValidationFailed;
    throw new DomainError(code, `${what} refused: ${problem.message}`, { fields: [problem] });
  }
  return { file, contentType: detected!, sha256: await sha256Of(file), size: sizeOf(file) };
}

/**
 * Removes the temporary file of an upload when the request is over, whatever its outcome (a refused `kind` fails in
 * the validation pipe, after multer wrote the file). Listed before FileInterceptor, so it wraps it.
 */
@Injectable()
export class RemoveUploadedFile implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request & { file?: { path?: string } }>();
    return next.handle().pipe(
      finalize(() => {
        if (req.file?.path) void rm(req.file.path, { force: true });
      }),
    );
  }
}

const RecordedUpload = z.object({ type: z.string(), data: z.record(z.string(), z.unknown()) });

/**
 * Whether stored bytes still are what their upload event recorded (claim attachments, notice evidence): the event is
 * the row's own (its type and ids), names the same SHA-256 as the row, and the bytes hash to it. Answers the two hashes
 * when they disagree, null when all is well. An event body that is not JSON or not the upload's is tampering too.
 */
export function uploadTampering(
  content: Buffer,
  storedSha256: string,
  eventBody: string,
  expected: { type: string; ids: Record<string, number> },
): { recorded: string | null; actual: string } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(eventBody);
  } catch {
    parsed = undefined;
  }
  const event = RecordedUpload.safeParse(parsed);
  const recorded = event.success && typeof event.data.data.sha256 === 'string' ? event.data.data.sha256 : null;
  const actual = createHash('sha256').update(content).digest('hex');
  const own = event.success && event.data.type === expected.type && Object.entries(expected.ids).every(([k, v]) => event.data.data[k] === v);
  return own && actual === recorded && storedSha256 === recorded ? null : { recorded, actual };
}

const StoredFile = z.object({ content: col.bytes, sha256: col.text, body: col.text });

/**
 * A piece of evidence's bytes (a notice's posting, an alert's explanation), checked against the event that recorded
 * its upload: undefined when the row is not there; 409 ATTACHMENT_TAMPERED when the bytes differ from the record.
 */
export async function verifiedEvidence(
  db: Queryable,
  file: { table: 'notice_evidence' | 'monitoring_alert_evidence'; ownerColumn: 'notice_id' | 'alert_id'; id: number; ownerId: number },
  event: { type: string; ids: Record<string, number> },
): Promise<Buffer | undefined> {
  const stored = await selectOne(
    db,
    StoredFile,
    `SELECT e.content, e.sha256, a.body FROM ${file.table} e JOIN audit_events a ON a.id = e.event_id WHERE e.id = $1 AND e.${file.ownerColumn} = $2`,
    [file.id, file.ownerId],
  );
  if (!stored) return undefined;
  const tampered = uploadTampering(stored.content, stored.sha256, stored.body, event);
  if (tampered) throw new DomainError(ErrorCode.AttachmentTampered, `Evidence ${file.id} does not match the hash the event log recorded at upload`, tampered);
  return stored.content;
}
