import { Injectable } from '@nestjs/common';
import { Sema } from 'async-sema';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { UploadedScan, bytesOf, checkedScan, verifiedEvidence } from '../common/uploads';
import { col, selectOne, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';
import { loadAlert } from './alert-rows';
import { AlertEvidenceView } from './monitoring.dto';

const EvidenceRow = z.object({
  id: col.id,
  alertId: col.id,
  filename: col.text,
  contentType: col.text,
  size: col.int,
  sha256: col.text,
  username: col.text,
  createdAt: col.timestamp,
});
const EvidenceId = z.object({ evidenceId: col.id });

const SELECT = `
  SELECT e.id, e.alert_id, e.filename, e.content_type, e.size, e.sha256, u.username, e.created_at
    FROM monitoring_alert_evidence e JOIN users u ON u.id = e.uploaded_by`;

/**
 * Files behind an alert's explanation (a bank slip, a letter, a photo): added while the alert is not closed, typed by
 * content, hashed into the event log and checked against it on download, as claim scans and notice evidence are.
 */
@Injectable()
export class AlertEvidenceService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditLog,
  ) {}

  /** Files held in memory at once while written, whatever the number of parallel uploads. */
  private readonly writes = new Sema(2);

  async attach(actor: Actor, alertId: number, file: UploadedScan | undefined): Promise<AlertEvidenceView> {
    const { file: scan, contentType, sha256, size } = await checkedScan(file, 'Evidence');
    await this.writes.acquire();
    try {
      return await inTransaction(this.ds, async (em) => {
        const alert = await loadAlert(em, actor, alertId, true);
        if (alert.state === 'closed') throw new DomainError(ErrorCode.InvalidState, `Alert ${alertId} is closed`);
        const [{ evidenceId }] = await selectRows(
          em,
          EvidenceId,
          `SELECT nextval(pg_get_serial_sequence('monitoring_alert_evidence', 'id'))::int AS evidence_id`,
        );
        // The event comes first so the row can name it: the upload and its hash are one record in the chain.
        const eventId = await this.audit.append(em, actor, 'monitoring.alert.evidence_added', {
          evidenceId,
          alertId,
          filename: scan.originalname,
          contentType,
          size,
          sha256,
        });
        await em.query(
          `INSERT INTO monitoring_alert_evidence (id, county_id, alert_id, filename, content_type, size, sha256, content, event_id, uploaded_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [evidenceId, actor.county.id, alertId, scan.originalname, contentType, size, sha256, await bytesOf(scan), eventId, actor.userId],
        );
        return view((await selectOne(em, EvidenceRow, `${SELECT} WHERE e.id = $1`, [evidenceId]))!);
      });
    } finally {
      this.writes.release();
    }
  }

  /** The files of an alert the caller already found in scope. */
  async list(alertId: number): Promise<AlertEvidenceView[]> {
    return (await selectRows(this.ds, EvidenceRow, `${SELECT} WHERE e.alert_id = $1 ORDER BY e.id`, [alertId])).map(view);
  }

  /** The file as uploaded, after checking its bytes against the hash the event log recorded. */
  async download(actor: Actor, alertId: number, id: number): Promise<{ meta: AlertEvidenceView; content: Buffer }> {
    await loadAlert(this.ds.manager, actor, alertId, false);
    const meta = await selectOne(this.ds, EvidenceRow, `${SELECT} WHERE e.id = $1 AND e.alert_id = $2`, [id, alertId]);
    const content = await verifiedEvidence(
      this.ds,
      { table: 'monitoring_alert_evidence', ownerColumn: 'alert_id', id, ownerId: alertId },
      { type: 'monitoring.alert.evidence_added', ids: { evidenceId: id, alertId } },
    );
    if (!meta || !content) throw new DomainError(ErrorCode.NotFound, `No evidence ${id} on alert ${alertId}`);
    return { meta: view(meta), content };
  }
}

function view({ username, createdAt, ...row }: z.infer<typeof EvidenceRow>): AlertEvidenceView {
  return { ...row, uploadedBy: username, createdAt: createdAt.toISOString() };
}
