import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { createDataSource } from '../../src/database/data-source';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { applyServiceRole } from '../../src/database/service-role';
import { adminUrl, withDatabase } from '../support/urls';

/**
 * One PostgreSQL for the run: the server at DATABASE_URL, or an embedded one in a temporary directory when it is
 * unset. All migrations run once into a template database; each test file copies it (test/support/app.ts).
 * With TEST_SERVICE_ROLE=1 the template also gets the service's role (`create-service-role`), and the application
 * under test connects as that role while the tests' own connections stay the owner's (test/support/urls.ts).
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    const dataDir = await mkdtemp(join(tmpdir(), 'fund-ledger-test-'));
    const db = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'postgres' });
    (globalThis as { __embedded?: unknown }).__embedded = { stop: () => db.stop(), dataDir };
    process.env.TEST_ADMIN_URL = db.url;
    console.log(`\nDATABASE_URL is not set: tests run on an embedded PostgreSQL in ${dataDir}`);
  } else {
    process.env.TEST_ADMIN_URL = process.env.DATABASE_URL;
    console.log(`\ntests run on the PostgreSQL at DATABASE_URL`);
  }
  const template = `fund_ledger_test_template_${process.pid}`;
  process.env.TEST_TEMPLATE_DB = template;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const ds = await createDataSource(withDatabase(adminUrl(), template), 2).initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    // The tests move the service's clock past the real date; the database's publicity gates follow it only when allowed.
    await ds.query(`INSERT INTO clock_travel (allowed) VALUES (true)`);
  } finally {
    await ds.destroy();
  }
  if (process.env.TEST_SERVICE_ROLE === '1') {
    // Roles belong to the whole server: one per run, so parallel runs do not share or drop each other's.
    const role = `fund_ledger_test_service_${process.pid}`;
    const password = randomBytes(18).toString('base64url');
    await applyServiceRole(withDatabase(adminUrl(), template), role, password);
    process.env.TEST_SERVICE_USER = role;
    process.env.TEST_SERVICE_PASSWORD = password;
    console.log(`the application under test connects as ${role}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
