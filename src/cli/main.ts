import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createApp, openApiDocument } from '../app';
import { sealCommittedEvents } from '../audit/audit-sealer';
import { verifyEvents } from '../audit/audit-verifier';
import { validateEnv } from '../config/env';
import { resolveJwtSecret } from '../config/secrets';
import { seedDemo } from './seed-demo';
import { createDataSource } from '../database/data-source';
import { ResolvedDatabase, resolveDatabase } from '../database/database-url';

const USAGE = `usage: npm run cli -- <command>

commands:
  migrate           apply pending migrations
  verify-events     recompute the audit hash chain of every county and every claim attachment's hash; exit 1 and
                    name the first bad seq or attachment
  seed-demo         create the demo county 英山縣 (units, users, funds, projects, a contract and claims) and print the credentials
  seal-events       link committed audit events into their county's chain now (the service does it every second)
  openapi [--check] write docs/openapi.json (with --check: fail if it is not current)

The database is DATABASE_URL, or the embedded PostgreSQL in DATA_DIR when it is unset.`;

const OPENAPI_FILE = 'docs/openapi.json';

async function withDatabase<T>(work: (db: ResolvedDatabase) => Promise<T>): Promise<T> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = validateEnv(process.env);
  const db = await resolveDatabase(env, () => undefined);
  try {
    return await work(db);
  } finally {
    await db.stop();
  }
}

async function migrate(db: ResolvedDatabase): Promise<number> {
  const ds = await createDataSource(db.url).initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    console.log(applied.length === 0 ? 'schema is current' : applied.map((m) => `applied ${m.name}`).join('\n'));
    return 0;
  } finally {
    await ds.destroy();
  }
}

async function verify(db: ResolvedDatabase): Promise<number> {
  const ds = await createDataSource(db.url).initialize();
  try {
    const report = await verifyEvents(ds, (county, seq) => process.stderr.write(`\r${county}: verified up to seq ${seq}`));
    process.stderr.write('\n');
    console.log(JSON.stringify(report, null, 2));
    if (report.firstBad) console.error(`audit chain broken in county ${report.firstBad.county} at seq ${report.firstBad.seq} (${report.firstBad.fault})`);
    if (report.firstBadAttachment) {
      const { attachmentId, seq } = report.firstBadAttachment;
      console.error(`claim attachment ${attachmentId} does not match the hash its upload event (seq ${seq ?? 'not yet sealed'}) recorded`);
    }
    return report.ok ? 0 : 1;
  } finally {
    await ds.destroy();
  }
}

async function seal(db: ResolvedDatabase): Promise<number> {
  const ds = await createDataSource(db.url).initialize();
  try {
    console.log(`sealed ${await sealCommittedEvents(ds)} event(s)`);
    return 0;
  } finally {
    await ds.destroy();
  }
}

async function openapi(db: ResolvedDatabase, check: boolean): Promise<number> {
  // The document needs the application's modules, not its start-up work (first admin, sealer): no init().
  const app = await createApp({ databaseUrl: db.url, jwtSecret: randomBytes(32).toString('hex'), logLevel: false });
  try {
    const text = `${JSON.stringify(openApiDocument(app), null, 2)}\n`;
    if (check) {
      const current = existsSync(OPENAPI_FILE) ? await readFile(OPENAPI_FILE, 'utf8') : '';
      if (current !== text) {
        console.error(`${OPENAPI_FILE} is stale: run npm run openapi and commit it`);
        return 1;
      }
      console.log(`${OPENAPI_FILE} is current`);
      return 0;
    }
    await writeFile(OPENAPI_FILE, text);
    console.log(`wrote ${OPENAPI_FILE}`);
    return 0;
  } finally {
    await app.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'migrate':
      return withDatabase(migrate);
    case 'verify-events':
      return withDatabase(verify);
    case 'seed-demo':
      return withDatabase(async (db) => {
        const env = validateEnv(process.env);
        await seedDemo(db.url, await resolveJwtSecret(env, db.embedded), (line) => console.log(line));
        return 0;
      });
    case 'seal-events':
      return withDatabase(seal);
    case 'openapi':
      return withDatabase((db) => openapi(db, rest.includes('--check')));
    default:
      console.error(USAGE);
      return command === undefined || command === 'help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
