import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * No ledger transaction commits without its audit event (design §9), whoever writes it. The posting statement
 * writes the event `ledger.transaction.posted` (or `.reversed` for a reversal) whose body names the transaction in
 * `data.id`; the body is what the chain hashes, so the link an auditor reads is the link checked here. The check
 * runs at commit like the balance check, and wants the event written by the same database transaction (the
 * database records `tx_id` on every event), so an event cannot be prepared ahead for a transaction to come.
 */
export class LedgerTransactionEvent1796143772910 implements MigrationInterface {
  name = 'LedgerTransactionEvent1796143772910';

  async up(q: QueryRunner): Promise<void> {
    // An expression index: TypeORM's schema diff does not see it (it compares column indexes only), so it lives
    // here and in docs/architecture.md, not on the entity.
    // An event body written before ill-formed Unicode was refused at the edge may hold a lone surrogate escape, which
    // jsonb refuses: such a body names no transaction here rather than failing the index (and the migration).
    await q.query(`
      CREATE FUNCTION audit_event_data_id(body text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      BEGIN
        RETURN (body::jsonb) #>> '{data,id}';
      EXCEPTION WHEN invalid_text_representation OR untranslatable_character THEN
        RETURN NULL;
      END $$`);
    await q.query(`DO $$ BEGIN EXECUTE format('ALTER FUNCTION audit_event_data_id(text) SET search_path = %I, pg_temp', current_schema()); END $$`);
    await q.query(`
      CREATE INDEX "IDX_audit_events_ledger_transaction" ON "audit_events" ((audit_event_data_id(body)))
       WHERE type IN ('ledger.transaction.posted', 'ledger.transaction.reversed')`);
    await q.query(`
      CREATE FUNCTION ledger_transaction_has_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM 1 FROM audit_events
         WHERE audit_event_data_id(body) = NEW.id::text
           AND type IN ('ledger.transaction.posted', 'ledger.transaction.reversed')
           AND type = CASE WHEN NEW.reverses_id IS NULL THEN 'ledger.transaction.posted' ELSE 'ledger.transaction.reversed' END
           AND county_id = NEW.county_id
           AND tx_id = pg_current_xact_id()::text::bigint;
        IF NOT FOUND THEN
          RAISE EXCEPTION USING ERRCODE = 'FL010', DETAIL = NEW.id::text,
            MESSAGE = format('transaction %s has no audit event written with it', NEW.id);
        END IF;
        RETURN NULL;
      END $$`);
    // Names resolve in the schema only, as for every function of the schema (LeastPrivilege migration).
    await q.query(`DO $$ BEGIN EXECUTE format('ALTER FUNCTION ledger_transaction_has_event() SET search_path = %I, pg_temp', current_schema()); END $$`);
    // Named to run after ledger_transactions_balanced (triggers of one row fire in name order), so an unbalanced
    // entry is still refused for its balance first.
    await q.query(`
      CREATE CONSTRAINT TRIGGER ledger_transactions_has_event AFTER INSERT ON ledger_transactions
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transaction_has_event()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER ledger_transactions_has_event ON ledger_transactions`);
    await q.query(`DROP FUNCTION ledger_transaction_has_event`);
    await q.query(`DROP INDEX "public"."IDX_audit_events_ledger_transaction"`);
    await q.query(`DROP FUNCTION audit_event_data_id`);
  }
}
