import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuditPackage,
  AuditPackageInput,
  buildAuditPackage,
  chainEvents,
  checkpointBody,
  checkpointPath,
  fixtureSigner,
  FixtureStep,
  referenceRoot,
  rehash,
  renderBooks,
  renderEvents,
  sampleSteps,
  signNote,
  writeAuditPackage,
} from '../../test/support/audit-package-fixture';
import { verifyPackageCommand } from './cli';
import { formatReport, PackageReport, VerifyOptions } from './report';
import { verifyPackage, VerifierUsageError } from './verify-package';

let dir: string;
let written = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-package-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sample(input: Partial<AuditPackageInput> = {}): AuditPackage {
  return buildAuditPackage({ steps: sampleSteps(), ...input });
}

async function zipOf(pkg: AuditPackage, extra: Record<string, Buffer> = {}): Promise<string> {
  const path = join(dir, `package-${++written}.zip`);
  await writeAuditPackage(pkg, path, extra);
  return path;
}

async function verify(pkg: AuditPackage, options: Partial<VerifyOptions> = {}, extra: Record<string, Buffer> = {}): Promise<PackageReport> {
  return verifyPackage(await zipOf(pkg, extra), { keys: [pkg.signer.vkey], ...options });
}

/** The n-th posting of the sample (1-based) and the CSV row of its line `lineNo`, with the file line it lands on. */
function postingLine(pkg: AuditPackage, n: number, lineNo: number) {
  const tx = pkg.steps.flatMap((s) => ('post' in s ? [s.post] : []))[n - 1];
  const index = pkg.books.ledgerLines.findIndex((r) => r.transaction_id === tx.id && r.line_no === String(lineNo));
  return { tx, row: pkg.books.ledgerLines[index], line: index + 2 };
}

function faultOf(report: PackageReport) {
  if (report.ok) throw new Error(`the package verified: ${formatReport(report)}`);
  return report.fault;
}

describe('verifyPackage: a clean package', () => {
  it('verifies, and sums up what it checked', async () => {
    const pkg = sample({ checkpointSizes: [8, 16] });
    const stages = new Set<string>();
    const report = await verify(pkg, { onProgress: (p) => stages.add(p.stage) });
    expect(report).toEqual({
      ok: true,
      summary: {
        county: { code: '421124', name: '英山縣' },
        period: { from: '2026-01-01', to: '2026-12-31' },
        createdAt: '2027-01-10T01:00:00.000Z',
        files: 11,
        events: 16,
        headHash: pkg.events[15].hash,
        checkpoints: 2,
        latestCheckpoint: 16,
        signer: '421124/fund-ledger',
        witnesses: [],
        accounts: 8,
        lines: 17,
        transactions: 5,
        trialBalanceRows: 10,
      },
    });
    expect([...stages]).toEqual(['files', 'checkpoints', 'events', 'ledger-lines', 'accounts', 'trial-balance']);
    expect(formatReport(report)).toMatch(/the package verifies$/);
  });

  it('refuses events that no checkpoint signs, naming the first of them', async () => {
    const report = await verify(sample({ checkpointSizes: [0, 10] }));
    expect(report).toMatchObject({ ok: false, fault: { check: 'checkpoint', file: 'events.jsonl', seq: '11' } });
  });

  it('requires each witness’s co-signature on at least one checkpoint, and verifies it', async () => {
    const witness = fixtureSigner('auditor.example');
    const cosigned = sample({ witnesses: [witness] });
    const ok = await verify(cosigned, { keys: [cosigned.signer.vkey, witness.vkey] });
    expect(ok.ok && ok.summary.witnesses).toEqual(['auditor.example']);

    const alone = sample({ signer: cosigned.signer });
    expect(faultOf(await verify(alone, { keys: [alone.signer.vkey, witness.vkey] }))).toMatchObject({
      check: 'checkpoint',
      message: `no checkpoint carries a signature by the pinned witness key ${witness.vkey}`,
    });
  });
});

