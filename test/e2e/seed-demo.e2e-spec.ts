import { Client } from 'pg';
import { verifyPassword } from '../../src/access/passwords';
import { verifyEvents } from '../../src/audit/audit-verifier';
import { seedDemo } from '../../src/cli/seed-demo';
import { systemActor } from '../../src/common/context';
import { createDataSource } from '../../src/database/data-source';
import { LedgerReadingService } from '../../src/ledger/ledger-reading.service';
import { ReportsService } from '../../src/reports/reports.service';
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

  it("funds 68 library projects in 15 key villages with the source document's totals, all from the ledger", async () => {
    const ds = await createDataSource(db.url, 2).initialize();
    try {
      const [county] = await ds.query(`SELECT id, code FROM counties`);
      const reports = new ReportsService(ds, new LedgerReadingService(ds));
      const rows = await reports.county({ ...systemActor(county), roles: ['auditor'] }, 2026);
      expect(rows.map((r) => [r.fundType, r.received, r.allocated, r.available])).toEqual([
        ['以工代賑', '6080000.00', '6080000.00', '0.00'],
        ['少數民族發展資金', '300000.00', '0.00', '300000.00'],
        ['整合涉農資金', '2424000.00', '2424000.00', '0.00'],
        ['財政專項扶貧資金', '13210000.00', '13210000.00', '0.00'],
      ]);
      const byCategory = await ds.query(
        `SELECT CASE WHEN p.category IN ('social_services', 'training') THEN 'social/training' ELSE p.category END AS kind,
                count(DISTINCT p.id)::int AS projects, sum(b.amount)::text AS total
           FROM projects p JOIN budget_lines b ON b.project_id = p.id AND b.state = 'posted' GROUP BY 1 ORDER BY 1`,
      );
      expect(byCategory).toEqual([
        { kind: 'industry', projects: 25, total: '6500000.00' },
        { kind: 'infrastructure', projects: 28, total: '10800000.00' },
        { kind: 'social/training', projects: 15, total: '4414000.00' },
      ]);
      const [{ villages, planned }] = await ds.query(
        `SELECT count(DISTINCT village_id)::int AS villages, count(*) FILTER (WHERE state = 'planned')::int AS planned FROM projects`,
      );
      expect({ villages, planned }).toEqual({ villages: 15, planned: 68 });
      // What left the dedicated account is the demo's one paid claim, net of its retention.
      const [bank] = await ds.query(
        `SELECT a.balance::text, (SELECT sum(net)::text FROM contract_payments) AS net, (22014000.00 - a.balance)::text AS out FROM ledger_accounts a WHERE a.code = 'bank:DEMO1'`,
      );
      expect(bank.out).toBe(bank.net);
    } finally {
      await ds.destroy();
    }
  });

  it('has a road contract with one claim paid through every step and one waiting for the township', async () => {
    const { rows: claims } = await sql.query(
      `SELECT k.state, k.amount::text, p.amount::text AS paid, p.retention::text, (SELECT array_agg(s.step ORDER BY s.id) FROM claim_steps s WHERE s.claim_id = k.id) AS steps
         FROM claims k LEFT JOIN contract_payments p ON p.id = k.payment_id ORDER BY k.id`,
    );
    expect(claims.map((k) => k.state)).toEqual(['paid', 'submitted']);
    expect(claims[0].steps).toEqual(['draft', 'submit', 'township_review', 'line_review', 'approve', 'pay']);
    expect(claims[0].paid).toBe(claims[0].amount);
    const ds = await createDataSource(db.url, 2).initialize();
    try {
      // Every claim agrees with the ledger: the waiting one holds nothing yet, the paid one holds nothing any more.
      const [{ held }] = await ds.query(`SELECT coalesce(sum(balance), 0)::text AS held FROM ledger_accounts WHERE code LIKE 'quota:held:%'`);
      expect(held).toBe('0.00');
      // The demo's scans and its published notices' PDFs each match the event that recorded them.
      const report = await verifyEvents(ds);
      expect(report.ok).toBe(true);
      expect(report.files).toMatchObject({ claim_attachment: '10', notice_pdf: '3', notice_evidence: '0', alert_evidence: '0' });
    } finally {
      await ds.destroy();
    }
  });

  it('leaves open alerts of several detectors for the monitoring page', async () => {
    const { rows } = await sql.query(
      `SELECT detector_id, severity, count(*)::int AS n FROM monitoring_alerts WHERE state = 'open' GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const detectors = rows.map((r) => r.detector_id as string);
    // An idle allocation, a related-party payee, a contractor's roads splitting a tender in one township, 15% retention on construction.
    expect(detectors).toEqual(expect.arrayContaining(['M01', 'M11', 'M15', 'M18']));
    expect(rows.find((r) => r.detector_id === 'M15')).toMatchObject({ severity: 'red' });
    const { rows: runs } = await sql.query(`SELECT trigger, state FROM monitoring_runs WHERE trigger = 'demand'`);
    expect(runs).toEqual([{ trigger: 'demand', state: 'finished' }]);
  });

  it('runs again without creating anything twice', async () => {
    const lines: string[] = [];
    await seedDemo(db.url, TEST_JWT_SECRET, (l) => lines.push(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^demo county 英山縣/);
    const { rows } = await sql.query(
      `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM org_units)::int AS units,
              (SELECT count(*) FROM projects)::int AS projects, (SELECT count(*) FROM fund_allocations)::int AS allocations`,
    );
    expect(rows[0]).toEqual({ users: 9, units: 34, projects: 68, allocations: 4 });
    const { rows: claims } = await sql.query(`SELECT count(*)::int AS n FROM claims`);
    expect(claims[0].n).toBe(2);
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
