import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier as ident, escapeLiteral as literal } from 'pg';
import { z } from 'zod';
import { onClient } from './prepared';
import { col, selectOne, selectRows } from './rows';

/** What the service writes to a table besides reading it: whole rows, rows removed, and which columns it changes. */
interface TableGrant {
  insert?: true;
  delete?: true;
  update?: readonly string[];
}

/**
 * Every table of the schema and what the service does with it: the whole of its role's rights (it reads every
 * table). A table missing here makes `applyServiceRole` refuse, so a new table gets a decision, not a default.
 * Balances, sealing and chain heads are written by SECURITY DEFINER functions (LeastPrivilege migration), so
 * the role holds no UPDATE on ledger_accounts, audit_events or audit_chain_heads.
 */
export const SERVICE_TABLES: Readonly<Record<string, TableGrant>> = {
  schema_migrations: {},
  counties: { insert: true },
  audit_events: { insert: true },
  audit_chain_heads: {},
  // Signed by the service; a witness's co-signature line is appended to `note`, nothing else changes (Checkpoints migration).
  audit_checkpoints: { insert: true, update: ['note'] },
  ledger_accounts: { insert: true },
  // Kept by the line trigger as the schema's owner (AccountDimensions migration); the service only reads them.
  ledger_closing_balances: {},
  ledger_transactions: { insert: true },
  ledger_lines: { insert: true },
  org_units: { insert: true },
  users: { insert: true, update: ['roles', 'disabled', 'password_hash', 'password_version', 'password_change_required'] },
  ledger_vouchers: { insert: true, update: ['state', 'approved_by', 'approved_at', 'transaction_id'] },
  dedicated_accounts: { insert: true },
  fund_allocations: { insert: true },
  policy_changes: { insert: true, update: ['state', 'approved_by', 'approved_at'] },
  projects: { insert: true, update: ['state'] },
  project_transitions: { insert: true },
  budget_lines: { insert: true, update: ['state', 'signed_by', 'transaction_id'] },
  contracts: { insert: true, update: ['state', 'signed_by', 'signed_on', 'retention_rate', 'commit_transaction_id', 'settled_by', 'settled_at'] },
  contract_inspections: { insert: true },
  contract_payments: { insert: true },
  acceptances: { insert: true, update: ['state', 'closed_at', 'defect_days'] },
  acceptance_signoffs: { insert: true },
  retention_movements: { insert: true, update: ['state', 'approved_by', 'transaction_id'] },
  claims: {
    insert: true,
    update: [
      'version',
      'state',
      'amount',
      'stage',
      'final',
      'acceptance_id',
      'application_date',
      'expenses',
      'township_signed_on',
      'line_result',
      'hold_transaction_id',
      'payment_id',
    ],
  },
  claim_versions: { insert: true },
  claim_steps: { insert: true },
  claim_attachments: { insert: true },
  // A corrected claim replaces its invoice list; the invoices of every version stay in claim_versions.
  claim_invoices: { insert: true, delete: true },
  // Kept for ever, like the changes they answer for (docs/architecture.md, "Idempotency"): no DELETE.
  idempotency_records: { insert: true },
  // Written only by the database: a county's national days when it is created, a day when its change is approved.
  calendar_days: {},
  calendar_changes: { insert: true, update: ['state', 'decided_by', 'decided_at', 'rejection_reason'] },
  notices: {
    insert: true,
    update: [
      'title',
      'document_number',
      'body',
      'channels',
      'formed_on',
      'supersedes_id',
      'state',
      'approved_by',
      'approved_at',
      'starts_on',
      'ends_on',
      'snapshot',
      'content_hash',
      'pdf',
      'pdf_sha256',
    ],
  },
  // A draft's projects and allocations are replaced when it is edited.
  notice_projects: { insert: true, delete: true },
  notice_allocations: { insert: true, delete: true },
  // Written by the schema's owner only (tests, training copies): the service may not move the database's day.
  clock_travel: {},
  notice_evidence: { insert: true },
  notice_objections: { insert: true, update: ['state', 'outcome', 'finding', 'investigated_by', 'answered_by', 'answered_at'] },
  monitoring_runs: { insert: true, update: ['state', 'detectors', 'opened', 'updated', 'raised', 'closed', 'finished_at'] },
  monitoring_alerts: {
    insert: true,
    update: [
      'severity',
      'state',
      'summary',
      'evidence',
      'finding_key',
      'last_seen_on',
      'acknowledged_by',
      'explained_by',
      'explanation',
      'closed_by',
      'closed_at',
      'close_reason',
      'closed_automatically',
    ],
  },
  monitoring_alert_history: { insert: true },
  monitoring_alert_evidence: { insert: true },
  related_parties: { insert: true, update: ['removed_by', 'removed_at', 'removal_reason'] },
  inspection_plans: { insert: true },
  inspection_plan_projects: { insert: true },
  inspection_findings: { insert: true },
};

/** Functions only the service's role (and the owner) may call: sealing runs as the owner (LeastPrivilege). */
export const SERVICE_FUNCTIONS = ['audit_seal(integer, integer)'];

