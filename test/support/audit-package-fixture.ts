import { stringify } from 'csv-stringify/sync';
import Decimal from 'decimal.js';
import { createHash, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import * as yazl from 'yazl';
import { canonicalJson, eventHash, GENESIS_HASH } from '../../src/audit/domain/chain';

/**
 * Writes small but real audit packages (docs/audit-package.md) for the offline verifier's tests: the events chained
 * with chain.ts, the books computed here from the same history, checkpoints signed with a generated Ed25519 key,
 * zipped with yazl. Everything a test may tamper with stays editable (`events`, `books`, `files`, `manifest`) and is
 * rendered again by `renderEvents`, `renderBooks`, `signCheckpoints` and `rehash`, so a test chooses whether its edit
 * is made consistently (manifest rehashed) or not.
 *
 * Written apart from src/verifier on purpose (its own Merkle root, note signing and books), so the two check each
 * other.
 */

const Money = Decimal.clone({ precision: 60 });
type Money = Decimal;
const ZERO = new Money(0);

export interface FixtureAccount {
  code: string;
  name: string;
  book: 'financial' | 'budget';
  type: string;
  normalSide: 'debit' | 'credit';
  kind: string;
}

export interface FixtureLine {
  account: string;
  debit?: string;
  credit?: string;
}

export interface FixtureTransaction {
  id: string;
  effectiveDate: string;
  memo: string;
  purpose: string;
  reversesId?: string;
  lines: FixtureLine[];
}

/** One step of a county's history, in seq order: an account opened, a transaction posted, or any other event. */
export type FixtureStep = { open: FixtureAccount } | { post: FixtureTransaction } | { event: { type: string; data: Record<string, unknown> } };

/** A line of events.jsonl. */
export interface FixtureEvent {
  seq: string;
  prevHash: string;
  hash: string;
  type: string;
  recordedAt: string;
  body: string;
}

export interface FixtureSigner {
  name: string;
  /** `<name>+<key id hex>+<base64(0x01 ‖ public key)>`. */
  vkey: string;
  keyId: Buffer;
  privateKey: KeyObject;
}

export type Row = Record<string, string>;

export interface ListedFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface FixtureManifest {
  format: string;
  county: { code: string; name: string };
  period: { from: string; to: string };
  createdAt: string;
  treeSize: string;
  files: ListedFile[];
}

export interface AuditPackageInput {
  county?: { code: string; name: string };
  period?: { from: string; to: string };
  steps: FixtureStep[];
  /** Tree sizes to sign a checkpoint at; by default half the events and all of them. */
  checkpointSizes?: number[];
  signer?: FixtureSigner;
  /** Witnesses who co-sign every checkpoint. */
  witnesses?: FixtureSigner[];
  /** When the first event was recorded; each next one a second later. */
  start?: Date;
}

export interface AuditPackage {
  county: { code: string; name: string };
  period: { from: string; to: string };
  steps: FixtureStep[];
  events: FixtureEvent[];
  signer: FixtureSigner;
  witnesses: FixtureSigner[];
  checkpointSizes: number[];
  books: { accounts: Row[]; ledgerLines: Row[]; trialBalance: Row[] };
  /** Every file of the zip but manifest.json. */
  files: Map<string, Buffer>;
  manifest: FixtureManifest;
}

export const ORIGIN_SUFFIX = '/fund-ledger';

// Signed notes.

export function fixtureSigner(name: string): FixtureSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const algAndKey = Buffer.concat([Buffer.from([0x01]), raw]);
  const keyId = createHash('sha256').update(`${name}\n`).update(algAndKey).digest().subarray(0, 4);
  return { name, vkey: `${name}+${keyId.toString('hex')}+${algAndKey.toString('base64')}`, keyId, privateKey };
}

/** The body, a blank line, and one `— <name> <base64(key id ‖ signature)>` line per signer. */
export function signNote(body: string, signers: FixtureSigner[]): string {
  const signatures = signers.map((s) => `— ${s.name} ${Buffer.concat([s.keyId, sign(null, Buffer.from(body, 'utf8'), s.privateKey)]).toString('base64')}\n`);
  return `${body}\n${signatures.join('')}`;
}