describe('verifyPackage: faults, each named', () => {
  it('an edited ledger line amount: the transaction, its line and the file line', async () => {
    const pkg = sample();
    const { tx, row, line } = postingLine(pkg, 2, 2);
    row.credit = '285000.01';
    renderBooks(pkg);
    rehash(pkg);
    expect(faultOf(await verify(pkg))).toEqual({
      check: 'replay',
      file: 'books/ledger-lines.csv',
      line,
      transactionId: tx.id,
      lineNo: 2,
      account: row.account_code,
      message: 'credit is 285000.01; the event (seq 11) says 285000.00',
    });
  });

  it('a deleted event: the chain’s gap at its seq', async () => {
    const pkg = sample();
    pkg.events.splice(5, 1);
    renderEvents(pkg);
    rehash(pkg);
    expect(faultOf(await verify(pkg))).toEqual({
      check: 'chain',
      file: 'events.jsonl',
      line: 6,
      seq: '6',
      message: 'seq 7 where 6 comes next: seq 6 is missing or out of place',
    });
  });

  it('two swapped events: the first out of place', async () => {
    const pkg = sample();
    [pkg.events[6], pkg.events[7]] = [pkg.events[7], pkg.events[6]];
    renderEvents(pkg);
    rehash(pkg);
    expect(faultOf(await verify(pkg))).toMatchObject({ check: 'chain', line: 7, seq: '7' });
  });

  it('an event’s body edited and the manifest rehashed: its seq', async () => {
    const pkg = sample();
    pkg.events[10] = { ...pkg.events[10], body: pkg.events[10].body.replace('300000.00', '300001.00') };
    renderEvents(pkg);
    rehash(pkg);
    expect(faultOf(await verify(pkg))).toMatchObject({ check: 'chain', seq: '11', line: 11, message: expect.stringContaining('the event was changed') });
  });

  it('an edited CSV cell without the manifest: the file', async () => {
    const pkg = sample();
    pkg.books.accounts[0].name = '另一個名字';
    renderBooks(pkg);
    expect(faultOf(await verify(pkg))).toMatchObject({ check: 'manifest', file: 'books/accounts.csv' });
  });

  it('files swapped in the zip: the first of them, by size or by hash', async () => {
    const bySize = sample();
    const [contracts, payments] = [bySize.files.get('registers/contracts.csv')!, bySize.files.get('registers/payments.csv')!];
    bySize.files.set('registers/contracts.csv', payments);
    bySize.files.set('registers/payments.csv', contracts);
    expect(faultOf(await verify(bySize))).toMatchObject({
      check: 'manifest',
      file: 'registers/contracts.csv',
      message: expect.stringMatching(/bytes; the manifest says/),
    });

    const sameSize = sample();
    const pdf = sameSize.files.get('files/notices/1.pdf')!;
    sameSize.files.set('files/notices/1.pdf', Buffer.from(pdf.toString('latin1').replace('1.4', '1.7'), 'latin1'));
    expect(faultOf(await verify(sameSize))).toMatchObject({ check: 'manifest', file: 'files/notices/1.pdf', message: expect.stringMatching(/^SHA-256 is/) });
  });

  it('a file listed but missing, and one in the zip the manifest does not list', async () => {
    const missing = sample();
    missing.files.delete('registers/payments.csv');
    expect(faultOf(await verify(missing))).toEqual({ check: 'manifest', file: 'registers/payments.csv', message: 'listed in the manifest but not in the zip' });

    expect(faultOf(await verify(sample(), {}, { 'registers/extra.csv': Buffer.from('a\r\n') }))).toEqual({
      check: 'manifest',
      file: 'registers/extra.csv',
      message: 'in the zip but not in the manifest',
    });
  });

  it('a checkpoint signed by another key of the same name', async () => {
    const pkg = sample();
    const other = fixtureSigner(pkg.signer.name);
    const body = checkpointBody(pkg.county.code, 16, referenceRoot(pkg.events.map((e) => e.hash)));
    pkg.files.set(checkpointPath(16), Buffer.from(signNote(body, [other])));
    rehash(pkg);
    expect(faultOf(await verify(pkg))).toEqual({
      check: 'checkpoint',
      file: checkpointPath(16),
      message: `${checkpointPath(16)}: carries no signature by the pinned log key ${pkg.signer.vkey}`,
    });
  });

  it('a checkpoint whose root rewrites history, though signed by the log’s key', async () => {
    const pkg = sample();
    const forked = chainEvents(pkg.county.code, forkedSteps());
    const body = checkpointBody(pkg.county.code, 8, referenceRoot(forked.slice(0, 8).map((e) => e.hash)));
    pkg.files.set(checkpointPath(8), Buffer.from(signNote(body, [pkg.signer])));
    rehash(pkg);
    expect(faultOf(await verify(pkg))).toMatchObject({
      check: 'checkpoint',
      file: checkpointPath(8),
      seq: '8',
      message: expect.stringContaining("is not the root of the package's first 8 events"),
    });
  });

  it('a trial-balance row changed consistently (book total too, manifest rehashed): the account', async () => {
    const pkg = sample();
    const index = pkg.books.trialBalance.findIndex((r) => r.row_type === 'account' && r.period_debit !== '0.00' && r.book === 'financial');
    const row = pkg.books.trialBalance[index];
    const total = pkg.books.trialBalance.find((r) => r.row_type === 'book_total' && r.book === 'financial')!;
    const bump = (cell: string) => (Number(cell) + 1000).toFixed(2);
    [row.period_debit, row.closing_debit, total.period_debit, total.closing_debit, total.period_credit, total.closing_credit] = [
      bump(row.period_debit),
      bump(row.closing_debit),
      bump(total.period_debit),
      bump(total.closing_debit),
      bump(total.period_credit),
      bump(total.closing_credit),
    ];
    renderBooks(pkg);
    rehash(pkg);
    expect(faultOf(await verify(pkg))).toMatchObject({
      check: 'replay',
      file: 'books/trial-balance.csv',
      line: index + 2,
      account: row.code,
      message: expect.stringMatching(/^period_debit is /),
    });
  });

  it('a kept balance in accounts.csv that its lines do not end at', async () => {
    const pkg = sample();
    const row = pkg.books.accounts.find((r) => r.balance_debit !== '0.00')!;
    row.balance_debit = '1.00';
    renderBooks(pkg);
    rehash(pkg);
    expect(faultOf(await verify(pkg))).toMatchObject({
      check: 'replay',
      file: 'books/accounts.csv',
      account: row.code,
      message: expect.stringMatching(/^kept balance/),
    });
  });

  it('an event’s line with no row in ledger-lines.csv, and an account’s lines out of account_seq order', async () => {
    const missing = sample();
    const { tx, row } = postingLine(missing, 5, 2);
    missing.books.ledgerLines.splice(missing.books.ledgerLines.indexOf(row), 1);
    renderBooks(missing);
    rehash(missing);
    expect(faultOf(await verify(missing))).toMatchObject({ check: 'replay', transactionId: tx.id, lineNo: 2, seq: '16', account: row.account_code });

    const unsorted = sample();
    const first = postingLine(unsorted, 1, 1);
    const second = postingLine(unsorted, 2, 2);
    const rows = unsorted.books.ledgerLines;
    [rows[first.line - 2], rows[second.line - 2]] = [rows[second.line - 2], rows[first.line - 2]];
    renderBooks(unsorted);
    rehash(unsorted);
    expect(faultOf(await verify(unsorted))).toMatchObject({
      check: 'replay',
      line: first.line,
      transactionId: second.tx.id,
      message: expect.stringContaining('account_seq is 2 where 1 comes next'),
    });
  });

  it('reports the earliest check’s fault though a later one comes first in the files', async () => {
    const pkg = sample();
    postingLine(pkg, 1, 1).row.debit = '1.00';
    renderBooks(pkg);
    pkg.events.splice(14, 1);
    renderEvents(pkg);
    rehash(pkg);
    expect(faultOf(await verify(pkg))).toMatchObject({ check: 'chain', seq: '15' });
  });
});