export interface ServiceRoleReport {
  created: boolean;
  /** Set when the role was created without a given password: shown once, nowhere stored. */
  generatedPassword?: string;
  tables: number;
  sequences: number;
  warnings: string[];
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates or updates the LOGIN role the service runs as, on the database at `ownerUrl` (connected as the schema's
 * owner, or a role that may create roles and grant on its tables), and leaves it exactly the rights in
 * SERVICE_TABLES / SERVICE_FUNCTIONS: whatever else it held on the schema's tables, sequences and functions is revoked.
 * Run it after the migrations, and again after each release's migrations. One transaction: all or nothing.
 */
export async function applyServiceRole(ownerUrl: string, name: string, password?: string): Promise<ServiceRoleReport> {
  if (!ROLE_NAME.test(name)) throw new Error(`role name ${JSON.stringify(name)}: lower-case letters, digits and _, at most 63`);
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    const report = await apply(client, name, password);
    await client.query('COMMIT');
    return report;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

const Named = z.object({ name: col.text });

async function apply(client: Client, name: string, password: string | undefined): Promise<ServiceRoleReport> {
  const warnings: string[] = [];
  const role = ident(name);
  const db = onClient(client);
  const [{ schema, me }] = await selectRows(db, z.object({ schema: col.text, me: col.text }), `SELECT current_schema() AS schema, current_user AS me`);
  if (name === me) throw new Error(`${name} is the role running this command: the service's role must be another, one that owns nothing`);

  const tables = await selectRows(
    db,
    Named.extend({ owner: col.text }),
    `SELECT c.relname AS name, pg_get_userbyid(c.relowner) AS owner FROM pg_class c
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') ORDER BY 1`,
  );
  const undeclared = tables.filter((t) => !(t.name in SERVICE_TABLES)).map((t) => t.name);
  if (undeclared.length > 0) {
    throw new Error(`table(s) ${undeclared.join(', ')} not in SERVICE_TABLES (src/database/service-role.ts): declare what the service does with them`);
  }
  const missing = Object.keys(SERVICE_TABLES).filter((t) => !tables.some((x) => x.name === t));
  if (missing.length > 0) throw new Error(`table(s) ${missing.join(', ')} do not exist in schema ${schema}: run the migrations first`);

  const existing = await selectOne(
    db,
    z.object({ rolsuper: col.bool, rolbypassrls: col.bool, rolreplication: col.bool }),
    `SELECT rolsuper, rolbypassrls, rolreplication FROM pg_roles WHERE rolname = $1`,
    [name],
  );
  if (existing?.rolsuper || existing?.rolbypassrls || existing?.rolreplication) {
    throw new Error(`${name} is a superuser or bypasses row security or replicates: no grant binds it; choose another role`);
  }
  let generatedPassword: string | undefined;
  if (!existing) {
    if (password === undefined) password = generatedPassword = randomBytes(24).toString('base64url');
    // NOINHERIT: a role granted to it later does not silently widen what the service may do.
    await client.query(`CREATE ROLE ${role} LOGIN NOINHERIT PASSWORD ${literal(password)}`);
  } else {
    await client.query(`ALTER ROLE ${role} LOGIN NOINHERIT NOCREATEDB NOCREATEROLE${password === undefined ? '' : ` PASSWORD ${literal(password)}`}`);
  }

  // The triggers bind only roles that are not the tables' owner and cannot become it.
  const owners = [...new Set(tables.map((t) => t.owner))];
  const owning = await selectRows(db, z.object({ owner: col.text }), `SELECT o AS owner FROM unnest($2::text[]) o WHERE pg_has_role($1, o, 'MEMBER')`, [
    name,
    owners,
  ]);
  if (owning.length > 0) throw new Error(`${name} owns the schema's tables or is a member of their owner ${owning[0].owner}: choose a role that owns nothing`);

  const inSchema = ident(schema);
  await client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${inSchema} FROM ${role}`);
  await client.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${inSchema} FROM ${role}`);
  await client.query(`REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ${inSchema} FROM ${role}`);
  await client.query(`REVOKE CREATE ON SCHEMA ${inSchema} FROM ${role}`);
  await client.query(`GRANT USAGE ON SCHEMA ${inSchema} TO ${role}`);

  for (const [table, grant] of Object.entries(SERVICE_TABLES)) {
    const privileges = ['SELECT', ...(grant.insert ? ['INSERT'] : []), ...(grant.delete ? ['DELETE'] : [])];
    await client.query(`GRANT ${privileges.join(', ')} ON ${ident(table)} TO ${role}`);
    if (grant.update) await client.query(`GRANT UPDATE (${grant.update.map(ident).join(', ')}) ON ${ident(table)} TO ${role}`);
  }
  // Inserting takes ids from the sequences behind the inserted tables' serial columns; no other sequence.
  const sequences = await selectRows(
    db,
    Named,
    `SELECT DISTINCT s.relname AS name FROM pg_class s
       JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid AND d.refclassid = 'pg_class'::regclass
       JOIN pg_class t ON t.oid = d.refobjid
      WHERE s.relkind = 'S' AND s.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1)`,
    [
      Object.entries(SERVICE_TABLES)
        .filter(([, g]) => g.insert)
        .map(([t]) => t),
    ],
  );
  for (const { name: sequence } of sequences) await client.query(`GRANT USAGE ON SEQUENCE ${ident(sequence)} TO ${role}`);
  for (const fn of SERVICE_FUNCTIONS) await client.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${role}`);

  const [{ create }] = await selectRows(db, z.object({ create: col.bool }), `SELECT has_schema_privilege($1, current_schema(), 'CREATE') AS create`, [name]);
  if (create) warnings.push(`${name} may still create objects in schema ${schema} (granted to PUBLIC): REVOKE CREATE ON SCHEMA ${schema} FROM PUBLIC`);
  return { created: !existing, generatedPassword, tables: tables.length, sequences: sequences.length, warnings };
}
