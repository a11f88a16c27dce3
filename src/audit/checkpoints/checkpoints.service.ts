import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { Actor } from '../../common/context';
import { DomainError, ErrorCode, invalidField } from '../../common/errors';
import { IdempotencyKey, IdempotentAnswer } from '../../common/idempotency';
import { Env } from '../../config/env';
import { resolveAuditSigningKey } from '../../config/secrets';
import { idempotent } from '../../database/idempotency';
import { Queryable, col, execute, selectOne, selectRows } from '../../database/rows';
import { inTransaction } from '../../database/unit-of-work';
import { AuditLog } from '../audit-log';
import { GENESIS_HASH } from '../domain/chain';
import { Frontier, ProofBuilder, consistencySpans, inclusionSpans, leafHash } from './merkle';
import {
  Ed25519Key,
  NoteError,
  addCosignature,
  checkpointBody,
  checkpointOrigin,
  keyId,
  parseSignatureLine,
  parseVerifierKey,
  signNote,
  verifierKey,
} from './signed-note';

/** A signed checkpoint as kept: `note` is the whole signed note, co-signatures included. */
export interface Checkpoint {
  countyId: number;
  treeSize: string;
  rootHash: string;
  note: string;
  keyId: string;
  signedAt: Date;
}

/** When a county's next checkpoint is due: this many sealed events past the last one, or this long after it (0: never by time). */
export interface CheckpointPolicy {
  events: number;
  intervalMs: number;
}

export interface InclusionProofView {
  seq: string;
  treeSize: string;
  leafIndex: string;
  leafHash: string;
  rootHash: string;
  proof: string[];
}

export interface ConsistencyProofView {
  from: string;
  to: string;
  fromRoot: string;
  toRoot: string;
  proof: string[];
}

const BATCH = 5000;
const CheckpointRow = z.object({ countyId: col.id, treeSize: col.int8, rootHash: col.text, note: col.text, keyId: col.text, signedAt: col.timestamp });
const CHECKPOINT_COLUMNS = 'county_id, tree_size, root_hash, note, key_id, signed_at';
const LinkRow = z.object({ seq: col.int8, prevHash: col.text.nullable(), hash: col.text.nullable() });
const HEX_HASH = /^[0-9a-f]{64}$/;
const fromHex = (hash: string): Buffer => Buffer.from(hash, 'hex');
const toHex = (hash: Buffer): string => hash.toString('hex');

/** The hash of a sealed event as 32 bytes; a hash nulled or mangled behind the triggers stops the reader. */
function hashBytes(countyId: number, seq: string, hash: string | null): Buffer {
  if (hash === null || !HEX_HASH.test(hash)) throw new Error(`audit chain of county ${countyId}: event ${seq} has no valid hash`);
  return Buffer.from(hash, 'hex');
}

/**
 * The leaves of a county's sealed events `after + 1 … upTo`, in seq order, read in batches. Each event must follow the
 * one before it without a gap and name its hash as `prev_hash`, so a checkpoint is never signed over a chain that
 * the database no longer holds together.
 */
async function* sealedLeaves(db: Queryable, countyId: number, after: number, upTo: number): AsyncGenerator<Buffer> {
  let prev = GENESIS_HASH;
  if (after > 0) {
    const row = await selectOne(db, LinkRow, `SELECT seq, prev_hash, hash FROM audit_events WHERE county_id = $1 AND seq = $2`, [countyId, after]);
    prev = toHex(hashBytes(countyId, String(after), row?.hash ?? null));
  }
  for (let next = after + 1; next <= upTo;) {
    const rows = await selectRows(
      db,
      LinkRow,
      `SELECT seq, prev_hash, hash FROM audit_events WHERE county_id = $1 AND seq >= $2 AND seq <= $3 ORDER BY county_id, seq LIMIT $4`,
      [countyId, next, upTo, BATCH],
    );
    if (rows.length === 0) throw new Error(`audit chain of county ${countyId}: event ${next} is missing`);
    for (const row of rows) {
      if (row.seq !== String(next) || row.prevHash !== prev) throw new Error(`audit chain of county ${countyId}: event ${next} is missing or out of its chain`);
      const hash = hashBytes(countyId, row.seq, row.hash);
      yield leafHash(hash);
      prev = row.hash!;
      next += 1;
    }
  }
}

/** A bigint counter of the database as a number for the tree (exact far beyond any county's event count). */
function sizeOf(value: string): number {
  const size = Number(value);
  if (!Number.isSafeInteger(size)) throw new RangeError(`${value} is beyond the tree sizes this service handles`);
  return size;
}

/**
 * Signs a checkpoint of the county at its sealed head, unless the last one is already there: resumes the last
 * checkpoint's frontier, hashes only the events sealed since, signs, inserts, all in one unit of work. Instances racing
 * take turns on a per-county lock, and the second finds the head signed (the primary key would refuse a second copy).
 */
