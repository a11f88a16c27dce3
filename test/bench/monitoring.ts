import { INestApplication } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { createApp } from '../../src/app';
import { CalendarService } from '../../src/calendar/calendar.service';
import { Clock } from '../../src/common/clock';
import { chinaDate } from '../../src/common/dates';
import { CountyService } from '../../src/county/county.service';
import { createDataSource } from '../../src/database/data-source';
import { LedgerReadingService } from '../../src/ledger/ledger-reading.service';
import { Detector, Finding } from '../../src/monitoring/domain/detector';
import { DETECTORS } from '../../src/monitoring/detectors';
import { MonitoringRunner } from '../../src/monitoring/monitoring-runner';
import { PoliciesService } from '../../src/policies/policies.service';

/** How big a county to generate. */
export interface MonitoringSize {
  /** Ledger lines of the county: at least this many (workflow postings, then progress payments and the county's own books). */
  lines: number;
  projects: number;
  claims: number;
  /** Invoices claimed (rows of claim_invoices). */
  invoices: number;
}

export interface GenerateOptions extends MonitoringSize {
  /** The day the county is generated up to, YYYY-MM-DD: history covers the three years before it. Default: today in China. */
  today?: string;
  /** The county's code: the service's COUNTY_CODE, so the service runs this county. */
  code?: string;
  name?: string;
  /** Progress, one line at a time. */
  log?: (line: string) => void;
}

export interface GeneratedCounty {
  countyId: number;
  code: string;
  /** Rows per table of the county. */
  rows: Record<string, number>;
}

export interface Generated {
  /** The county the service runs, then the neighbouring one that shares invoices with it. */
  counties: GeneratedCounty[];
  today: string;
  seconds: number;
  /** Seconds per step of the generation, in order. */
  steps: [string, number][];
}

/** History length: day 0 is three years before today, day HISTORY is today. */
const HISTORY = 1095;
const LAST = HISTORY - 1;
const DEDICATED = 4;
/** The county's own books (manual accounts) that the filler posts to. */
const BOOKS_ACCOUNTS = 200;
/**
 * Ledger transactions per database transaction when posting, and per INSERT of lines. Tried from 100 to 2,000 per
 * statement: the line trigger and the closing-balance trigger cost about the same per line either way; a batch bounds
 * how many versions of one account row (a bank account's) a transaction piles up.
 */
const TX_PER_COMMIT = 1000;
const TX_PER_STATEMENT = 250;
const CLAIMS_IN_PLAY = `('submitted', 'township_reviewed', 'line_reviewed', 'approved', 'paid')`;

/**
 * Fills a fresh, migrated database with a poverty-fund county for the monitoring detectors, deterministically (the same
 * options give the same rows, ids and amounts on the same server version), in set-based SQL as the database's owner.
 *
 * What it writes, over three years up to `today` (day 0 … 1095): org units (townships, villages of about 16 projects),
 * users for every role, policy changes (retention 3%, a 365-day defect period, a spending schedule), four dedicated
 * accounts, allocations received at regular dates (some idle, some restricted to industry), projects in every state with
 * their transitions, notices where a gate needs one (library, plan, completion, most allocations), budget lines,
 * contracts (signed, some drafts; some tendered), acceptances with sign-offs, claims in every state with their steps,
 * versions and invoices, contract payments (from claims, and progress payments that make up the line count), retention
 * released or forfeited, and the county's own manual books. Every ledger posting goes through the ledger's triggers in
 * date order (balances, line numbers, closing balances, the balance and audit-event checks at commit), each with its
 * audit event, and the events are sealed at the end; the rows the deferred checks ask for (a payment's contract_payments
 * row, a retention movement) are written in the same database transaction as their posting.
 *
 * Planted for the detectors: idle allocations and budgets (M01, M02), a spending schedule behind (M03), claims approved
 * long ago and unpaid (M04), retention held past its defect period (M05), a deposit by hand reversed out of a dedicated
 * account (M06; a reversed receipt beside it that is not a finding), register entries matching payees (M07 `self`, M15
 * relatives; a removed one that must not match), negative-list and management expense lines (M08, M10), spending outside
 * an allocation's permitted categories (M09), one payee's contracts under the tender threshold (M11), claims just under
 * the leader threshold (M12), invoices claimed in a neighbouring county too (M13), the same claim twice (M14), plan
 * notices with an objection upheld after payment (M16), projects reviewed long ago with no library notice and
 * allocations with no allocation notice (M17), retention rates above 3% on construction contracts (M18).
 *
 * A second, smaller county (code `<code>N`) is generated after the first, sharing some invoices with it.
 */
export async function generateMonitoringCounty(url: string, options: GenerateOptions): Promise<Generated> {
  const log = options.log ?? (() => undefined);
  const today = options.today ?? chinaDate(new Date());
  const code = options.code ?? process.env.COUNTY_CODE ?? '421124';
  const started = performance.now();
  const steps: [string, number][] = [];
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`SET work_mem = '64MB'`);
    await helpers(c);
    const main = await fillCounty(c, { ...options, code, name: options.name ?? '英山縣', today, serialBase: 10_000_000, log, steps });
    const neighbour = await fillCounty(c, {
      lines: 0,
      projects: Math.max(20, Math.round(options.projects / 50)),
      claims: Math.max(60, Math.round(options.claims / 50)),
      invoices: Math.max(300, Math.round(options.invoices / 50)),
      code: `${code}N`,
      name: '羅田縣',
      today,
      serialBase: 20_000_000,
      sharesInvoicesWith: { countyId: main.countyId, count: Math.max(5, Math.round(options.invoices / 2000)) },
      log,
      steps,
    });
    await timed(steps, log, 'check ledger', async () => {
      for (const county of [main, neighbour]) await checkLedger(c, county.countyId);
    });
    await timed(steps, log, 'seal audit events', async () => {
      for (const county of [main, neighbour]) {
        for (;;) {
          const { rows } = await c.query<{ sealed: number }>(`SELECT audit_seal($1, 5000) AS sealed`, [county.countyId]);
          if (rows[0].sealed < 5000) break;
        }
      }
    });
    // What autovacuum would reach: the kept balances left dead row versions behind, and the planner wants statistics.
    await timed(steps, log, 'vacuum analyze', () => c.query('VACUUM ANALYZE'));
    for (const county of [main, neighbour]) county.rows = await rowCounts(c, county.countyId);
    return { counties: [main, neighbour], today, seconds: (performance.now() - started) / 1000, steps };
  } finally {
    await c.end();
  }
}

interface FillOptions extends MonitoringSize {
  code: string;
  name: string;
  today: string;
  /** Invoice numbers start after this: the counties' own invoices never collide. */
  serialBase: number;
  /** Copy the keys of this many in-play invoices of that county onto in-play invoices of this one (M13). */
  sharesInvoicesWith?: { countyId: number; count: number };
  log: (line: string) => void;
  steps: [string, number][];
}

async function timed<T>(steps: [string, number][], log: (line: string) => void, name: string, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await work();
  const seconds = (performance.now() - t0) / 1000;
  steps.push([name, seconds]);
  log(`  ${name}: ${seconds.toFixed(1)} s`);
  return result;
}

/** Session functions: a deterministic hash and the check characters of the national identifiers. */
async function helpers(c: Client): Promise<void> {
  await c.query(`CREATE FUNCTION pg_temp.rnd(a bigint, salt int) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT ('x' || substr(md5(a::text || ':' || salt::text), 1, 8))::bit(32)::bigint $$`);
  await c.query(`CREATE FUNCTION pg_temp.uscc(f text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT f || substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
             ((31 - sum((strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(f, i::int, 1)) - 1) * w) % 31) % 31)::int + 1, 1)
      FROM unnest(ARRAY[1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28]) WITH ORDINALITY AS t(w, i) $$`);
  await c.query(`CREATE FUNCTION pg_temp.idno(f text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT f || substr('10X98765432', (sum(substr(f, i::int, 1)::int * w) % 11)::int + 1, 1)
      FROM unnest(ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]) WITH ORDINALITY AS t(w, i) $$`);
  await c.query(`CREATE FUNCTION pg_temp.money(x numeric) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT round(x, 2)::numeric(20,2)::text $$`);
}

/** Id of the next row of a table: plan rows take explicit ids from here, so codes can name them before they exist. */
async function nextId(c: Client, table: string): Promise<number> {
  const { rows } = await c.query<{ id: number }>(`SELECT coalesce(max(id), 0)::int AS id FROM ${table}`);
  return rows[0].id;
}

async function one<T>(c: Client, sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await c.query(sql, params);
  return rows[0] as T;
}

/**
 * One county, as described on `generateMonitoringCounty`. Plan tables (temporary) hold every row to write with its
 * dates as day numbers; the database rows follow from them.
 */
