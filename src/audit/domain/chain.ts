import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * The audit hash chain (design §9), written independently of the database function `audit_event_hash` so the
 * verifier does not trust the code that wrote the chain.
 */
export const DOMAIN_TAG = 'fund-ledger/event/v1';
export const GENESIS_HASH = '0'.repeat(64);

/** What an event says. `data` holds no JS numbers for money: amounts are strings. */
export interface EventBody {
  type: string;
  county: string;
  actor: string;
  at: string;
  data: Record<string, unknown>;
}

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}

export function eventHash(seq: bigint, prevHash: string, body: string): string {
  return createHash('sha256').update(`${DOMAIN_TAG}\n${seq}\n${prevHash}\n${body}`, 'utf8').digest('hex');
}

export interface ChainLink {
  seq: bigint;
  prevHash: string;
  hash: string;
  body: string;
}

export type LinkFault = 'gap' | 'prev_hash' | 'hash' | 'not_canonical';

/** Walks one county's chain in seq order; feed links one at a time, it remembers only the previous one. */
export class ChainWalker {
  private expectedSeq = 1n;
  private prevHash = GENESIS_HASH;

  get lastSeq(): bigint {
    return this.expectedSeq - 1n;
  }

  get headHash(): string {
    return this.prevHash;
  }

  check(link: ChainLink): LinkFault | null {
    if (link.seq !== this.expectedSeq) return 'gap';
    if (link.prevHash !== this.prevHash) return 'prev_hash';
    if (eventHash(link.seq, link.prevHash, link.body) !== link.hash) return 'hash';
    if (!isCanonical(link.body)) return 'not_canonical';
    this.expectedSeq += 1n;
    this.prevHash = link.hash;
    return null;
  }
}

function isCanonical(body: string): boolean {
  try {
    return canonicalJson(JSON.parse(body)) === body;
  } catch {
    return false;
  }
}
