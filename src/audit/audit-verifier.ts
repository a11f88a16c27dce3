import { DataSource } from 'typeorm';
import { z } from 'zod';
import { col, selectOne, selectRows } from '../database/rows';
import { LedgerCounts, LedgerFault, checkLedger } from '../ledger/ledger-consistency';
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
  /** Stored files checked against the event that recorded them, by kind (absent when the chain broke first). */
  files?: Record<StoredFileKind, string>;
  /** The first stored file whose bytes or record no longer match its event (a file swapped behind the triggers). */
  firstBadFile?: { kind: StoredFileKind; id: number; eventId: string | null; seq: string | null };
  /** The ledger checked against its posting events and its own balances (absent when the chain broke first). */
  ledger?: LedgerCounts;
  /** The first place where the ledger disagrees with its posting events or with itself (rows edited behind the triggers). */
  firstBadLedger?: LedgerFault;
}

const BATCH = 5000;

/**
 * A sealed event as the verifier reads it. It trusts nothing it reads: a hash nulled behind the triggers is a link
 * that does not verify, not a crash.
 */
const LinkRow = z.object({ seq: col.int8, prevHash: col.text.nullable(), hash: col.text.nullable(), body: col.text });

/**
 * Walks every county's chain from the database, recomputing each hash; stops at the first bad link. On an intact chain,
 * checks the stored files and the ledger against the events that recorded them.
 */
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
  return verifyLedger(ds, await verifyStoredFiles(ds, report));
}

/** The ledger against the posting events just verified, and its balances against its lines (src/ledger/ledger-consistency.ts). */
async function verifyLedger(ds: DataSource, report: VerifyReport): Promise<VerifyReport> {
  const { counts, firstBad } = await checkLedger(ds);
  return firstBad ? { ...report, ok: false, ledger: counts, firstBadLedger: firstBad } : { ...report, ledger: counts };
}

/**
 * Every stored file, and the event that recorded it: the event must be the file's own (type and ids) and record what
 * the row holds now, with the SHA-256 recomputed from the bytes, so swapped bytes and rows made to point at another
 * file's event are both caught. A published notice's PDF is checked against its publication event the same way.
 */
const STORED_FILES = {
  claim_attachment: {
    count: `SELECT count(*)::text AS checked FROM claim_attachments`,
    firstBad: `SELECT a.id, a.event_id, e.seq FROM claim_attachments a JOIN audit_events e ON e.id = a.event_id
                WHERE e.type <> 'claim.attachment.added'
                   OR (e.body::jsonb -> 'data') IS DISTINCT FROM jsonb_build_object(
                        'attachmentId', a.id, 'claimId', a.claim_id, 'version', a.version, 'kind', a.kind, 'filename', a.filename,
                        'contentType', a.content_type, 'size', a.size, 'sha256', encode(sha256(a.content), 'hex'))
                ORDER BY a.id LIMIT 1`,
  },
  notice_evidence: {
    count: `SELECT count(*)::text AS checked FROM notice_evidence`,
    firstBad: `SELECT v.id, v.event_id, e.seq FROM notice_evidence v JOIN audit_events e ON e.id = v.event_id
                WHERE e.type <> 'notice.evidence.added'
                   OR (e.body::jsonb -> 'data') IS DISTINCT FROM jsonb_build_object(
                        'evidenceId', v.id, 'noticeId', v.notice_id, 'channel', v.channel, 'filename', v.filename,
                        'contentType', v.content_type, 'size', v.size, 'sha256', encode(sha256(v.content), 'hex'))
                ORDER BY v.id LIMIT 1`,
  },
  alert_evidence: {
    count: `SELECT count(*)::text AS checked FROM monitoring_alert_evidence`,
    firstBad: `SELECT v.id, v.event_id, e.seq FROM monitoring_alert_evidence v JOIN audit_events e ON e.id = v.event_id
                WHERE e.type <> 'monitoring.alert.evidence_added'
                   OR (e.body::jsonb -> 'data') IS DISTINCT FROM jsonb_build_object(
                        'evidenceId', v.id, 'alertId', v.alert_id, 'filename', v.filename,
                        'contentType', v.content_type, 'size', v.size, 'sha256', encode(sha256(v.content), 'hex'))
                ORDER BY v.id LIMIT 1`,
  },
  notice_pdf: {
    count: `SELECT count(*)::text AS checked FROM notices WHERE state = 'published'`,
    firstBad: `SELECT n.id, e.id AS event_id, e.seq FROM notices n
                LEFT JOIN audit_events e ON e.county_id = n.county_id AND e.type = 'notice.published'
                                        AND e.body::jsonb -> 'data' ->> 'noticeId' = n.id::text
                WHERE n.state = 'published'
                  AND (e.id IS NULL
                       OR e.body::jsonb -> 'data' ->> 'pdfSha256' IS DISTINCT FROM encode(sha256(n.pdf), 'hex')
                       OR e.body::jsonb -> 'data' ->> 'contentHash' IS DISTINCT FROM n.content_hash)
                ORDER BY n.id LIMIT 1`,
  },
} as const;

export type StoredFileKind = keyof typeof STORED_FILES;

const Checked = z.object({ checked: col.int8 });
const BadFile = z.object({ id: col.id, eventId: col.int8.nullable(), seq: col.int8.nullable() });

async function verifyStoredFiles(ds: DataSource, report: VerifyReport): Promise<VerifyReport> {
  const files = {} as Record<StoredFileKind, string>;
  let firstBadFile: VerifyReport['firstBadFile'];
  for (const [kind, sql] of Object.entries(STORED_FILES) as [StoredFileKind, (typeof STORED_FILES)[StoredFileKind]][]) {
    files[kind] = (await selectRows(ds, Checked, sql.count))[0].checked;
    const bad = firstBadFile ? undefined : await selectOne(ds, BadFile, sql.firstBad);
    if (bad) firstBadFile = { kind, id: bad.id, eventId: bad.eventId, seq: bad.seq };
  }
  return firstBadFile ? { ...report, ok: false, files, firstBadFile } : { ...report, files };
}