async function fillCounty(c: Client, o: FillOptions): Promise<GeneratedCounty> {
  const { log, steps } = o;
  const step = <T>(name: string, work: () => Promise<T>) => timed(steps, log, `${o.code} ${name}`, work);
  log(`county ${o.code}: ${o.projects} projects, ${o.claims} claims, ${o.invoices} invoices, at least ${o.lines} ledger lines, up to ${o.today}`);
  const start = await one<{ d: string }>(c, `SELECT ($1::date - ${HISTORY})::text AS d`, [o.today]);
  const S = `'${start.d}'::date`;
  /** The timestamp at a day's hour, China time. */
  const at = (day: string, hour = 10) => `((${S} + (${day}))::timestamp + interval '${hour} hours') AT TIME ZONE 'Asia/Shanghai'`;
  const county = await one<{ id: number }>(c, `INSERT INTO counties (code, name) VALUES ($1, $2) RETURNING id`, [o.code, o.name]);
  const cid = county.id;
  const lc = o.code.toLowerCase();

  for (const t of [
    'g_alloc',
    'g_proj',
    'g_con',
    'g_claim',
    'g_inv',
    'g_payee',
    'g_bl',
    'g_tx',
    'g_line',
    'g_lines',
    'g_acct',
    'g_unit',
    'g_dpay',
    'g_notice',
  ]) {
    await c.query(`DROP TABLE IF EXISTS pg_temp.${t}`);
  }

  // Org units and users: the county, townships of 15 villages, a village for about 16 projects.
  const villages = Math.max(4, Math.ceil(o.projects / 16));
  const townships = Math.max(2, Math.ceil(villages / 15));
  const users = await step('org units, users, policy', async () => {
    const root = await one<{ id: number }>(
      c,
      `INSERT INTO org_units (county_id, parent_id, level, code, name, path) VALUES ($1, NULL, 'county', $2, $3, '') RETURNING id`,
      [cid, o.code, o.name],
    );
    await c.query(
      `INSERT INTO org_units (county_id, parent_id, level, code, name, path)
       SELECT $1, $2, 'township', $3 || '-T' || lpad(t::text, 3, '0'), '第' || t || '鄉鎮', '' FROM generate_series(1, ${townships}) t ORDER BY t`,
      [cid, root.id, o.code],
    );
    await c.query(
      `INSERT INTO org_units (county_id, parent_id, level, code, name, path)
       SELECT $1, tw.id, 'village', $2 || '-V' || lpad(v::text, 4, '0'), '第' || v || '村', ''
         FROM generate_series(1, ${villages}) v JOIN org_units tw ON tw.county_id = $1 AND tw.code = $2 || '-T' || lpad((((v - 1) % ${townships}) + 1)::text, 3, '0')
        ORDER BY v`,
      [cid, o.code],
    );
    await c.query(
      `CREATE TEMP TABLE g_unit AS
       SELECT substr(u.code, length($2) + 3)::int AS n, u.id, u.level, u.parent_id FROM org_units u WHERE u.county_id = $1 AND u.level <> 'county'`,
      [cid, o.code],
    );
    const county = [
      ['finance-1', '{county_finance}'],
      ['finance-2', '{county_finance}'],
      ['leader', '{county_leader}'],
      ['line', '{line_department}'],
      ['inspector-1', '{inspector}'],
      ['inspector-2', '{inspector}'],
    ];
    const ids: Record<string, number> = {};
    for (const [name, roles] of county) {
      const u = await one<{ id: number }>(
        c,
        `INSERT INTO users (county_id, org_unit_id, username, display_name, password_hash, roles) VALUES ($1, $2, $3, $4, '!', $5) RETURNING id`,
        [cid, root.id, `${lc}-${name}`, name, roles],
      );
      ids[name] = u.id;
    }
    // One finance user per township and one user per village: reviews and drafts are theirs.
    await c.query(
      `INSERT INTO users (county_id, org_unit_id, username, display_name, password_hash, roles)
       SELECT $1, id, $2 || '-' || level || '-' || n, level || ' ' || n, '!', CASE level WHEN 'township' THEN '{township_finance}'::varchar[] ELSE '{village}'::varchar[] END
         FROM g_unit ORDER BY level, n`,
      [cid, lc],
    );
    await c.query(`ALTER TABLE g_unit ADD user_id int`);
    await c.query(`UPDATE g_unit g SET user_id = u.id FROM users u WHERE u.county_id = $1 AND u.username = $2 || '-' || g.level || '-' || g.n`, [cid, lc]);
    await c.query(
      `INSERT INTO policy_changes (county_id, key, value, effective_from, reason, state, proposed_by)
       SELECT $1, k, v, ${S} - 30, '縣扶貧開發領導小組決定', 'proposed', $2
         FROM (VALUES ('retention_rate', '0.03'), ('retention_defect_days', '365'), ('spending_schedule', '06:0.40,09:0.70,11:0.90')) x(k, v)`,
      [cid, ids['finance-1']],
    );
    await c.query(`UPDATE policy_changes SET state = 'approved', approved_by = $2, approved_at = ${at('-30')} WHERE county_id = $1 AND state = 'proposed'`, [
      cid,
      ids['finance-2'],
    ]);
    return ids;
  });
  const [f1, f2, leader, line, insp1, insp2] = ['finance-1', 'finance-2', 'leader', 'line', 'inspector-1', 'inspector-2'].map((k) => users[k]);

  // Dedicated accounts, each with its bank account in the ledger.
  const baseD = await nextId(c, 'dedicated_accounts');
  await c.query(
    `INSERT INTO ledger_accounts (county_id, code, name, book, type, normal_side, allow_negative, restricted_outflow, kind, dedicated_account_id)
     SELECT $1, 'bank:' || $2 || '-ZH' || d, '農業銀行 扶貧資金專戶' || d, 'financial', 'asset', 'debit', false, true, 'bank', ${baseD} + d
       FROM generate_series(1, ${DEDICATED}) d`,
    [cid, o.code],
  );
  await c.query(
    `INSERT INTO dedicated_accounts (id, county_id, code, bank_name, account_name, account_number, officer_id, ledger_account_id)
     SELECT ${baseD} + d, $1, $2 || '-ZH' || d, '中國農業銀行', '扶貧資金專戶' || d, '6228' || lpad(($1 * 100 + d)::text, 12, '0'), $3, a.id
       FROM generate_series(1, ${DEDICATED}) d JOIN ledger_accounts a ON a.county_id = $1 AND a.code = 'bank:' || $2 || '-ZH' || d`,
    [cid, o.code, f1],
  );
  await c.query(`SELECT setval(pg_get_serial_sequence('dedicated_accounts', 'id'), (SELECT max(id) FROM dedicated_accounts))`);

  await step('plan', async () => {
    // Allocations, received at regular dates from day 5 to about day 1005; one in seven pays for industry only.
    const allocations = Math.max(8, Math.ceil(o.projects / 125));
    const baseA = await nextId(c, 'fund_allocations');
    await c.query(
      `CREATE TEMP TABLE g_alloc AS
       SELECT a, ${baseA} + a AS id, ((a - 1) * 1000 / ${allocations})::int + 5 AS recv_day, (a % 7 = 3) AS industry_only,
              ${baseD} + ((a - 1) % ${DEDICATED}) + 1 AS dedicated_id, (ARRAY['central', 'provincial', 'city', 'county'])[(a % 4) + 1] AS level,
              (a % 5 <> 2) AS noticed, false AS erroneous
         FROM generate_series(1, ${allocations}) a`,
    );
    // An allocation registered in error and refunded (its receipt reversed): money out of the account that is no finding.
    await c.query(`INSERT INTO g_alloc SELECT ${allocations} + 1, ${baseA} + ${allocations} + 1, 600, false, ${baseD} + 1, 'county', true, true`);

    // Projects: state, category, and the day b their first budget line posts (or would).
    const baseP = await nextId(c, 'projects');
    await c.query(
      `CREATE TEMP TABLE g_proj AS
       SELECT p, ${baseP} + p AS id, u.id AS village_id, u.parent_id AS township_id, u.user_id AS village_user, tu.user_id AS township_user,
              CASE WHEN r2 < 30 THEN 'industry' WHEN r2 < 65 THEN 'infrastructure' WHEN r2 < 75 THEN 'social_services'
                   WHEN r2 < 85 THEN 'training' WHEN r2 < 95 THEN 'work_for_relief' ELSE 'other' END AS category,
              CASE WHEN r3 < 80 THEN 'planned' WHEN r3 < 86 THEN 'in_library' WHEN r3 < 94 THEN 'township_reviewed'
                   WHEN r3 < 98 THEN 'proposed' ELSE 'rejected' END AS state,
              (45 + pg_temp.rnd(p, 4) % 951)::int AS b, pg_temp.rnd(p, 7) % 100 < 30 AS second_line, p % 97 = 5 AS split
         FROM (SELECT p, pg_temp.rnd(p, 2) % 100 AS r2, pg_temp.rnd(p, 3) % 100 AS r3, 1 + pg_temp.rnd(p, 1) % ${villages} AS v
                 FROM generate_series(1, ${o.projects}) p) x
         JOIN g_unit u ON u.level = 'village' AND u.n = x.v
         JOIN g_unit tu ON tu.id = u.parent_id`,
    );
    // Half the projects a township reviewed are recent (not yet due for their library notice), half long overdue.
    await c.query(`UPDATE g_proj SET b = ${HISTORY} + 32 - pg_temp.rnd(p, 6) % 40 WHERE state = 'township_reviewed' AND p % 2 = 0`);
    await c.query(`ALTER TABLE g_proj ADD a1 int, ADD a2 int, ADD line2_day int`);
    await c.query(
      `UPDATE g_proj g SET a1 = (SELECT max(a) FROM g_alloc x WHERE NOT x.erroneous AND x.recv_day < g.b AND (NOT x.industry_only OR g.category = 'industry'))
        WHERE state = 'planned'`,
    );
    // Spending outside the allocation's permitted categories (M09): a few projects funded from an industry-only allocation.
    await c.query(
      `UPDATE g_proj g SET a1 = coalesce((SELECT max(a) FROM g_alloc x WHERE x.recv_day < g.b AND x.industry_only), a1)
        WHERE state = 'planned' AND p % 199 = 0 AND category <> 'industry'`,
    );
    await c.query(
      `UPDATE g_proj g SET a2 = x.a, line2_day = greatest(g.b + 5, x.recv_day + 1)
         FROM (SELECT q.p, (SELECT min(a) FROM g_alloc y WHERE NOT y.erroneous AND y.a > q.a1 AND y.recv_day < ${HISTORY} - 30
                               AND (NOT y.industry_only OR q.category = 'industry')) AS a
                 FROM g_proj q WHERE q.state = 'planned' AND q.second_line) m
         JOIN g_alloc x ON x.a = m.a
        WHERE m.p = g.p`,
    );

    // Payees: companies, cooperatives and people, with valid taxpayer ids and ID numbers; shared by both counties.
    const payees = Math.max(20, Math.round(o.projects * 0.8));
    await c.query(
      `CREATE TEMP TABLE g_payee AS
       SELECT q, CASE WHEN q % 10 < 7 THEN 'company' WHEN q % 10 < 9 THEN 'cooperative' ELSE 'individual' END AS type,
              CASE WHEN q % 10 < 7 THEN '湖北第' || q || '建設工程有限公司' WHEN q % 10 < 9 THEN '第' || q || '農民專業合作社'
                   ELSE (ARRAY['張', '王', '李', '趙', '陳', '劉'])[q % 6 + 1] || '某' || q END AS name,
              '62' || lpad(((q * 7919) % 100000000000000)::text, 14, '0') AS account,
              CASE WHEN q % 10 < 9 THEN pg_temp.uscc('91421100' || lpad(q::text, 9, '0')) END AS tax_id,
              CASE WHEN q % 10 = 9 THEN pg_temp.idno('421124' || (1960 + q % 40) || lpad((1 + q % 12)::text, 2, '0') || lpad((1 + q % 28)::text, 2, '0')
                                                     || lpad((q % 1000)::text, 3, '0')) END AS id_number
         FROM generate_series(1, ${payees} + ${o.projects}) q`,
    );
    await c.query(`CREATE UNIQUE INDEX ON g_payee (q)`);

    // Contracts: two per planned project, three of one payee just under the tender threshold on a split project (M11).
    const baseC = await nextId(c, 'contracts');
    await c.query(
      `CREATE TEMP TABLE g_con AS
       SELECT c, ${baseC} + c AS id, p, project_id, category, a1, village_id, split, j, signed_day, (signed_day + 60 + pg_temp.rnd(c, 12) % 420)::int AS end_day,
              (CASE WHEN split THEN 930000 + (pg_temp.rnd(c, 8) % 60) * 1000
                    WHEN big THEN 1200000 + (pg_temp.rnd(c, 8) % 19) * 100000
                    ELSE 50000 + (pg_temp.rnd(c, 8) % 950) * 1000 END)::numeric AS amount,
              big,
              CASE WHEN split THEN ${payees} + p ELSE 1 + pg_temp.rnd(c, 10) % ${payees} END AS payee,
              CASE WHEN NOT split AND pg_temp.rnd(c, 11) % 100 < 3 THEN 'draft' ELSE 'signed' END AS state,
              (CASE WHEN pg_temp.rnd(c, 13) % 100 < 8 THEN 0.05 WHEN pg_temp.rnd(c, 13) % 100 < 10 THEN 0.10 END)::numeric AS override
         FROM (SELECT row_number() OVER (ORDER BY g.p, j) AS c, g.p, g.id AS project_id, g.category, g.a1, g.village_id, g.split, j,
                      (g.b + 12 + j * CASE WHEN g.split THEN 20 ELSE 9 END)::int AS signed_day,
                      NOT g.split AND pg_temp.rnd(g.p * 3 + j, 5) % 100 < 5 AS big
                 FROM g_proj g CROSS JOIN LATERAL generate_series(0, CASE WHEN g.split THEN 2 ELSE 1 END) j
                WHERE g.state = 'planned') x`,
    );
    await c.query(`CREATE UNIQUE INDEX ON g_con (c)`);
    // Claims just under the leader threshold on some large contracts (M12); acceptance and what becomes of retention.
    await c.query(
      `ALTER TABLE g_con ADD split_claims boolean, ADD rate numeric, ADD accepted boolean, ADD pass_day int, ADD outcome text,
                         ADD ws int, ADD wend int`,
    );
    await c.query(
      `UPDATE g_con SET split_claims = big AND amount >= 1600000 AND pg_temp.rnd(c, 9) % 4 = 0, rate = coalesce(override, 0.03),
              accepted = state = 'signed' AND end_day <= ${HISTORY} - 10 AND pg_temp.rnd(c, 14) % 100 < 70, ws = signed_day + 3`,
    );
    await c.query(
      `UPDATE g_con SET pass_day = CASE WHEN accepted THEN end_day + 3 END,
              wend = CASE WHEN accepted THEN end_day ELSE ${LAST} END,
              outcome = CASE WHEN NOT accepted OR end_day + 3 + 365 + 40 > ${LAST} THEN NULL
                             WHEN pg_temp.rnd(c, 15) % 100 < 55 THEN 'release' WHEN pg_temp.rnd(c, 15) % 100 < 70 THEN 'forfeit' END`,
    );

    // Claims, spread over the signed contracts in order; state first, then dates that fit it.
    const baseK = await nextId(c, 'claims');
    await c.query(
      `CREATE TEMP TABLE g_claim AS
       WITH signed AS (SELECT row_number() OVER (ORDER BY c) AS s, * FROM g_con WHERE state = 'signed'),
            n AS (SELECT count(*) AS n FROM signed),
            k AS (SELECT k, 1 + ((k - 1) * (SELECT n FROM n)) / ${o.claims} AS s FROM generate_series(1, ${o.claims}) k)
       SELECT k.k, ${baseK} + k.k AS id, x.c, x.id AS contract_id, x.project_id, x.p, x.category, x.a1, x.amount AS contract_amount, x.rate,
              x.split_claims, x.ws, x.wend, (row_number() OVER (PARTITION BY x.c ORDER BY k.k) - 1)::int AS j, count(*) OVER (PARTITION BY x.c) AS n,
              pg_temp.rnd(k.k, 5) % 100 AS r
         FROM k JOIN signed x ON x.s = k.s`,
    );
    await c.query(`ALTER TABLE g_claim ADD amount numeric, ADD state text, ADD app_day int`);
    await c.query(
      `UPDATE g_claim SET
         amount = CASE WHEN split_claims THEN least(480000 - j * 3000, floor(0.9 * contract_amount / n))
                       ELSE round((0.40 / n) * (1 - 0.03 * j) * contract_amount, 2) END,
         state = CASE WHEN split_claims THEN CASE WHEN r < 50 THEN 'paid' ELSE 'approved' END
                      WHEN r < 60 THEN 'paid' WHEN r < 68 THEN 'approved' WHEN r < 72 THEN 'line_reviewed' WHEN r < 76 THEN 'township_reviewed'
                      WHEN r < 80 THEN 'submitted' WHEN r < 86 THEN 'draft' WHEN r < 93 THEN 'rejected' ELSE 'withdrawn' END`,
    );
    await c.query(
      `UPDATE g_claim SET app_day = CASE
         WHEN state = 'paid' THEN ws + pg_temp.rnd(k, 17) % greatest(1, wend - 12 - ws)
         WHEN state = 'approved' AND pg_temp.rnd(k, 18) % 2 = 0 AND ws < ${HISTORY} - 45 THEN ws + pg_temp.rnd(k, 17) % (${HISTORY} - 45 - ws)
         WHEN state = 'approved' THEN greatest(ws, ${HISTORY} - 12 - pg_temp.rnd(k, 17) % 5)
         WHEN state IN ('line_reviewed', 'township_reviewed', 'submitted') THEN greatest(ws, ${HISTORY} - 10 - pg_temp.rnd(k, 17) % 15)
         WHEN state = 'draft' THEN greatest(ws, ${LAST} - pg_temp.rnd(k, 17) % 7)
         ELSE ws + pg_temp.rnd(k, 17) % greatest(1, ${HISTORY} - 5 - ws) END`,
    );
    // The same claim twice (M14): the same amount on the same day into the same account as the claim before it.
    await c.query(
      `UPDATE g_claim g SET amount = prev.amount, app_day = prev.app_day, state = CASE WHEN g.state = 'paid' AND prev.state = 'paid' THEN 'paid' ELSE 'approved' END
         FROM g_claim prev
        WHERE prev.c = g.c AND prev.j = g.j - 1 AND pg_temp.rnd(g.k, 16) % 300 = 0 AND NOT g.split_claims
          AND g.state IN ${CLAIMS_IN_PLAY} AND prev.state IN ${CLAIMS_IN_PLAY}`,
    );
    await c.query(
      `ALTER TABLE g_claim ADD leader boolean, ADD submit_day int, ADD town_day int, ADD line_day int, ADD approve_day int, ADD leader_day int,
                           ADD pay_day int, ADD end_step_day int, ADD expenses jsonb`,
    );
    await c.query(
      `UPDATE g_claim SET leader = amount > 500000, submit_day = least(app_day + 1, ${LAST}), town_day = least(app_day + 3, ${LAST}),
              line_day = least(app_day + 6, ${LAST}), approve_day = least(app_day + 9, ${LAST}), leader_day = least(app_day + 10, ${LAST}),
              pay_day = least(app_day + 12, ${LAST}), end_step_day = least(app_day + CASE state WHEN 'rejected' THEN 3 ELSE 2 END, ${LAST})`,
    );
    // Expense detail with categories: materials, labour, machinery; some management (a few far above the cap, M10) and a
    // few lines of the negative list (M08).
    await c.query(
      `UPDATE g_claim g SET expenses = (
         SELECT jsonb_agg(jsonb_build_object('description', d, 'amount', pg_temp.money(v), 'category', cat) ORDER BY o)
           FROM (VALUES (1, '材料費', 'materials', e.m), (2, '人工費', 'labour', e.l), (3, '機械使用費', 'machinery', g.amount - e.m - e.l - e.mg - e.ng),
                        (4, '項目管理費', 'management', e.mg), (5, e.nd, e.nc, e.ng)) x(o, d, cat, v)
          WHERE v > 0)
         FROM (SELECT k, round(amount * CASE WHEN big_mgmt THEN 0.30 ELSE 0.55 END, 2) AS m, round(amount * CASE WHEN big_mgmt THEN 0.20 ELSE 0.35 END, 2) AS l,
                      round(amount * CASE WHEN big_mgmt THEN 0.40 WHEN small_mgmt THEN 0.005 ELSE 0 END, 2) AS mg,
                      round(amount * CASE WHEN nc IS NOT NULL THEN 0.05 ELSE 0 END, 2) AS ng, nd, nc
                 FROM (SELECT k, amount, pg_temp.rnd(k, 19) % 150 = 7 AND state IN ('approved', 'paid') AS big_mgmt, pg_temp.rnd(k, 19) % 10 = 3 AS small_mgmt,
                              CASE pg_temp.rnd(k, 20) % 170 WHEN 11 THEN '工作人員獎金' WHEN 12 THEN '購置辦公用車' END AS nd,
                              CASE pg_temp.rnd(k, 20) % 170 WHEN 11 THEN 'bonuses' WHEN 12 THEN 'vehicles_comms' END AS nc
                         FROM g_claim) f) e
        WHERE e.k = g.k`,
    );
    await c.query(`CREATE UNIQUE INDEX ON g_claim (k)`);

    // Invoices: spread over claims not withdrawn (a withdrawal frees its invoices; they stay in its packet only), the
    // amounts adding up to the claim; issued by the payee, or for a person a supplier.
    await c.query(
      `CREATE TEMP TABLE g_inv AS
       WITH kept AS (SELECT row_number() OVER (ORDER BY k) AS s, k FROM g_claim WHERE state <> 'withdrawn'),
            n AS (SELECT count(*) AS n FROM kept),
            i AS (SELECT i, 1 + ((i - 1) * (SELECT n FROM n)) / ${o.invoices} AS s FROM generate_series(1, ${o.invoices}) i
                  UNION ALL
                  SELECT ${o.invoices} + row_number() OVER (ORDER BY k, x), -k FROM g_claim, generate_series(1, 2) x WHERE state = 'withdrawn')
       SELECT i.i, coalesce(kept.k, -i.s) AS claim_k, kept.k IS NULL AS packet_only FROM i LEFT JOIN kept ON kept.s = i.s`,
    );
    await c.query(
      `ALTER TABLE g_inv ADD j int, ADD n int, ADD amount numeric, ADD issuer text, ADD issuer_key text, ADD code text, ADD number text,
                         ADD number_key text, ADD issued_day int`,
    );
    await c.query(
      `UPDATE g_inv v SET j = x.j, n = x.n
         FROM (SELECT i, (row_number() OVER (PARTITION BY claim_k ORDER BY i) - 1)::int AS j, count(*) OVER (PARTITION BY claim_k) AS n FROM g_inv) x
        WHERE x.i = v.i`,
    );
    await c.query(
      `UPDATE g_inv v SET
         amount = CASE WHEN v.j < v.n - 1 THEN floor(k.amount * 100 / v.n) / 100 ELSE k.amount - (v.n - 1) * floor(k.amount * 100 / v.n) / 100 END,
         issuer = CASE WHEN p.type = 'individual' THEN '英山縣第' || (pg_temp.rnd(v.i, 21) % 50) || '建材供應站' ELSE p.name END,
         issuer_key = CASE WHEN p.type = 'individual' THEN pg_temp.uscc('92421124' || lpad((pg_temp.rnd(v.i, 21) % 50)::text, 9, '0')) ELSE p.tax_id END,
         code = CASE WHEN v.i % 2 = 1 THEN '42001' || lpad(((${o.serialBase} + v.i) / 100000000)::text, 7, '0') END,
         number = CASE WHEN v.i % 2 = 1 THEN lpad(((${o.serialBase} + v.i) % 100000000)::text, 8, '0') ELSE '26' || lpad((${o.serialBase} + v.i)::text, 18, '0') END,
         issued_day = greatest(0, k.app_day - 1 - v.i % 20)
         FROM g_claim k JOIN g_con x ON x.c = k.c JOIN g_payee p ON p.q = x.payee
        WHERE k.k = v.claim_k`,
    );
    await c.query(`UPDATE g_inv SET number_key = CASE WHEN code IS NULL THEN number ELSE code || '-' || number END`);
    if (o.sharesInvoicesWith) {
      // The same invoices claimed in the other county (M13), both claims asking for money.
      await c.query(
        `UPDATE g_inv v SET issuer = s.issuer, issuer_key = s.issuer_key, code = s.code, number = s.number, number_key = s.number_key,
                issued_day = s.issued_on - ${S}
           FROM (SELECT row_number() OVER (ORDER BY ci.id) AS r, ci.* FROM claim_invoices ci JOIN claims k ON k.id = ci.claim_id
                  WHERE ci.county_id = $1 AND k.state IN ${CLAIMS_IN_PLAY} ORDER BY ci.id LIMIT $2) s,
                (SELECT row_number() OVER (ORDER BY i) AS r, i FROM g_inv v JOIN g_claim k ON k.k = v.claim_k WHERE NOT v.packet_only AND k.state IN ${CLAIMS_IN_PLAY}) t
          WHERE t.r = s.r AND v.i = t.i`,
        [o.sharesInvoicesWith.countyId, o.sharesInvoicesWith.count],
      );
    }
    await c.query(`CREATE INDEX ON g_inv (claim_k)`);

    // Budget lines: the first covers the project's contracts with a tenth to spare, a second (three in ten) stays unspent.
    const baseBl = await nextId(c, 'budget_lines');
    await c.query(
      `CREATE TEMP TABLE g_bl AS
       SELECT row_number() OVER (ORDER BY p, n) AS bl, * FROM (
         SELECT g.p, 1 AS n, g.id AS project_id, g.a1 AS a, g.b AS day, ceil(coalesce(s.total, 100000) * 1.1 / 1000) * 1000 AS amount
           FROM g_proj g LEFT JOIN (SELECT p, sum(amount) AS total FROM g_con GROUP BY p) s ON s.p = g.p WHERE g.state = 'planned'
         UNION ALL
         SELECT g.p, 2, g.id, g.a2, g.line2_day, 100000 + (pg_temp.rnd(g.p, 22) % 40) * 10000
           FROM g_proj g WHERE g.state = 'planned' AND g.a2 IS NOT NULL) x`,
    );
    await c.query(`ALTER TABLE g_bl ADD id int`);
    await c.query(`UPDATE g_bl SET id = ${baseBl} + bl`);
    await c.query(`ALTER TABLE g_proj ADD fund_scale numeric`);
    await c.query(`UPDATE g_proj g SET fund_scale = coalesce((SELECT sum(amount) FROM g_bl WHERE g_bl.p = g.p), 100000 + (pg_temp.rnd(g.p, 23) % 90) * 10000)`);
    // Allocation amounts: what their lines take, plus an idle remainder on a third of them (M01).
    await c.query(`ALTER TABLE g_alloc ADD amount numeric`);
    await c.query(
      `UPDATE g_alloc x SET amount = CASE WHEN x.erroneous THEN 300000
                                          ELSE coalesce(s.total, 0) + CASE WHEN x.a % 3 = 0 OR s.total IS NULL THEN greatest(200000, round(coalesce(s.total, 0) * 0.05, -3)) ELSE 0 END END
         FROM (SELECT a.a, (SELECT sum(amount) FROM g_bl WHERE g_bl.a = a.a) AS total FROM g_alloc a) s WHERE s.a = x.a`,
    );
  });

  await step('projects, contracts, notices', async () => {
    await c.query(
      `INSERT INTO projects (id, county_id, village_id, name, category, location, start_date, end_date, responsible_unit, responsible_person, tasks,
                             fund_scale, beneficiary_households, poor_households, performance_targets, poverty_mechanism, state, proposed_by, created_at)
       SELECT id, $1, village_id, '第' || p || '號扶貧項目', category, '第' || p || '號項目所在地', ${S} + b - 40, ${S} + b + 365,
              '村民委員會', '村委會主任', '建設任務 ' || p, fund_scale, 50 + p % 200, 10 + p % 40, '["受益群眾滿意度不低於90%"]', '吸納脫貧戶務工、分紅',
              state, village_user, ${at('b - 40')}
         FROM g_proj ORDER BY p`,
      [cid],
    );
    await c.query(`SELECT setval(pg_get_serial_sequence('projects', 'id'), (SELECT max(id) FROM projects))`);
    await c.query(
      `INSERT INTO project_transitions (project_id, action, from_state, to_state, actor_id, reason, at)
       SELECT id, action, from_state, to_state, actor, reason, ${at('day')} FROM (
         SELECT p, id, 1 AS o, 'propose' AS action, NULL AS from_state, 'proposed' AS to_state, village_user AS actor, 'proposed' AS reason, b - 40 AS day FROM g_proj
         UNION ALL SELECT p, id, 2, 'review', 'proposed', 'township_reviewed', township_user, '鄉鎮審核通過', b - 35 FROM g_proj WHERE state IN ('township_reviewed', 'in_library', 'planned')
         UNION ALL SELECT p, id, 2, 'reject', 'proposed', 'rejected', township_user, '不符合入庫條件', b - 35 FROM g_proj WHERE state = 'rejected'
         UNION ALL SELECT p, id, 3, 'enter-library', 'township_reviewed', 'in_library', $1::int, '入庫', b - 22 FROM g_proj WHERE state IN ('in_library', 'planned')
         UNION ALL SELECT p, id, 4, 'plan', 'in_library', 'planned', $2::int, 'first budget line posted', b FROM g_proj WHERE state = 'planned') t
        ORDER BY p, o`,
      [line, f1],
    );
    const contractTerms = `
       SELECT x.id, $1::int, x.project_id, '第' || x.c || '號施工合同', py.name, py.type, '中國農業銀行英山支行', py.account, py.tax_id, py.id_number, x.amount,
              x.override, CASE WHEN x.override IS NOT NULL THEN '合同約定質保金比例' END, '[]'::jsonb,
              CASE WHEN x.big THEN jsonb_build_object('method', '公開招標', 'date', (${S} + x.signed_day - 20)::text,
                                                     'bidders', jsonb_build_array(py.name, '競標單位甲', '競標單位乙'), 'winner', py.name) END,
              jsonb_build_object('countyToTownship', jsonb_build_object('reference', '英扶責〔' || x.c || '〕1號', 'date', (${S} + x.signed_day - 10)::text),
                                 'townshipToVillage', jsonb_build_object('reference', '英扶責〔' || x.c || '〕2號', 'date', (${S} + x.signed_day - 8)::text),
                                 'villageToContractor', jsonb_build_object('reference', '英扶責〔' || x.c || '〕3號', 'date', (${S} + x.signed_day - 5)::text)),
              'draft', $2::int, ${at('x.signed_day - 5')}
         FROM g_con x JOIN g_payee py ON py.q = x.payee`;
    await c.query(
      `INSERT INTO contracts (id, county_id, project_id, title, payee_name, payee_type, payee_bank, payee_account, payee_tax_id, payee_id_number, amount,
                              retention_override, retention_override_reason, schedule, tender, letters, state, drafted_by, created_at)
       ${contractTerms} ORDER BY x.c`,
      [cid, f1],
    );
    await c.query(`SELECT setval(pg_get_serial_sequence('contracts', 'id'), (SELECT max(id) FROM contracts))`);

    // Acceptances of finished contracts, signed off by every department, with the defect period in force.
    const baseAcc = await nextId(c, 'acceptances');
    await c.query(
      `INSERT INTO acceptances (id, county_id, project_id, contract_id, scale_statement, state, required_departments, opened_by, opened_at)
       SELECT ${baseAcc} + row_number() OVER (ORDER BY c), $1, project_id, id, '按合同完成建設內容', 'open',
              CASE WHEN category IN ('infrastructure', 'work_for_relief') THEN '{finance,audit,line,transport}'::varchar[] ELSE '{finance,audit,line}'::varchar[] END,
              $2, ${at('end_day + 1')}
         FROM g_con WHERE accepted ORDER BY c`,
      [cid, f1],
    );
    await c.query(`SELECT setval(pg_get_serial_sequence('acceptances', 'id'), greatest(1, (SELECT max(id) FROM acceptances)))`);
    await c.query(
      `INSERT INTO acceptance_signoffs (acceptance_id, department, result, notes, user_id, at)
       SELECT a.id, d.department, 'pass', '符合要求', d.user_id, ${at('x.end_day + 2')}
         FROM acceptances a JOIN g_con x ON x.id = a.contract_id
         CROSS JOIN LATERAL (SELECT unnest(a.required_departments) AS department) dd
         CROSS JOIN LATERAL (SELECT dd.department, CASE dd.department WHEN 'finance' THEN $2::int WHEN 'line' THEN $3::int WHEN 'audit' THEN $4::int ELSE $5::int END AS user_id) d
        WHERE a.county_id = $1`,
      [cid, f1, line, insp1, insp2],
    );
    await c.query(
      `UPDATE acceptances a SET state = 'passed', closed_at = ${at('x.pass_day')}, defect_days = 365 FROM g_con x WHERE x.id = a.contract_id AND a.county_id = $1`,
      [cid],
    );

    // Notices each gate waits for, one per project: library (before entry), plan (before signing), completion (before a
    // retention release). Published, so the gates pass.
    const baseN = await nextId(c, 'notices');
    await c.query(
      `CREATE TEMP TABLE g_notice AS
       SELECT ${baseN} + row_number() OVER (ORDER BY kind, p) AS id, * FROM (
         SELECT 'library' AS kind, p, id AS project_id, NULL::int AS allocation_id, b - 35 AS formed, b - 33 AS starts FROM g_proj WHERE state IN ('in_library', 'planned')
         UNION ALL SELECT 'plan', p, id, NULL, b, b + 1 FROM g_proj WHERE state = 'planned'
         UNION ALL SELECT 'completion', x.p, x.project_id, NULL, max(x.pass_day), max(x.pass_day) + 2 FROM g_con x WHERE x.outcome = 'release' GROUP BY x.p, x.project_id) n`,
    );
    await publishNotices(c, cid, o.code, f1, f2, S, `SELECT id, kind, formed, starts FROM g_notice`);
    await c.query(`INSERT INTO notice_projects (notice_id, project_id) SELECT id, project_id FROM g_notice`);
    await c.query(`SELECT pg_temp.publish()`);
  });

  // The ledger plan: every posting with its lines, numbered in date order.
  await step('ledger plan', async () => {
    await c.query(
      `CREATE TEMP TABLE g_acct (code text PRIMARY KEY, name text, type text, kind text, allocation_id int, project_id int, contract_id int, claim_id int,
                                 dedicated_account_id int, category text)`,
    );
    await c.query(
      `INSERT INTO g_acct
       SELECT 'fund:A' || id, '資金 ' || id, 'net_assets', 'fund', id, NULL::int, NULL::int, NULL::int, dedicated_id, NULL::text FROM g_alloc
       UNION ALL SELECT 'appropriation:A' || id, '資金 ' || id, 'appropriation', 'appropriation', id, NULL, NULL, NULL, NULL, NULL FROM g_alloc
       UNION ALL SELECT 'quota:unallocated:A' || id, '資金 ' || id, 'quota', 'quota_unallocated', id, NULL, NULL, NULL, NULL, NULL FROM g_alloc
       UNION ALL SELECT DISTINCT 'quota:project:P' || b.project_id || ':A' || a.id, '項目 ' || b.project_id, 'quota', 'quota_project', a.id, b.project_id, NULL::int, NULL::int, NULL::int, NULL
                 FROM g_bl b JOIN g_alloc a ON a.a = b.a
       UNION ALL SELECT 'quota:committed:C' || x.id || ':A' || a.id, '合同 ' || x.id, 'quota', 'quota_committed', a.id, x.project_id, x.id, NULL, NULL, NULL
                 FROM g_con x JOIN g_alloc a ON a.a = x.a1 WHERE x.state = 'signed'
       UNION ALL SELECT 'retention:C' || x.id || ':A' || a.id, '合同 ' || x.id || ' 質量保證金', 'liability', 'retention', a.id, x.project_id, x.id, NULL, NULL, NULL
                 FROM g_con x JOIN g_alloc a ON a.a = x.a1 WHERE x.state = 'signed'
       UNION ALL SELECT DISTINCT 'quota:spent:P' || x.project_id || ':A' || a.id, '項目 ' || x.project_id || ' 已支出', 'quota', 'quota_spent', a.id, x.project_id, NULL::int, NULL::int, NULL::int, NULL
                 FROM g_con x JOIN g_alloc a ON a.a = x.a1 WHERE x.state = 'signed'
       UNION ALL SELECT DISTINCT 'expense:P' || x.project_id || ':A' || a.id || ':' || x.category, '項目 ' || x.project_id || ' 支出', 'expense', 'expense', a.id, x.project_id, NULL::int, NULL::int, NULL::int, x.category
                 FROM g_con x JOIN g_alloc a ON a.a = x.a1 WHERE x.state = 'signed'
       UNION ALL SELECT 'quota:held:C' || k.contract_id || ':K' || k.id || ':A' || a.id, '報帳 ' || k.id, 'quota', 'quota_held', a.id, k.project_id, k.contract_id, k.id, NULL, NULL
                 FROM g_claim k JOIN g_alloc a ON a.a = k.a1 WHERE k.state IN ('township_reviewed', 'line_reviewed', 'approved', 'paid')
       UNION ALL SELECT 'gl:' || g, '縣本級賬 ' || g, 'manual', 'manual', NULL, NULL, NULL, NULL, NULL, NULL FROM generate_series(0, ${BOOKS_ACCOUNTS - 1}) g
       UNION ALL SELECT 'gl:deposit', '代收款項', 'manual', 'manual', NULL, NULL, NULL, NULL, NULL, NULL`,
    );
    await c.query(
      `CREATE TEMP TABLE g_tx (kind text, ref bigint, day int, phase int, purpose text, memo text, reverses text, pay_contract int, pay_amount numeric,
                               pay_retention numeric, move_contract int, move_kind text, move_amount numeric, tx_no bigint, uid uuid, pay_id int, move_id int)`,
    );
    await c.query(`CREATE TEMP TABLE g_line (kind text, ref bigint, line_no int, code text, debit numeric, credit numeric)`);
    const bank = (alloc: string) => `'bank:' || '${o.code}' || '-ZH' || (${alloc}.dedicated_id - ${baseD})`;
    // Receipts (Dr bank, Cr fund; Dr quota:unallocated, Cr appropriation).
    await c.query(
      `INSERT INTO g_tx (kind, ref, day, phase, purpose, memo) SELECT 'receipt', a, recv_day, 1, 'receipt', '扶貧資金 ' || id || ' 到帳' FROM g_alloc`,
    );
    await c.query(
      `INSERT INTO g_line SELECT 'receipt', a, ln, code, d, cr FROM g_alloc x CROSS JOIN LATERAL (VALUES
         (1, ${bank('x')}, x.amount, 0), (2, 'fund:A' || x.id, 0, x.amount), (3, 'quota:unallocated:A' || x.id, x.amount, 0), (4, 'appropriation:A' || x.id, 0, x.amount)) l(ln, code, d, cr)`,
    );
    // The erroneous receipt refunded, and a deposit made by hand then reversed out of the dedicated account (M06).
    await c.query(
      `INSERT INTO g_tx (kind, ref, day, phase, purpose, memo, reverses)
       SELECT 'refund', a, recv_day + 2, 8, 'reversal', '沖銷: 扶貧資金 ' || id || ' 到帳', 'receipt:' || a FROM g_alloc WHERE erroneous
       UNION ALL SELECT 'deposit', 1, 700, 1, 'manual', '代收工程押金', NULL
       UNION ALL SELECT 'refund', 0, 702, 8, 'reversal', '沖銷: 代收工程押金', 'deposit:1'`,
    );
    await c.query(
      `INSERT INTO g_line SELECT 'refund', a, ln, code, d, cr FROM g_alloc x CROSS JOIN LATERAL (VALUES
         (1, ${bank('x')}, 0, x.amount), (2, 'fund:A' || x.id, x.amount, 0), (3, 'quota:unallocated:A' || x.id, 0, x.amount), (4, 'appropriation:A' || x.id, x.amount, 0)) l(ln, code, d, cr)
        WHERE x.erroneous
       UNION ALL SELECT 'deposit', 1, 1, 'bank:' || $1 || '-ZH1', 50000, 0
       UNION ALL SELECT 'deposit', 1, 2, 'gl:deposit', 0, 50000
       UNION ALL SELECT 'refund', 0, 1, 'bank:' || $1 || '-ZH1', 0, 50000
       UNION ALL SELECT 'refund', 0, 2, 'gl:deposit', 50000, 0`,
      [o.code],
    );
    // Budget lines (Dr quota:project, Cr quota:unallocated).
    await c.query(`INSERT INTO g_tx (kind, ref, day, phase, purpose, memo) SELECT 'budget', bl, day, 2, 'budget', '指標分配至項目 ' || project_id FROM g_bl`);
    await c.query(
      `INSERT INTO g_line SELECT 'budget', bl, ln, code, d, cr FROM g_bl b JOIN g_alloc a ON a.a = b.a CROSS JOIN LATERAL (VALUES
         (1, 'quota:project:P' || b.project_id || ':A' || a.id, b.amount, 0), (2, 'quota:unallocated:A' || a.id, 0, b.amount)) l(ln, code, d, cr)`,
    );
    // Contract signings (Dr quota:committed, Cr quota:project).
    await c.query(
      `INSERT INTO g_tx (kind, ref, day, phase, purpose, memo) SELECT 'commit', c, signed_day, 3, 'budget', '合同 ' || id || ' 簽訂，預算承諾' FROM g_con WHERE state = 'signed'`,
    );
    await c.query(
      `INSERT INTO g_line SELECT 'commit', c, ln, code, d, cr FROM g_con x JOIN g_alloc a ON a.a = x.a1 CROSS JOIN LATERAL (VALUES
         (1, 'quota:committed:C' || x.id || ':A' || a.id, x.amount, 0), (2, 'quota:project:P' || x.project_id || ':A' || a.id, 0, x.amount)) l(ln, code, d, cr)
        WHERE x.state = 'signed'`,
    );
    // Claim holds at township review (Dr quota:held, Cr quota:committed) and payments from the hold.
    const held = `k.state IN ('township_reviewed', 'line_reviewed', 'approved', 'paid')`;
    await c.query(
      `INSERT INTO g_tx (kind, ref, day, phase, purpose, memo) SELECT 'hold', k, town_day, 4, 'budget', '報帳 ' || id || ' 鄉鎮審核，預算凍結' FROM g_claim k WHERE ${held}`,
    );
    await c.query(
      `INSERT INTO g_line SELECT 'hold', k.k, ln, code, d, cr FROM g_claim k JOIN g_alloc a ON a.a = k.a1 CROSS JOIN LATERAL (VALUES
         (1, 'quota:held:C' || k.contract_id || ':K' || k.id || ':A' || a.id, k.amount, 0), (2, 'quota:committed:C' || k.contract_id || ':A' || a.id, 0, k.amount)) l(ln, code, d, cr)
        WHERE ${held}`,
    );
    await c.query(
      `INSERT INTO g_tx (kind, ref, day, phase, purpose, memo, pay_contract, pay_amount, pay_retention)
       SELECT 'cpay', k, pay_day, 5, 'payment', '合同 ' || contract_id || ' 付款（報帳 ' || id || '）', contract_id, amount, round(amount * rate, 2)
         FROM g_claim k WHERE state = 'paid'`,
    );
    await c.query(
      `INSERT INTO g_line SELECT 'cpay', k.k, ln, code, d, cr FROM g_claim k JOIN g_alloc a ON a.a = k.a1 JOIN g_tx t ON t.kind = 'cpay' AND t.ref = k.k
        CROSS JOIN LATERAL (VALUES
         (1, 'expense:P' || k.project_id || ':A' || a.id || ':' || k.category, k.amount, 0),
         (2, ${bank('a')}, 0, k.amount - t.pay_retention),
         (3, 'retention:C' || k.contract_id || ':A' || a.id, 0, t.pay_retention),
         (4, 'quota:spent:P' || k.project_id || ':A' || a.id, k.amount, 0),
         (5, 'quota:held:C' || k.contract_id || ':K' || k.id || ':A' || a.id, 0, k.amount)) l(ln, code, d, cr)`,
    );
    const workflowLines =
      Number((await one<{ n: string }>(c, `SELECT count(*) AS n FROM g_line`)).n) +
      2 * Number((await one<{ n: string }>(c, `SELECT count(*) AS n FROM g_con WHERE outcome IS NOT NULL`)).n);
    // Progress payments on the contracts (three quarters of what the line count still asks for) and the county's own
    // books (ten-line entries) for the rest.
    const filler = Math.max(0, o.lines - workflowLines);
    const eligible = (await one<{ n: number }>(c, `SELECT count(*)::int AS n FROM g_con WHERE state = 'signed' AND NOT split_claims`)).n;
    const payments = eligible === 0 ? 0 : Math.floor((filler * 0.75) / 5);
    const manual = Math.ceil(Math.max(0, filler - payments * 5) / 10);
    await c.query(
      `CREATE TEMP TABLE g_dpay AS
       WITH e AS (SELECT row_number() OVER (ORDER BY c) AS s, * FROM g_con WHERE state = 'signed' AND NOT split_claims),
            i AS (SELECT i, 1 + (i - 1) % ${Math.max(1, eligible)} AS s, (i - 1) / ${Math.max(1, eligible)} AS idx FROM generate_series(1, ${payments}) i)
       SELECT i.i, i.idx, e.c, e.id, e.project_id, e.category, e.a1, e.rate, e.ws, e.wend, e.amount AS contract_amount FROM i JOIN e ON e.s = i.s`,
    );
    await c.query(`ALTER TABLE g_dpay ADD m int, ADD amount numeric, ADD day int`);
    await c.query(`UPDATE g_dpay d SET m = x.m FROM (SELECT c, count(*) AS m FROM g_dpay GROUP BY c) x WHERE x.c = d.c`);
    await c.query(
      `UPDATE g_dpay SET amount = greatest(0.01, floor(0.45 * contract_amount / m * 100) / 100), day = ws + 2 + floor((idx + 0.5) * (wend - ws - 2) / m)::int`,
    );
    await c.query(
      `INSERT INTO g_tx (kind, ref, day, phase, purpose, memo, pay_contract, pay_amount, pay_retention)
       SELECT 'dpay', i, day, 5, 'payment', '合同 ' || id || ' 進度款', id, amount, round(amount * rate, 2) FROM g_dpay`,
    );
    await c.query(
      `INSERT INTO g_line SELECT 'dpay', x.i, ln, code, d, cr FROM g_dpay x JOIN g_alloc a ON a.a = x.a1 JOIN g_tx t ON t.kind = 'dpay' AND t.ref = x.i
        CROSS JOIN LATERAL (VALUES
         (1, 'expense:P' || x.project_id || ':A' || a.id || ':' || x.category, x.amount, 0),
         (2, ${bank('a')}, 0, x.amount - t.pay_retention),
         (3, 'retention:C' || x.id || ':A' || a.id, 0, t.pay_retention),
         (4, 'quota:spent:P' || x.project_id || ':A' || a.id, x.amount, 0),
         (5, 'quota:committed:C' || x.id || ':A' || a.id, 0, x.amount)) l(ln, code, d, cr)`,
    );
    // What becomes of retention after the defect period: released (Dr retention, Cr bank) or partly forfeited to repairs
    // (Dr retention, Cr expense; Dr quota:project, Cr quota:spent), the rest left held (M05). Every payment is before it.
    await c.query(
      `INSERT INTO g_tx (kind, ref, day, phase, purpose, memo, move_contract, move_kind, move_amount)
       SELECT CASE x.outcome WHEN 'release' THEN 'release' ELSE 'forfeit' END, x.c,
              CASE x.outcome WHEN 'release' THEN greatest(x.pass_day + 375, n.starts + 11) ELSE x.pass_day + 30 END, 6, 'retention',
              '合同 ' || x.id || CASE x.outcome WHEN 'release' THEN ' 質量保證金返還' ELSE ' 質量保證金扣留（維修）' END, x.id, x.outcome,
              CASE x.outcome WHEN 'release' THEN r.held ELSE round(r.held * 0.3, 2) END
         FROM g_con x
         JOIN (SELECT coalesce(pay_contract, 0) AS contract_id, sum(pay_retention) AS held FROM g_tx WHERE kind IN ('cpay', 'dpay') GROUP BY pay_contract) r ON r.contract_id = x.id
         LEFT JOIN g_notice n ON n.kind = 'completion' AND n.project_id = x.project_id
        WHERE x.outcome IS NOT NULL AND r.held > 0`,
    );
    await c.query(
      `INSERT INTO g_line SELECT t.kind, t.ref, ln, code, d, cr FROM g_tx t JOIN g_con x ON x.c = t.ref JOIN g_alloc a ON a.a = x.a1
        CROSS JOIN LATERAL (VALUES
         (1, 'retention:C' || x.id || ':A' || a.id, t.move_amount, 0),
         (2, CASE t.kind WHEN 'release' THEN ${bank('a')} ELSE 'expense:P' || x.project_id || ':A' || a.id || ':' || x.category END, 0, t.move_amount),
         (3, CASE WHEN t.kind = 'forfeit' THEN 'quota:project:P' || x.project_id || ':A' || a.id END, t.move_amount, 0),
         (4, CASE WHEN t.kind = 'forfeit' THEN 'quota:spent:P' || x.project_id || ':A' || a.id END, 0, t.move_amount)) l(ln, code, d, cr)
        WHERE t.kind IN ('release', 'forfeit') AND l.code IS NOT NULL`,
    );
    // The county's own books: ten lines on distinct manual accounts, five debits and the same five amounts credited.
    await c.query(
      `INSERT INTO g_tx (kind, ref, day, phase, purpose, memo) SELECT 'manual', g, (g * ${LAST}::bigint / greatest(1, ${manual}))::int, 9, 'manual', '縣本級記帳 ' || g
         FROM generate_series(0, ${manual} - 1) g`,
    );
    await c.query(
      `INSERT INTO g_line SELECT 'manual', g, n, 'gl:' || (g * 7 + n * 47) % ${BOOKS_ACCOUNTS},
              CASE WHEN n <= 5 THEN amount ELSE 0 END, CASE WHEN n > 5 THEN amount ELSE 0 END
         FROM generate_series(0, ${manual} - 1) g CROSS JOIN generate_series(1, 10) n
        CROSS JOIN LATERAL (SELECT 1.00 + ((g * 31 + (n - 1) % 5) % 10000) / 100.0 AS amount) m`,
    );
    // Zero lines (a payment without retention) are not posted; numbering in date order, the workflow's order within a day.
    await c.query(`DELETE FROM g_line WHERE debit = 0 AND credit = 0`);
    await c.query(
      `UPDATE g_tx t SET tx_no = x.tx_no, uid = md5($1 || ':' || t.kind || ':' || t.ref)::uuid
         FROM (SELECT kind, ref, row_number() OVER (ORDER BY day, phase, kind, ref) AS tx_no FROM g_tx) x WHERE x.kind = t.kind AND x.ref = t.ref`,
      [o.code],
    );
    const basePay = await nextId(c, 'contract_payments');
    const baseMove = await nextId(c, 'retention_movements');
    await c.query(
      `UPDATE g_tx t SET pay_id = ${basePay} + x.r FROM (SELECT tx_no, row_number() OVER (ORDER BY tx_no) AS r FROM g_tx WHERE purpose = 'payment') x WHERE x.tx_no = t.tx_no`,
    );
    await c.query(
      `UPDATE g_tx t SET move_id = ${baseMove} + x.r FROM (SELECT tx_no, row_number() OVER (ORDER BY tx_no) AS r FROM g_tx WHERE purpose = 'retention') x WHERE x.tx_no = t.tx_no`,
    );
    await c.query(`ALTER TABLE g_tx ADD reverses_uid uuid`);
    await c.query(`UPDATE g_tx t SET reverses_uid = r.uid FROM g_tx r WHERE t.reverses IS NOT NULL AND r.kind || ':' || r.ref = t.reverses`);
    await c.query(`CREATE UNIQUE INDEX ON g_tx (tx_no)`);
    await c.query(`CREATE UNIQUE INDEX ON g_tx (kind, ref)`);
    // Accounts, opened before the postings; the lines name them by id.
    await c.query(
      `INSERT INTO ledger_accounts (county_id, code, name, book, type, normal_side, allow_negative, restricted_outflow,
                                    kind, allocation_id, project_id, contract_id, claim_id, dedicated_account_id, category)
       SELECT $1, code, name, CASE WHEN type IN ('quota', 'appropriation') THEN 'budget' ELSE 'financial' END, CASE type WHEN 'manual' THEN 'asset' ELSE type END,
              CASE WHEN type IN ('asset', 'expense', 'quota', 'manual') THEN 'debit' ELSE 'credit' END, kind = 'manual', false,
              kind, allocation_id, project_id, contract_id, claim_id, dedicated_account_id, category
         FROM g_acct ORDER BY code`,
      [cid],
    );
    await c.query(
      `CREATE TEMP TABLE g_lines AS
       SELECT t.tx_no, l.line_no, a.id AS account_id, a.book, l.debit, l.credit
         FROM g_line l JOIN g_tx t ON t.kind = l.kind AND t.ref = l.ref JOIN ledger_accounts a ON a.county_id = $1 AND a.code = l.code`,
      [cid],
    );
    const [lines, planned] = [
      await one<{ n: string }>(c, `SELECT count(*) AS n FROM g_lines`),
      await one<{ n: string }>(c, `SELECT count(*) AS n FROM g_line`),
    ];
    if (lines.n !== planned.n) throw new Error(`${Number(planned.n) - Number(lines.n)} planned lines name no account`);
    await c.query(`CREATE INDEX ON g_lines (tx_no, line_no)`);
    await c.query(`ANALYZE g_tx; ANALYZE g_lines`);
    log(
      `  ${o.code}: ${lines.n} ledger lines planned (${workflowLines} from the workflows, ${payments} progress payments, ${manual} entries of the county's books)`,
    );
  });

  // Posting, in date order, through every trigger of the ledger.
  await step('post ledger', async () => {
    const { n: total } = await one<{ n: number }>(c, `SELECT count(*)::int AS n FROM g_tx`);
    const t0 = performance.now();
    for (let lo = 1; lo <= total; lo += TX_PER_COMMIT) {
      const hi = Math.min(total, lo + TX_PER_COMMIT - 1);
      await c.query('BEGIN');
      try {
        await c.query(
          `INSERT INTO ledger_transactions (id, county_id, effective_date, recorded_at, memo, purpose, reverses_id, reversal_reason)
           SELECT t.uid, $1, ${S} + t.day, ${at('t.day')}, t.memo, t.purpose, t.reverses_uid, CASE WHEN t.reverses_uid IS NOT NULL THEN '登記錯誤，退回' END
             FROM g_tx t
            WHERE t.tx_no BETWEEN $2 AND $3 ORDER BY t.tx_no`,
          [cid, lo, hi],
        );
        // The body as the service writes it: canonical JSON (sorted keys, no spaces), which the chain's verifier insists on.
        await c.query(
          `INSERT INTO audit_events (county_id, type, actor, recorded_at, body)
           SELECT $1, y.type, 'bench', ${at('t.day')},
                  '{"actor":"bench","at":' || to_json(to_char(${at('t.day')} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.000"Z"'))::text
                  || ',"county":' || to_json($4::text)::text || ',"data":{"effectiveDate":"' || (${S} + t.day)::text || '","id":"' || t.uid::text
                  || '","memo":' || to_json(t.memo)::text || coalesce(',"reversesId":"' || t.reverses_uid::text || '"', '') || '},"type":"' || y.type || '"}'
             FROM g_tx t
             CROSS JOIN LATERAL (SELECT CASE WHEN t.reverses_uid IS NULL THEN 'ledger.transaction.posted' ELSE 'ledger.transaction.reversed' END AS type) y
            WHERE t.tx_no BETWEEN $2 AND $3 ORDER BY t.tx_no`,
          [cid, lo, hi, o.code],
        );
        for (let s = lo; s <= hi; s += TX_PER_STATEMENT) {
          await c.query(
            `INSERT INTO ledger_lines (transaction_id, county_id, account_id, book, line_no, debit, credit, effective_date, purpose)
             SELECT t.uid, $1, l.account_id, l.book, l.line_no, l.debit, l.credit, ${S} + t.day, t.purpose
               FROM g_lines l JOIN g_tx t ON t.tx_no = l.tx_no
              WHERE l.tx_no BETWEEN $2 AND $3 ORDER BY l.tx_no, l.line_no`,
            [cid, s, Math.min(hi, s + TX_PER_STATEMENT - 1)],
          );
        }
        await c.query(
          `INSERT INTO contract_payments (id, county_id, contract_id, stage, amount, retention, net, transaction_id, paid_by, created_at)
           SELECT pay_id, $1, pay_contract, NULL, pay_amount, pay_retention, pay_amount - pay_retention, uid, $4, ${at('day', 11)}
             FROM g_tx WHERE purpose = 'payment' AND tx_no BETWEEN $2 AND $3 ORDER BY tx_no`,
          [cid, lo, hi, f2],
        );
        await c.query(
          `INSERT INTO retention_movements (id, county_id, contract_id, kind, amount, reason, state, proposed_by, created_at)
           SELECT move_id, $1, move_contract, move_kind, move_amount, CASE move_kind WHEN 'release' THEN '缺陷責任期滿，質量無問題' ELSE '維修費用' END,
                  'proposed', $4, ${at('day - 1')}
             FROM g_tx WHERE purpose = 'retention' AND tx_no BETWEEN $2 AND $3 ORDER BY tx_no`,
          [cid, lo, hi, f1],
        );
        await c.query(
          `UPDATE retention_movements m SET state = 'posted', approved_by = $4, transaction_id = t.uid
             FROM g_tx t WHERE t.purpose = 'retention' AND t.tx_no BETWEEN $2 AND $3 AND m.id = t.move_id AND m.county_id = $1`,
          [cid, lo, hi, f2],
        );
        await c.query('COMMIT');
      } catch (err) {
        await c.query('ROLLBACK');
        throw err;
      }
      // Every line rewrites its account's row: the bank accounts' rows pile up dead versions faster than autovacuum
      // comes round, and the line trigger's lookups wade through them.
      if (Math.floor(lo / TX_PER_COMMIT) % 20 === 19) await c.query(`VACUUM (ANALYZE) ledger_accounts, ledger_closing_balances`);
      const rate = (hi / ((performance.now() - t0) / 1000)).toFixed(0);
      if (Math.floor(lo / TX_PER_COMMIT) % 10 === 0 || hi === total) log(`  ${o.code}: posted ${hi} of ${total} transactions (${rate}/s)`);
    }
    await c.query(`SELECT setval(pg_get_serial_sequence('contract_payments', 'id'), greatest(1, (SELECT max(id) FROM contract_payments)))`);
    await c.query(`SELECT setval(pg_get_serial_sequence('retention_movements', 'id'), greatest(1, (SELECT max(id) FROM retention_movements)))`);
  });

  await step('allocations, budgets, signings, claims', async () => {
    // The gates re-checked at commit below plan their reads on these tables' statistics: fresh rows, fresh statistics.
    await c.query(`ANALYZE projects, contracts, notices, notice_projects, notice_objections, acceptances`);
    await c.query(
      `INSERT INTO fund_allocations (id, county_id, document_number, issuing_level, fund_type, fiscal_year, amount, permitted_categories, dedicated_account_id,
                                     received_on, receipt_transaction_id, created_by, created_at)
       SELECT x.id, $1, '鄂財農發〔' || extract(year FROM ${S} + x.recv_day) || '〕' || x.a || '號', x.level,
              CASE WHEN x.industry_only THEN '產業發展資金' ELSE '財政專項扶貧資金' END, extract(year FROM ${S} + x.recv_day)::int, x.amount,
              CASE WHEN x.industry_only THEN '{industry}'::varchar[] ELSE '{industry,infrastructure,social_services,training,work_for_relief,other}'::varchar[] END,
              x.dedicated_id, ${S} + x.recv_day, t.uid, $2, ${at('x.recv_day')}
         FROM g_alloc x JOIN g_tx t ON t.kind = 'receipt' AND t.ref = x.a ORDER BY x.a`,
      [cid, f1],
    );
    await c.query(`SELECT setval(pg_get_serial_sequence('fund_allocations', 'id'), (SELECT max(id) FROM fund_allocations))`);
    // Allocation notices for four in five allocations (M17 finds the rest).
    await c.query(`DROP TABLE IF EXISTS g_notice`);
    const baseN = await nextId(c, 'notices');
    await c.query(
      `CREATE TEMP TABLE g_notice AS SELECT ${baseN} + row_number() OVER (ORDER BY a) AS id, 'allocation' AS kind, a, id AS allocation_id, recv_day + 3 AS formed, recv_day + 5 AS starts
         FROM g_alloc WHERE noticed AND NOT erroneous`,
    );
    await publishNotices(c, cid, o.code, f1, f2, S, `SELECT id, kind, formed, starts FROM g_notice`);
    await c.query(`INSERT INTO notice_allocations (notice_id, allocation_id) SELECT id, allocation_id FROM g_notice`);
    await c.query(`SELECT pg_temp.publish()`);

    await c.query(
      `INSERT INTO budget_lines (id, county_id, project_id, allocation_id, amount, state, proposed_by, created_at)
       SELECT b.id, $1, b.project_id, a.id, b.amount, 'awaiting_signature', $2, ${at('b.day')} FROM g_bl b JOIN g_alloc a ON a.a = b.a ORDER BY b.bl`,
      [cid, f1],
    );
    await c.query(`SELECT setval(pg_get_serial_sequence('budget_lines', 'id'), (SELECT max(id) FROM budget_lines))`);
    await c.query(
      `UPDATE budget_lines l SET state = 'posted', signed_by = CASE WHEN b.amount > 500000 THEN $2::int END, transaction_id = t.uid
         FROM g_bl b JOIN g_tx t ON t.kind = 'budget' AND t.ref = b.bl WHERE l.id = b.id AND l.county_id = $1`,
      [cid, leader],
    );
    await c.query(
      `UPDATE contracts k SET state = 'signed', signed_by = $1, signed_on = ${S} + x.signed_day, retention_rate = x.rate, commit_transaction_id = t.uid
         FROM g_con x JOIN g_tx t ON t.kind = 'commit' AND t.ref = x.c WHERE k.id = x.id`,
      [f2],
    );

    await c.query(
      `INSERT INTO claims (id, county_id, contract_id, project_id, version, state, amount, stage, final, acceptance_id, application_date, expenses,
                           township_signed_on, line_result, hold_transaction_id, payment_id, drafted_by, created_at)
       SELECT k.id, $1, k.contract_id, k.project_id, 1, k.state, k.amount, NULL, false, NULL, ${S} + k.app_day, k.expenses,
              CASE WHEN k.state IN ('township_reviewed', 'line_reviewed', 'approved', 'paid') THEN ${S} + k.town_day END,
              CASE WHEN k.state IN ('line_reviewed', 'approved', 'paid') THEN 'pass' END,
              h.uid, p.pay_id, g.village_user, ${at('k.app_day')}
         FROM g_claim k JOIN g_proj g ON g.p = k.p
         LEFT JOIN g_tx h ON h.kind = 'hold' AND h.ref = k.k LEFT JOIN g_tx p ON p.kind = 'cpay' AND p.ref = k.k
        ORDER BY k.k`,
      [cid],
    );
    await c.query(`SELECT setval(pg_get_serial_sequence('claims', 'id'), (SELECT max(id) FROM claims))`);
    await c.query(
      `INSERT INTO claim_versions (claim_id, version, packet, created_by, created_at)
       SELECT k.id, 1, jsonb_build_object('amount', pg_temp.money(k.amount), 'stage', NULL, 'final', false, 'acceptanceId', NULL,
                                          'applicationDate', (${S} + k.app_day)::text, 'expenses', k.expenses,
                                          'invoices', coalesce(inv.list, '[]'::jsonb)),
              g.village_user, ${at('k.app_day')}
         FROM g_claim k JOIN g_proj g ON g.p = k.p
         LEFT JOIN LATERAL (SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object('issuer', v.issuer, 'issuerTaxId', v.issuer_key, 'code', v.code, 'number', v.number,
                                                                                  'date', (${S} + v.issued_day)::text, 'amount', pg_temp.money(v.amount))) ORDER BY v.i) AS list
                              FROM g_inv v WHERE v.claim_k = k.k) inv ON true
        ORDER BY k.k`,
    );
    // Each step by a hand of its own (the database checks it): the village drafts and submits, the township reviews
    // or rejects, the line department, county finance and (above the threshold) the leader approve, the other
    // county finance user pays.
    await c.query(
      `INSERT INTO claim_steps (claim_id, version, step, result, note, actor_id, at)
       SELECT id, 1, step, result, note, actor, ${at('day', 10)} + (o * interval '1 minute') FROM (
         SELECT k.k, k.id, 1 AS o, 'draft' AS step, NULL AS result, NULL AS note, g.village_user AS actor, k.app_day AS day FROM g_claim k JOIN g_proj g ON g.p = k.p
         UNION ALL SELECT k.k, k.id, 2, 'submit', NULL, NULL, g.village_user, k.submit_day FROM g_claim k JOIN g_proj g ON g.p = k.p WHERE k.state NOT IN ('draft', 'withdrawn')
         UNION ALL SELECT k.k, k.id, 3, 'township_review', NULL, '符合報帳要求', g.township_user, k.town_day FROM g_claim k JOIN g_proj g ON g.p = k.p
                    WHERE k.state IN ('township_reviewed', 'line_reviewed', 'approved', 'paid')
         UNION ALL SELECT k.k, k.id, 3, 'reject', NULL, '材料不全', g.township_user, k.end_step_day FROM g_claim k JOIN g_proj g ON g.p = k.p WHERE k.state = 'rejected'
         UNION ALL SELECT k.k, k.id, 2, 'withdraw', NULL, '村委會撤回', g.village_user, k.end_step_day FROM g_claim k JOIN g_proj g ON g.p = k.p WHERE k.state = 'withdrawn'
         UNION ALL SELECT k, id, 4, 'line_review', 'pass', '審核通過', $1::int, line_day FROM g_claim WHERE state IN ('line_reviewed', 'approved', 'paid')
         UNION ALL SELECT k, id, 5, 'approve', CASE WHEN leader THEN 'leader' ELSE 'alone' END, '同意支付', $2::int, approve_day FROM g_claim WHERE state IN ('approved', 'paid')
         UNION ALL SELECT k, id, 6, 'leader_sign', NULL, '同意', $3::int, leader_day FROM g_claim WHERE state IN ('approved', 'paid') AND leader
         UNION ALL SELECT k, id, 7, 'pay', NULL, NULL, $4::int, pay_day FROM g_claim WHERE state = 'paid') s
        ORDER BY k, o`,
      [line, f1, leader, f2],
    );
    await c.query(
      `INSERT INTO claim_invoices (county_id, claim_id, issuer, code, number, issuer_key, number_key, issued_on, amount)
       SELECT $1, k.id, v.issuer, v.code, v.number, v.issuer_key, v.number_key, ${S} + v.issued_day, v.amount
         FROM g_inv v JOIN g_claim k ON k.k = v.claim_k WHERE NOT v.packet_only ORDER BY v.i`,
      [cid],
    );
  });

  if (!o.sharesInvoicesWith) await step('register, objections', () => register(c, cid, f1, f2, at));
  return { countyId: cid, code: o.code, rows: {} };
}

