import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app';
import { AuditSealer } from '../../src/audit/audit-sealer';
import { adminUrl, templateDatabase, withDatabase } from '../support/urls';

export interface TestApp {
  app: INestApplication;
  http: App;
  ds: DataSource;
  url: string;
  api: () => ReturnType<typeof request>;
  /** Seals the committed audit events now instead of waiting for the sealer's next round. */
  seal(): Promise<number>;
  close(): Promise<void>;
}

/** A database of its own, copied from the migrated template, so a test file's counts are its own. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `fund_ledger_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${templateDatabase()}`));
  return {
    url: withDatabase(adminUrl(), name),
    drop: async () => {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** The service as it runs (AppModule, global pipe and filter), on a fresh database, served over real HTTP. */
export async function startTestApp(options: { poolSize?: number } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const app = await createApp({ databaseUrl: db.url, logLevel: false, poolSize: options.poolSize ?? 20, bodyLimitBytes: 1_048_576 });
  await app.init();
  await app.listen(0, '127.0.0.1');
  const http = app.getHttpServer() as App;
  return {
    app,
    http,
    ds: app.get(DataSource),
    url: db.url,
    api: () => request(http),
    seal: () => app.get(AuditSealer).sealAll(),
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

async function admin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Row counts of the tables a refused request must leave untouched. */
export async function counts(ds: DataSource): Promise<{ transactions: number; lines: number; events: number; accounts: number }> {
  const [row] = await ds.query(
    `SELECT (SELECT count(*) FROM ledger_transactions)::int AS transactions, (SELECT count(*) FROM ledger_lines)::int AS lines,
            (SELECT count(*) FROM audit_events)::int AS events, (SELECT count(*) FROM ledger_accounts)::int AS accounts`,
  );
  return row;
}
