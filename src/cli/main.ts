import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createApp, openApiDocument } from '../app';
import { sealCommittedEvents } from '../audit/audit-sealer';
import { verifyEvents } from '../audit/audit-verifier';
import { DataSource } from 'typeorm';
import { checkpointNotes, checkpointVerifierKey, signByCounty, signCheckpoint, signDueCheckpoints } from '../audit/checkpoints/checkpoints.service';
import { Env, validateEnv } from '../config/env';
import { resolveAuditSigningKey, resolveJwtSecret } from '../config/secrets';
import { CheckpointSource } from '../exports/audit-package';
import { verifyPackageCommand } from '../verifier/cli';
import { EXPORT_USAGE, auditPackageCommand, exportCommand } from './exports';
import { seedDemo } from './seed-demo';
import { resetPasswordAsOperator } from '../access/users.service';
import { createDataSource } from '../database/data-source';
import { currentDatabaseUrl, ResolvedDatabase, resolveDatabase } from '../database/database-url';
import { applyServiceRole } from '../database/service-role';

const USAGE = `usage: npm run cli -- <command>

commands:
  migrate           apply pending migrations
  verify-events     recompute the audit hash chain of every county and every claim attachment's hash; exit 1 and
                    name the first bad seq or attachment
  seed-demo         create the demo county 英山縣 (units, users, funds, projects, a contract and claims) and print the credentials
  seal-events       link committed audit events into their county's chain now (the service does it every
                    AUDIT_SEAL_INTERVAL_MS, default 500 ms)
  db-url            print the URL of the database the commands use (for psql); the embedded one while it runs
  openapi [--check] write docs/openapi.json (with --check: fail if it is not current)
${EXPORT_USAGE}
  verify-package FILE.zip --key VKEY [--key WITNESS_VKEY]... [--checkpoint FILE]
                    check an audit package offline (no database): files against the manifest, the event chain, the
                    signed checkpoints, and the postings replayed into the exported ledger and trial balance; exit 1
                    and name the first fault
  sign-checkpoints [--force]
                    sign the due checkpoints now (the service does it after sealing; --force: one for every county
                    whose chain moved since its last)
  verifier-key      print the verifier key of the county's checkpoints (AUDIT_SIGNING_KEY, or the key in DATA_DIR),
                    for an auditor to pin
  reset-password <username>
                    give the user a new generated password, printed once, that they must change at their next login
                    (for an admin locked out of their account); their tokens stop working
  create-service-role <name>
                    create or update the LOGIN role the service should run as, with exactly the grants it needs
                    (run as the schema's owner after the migrations; password from SERVICE_ROLE_PASSWORD, or generated
                    and printed once for a new role)

The database is DATABASE_URL, or the embedded PostgreSQL in DATA_DIR when it is unset: the one the running service
serves, or else started for the command.`;

const OPENAPI_FILE = 'docs/openapi.json';

async function withDatabase<T>(work: (db: ResolvedDatabase) => Promise<T>): Promise<T> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = validateEnv(process.env);
  // Beside a running service the embedded server is its own; the command uses it rather than starting a second.
  const db = await resolveDatabase(env, { debug: () => undefined, warn: (line) => console.error(line) }, { reuseRunning: true });
  try {
    return await work(db);
  } finally {
    await db.stop();
  }
}

