import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { OrgLevel, ROLE_LEVEL, Role } from '../../src/access/domain/roles';
import { CreateAppOptions, createApp } from '../../src/app';
import { AuditSealer } from '../../src/audit/audit-sealer';
import { Clock } from '../../src/common/clock';
import { createDataSource } from '../../src/database/data-source';
import { adminUrl, serviceUrl, templateDatabase, withDatabase } from '../support/urls';

export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123';
export const ADMIN = { username: 'admin', password: 'admin-password-for-tests' };
export const PASSWORD = 'a-password-for-tests';
/** The base64 of a 32-byte Ed25519 seed: the key the application under test signs audit checkpoints with. */
export const TEST_AUDIT_SIGNING_KEY = Buffer.alloc(32, 7).toString('base64');
process.env.AUDIT_SIGNING_KEY = TEST_AUDIT_SIGNING_KEY;
process.env.ADMIN_USERNAME = ADMIN.username;
process.env.ADMIN_PASSWORD = ADMIN.password;
process.env.PASSWORD_HASH_COST = '10';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** Requests made as one person: each carries their bearer token. */
export type As = Record<Method, (url: string) => request.Test>;

export interface TestApp {
  app: INestApplication;
  http: App;
  /**
   * The test's own connection, as the database's owner: to read what the service wrote and to attack the schema
   * past it. The application's own pool is `app.get(DataSource)`: the same one unless the run has a service role.
   */
  ds: DataSource;
  /** The test database, as its owner. */
  url: string;
  api: () => ReturnType<typeof request>;
  /**
   * Requests as `username`, created on first use with `roles` in `orgUnitId` (default: a unit of the level the first
   * role is held at — the county unit, or a township and village made for the purpose).
   */
  as(username: string, roles?: Role[], orgUnitId?: number): Promise<As>;
  token(username: string, password?: string): Promise<string>;
  /** Seals every committed audit event now instead of waiting for the sealer's next rounds. */
  seal(): Promise<number>;
  /** The service's clock: `t.clock.travelTo('2027-03-01')` moves "today" for every rule with a period. */
  clock: Clock;
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

/** The service as it runs (AppModule, global guard, pipe and filter), on a fresh database, over real HTTP. */
export async function startTestApp(
  options: {
    poolSize?: number;
    http?: CreateAppOptions['http'];
    logger?: CreateAppOptions['logger'];
    monitorSteps?: boolean;
    /** Fills the fresh database (as its owner) before the service starts on it: the demo county, say. */
    prepare?: (url: string) => Promise<void>;
  } = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  await options.prepare?.(db.url);
  // Detectors run after workflow steps in the background: only the tests that look for them turn them on, so no
  // other test sees alerts and events appear on their own. The daily schedule never runs in a test.
  process.env.MONITORING_AFTER_STEPS = options.monitorSteps ? 'on' : 'off';
  process.env.MONITORING_INTERVAL_MS = '0';
  // Checkpoints are signed by the sealer after AUDIT_CHECKPOINT_EVENTS events and at shutdown, never by the clock, so
  // no test sees one appear while it counts rows.
  process.env.AUDIT_CHECKPOINT_INTERVAL_MS = '0';
  const databaseUrl = serviceUrl(db.url);
  const app = await createApp({
    databaseUrl,
    jwtSecret: TEST_JWT_SECRET,
    logLevel: process.env.TEST_LOG_LEVEL ? (process.env.TEST_LOG_LEVEL as 'error') : false,
    logger: options.logger,
    poolSize: options.poolSize ?? 20,
    http: options.http,
  });
  await app.init();
  const appDs = app.get(DataSource);
  const ownerDs = databaseUrl === db.url ? appDs : await createDataSource(db.url, 4).initialize();
  await app.listen(0, '127.0.0.1');
  const http = app.getHttpServer() as App;
  const api = () => request(http);
  const tokens = new Map<string, string>();
  const defaultUnits = new Map<OrgLevel, number>();

  const token = async (username: string, password = username === ADMIN.username ? ADMIN.password : PASSWORD) => {
    const cached = tokens.get(username);
    if (cached) return cached;
    const res = await api().post('/api/v1/auth/login').send({ username, password });
    if (res.status !== 200) throw new Error(`login of ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    tokens.set(username, res.body.accessToken);
    return res.body.accessToken as string;
  };
  const withToken = (bearer: string): As => {
    const make = (m: Method) => (url: string) => api()[m](url).set('Authorization', `Bearer ${bearer}`);
    return { get: make('get'), post: make('post'), put: make('put'), patch: make('patch'), delete: make('delete') };
  };

  const t: TestApp = {
    app,
    http,
    ds: ownerDs,
    url: db.url,
    api,
    token,
    async as(username, roles, orgUnitId) {
      if (!tokens.has(username) && username !== ADMIN.username) {
        const adminApi = withToken(await token(ADMIN.username));
        // A role is held only at its level of unit (roleUnitProblem).
        const unitAt = async (level: OrgLevel): Promise<number> => {
          const known = defaultUnits.get(level);
          if (known) return known;
          let id: number;
          if (level === 'county') {
            id = (await adminApi.get('/api/v1/org-units?limit=1').expect(200)).body[0].id;
          } else {
            const parentId = await unitAt(level === 'village' ? 'township' : 'county');
            id = (
              await adminApi
                .post('/api/v1/org-units')
                .send({ parentId, code: `test-${level}`, name: `test ${level}` })
                .expect(201)
            ).body.id;
          }
          defaultUnits.set(level, id);
          return id;
        };
        const res = await adminApi.post('/api/v1/admin/users').send({
          username,
          displayName: username,
          password: PASSWORD,
          orgUnitId: orgUnitId ?? (await unitAt(ROLE_LEVEL[(roles ?? ['county_finance'])[0]])),
          roles: roles ?? ['county_finance'],
        });
        if (res.status !== 201 && res.body.code !== 'DUPLICATE_USER') {
          throw new Error(`creating ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
      return withToken(await token(username));
    },
    // A sealing round may already be running from before the caller's events committed, and sealing waits for the
    // oldest running writer of the whole server (other test files'): repeat until nothing is left unsealed.
    async seal() {
      let sealed = 0;
      for (const started = Date.now(); Date.now() - started < 10_000; await new Promise((r) => setTimeout(r, 20))) {
        sealed += await app.get(AuditSealer).sealAll();
        const [{ unsealed }] = await app.get(DataSource).query(`SELECT count(*)::int AS unsealed FROM audit_events WHERE seq IS NULL`);
        if (unsealed === 0) return sealed;
      }
      throw new Error('audit events stayed unsealed for 10 s');
    },
    clock: app.get(Clock),
    close: async () => {
      await app.close();
      if (ownerDs !== appDs) await ownerDs.destroy();
      await db.drop();
    },
  };
  return t;
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
export async function counts(ds: DataSource): Promise<Record<string, number>> {
  const [row] = await ds.query(
    `SELECT (SELECT count(*) FROM ledger_transactions)::int AS transactions, (SELECT count(*) FROM ledger_lines)::int AS lines,
            (SELECT count(*) FROM audit_events)::int AS events, (SELECT count(*) FROM ledger_accounts)::int AS accounts,
            (SELECT count(*) FROM ledger_vouchers)::int AS vouchers, (SELECT count(*) FROM users)::int AS users,
            (SELECT count(*) FROM org_units)::int AS org_units`,
  );
  return row;
}