/**
 * Publishes the notices `select` names (id, kind, formed, starts as day numbers): written as drafts first (a notice's
 * projects and allocations are attached only to a draft), then `pg_temp.publish()` publishes them with their period,
 * snapshot and PDF.
 */
async function publishNotices(c: Client, cid: number, code: string, f1: number, f2: number, S: string, select: string): Promise<void> {
  const root = await one<{ id: number }>(c, `SELECT id FROM org_units WHERE county_id = $1 AND level = 'county'`, [cid]);
  await c.query(
    `INSERT INTO notices (id, county_id, code, kind, publisher_unit_id, title, document_number, body, channels, formed_on, state, drafted_by, created_at)
     SELECT n.id, $1, $2 || '-' || n.kind || '-' || n.id, n.kind, $3, '公示 ' || n.id, '英扶公〔' || n.id || '〕號', '公示內容', '{portal,village_board}',
            ${S} + n.formed, 'draft', $4, ((${S} + n.formed)::timestamp + interval '9 hours') AT TIME ZONE 'Asia/Shanghai'
       FROM (${select}) n ORDER BY n.id`,
    [cid, code, root.id, f1],
  );
  await c.query(`SELECT setval(pg_get_serial_sequence('notices', 'id'), (SELECT max(id) FROM notices))`);
  await c.query(`DROP FUNCTION IF EXISTS pg_temp.publish()`);
  await c.query(`CREATE FUNCTION pg_temp.publish() RETURNS void LANGUAGE sql AS $$
    UPDATE notices x SET state = 'published', approved_by = ${f2}, approved_at = ((${S} + n.starts)::timestamp + interval '9 hours') AT TIME ZONE 'Asia/Shanghai',
           starts_on = ${S} + n.starts, ends_on = ${S} + n.starts + 10, snapshot = jsonb_build_object('notice', x.code),
           content_hash = encode(sha256(convert_to(jsonb_build_object('notice', x.code)::text, 'UTF8')), 'hex'),
           pdf = convert_to('%PDF-1.4 ' || x.code, 'UTF8'), pdf_sha256 = encode(sha256(convert_to('%PDF-1.4 ' || x.code, 'UTF8')), 'hex')
      FROM (${select}) n WHERE x.id = n.id AND x.county_id = ${cid} $$`);
}

