import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { ChainWalker, LinkFault } from '../audit/domain/chain';
import { CsvError, CsvReader } from './csv';
import { LineSplitter, LineTooLongError } from './lines';
import { EMPTY_ROOT, eventLeafHash, MerkleFrontier } from './merkle';
import { Checkpoint, NoteError, parseCheckpointBody, parseNote, parseVerifierKey, signatureBy, VerifierKey } from './note';
import {
  ACCOUNT_COLUMNS,
  ACCOUNTS_FILE,
  Columns,
  isDate,
  LEDGER_LINE_COLUMNS,
  LEDGER_LINES_FILE,
  Replay,
  TRIAL_BALANCE_COLUMNS,
  TRIAL_BALANCE_FILE,
} from './replay';
import { Check, CHECKS, fault, FaultError, PackageFault, PackageReport, PackageSummary, VerifyOptions } from './report';
import { openZip, streamEntry, ZipReader } from './zip';

/**
 * The offline verifier (docs/audit-package.md, "What the offline verifier checks"): the package's files against its
 * manifest, the event chain, the signed checkpoints against the events' Merkle tree, and the books replayed from the
 * events. It needs no database and trusts nothing the writer computed.
 *
 * Each file is read once, streamed, in the order the checks need (manifest, plain files, checkpoints, events, ledger
 * lines, accounts, trial balance). A file's own hash outranks what it says, and an earlier check outranks a later
 * one: while a file streams, a fault of its content is kept and reading goes on to the file's hash, and the fault
 * reported is the first of the earliest check, as if the checks had run one after another.
 */

export { formatReport } from './report';
export type { PackageFault, PackageReport, PackageSummary, VerifyOptions, VerifyProgress } from './report';

export const MANIFEST_FILE = 'manifest.json';
/** The signed note over the manifest's SHA-256, by the log's key: it makes every listed file the service's. */
export const MANIFEST_NOTE = 'manifest.note';
export const EVENTS_FILE = 'events.jsonl';
export const MANIFEST_FORMAT = 'fund-ledger-audit-package/1';
const CHECKPOINT_FILE = /^checkpoints\/([0-9]{12})\.note$/;
const PARSED_FILES = new Set([EVENTS_FILE, LEDGER_LINES_FILE, ACCOUNTS_FILE, TRIAL_BALANCE_FILE]);
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
const MAX_NOTE_BYTES = 1024 * 1024;
const MAX_EVENT_LINE_BYTES = 64 * 1024 * 1024;
const PROGRESS_EVERY = 100_000;
const HEX64 = /^[0-9a-f]{64}$/;
const SEQ = /^[1-9][0-9]*$/;
const EVENT_STRINGS = ['prevHash', 'hash', 'type', 'recordedAt', 'body'] as const;

/** The verifier was asked wrongly (a pinned key that does not parse, none at all): nothing about the package. */
export class VerifierUsageError extends Error {}

interface ListedFile {
  path: string;
  bytes: number;
  sha256: string;
}

interface Manifest {
  county: { code: string; name: string };
  period: { from: string; to: string };
  createdAt: string;
  treeSize: bigint;
  files: ListedFile[];
}

/** A checkpoint read and its signatures checked; its root is compared once the events are read. */
type CheckedCheckpoint = { label: string; file?: string } & ({ checkpoint: Checkpoint } | { error: string });

