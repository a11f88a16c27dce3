import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts carry what they are about as columns, and balances as of a date come from kept closing balances.
 *
 * - `kind` and the ids an account belongs to (allocation, project, contract, claim, dedicated account, expense
 *   category) are set when it is opened and never change, like its code: the features ask the ledger by these, and
 *   the code stays for people. Existing accounts get them from their codes (a dedicated account's bank from its link),
 *   and a contract's accounts also get the contract's project. An account whose code is spelled as no family stays
 *   `manual`. `CK_ledger_accounts_dimensions` holds each kind to its type and exactly its dimensions.
 * - `ledger_closing_balances`: an account's balance at the end of each effective date on which it moved, kept after
 *   each statement that inserts lines, under the accounts' row locks the line trigger took (a backdated line moves the
 *   later days too), so a balance as of a date is one index lookup. Written only by that trigger; existing lines are
 *   summed into it here.
 * - The ledger's own Idempotency-Key columns go: no request sets them since manual entries became vouchers (their keys
 *   live in `idempotency_records`, like every request's).
 */
export class AccountDimensions1796146000000 implements MigrationInterface {
  name = 'AccountDimensions1796146000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."UQ_ledger_transactions_idempotency_key"`);
    await q.query(`ALTER TABLE "ledger_transactions" DROP COLUMN "idempotency_key"`);
    await q.query(`ALTER TABLE "ledger_transactions" DROP COLUMN "request_hash"`);

    await q.query(`ALTER TABLE "ledger_accounts" ADD "kind" character varying(32) NOT NULL DEFAULT 'manual'`);
    await q.query(`ALTER TABLE "ledger_accounts" ADD "allocation_id" integer`);
    await q.query(`ALTER TABLE "ledger_accounts" ADD "project_id" integer`);
    await q.query(`ALTER TABLE "ledger_accounts" ADD "contract_id" integer`);
    await q.query(`ALTER TABLE "ledger_accounts" ADD "claim_id" integer`);
    await q.query(`ALTER TABLE "ledger_accounts" ADD "dedicated_account_id" integer`);
    await q.query(`ALTER TABLE "ledger_accounts" ADD "category" character varying(32)`);
    await this.backfillDimensions(q);
    await q.query(`CREATE INDEX "IDX_ledger_accounts_contract" ON "ledger_accounts" ("contract_id", "kind") WHERE contract_id IS NOT NULL`);
    await q.query(`CREATE INDEX "IDX_ledger_accounts_project" ON "ledger_accounts" ("project_id", "kind") WHERE project_id IS NOT NULL`);
    await q.query(`CREATE INDEX "IDX_ledger_accounts_allocation" ON "ledger_accounts" ("allocation_id", "kind") WHERE allocation_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "UQ_ledger_accounts_bank" ON "ledger_accounts" ("county_id", "dedicated_account_id") WHERE kind = 'bank'`);
    // Checked on every update of the row (each line moves the balance): plain null tests, no function calls.
    await q.query(`ALTER TABLE "ledger_accounts" ADD CONSTRAINT "CK_ledger_accounts_dimensions" CHECK (CASE "kind"
     WHEN 'manual' THEN ("allocation_id", "project_id", "contract_id", "claim_id", "dedicated_account_id", "category") IS NULL
     WHEN 'bank' THEN "type" = 'asset' AND "dedicated_account_id" IS NOT NULL
       AND ("allocation_id", "project_id", "contract_id", "claim_id", "category") IS NULL
     WHEN 'fund' THEN "type" = 'net_assets' AND ("allocation_id", "dedicated_account_id") IS NOT NULL
       AND ("project_id", "contract_id", "claim_id", "category") IS NULL
     WHEN 'appropriation' THEN "type" = 'appropriation' AND "allocation_id" IS NOT NULL
       AND ("project_id", "contract_id", "claim_id", "dedicated_account_id", "category") IS NULL
     WHEN 'quota_unallocated' THEN "type" = 'quota' AND "allocation_id" IS NOT NULL
       AND ("project_id", "contract_id", "claim_id", "dedicated_account_id", "category") IS NULL
     WHEN 'quota_project' THEN "type" = 'quota' AND ("project_id", "allocation_id") IS NOT NULL
       AND ("contract_id", "claim_id", "dedicated_account_id", "category") IS NULL
     WHEN 'quota_spent' THEN "type" = 'quota' AND ("project_id", "allocation_id") IS NOT NULL
       AND ("contract_id", "claim_id", "dedicated_account_id", "category") IS NULL
     WHEN 'quota_committed' THEN "type" = 'quota' AND ("project_id", "contract_id", "allocation_id") IS NOT NULL
       AND ("claim_id", "dedicated_account_id", "category") IS NULL
     WHEN 'retention' THEN "type" = 'liability' AND ("project_id", "contract_id", "allocation_id") IS NOT NULL
       AND ("claim_id", "dedicated_account_id", "category") IS NULL
     WHEN 'quota_held' THEN "type" = 'quota' AND ("project_id", "contract_id", "claim_id", "allocation_id") IS NOT NULL
       AND ("dedicated_account_id", "category") IS NULL
     WHEN 'expense' THEN "type" = 'expense' AND ("project_id", "allocation_id", "category") IS NOT NULL
       AND ("contract_id", "claim_id", "dedicated_account_id") IS NULL
     ELSE false
   END)`);