/**
 * The register of officials and relatives, matched on payees of signed contracts: staff members' own ID number and
 * account (M07), relatives by ID number and by account (M15), one removed entry that matches and must not count, one
 * that matches nothing. And objections upheld on three paid projects' plan notices (M16).
 */
async function register(c: Client, cid: number, f1: number, f2: number, at: (day: string, hour?: number) => string): Promise<void> {
  // Distinct payees, in the order of their first contract.
  const person = `SELECT name, id_number, account FROM (SELECT DISTINCT ON (k.payee_account) k.id, k.payee_name AS name, k.payee_id_number AS id_number,
                         k.payee_account AS account FROM contracts k WHERE k.county_id = $1 AND k.state = 'signed' AND k.payee_type = 'individual'
                   ORDER BY k.payee_account, k.id) x ORDER BY id`;
  const company = `SELECT name, account FROM (SELECT DISTINCT ON (k.payee_account) k.id, k.payee_name AS name, k.payee_account AS account
                          FROM contracts k WHERE k.county_id = $1 AND k.state = 'signed' AND k.payee_type = 'company' ORDER BY k.payee_account, k.id) x
                    ORDER BY id`;
  const people = (await c.query<{ name: string; id_number: string; account: string }>(`${person} LIMIT 3`, [cid])).rows;
  const firms = (await c.query<{ name: string; account: string }>(`${company} LIMIT 3`, [cid])).rows;
  const entries: [string, string | null, string | null, string, string, boolean][] = [];
  if (people[0]) entries.push([people[0].name, people[0].id_number, null, 'self', people[0].name, false]);
  if (firms[0]) entries.push(['王某某', null, firms[0].account, 'self', '王某某', false]);
  if (people[1]) entries.push([people[1].name, people[1].id_number, null, 'spouse', '李某', false]);
  if (firms[1]) entries.push(['趙某某', null, firms[1].account, 'sibling', '趙某', false]);
  if (firms[2]) entries.push(['孫某某', null, firms[2].account, 'child', '孫某', true]);
  entries.push(['周某某', '42112419700101001X', '6222000000000001', 'parent', '周某', false]);
  for (const [name, idNumber, account, relation, official, removed] of entries) {
    await c.query(
      `INSERT INTO related_parties (county_id, name, id_number, bank_account, relation, official_name, office, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, '第1鄉鎮第1村村委會主任', $7, ${at('1000')})`,
      [cid, name, idNumber, account, relation, official, f1],
    );
    if (removed) {
      await c.query(
        `UPDATE related_parties SET removed_by = $3, removed_at = ${at('1010')}, removal_reason = '已調離' WHERE county_id = $1 AND bank_account = $2`,
        [cid, account, f2],
      );
    }
  }
  // Objections upheld after the money was paid: the plan notice no longer counts as passed.
  await c.query(
    `INSERT INTO notice_objections (county_id, notice_id, channel, content, received_on, late, state)
     SELECT $1, n.id, 'public', '項目實施地點與公示不符', n.starts_on + 2, false, 'received'
       FROM notices n JOIN notice_projects np ON np.notice_id = n.id
      WHERE n.county_id = $1 AND n.kind = 'plan' AND EXISTS (SELECT 1 FROM contract_payments p JOIN contracts k ON k.id = p.contract_id WHERE k.project_id = np.project_id)
      ORDER BY n.id LIMIT 3`,
    [cid],
  );
  await c.query(
    `UPDATE notice_objections SET state = 'answered', outcome = 'upheld', finding = '經核實，異議成立', investigated_by = $2, answered_by = $3, answered_at = ${at('1090')}
      WHERE county_id = $1`,
    [cid, f1, f2],
  );
}

