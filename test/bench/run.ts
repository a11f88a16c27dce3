/**
 * npm run bench [-- case…]: prints throughput, latency and peak memory for each case.
 * BENCH_TX (default 20000) sets the number of ledger transactions, BENCH_PAYMENTS (default 10000) the number of
 * contract payments, BENCH_CLAIMS (default 2000) the number of claims driven from submit to paid, BENCH_WORKERS
 * (default 8) the concurrency, BENCH_READ_LINES (default 10000,1000000) the county sizes `ledger.read` reads,
 * BENCH_RENDERS (default 200) the renders of `notice.pdf`.
 * `monitoring` generates a county (test/bench/monitoring.ts) of BENCH_MON_LINES (default 1000000) ledger lines,
 * BENCH_MON_PROJECTS (5000) projects, BENCH_MON_CLAIMS (20000) claims and BENCH_MON_INVOICES (100000) invoices, then
 * times every detector of the catalogue; BENCH_MON_EXPLAIN=1 also prints each detector statement with its plan.
 * `exports` generates a county of BENCH_EXPORT_LINES (default 1000000) ledger lines and BENCH_EXPORT_EVENTS (default
 * 1000000) events, then times the journal and line file as CSV and XLSX, the audit package and its offline check,
 * each as its own command-line process (compiled by `npm run build` when dist/ is there, else ts-node);
 * BENCH_EXPORT_DATABASE=name keeps the county in that database and reuses it on the next run.
 * The database is a fresh one on DATABASE_URL's server, or an embedded PostgreSQL in a temporary directory, started
 * when a case first asks for one (`notice.pdf` needs none).
 * Cases live in CASES below; a later case is added there.
 */
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { OrgUnitsService } from '../../src/access/org-units.service';
import { UsersService } from '../../src/access/users.service';
import { createApp } from '../../src/app';
import { Actor, systemActor } from '../../src/common/context';
import { CountyService } from '../../src/county/county.service';
import { createDataSource } from '../../src/database/data-source';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { entryOf } from '../../src/ledger/dto/ledger.dto';
import { LedgerPostingService } from '../../src/ledger/ledger-posting.service';
import { Figures, drive, figures, print } from './harness';
import { claimsCase } from './claims';
import { ReadTimes, ledgerReadCase } from './ledger-read';
import { consoleCase } from './console';
import { exportsCase } from './exports';
import { monitoringCase, printMonitoring } from './monitoring';
import { noticePdfCase } from './notice-pdf';
import { paymentsCase } from './payments';
import { uploadsCase } from './uploads';

const TX = Number(process.env.BENCH_TX ?? 20_000);
const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 10_000);
const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 2_000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 8);
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 20);
const UPLOAD_MIB = Number(process.env.BENCH_UPLOAD_MIB ?? 9.9);
const READ_LINES = (process.env.BENCH_READ_LINES ?? '10000,1000000').split(',').map(Number);
const RENDERS = Number(process.env.BENCH_RENDERS ?? 200);
const MONITORING = {
  lines: Number(process.env.BENCH_MON_LINES ?? 1_000_000),
  projects: Number(process.env.BENCH_MON_PROJECTS ?? 5_000),
  claims: Number(process.env.BENCH_MON_CLAIMS ?? 20_000),
  invoices: Number(process.env.BENCH_MON_INVOICES ?? 100_000),
};
const EXPORT_LINES = Number(process.env.BENCH_EXPORT_LINES ?? 1_000_000);
const EXPORT_EVENTS = Number(process.env.BENCH_EXPORT_EVENTS ?? 1_000_000);
const ACCOUNTS = 500;
const BENCH_PASSWORD = 'bench-password-0123';
const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret-0123';
process.env.ADMIN_USERNAME ??= 'bench-admin';
process.env.ADMIN_PASSWORD ??= 'bench-admin-password';

interface Bench {
  freshDatabase(): Promise<string>;
  /** A database of this name kept after the run (created when missing), so a case can reuse what it generated. */
  keptDatabase(name: string): Promise<string>;
  report(f: Figures): void;
}