export async function verifyPackage(path: string, options: VerifyOptions): Promise<PackageReport> {
  if (options.keys.length === 0) throw new VerifierUsageError('pin the log’s verifier key (--key)');
  const keys = options.keys.map((text) => {
    try {
      return parseVerifierKey(text.trim());
    } catch (err) {
      throw new VerifierUsageError(err instanceof Error ? err.message : String(err));
    }
  });
  let zip: ZipReader;
  try {
    zip = await openZip(path);
  } catch (err) {
    return { ok: false, fault: { check: 'manifest', file: basename(path), message: `not a zip that can be read: ${errorText(err)}` } };
  }
  try {
    return await new PackageVerification(zip, keys, options).run();
  } finally {
    zip.zip.close();
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function rank(check: Check): number {
  return CHECKS.indexOf(check);
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

class PackageVerification {
  private found?: PackageFault;
  private manifest!: Manifest;
  private readonly listed = new Map<string, ListedFile>();
  private filesChecked = 0;
  private readonly walker = new ChainWalker();
  private readonly frontier = new MerkleFrontier();
  private readonly rootsWanted = new Set<number>();
  private readonly rootsAt = new Map<number, Buffer>();
  private readonly checkpoints: CheckedCheckpoint[] = [];
  private earlier?: CheckedCheckpoint;
  private replay!: Replay;
  private eventLines = 0;
  /** The manifest's treeSize, counted (it is at most Number.MAX_SAFE_INTEGER). */
  private treeSize = 0;
  private readonly logKey: VerifierKey;
  /** Witness keys found on at least one checkpoint. */
  private readonly witnessed = new Set<string>();
  private readonly witnesses: VerifierKey[];

  constructor(
    private readonly zip: ZipReader,
    keys: VerifierKey[],
    private readonly options: VerifyOptions,
  ) {
    [this.logKey, ...this.witnesses] = keys;
  }

  async run(): Promise<PackageReport> {
    try {
      await this.readManifest();
      await this.checkPlainFiles();
      await this.readCheckpoints();
      await this.readEvents();
      this.guard('checkpoint', () => this.checkRoots());
      await this.readCsv(
        LEDGER_LINES_FILE,
        LEDGER_LINE_COLUMNS,
        'ledger-lines',
        (c, f, l) => this.replay.onLedgerLine(c, f, l),
        () => this.replay.finishLines(),
      );
      await this.readCsv(
        ACCOUNTS_FILE,
        ACCOUNT_COLUMNS,
        'accounts',
        (c, f, l) => this.replay.onAccountRow(c, f, l),
        () => this.replay.finishAccounts(),
      );
      await this.readCsv(
        TRIAL_BALANCE_FILE,
        TRIAL_BALANCE_COLUMNS,
        'trial-balance',
        (c, f, l) => this.replay.onTrialBalanceRow(c, f, l),
        () => this.replay.finishTrialBalance(),
      );
    } catch (err) {
      // A manifest fault ends the verification at once: nothing read from a file that fails its hash is evidence.
      if (err instanceof FaultError && err.fault.check === 'manifest') return { ok: false, fault: err.fault };
      throw err;
    }
    return this.found ? { ok: false, fault: this.found } : { ok: true, summary: this.summary() };
  }

  /** Keeps `f` if it is the first fault of a check earlier than any kept so far. */
  private note(f: PackageFault): void {
    if (f.check === 'manifest') throw new FaultError(f);
    if (!this.found || rank(f.check) < rank(this.found.check)) this.found = f;
  }

  /** Whether a fault of `check` or an earlier check is known, so `check`'s work would report nothing. */
  private blocked(check: Check): boolean {
    return this.found !== undefined && rank(this.found.check) <= rank(check);
  }

  /** Runs `work` for `check` unless blocked, keeping the fault it throws. */
  private guard(check: Check, work: () => void, file?: string): void {
    if (this.blocked(check)) return;
    try {
      work();
    } catch (err) {
      this.note(this.asFault(err, check, file));
    }
  }

  private asFault(err: unknown, check: Check, file?: string): PackageFault {
    if (err instanceof FaultError) return err.fault.file === undefined && file !== undefined ? { ...err.fault, file } : err.fault;
    if (err instanceof CsvError) return { check, file, line: err.line, message: `not RFC 4180 CSV: ${err.message}` };
    if (err instanceof LineTooLongError) return { check, file, message: err.message };
    throw err;
  }

  private progress(stage: string, done: number, total?: number): void {
    this.options.onProgress?.(total === undefined ? { stage, done } : { stage, done, total });
  }

  // 1. Every file against the manifest.

  private async readManifest(): Promise<void> {
    const { files, duplicates } = this.zip;
    const entry = files.get(MANIFEST_FILE);
    const at = { file: MANIFEST_FILE };
    if (!entry) throw fault('manifest', 'the zip holds no manifest.json', at);
    if (duplicates.length > 0) throw fault('manifest', `the zip holds ${duplicates[0]} more than once`, { file: duplicates[0] });
    if (entry.uncompressedSize > MAX_MANIFEST_BYTES) throw fault('manifest', `manifest.json is larger than ${MAX_MANIFEST_BYTES} bytes`, at);
    const chunks: Buffer[] = [];
    try {
      await streamEntry(this.zip.zip, entry, (chunk) => chunks.push(Buffer.from(chunk)));
    } catch (err) {
      throw fault('manifest', `cannot be read from the zip: ${errorText(err)}`, at);
    }
    let value: unknown;
    try {
      value = JSON.parse(strictUtf8.decode(Buffer.concat(chunks)));
    } catch (err) {
      throw fault('manifest', `not JSON in UTF-8: ${errorText(err)}`, at);
    }
    this.manifest = parseManifest(value);
    await this.checkManifestSignature(createHash('sha256').update(Buffer.concat(chunks)).digest('hex'));
    this.treeSize = Number(this.manifest.treeSize);
    this.replay = new Replay(this.manifest.period);
    for (const file of this.manifest.files) this.listed.set(file.path, file);
    for (const needed of [EVENTS_FILE, LEDGER_LINES_FILE, ACCOUNTS_FILE, TRIAL_BALANCE_FILE]) {
      if (!this.listed.has(needed)) throw fault('manifest', `the manifest does not list ${needed}`, { file: needed });
    }
    for (const file of this.manifest.files) {
      if (!files.has(file.path)) throw fault('manifest', `listed in the manifest but not in the zip`, { file: file.path });
    }
    for (const name of files.keys()) {
      if (name !== MANIFEST_FILE && name !== MANIFEST_NOTE && !this.listed.has(name)) {
        throw fault('manifest', `in the zip but not in the manifest`, { file: name });
      }
    }
    for (const file of this.manifest.files) {
      const size = files.get(file.path)!.uncompressedSize;
      if (size !== file.bytes) throw fault('manifest', `${size} bytes; the manifest says ${file.bytes}`, { file: file.path });
    }
  }

  /**
   * manifest.note: a signed note whose body is the package format, the county, the tree size and the manifest's
   * SHA-256, signed by the pinned log key. Without it a forger who edits a book and rehashes the manifest would
   * pass every file check.
   */
  private async checkManifestSignature(manifestSha256: string): Promise<void> {
    const at = { file: MANIFEST_NOTE };
    const entry = this.zip.files.get(MANIFEST_NOTE);
    if (!entry) throw fault('manifest', 'the zip holds no manifest.note: nothing ties the manifest to the pinned key', at);
    if (entry.uncompressedSize > MAX_MANIFEST_BYTES) throw fault('manifest', `manifest.note is larger than ${MAX_MANIFEST_BYTES} bytes`, at);
    const chunks: Buffer[] = [];
    await streamEntry(this.zip.zip, entry, (chunk) => chunks.push(Buffer.from(chunk)));
    let note;
    try {
      note = parseNote(strictUtf8.decode(Buffer.concat(chunks)));
    } catch (err) {
      throw fault('manifest', `manifest.note is not a signed note: ${errorText(err)}`, at);
    }
    const signature = signatureBy(note, this.logKey);
    if (signature !== 'valid') throw fault('manifest', `manifest.note is not signed by the pinned log key ${this.logKey.text}`, at);
    const expected = `${MANIFEST_FORMAT}\n${this.manifest.county.code}\n${this.manifest.treeSize}\n${manifestSha256}\n`;
    if (note.body !== expected) throw fault('manifest', 'manifest.note signs another manifest than manifest.json', at);
  }

  /** Streams a listed file through `onChunk` and checks its size and SHA-256 against the manifest. */
  private async stream(path: string, onChunk?: (chunk: Buffer) => void): Promise<void> {
    const listed = this.listed.get(path)!;
    let got: { bytes: number; sha256: string };
    try {
      got = await streamEntry(this.zip.zip, this.zip.files.get(path)!, onChunk);
    } catch (err) {
      if (err instanceof FaultError) throw err;
      throw fault('manifest', `cannot be read from the zip: ${errorText(err)}`, { file: path });
    }
    if (got.bytes !== listed.bytes) throw fault('manifest', `${got.bytes} bytes; the manifest says ${listed.bytes}`, { file: path });
    if (got.sha256 !== listed.sha256) throw fault('manifest', `SHA-256 is ${got.sha256}; the manifest says ${listed.sha256}`, { file: path });
    this.filesChecked += 1;
  }

  /** The files the verifier does not read further (registers, notices, attachments, the other books): hash only. */
  private async checkPlainFiles(): Promise<void> {
    const plain = this.manifest.files.filter((f) => !PARSED_FILES.has(f.path) && !f.path.startsWith('checkpoints/'));
    this.progress('files', 0, plain.length);
    for (const file of plain) await this.stream(file.path);
    this.progress('files', plain.length, plain.length);
  }

  // 3 (read now, compared after the events). Every checkpoint: parsed, its origin, its signatures, its size.

  private async readCheckpoints(): Promise<void> {
    const files = this.manifest.files.filter((f) => f.path.startsWith('checkpoints/')).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    this.progress('checkpoints', 0, files.length);
    for (const { path } of files) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      await this.stream(path, (chunk) => {
        bytes += chunk.length;
        if (bytes <= MAX_NOTE_BYTES) chunks.push(Buffer.from(chunk));
      });
      const named = CHECKPOINT_FILE.exec(path);
      if (!named) this.checkpoints.push({ label: path, file: path, error: 'not named checkpoints/<tree size, 12 digits>.note' });
      else if (bytes > MAX_NOTE_BYTES) this.checkpoints.push({ label: path, file: path, error: `larger than ${MAX_NOTE_BYTES} bytes` });
      else this.checkpoints.push(this.checkSignatures(path, path, Buffer.concat(chunks), BigInt(named[1])));
    }
    this.progress('checkpoints', files.length, files.length);
    if (this.options.checkpoint !== undefined) {
      this.earlier = this.checkSignatures('the earlier checkpoint (--checkpoint)', undefined, Buffer.from(this.options.checkpoint, 'utf8'));
    }
    for (const c of [...this.checkpoints, ...(this.earlier ? [this.earlier] : [])]) {
      if ('checkpoint' in c) this.rootsWanted.add(Number(c.checkpoint.size));
    }
  }

  private checkSignatures(label: string, file: string | undefined, bytes: Buffer, namedSize?: bigint): CheckedCheckpoint {
    const origin = `${this.manifest.county.code}/fund-ledger`;
    try {
      let text: string;
      try {
        text = strictUtf8.decode(bytes);
      } catch {
        throw new NoteError('not UTF-8');
      }
      const note = parseNote(text);
      const checkpoint = parseCheckpointBody(note.body);
      const logSignature = signatureBy(note, this.logKey);
      if (logSignature === 'absent') throw new NoteError(`carries no signature by the pinned log key ${this.logKey.text}`);
      if (logSignature === 'invalid') throw new NoteError(`the signature by the pinned log key ${this.logKey.text} does not verify`);
      // A witness co-signs the checkpoints it saw, not every one: each must be on at least one (checked with the roots).
      for (const key of this.witnesses) {
        const signature = signatureBy(note, key);
        if (signature === 'invalid') throw new NoteError(`the signature by the pinned witness key ${key.text} does not verify`);
        if (signature === 'valid') this.witnessed.add(key.text);
      }
      if (checkpoint.origin !== origin) throw new NoteError(`its origin is ${checkpoint.origin}; the package's county makes it ${origin}`);
      if (namedSize !== undefined && checkpoint.size !== namedSize) throw new NoteError(`its tree size is ${checkpoint.size}; its file name says ${namedSize}`);
      if (checkpoint.size > this.manifest.treeSize) {
        throw new NoteError(
          `its tree size ${checkpoint.size} is beyond the package's ${this.manifest.treeSize}: the package does not hold the history it signs`,
        );
      }
      return { label, file, checkpoint };
    } catch (err) {
      if (err instanceof NoteError) return { label, file, error: err.message };
      throw err;
    }
  }

  // 2. The event chain, streamed line by line; the Merkle roots and the replay's expectations in the same pass.

  private async readEvents(): Promise<void> {
    const total = this.treeSize;
    this.progress('events', 0, total);
    const splitter = new LineSplitter((line) => this.onEventLine(line), MAX_EVENT_LINE_BYTES);
    await this.stream(EVENTS_FILE, (chunk) => this.guard('chain', () => splitter.write(chunk), EVENTS_FILE));
    this.guard(
      'chain',
      () => {
        splitter.end();
        if (this.walker.lastSeq < this.manifest.treeSize) {
          const seq = (this.walker.lastSeq + 1n).toString();
          throw fault('chain', `events.jsonl ends at seq ${this.walker.lastSeq}; the manifest's treeSize is ${this.manifest.treeSize}`, {
            file: EVENTS_FILE,
            seq,
          });
        }
      },
      EVENTS_FILE,
    );
    this.progress('events', this.eventLines, total);
  }

  private onEventLine(text: string): void {
    this.eventLines += 1;
    const line = this.eventLines;
    const at = { file: EVENTS_FILE, line };
    if (line > this.treeSize) throw fault('chain', `more events than the manifest's treeSize (${this.treeSize})`, at);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw fault('chain', 'not a JSON object', at);
    }
    const e = record(parsed);
    if (!e || typeof e.seq !== 'string' || !SEQ.test(e.seq)) throw fault('chain', 'has no seq as a decimal string', at);
    const seq = e.seq;
    for (const key of EVENT_STRINGS) {
      if (typeof e[key] !== 'string') throw fault('chain', `${key} is not a string`, { ...at, seq });
    }
    const link = { seq: BigInt(seq), prevHash: e.prevHash as string, hash: e.hash as string, body: e.body as string };
    const linkFault = this.walker.check(link);
    if (linkFault) throw this.linkFault(linkFault, seq, line);
    const body = record(JSON.parse(link.body));
    if (!body) throw fault('chain', 'body is not a JSON object', { ...at, seq });
    if (body.type !== e.type) throw fault('chain', `type ${String(e.type)} is not the hashed body's ${String(body.type)}`, { ...at, seq });
    if (body.at !== e.recordedAt) throw fault('chain', `recordedAt ${String(e.recordedAt)} is not the hashed body's ${String(body.at)}`, { ...at, seq });
    if (body.county !== this.manifest.county.code)
      throw fault('chain', `an event of county ${String(body.county)} in the package of ${this.manifest.county.code}`, { ...at, seq });

    // The walker checked the hash is the recomputed one: 64 lowercase hex digits.
    this.frontier.push(eventLeafHash(link.hash));
    if (this.rootsWanted.has(this.frontier.size)) this.rootsAt.set(this.frontier.size, this.frontier.root());

    if (!this.blocked('replay')) {
      try {
        this.replay.onEvent(seq, body.type as string, body.data);
      } catch (err) {
        this.note(this.asFault(err, 'replay', EVENTS_FILE));
      }
    }
    if (line % PROGRESS_EVERY === 0) this.progress('events', line, this.treeSize);
  }

  private linkFault(kind: LinkFault, seq: string, line: number): FaultError {
    const at = { file: EVENTS_FILE, line, seq };
    switch (kind) {
      case 'gap': {
        const expected = (this.walker.lastSeq + 1n).toString();
        return fault('chain', `seq ${seq} where ${expected} comes next: seq ${expected} is missing or out of place`, {
          file: EVENTS_FILE,
          line,
          seq: expected,
        });
      }
      case 'prev_hash':
        return fault('chain', seq === '1' ? 'prevHash of the first event is not 64 zeros' : `prevHash is not the hash of seq ${BigInt(seq) - 1n}`, at);
      case 'hash':
        return fault('chain', 'hash is not SHA-256 of its domain tag, seq, prevHash and body: the event was changed', at);
      case 'not_canonical':
        return fault('chain', 'body is not RFC 8785 canonical JSON', at);
    }
  }

  // 3. Every checkpoint's root against the root of its first `size` leaves.

  private checkRoots(): void {
    if (this.checkpoints.length === 0) throw fault('checkpoint', 'the package holds no signed checkpoint: nothing ties its events to the pinned key');
    for (const c of [...this.checkpoints, ...(this.earlier ? [this.earlier] : [])]) {
      const where = { file: c.file };
      if ('error' in c) throw fault('checkpoint', `${c.label}: ${c.error}`, where);
      const size = Number(c.checkpoint.size);
      const root = size === 0 ? EMPTY_ROOT : this.rootsAt.get(size);
      if (!root || !root.equals(c.checkpoint.root)) {
        throw fault(
          'checkpoint',
          `${c.label}: its root ${c.checkpoint.root.toString('base64')} is not the root of the package's first ${size} events (${root?.toString('base64')}): the history it signed was rewritten`,
          { ...where, seq: size > 0 ? String(size) : undefined },
        );
      }
    }
    const unwitnessed = this.witnesses.find((key) => !this.witnessed.has(key.text));
    if (unwitnessed) throw fault('checkpoint', `no checkpoint carries a signature by the pinned witness key ${unwitnessed.text}`);
    // The writer cuts a package at a signed checkpoint: events beyond the latest one would be tied to no key.
    const latest = Math.max(...this.checkpoints.map((c) => ('checkpoint' in c ? Number(c.checkpoint.size) : 0)));
    const events = Number(this.walker.lastSeq);
    if (latest < events) {
      throw fault('checkpoint', `events ${latest + 1} to ${events} are in no signed checkpoint: anyone could have appended them`, {
        file: EVENTS_FILE,
        seq: String(latest + 1),
      });
    }
  }

  // 4. The replay: ledger lines, accounts, trial balance, each CSV streamed.

  private async readCsv<C extends string>(
    path: string,
    required: readonly C[],
    stage: string,
    onRow: (columns: Columns<C>, fields: string[], line: number) => void,
    finish: () => void,
  ): Promise<void> {
    let columns: Columns<C> | undefined;
    let rows = 0;
    this.progress(stage, 0);
    const reader = new CsvReader((fields, line) => {
      if (!columns) columns = new Columns(path, fields, required);
      else {
        onRow(columns, fields, line);
        rows += 1;
        if (rows % PROGRESS_EVERY === 0) this.progress(stage, rows);
      }
    });
    await this.stream(path, (chunk) => this.guard('replay', () => reader.write(chunk), path));
    this.guard(
      'replay',
      () => {
        reader.end();
        if (!columns) throw fault('replay', 'the file is empty: no header row', { file: path });
        finish();
      },
      path,
    );
    this.progress(stage, rows);
  }

  private summary(): PackageSummary {
    const sizes = this.checkpoints.map((c) => ('checkpoint' in c ? Number(c.checkpoint.size) : 0));
    const latest = Math.max(...sizes);
    const events = Number(this.walker.lastSeq);
    const counts = this.replay.counts;
    return {
      county: this.manifest.county,
      period: this.manifest.period,
      createdAt: this.manifest.createdAt,
      files: this.filesChecked,
      events,
      headHash: this.walker.headHash,
      checkpoints: this.checkpoints.length,
      latestCheckpoint: latest,
      signer: this.logKey.name,
      witnesses: this.witnesses.map((k) => k.name),
      ...(this.earlier && 'checkpoint' in this.earlier ? { earlierCheckpoint: Number(this.earlier.checkpoint.size) } : {}),
      accounts: counts.accounts,
      lines: counts.lines,
      transactions: counts.transactions,
      trialBalanceRows: counts.trialBalanceRows,
    };
  }
}

function parseManifest(value: unknown): Manifest {
  const bad = (message: string) => fault('manifest', message, { file: MANIFEST_FILE });
  const m = record(value);
  if (!m) throw bad('not a JSON object');
  if (m.format !== MANIFEST_FORMAT) throw bad(`format is ${JSON.stringify(m.format)}, not ${MANIFEST_FORMAT}`);
  const county = record(m.county);
  if (!county || typeof county.code !== 'string' || county.code === '' || typeof county.name !== 'string')
    throw bad('county.code and county.name are not strings');
  const period = record(m.period);
  if (!period || typeof period.from !== 'string' || typeof period.to !== 'string' || !isDate(period.from) || !isDate(period.to) || period.from > period.to) {
    throw bad('period is not two dates, from on or before to');
  }
  if (typeof m.createdAt !== 'string') throw bad('createdAt is not a string');
  if (typeof m.treeSize !== 'string' || !/^(0|[1-9][0-9]*)$/.test(m.treeSize)) throw bad('treeSize is not a decimal string');
  const treeSize = BigInt(m.treeSize);
  if (treeSize > BigInt(Number.MAX_SAFE_INTEGER)) throw bad('treeSize is beyond what this verifier counts');
  if (!Array.isArray(m.files)) throw bad('files is not a list');
  const seen = new Set<string>();
  const files = m.files.map((item: unknown, i): ListedFile => {
    const f = record(item);
    if (
      !f ||
      typeof f.path !== 'string' ||
      f.path === '' ||
      !Number.isSafeInteger(f.bytes) ||
      (f.bytes as number) < 0 ||
      typeof f.sha256 !== 'string' ||
      !HEX64.test(f.sha256)
    ) {
      throw bad(`files[${i}] is not {path, bytes, sha256 (64 lowercase hex)}`);
    }
    if (f.path === MANIFEST_FILE) throw bad('files lists manifest.json itself');
    if (seen.has(f.path)) throw bad(`files lists ${f.path} twice`);
    seen.add(f.path);
    return { path: f.path, bytes: f.bytes as number, sha256: f.sha256 };
  });
  return {
    county: { code: county.code, name: county.name },
    period: { from: period.from, to: period.to },
    createdAt: m.createdAt,
    treeSize,
    files,
  };
}
