import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { CheckpointsService } from '../../src/audit/checkpoints/checkpoints.service';
import { checkpointBody, checkpointOrigin, ed25519FromSeed, generateEd25519, signNote } from '../../src/audit/checkpoints/signed-note';
import { DataSource } from 'typeorm';
import { writeAuditPackage } from '../../src/exports/audit-package';
import { packageCheckpoints } from '../../src/exports/exports.service';
import { PackageReport } from '../../src/verifier/report';
import { verifyPackage } from '../../src/verifier/verify-package';
import { As, TEST_AUDIT_SIGNING_KEY, TestApp, startTestApp } from '../support/app';
import { countyWithBooks } from '../support/books';
import { ClaimWorld } from '../support/claims';
import { download } from '../support/csv';
import { post, posting } from '../support/factories';
import { readZip, rehashManifest, writeZip } from '../support/zip-files';

const run = promisify(execFile);

/**
 * The audit package end to end: downloaded from the service, verified offline by the verifier (which shares no code
 * with the writer but the event hash), then one tampering per fault, each named: a ledger line edited behind the
 * triggers, an event deleted, two events swapped, a CSV cell edited, a file swapped, a checkpoint signed by another
 * key, a checkpoint that rewrites history.
 */
describe('audit package', () => {
  let t: TestApp;
  let w: ClaimWorld;
  let auditor: As;
  let vkey: string;
  let countyId: number;
  const dir = mkdtempSync(join(tmpdir(), 'audit-package-'));
  const YEAR = 'from=2026-01-01&to=2026-12-31';
  let n = 0;

  /** A fresh package of the year from the service, as a file. */
  const fetchPackage = async (): Promise<string> => {
    await t.seal();
    await t.app.get(CheckpointsService).signCheckpoint(countyId);
    const res = await download(auditor.get(`/api/v1/exports/audit-package?${YEAR}`));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const file = join(dir, `package-${++n}.zip`);
    writeFileSync(file, res.body);
    return file;
  };
  /**
   * The package rewritten by `change`. `forger`: `keyholder` (default) rehashes the manifest and signs it with the
   * county's key, as only someone holding that key could, so the deeper checks are reached; `outsider` rehashes it
   * without the key; `none` leaves the manifest as it was.
   */
  const tampered = async (
    file: string,
    change: (files: Map<string, Buffer>) => void,
    forger: 'keyholder' | 'outsider' | 'none' = 'keyholder',
  ): Promise<string> => {
    const files = await readZip(file);
    change(files);
    if (forger !== 'none') rehashManifest(files, forger === 'keyholder' ? (body) => signNote(body, checkpointOrigin('421124'), countyKey) : undefined);
    const out = join(dir, `tampered-${++n}.zip`);
    await writeZip(files, out);
    return out;
  };
  const verify = (file: string, options: { keys?: string[]; checkpoint?: string } = {}): Promise<PackageReport> =>
    verifyPackage(file, { keys: options.keys ?? [vkey], checkpoint: options.checkpoint });
  const faultOf = (report: PackageReport) => {
    expect(report.ok).toBe(false);
    return (report as Extract<PackageReport, { ok: false }>).fault;
  };
  const lines = (buf: Buffer) =>
    buf
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '');

  let clean: string;
  const countyKey = ed25519FromSeed(Buffer.from(TEST_AUDIT_SIGNING_KEY, 'base64'));

  beforeAll(async () => {
    t = await startTestApp();
    ({ w } = await countyWithBooks(t, '=1+1 零星收入'));
    auditor = w.auditor;
    [{ id: countyId }] = await t.ds.query(`SELECT id FROM counties WHERE code = '421124'`);
    vkey = (await auditor.get('/api/v1/audit/verifier-key').expect(200)).text.trim();
    clean = await fetchPackage();
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds every part the contract names, each listed in the manifest with its hash, and verifies clean', async () => {
    const files = await readZip(clean);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(manifest).toMatchObject({ format: 'fund-ledger-audit-package/1', county: { code: '421124' }, period: { from: '2026-01-01', to: '2026-12-31' } });
    const listed = manifest.files.map((f: { path: string }) => f.path).sort();
    expect(listed).toEqual([...files.keys()].filter((p) => p !== 'manifest.json' && p !== 'manifest.note').sort());
    for (const f of manifest.files) expect(createHash('sha256').update(files.get(f.path)!).digest('hex')).toBe(f.sha256);
    for (const path of ['events.jsonl', 'datapackage.json', 'checkpoint.vkey', 'books/ledger-lines.csv', 'books/trial-balance.csv', 'registers/payments.csv']) {
      expect(files.has(path)).toBe(true);
    }
    expect([...files.keys()].some((p) => /^checkpoints\/\d{12}\.note$/.test(p))).toBe(true);
    const [{ events }] = await t.ds.query(`SELECT count(*)::int AS events FROM audit_events WHERE county_id = $1 AND seq <= $2`, [countyId, manifest.treeSize]);
    expect(lines(files.get('events.jsonl')!)).toHaveLength(events);
    // datapackage.json: every CSV with its schema, typed.
    const dp = JSON.parse(files.get('datapackage.json')!.toString('utf8'));
    const csvs = [...files.keys()].filter((p) => p.endsWith('.csv'));
    expect(dp.resources.map((r: { path: string }) => r.path).sort()).toEqual(csvs.sort());
    const tb = dp.resources.find((r: { name: string }) => r.name === 'trial-balance');
    expect(tb.schema.fields.find((f: { name: string }) => f.name === 'closing_debit')).toMatchObject({ type: 'number' });

    const report = await verify(clean);
    expect(report).toMatchObject({ ok: true });
    expect(report.ok && report.summary).toMatchObject({ events });
  });

  it('names a ledger line a superuser edited with the triggers off', async () => {
    const [line] = await t.ds.query(
      `SELECT l.id, l.transaction_id, l.line_no FROM ledger_lines l JOIN ledger_accounts a ON a.id = l.account_id
        WHERE a.code LIKE 'expense:%' AND l.debit > 0 LIMIT 1`,
    );
    const edit = (delta: string) =>
      t.ds.transaction(async (em) => {
        await em.query(`SET LOCAL session_replication_role = replica`);
        await em.query(`UPDATE ledger_lines SET debit = debit + $2::numeric WHERE id = $1`, [line.id, delta]);
      });
    await edit('100.00');
    try {
      const fault = faultOf(await verify(await fetchPackage()));
      expect(fault).toMatchObject({ check: 'replay', transactionId: line.transaction_id });
    } finally {
      await edit('-100.00');
    }
    expect(await verify(await fetchPackage())).toMatchObject({ ok: true });
  });

  it('names a deleted event by its seq, and two swapped events', async () => {
    const deleted = await tampered(clean, (files) => {
      const events = lines(files.get('events.jsonl')!);
      events.splice(4, 1);
      files.set('events.jsonl', Buffer.from(`${events.join('\n')}\n`));
    });
    expect(faultOf(await verify(deleted))).toMatchObject({ check: 'chain', seq: '5' });
    const swapped = await tampered(clean, (files) => {
      const events = lines(files.get('events.jsonl')!);
      [events[6], events[7]] = [events[7], events[6]];
      files.set('events.jsonl', Buffer.from(`${events.join('\n')}\n`));
    });
    expect(faultOf(await verify(swapped))).toMatchObject({ check: 'chain', seq: '7' });
  });

  it('names a CSV cell edited after the package was written, and a file swapped for another', async () => {
    const edited = await tampered(
      clean,
      (files) => {
        const tb = files.get('books/trial-balance.csv')!.toString('utf8');
        files.set('books/trial-balance.csv', Buffer.from(tb.replace('5000000.00', '5000001.00')));
      },
      'none',
    );
    expect(faultOf(await verify(edited))).toMatchObject({ check: 'manifest', file: 'books/trial-balance.csv' });
    const swapped = await tampered(
      clean,
      (files) => {
        const [a, b] = [files.get('registers/contracts.csv')!, files.get('registers/payments.csv')!];
        files.set('registers/contracts.csv', b);
        files.set('registers/payments.csv', a);
      },
      'none',
    );
    expect(faultOf(await verify(swapped))).toMatchObject({ check: 'manifest', file: 'registers/contracts.csv' });
    // A book edited and the manifest rehashed without the county's key: manifest.note signs another manifest.
    const outsider = await tampered(
      clean,
      (files) => {
        const book = files.get('books/fund-book.csv')!.toString('utf8');
        files.set('books/fund-book.csv', Buffer.from(book.replace('5000000.00', '9000000.00')));
      },
      'outsider',
    );
    expect(faultOf(await verify(outsider))).toMatchObject({ check: 'manifest', file: 'manifest.note' });
    // Even with the county's key, the trial balance cannot be made to disagree with the events.
    const rehashed = await tampered(clean, (files) => {
      const tb = files.get('books/trial-balance.csv')!.toString('utf8');
      files.set('books/trial-balance.csv', Buffer.from(tb.replace(/(bank:D001,[^\r]*?)5000000\.00/, '$15000001.00')));
    });
    expect(faultOf(await verify(rehashed))).toMatchObject({ check: 'replay', account: 'bank:D001' });
  });

  it('names a checkpoint signed by another key, and one that rewrites history', async () => {
    const noteOf = (files: Map<string, Buffer>) => [...files.keys()].find((p) => p.startsWith('checkpoints/'))!;
    const other = await tampered(clean, (files) => {
      const path = noteOf(files);
      const body = files.get(path)!.toString('utf8').split('\n\n')[0] + '\n';
      files.set(path, Buffer.from(signNote(body, checkpointOrigin('421124'), generateEd25519())));
    });
    expect(faultOf(await verify(other))).toMatchObject({ check: 'checkpoint' });

    // The service's own key signing a root the events do not give: history rewritten behind an earlier checkpoint.
    const rewritten = await tampered(clean, (files) => {
      const path = noteOf(files);
      const size = String(Number(path.slice('checkpoints/'.length, -'.note'.length)));
      const forged = checkpointBody({ origin: checkpointOrigin('421124'), treeSize: size, root: createHash('sha256').update('another history').digest() });
      files.set(path, Buffer.from(signNote(forged, checkpointOrigin('421124'), countyKey)));
    });
    expect(faultOf(await verify(rewritten))).toMatchObject({ check: 'checkpoint' });

    // A checkpoint kept from an earlier package proves the later one only appended.
    const earlier = (await readZip(clean)).get(noteOf(await readZip(clean)))!.toString('utf8');
    await post(
      t,
      posting(
        [
          { account: 'cash:petty', debit: '1.00' },
          { account: 'income:other', credit: '1.00' },
        ],
        '2026-11-03',
      ),
    );
    const later = await fetchPackage();
    expect(await verify(later, { checkpoint: earlier })).toMatchObject({ ok: true });
    const forgedEarlier = signNote(
      checkpointBody({ origin: checkpointOrigin('421124'), treeSize: '3', root: createHash('sha256').update('x').digest() }),
      checkpointOrigin('421124'),
      countyKey,
    );
    expect(faultOf(await verify(later, { checkpoint: forgedEarlier }))).toMatchObject({ check: 'checkpoint' });
  });

  it('is written and verified by the command line as an operator and an auditor run it', async () => {
    const cli = (...args: string[]) =>
      run('npx', ['ts-node', '--transpile-only', 'src/cli/main.ts', ...args], { env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'warn' } });
    const file = join(dir, 'cli.zip');
    await cli('audit-package', '--from', '2026-01-01', '--to', '2026-12-31', '--out', file);
    const key = (await cli('verifier-key')).stdout.trim();
    expect(key).toBe(vkey);
    const verified = await cli('verify-package', file, '--key', key);
    expect(verified.stdout).toMatch(/the package verifies/);
    const journal = join(dir, 'journal.xlsx');
    await cli('export', 'books/journal', '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'xlsx', '--out', journal);
    const refused = await cli('export', 'books/journal', '--from', '2026-12-31', '--to', '2026-01-01', '--out', join(dir, 'x.csv')).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toMatch(/to must be on or after from/);
  }, 120_000);

  it('ends a package whose reader went away without taking the service down, and gives its connection back', async () => {
    let seen = 0;
    const reader = new Writable({
      write(chunk: Buffer, _encoding, done) {
        seen += chunk.length;
        done(seen > 4096 ? new Error('client went away') : null);
      },
    });
    const period = { from: '2026-01-01', to: '2026-12-31' };
    await expect(
      writeAuditPackage(
        t.app.get(DataSource),
        packageCheckpoints(t.app.get(CheckpointsService)),
        { county: { id: countyId, code: '421124' }, period, attachments: false },
        reader,
      ),
    ).rejects.toThrow('client went away');
    await auditor.get('/api/v1/exports/account-map').expect(200);
    const [{ open }] = await t.ds.query(
      `SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
    );
    expect(open).toBe(0);
    expect(await verify(await fetchPackage())).toMatchObject({ ok: true });
  });

  it('refuses a period that ends before it starts and a village user, before sending anything', async () => {
    const res = await auditor.get(`/api/v1/exports/audit-package?from=2026-12-31&to=2026-01-01`).expect(400);
    expect(res.body.details.fields[0].field).toBe('to');
    expect((await w.village.get(`/api/v1/exports/audit-package?${YEAR}`).expect(403)).body.code).toBe('FORBIDDEN_ROLE');
  });
});