export async function signCheckpoint(ds: DataSource, key: Ed25519Key, countyId: number): Promise<Checkpoint | null> {
  return inTransaction(ds, async (em) => {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`audit-checkpoint:${countyId}`]);
    const county = await selectOne(
      em,
      z.object({ code: col.text, head: col.int8 }),
      `SELECT c.code, h.seq AS head FROM counties c JOIN audit_chain_heads h ON h.county_id = c.id WHERE c.id = $1`,
      [countyId],
    );
    if (!county) return null;
    const last = await selectOne(
      em,
      z.object({ treeSize: col.int8, rootHash: col.text, frontier: col.textArray }),
      `SELECT tree_size, root_hash, frontier FROM audit_checkpoints WHERE county_id = $1 ORDER BY tree_size DESC LIMIT 1`,
      [countyId],
    );
    const from = last ? sizeOf(last.treeSize) : 0;
    const head = sizeOf(county.head);
    if (head <= from) return null;
    const frontier = last ? Frontier.restore(from, last.frontier.map(fromHex)) : Frontier.empty();
    if (last && toHex(frontier.root()) !== last.rootHash) throw new Error(`checkpoint ${from} of county ${countyId}: its frontier is not its root's`);
    for await (const leaf of sealedLeaves(em, countyId, from, head)) frontier.append(leaf);
    const root = frontier.root();
    const origin = checkpointOrigin(county.code);
    const note = signNote(checkpointBody({ origin, treeSize: String(head), root }), origin, key);
    const [row] = await selectRows(
      em,
      CheckpointRow,
      `INSERT INTO audit_checkpoints (county_id, tree_size, root_hash, frontier, note, key_id) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING ${CHECKPOINT_COLUMNS}`,
      [countyId, String(head), toHex(root), frontier.hashes.map(toHex), note, keyId(origin, key.publicKey)],
    );
    return row;
  });
}

/** The counties whose checkpoint is due (by the database's clock, so instances agree), or every one whose head moved. */
async function dueCounties(db: Queryable, force: boolean, policy: CheckpointPolicy, countyId?: number): Promise<number[]> {
  const rows = await selectRows(
    db,
    z.object({ countyId: col.id }),
    `SELECT h.county_id FROM audit_chain_heads h
       LEFT JOIN LATERAL (SELECT k.tree_size, k.signed_at FROM audit_checkpoints k WHERE k.county_id = h.county_id
                           ORDER BY k.tree_size DESC LIMIT 1) last ON true
      WHERE h.seq > coalesce(last.tree_size, 0) AND ($1::int IS NULL OR h.county_id = $1)
        AND ($2 OR h.seq - coalesce(last.tree_size, 0) >= $3
             OR ($4::int > 0 AND (last.signed_at IS NULL OR last.signed_at <= now() - $4::int * interval '1 millisecond')))
      ORDER BY h.county_id`,
    [countyId ?? null, force, policy.events, policy.intervalMs],
  );
  return rows.map((r) => r.countyId);
}

/** The policy of the configuration's defaults (src/config/env.ts), for callers that give none. */
function defaultPolicy(): CheckpointPolicy {
  const env = new Env();
  return { events: env.AUDIT_CHECKPOINT_EVENTS, intervalMs: env.AUDIT_CHECKPOINT_INTERVAL_MS };
}

/**
 * Signs every due checkpoint now; with `force`, one for every county whose sealed head moved past its last checkpoint.
 * For the CLI and the sealer alike: no Nest. Answers the checkpoints signed.
 */
export async function signDueCheckpoints(
  ds: DataSource,
  key: Ed25519Key,
  options: { force: boolean; events?: number; intervalMs?: number },
): Promise<Checkpoint[]> {
  const defaults = defaultPolicy();
  const policy = { events: options.events ?? defaults.events, intervalMs: options.intervalMs ?? defaults.intervalMs };
  const signed: Checkpoint[] = [];
  for (const countyId of await dueCounties(ds, options.force, policy)) {
    const checkpoint = await signCheckpoint(ds, key, countyId);
    if (checkpoint) signed.push(checkpoint);
  }
  return signed;
}

/** Every checkpoint of a county up to a tree size, oldest first, as signed-note text (for the audit package). */
export async function checkpointNotes(db: Queryable, countyId: number, upToTreeSize: string): Promise<{ treeSize: string; note: string }[]> {
  return selectRows(
    db,
    z.object({ treeSize: col.int8, note: col.text }),
    `SELECT tree_size, note FROM audit_checkpoints WHERE county_id = $1 AND tree_size <= $2 ORDER BY tree_size`,
    [countyId, upToTreeSize],
  );
}