    await q.query(
      `CREATE TABLE "ledger_closing_balances" ("account_id" bigint NOT NULL, "effective_date" date NOT NULL, "county_id" integer NOT NULL, "balance" numeric(20,2) NOT NULL, CONSTRAINT "PK_ledger_closing_balances" PRIMARY KEY ("account_id", "effective_date"))`,
    );
    await q.query(
      `ALTER TABLE "ledger_closing_balances" ADD CONSTRAINT "FK_ledger_closing_balances_account" FOREIGN KEY ("account_id") REFERENCES "ledger_accounts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "ledger_closing_balances" ADD CONSTRAINT "FK_ledger_closing_balances_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(`
      INSERT INTO ledger_closing_balances (account_id, effective_date, county_id, balance)
      SELECT l.account_id, l.effective_date, a.county_id,
             sum(sum(CASE WHEN a.normal_side = 'debit' THEN l.debit - l.credit ELSE l.credit - l.debit END))
               OVER (PARTITION BY l.account_id ORDER BY l.effective_date)
        FROM ledger_lines l JOIN ledger_accounts a ON a.id = l.account_id
       GROUP BY l.account_id, l.effective_date, a.county_id, a.normal_side`);
    // Only the lines' trigger writes closing balances (as the schema's owner, nested in the lines' insert).
    await q.query(`
      CREATE FUNCTION ledger_closing_balances_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR pg_trigger_depth() < 2 THEN
          RAISE EXCEPTION USING ERRCODE = 'FL005', MESSAGE = format('closing balances change only through ledger lines: %s refused', TG_OP);
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER ledger_closing_balances_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_closing_balances
      FOR EACH ROW EXECUTE FUNCTION ledger_closing_balances_guard()`);
    await q.query(`
      CREATE TRIGGER ledger_closing_balances_no_truncate BEFORE TRUNCATE ON ledger_closing_balances
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);

