import { Injectable } from '@nestjs/common';
import { Sema } from 'async-sema';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { col, selectOne, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';
import { UploadedScan, bytesOf, checkedScan, uploadTampering } from '../common/uploads';
import { loadClaim } from './claim-loader';
import { AttachmentView } from './claims.dto';

const AttachmentRow = z.object({
  id: col.id,
  version: col.int,
  kind: col.text,
  filename: col.text,
  contentType: col.text,
  size: col.int,
  sha256: col.text,
  username: col.text,
  createdAt: col.timestamp,
});
const AttachmentId = z.object({ attachmentId: col.id });
const StoredScan = z.object({ content: col.bytes, sha256: col.text, body: col.text });

/**
 * The scans of a claim's packet: typed by their content, stored with their SHA-256 (checked by the database and
 * recorded in the event log), and checked against that record when downloaded.
 */
@Injectable()
export class ClaimAttachmentsService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditLog,
  ) {}

  /** Scans being written to the database at once: each is held in memory (and hex-encoded by the driver) meanwhile. */
  private readonly attachmentWrites = new Sema(2);

  /** A scan of the packet, typed by its content; its SHA-256 is checked by the database and recorded in the event. */
  async attach(actor: Actor, id: number, kind: string, file: UploadedScan | undefined): Promise<AttachmentView> {
    await loadClaim(this.ds, actor, id);
    const { file: scan, contentType, sha256, size } = await checkedScan(file, 'Attachment');
    // Only a few scans are held in memory at once, whatever the number of parallel uploads (they wait on disk).
    return this.attachmentWrites.acquire().then(async () => {
      try {
        return await inTransaction(this.ds, async (em) => {
          const row = await loadClaim(em, actor, id, { lock: true });
          if (row.state !== 'draft') throw new DomainError(ErrorCode.InvalidState, `Claim ${id} is ${row.state}: its packet changes only as a draft`);
          // The event comes first so the row can name it: the upload and its hash are one record in the chain.
          const [{ attachmentId }] = await selectRows(
            em,
            AttachmentId,
            `SELECT nextval(pg_get_serial_sequence('claim_attachments', 'id'))::int AS attachment_id`,
          );
          const meta = {
            attachmentId,
            claimId: id,
            version: row.version,
            kind,
            filename: scan.originalname,
            contentType,
            size,
            sha256,
          };
          const eventId = await this.audit.append(em, actor, 'claim.attachment.added', meta);
          // The database recomputes the hash of what it stores (CK_claim_attachments_hash): a file changed on disk
          // between hashing and reading is refused.
          await em.query(
            `INSERT INTO claim_attachments (id, county_id, claim_id, version, kind, filename, content_type, size, sha256, content, event_id, uploaded_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
            [attachmentId, actor.county.id, id, row.version, kind, scan.originalname, contentType, size, sha256, await bytesOf(scan), eventId, actor.userId],
          );
          const [view] = await this.of(em, id, attachmentId);
          return view;
        });
      } finally {
        this.attachmentWrites.release();
      }
    });
  }

  async list(actor: Actor, id: number): Promise<AttachmentView[]> {
    await loadClaim(this.ds, actor, id);
    return this.of(this.ds.manager, id);
  }

  /** The file as uploaded, after checking its bytes against the hash the event log recorded. */
  async download(actor: Actor, id: number, attachmentId: number): Promise<{ meta: AttachmentView; content: Buffer }> {
    await loadClaim(this.ds, actor, id);
    const row = await selectOne(
      this.ds,
      StoredScan,
      `SELECT a.content, a.sha256, e.body FROM claim_attachments a JOIN audit_events e ON e.id = a.event_id WHERE a.id = $1 AND a.claim_id = $2`,
      [attachmentId, id],
    );
    if (!row) throw new DomainError(ErrorCode.NotFound, `No attachment ${attachmentId} on claim ${id}`);
    const tampered = uploadTampering(row.content, row.sha256, row.body, { type: 'claim.attachment.added', ids: { attachmentId, claimId: id } });
    if (tampered) {
      throw new DomainError(ErrorCode.AttachmentTampered, `Attachment ${attachmentId} does not match the hash the event log recorded at upload`, tampered);
    }
    const [meta] = await this.of(this.ds.manager, id, attachmentId);
    return { meta, content: row.content };
  }

  /** A claim's attachments, or the one named; the caller has found the claim in scope. */
  async of(em: EntityManager, claimId: number, attachmentId?: number): Promise<AttachmentView[]> {
    const rows = await selectRows(
      em,
      AttachmentRow,
      `SELECT a.id, a.version, a.kind, a.filename, a.content_type, a.size, a.sha256, u.username, a.created_at
           FROM claim_attachments a JOIN users u ON u.id = a.uploaded_by WHERE a.claim_id = $1 AND ($2::int IS NULL OR a.id = $2) ORDER BY a.id`,
      [claimId, attachmentId ?? null],
    );
    return rows.map((a) => ({
      id: a.id,
      claimId,
      version: a.version,
      kind: a.kind,
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      sha256: a.sha256,
      uploadedBy: a.username,
      at: a.createdAt.toISOString(),
    }));
  }
}