/** The verifier key of the service's checkpoints of a county: `<county code>/fund-ledger+<key id>+<base64>`. */
/** A signed note of `body` by the county's key (the audit package's manifest.note): verifiable with its verifier key. */
export function signByCounty(countyCode: string, key: Ed25519Key, body: string): string {
  return signNote(body, checkpointOrigin(countyCode), key);
}

export function checkpointVerifierKey(countyCode: string, key: Ed25519Key): string {
  return verifierKey(checkpointOrigin(countyCode), key.publicKey);
}

/** A NoteError of a witness's input as the API answers it: the field at fault, or the signer already there. */
function cosignatureRefusal(err: unknown): unknown {
  if (!(err instanceof NoteError)) return err;
  switch (err.fault) {
    case 'malformed_key':
      return invalidField('key', err.message);
    case 'malformed_signature':
    case 'wrong_key':
    case 'bad_signature':
      return invalidField('signature', err.message);
    case 'duplicate_signer':
      return new DomainError(ErrorCode.InvalidState, err.message, { rule: 'one_signature_per_key' });
    case 'too_many_signers':
      return new DomainError(ErrorCode.InvalidState, err.message, { rule: 'at_most_16_cosignatures' });
    case 'malformed_note':
      return new Error(`a stored checkpoint note is malformed: ${err.message}`);
  }
}

/**
 * The county's signed checkpoints (docs/audit-package.md, "Signed checkpoints"): signing after sealing (AuditSealer),
 * reading them and proofs against them, and witnesses' co-signatures.
 */