    // After each statement that inserts lines (a posting's, or a batch's), its lines move the closing balances of their
    // accounts, set-wise: every existing day on or after a line's date by the line's movement, and a day an account had
    // not moved on yet starts from its last day before. The line trigger holds the accounts' row locks until commit, so
    // no other transaction moves these days meanwhile, and this statement reads them as they stand.
    await q.query(`
      CREATE FUNCTION ledger_lines_close_days() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        WITH moved AS (
          SELECT l.account_id, l.effective_date, min(l.county_id) AS county_id,
                 sum(CASE WHEN a.normal_side = 'debit' THEN l.debit - l.credit ELSE l.credit - l.debit END) AS movement
            FROM new_lines l JOIN ledger_accounts a ON a.id = l.account_id
           GROUP BY l.account_id, l.effective_date),
        later AS (
          SELECT c.account_id, c.effective_date, sum(m.movement) AS movement
            FROM moved m JOIN ledger_closing_balances c ON c.account_id = m.account_id AND c.effective_date >= m.effective_date
           GROUP BY c.account_id, c.effective_date),
        updated AS (
          UPDATE ledger_closing_balances c SET balance = c.balance + later.movement
            FROM later WHERE c.account_id = later.account_id AND c.effective_date = later.effective_date)
        INSERT INTO ledger_closing_balances (account_id, effective_date, county_id, balance)
        SELECT d.account_id, d.effective_date, d.county_id,
               coalesce((SELECT c.balance FROM ledger_closing_balances c
                          WHERE c.account_id = d.account_id AND c.effective_date < d.effective_date
                          ORDER BY c.effective_date DESC LIMIT 1), 0)
               + (SELECT sum(m.movement) FROM moved m WHERE m.account_id = d.account_id AND m.effective_date <= d.effective_date)
          FROM moved d
         WHERE NOT EXISTS (SELECT 1 FROM ledger_closing_balances c WHERE c.account_id = d.account_id AND c.effective_date = d.effective_date);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER ledger_lines_close_days AFTER INSERT ON ledger_lines
      REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION ledger_lines_close_days()`);
    // What an account is about never changes, like its code.
    await q.query(`
      CREATE OR REPLACE FUNCTION ledger_accounts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION USING ERRCODE = 'FL005', MESSAGE = format('account %s cannot be deleted', OLD.code);
        END IF;
        IF (NEW.id, NEW.county_id, NEW.code, NEW.book, NEW.type, NEW.normal_side, NEW.allow_negative, NEW.restricted_outflow, NEW.created_at,
            NEW.kind, NEW.allocation_id, NEW.project_id, NEW.contract_id, NEW.claim_id, NEW.dedicated_account_id, NEW.category)
           IS DISTINCT FROM (OLD.id, OLD.county_id, OLD.code, OLD.book, OLD.type, OLD.normal_side, OLD.allow_negative, OLD.restricted_outflow, OLD.created_at,
            OLD.kind, OLD.allocation_id, OLD.project_id, OLD.contract_id, OLD.claim_id, OLD.dedicated_account_id, OLD.category) THEN
          RAISE EXCEPTION USING ERRCODE = 'FL005', MESSAGE = format('account %s: only its name may change', OLD.code);
        END IF;
        IF (NEW.balance IS DISTINCT FROM OLD.balance OR NEW.line_count IS DISTINCT FROM OLD.line_count) AND pg_trigger_depth() < 2 THEN
          RAISE EXCEPTION USING ERRCODE = 'FL005',
            MESSAGE = format('account %s: the balance and line count change only through ledger lines', OLD.code);
        END IF;
        IF NEW.line_count NOT IN (OLD.line_count, OLD.line_count + 1) THEN
          RAISE EXCEPTION USING ERRCODE = 'FL005', MESSAGE = format('account %s: lines are numbered one at a time', OLD.code);
        END IF;
        IF NOT NEW.allow_negative AND NEW.balance < 0 THEN
          RAISE EXCEPTION USING ERRCODE = 'FL002', DETAIL = NEW.code,
            MESSAGE = format('account %s may not go negative (would be %s)', NEW.code, NEW.balance);
        END IF;
        RETURN NEW;
      END $$`);
    await keepPrivilegeSettings(q, ['ledger_accounts_guard()', 'ledger_closing_balances_guard()', 'ledger_lines_close_days()']);
    // It writes closing balances as the schema's owner, like the line trigger moves balances (LeastPrivilege).
    await q.query(`ALTER FUNCTION ledger_lines_close_days() SECURITY DEFINER`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The functions as AccountLineSequence left them.
    await q.query(`
      CREATE OR REPLACE FUNCTION ledger_accounts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION USING ERRCODE = 'FL005', MESSAGE = format('account %s cannot be deleted', OLD.code);
        END IF;
        IF (NEW.id, NEW.county_id, NEW.code, NEW.book, NEW.type, NEW.normal_side, NEW.allow_negative, NEW.restricted_outflow, NEW.created_at)
           IS DISTINCT FROM (OLD.id, OLD.county_id, OLD.code, OLD.book, OLD.type, OLD.normal_side, OLD.allow_negative, OLD.restricted_outflow, OLD.created_at) THEN
          RAISE EXCEPTION USING ERRCODE = 'FL005', MESSAGE = format('account %s: only its name may change', OLD.code);
        END IF;
        IF (NEW.balance IS DISTINCT FROM OLD.balance OR NEW.line_count IS DISTINCT FROM OLD.line_count) AND pg_trigger_depth() < 2 THEN
          RAISE EXCEPTION USING ERRCODE = 'FL005',
            MESSAGE = format('account %s: the balance and line count change only through ledger lines', OLD.code);
        END IF;
        IF NEW.line_count NOT IN (OLD.line_count, OLD.line_count + 1) THEN
          RAISE EXCEPTION USING ERRCODE = 'FL005', MESSAGE = format('account %s: lines are numbered one at a time', OLD.code);
        END IF;
        IF NOT NEW.allow_negative AND NEW.balance < 0 THEN
          RAISE EXCEPTION USING ERRCODE = 'FL002', DETAIL = NEW.code,
            MESSAGE = format('account %s may not go negative (would be %s)', NEW.code, NEW.balance);
        END IF;
        RETURN NEW;
      END $$`);
    await keepPrivilegeSettings(q, ['ledger_accounts_guard()']);
    await q.query(`DROP TRIGGER ledger_lines_close_days ON ledger_lines`);
    await q.query(`DROP FUNCTION ledger_lines_close_days()`);
    await q.query(`DROP TABLE "ledger_closing_balances"`);
    await q.query(`DROP FUNCTION ledger_closing_balances_guard()`);
    await q.query(`ALTER TABLE "ledger_accounts" DROP CONSTRAINT "CK_ledger_accounts_dimensions"`);
    await q.query(`DROP INDEX "public"."UQ_ledger_accounts_bank"`);
    await q.query(`DROP INDEX "public"."IDX_ledger_accounts_allocation"`);
    await q.query(`DROP INDEX "public"."IDX_ledger_accounts_project"`);
    await q.query(`DROP INDEX "public"."IDX_ledger_accounts_contract"`);
    for (const column of ['category', 'dedicated_account_id', 'claim_id', 'contract_id', 'project_id', 'allocation_id', 'kind']) {
      await q.query(`ALTER TABLE "ledger_accounts" DROP COLUMN "${column}"`);
    }
    await q.query(`ALTER TABLE "ledger_transactions" ADD "request_hash" character(64)`);
    await q.query(`ALTER TABLE "ledger_transactions" ADD "idempotency_key" character varying(200)`);
    await q.query(
      `CREATE UNIQUE INDEX "UQ_ledger_transactions_idempotency_key" ON "ledger_transactions" ("county_id", "idempotency_key") WHERE idempotency_key IS NOT NULL`,
    );
  }