/** Deterministic three-line transaction i over the 500 accounts: Dr a, Cr b, Cr c with b+c = a. */
function transaction(i: number) {
  const a = (i * 7919) % ACCOUNTS;
  const b = (a + 1 + ((i * 104729) % (ACCOUNTS - 2))) % ACCOUNTS;
  let c = (b + 1) % ACCOUNTS;
  if (c === a) c = (c + 1) % ACCOUNTS;
  const cents = 100 + (i % 100_000);
  const first = Math.floor(cents * 0.85);
  return {
    effectiveDate: '2026-03-01',
    memo: `bench ${i}`,
    lines: [
      { account: `acc:${a}`, debit: fen(cents) },
      { account: `acc:${b}`, credit: fen(first) },
      { account: `acc:${c}`, credit: fen(cents - first) },
    ],
  };
}

function fen(n: number): string {
  return `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;
}

async function appOn(url: string): Promise<{ app: INestApplication; ledger: LedgerPostingService; actor: Actor }> {
  const app = await createApp({ databaseUrl: url, jwtSecret: BENCH_SECRET, logLevel: false, poolSize: WORKERS + 2 });
  await app.init();
  const ledger = app.get(LedgerPostingService);
  const actor: Actor = { ...systemActor(app.get(CountyService).county), actor: 'bench' };
  for (let i = 0; i < ACCOUNTS; i++) {
    await ledger.openManual(actor, { code: `acc:${i}`, name: `account ${i}`, book: 'financial', type: 'asset', allowNegative: true });
  }
  return { app, ledger, actor };
}

const CASES: Record<string, (b: Bench) => Promise<void>> = {
  async 'claim.pay'(b) {
    const app = await createApp({ databaseUrl: await b.freshDatabase(), jwtSecret: BENCH_SECRET, logLevel: false, poolSize: WORKERS + 2 });
    await app.init();
    try {
      b.report(await claimsCase(app, CLAIMS, WORKERS));
    } finally {
      await app.close();
    }
  },

  async 'claim.upload'(b) {
    const app = await createApp({ databaseUrl: await b.freshDatabase(), jwtSecret: BENCH_SECRET, logLevel: false, poolSize: WORKERS + 2 });
    await app.init();
    try {
      const { figures: f, rssBeforeMiB } = await uploadsCase(app, UPLOADS, UPLOAD_MIB);
      b.report(f);
      console.log(`  RSS before the uploads ${rssBeforeMiB} MiB, peak ${f.peakRssMiB} MiB`);
    } finally {
      await app.close();
    }
  },

  async 'contract.pay'(b) {
    const app = await createApp({ databaseUrl: await b.freshDatabase(), jwtSecret: BENCH_SECRET, logLevel: false, poolSize: WORKERS + 2 });
    await app.init();
    try {
      b.report(await paymentsCase(app, PAYMENTS, WORKERS));
    } finally {
      await app.close();
    }
  },

  async 'ledger.read'(b) {
    const rows: ReadTimes[] = [];
    for (const lines of READ_LINES) rows.push(await ledgerReadCase(await b.freshDatabase(), lines));
    console.log('ledger.read, median ms per read (service layer):');
    console.log(
      `  ${'lines'.padStart(9)} ${'generated'.padStart(10)} ${'balance'.padStart(8)} ${'as of'.padStart(8)} ${'page 90%'.padStart(9)} ${'trial as of'.padStart(12)}`,
    );
    for (const r of rows) {
      console.log(
        `  ${String(r.lines).padStart(9)} ${`${r.generatedSeconds} s`.padStart(10)} ${String(r.balance).padStart(8)} ${String(r.balanceAsOf).padStart(8)} ${String(r.statementPage).padStart(9)} ${String(r.trialBalanceAsOf).padStart(12)}`,
      );
    }
    if (rows.length > 1) {
      const [small, large] = [rows[0], rows[rows.length - 1]];
      const ratio = (k: 'balance' | 'balanceAsOf' | 'statementPage' | 'trialBalanceAsOf') => (large[k] / small[k]).toFixed(2);
      console.log(
        `  largest / smallest: balance ${ratio('balance')}, as of ${ratio('balanceAsOf')}, page ${ratio('statementPage')}, trial balance as of ${ratio('trialBalanceAsOf')}`,
      );
    }
  },

  async console(b) {
    const f = await consoleCase(await b.freshDatabase(), BENCH_SECRET, Number(process.env.BENCH_CONSOLE_ROUNDS ?? 5));
    console.log(`console: ${f.rounds} rounds, each in a fresh browser context; sign-in page and tasks ${f.firstLoadBytes} bytes on the wire`);
    for (const [step, ms] of Object.entries(f.steps)) b.report(figures(`console: ${step}`, ms.length, ms.reduce((a, x) => a + x, 0) / 1000, ms));
  },

  async exports(b) {
    const db = process.env.BENCH_EXPORT_DATABASE;
    const f = await exportsCase(db ? await b.keptDatabase(db) : await b.freshDatabase(), EXPORT_LINES, EXPORT_EVENTS);
    console.log(`exports: ${f.lines} lines, ${f.events} events, generated in ${f.generatedSeconds} s`);
    for (const r of f.runs) b.report(figures(`exports: ${r.name}`, 1, r.seconds));
  },

  async monitoring(b) {
    const f = await monitoringCase(await b.freshDatabase(), MONITORING, { explain: process.env.BENCH_MON_EXPLAIN === '1', jwtSecret: BENCH_SECRET });
    printMonitoring(f);
    b.report(figures('monitoring: every detector, detect only', f.detectors.length, f.detectTotal));
  },

  async 'notice.pdf'(b) {
    const r = await noticePdfCase(RENDERS);
    b.report(r.figures);
    console.log(`  ${r.bytes} bytes, ${r.pages} pages; ms per render: median ${r.medianMs}, p95 ${r.p95Ms}; first render (fonts read) ${r.firstMs}`);
  },

  async 'ledger.post'(b) {
    const service = await appOn(await b.freshDatabase());
    const s = await drive(TX, WORKERS, async (i) => {
      await service.ledger.postAlone(service.actor, entryOf(transaction(i)));
    });
    b.report(figures('ledger.post via service layer', TX, s.seconds, s.latencies));
    await service.app.close();

    const http = await appOn(await b.freshDatabase());
    await http.app.listen(0, '127.0.0.1');
    const base = await http.app.getUrl();
    const url = base.replace('[::1]', '127.0.0.1');
    const [root] = await http.app.get(OrgUnitsService).list(http.actor, 0, 1);
    const tokens: string[] = [];
    for (const username of ['bench-maker', 'bench-checker']) {
      await http.app
        .get(UsersService)
        .create(http.actor, { username, displayName: username, password: BENCH_PASSWORD, orgUnitId: root.id, roles: ['county_finance'] });
      tokens.push((await call(url, '/api/v1/auth/login', '', { username, password: BENCH_PASSWORD }, 200)).accessToken);
    }
    const h = await drive(TX, WORKERS, async (i) => {
      const voucher = await call(url, '/api/v1/ledger/transactions', tokens[0], transaction(i), 201);
      await call(url, `/api/v1/ledger/transactions/${voucher.id}/approve`, tokens[1], undefined, 201);
    });
    b.report(figures('ledger.post via HTTP (draft + approve)', TX, h.seconds, h.latencies));
    await http.app.close();

    b.report(await floor(await b.freshDatabase()));
  },
};

async function call(base: string, path: string, token: string, body: unknown, expected: number): Promise<{ id: string; accessToken: string }> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status !== expected) throw new Error(`${path}: HTTP ${res.status}: ${await res.text()}`);
  return (await res.json()) as { id: string; accessToken: string };
}

/**
 * The same transactions and lines inserted with plain multi-row SQL, 500 per statement: the database's floor. Each
 * transaction also gets its (minimal) audit event, without which the database refuses it at commit.
 */
async function floor(url: string): Promise<Figures> {
  const ds: DataSource = await createDataSource(url, 2).initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.query(`INSERT INTO counties (code, name) VALUES ('BENCH', 'bench')`);
  const [{ id: county }] = await ds.query(`SELECT id FROM counties WHERE code = 'BENCH'`);
  await ds.query(
    `INSERT INTO ledger_accounts (county_id, code, name, book, type, normal_side, allow_negative)
     SELECT $1, 'acc:' || g, 'account ' || g, 'financial', 'asset', 'debit', true FROM generate_series(0, ${ACCOUNTS - 1}) g`,
    [county],
  );
  const ids: { id: string; code: string }[] = await ds.query(`SELECT id, code FROM ledger_accounts WHERE county_id = $1`, [county]);
  const idOf = new Map(ids.map((r) => [r.code, r.id]));
  const started = Date.now();
  const BATCH = 500;
  for (let from = 0; from < TX; from += BATCH) {
    const txValues: string[] = [];
    const lineValues: string[] = [];
    const eventValues: string[] = [];
    for (let i = from; i < Math.min(TX, from + BATCH); i++) {
      const t = transaction(i);
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      txValues.push(`('${id}', ${county}, '${t.effectiveDate}', '${t.memo}')`);
      eventValues.push(`(${county}, 'ledger.transaction.posted', 'bench', now(), '{"data":{"id":"${id}"},"type":"ledger.transaction.posted"}')`);
      t.lines.forEach((l, n) => {
        const debit = 'debit' in l ? l.debit : '0';
        const credit = 'credit' in l ? l.credit : '0';
        lineValues.push(`('${id}', ${county}, ${idOf.get(l.account)}, 'financial', ${n + 1}, ${debit}, ${credit}, '${t.effectiveDate}')`);
      });
    }
    await ds.transaction(async (em) => {
      await em.query(`INSERT INTO ledger_transactions (id, county_id, effective_date, memo) VALUES ${txValues.join(',')}`);
      await em.query(`INSERT INTO audit_events (county_id, type, actor, recorded_at, body) VALUES ${eventValues.join(',')}`);
      await em.query(
        `INSERT INTO ledger_lines (transaction_id, county_id, account_id, book, line_no, debit, credit, effective_date) VALUES ${lineValues.join(',')}`,
      );
    });
  }
  const seconds = (Date.now() - started) / 1000;
  await ds.destroy();
  return figures('floor: multi-row SQL, same rows', TX, seconds);
}

/** The bench's databases: a server started on first use, one fresh database per case. */
function bench(): Bench & { close(): Promise<void>; results: Figures[] } {
  let server: Promise<string> | undefined;
  let cleanup: () => Promise<void> = () => Promise.resolve();
  const start = async (): Promise<string> => {
    if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
    const dataDir = await mkdtemp(join(tmpdir(), 'fund-ledger-bench-'));
    const db = await startEmbeddedPostgres({ dataDir, port: 54399, database: 'postgres' });
    cleanup = async () => {
      await db.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
    return db.url;
  };
  const serverUrl = () => (server ??= start());
  const created: string[] = [];
  const results: Figures[] = [];
  const admin = async (sql: string): Promise<unknown[]> => {
    const c = new Client({ connectionString: await serverUrl() });
    await c.connect();
    try {
      return (await c.query(sql)).rows;
    } finally {
      await c.end();
    }
  };
  const b: Bench & { close(): Promise<void>; results: Figures[] } = {
    results,
    report(f) {
      print(f);
      results.push(f);
    },
    async freshDatabase() {
      const name = `fund_ledger_bench_${process.pid}_${created.length}`;
      await admin(`DROP DATABASE IF EXISTS ${name}`);
      await admin(`CREATE DATABASE ${name}`);
      created.push(name);
      const u = new URL(await serverUrl());
      u.pathname = `/${name}`;
      return u.toString();
    },
    async keptDatabase(name) {
      const exists = (await admin(`SELECT 1 FROM pg_database WHERE datname = '${name.replace(/'/g, "''")}'`)).length > 0;
      if (!exists) await admin(`CREATE DATABASE ${name}`);
      const u = new URL(await serverUrl());
      u.pathname = `/${name}`;
      return u.toString();
    },
    async close() {
      for (const name of created) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup();
    },
  };
  return b;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(CASES);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB; node ${process.version}`);
  console.log(`transactions: ${TX}, workers: ${WORKERS}, accounts: ${ACCOUNTS}; database: ${process.env.DATABASE_URL ? 'DATABASE_URL server' : 'embedded'}`);
  const b = bench();
  const results = b.results;
  try {
    for (const name of names) {
      const run = CASES[name];
      if (!run) throw new Error(`unknown case ${name}; cases: ${Object.keys(CASES).join(', ')}`);
      await run(b);
    }
    const service = results.find((r) => r.name === 'ledger.post via service layer');
    const floorFig = results.find((r) => r.name.startsWith('floor'));
    if (service && floorFig) console.log(`service layer / floor: ${(service.perSecond / floorFig.perSecond).toFixed(3)}`);
  } finally {
    await b.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
