import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { sealCommittedEvents } from '../../src/audit/audit-sealer';
import { createDataSource } from '../../src/database/data-source';
import { checkpointVerifierKey, signCheckpoint } from '../../src/audit/checkpoints/checkpoints.service';
import { ed25519FromSeed } from '../../src/audit/checkpoints/signed-note';

const ACCOUNTS = 500;
/** Two-line postings per generating database transaction (the deferred checks run at its commit). */
const BATCH = 2000;
const FIRST_DAY = '2026-01-01';
const DAYS = 360;
const COUNTY = 'EXP';

export interface ExportFigures {
  lines: number;
  events: number;
  generatedSeconds: number;
  runs: { name: string; seconds: number; bytes: number; peakRssMiB: number }[];
}

/**
 * `exports`: a county of `lines` ledger lines (two-line postings over 500 accounts, each with its posting event whose
 * body is the canonical JSON the posting statement writes) and filler events up to `events`, sealed and
 * checkpointed; then each export as an operator runs it, one command-line process each (`npm run cli -- export …`,
 * `audit-package`, `verify-package`), timed with its peak resident memory (`/usr/bin/time`): the journal and the
 * whole-history line file as CSV, the journal as XLSX, the audit package, and its offline verification.
 */
export async function exportsCase(url: string, lines: number, events: number): Promise<ExportFigures> {
  const ds: DataSource = await createDataSource(url, 4).initialize();
  const dir = await mkdtemp(join(tmpdir(), 'fund-ledger-bench-exports-'));
  const seed = randomBytes(32);
  try {
    await ds.runMigrations({ transaction: 'each' });
    const started = performance.now();
    const [kept]: { id: number; code: string }[] = await ds.query(`SELECT id, code FROM counties WHERE code = $1`, [COUNTY]);
    const county = kept ?? (await generate(ds, lines, events));
    const generatedSeconds = Math.round((performance.now() - started) / 1000);
    if (!kept) await ds.query('VACUUM ANALYZE');
    await sealCommittedEvents(ds);
    await signCheckpoint(ds, ed25519FromSeed(seed), county.id);
    const vkey = checkpointVerifierKey(county.code, ed25519FromSeed(seed));
    const period = ['--from', FIRST_DAY, '--to', '2026-12-31', '--county', county.code];
    const runs: ExportFigures['runs'] = [];
    const cli = async (name: string, args: string[], file?: string) => {
      const run = await timed(['src/cli/main.ts', ...args], { DATABASE_URL: url, AUDIT_SIGNING_KEY: seed.toString('base64') });
      const bytes = file ? (await stat(join(dir, file))).size : 0;
      runs.push({ name, seconds: run.seconds, bytes, peakRssMiB: run.peakRssMiB });
      console.log(`  ${name}: ${run.seconds} s, ${bytes} bytes, peak RSS ${run.peakRssMiB} MiB`);
    };
    await cli('journal.csv', ['export', 'books/journal', ...period, '--out', join(dir, 'journal.csv')], 'journal.csv');
    await cli('ledger-lines.csv', ['export', 'books/ledger-lines', ...period, '--out', join(dir, 'ledger-lines.csv')], 'ledger-lines.csv');
    await cli('journal.xlsx', ['export', 'books/journal', ...period, '--format', 'xlsx', '--out', join(dir, 'journal.xlsx')], 'journal.xlsx');
    await cli('audit package', ['audit-package', ...period, '--out', join(dir, 'package.zip')], 'package.zip');
    await cli('verify-package (offline)', ['verify-package', join(dir, 'package.zip'), '--key', vkey]);
    return { lines, events, generatedSeconds, runs };
  } finally {
    await ds.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A command-line run in its own Node process: the compiled CLI when `npm run build` made one (as a server runs it),
 * else through ts-node as `npm run cli` does (whose compiler alone takes about 350 MiB); seconds and peak RSS.
 */
async function timed(args: string[], env: Record<string, string>): Promise<{ seconds: number; peakRssMiB: number }> {
  const [script, ...rest] = args;
  const compiled = join('dist', script.replace(/\.ts$/, '.js'));
  const command = existsSync(compiled) ? [compiled, ...rest] : ['-r', 'ts-node/register/transpile-only', ...args];
  const { stderr } = await promisify(execFile)('/usr/bin/time', ['-f', 'TIMED %e %M', process.execPath, ...command], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const [, seconds, kib] = /TIMED ([0-9.]+) ([0-9]+)/.exec(stderr)!;
  return { seconds: Number(seconds), peakRssMiB: Math.round(Number(kib) / 1024) };
}

/**
 * The county, by plain SQL through every guard: accounts with their opening events, postings with their lines and
 * events (bodies in RFC 8785 form: keys sorted, no spaces, amounts as strings), filler events, all sealed.
 */
async function generate(ds: DataSource, lines: number, events: number): Promise<{ id: number; code: string }> {
  const [county]: { id: number; code: string }[] = await ds.query(`INSERT INTO counties (code, name) VALUES ($1, '導出縣') RETURNING id, code`, [COUNTY]);
  const at = new Date().toISOString();
  await ds.transaction(async (em) => {
    await em.query(
      `INSERT INTO ledger_accounts (county_id, code, name, book, type, normal_side, allow_negative)
       SELECT $1, 'acc:' || g, '科目 ' || g, 'financial', 'asset', 'debit', true FROM generate_series(0, ${ACCOUNTS - 1}) g`,
      [county.id],
    );
    await em.query(
      `INSERT INTO audit_events (county_id, type, actor, recorded_at, body)
       SELECT $1, 'ledger.account.opened', 'bench', $2::timestamptz,
              '{"actor":"bench","at":"' || $3 || '","county":"${COUNTY}","data":{"allowNegative":true,"book":"financial","code":"acc:' || g ||
              '","name":"科目 ' || g || '","normalSide":"debit","restrictedOutflow":false,"type":"asset"},"type":"ledger.account.opened"}'
         FROM generate_series(0, ${ACCOUNTS - 1}) g ORDER BY g`,
      [county.id, at, at],
    );
  });
  const postings = Math.ceil(lines / 2);
  for (let from = 0; from < postings; from += BATCH) {
    const to = Math.min(postings, from + BATCH) - 1;
    await ds.transaction(async (em) => {
      const params = [county.id, from, to, postings, at];
      const tx = `('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))`;
      const day = `($6::date + (g::bigint * ${DAYS} / $4)::int)`;
      const amount = `to_char(1.00 + (g % 100000) / 100.0, 'FM999999990.00')`;
      const debitAccount = `(g * 7) % ${ACCOUNTS}`;
      const creditAccount = `((g * 7) % ${ACCOUNTS} + 1 + g % ${ACCOUNTS - 1}) % ${ACCOUNTS}`;
      await em.query(
        `INSERT INTO ledger_transactions (id, county_id, effective_date, recorded_at, memo, purpose)
         SELECT ${tx}::uuid, $1, ${day}, $5::timestamptz, '記賬 ' || g, 'manual' FROM generate_series($2::int, $3::int) g`,
        [...params, FIRST_DAY],
      );
      await em.query(
        `INSERT INTO audit_events (county_id, type, actor, recorded_at, body)
         SELECT $1, 'ledger.transaction.posted', 'bench', $5::timestamptz,
                '{"actor":"bench","at":"' || $7::text || '","county":"${COUNTY}","data":{"effectiveDate":"' || ${day}::text ||
                '","id":"' || ${tx} || '","lines":[{"account":"acc:' || ${debitAccount} || '","book":"financial","debit":"' || ${amount} ||
                '"},{"account":"acc:' || ${creditAccount} || '","book":"financial","credit":"' || ${amount} ||
                '"}],"memo":"記賬 ' || g || '"},"type":"ledger.transaction.posted"}'
           FROM generate_series($2::int, $3::int) g ORDER BY g`,
        [...params, FIRST_DAY, at],
      );
      await em.query(
        `INSERT INTO ledger_lines (transaction_id, county_id, account_id, book, line_no, debit, credit, effective_date)
         SELECT t.id, $1, a.id, 'financial', n, CASE WHEN n = 1 THEN amount ELSE 0 END, CASE WHEN n = 2 THEN amount ELSE 0 END, t.effective_date
           FROM generate_series($2::int, $3::int) g
           JOIN ledger_transactions t ON t.id = ${tx}::uuid
           CROSS JOIN generate_series(1, 2) n
           CROSS JOIN LATERAL (SELECT ${amount}::numeric AS amount) m
           JOIN ledger_accounts a ON a.county_id = $1 AND a.code = 'acc:' || CASE WHEN n = 1 THEN ${debitAccount} ELSE ${creditAccount} END
          ORDER BY a.id`,
        [county.id, from, to],
      );
    });
    if (from % 100_000 === 0) process.stderr.write(`\r  generated ${from * 2} lines`);
  }
  const filler = Math.max(0, events - postings - ACCOUNTS);
  for (let from = 0; from < filler; from += 50_000) {
    await ds.query(
      `INSERT INTO audit_events (county_id, type, actor, recorded_at, body)
       SELECT $1, 'bench.step', 'bench', $4::timestamptz,
              '{"actor":"bench","at":"' || $5::text || '","county":"${COUNTY}","data":{"n":"' || g || '"},"type":"bench.step"}'
         FROM generate_series($2::int, $3::int) g ORDER BY g`,
      [county.id, from, Math.min(filler, from + 50_000) - 1, at, at],
    );
  }
  process.stderr.write(`\r  generated ${postings * 2} lines and ${postings + filler + ACCOUNTS} events; sealing\n`);
  await sealCommittedEvents(ds);
  return county;
}
