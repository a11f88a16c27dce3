import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types';
import { createApp } from '../../src/app';
import { createDataSource } from '../../src/database/data-source';
import { SchemaBehindError, migrateAtStart } from '../../src/database/migrate-at-start';
import { MIGRATIONS } from '../../src/database/migrations';
import { applyServiceRole } from '../../src/database/service-role';
import { TEST_JWT_SECRET, createTestDatabase } from '../support/app';
import { adminUrl } from '../support/urls';

/** The role `create-service-role` makes: what it may do, what the database refuses it, and the service running as it. */
describe('the service role', () => {
  const role = `fund_ledger_spec_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  let db: { url: string; drop(): Promise<void> };
  let owner: Client;
  let asRole: Client;
  let roleUrl: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const report = await applyServiceRole(db.url, role, password);
    expect(report).toMatchObject({ created: true, generatedPassword: undefined });
    const u = new URL(db.url);
    u.username = role;
    u.password = password;
    roleUrl = u.toString();
    owner = new Client({ connectionString: db.url });
    asRole = new Client({ connectionString: roleUrl });
    await owner.connect();
    await asRole.connect();
  });
  afterAll(async () => {
    await asRole?.end();
    await owner?.end();
    await db.drop();
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${role}`).finally(() => admin.end());
  });

  async function refused(sql: string): Promise<string | undefined> {
    await asRole.query('BEGIN');
    try {
      await asRole.query(sql);
      return undefined;
    } catch (err) {
      return (err as { code: string }).code;
    } finally {
      await asRole.query('ROLLBACK');
    }
  }

  it('logs in, is no superuser, owns nothing and cannot become the owner', async () => {
    const { rows } = await owner.query(
      `SELECT r.rolcanlogin, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb,
              (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) AS owned,
              pg_has_role(r.rolname, current_user, 'MEMBER') AS owner_member
         FROM pg_roles r WHERE r.rolname = $1`,
      [role],
    );
    expect(rows).toEqual([{ rolcanlogin: true, rolsuper: false, rolinherit: false, rolcreaterole: false, rolcreatedb: false, owned: 0, owner_member: false }]);
    expect((await asRole.query(`SELECT current_user AS me`)).rows[0].me).toBe(role);
  });

  it('holds no UPDATE, DELETE or TRUNCATE on any append-only table, and no DELETE but on claim invoices and a draft notice’s subjects', async () => {
    // Append-only as the schema says it: a refuse_change trigger on UPDATE or DELETE, plus what only sealing moves.
    const { rows: guarded } = await owner.query(
      `SELECT c.relname AS table, bool_or(t.tgtype & 16 > 0) AS no_update, bool_or(t.tgtype & 8 > 0) AS no_delete
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
        WHERE p.proname = 'refuse_change' AND t.tgtype & 1 > 0 GROUP BY c.relname`,
    );
    expect(guarded.map((g) => g.table)).toEqual(
      expect.arrayContaining(['ledger_transactions', 'ledger_lines', 'audit_events', 'claim_steps', 'claim_versions']),
    );
    const { rows } = await owner.query(
      `SELECT c.relname AS table, has_any_column_privilege($1, c.oid, 'UPDATE') AS update, has_table_privilege($1, c.oid, 'DELETE') AS delete,
              has_table_privilege($1, c.oid, 'TRUNCATE') AS truncate, has_table_privilege($1, c.oid, 'TRIGGER') AS trigger,
              has_table_privilege($1, c.oid, 'REFERENCES') AS references, has_table_privilege($1, c.oid, 'SELECT') AS select
         FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' ORDER BY 1`,
      [role],
    );
    const appendOnly = new Set([...guarded.filter((g) => g.no_update).map((g) => g.table), 'audit_events', 'audit_chain_heads', 'ledger_accounts', 'counties']);
    const noDelete = new Set(guarded.filter((g) => g.no_delete).map((g) => g.table));
    for (const r of rows) {
      expect({ table: r.table, select: r.select, truncate: r.truncate, trigger: r.trigger, references: r.references }).toEqual({
        table: r.table,
        select: true,
        truncate: false,
        trigger: false,
        references: false,
      });
      if (appendOnly.has(r.table)) expect({ table: r.table, update: r.update }).toEqual({ table: r.table, update: false });
      if (noDelete.has(r.table)) expect({ table: r.table, delete: r.delete }).toEqual({ table: r.table, delete: false });
    }
    expect(rows.filter((r) => r.delete).map((r) => r.table)).toEqual(['claim_invoices', 'notice_allocations', 'notice_projects']);
  });

  it('is refused rewriting history, moving a balance or the chain by hand, and changing the schema', async () => {
    const attempts = [
      `UPDATE ledger_accounts SET balance = balance + 1`,
      `UPDATE ledger_accounts SET name = 'renamed'`,
      `UPDATE audit_events SET seq = NULL`,
      `UPDATE audit_chain_heads SET seq = seq + 1`,
      `DELETE FROM ledger_lines`,
      `DELETE FROM audit_events`,
      `TRUNCATE claim_steps`,
      `UPDATE claim_steps SET note = 'x'`,
      `CREATE TABLE stray (id int)`,
      `ALTER TABLE ledger_lines DISABLE TRIGGER USER`,
      `DROP TRIGGER ledger_lines_apply ON ledger_lines`,
      `SET session_replication_role = replica`,
    ];
    const codes: Record<string, string | undefined> = {};
    for (const sql of attempts) codes[sql] = await refused(sql);
    expect(codes).toEqual(Object.fromEntries(attempts.map((sql) => [sql, '42501'])));
    // What it is given works: sealing, through the one function that may do it.
    expect((await asRole.query(`SELECT audit_seal(1, 10) AS sealed`)).rows[0].sealed).toBe(0);
  });

  it('finds only the schema’s own tables inside every function, whatever the caller’s search path', async () => {
    const { rows } = await owner.query(
      `SELECT p.oid::regprocedure::text AS fn FROM pg_proc p
        WHERE p.pronamespace = current_schema()::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
          AND NOT (coalesce(p.proconfig, '{}') @> ARRAY[format('search_path=%I, pg_temp', current_schema())])`,
    );
    expect(rows).toEqual([]);
  });

  it('runs again to exactly the same grants, revoking what was added by hand, keeping the password', async () => {
    await owner.query(`GRANT DELETE ON ledger_lines TO ${role}; GRANT UPDATE ON audit_events TO ${role}; GRANT TRUNCATE ON users TO ${role}`);
    const report = await applyServiceRole(db.url, role);
    expect(report).toMatchObject({ created: false, generatedPassword: undefined });
    const { rows } = await owner.query(
      `SELECT has_table_privilege($1, 'ledger_lines', 'DELETE') AS d, has_any_column_privilege($1, 'audit_events', 'UPDATE') AS u,
              has_table_privilege($1, 'users', 'TRUNCATE') AS t`,
      [role],
    );
    expect(rows[0]).toEqual({ d: false, u: false, t: false });
    const again = new Client({ connectionString: roleUrl });
    await again.connect();
    await again.end();
  });

  it('refuses a table nobody declared, the owner itself, and a name that is no plain identifier', async () => {
    await owner.query(`CREATE TABLE stray (id int)`);
    try {
      await expect(applyServiceRole(db.url, role)).rejects.toThrow(/stray not in SERVICE_TABLES/);
    } finally {
      await owner.query(`DROP TABLE stray`);
    }
    const { rows } = await owner.query(`SELECT current_user AS me`);
    await expect(applyServiceRole(db.url, rows[0].me)).rejects.toThrow(/role running this command/);
    await expect(applyServiceRole(db.url, 'app; DROP TABLE users')).rejects.toThrow(/role name/);
  });

  it('the service starts as the role on a current schema and runs a county’s first start', async () => {
    const app = await createApp({ databaseUrl: roleUrl, jwtSecret: TEST_JWT_SECRET, logLevel: false, poolSize: 2 });
    try {
      await app.init();
      const res = await request(app.getHttpServer() as App)
        .get('/health')
        .expect(200);
      expect(res.body.database).toEqual({ status: 'up', migrations: 'current' });
      const { rows } = await owner.query(`SELECT (SELECT count(*)::int FROM counties) AS counties, (SELECT count(*)::int FROM users) AS users`);
      expect(rows[0]).toEqual({ counties: 1, users: 1 });
    } finally {
      await app.close();
    }
  });

  it('start-up refuses, naming the pending migration, when the schema is behind and the role cannot migrate it', async () => {
    const last = MIGRATIONS[MIGRATIONS.length - 1].name;
    await owner.query(`DELETE FROM schema_migrations WHERE name = $1`, [last]);
    const ds = await createDataSource(roleUrl, 1).initialize();
    try {
      const refusal = migrateAtStart(ds);
      await expect(refusal).rejects.toThrow(SchemaBehindError);
      await expect(refusal).rejects.toThrow(new RegExp(`pending: ${last}\\).*migration:run`));
    } finally {
      await ds.destroy();
    }
  });
});