  /**
   * The dimensions of the accounts opened before they were columns, read from their codes (the spelling of
   * src/ledger/domain/account-refs.ts as it stood) and, for a dedicated account's bank, from the dedicated account that
   * links it. A contract's accounts take the contract's project; an allocation's fund its dedicated account.
   */
  private async backfillDimensions(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE ledger_accounts a SET kind = 'bank', dedicated_account_id = d.id
        FROM dedicated_accounts d WHERE d.ledger_account_id = a.id AND a.type = 'asset'`);
    const parsed = (pattern: string) => `(SELECT id, regexp_match(code, '${pattern}') AS m FROM ledger_accounts) p`;
    await q.query(`
      UPDATE ledger_accounts a SET kind = 'fund', allocation_id = f.id, dedicated_account_id = f.dedicated_account_id
        FROM ${parsed('^fund:A(\\d+)$')}, fund_allocations f
       WHERE p.id = a.id AND f.id = p.m[1]::int AND f.county_id = a.county_id AND a.type = 'net_assets'`);
    for (const [kind, type, pattern] of [
      ['appropriation', 'appropriation', '^appropriation:A(\\d+)$'],
      ['quota_unallocated', 'quota', '^quota:unallocated:A(\\d+)$'],
    ]) {
      await q.query(`
        UPDATE ledger_accounts a SET kind = '${kind}', allocation_id = p.m[1]::int
          FROM ${parsed(pattern)} WHERE p.id = a.id AND p.m IS NOT NULL AND a.type = '${type}'`);
    }
    for (const [kind, pattern] of [
      ['quota_project', '^quota:project:P(\\d+):A(\\d+)$'],
      ['quota_spent', '^quota:spent:P(\\d+):A(\\d+)$'],
    ]) {
      await q.query(`
        UPDATE ledger_accounts a SET kind = '${kind}', project_id = p.m[1]::int, allocation_id = p.m[2]::int
          FROM ${parsed(pattern)} WHERE p.id = a.id AND p.m IS NOT NULL AND a.type = 'quota'`);
    }
    for (const [kind, type, pattern] of [
      ['quota_committed', 'quota', '^quota:committed:C(\\d+):A(\\d+)$'],
      ['retention', 'liability', '^retention:C(\\d+):A(\\d+)$'],
    ]) {
      await q.query(`
        UPDATE ledger_accounts a SET kind = '${kind}', project_id = c.project_id, contract_id = c.id, allocation_id = p.m[2]::int
          FROM ${parsed(pattern)}, contracts c
         WHERE p.id = a.id AND c.id = p.m[1]::int AND c.county_id = a.county_id AND a.type = '${type}'`);
    }
    await q.query(`
      UPDATE ledger_accounts a SET kind = 'quota_held', project_id = c.project_id, contract_id = c.id, claim_id = p.m[2]::int, allocation_id = p.m[3]::int
        FROM ${parsed('^quota:held:C(\\d+):K(\\d+):A(\\d+)$')}, contracts c
       WHERE p.id = a.id AND c.id = p.m[1]::int AND c.county_id = a.county_id AND a.type = 'quota'`);
    await q.query(`
      UPDATE ledger_accounts a SET kind = 'expense', project_id = p.m[1]::int, allocation_id = p.m[2]::int, category = p.m[3]
        FROM ${parsed('^expense:P(\\d+):A(\\d+):([a-z_]+)$')} WHERE p.id = a.id AND p.m IS NOT NULL AND a.type = 'expense'`);
  }
}

/** Names resolve in the schema only, as for every function of the schema (LeastPrivilege migration). */
async function keepPrivilegeSettings(q: QueryRunner, functions: string[]): Promise<void> {
  for (const fn of functions) {
    await q.query(`DO $$ BEGIN EXECUTE format('ALTER FUNCTION ${fn} SET search_path = %I, pg_temp', current_schema()); END $$`);
  }
}
