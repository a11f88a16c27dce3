import { Injectable } from '@nestjs/common';
import { Sema } from 'async-sema';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { DomainError, ErrorCode, invalidField } from '../common/errors';
import { UploadedScan, bytesOf, checkedScan, verifiedEvidence } from '../common/uploads';
import { col, selectOne, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';
import { EvidenceView } from './notices.dto';
import { NoticesService } from './notices.service';

const EvidenceRow = z.object({
  id: col.id,
  noticeId: col.id,
  channel: col.text,
  filename: col.text,
  contentType: col.text,
  size: col.int,
  sha256: col.text,
  username: col.text,
  createdAt: col.timestamp,
});
const EvidenceId = z.object({ evidenceId: col.id });

const SELECT = `
  SELECT e.id, e.notice_id, e.channel, e.filename, e.content_type, e.size, e.sha256, u.username, e.created_at
    FROM notice_evidence e JOIN users u ON u.id = e.uploaded_by`;

/**
 * Evidence that a notice was posted where it says (a photo of the village board, a scan of the township's): added by
 * the publishing unit to a published notice, typed by its content, its SHA-256 checked by the database and recorded
 * in the event log, and checked against that record when downloaded — as a claim's scans are.
 */
@Injectable()
export class NoticeEvidenceService {
  constructor(
    private readonly ds: DataSource,
    private readonly notices: NoticesService,
    private readonly audit: AuditLog,
  ) {}

  /** Files held in memory at once while written, whatever the number of parallel uploads. */
  private readonly writes = new Sema(2);

  async attach(actor: Actor, noticeId: number, channel: string, file: UploadedScan | undefined): Promise<EvidenceView> {
    const { file: scan, contentType, sha256, size } = await checkedScan(file, 'Evidence');
    await this.writes.acquire();
    try {
      return await inTransaction(this.ds, async (em) => {
        const notice = await this.notices.row(em, actor, noticeId, true);
        this.notices.assertPublisher(actor, notice);
        if (notice.state !== 'published') throw new DomainError(ErrorCode.InvalidState, `Notice ${notice.code} is not published: there is no posting to show`);
        if (!(notice.channels as string[]).includes(channel)) throw invalidField('channel', `notice ${notice.code} is posted on ${notice.channels.join(', ')}`);
        const [{ evidenceId }] = await selectRows(em, EvidenceId, `SELECT nextval(pg_get_serial_sequence('notice_evidence', 'id'))::int AS evidence_id`);
        // The event comes first so the row can name it: the upload and its hash are one record in the chain.
        const eventId = await this.audit.append(em, actor, 'notice.evidence.added', {
          evidenceId,
          noticeId,
          channel,
          filename: scan.originalname,
          contentType,
          size,
          sha256,
        });
        await em.query(
          `INSERT INTO notice_evidence (id, county_id, notice_id, channel, filename, content_type, size, sha256, content, event_id, uploaded_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [evidenceId, actor.county.id, noticeId, channel, scan.originalname, contentType, size, sha256, await bytesOf(scan), eventId, actor.userId],
        );
        return view((await selectOne(em, EvidenceRow, `${SELECT} WHERE e.id = $1`, [evidenceId]))!);
      });
    } finally {
      this.writes.release();
    }
  }

  async list(actor: Actor, noticeId: number): Promise<EvidenceView[]> {
    await this.notices.row(this.ds.manager, actor, noticeId, false);
    return (await selectRows(this.ds, EvidenceRow, `${SELECT} WHERE e.notice_id = $1 ORDER BY e.id`, [noticeId])).map(view);
  }

  /** The file as uploaded, after checking its bytes against the hash the event log recorded. */
  async download(actor: Actor, noticeId: number, id: number): Promise<{ meta: EvidenceView; content: Buffer }> {
    await this.notices.row(this.ds.manager, actor, noticeId, false);
    const meta = await selectOne(this.ds, EvidenceRow, `${SELECT} WHERE e.id = $1 AND e.notice_id = $2`, [id, noticeId]);
    const content = await verifiedEvidence(
      this.ds,
      { table: 'notice_evidence', ownerColumn: 'notice_id', id, ownerId: noticeId },
      { type: 'notice.evidence.added', ids: { evidenceId: id, noticeId } },
    );
    if (!meta || !content) throw new DomainError(ErrorCode.NotFound, `No evidence ${id} on notice ${noticeId}`);
    return { meta: view(meta), content };
  }
}

function view({ username, createdAt, ...row }: z.infer<typeof EvidenceRow>): EvidenceView {
  return { ...row, uploadedBy: username, createdAt: createdAt.toISOString() };
}
