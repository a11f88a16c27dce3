import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statements in the order balances moved. `balance_after` follows the order in which postings took the account's
 * row lock, which under concurrency is not the order line ids were drawn in; so the trigger that moves the balance
 * under that lock also numbers the line: `ledger_accounts.line_count` counts the account's lines and
 * `ledger_lines.account_seq` is the line's place, 1..n without gaps (a rolled-back posting takes its number back with
 * its balance). Statements page by (account_id, account_seq).
 */
export class AccountLineSequence1796143772909 implements MigrationInterface {
  name = 'AccountLineSequence1796143772909';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "ledger_accounts" ADD "line_count" bigint NOT NULL DEFAULT '0'`);
    await q.query(`ALTER TABLE "ledger_lines" ADD "account_seq" bigint`);

    // Existing lines: number each account's lines so that its balances chain (balance before + movement = balance
    // after). Where id order already chains (no concurrent postings touched the account) it is kept.
    await q.query(`ALTER TABLE ledger_lines DISABLE TRIGGER ledger_lines_append_only`);
    await q.query(`
      UPDATE ledger_lines l SET account_seq = s.n
        FROM (SELECT id, row_number() OVER (PARTITION BY account_id ORDER BY id) AS n FROM ledger_lines) s
       WHERE s.id = l.id`);
    // Elsewhere the order is recovered from the balances themselves: lines are edges from the balance before to the
    // balance after, and a walk from 0 that uses every edge once (Hierholzer's, lowest id first) is an order in
    // which they could have been posted. Lines no such walk reaches (only if the data was edited behind the
    // triggers) follow in id order.
    await q.query(`
      DO $$
      DECLARE
        acc record;
        nxt record;
        st_node numeric[];
        st_edge bigint[];
        top integer;
        trail bigint[];
        k integer;
      BEGIN
        CREATE TEMP TABLE seq_edges ON COMMIT DROP AS
          SELECT l.account_id, l.id,
                 l.balance_after - CASE WHEN a.normal_side = 'debit' THEN l.debit - l.credit ELSE l.credit - l.debit END AS from_balance,
                 l.balance_after AS to_balance
            FROM ledger_lines l JOIN ledger_accounts a ON a.id = l.account_id
           WHERE l.account_id IN (
                 SELECT account_id FROM (
                   SELECT l2.account_id, l2.balance_after,
                          lag(l2.balance_after, 1, 0::numeric) OVER (PARTITION BY l2.account_id ORDER BY l2.id)
                            + CASE WHEN a2.normal_side = 'debit' THEN l2.debit - l2.credit ELSE l2.credit - l2.debit END AS expected
                     FROM ledger_lines l2 JOIN ledger_accounts a2 ON a2.id = l2.account_id) x
                  WHERE expected <> balance_after);
        CREATE INDEX ON seq_edges (account_id, from_balance, id);
        FOR acc IN SELECT DISTINCT account_id FROM seq_edges LOOP
          st_node := ARRAY[0::numeric];
          st_edge := ARRAY[NULL::bigint];
          top := 1;
          trail := '{}';
          k := 0;
          WHILE top > 0 LOOP
            SELECT id, to_balance INTO nxt FROM seq_edges
             WHERE account_id = acc.account_id AND from_balance = st_node[top] ORDER BY id LIMIT 1;
            IF FOUND THEN
              DELETE FROM seq_edges WHERE id = nxt.id;
              top := top + 1;
              st_node[top] := nxt.to_balance;
              st_edge[top] := nxt.id;
            ELSE
              IF st_edge[top] IS NOT NULL THEN
                k := k + 1;
                trail[k] := st_edge[top];
              END IF;
              top := top - 1;
            END IF;
          END LOOP;
          -- The walk lists edges last first.
          UPDATE ledger_lines l SET account_seq = k + 1 - t.n
            FROM unnest(trail) WITH ORDINALITY AS t(id, n) WHERE l.id = t.id;
          UPDATE ledger_lines l SET account_seq = k + r.n
            FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM seq_edges WHERE account_id = acc.account_id) r
           WHERE l.id = r.id;
        END LOOP;
      END $$`);
    await q.query(`ALTER TABLE ledger_lines ENABLE TRIGGER ledger_lines_append_only`);
    await q.query(`
      UPDATE ledger_accounts a SET line_count = c.n
        FROM (SELECT account_id, count(*) AS n FROM ledger_lines GROUP BY account_id) c
       WHERE c.account_id = a.id`);
    await q.query(`ALTER TABLE "ledger_lines" ALTER COLUMN "account_seq" SET NOT NULL`);
    // The statement's index; it also serves every lookup of an account's lines that the old one did.
    await q.query(`DROP INDEX "public"."IDX_ledger_lines_account_id"`);
    await q.query(`CREATE UNIQUE INDEX "UQ_ledger_lines_account_seq" ON "ledger_lines" ("account_id", "account_seq") `);

    // The one row update that moves the balance also takes the line's number, under the same lock. Whatever a
    // writer gives for account_seq is replaced, as balance_after is.
    await q.query(`
      CREATE OR REPLACE FUNCTION ledger_lines_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE acc record;
      BEGIN
        PERFORM set_config('ledger.checked_transaction', '', true);
        UPDATE ledger_accounts
           SET balance = balance + CASE WHEN normal_side = 'debit' THEN NEW.debit - NEW.credit ELSE NEW.credit - NEW.debit END,
               line_count = line_count + 1
         WHERE id = NEW.account_id
        RETURNING balance, line_count, county_id, book, code, normal_side, restricted_outflow INTO acc;
        IF NOT FOUND THEN
          RAISE EXCEPTION USING ERRCODE = 'FL004', MESSAGE = format('account %s does not exist', NEW.account_id);
        END IF;
        IF acc.county_id <> NEW.county_id OR acc.book <> NEW.book THEN
          RAISE EXCEPTION USING ERRCODE = 'FL004',
            MESSAGE = format('line names account %s of another county or book', NEW.account_id);
        END IF;
        IF acc.restricted_outflow AND NEW.purpose NOT IN ('payment', 'retention', 'reversal')
           AND (CASE WHEN acc.normal_side = 'debit' THEN NEW.credit ELSE NEW.debit END) > 0 THEN
          RAISE EXCEPTION USING ERRCODE = 'FL007', DETAIL = acc.code,
            MESSAGE = format('money leaves dedicated account %s only by a project payment (purpose %s refused)', acc.code, NEW.purpose);
        END IF;
        NEW.balance_after := acc.balance;
        NEW.account_seq := acc.line_count;
        RETURN NEW;
      END $$`);
    // line_count moves like the balance: only through a line, one at a time.
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
    await keepPrivilegeSettings(q);
  }

  async down(q: QueryRunner): Promise<void> {
    // The functions as the Funds migration left them.
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
        IF NEW.balance IS DISTINCT FROM OLD.balance AND pg_trigger_depth() < 2 THEN
          RAISE EXCEPTION USING ERRCODE = 'FL005',
            MESSAGE = format('account %s: the balance changes only through ledger lines', OLD.code);
        END IF;
        IF NOT NEW.allow_negative AND NEW.balance < 0 THEN
          RAISE EXCEPTION USING ERRCODE = 'FL002', DETAIL = NEW.code,
            MESSAGE = format('account %s may not go negative (would be %s)', NEW.code, NEW.balance);
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION ledger_lines_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE acc record;
      BEGIN
        PERFORM set_config('ledger.checked_transaction', '', true);
        UPDATE ledger_accounts
           SET balance = balance + CASE WHEN normal_side = 'debit' THEN NEW.debit - NEW.credit ELSE NEW.credit - NEW.debit END
         WHERE id = NEW.account_id
        RETURNING balance, county_id, book, code, normal_side, restricted_outflow INTO acc;
        IF NOT FOUND THEN
          RAISE EXCEPTION USING ERRCODE = 'FL004', MESSAGE = format('account %s does not exist', NEW.account_id);
        END IF;
        IF acc.county_id <> NEW.county_id OR acc.book <> NEW.book THEN
          RAISE EXCEPTION USING ERRCODE = 'FL004',
            MESSAGE = format('line names account %s of another county or book', NEW.account_id);
        END IF;
        IF acc.restricted_outflow AND NEW.purpose NOT IN ('payment', 'retention', 'reversal')
           AND (CASE WHEN acc.normal_side = 'debit' THEN NEW.credit ELSE NEW.debit END) > 0 THEN
          RAISE EXCEPTION USING ERRCODE = 'FL007', DETAIL = acc.code,
            MESSAGE = format('money leaves dedicated account %s only by a project payment (purpose %s refused)', acc.code, NEW.purpose);
        END IF;
        NEW.balance_after := acc.balance;
        RETURN NEW;
      END $$`);
    await keepPrivilegeSettings(q);
    await q.query(`DROP INDEX "public"."UQ_ledger_lines_account_seq"`);
    await q.query(`CREATE INDEX "IDX_ledger_lines_account_id" ON "ledger_lines" ("account_id", "id") `);
    await q.query(`ALTER TABLE "ledger_lines" DROP COLUMN "account_seq"`);
    await q.query(`ALTER TABLE "ledger_accounts" DROP COLUMN "line_count"`);
  }
}

/**
 * CREATE OR REPLACE resets a function's settings; these are the ones the LeastPrivilege migration gave: names resolve
 * in the schema only, and the line trigger moves balances as the schema's owner.
 */
async function keepPrivilegeSettings(q: QueryRunner): Promise<void> {
  for (const fn of ['ledger_lines_apply()', 'ledger_accounts_guard()']) {
    await q.query(`DO $$ BEGIN EXECUTE format('ALTER FUNCTION ${fn} SET search_path = %I, pg_temp', current_schema()); END $$`);
  }
  await q.query(`ALTER FUNCTION ledger_lines_apply() SECURITY DEFINER`);
}