/** RFC 6962 §2.1 as written: the tree hash of a list, split at the largest power of two below its length. */
export function referenceRoot(eventHashes: string[]): Buffer {
  const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
  const mth = (hashes: string[]): Buffer => {
    if (hashes.length === 0) return sha();
    if (hashes.length === 1) return sha(Buffer.from([0x00]), Buffer.from(hashes[0], 'hex'));
    let k = 1;
    while (k * 2 < hashes.length) k *= 2;
    return sha(Buffer.from([0x01]), mth(hashes.slice(0, k)), mth(hashes.slice(k)));
  };
  return mth(eventHashes);
}

export function checkpointBody(countyCode: string, size: number, root: Buffer): string {
  return `${countyCode}${ORIGIN_SUFFIX}\n${size}\n${root.toString('base64')}\n`;
}

export function checkpointPath(size: number): string {
  return `checkpoints/${String(size).padStart(12, '0')}.note`;
}

// Events.

export function chainEvents(county: string, steps: FixtureStep[], start = new Date('2025-12-01T00:00:00.000Z')): FixtureEvent[] {
  let prevHash = GENESIS_HASH;
  const books = new Map<string, string>();
  return steps.map((step, i) => {
    if ('open' in step) books.set(step.open.code, step.open.book);
    const { type, data } = eventOf(step, books);
    const at = new Date(start.getTime() + i * 1000).toISOString();
    const seq = BigInt(i + 1);
    const body = canonicalJson({ type, county, actor: 'user:7', at, data });
    const hash = eventHash(seq, prevHash, body);
    const event = { seq: seq.toString(), prevHash, hash, type, recordedAt: at, body };
    prevHash = hash;
    return event;
  });
}

function eventOf(step: FixtureStep, books: Map<string, string>): { type: string; data: Record<string, unknown> } {
  if ('event' in step) return step.event;
  if ('open' in step) {
    const { code, name, book, type, normalSide, kind } = step.open;
    return { type: 'ledger.account.opened', data: { code, name, book, type, normalSide, allowNegative: false, restrictedOutflow: false, kind } };
  }
  const tx = step.post;
  return {
    type: tx.reversesId ? 'ledger.transaction.reversed' : 'ledger.transaction.posted',
    data: {
      id: tx.id,
      effectiveDate: tx.effectiveDate,
      memo: tx.memo,
      ...(tx.reversesId ? { reversesId: tx.reversesId, reason: '金額錄入錯誤' } : {}),
      lines: tx.lines.map((l) => ({ ...l, book: books.get(l.account) })),
    },
  };
}

/** events.jsonl, in pieces so a million events never make one string. */
export function eventsJsonl(events: FixtureEvent[]): Buffer {
  const pieces: Buffer[] = [];
  for (let i = 0; i < events.length; i += 10_000) {
    pieces.push(
      Buffer.from(
        events
          .slice(i, i + 10_000)
          .map((e) => `${JSON.stringify(e)}\n`)
          .join(''),
        'utf8',
      ),
    );
  }
  return Buffer.concat(pieces);
}

// Books (docs/exports.md).

const ACCOUNT_HEADER = [
  'code',
  'name',
  'book',
  'type',
  'normal_side',
  'kind',
  'gov_code',
  'gov_name',
  'functional_class',
  'project_id',
  'allocation_id',
  'contract_id',
  'claim_id',
  'dedicated_account_id',
  'category',
  'balance_debit',
  'balance_credit',
  'line_count',
];
const LINE_HEADER = [
  'transaction_id',
  'line_no',
  'account_code',
  'book',
  'effective_date',
  'recorded_at',
  'purpose',
  'debit',
  'credit',
  'account_seq',
  'balance_after_debit',
  'balance_after_credit',
];
const TRIAL_BALANCE_HEADER = [
  'row_type',
  'book',
  'code',
  'name',
  'gov_code',
  'gov_name',
  'opening_debit',
  'opening_credit',
  'period_debit',
  'period_credit',
  'closing_debit',
  'closing_credit',
];

function twoColumns(net: Money): [string, string] {
  return net.gt(0) ? [net.toFixed(2), '0.00'] : ['0.00', net.neg().toFixed(2)];
}

function money(amount: string | undefined): Money {
  return amount === undefined ? ZERO : new Money(amount);
}

