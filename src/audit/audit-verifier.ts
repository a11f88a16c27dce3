import { DataSource } from 'typeorm';
import { ChainLink, ChainWalker, LinkFault } from './domain/chain';

export interface CountyChainReport {
  county: string;
  /** Sealed events, all verified. */
  events: string;
  headHash: string;
  /** Events committed but not yet sealed (the sealer links them within a second while the service runs). */
  unsealed: string;
}

export interface VerifyReport {
  ok: boolean;
  counties: CountyChainReport[];
  /** The first link that does not verify; `truncated` when the kept head lies beyond the last event. */
  firstBad?: { county: string; seq: string; fault: LinkFault | 'truncated' };
  /** Claim attachments whose stored bytes were checked against their upload event (absent when the chain broke first). */
  attachments?: string;
  /** The first attachment whose bytes no longer hash to what its event recorded (a file swapped behind the triggers). */
  firstBadAttachment?: { attachmentId: number; eventId: string; seq: string | null };
}

const BATCH = 5000;

/** Walks every county's chain from the database, recomputing each hash; stops at the first bad link. */
export async function verifyEvents(ds: DataSource, onProgress?: (county: string, seq: bigint) => void): Promise<VerifyReport> {
  const counties: { id: number; code: string; head_seq: string; unsealed: string }[] = await ds.query(
    `SELECT c.id, c.code, h.seq AS head_seq,
            (SELECT count(*) FROM audit_events e WHERE e.county_id = c.id AND e.seq IS NULL) AS unsealed
       FROM counties c JOIN audit_chain_heads h ON h.county_id = c.id ORDER BY c.id`,
  );
  const report: VerifyReport = { ok: true, counties: [] };
  for (const county of counties) {
    const walker = new ChainWalker();
    for (let after = 0n; ;) {
      const rows: { seq: string; prev_hash: string; hash: string; body: string }[] = await ds.query(
        `SELECT seq, prev_hash, hash, body FROM audit_events WHERE county_id = $1 AND seq > $2 ORDER BY county_id, seq LIMIT $3`,
        [county.id, after.toString(), BATCH],
      );
      for (const row of rows) {
        const link: ChainLink = { seq: BigInt(row.seq), prevHash: row.prev_hash, hash: row.hash, body: row.body };
        const fault = walker.check(link);
        if (fault) {
          const seq = fault === 'gap' ? (walker.lastSeq + 1n).toString() : row.seq;
          return { ...report, ok: false, firstBad: { county: county.code, seq, fault } };
        }
      }
      if (rows.length < BATCH) break;
      after = BigInt(rows[rows.length - 1].seq);
      onProgress?.(county.code, after);
    }
    if (BigInt(county.head_seq) !== walker.lastSeq) {
      const seq = (walker.lastSeq + 1n).toString();
      return { ...report, ok: false, firstBad: { county: county.code, seq, fault: 'truncated' } };
    }
    report.counties.push({ county: county.code, events: walker.lastSeq.toString(), headHash: walker.headHash, unsealed: county.unsealed });
  }
  return verifyAttachments(ds, report);
}

/** Recomputes every claim attachment's SHA-256 in the database and compares it with its (chained) upload event. */
async function verifyAttachments(ds: DataSource, report: VerifyReport): Promise<VerifyReport> {
  const [{ checked }] = await ds.query(`SELECT count(*)::text AS checked FROM claim_attachments`);
  // The event must be this attachment's upload event and record what the row holds, so rows swapped between claims
  // (content, hash and event together) are caught as well as swapped bytes.
  const [bad]: { id: number; event_id: string; seq: string | null }[] = await ds.query(
    `SELECT a.id, a.event_id, e.seq FROM claim_attachments a JOIN audit_events e ON e.id = a.event_id
      WHERE e.type <> 'claim.attachment.added'
         OR (e.body::jsonb -> 'data') IS DISTINCT FROM jsonb_build_object(
              'attachmentId', a.id, 'claimId', a.claim_id, 'version', a.version, 'kind', a.kind, 'filename', a.filename,
              'contentType', a.content_type, 'size', a.size, 'sha256', encode(sha256(a.content), 'hex'))
      ORDER BY a.id LIMIT 1`,
  );
  if (!bad) return { ...report, attachments: checked };
  return { ...report, ok: false, attachments: checked, firstBadAttachment: { attachmentId: bad.id, eventId: bad.event_id, seq: bad.seq } };
}
