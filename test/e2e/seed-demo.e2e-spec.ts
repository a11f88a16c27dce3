import { Client } from 'pg';
import { verifyPassword } from '../../src/access/passwords';
import { seedDemo } from '../../src/cli/seed-demo';
import { TEST_JWT_SECRET, createTestDatabase } from '../support/app';

describe('seed-demo', () => {
  let db: { url: string; drop(): Promise<void> };
  let sql: Client;
  const env = { ...process.env };

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    delete process.env.ADMIN_USERNAME;
    delete process.env.ADMIN_PASSWORD;
  });
  afterAll(async () => {
    process.env = env;
    await sql.end();
    await db.drop();
  });

  it('creates 英山縣 with its townships and villages and one user per role, printing working credentials', async () => {
    const lines: string[] = [];
    await seedDemo(db.url, TEST_JWT_SECRET, (l) => lines.push(l));
    const { rows: units } = await sql.query(`SELECT level, count(*)::int AS n FROM org_units GROUP BY level ORDER BY level`);
    expect(units).toEqual([
      { level: 'county', n: 1 },
      { level: 'township', n: 11 },
      { level: 'village', n: 22 },
    ]);
    const { rows: users } = await sql.query(`SELECT username, roles, password_hash FROM users ORDER BY username`);
    expect(users.map((u) => u.username)).toHaveLength(9);
    expect(new Set(users.flatMap((u) => u.roles))).toEqual(
      new Set(['admin', 'county_finance', 'county_leader', 'line_department', 'township_finance', 'village', 'inspector', 'auditor']),
    );
    for (const u of users) {
      const printed = lines.find((l) => l.trim().startsWith(`${u.username} `));
      const password = /password (\S+)/.exec(printed!)![1];
      expect(await verifyPassword(u.password_hash, password)).toBe(true);
    }
  });

  it('runs again without creating anything twice', async () => {
    const lines: string[] = [];
    await seedDemo(db.url, TEST_JWT_SECRET, (l) => lines.push(l));
    expect(lines).toHaveLength(1);
    const { rows } = await sql.query(`SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM org_units)::int AS units`);
    expect(rows[0]).toEqual({ users: 9, units: 34 });
  });

  it('refuses a database that holds other data', async () => {
    await sql.query(`INSERT INTO ledger_accounts (county_id, code, name, book, type, normal_side, allow_negative)
                     SELECT id, 'bank:real', 'real', 'financial', 'asset', 'debit', false FROM counties LIMIT 1`);
    await expect(seedDemo(db.url, TEST_JWT_SECRET, () => undefined)).rejects.toThrow(/refuses this database: it holds ledger accounts/);
  });

  it('leaves a database of another application untouched', async () => {
    const other = await createTestDatabase();
    const c = new Client({ connectionString: other.url });
    await c.connect();
    try {
      await c.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public; CREATE TABLE invoices (id int)`);
      await expect(seedDemo(other.url, TEST_JWT_SECRET, () => undefined)).rejects.toThrow(/tables of another application/);
      const { rows } = await c.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
      expect(rows).toEqual([{ table_name: 'invoices' }]);
    } finally {
      await c.end();
      await other.drop();
    }
  });
});