/**
 * Refuses a ledger the triggers should have made impossible, read back as a whole: books that do not balance, an
 * account whose balance, line count or numbering is not its lines', a closing balance that is not the running sum of
 * the lines up to its day, or a workflow account below zero on any day.
 */
export async function checkLedger(c: Client, countyId: number): Promise<void> {
  const problems: string[] = [];
  const books = await c.query<{ book: string; debit: string; credit: string }>(
    `SELECT book, sum(debit) AS debit, sum(credit) AS credit FROM ledger_lines WHERE county_id = $1 GROUP BY book HAVING sum(debit) <> sum(credit)`,
    [countyId],
  );
  for (const b of books.rows) problems.push(`the ${b.book} book does not balance: ${b.debit} against ${b.credit}`);
  const accounts = await one<{ n: number }>(
    c,
    `SELECT count(*)::int AS n FROM ledger_accounts a
       LEFT JOIN (SELECT account_id, count(*) AS n, max(account_seq) AS top, sum(debit - credit) AS net FROM ledger_lines WHERE county_id = $1 GROUP BY account_id) l
              ON l.account_id = a.id
      WHERE a.county_id = $1
        AND (a.line_count <> coalesce(l.n, 0) OR coalesce(l.top, 0) <> coalesce(l.n, 0)
             OR a.balance <> CASE WHEN a.normal_side = 'debit' THEN coalesce(l.net, 0) ELSE -coalesce(l.net, 0) END)`,
    [countyId],
  );
  if (accounts.n > 0) problems.push(`${accounts.n} accounts disagree with their lines`);
  const closing = await one<{ wrong: number; negative: number }>(
    c,
    `WITH days AS (
       SELECT l.account_id, l.effective_date,
              sum(sum(CASE WHEN a.normal_side = 'debit' THEN l.debit - l.credit ELSE l.credit - l.debit END)) OVER (PARTITION BY l.account_id ORDER BY l.effective_date) AS balance
         FROM ledger_lines l JOIN ledger_accounts a ON a.id = l.account_id WHERE l.county_id = $1 GROUP BY l.account_id, l.effective_date)
     SELECT count(*) FILTER (WHERE c.balance IS DISTINCT FROM d.balance)::int AS wrong,
            count(*) FILTER (WHERE d.balance < 0 AND NOT a.allow_negative)::int AS negative
       FROM days d FULL JOIN (SELECT * FROM ledger_closing_balances WHERE county_id = $1) c USING (account_id, effective_date)
       LEFT JOIN ledger_accounts a ON a.id = coalesce(d.account_id, c.account_id)`,
    [countyId],
  );
  if (closing.wrong > 0) problems.push(`${closing.wrong} closing balances are not the running sum of their lines`);
  if (closing.negative > 0) problems.push(`${closing.negative} account-days of workflow accounts are below zero`);
  if (problems.length > 0) throw new Error(`county ${countyId}: ${problems.join('; ')}`);
}