/** The books as the writer should write them: ledger lines ordered by account code, then account_seq. */
export function computeBooks(steps: FixtureStep[], events: FixtureEvent[], period: { from: string; to: string }): AuditPackage['books'] {
  const accounts = new Map<string, { account: FixtureAccount; net: Money; lines: number; opening: Money; debit: Money; credit: Money }>();
  const ledgerLines: (Row & { account_code: string })[] = [];
  steps.forEach((step, i) => {
    if ('open' in step) accounts.set(step.open.code, { account: step.open, net: ZERO, lines: 0, opening: ZERO, debit: ZERO, credit: ZERO });
    if (!('post' in step)) return;
    const tx = step.post;
    tx.lines.forEach((line, j) => {
      const state = accounts.get(line.account)!;
      const [debit, credit] = [money(line.debit), money(line.credit)];
      state.net = state.net.plus(debit).minus(credit);
      state.lines += 1;
      if (tx.effectiveDate < period.from) state.opening = state.opening.plus(debit).minus(credit);
      else if (tx.effectiveDate <= period.to) {
        state.debit = state.debit.plus(debit);
        state.credit = state.credit.plus(credit);
      }
      const [afterDebit, afterCredit] = twoColumns(state.net);
      ledgerLines.push({
        transaction_id: tx.id,
        line_no: String(j + 1),
        account_code: line.account,
        book: state.account.book,
        effective_date: tx.effectiveDate,
        recorded_at: events[i].recordedAt,
        purpose: tx.purpose,
        debit: debit.toFixed(2),
        credit: credit.toFixed(2),
        account_seq: String(state.lines),
        balance_after_debit: afterDebit,
        balance_after_credit: afterCredit,
      });
    });
  });
  ledgerLines.sort((a, b) => (a.account_code < b.account_code ? -1 : a.account_code > b.account_code ? 1 : Number(a.account_seq) - Number(b.account_seq)));

  const byCode = [...accounts.values()].sort((a, b) => (a.account.code < b.account.code ? -1 : 1));
  const accountRows = byCode.map(({ account, net, lines }): Row => {
    const [debit, credit] = twoColumns(net);
    return {
      code: account.code,
      name: account.name,
      book: account.book,
      type: account.type,
      normal_side: account.normalSide,
      kind: account.kind,
      gov_code: account.book === 'financial' ? '1002' : '6001',
      gov_name: account.book === 'financial' ? '銀行存款' : '資金結存',
      functional_class: '',
      project_id: '',
      allocation_id: '',
      contract_id: '',
      claim_id: '',
      dedicated_account_id: '',
      category: '',
      balance_debit: debit,
      balance_credit: credit,
      line_count: String(lines),
    };
  });

  const trialBalance: Row[] = [];
  for (const book of ['financial', 'budget']) {
    const rows = byCode
      .filter((a) => a.account.book === book)
      .map(({ account, opening, debit, credit }): Row => {
        const [openingDebit, openingCredit] = twoColumns(opening);
        const [closingDebit, closingCredit] = twoColumns(opening.plus(debit).minus(credit));
        return {
          row_type: 'account',
          book,
          code: account.code,
          name: account.name,
          gov_code: '1002',
          gov_name: '銀行存款',
          opening_debit: openingDebit,
          opening_credit: openingCredit,
          period_debit: debit.toFixed(2),
          period_credit: credit.toFixed(2),
          closing_debit: closingDebit,
          closing_credit: closingCredit,
        };
      });
    if (rows.length === 0) continue;
    const total = (column: string) => rows.reduce((sum, r) => sum.plus(r[column]), ZERO).toFixed(2);
    trialBalance.push(...rows, {
      row_type: 'book_total',
      book,
      code: '',
      name: '合計',
      gov_code: '',
      gov_name: '',
      ...Object.fromEntries(TRIAL_BALANCE_HEADER.slice(6).map((c) => [c, total(c)])),
    });
  }
  return { accounts: accountRows, ledgerLines, trialBalance };
}

