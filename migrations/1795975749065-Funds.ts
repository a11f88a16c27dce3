import { MigrationInterface, QueryRunner } from 'typeorm';

export class Funds1795975749065 implements MigrationInterface {
  name = 'Funds1795975749065';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "dedicated_accounts" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "code" character varying(32) NOT NULL, "bank_name" character varying(100) NOT NULL, "account_name" character varying(100) NOT NULL, "account_number" character varying(40) NOT NULL, "officer_id" integer NOT NULL, "ledger_account_id" bigint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_dedicated_accounts_county_number" UNIQUE ("county_id", "account_number"), CONSTRAINT "UQ_dedicated_accounts_county_code" UNIQUE ("county_id", "code"), CONSTRAINT "PK_dedicated_accounts" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "fund_allocations" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "document_number" character varying(100) NOT NULL, "issuing_level" character varying(16) NOT NULL, "fund_type" character varying(50) NOT NULL, "fiscal_year" integer NOT NULL, "amount" numeric(20,2) NOT NULL, "permitted_categories" character varying(32) array NOT NULL, "dedicated_account_id" integer NOT NULL, "received_on" date NOT NULL, "receipt_transaction_id" uuid NOT NULL, "created_by" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_fund_allocations_county_document" UNIQUE ("county_id", "document_number"), CONSTRAINT "CK_fund_allocations_categories" CHECK (cardinality("permitted_categories") > 0), CONSTRAINT "CK_fund_allocations_amount" CHECK ("amount" > 0), CONSTRAINT "CK_fund_allocations_level" CHECK ("issuing_level" IN ('central', 'provincial', 'city', 'county')), CONSTRAINT "PK_fund_allocations" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_fund_allocations_county_year" ON "fund_allocations" ("county_id", "fiscal_year") `);
    await queryRunner.query(
      `CREATE TABLE "policy_changes" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "key" character varying(64) NOT NULL, "value" character varying(64) NOT NULL, "effective_from" date NOT NULL, "reason" character varying(500) NOT NULL, "state" character varying(16) NOT NULL, "proposed_by" integer NOT NULL, "approved_by" integer, "approved_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_policy_changes_approved" CHECK (("state" = 'approved') = ("approved_by" IS NOT NULL)), CONSTRAINT "CK_policy_changes_checker" CHECK ("approved_by" IS NULL OR "approved_by" <> "proposed_by"), CONSTRAINT "CK_policy_changes_state" CHECK ("state" IN ('proposed', 'approved')), CONSTRAINT "PK_policy_changes" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_policy_changes_in_force" ON "policy_changes" ("county_id", "key", "effective_from") `);
    await queryRunner.query(`ALTER TABLE "ledger_accounts" ADD "restricted_outflow" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "ledger_transactions" ADD "purpose" character varying(16) NOT NULL DEFAULT 'manual'`);
    await queryRunner.query(`ALTER TABLE "ledger_lines" ADD "purpose" character varying(16) NOT NULL DEFAULT 'manual'`);
    await queryRunner.query(
      `ALTER TABLE "ledger_transactions" ADD CONSTRAINT "CK_ledger_transactions_purpose" CHECK ("purpose" IN ('manual', 'receipt', 'budget', 'payment', 'retention', 'reversal'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "dedicated_accounts" ADD CONSTRAINT "FK_dedicated_accounts_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "dedicated_accounts" ADD CONSTRAINT "FK_dedicated_accounts_officer" FOREIGN KEY ("officer_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "dedicated_accounts" ADD CONSTRAINT "FK_dedicated_accounts_ledger_account" FOREIGN KEY ("ledger_account_id") REFERENCES "ledger_accounts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "fund_allocations" ADD CONSTRAINT "FK_fund_allocations_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "fund_allocations" ADD CONSTRAINT "FK_fund_allocations_dedicated_account" FOREIGN KEY ("dedicated_account_id") REFERENCES "dedicated_accounts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "fund_allocations" ADD CONSTRAINT "FK_fund_allocations_receipt" FOREIGN KEY ("receipt_transaction_id") REFERENCES "ledger_transactions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "fund_allocations" ADD CONSTRAINT "FK_fund_allocations_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "policy_changes" ADD CONSTRAINT "FK_policy_changes_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "policy_changes" ADD CONSTRAINT "FK_policy_changes_proposed_by" FOREIGN KEY ("proposed_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "policy_changes" ADD CONSTRAINT "FK_policy_changes_approved_by" FOREIGN KEY ("approved_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // 三專: a restricted account (a dedicated account's bank) gives money only to a payment or a reversal.
    // The purpose travels on each line (the deferred check holds it equal to its transaction's).
    await queryRunner.query(`
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
    await queryRunner.query(`
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
    await queryRunner.query(`
          CREATE OR REPLACE FUNCTION ledger_check_transaction(tx uuid) RETURNS void LANGUAGE plpgsql AS $$
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
                   coalesce(bool_or(l.county_id <> t.county_id OR l.effective_date <> t.effective_date OR l.purpose <> t.purpose), false) AS mismatch
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
                MESSAGE = format('lines of transaction %s disagree with it on county, effective date or purpose', tx);
            END IF;
            PERFORM set_config('ledger.checked_transaction', tx::text, true);
          END $$`);
    await queryRunner.query(
      `ALTER TABLE "ledger_transactions" ADD CONSTRAINT "CK_ledger_transactions_reversal" CHECK (("purpose" = 'reversal') = ("reverses_id" IS NOT NULL))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_policy_changes_approved" ON "policy_changes" ("county_id", "key", "effective_from") WHERE state = 'approved'`,
    );
    // A dedicated account keeps its ledger account, which is a restricted asset of its county; only the bank's
    // names and the officer may change.
    await queryRunner.query(`
          CREATE FUNCTION dedicated_accounts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'UPDATE' THEN
              IF (NEW.id, NEW.county_id, NEW.code, NEW.account_number, NEW.ledger_account_id, NEW.created_at)
                 IS DISTINCT FROM (OLD.id, OLD.county_id, OLD.code, OLD.account_number, OLD.ledger_account_id, OLD.created_at) THEN
                RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = 'a dedicated account keeps its code, number and ledger account';
              END IF;
              RETURN NEW;
            END IF;
            PERFORM 1 FROM ledger_accounts
              WHERE id = NEW.ledger_account_id AND county_id = NEW.county_id AND type = 'asset' AND restricted_outflow;
            IF NOT FOUND THEN
              RAISE EXCEPTION USING ERRCODE = 'FL006', MESSAGE = 'a dedicated account is a restricted asset account of its own county';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER dedicated_accounts_guard BEFORE INSERT OR UPDATE ON dedicated_accounts FOR EACH ROW EXECUTE FUNCTION dedicated_accounts_guard()`,
    );
    // Allocations and policy history are records: never deleted; an allocation never changes, a policy change
    // only moves from proposed to approved.
    await queryRunner.query(
      `CREATE TRIGGER fund_allocations_append_only BEFORE UPDATE OR DELETE ON fund_allocations FOR EACH ROW EXECUTE FUNCTION refuse_change()`,
    );
    await queryRunner.query(`CREATE TRIGGER dedicated_accounts_no_delete BEFORE DELETE ON dedicated_accounts FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await queryRunner.query(`
          CREATE FUNCTION policy_changes_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'INSERT' AND NEW.state = 'proposed' AND NEW.approved_by IS NULL AND NEW.approved_at IS NULL THEN
              RETURN NEW;
            END IF;
            IF TG_OP = 'UPDATE' AND OLD.state = 'proposed' AND NEW.state = 'approved'
               AND (NEW.id, NEW.county_id, NEW.key, NEW.value, NEW.effective_from, NEW.reason, NEW.proposed_by, NEW.created_at)
                   IS NOT DISTINCT FROM (OLD.id, OLD.county_id, OLD.key, OLD.value, OLD.effective_from, OLD.reason, OLD.proposed_by, OLD.created_at) THEN
              RETURN NEW;
            END IF;
            RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('policy change: %s refused', TG_OP);
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER policy_changes_guard BEFORE INSERT OR UPDATE OR DELETE ON policy_changes FOR EACH ROW EXECUTE FUNCTION policy_changes_guard()`,
    );
    for (const table of ['dedicated_accounts', 'fund_allocations', 'policy_changes']) {
      await queryRunner.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    }
  }

  public async down(): Promise<void> {
    // The guard functions were replaced in place (ledger_lines_apply, ledger_accounts_guard,
    // ledger_check_transaction) and the earlier versions are not kept here: restore from a backup instead.
    throw new Error('migration Funds cannot be reverted');
  }
}