async function rowCounts(c: Client, cid: number): Promise<Record<string, number>> {
  const tables = [
    'ledger_lines',
    'ledger_transactions',
    'ledger_accounts',
    'fund_allocations',
    'projects',
    'budget_lines',
    'contracts',
    'contract_payments',
    'retention_movements',
    'acceptances',
    'claims',
    'claim_invoices',
    'notices',
    'related_parties',
  ];
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = (await one<{ n: number }>(c, `SELECT count(*)::int AS n FROM ${t} WHERE county_id = $1`, [cid])).n;
  const steps = await one<{ n: number; states: Record<string, number> }>(
    c,
    `SELECT (SELECT count(*)::int FROM claim_steps s JOIN claims k ON k.id = s.claim_id WHERE k.county_id = $1) AS n,
            (SELECT jsonb_object_agg(state, n) FROM (SELECT state, count(*)::int AS n FROM claims WHERE county_id = $1 GROUP BY state) s) AS states`,
    [cid],
  );
  counts.claim_steps = steps.n;
  for (const [state, n] of Object.entries(steps.states ?? {})) counts[`claims ${state}`] = n;
  return counts;
}

/** One detector's figures: through the service's runner (with its alerts) and by itself in a snapshot. */
export interface DetectorFigures {
  id: string;
  name: string;
  /** Seconds in the runner's first run (alerts opened) and second (alerts already open); null without a runner. */
  runnerSeconds: (number | null)[];
  /** Seconds of `detect` alone, in a REPEATABLE READ transaction. */
  detectSeconds: number;
  findings: number;
  severities: Record<string, number>;
  example: string | null;
  error?: string;
  statements?: ExplainedStatement[];
}