describe('verifyPackage: a checkpoint kept from an earlier package', () => {
  function earlierCheckpoint(steps: FixtureStep[], signer: AuditPackage['signer']): string {
    const earlier = buildAuditPackage({ steps, signer, checkpointSizes: [steps.length] });
    return earlier.files.get(checkpointPath(steps.length))!.toString('utf8');
  }

  it('holds when this package’s history extends it', async () => {
    const pkg = sample();
    const checkpoint = earlierCheckpoint(sampleSteps().slice(0, 10), pkg.signer);
    const report = await verify(pkg, { checkpoint });
    expect(report.ok && report.summary.earlierCheckpoint).toBe(10);
    expect(formatReport(report)).toContain('the kept checkpoint at tree size 10 is a prefix');
  });

  it('is a fault when history was rewritten since', async () => {
    const pkg = sample();
    const checkpoint = earlierCheckpoint(forkedSteps().slice(0, 10), pkg.signer);
    expect(faultOf(await verify(pkg, { checkpoint }))).toMatchObject({
      check: 'checkpoint',
      seq: '10',
      message: expect.stringMatching(/^the earlier checkpoint \(--checkpoint\): its root .* the history it signed was rewritten$/),
    });
  });

  it('is a fault when it is beyond this package', async () => {
    const pkg = sample();
    const checkpoint = earlierCheckpoint([...sampleSteps(), { event: { type: 'claim.withdrawn', data: { claimId: 1 } } }], pkg.signer);
    expect(faultOf(await verify(pkg, { checkpoint }))).toMatchObject({
      check: 'checkpoint',
      message: expect.stringContaining("tree size 17 is beyond the package's 16"),
    });
  });
});

