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
    for (let after = 0n; ; ) {
      const rows: { seq: string; prev_hash: string; hash: string; body: string }[] = await ds.query(
        `SELECT seq, prev_hash, hash, body FROM audit_events WHERE county_id = $1 AND seq > $2 ORDER BY county_id, seq LIMIT $3`,
        [county.id, after.toString(), BATCH],
      );
      for (const row of rows) {
        const link: ChainLink = { seq: BigInt(row.seq), prevHash: row.prev_hash, hash: row.hash, body: row.body };
        const fault = walker.check(link);
        if (fault) {
          const seq = fault === 'gap' ? (walker.lastSeq + 1n).toString() : row.seq;
          return { ok: false, counties: report.counties, firstBad: { county: county.code, seq, fault } };
        }
      }
      if (rows.length < BATCH) break;
      after = BigInt(rows[rows.length - 1].seq);
      onProgress?.(county.code, after);
    }
    if (BigInt(county.head_seq) !== walker.lastSeq) {
      const seq = (walker.lastSeq + 1n).toString();
      return { ok: false, counties: report.counties, firstBad: { county: county.code, seq, fault: 'truncated' } };
    }
    report.counties.push({ county: county.code, events: walker.lastSeq.toString(), headHash: walker.headHash, unsealed: county.unsealed });
  }
  return report;
}