@Injectable()
export class CheckpointsService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(CheckpointsService.name);
  private key?: Ed25519Key;
  private signing?: Promise<Checkpoint[]>;

  constructor(
    private readonly ds: DataSource,
    private readonly config: ConfigService,
    private readonly audit: AuditLog,
  ) {}

  async onModuleInit(): Promise<void> {
    const env = { AUDIT_SIGNING_KEY: this.config.get<string>('AUDIT_SIGNING_KEY'), DATA_DIR: this.config.getOrThrow<string>('DATA_DIR') };
    // No DATABASE_URL is the embedded database (src/database/database-url.ts), whose key may live in DATA_DIR.
    this.key = await resolveAuditSigningKey(env, !this.config.get<string>('DATABASE_URL'));
  }

  onApplicationBootstrap(): void {
    this.logger.log(`audit checkpoints are signed by ${this.verifierKey()}`);
  }

  private get signingKey(): Ed25519Key {
    if (!this.key) throw new Error('the audit signing key is not loaded yet');
    return this.key;
  }

  private get policy(): CheckpointPolicy {
    return {
      events: this.config.getOrThrow<number>('AUDIT_CHECKPOINT_EVENTS'),
      intervalMs: this.config.getOrThrow<number>('AUDIT_CHECKPOINT_INTERVAL_MS'),
    };
  }

  /** The service's verifier key for a county; by default the service's own (COUNTY_CODE). */
  verifierKey(countyCode = this.config.getOrThrow<string>('COUNTY_CODE')): string {
    return checkpointVerifierKey(countyCode, this.signingKey);
  }

  /** Every checkpoint of the county up to `treeSize`, oldest first, as note text, read in the caller's unit of work. */
  notesUpTo(em: EntityManager, countyId: number, treeSize: string): Promise<{ treeSize: string; note: string }[]> {
    return checkpointNotes(em, countyId, treeSize);
  }

  /** Whether the county's sealed head is past its last checkpoint by AUDIT_CHECKPOINT_EVENTS or AUDIT_CHECKPOINT_INTERVAL_MS. */
  async checkpointDue(countyId: number): Promise<boolean> {
    return (await dueCounties(this.ds, false, this.policy, countyId)).length > 0;
  }

  /** Signs the county's checkpoint at its sealed head now (null when the head is already signed). */
  signCheckpoint(countyId: number): Promise<Checkpoint | null> {
    return signCheckpoint(this.ds, this.signingKey, countyId);
  }

  /**
   * Signs every due checkpoint; rounds overlapping from the timer join the running one. `force` (at shutdown) waits for
   * it, then signs for every county whose head moved.
   */
  async signDue(force = false): Promise<Checkpoint[]> {
    // An application closed without being initialised (the OpenAPI writer) has no key and signs nothing.
    if (!this.key) return [];
    if (force) {
      await this.signing?.catch(() => undefined);
      return signDueCheckpoints(this.ds, this.signingKey, { force: true });
    }
    this.signing ??= signDueCheckpoints(this.ds, this.signingKey, { force: false, ...this.policy }).finally(() => (this.signing = undefined));
    return this.signing;
  }

  /** A signed note of `body` by the county's key. */
  signByCounty(countyCode: string, body: string): string {
    return signByCounty(countyCode, this.signingKey, body);
  }

  async latest(countyId: number): Promise<Checkpoint | undefined> {
    return selectOne(this.ds, CheckpointRow, `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints WHERE county_id = $1 ORDER BY tree_size DESC LIMIT 1`, [
      countyId,
    ]);
  }

  async at(countyId: number, treeSize: string): Promise<Checkpoint | undefined> {
    return selectOne(this.ds, CheckpointRow, `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints WHERE county_id = $1 AND tree_size = $2`, [
      countyId,
      treeSize,
    ]);
  }

  /**
   * The inclusion proof of event `seq` in the county's tree of `treeSize` events. Computed from the stored event hashes,
   * read from seq 1 in one pass: O(treeSize) reading and hashing, memory for a few frontiers (acceptable for an
   * auditor's request; a tree kept node by node would answer in O(log n) at the cost of a second store to trust).
   */
  async inclusionProof(countyId: number, seq: string, treeSize: string): Promise<InclusionProofView> {
    const size = await this.sizeWithinHead(countyId, treeSize, 'treeSize');
    if (BigInt(seq) < 1n || BigInt(seq) > BigInt(size)) throw invalidField('seq', `seq must be between 1 and treeSize (${size})`);
    const index = sizeOf(seq) - 1;
    const builder = new ProofBuilder(inclusionSpans(index, size), [size]);
    let leaf: Buffer | undefined;
    for await (const next of sealedLeaves(this.ds, countyId, 0, size)) {
      if (builder.size === index) leaf = next;
      builder.push(next);
    }
    return {
      seq,
      treeSize: String(size),
      leafIndex: String(index),
      leafHash: toHex(leaf!),
      rootHash: toHex(builder.rootAt(size)),
      proof: builder.proof().map(toHex),
    };
  }

  /** The consistency proof from the county's tree of `from` events to that of `to`; O(to) reading, as above. */
  async consistencyProof(countyId: number, from: string, to: string): Promise<ConsistencyProofView> {
    const second = await this.sizeWithinHead(countyId, to, 'to');
    if (BigInt(from) < 1n || BigInt(from) > BigInt(second)) throw invalidField('from', `from must be between 1 and to (${second})`);
    const first = sizeOf(from);
    const builder = new ProofBuilder(consistencySpans(first, second), [first, second]);
    for await (const leaf of sealedLeaves(this.ds, countyId, 0, second)) builder.push(leaf);
    return {
      from: String(first),
      to: String(second),
      fromRoot: toHex(builder.rootAt(first)),
      toRoot: toHex(builder.rootAt(second)),
      proof: builder.proof().map(toHex),
    };
  }

  /** A tree size of the request: at least 1 and within the county's sealed head. */
  private async sizeWithinHead(countyId: number, value: string, field: string): Promise<number> {
    const head = await selectOne(this.ds, z.object({ seq: col.int8 }), `SELECT seq FROM audit_chain_heads WHERE county_id = $1`, [countyId]);
    const sealed = BigInt(head?.seq ?? '0');
    if (BigInt(value) < 1n || BigInt(value) > sealed) throw invalidField(field, `${field} must be between 1 and the sealed events (${sealed})`);
    return sizeOf(value);
  }

  /**
   * Adds a witness's signature line to checkpoint `treeSize` of the actor's county: it must be by the verifier key
   * given and verify over the checkpoint's body; one line per key. Answers the note with the new line. The change and
   * its event `audit.checkpoint.cosigned` are one unit of work, run through the request's Idempotency-Key.
   */
  async addCosignature(actor: Actor, treeSize: string, signature: string, vkey: string, key: IdempotencyKey | undefined): Promise<IdempotentAnswer<string>> {
    let line: string;
    try {
      parseVerifierKey(vkey);
      line = parseSignatureLine(signature).line;
    } catch (err) {
      throw cosignatureRefusal(err);
    }
    return idempotent(this.ds, { actor, key, body: { signature: line, key: vkey } }, async (em) => {
      const row = await selectOne(em, z.object({ note: col.text }), `SELECT note FROM audit_checkpoints WHERE county_id = $1 AND tree_size = $2 FOR UPDATE`, [
        actor.county.id,
        treeSize,
      ]);
      if (!row) throw new DomainError(ErrorCode.NotFound, `No checkpoint of ${treeSize} events`);
      let note: string;
      try {
        note = addCosignature(row.note, line, vkey);
      } catch (err) {
        throw cosignatureRefusal(err);
      }
      await execute(em, `UPDATE audit_checkpoints SET note = $3 WHERE county_id = $1 AND tree_size = $2`, [actor.county.id, treeSize, note]);
      await this.audit.append(em, actor, 'audit.checkpoint.cosigned', { treeSize, key: vkey, signature: line.slice(0, -1) });
      return note;
    });
  }
}
