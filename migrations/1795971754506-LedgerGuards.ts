import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger's invariants, enforced by the database so that no code path can break them:
 * - every transaction balances per book and has at least two lines (checked at commit);
 * - account balances change only through lines, in the same transaction, and never below zero where not allowed;
 * - transactions, lines and audit events are append-only;
 * - audit events are written unsealed, and the only change ever made to one seals it: the database links it into
 *   its county's hash chain (seq, prev_hash, hash), in an order no writer can choose out of turn.
 * Custom SQLSTATEs (class FL) let the service map each refusal to its error code (src/database/pg-errors.ts).
 */
export class LedgerGuards1795971754506 implements MigrationInterface {
  name = 'LedgerGuards1795971754506';

  async up(q: QueryRunner): Promise<void> {
    // The balance rule, checked once per transaction at commit. Both constraint triggers call it; the first to
    // run remembers the transaction as checked for the rest of the database transaction, and inserting any line
    // forgets it, so a line added after an early check (SET CONSTRAINTS ... IMMEDIATE) is checked again.
    await q.query(`
      CREATE FUNCTION ledger_check_transaction(tx uuid) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE r record;
      BEGIN
        IF current_setting('ledger.checked_transaction', true) = tx::text THEN
          RETURN;
        END IF;
        SELECT count(*) AS n,
               coalesce(sum(l.debit) FILTER (WHERE l.book = 'financial'), 0) AS fin_debit,
               coalesce(sum(l.credit) FILTER (WHERE l.book = 'financial'), 0) AS fin_credit,
               coalesce(sum(l.debit) FILTER (WHERE l.book = 'budget'), 0) AS bud_debit,
               coalesce(sum(l.credit) FILTER (WHERE l.book = 'budget'), 0) AS bud_credit,
               coalesce(bool_or(l.county_id <> t.county_id OR l.effective_date <> t.effective_date), false) AS mismatch
          INTO r
          FROM ledger_lines l JOIN ledger_transactions t ON t.id = l.transaction_id
         WHERE l.transaction_id = tx;
        IF r.n < 2 THEN
          RAISE EXCEPTION USING ERRCODE = 'FL001',
            MESSAGE = format('transaction %s has %s line(s); at least two are required', tx, r.n);
        END IF;
        IF r.fin_debit <> r.fin_credit THEN
          RAISE EXCEPTION USING ERRCODE = 'FL001',
            MESSAGE = format('transaction %s does not balance in the financial book: debits %s, credits %s', tx, r.fin_debit, r.fin_credit);
        END IF;
        IF r.bud_debit <> r.bud_credit THEN
          RAISE EXCEPTION USING ERRCODE = 'FL001',
            MESSAGE = format('transaction %s does not balance in the budget book: debits %s, credits %s', tx, r.bud_debit, r.bud_credit);
        END IF;
        IF r.mismatch THEN
          RAISE EXCEPTION USING ERRCODE = 'FL004',
            MESSAGE = format('lines of transaction %s disagree with it on county or effective date', tx);
        END IF;
        PERFORM set_config('ledger.checked_transaction', tx::text, true);
      END $$`);
    await q.query(`
      CREATE FUNCTION ledger_transactions_check() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM ledger_check_transaction(NEW.id); RETURN NULL; END $$`);
    await q.query(`
      CREATE FUNCTION ledger_lines_check() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM ledger_check_transaction(NEW.transaction_id); RETURN NULL; END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER ledger_transactions_balanced AFTER INSERT ON ledger_transactions
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transactions_check()`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER ledger_lines_balanced AFTER INSERT ON ledger_lines
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_lines_check()`);

    // A line moves its account's balance and records the balance after it. Row locks on accounts are taken
    // in the order the lines are inserted; the service inserts them sorted by account id.
    await q.query(`
      CREATE FUNCTION ledger_lines_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE acc record;
      BEGIN
        PERFORM set_config('ledger.checked_transaction', '', true);
        UPDATE ledger_accounts
           SET balance = balance + CASE WHEN normal_side = 'debit' THEN NEW.debit - NEW.credit ELSE NEW.credit - NEW.debit END
         WHERE id = NEW.account_id
        RETURNING balance, county_id, book INTO acc;
        IF NOT FOUND THEN
          RAISE EXCEPTION USING ERRCODE = 'FL004', MESSAGE = format('account %s does not exist', NEW.account_id);
        END IF;
        IF acc.county_id <> NEW.county_id OR acc.book <> NEW.book THEN
          RAISE EXCEPTION USING ERRCODE = 'FL004',
            MESSAGE = format('line names account %s of another county or book', NEW.account_id);
        END IF;
        NEW.balance_after := acc.balance;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER ledger_lines_apply BEFORE INSERT ON ledger_lines
      FOR EACH ROW EXECUTE FUNCTION ledger_lines_apply()`);

    await q.query(`
      CREATE FUNCTION ledger_accounts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION USING ERRCODE = 'FL005', MESSAGE = format('account %s cannot be deleted', OLD.code);
        END IF;
        IF (NEW.id, NEW.county_id, NEW.code, NEW.book, NEW.type, NEW.normal_side, NEW.allow_negative, NEW.created_at)
           IS DISTINCT FROM (OLD.id, OLD.county_id, OLD.code, OLD.book, OLD.type, OLD.normal_side, OLD.allow_negative, OLD.created_at) THEN
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
      CREATE TRIGGER ledger_accounts_guard BEFORE UPDATE OR DELETE ON ledger_accounts
      FOR EACH ROW EXECUTE FUNCTION ledger_accounts_guard()`);

    await q.query(`
      CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('%s is append-only: %s refused', TG_TABLE_NAME, TG_OP);
      END $$`);
    for (const table of ['ledger_transactions', 'ledger_lines']) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    }
    await q.query(`CREATE TRIGGER audit_events_append_only BEFORE DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    for (const table of ['counties', 'ledger_accounts', 'ledger_transactions', 'ledger_lines', 'audit_events', 'audit_chain_heads']) {
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    }

    // The hash chain (design §9). The formula is written once here; the verifier (src/audit/domain) recomputes
    // it independently: SHA-256 over "fund-ledger/event/v1" LF seq LF prev_hash LF body, as lowercase hex.
    await q.query(`
      CREATE FUNCTION audit_event_hash(seq bigint, prev_hash text, body text) RETURNS char(64)
      LANGUAGE sql IMMUTABLE STRICT AS $$
        SELECT encode(sha256(convert_to('fund-ledger/event/v1' || E'\\n' || seq::text || E'\\n' || prev_hash || E'\\n' || body, 'UTF8')), 'hex')
      $$`);
    // Written unsealed: whatever a writer says, seq, prev_hash and hash start empty, and tx_id names the
    // writing transaction, so the sealer knows when it has ended.
    await q.query(`
      CREATE FUNCTION audit_events_unsealed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.seq := NULL;
        NEW.prev_hash := NULL;
        NEW.hash := NULL;
        NEW.tx_id := pg_current_xact_id()::text::bigint;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_unsealed BEFORE INSERT ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_unsealed()`);
    // The one update allowed: sealing an unsealed event. The database links it after the county's chain head,
    // whatever values the statement gives; a sealed event never changes again.
    await q.query(`
      CREATE FUNCTION audit_events_seal() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE head record;
      BEGIN
        IF OLD.seq IS NOT NULL THEN
          RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('audit event %s is sealed: UPDATE refused', OLD.seq);
        END IF;
        IF (NEW.id, NEW.county_id, NEW.tx_id, NEW.type, NEW.actor, NEW.recorded_at, NEW.body)
           IS DISTINCT FROM (OLD.id, OLD.county_id, OLD.tx_id, OLD.type, OLD.actor, OLD.recorded_at, OLD.body) THEN
          RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = 'audit events are append-only: only sealing is allowed';
        END IF;
        UPDATE audit_chain_heads
           SET seq = seq + 1, prev_hash = head_hash, head_hash = audit_event_hash(seq + 1, head_hash, OLD.body)
         WHERE county_id = OLD.county_id
        RETURNING seq, prev_hash, head_hash INTO head;
        IF NOT FOUND THEN
          RAISE EXCEPTION USING ERRCODE = 'FL004', MESSAGE = format('county %s has no audit chain', OLD.county_id);
        END IF;
        NEW.seq := head.seq;
        NEW.prev_hash := head.prev_hash;
        NEW.hash := head.head_hash;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_seal BEFORE UPDATE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_seal()`);
    // Seals, in id order, the county's events whose writing transactions have all ended (tx_id below the oldest
    // running transaction), so no event that commits later can belong before one already sealed.
    await q.query(`
      CREATE FUNCTION audit_seal(p_county integer, p_limit integer) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        horizon bigint;
        r record;
        n integer := 0;
      BEGIN
        PERFORM 1 FROM audit_chain_heads WHERE county_id = p_county FOR UPDATE;
        horizon := pg_snapshot_xmin(pg_current_snapshot())::text::bigint;
        FOR r IN SELECT id FROM audit_events
                  WHERE county_id = p_county AND seq IS NULL AND tx_id < horizon
                  ORDER BY id LIMIT p_limit LOOP
          UPDATE audit_events SET seq = NULL WHERE id = r.id;
          n := n + 1;
        END LOOP;
        RETURN n;
      END $$`);
    await q.query(`
      CREATE FUNCTION audit_chain_heads_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR pg_trigger_depth() < 2 THEN
          RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = 'audit chain heads move only by appending an event';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_chain_heads_guard BEFORE UPDATE OR DELETE ON audit_chain_heads
      FOR EACH ROW EXECUTE FUNCTION audit_chain_heads_guard()`);
    await q.query(`
      CREATE FUNCTION counties_open_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO audit_chain_heads (county_id, seq, prev_hash, head_hash) VALUES (NEW.id, 0, repeat('0', 64), repeat('0', 64));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER counties_open_chain AFTER INSERT ON counties
      FOR EACH ROW EXECUTE FUNCTION counties_open_chain()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER counties_open_chain ON counties`);
    await q.query(`DROP TRIGGER audit_chain_heads_guard ON audit_chain_heads`);
    await q.query(`DROP TRIGGER audit_events_seal ON audit_events`);
    await q.query(`DROP TRIGGER audit_events_unsealed ON audit_events`);
    await q.query(`DROP TRIGGER audit_events_append_only ON audit_events`);
    for (const table of ['counties', 'ledger_accounts', 'ledger_transactions', 'ledger_lines', 'audit_events', 'audit_chain_heads']) {
      await q.query(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
    }
    for (const table of ['ledger_transactions', 'ledger_lines']) {
      await q.query(`DROP TRIGGER ${table}_append_only ON ${table}`);
    }
    await q.query(`DROP TRIGGER ledger_accounts_guard ON ledger_accounts`);
    await q.query(`DROP TRIGGER ledger_lines_apply ON ledger_lines`);
    await q.query(`DROP TRIGGER ledger_lines_balanced ON ledger_lines`);
    await q.query(`DROP TRIGGER ledger_transactions_balanced ON ledger_transactions`);
    await q.query(`DROP FUNCTION counties_open_chain, audit_chain_heads_guard, audit_seal, audit_events_seal, audit_events_unsealed, audit_event_hash,
      refuse_change, ledger_accounts_guard, ledger_lines_apply, ledger_lines_check, ledger_transactions_check,
      ledger_check_transaction`);
  }
}