/** A cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` (docs/audit-package.md). */
export function neutralise(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** UTF-8 with a BOM, RFC 4180 (CRLF, quotes doubled, a field with CR or LF quoted), header of machine names. */
export function csvFile(header: string[], rows: Row[]): Buffer {
  const pieces: Buffer[] = [];
  const options = { record_delimiter: 'windows' as const, quoted_match: /[\r\n]/ };
  pieces.push(Buffer.from(stringify([header], { ...options, bom: true }), 'utf8'));
  for (let i = 0; i < rows.length; i += 50_000) {
    const records = rows.slice(i, i + 50_000).map((row) => header.map((column) => neutralise(row[column] ?? '')));
    pieces.push(Buffer.from(stringify(records, options), 'utf8'));
  }
  return Buffer.concat(pieces);
}

// The package.

export function buildAuditPackage(input: AuditPackageInput): AuditPackage {
  const county = input.county ?? { code: '421124', name: '英山縣' };
  const period = input.period ?? { from: '2026-01-01', to: '2026-12-31' };
  const events = chainEvents(county.code, input.steps, input.start);
  const n = events.length;
  const pkg: AuditPackage = {
    county,
    period,
    steps: input.steps,
    events,
    signer: input.signer ?? fixtureSigner(`${county.code}${ORIGIN_SUFFIX}`),
    witnesses: input.witnesses ?? [],
    checkpointSizes: input.checkpointSizes ?? [...new Set([Math.ceil(n / 2), n])],
    books: computeBooks(input.steps, events, period),
    files: new Map(),
    manifest: { format: 'fund-ledger-audit-package/1', county, period, createdAt: '2027-01-10T01:00:00.000Z', treeSize: String(n), files: [] },
  };
  pkg.files.set(
    'datapackage.json',
    Buffer.from(
      JSON.stringify({
        profile: 'tabular-data-package',
        name: 'fund-ledger-audit-package',
        resources: ['accounts', 'ledger-lines', 'trial-balance'].map((name) => ({ name, path: `books/${name}.csv`, profile: 'tabular-data-resource' })),
      }),
    ),
  );
  renderEvents(pkg);
  signCheckpoints(pkg);
  pkg.files.set('checkpoint.vkey', Buffer.from(`${pkg.signer.vkey}\n`));
  renderBooks(pkg);
  pkg.files.set(
    'registers/contracts.csv',
    csvFile(['contract_id', 'title', 'amount'], [{ contract_id: '1', title: '=HYPERLINK("http://example.invalid")', amount: '300000.00' }]),
  );
  pkg.files.set('registers/payments.csv', csvFile(['payment_id', 'contract_id', 'amount'], [{ payment_id: '1', contract_id: '1', amount: '285000.00' }]));
  pkg.files.set('files/notices/1.pdf', Buffer.from('%PDF-1.4\n% 公示\n%%EOF\n'));
  rehash(pkg);
  return pkg;
}

export function renderEvents(pkg: AuditPackage): void {
  pkg.files.set('events.jsonl', eventsJsonl(pkg.events));
  pkg.manifest.treeSize = String(pkg.events.length);
}

/** Signs a checkpoint at each of `pkg.checkpointSizes` over `pkg.events` (replacing the ones there were). */
export function signCheckpoints(pkg: AuditPackage): void {
  for (const path of [...pkg.files.keys()]) if (path.startsWith('checkpoints/')) pkg.files.delete(path);
  const hashes = pkg.events.map((e) => e.hash);
  for (const size of pkg.checkpointSizes) {
    const body = checkpointBody(pkg.county.code, size, referenceRoot(hashes.slice(0, size)));
    pkg.files.set(checkpointPath(size), Buffer.from(signNote(body, [pkg.signer, ...pkg.witnesses])));
  }
}

export function renderBooks(pkg: AuditPackage): void {
  pkg.files.set('books/accounts.csv', csvFile(ACCOUNT_HEADER, pkg.books.accounts));
  pkg.files.set('books/ledger-lines.csv', csvFile(LINE_HEADER, pkg.books.ledgerLines));
  pkg.files.set('books/trial-balance.csv', csvFile(TRIAL_BALANCE_HEADER, pkg.books.trialBalance));
}

/** Lists every file with its size and SHA-256, in path order. */
export function rehash(pkg: AuditPackage): void {
  pkg.manifest.files = [...pkg.files.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, bytes]) => ({ path, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }));
}

/** The body of manifest.note: the format, the county, the tree size and the manifest's SHA-256. */
export function manifestNoteBody(manifest: FixtureManifest, manifestBytes: Buffer): string {
  return `${manifest.format}\n${manifest.county.code}\n${manifest.treeSize}\n${createHash('sha256').update(manifestBytes).digest('hex')}\n`;
}

/**
 * Writes the zip: manifest.json first and manifest.note (signed by the package's signer), then the files; `extra`
 * adds entries the manifest does not list.
 */
