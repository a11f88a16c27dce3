import { DataSource } from 'typeorm';
import { z } from 'zod';
import { col, selectOne, selectRows } from '../database/rows';
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

/**
 * A sealed event as the verifier reads it. It trusts nothing it reads: a hash nulled behind the triggers is a link
 * that does not verify, not a crash.
 */
const LinkRow = z.object({ seq: col.int8, prevHash: col.text.nullable(), hash: col.text.nullable(), body: col.text });

/** Walks every county's chain from the database, recomputing each hash; stops at the first bad link. */
export async function verifyEvents(ds: DataSource, onProgress?: (county: string, seq: bigint) => void): Promise<VerifyReport> {
  const counties = await selectRows(
    ds,
    z.object({ id: col.id, code: col.text, headSeq: col.int8, unsealed: col.int8 }),
    `SELECT c.id, c.code, h.seq AS head_seq,
            (SELECT count(*) FROM audit_events e WHERE e.county_id = c.id AND e.seq IS NULL) AS unsealed
       FROM counties c JOIN audit_chain_heads h ON h.county_id = c.id ORDER BY c.id`,
  );
  const report: VerifyReport = { ok: true, counties: [] };
  for (const county of counties) {
    const walker = new ChainWalker();
    for (let after = 0n; ;) {
      const rows = await selectRows(
        ds,
        LinkRow,
        `SELECT seq, prev_hash, hash, body FROM audit_events WHERE county_id = $1 AND seq > $2 ORDER BY county_id, seq LIMIT $3`,
        [county.id, after.toString(), BATCH],
      );
      for (const row of rows) {
        const link: ChainLink = { seq: BigInt(row.seq), prevHash: row.prevHash ?? '', hash: row.hash ?? '', body: row.body };
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
    if (BigInt(county.headSeq) !== walker.lastSeq) {
      const seq = (walker.lastSeq + 1n).toString();
      return { ...report, ok: false, firstBad: { county: county.code, seq, fault: 'truncated' } };
    }
    report.counties.push({ county: county.code, events: walker.lastSeq.toString(), headHash: walker.headHash, unsealed: county.unsealed });
  }
  return verifyAttachments(ds, report);
}

/** Recomputes every claim attachment's SHA-256 in the database and compares it with its (chained) upload event. */
async function verifyAttachments(ds: DataSource, report: VerifyReport): Promise<VerifyReport> {
  const [{ checked }] = await selectRows(ds, z.object({ checked: col.int8 }), `SELECT count(*)::text AS checked FROM claim_attachments`);
  // The event must be this attachment's upload event and record what the row holds, so rows swapped between claims
  // (content, hash and event together) are caught as well as swapped bytes.
  const bad = await selectOne(
    ds,
    z.object({ id: col.id, eventId: col.int8, seq: col.int8.nullable() }),
    `SELECT a.id, a.event_id, e.seq FROM claim_attachments a JOIN audit_events e ON e.id = a.event_id
      WHERE e.type <> 'claim.attachment.added'
         OR (e.body::jsonb -> 'data') IS DISTINCT FROM jsonb_build_object(
              'attachmentId', a.id, 'claimId', a.claim_id, 'version', a.version, 'kind', a.kind, 'filename', a.filename,
              'contentType', a.content_type, 'size', a.size, 'sha256', encode(sha256(a.content), 'hex'))
      ORDER BY a.id LIMIT 1`,
  );
  if (!bad) return { ...report, attachments: checked };
  return { ...report, ok: false, attachments: checked, firstBadAttachment: { attachmentId: bad.id, eventId: bad.eventId, seq: bad.seq } };
}