export interface ExplainedStatement {
  sql: string;
  calls: number;
  plan: string;
  /** Tables read by a sequential scan, with their rows. */
  seqScans: { table: string; rows: number }[];
}

export interface MonitoringFigures {
  size: MonitoringSize;
  generated: Generated;
  detectors: DetectorFigures[];
  runnerTotals: number[];
  detectTotal: number;
  rssBeforeMiB: number;
  peakRssMiB: number;
}

/**
 * `monitoring`: a county generated by `generateMonitoringCounty` on the fresh database at `url`, then every detector of
 * the catalogue run as the service runs it: `MonitoringRunner.run` through the Nest application twice (the first run
 * opens the alerts, the second finds them open), then each detector's `detect` by itself in a REPEATABLE READ snapshot
 * with the context the runner builds. With `explain`, each SQL statement a detector sends is captured and its plan
 * (EXPLAIN without ANALYZE) printed.
 */
export async function monitoringCase(url: string, size: MonitoringSize, options: { explain: boolean; jwtSecret: string }): Promise<MonitoringFigures> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const ds = await createDataSource(url, 2).initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
  const generated = await generateMonitoringCounty(url, { ...size, log });
  log(`generated in ${generated.seconds.toFixed(0)} s`);
  const rssBeforeMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
  // The schedule would start a run of its own in the middle of the measured ones.
  process.env.MONITORING_INTERVAL_MS = '0';
  const app = await createApp({ databaseUrl: url, jwtSecret: options.jwtSecret, logLevel: false, poolSize: 4 });
  await app.init();
  try {
    const countyId = app.get(CountyService).county.id;
    if (countyId !== generated.counties[0].countyId) throw new Error(`the service runs county ${countyId}, not the generated one`);
    const figures = new Map<string, DetectorFigures>(
      DETECTORS.map((d) => [d.id, { id: d.id, name: d.nameEn, runnerSeconds: [], detectSeconds: 0, findings: 0, severities: {}, example: null }]),
    );
    const runnerTotals: number[] = [];
    const runner = runnerOf(app);
    for (let run = 0; run < 2 && runner; run++) {
      log(`runner run ${run + 1}`);
      const t0 = performance.now();
      const result = await runner.run(countyId, { trigger: 'demand', requestedBy: null });
      runnerTotals.push((performance.now() - t0) / 1000);
      for (const d of result?.detectors ?? []) {
        const f = figures.get(d.id);
        if (!f) continue;
        f.runnerSeconds.push(d.ms / 1000);
        if (d.error) f.error = d.error;
      }
    }
    let detectTotal = 0;
    for (const detector of DETECTORS) {
      log(`detect ${detector.id}`);
      const f = figures.get(detector.id)!;
      try {
        const { findings, seconds } = await detectAlone(app, countyId, detector);
        detectTotal += seconds;
        f.detectSeconds = seconds;
        f.findings = findings.length;
        for (const x of findings) f.severities[x.severity] = (f.severities[x.severity] ?? 0) + 1;
        f.example = findings[0]?.summary ?? null;
      } catch (err) {
        f.error = (err as Error).message;
      }
      if (options.explain) f.statements = await explained(app, countyId, detector);
    }
    return {
      size,
      generated,
      detectors: [...figures.values()],
      runnerTotals,
      detectTotal,
      rssBeforeMiB,
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await app.close();
  }
}