describe('verifyPackage: what is not a package or a key', () => {
  it('refuses a key that does not parse as a usage error', async () => {
    const path = await zipOf(sample());
    await expect(verifyPackage(path, { keys: ['not-a-key'] })).rejects.toBeInstanceOf(VerifierUsageError);
    await expect(verifyPackage(path, { keys: [] })).rejects.toBeInstanceOf(VerifierUsageError);
  });

  it('names a file that is not a zip', async () => {
    const path = join(dir, 'not-a.zip');
    await writeFile(path, 'PK but not really');
    expect(faultOf(await verifyPackage(path, { keys: [sample().signer.vkey] }))).toMatchObject({ check: 'manifest', file: 'not-a.zip' });
  });
});

describe('verifyPackageCommand', () => {
  let out: string[];
  let err: string[];

  beforeEach(() => {
    out = [];
    err = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    jest.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => err.push(String(chunk)) > 0);
  });

  afterEach(() => jest.restoreAllMocks());

  it('exits 0 on a clean package, 1 on a fault, 2 when used wrongly', async () => {
    const pkg = sample();
    const path = await zipOf(pkg);
    const keyFile = join(dir, 'checkpoint.vkey');
    await writeFile(keyFile, pkg.files.get('checkpoint.vkey')!);
    expect(await verifyPackageCommand([path, '--key', keyFile])).toBe(0);
    expect(out.join('\n')).toMatch(/the package verifies$/);
    expect(err.join('')).toContain('events: 16 of 16');

    const other = fixtureSigner(pkg.signer.name);
    expect(await verifyPackageCommand([path, `--key=${other.vkey}`])).toBe(1);
    expect(out.join('\n')).toContain('FAULT (manifest) at manifest.note');

    expect(await verifyPackageCommand([path])).toBe(2);
    expect(await verifyPackageCommand(['--key', pkg.signer.vkey])).toBe(2);
    expect(await verifyPackageCommand([join(dir, 'absent.zip'), '--key', pkg.signer.vkey])).toBe(2);
    expect(await verifyPackageCommand([path, '--key', 'not-a-key'])).toBe(2);
    expect(await verifyPackageCommand([path, '--key', pkg.signer.vkey, '--checkpoint', join(dir, 'absent.note')])).toBe(2);
  });
});

/** The sample's history with one event's data changed at seq 5: the same length, another tree. */
function forkedSteps(): FixtureStep[] {
  const steps = sampleSteps();
  const changed = steps[4];
  if (!('post' in changed)) throw new Error('seq 5 of the sample is a posting');
  steps[4] = { post: { ...changed.post, memo: '另一段歷史' } };
  return steps;
}
