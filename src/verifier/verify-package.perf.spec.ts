import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAuditPackage, FixtureStep, writeAuditPackage } from '../../test/support/audit-package-fixture';

/**
 * How long the CLI takes to verify a county's package of a million events and a million ledger lines (the target:
 * well under 60 s). Building the package takes minutes, so this runs only with VERIFY_PACKAGE_PERF=1:
 *
 *   VERIFY_PACKAGE_PERF=1 NODE_OPTIONS=--max-old-space-size=12000 npx jest src/verifier/verify-package.perf
 *
 * The package is built here, then verified by `verify-package` in a process of its own (as an auditor runs it), so
 * the time and memory are the verifier's alone. With VERIFY_PACKAGE_PERF_DIR the zip and its key stay there.
 */
const EVENTS = Number(process.env.VERIFY_PACKAGE_PERF_EVENTS ?? 1_000_000);
const ACCOUNTS = 2_000;
const POSTINGS = Math.floor(EVENTS * 0.4);

/** Accounts of both books, postings of two or three lines (2.5 on average), small other events between them. */
function manySteps(): FixtureStep[] {
  const steps: FixtureStep[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const book = i % 2 === 0 ? 'financial' : 'budget';
    const code = `${book === 'financial' ? 1002 : 6001}.${String(i).padStart(5, '0')}`;
    steps.push({ open: { code, name: `科目 ${i}`, book, type: book === 'financial' ? 'asset' : 'quota', normalSide: 'debit', kind: 'manual' } });
  }
  const codes = steps.map((s) => ('open' in s ? s.open.code : ''));
  const othersPerPosting = (EVENTS - ACCOUNTS - POSTINGS) / POSTINGS;
  let owed = 0;
  for (let n = 0; n < POSTINGS; n++) {
    // Every account of a posting is in one book: the even codes are financial, the odd ones budget.
    const account = (k: number) => codes[((n * 7 + k * 13) % (ACCOUNTS / 2)) * 2 + (n % 2)];
    const amount = ((n % 9973) + 1) * 3;
    const lines =
      n % 2 === 0
        ? [
            { account: account(0), debit: `${amount}.00` },
            { account: account(1), credit: `${amount}.00` },
          ]
        : [
            { account: account(0), debit: `${amount}.00` },
            { account: account(1), credit: `${amount / 3}.00` },
            { account: account(2), credit: `${(amount * 2) / 3}.00` },
          ];
    const year = n < POSTINGS / 10 ? 2025 : n > POSTINGS * 0.95 ? 2027 : 2026;
    const effectiveDate = `${year}-${String((n % 12) + 1).padStart(2, '0')}-15`;
    steps.push({ post: { id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, effectiveDate, memo: `憑證 ${n}`, purpose: 'manual', lines } });
    for (owed += othersPerPosting; owed >= 1; owed--) steps.push({ event: { type: 'user.viewed', data: { page: n % 17 } } });
  }
  while (steps.length < EVENTS) steps.push({ event: { type: 'user.viewed', data: { page: 0 } } });
  return steps;
}

/** Runs the CLI command in a fresh Node process; answers its exit code, output and wall time. */
function verifyInOwnProcess(path: string, keyFile: string): Promise<{ code: number; stdout: string; stderr: string; seconds: number }> {
  const script = `require('./src/verifier/cli').verifyPackageCommand(process.argv.slice(1)).then((code) => process.exit(code))`;
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-e', script, path, '--key', keyFile],
      { cwd: join(__dirname, '..', '..'), env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr, seconds: (Date.now() - started) / 1000 }),
    );
  });
}

const perf = process.env.VERIFY_PACKAGE_PERF === '1' ? describe : describe.skip;

perf('verify-package: a million events', () => {
  it('verifies well within a minute', async () => {
    const dir = process.env.VERIFY_PACKAGE_PERF_DIR ?? (await mkdtemp(join(tmpdir(), 'verify-package-perf-')));
    const path = join(dir, 'package.zip');
    const keyFile = join(dir, 'package.vkey');
    const started = Date.now();
    let pkg: ReturnType<typeof buildAuditPackage> | undefined = buildAuditPackage({
      steps: manySteps(),
      checkpointSizes: [EVENTS / 4, EVENTS / 2, EVENTS - 1],
    });
    await writeAuditPackage(pkg, path);
    await writeFile(keyFile, `${pkg.signer.vkey}\n`);
    const lines = pkg.books.ledgerLines.length;
    const sizes = pkg.manifest.files.filter((f) => f.bytes > 1e6).map((f) => `${f.path} ${f.bytes} bytes`);
    pkg = undefined;
    const built = (Date.now() - started) / 1000;

    const run = await verifyInOwnProcess(path, keyFile);
    console.log(
      [
        `built in ${built} s: ${EVENTS} events, ${lines} ledger lines, zip of ${(await stat(path)).size} bytes (${sizes.join(', ')})`,
        `verify-package: exit ${run.code} in ${run.seconds} s`,
        run.stderr.trim().split('\n').slice(-6).join('\n'),
        run.stdout.trim(),
      ].join('\n'),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${lines} ledger lines`);
    expect(run.seconds).toBeLessThan(60);
    if (!process.env.VERIFY_PACKAGE_PERF_DIR) await rm(dir, { recursive: true, force: true });
  }, 1_800_000);
});