function runnerOf(app: INestApplication): MonitoringRunner | null {
  try {
    return app.get(MonitoringRunner, { strict: false });
  } catch {
    return null;
  }
}

/** The detector's findings in a snapshot, as test/support/monitoring.ts reads them, and how long `detect` took. */
async function detectAlone(
  app: INestApplication,
  countyId: number,
  detector: Detector,
  onTransaction?: (em: EntityManager) => void,
): Promise<{ findings: Finding[]; seconds: number }> {
  const today = app.get(Clock).today();
  return app.get(DataSource).transaction('REPEATABLE READ', async (em) => {
    const policy = await app.get(PoliciesService).valuesInForce(em, countyId, today);
    onTransaction?.(em);
    const t0 = performance.now();
    const findings = await detector.detect({ em, countyId, today, policy, ledger: app.get(LedgerReadingService), calendar: app.get(CalendarService) });
    return { findings, seconds: (performance.now() - t0) / 1000 };
  });
}

/** Runs the detector once more, capturing each statement it sends, then asks for the plan of each (with its first parameters). */
async function explained(app: INestApplication, countyId: number, detector: Detector): Promise<ExplainedStatement[]> {
  const seen = new Map<string, { params: unknown[]; calls: number }>();
  await detectAlone(app, countyId, detector, (em) => {
    const runner = em.queryRunner!;
    const query = runner.query.bind(runner) as (sql: string, params?: unknown[], structured?: boolean) => Promise<unknown>;
    // Every statement of the unit of work passes through its query runner: em.query and the query builders alike.
    Object.assign(runner, {
      query: (sql: string, params?: unknown[], structured?: boolean) => {
        const known = seen.get(sql);
        if (known) known.calls++;
        else seen.set(sql, { params: params ?? [], calls: 1 });
        return query(sql, params, structured);
      },
    });
  });
  const ds = app.get(DataSource);
  const out: ExplainedStatement[] = [];
  for (const [sql, { params, calls }] of seen) {
    if (!/^\s*(SELECT|WITH)\b/i.test(sql)) continue;
    let plan: string;
    try {
      const rows: { 'QUERY PLAN': string }[] = await ds.query(`EXPLAIN ${sql}`, params);
      // A plan line names the statement's parameters, an array of thousands of ids among them: cut.
      plan = rows.map((r) => (r['QUERY PLAN'].length > 300 ? `${r['QUERY PLAN'].slice(0, 300)}…` : r['QUERY PLAN'])).join('\n');
    } catch (err) {
      plan = `(no plan: ${(err as Error).message})`;
    }
    const tables = [...plan.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]);
    const seqScans: { table: string; rows: number }[] = [];
    for (const table of [...new Set(tables)]) {
      const [{ n }]: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM ${table}`);
      seqScans.push({ table, rows: n });
    }
    out.push({ sql: sql.replace(/\s+/g, ' ').trim(), calls, plan, seqScans });
  }
  return out;
}

/** Prints the figures: the generation, then per detector, the totals and, when asked, the plans. */
export function printMonitoring(f: MonitoringFigures): void {
  const g = f.generated;
  const main = g.counties[0];
  console.log(
    `monitoring: county of ${f.size.lines} lines, ${f.size.projects} projects, ${f.size.claims} claims, ${f.size.invoices} invoices (today ${g.today})`,
  );
  console.log(`  generated in ${g.seconds.toFixed(0)} s: ${g.steps.map(([name, s]) => `${name} ${s.toFixed(0)} s`).join(', ')}`);
  console.log(
    `  rows (county ${main.code}): ${Object.entries(main.rows)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}`,
  );
  const other = g.counties[1];
  if (other)
    console.log(
      `  neighbouring county ${other.code}: ${Object.entries(other.rows)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')}`,
    );
  const s = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(3));
  console.log(
    `  ${'detector'.padEnd(9)} ${'runner 1 s'.padStart(10)} ${'runner 2 s'.padStart(10)} ${'detect s'.padStart(9)} ${'findings'.padStart(8)}  severities`,
  );
  for (const d of f.detectors) {
    const sev = Object.entries(d.severities)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    console.log(
      `  ${d.id.padEnd(9)} ${s(d.runnerSeconds[0]).padStart(10)} ${s(d.runnerSeconds[1]).padStart(10)} ${s(d.detectSeconds).padStart(9)} ${String(d.findings).padStart(8)}  ${sev}${d.error ? `  ERROR ${d.error}` : ''}`,
    );
  }
  console.log(
    `  ${'total'.padEnd(9)} ${s(f.runnerTotals[0]).padStart(10)} ${s(f.runnerTotals[1]).padStart(10)} ${s(f.detectTotal).padStart(9)} ${String(f.detectors.reduce((n, d) => n + d.findings, 0)).padStart(8)}`,
  );
  console.log(`  RSS after generating ${f.rssBeforeMiB} MiB, peak ${f.peakRssMiB} MiB`);
  for (const d of f.detectors) if (d.example) console.log(`  ${d.id} e.g. ${d.example}`);
  const plans = f.detectors.filter((d) => d.statements);
  if (plans.length === 0) return;
  console.log('monitoring: each statement a detector sends, with its plan');
  for (const d of plans) {
    for (const st of d.statements!) {
      console.log(`--- ${d.id} (${st.calls} call${st.calls === 1 ? '' : 's'}): ${st.sql}`);
      console.log(st.plan);
    }
  }
  console.log('monitoring: sequential scans in the plans (table: rows in it)');
  for (const d of plans) {
    const scans = d.statements!.flatMap((st) => st.seqScans.map((x) => `${x.table}: ${x.rows}`));
    console.log(`  ${d.id}: ${scans.length === 0 ? 'none' : [...new Set(scans)].join(', ')}`);
  }
}