/** A command's work on a DataSource of the database, with the validated environment. */
function withDataSource(work: (ds: DataSource, env: Env, db: ResolvedDatabase) => Promise<number>): Promise<number> {
  return withDatabase(async (db) => {
    const env = validateEnv(process.env);
    const ds = await createDataSource(db.url).initialize();
    try {
      return await work(ds, env, db);
    } finally {
      await ds.destroy();
    }
  });
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
    if (report.firstBadFile) {
      const { kind, id, seq } = report.firstBadFile;
      console.error(`${kind.replace('_', ' ')} ${id} does not match what its event (seq ${seq ?? 'not yet sealed'}) recorded`);
    }
    if (report.firstBadLedger) console.error(`ledger check ${report.firstBadLedger.check} failed: ${report.firstBadLedger.message}`);
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

async function createServiceRole(db: ResolvedDatabase, name: string | undefined): Promise<number> {
  if (!name) {
    console.error('usage: npm run cli -- create-service-role <name>');
    return 2;
  }
  const report = await applyServiceRole(db.url, name, process.env.SERVICE_ROLE_PASSWORD || undefined);
  console.log(`${report.created ? 'created' : 'updated'} role ${name}: grants on ${report.tables} tables and ${report.sequences} sequences`);
  if (report.generatedPassword) {
    const url = new URL(db.url);
    url.username = name;
    url.password = report.generatedPassword;
    console.log(`its password, shown once: ${report.generatedPassword}\nthe service's DATABASE_URL: ${url.toString()}`);
  }
  for (const warning of report.warnings) console.error(`warning: ${warning}`);
  return 0;
}

async function resetPassword(db: ResolvedDatabase, username: string | undefined): Promise<number> {
  if (!username) {
    console.error('usage: npm run cli -- reset-password <username>');
    return 2;
  }
  const env = validateEnv(process.env);
  const ds = await createDataSource(db.url).initialize();
  try {
    const reset = await resetPasswordAsOperator(ds, username, env.PASSWORD_HASH_COST);
    if (!reset) {
      console.error(`no user ${username}`);
      return 1;
    }
    console.log(`new password of ${username}, shown once: ${reset.password}\nthey must change it at their next login`);
    return 0;
  } finally {
    await ds.destroy();
  }
}

/** For connecting by hand; it starts nothing, since a server started for one command would be gone at once. */
async function printDatabaseUrl(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = validateEnv(process.env);
  const url = await currentDatabaseUrl(env);
  if (url === undefined) {
    console.error(`the embedded PostgreSQL in ${env.DATA_DIR} is not running: start the service (npm start), then ask again`);
    return 1;
  }
  console.log(url);
  return 0;
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
    case 'db-url':
      return printDatabaseUrl();
    case 'openapi':
      return withDatabase((db) => openapi(db, rest.includes('--check')));
    case 'reset-password':
      return withDatabase((db) => resetPassword(db, rest[0]));
    case 'create-service-role':
      return withDatabase((db) => createServiceRole(db, rest[0]));
    case 'export':
      return withDataSource((ds, env) => exportCommand(ds, rest, env.COUNTY_CODE));
    case 'audit-package':
      return withDataSource(async (ds, env, db) => {
        const key = await resolveAuditSigningKey(env, db.embedded);
        const checkpoints: CheckpointSource = {
          signHead: async (countyId) => void (await signCheckpoint(ds, key, countyId)),
          notesUpTo: (em, countyId, treeSize) => checkpointNotes(em, countyId, treeSize),
          verifierKey: (countyCode) => checkpointVerifierKey(countyCode, key),
          sign: (countyCode, body) => signByCounty(countyCode, key, body),
        };
        return auditPackageCommand(ds, checkpoints, rest, env.COUNTY_CODE);
      });
    case 'verify-package':
      return verifyPackageCommand(rest);
    case 'sign-checkpoints':
      return withDataSource(async (ds, env, db) => {
        const key = await resolveAuditSigningKey(env, db.embedded);
        const signed = await signDueCheckpoints(ds, key, {
          force: rest.includes('--force'),
          events: env.AUDIT_CHECKPOINT_EVENTS,
          intervalMs: env.AUDIT_CHECKPOINT_INTERVAL_MS,
        });
        for (const c of signed) console.log(`county ${c.countyId}: checkpoint of ${c.treeSize} events`);
        if (signed.length === 0) console.log('no checkpoint was due');
        return 0;
      });
    case 'verifier-key':
      return withDatabase(async (db) => {
        const env = validateEnv(process.env);
        console.log(checkpointVerifierKey(env.COUNTY_CODE, await resolveAuditSigningKey(env, db.embedded)));
        return 0;
      });
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