export async function writeAuditPackage(pkg: AuditPackage, path: string, extra: Record<string, Buffer> = {}): Promise<void> {
  const zip = new yazl.ZipFile();
  const mtime = new Date('2027-01-10T01:00:00.000Z');
  const manifestBytes = Buffer.from(`${JSON.stringify(pkg.manifest, null, 2)}\n`);
  zip.addBuffer(manifestBytes, 'manifest.json', { mtime });
  zip.addBuffer(Buffer.from(signNote(manifestNoteBody(pkg.manifest, manifestBytes), [pkg.signer])), 'manifest.note', { mtime });
  for (const [name, bytes] of [...pkg.files.entries(), ...Object.entries(extra)]) zip.addBuffer(bytes, name, { mtime });
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(path);
    out.on('close', resolve);
    out.on('error', reject);
    zip.outputStream.on('error', reject).pipe(out);
  });
}

// A sample county history.

/** Accounts of both books, postings before, in and after the period, a reversal, other events between them. */
export function sampleSteps(): FixtureStep[] {
  const open = (
    code: string,
    name: string,
    book: FixtureAccount['book'],
    type: string,
    normalSide: FixtureAccount['normalSide'],
    kind: string,
  ): FixtureStep => ({
    open: { code, name, book, type, normalSide, kind },
  });
  const tx = (n: number, effectiveDate: string, purpose: string, lines: FixtureLine[], reversesId?: string): FixtureStep => ({
    post: {
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      effectiveDate,
      memo: `憑證 ${n}`,
      purpose,
      lines,
      ...(reversesId ? { reversesId } : {}),
    },
  });
  return [
    open('bank:D1', '英山縣銜接資金專戶', 'financial', 'asset', 'debit', 'bank'),
    open('fund:A1', '中央銜接資金（鄂財農發〔2025〕86號）', 'financial', 'net_assets', 'credit', 'fund'),
    open('quota:unallocated:A1', '待分配指標', 'budget', 'quota', 'debit', 'quota_unallocated'),
    open('appropriation:A1', '資金指標', 'budget', 'appropriation', 'credit', 'appropriation'),
    tx(1, '2025-12-20', 'receipt', [
      { account: 'bank:D1', debit: '1000000.00' },
      { account: 'fund:A1', credit: '1000000.00' },
      { account: 'quota:unallocated:A1', debit: '1000000.00' },
      { account: 'appropriation:A1', credit: '1000000.00' },
    ]),
    { event: { type: 'project.created', data: { projectId: 1, name: '百丈河村產業路硬化工程' } } },
    open('expense:P1:A1:infrastructure', '產業路硬化工程支出', 'financial', 'expense', 'debit', 'expense'),
    open('retention:C1:A1', '質量保證金', 'financial', 'liability', 'credit', 'retention'),
    open('quota:spent:P1:A1', '已支付指標', 'budget', 'quota', 'debit', 'quota_spent'),
    open('-9901', '@臨時調整', 'financial', 'asset', 'debit', 'manual'),
    tx(2, '2026-03-15', 'payment', [
      { account: 'expense:P1:A1:infrastructure', debit: '300000.00' },
      { account: 'bank:D1', credit: '285000.00' },
      { account: 'retention:C1:A1', credit: '15000.00' },
      { account: 'quota:spent:P1:A1', debit: '300000.00' },
      { account: 'quota:unallocated:A1', credit: '300000.00' },
    ]),
    { event: { type: 'claim.submitted', data: { claimId: 1, amount: '300000.00', note: 'line one\r\nline "two"' } } },
    tx(3, '2026-05-01', 'manual', [
      { account: '-9901', debit: '100.50' },
      { account: 'bank:D1', credit: '100.50' },
    ]),
    tx(
      4,
      '2026-06-01',
      'reversal',
      [
        { account: '-9901', credit: '100.50' },
        { account: 'bank:D1', debit: '100.50' },
      ],
      '00000000-0000-4000-8000-000000000003',
    ),
    { event: { type: 'notice.published', data: { noticeId: 1, pdfSha256: '0'.repeat(64) } } },
    tx(5, '2027-01-05', 'payment', [
      { account: 'expense:P1:A1:infrastructure', debit: '5000.00' },
      { account: 'bank:D1', credit: '5000.00' },
      { account: 'quota:spent:P1:A1', debit: '5000.00' },
      { account: 'quota:unallocated:A1', credit: '5000.00' },
    ]),
  ];
}
