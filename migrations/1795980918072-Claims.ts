import { MigrationInterface, QueryRunner } from 'typeorm';

export class Claims1795980918072 implements MigrationInterface {
  name = 'Claims1795980918072';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "claims" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "contract_id" integer NOT NULL, "project_id" integer NOT NULL, "version" integer NOT NULL, "state" character varying(20) NOT NULL, "amount" numeric(20,2) NOT NULL, "stage" integer, "final" boolean NOT NULL, "acceptance_id" integer, "application_date" date NOT NULL, "expenses" jsonb NOT NULL, "township_signed_on" date, "line_result" character varying(8), "hold_transaction_id" uuid, "payment_id" integer, "drafted_by" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_claims_paid" CHECK (("state" = 'paid') = ("payment_id" IS NOT NULL)), CONSTRAINT "CK_claims_hold" CHECK (("state" IN ('township_reviewed', 'line_reviewed', 'approved', 'paid')) = ("hold_transaction_id" IS NOT NULL)), CONSTRAINT "CK_claims_signoff_date" CHECK ("township_signed_on" IS NULL OR "township_signed_on" >= "application_date"), CONSTRAINT "CK_claims_line_result" CHECK ("line_result" IS NULL OR "line_result" IN ('pass', 'fail')), CONSTRAINT "CK_claims_final" CHECK (NOT "final" OR "acceptance_id" IS NOT NULL), CONSTRAINT "CK_claims_amount" CHECK ("amount" > 0), CONSTRAINT "CK_claims_state" CHECK ("state" IN ('draft', 'submitted', 'township_reviewed', 'line_reviewed', 'approved', 'paid', 'rejected', 'withdrawn')), CONSTRAINT "PK_claims" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_claims_project" ON "claims" ("project_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_claims_county_state" ON "claims" ("county_id", "state", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_claims_contract" ON "claims" ("contract_id") `);
    await queryRunner.query(
      `CREATE TABLE "claim_versions" ("claim_id" integer NOT NULL, "version" integer NOT NULL, "packet" jsonb NOT NULL, "created_by" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_claim_versions" PRIMARY KEY ("claim_id", "version"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "claim_invoices" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "claim_id" integer NOT NULL, "issuer" character varying(200) NOT NULL, "number" character varying(64) NOT NULL, "issuer_key" character varying(200) NOT NULL, "number_key" character varying(64) NOT NULL, "issued_on" date NOT NULL, "amount" numeric(20,2) NOT NULL, CONSTRAINT "CK_claim_invoices_amount" CHECK ("amount" > 0), CONSTRAINT "PK_claim_invoices" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_claim_invoices_claim" ON "claim_invoices" ("claim_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_claim_invoices_invoice" ON "claim_invoices" ("county_id", "issuer_key", "number_key") `);
    await queryRunner.query(
      `CREATE TABLE "claim_steps" ("id" SERIAL NOT NULL, "claim_id" integer NOT NULL, "version" integer NOT NULL, "step" character varying(20) NOT NULL, "result" character varying(8), "note" character varying(2000), "actor_id" integer NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_claim_steps_step" CHECK ("step" IN ('draft', 'revise', 'submit', 'township_review', 'line_review', 'approve', 'leader_sign', 'reject', 'pay', 'withdraw')), CONSTRAINT "PK_claim_steps" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_claim_steps_claim" ON "claim_steps" ("claim_id", "version") `);
    await queryRunner.query(
      `CREATE TABLE "claim_attachments" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "claim_id" integer NOT NULL, "version" integer NOT NULL, "kind" character varying(32) NOT NULL, "filename" character varying(255) NOT NULL, "content_type" character varying(32) NOT NULL, "size" integer NOT NULL, "sha256" character(64) NOT NULL, "content" bytea NOT NULL, "uploaded_by" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_claim_attachments_hash" CHECK ("sha256" = encode(sha256("content"), 'hex') AND "size" = octet_length("content")), CONSTRAINT "CK_claim_attachments_type" CHECK ("content_type" IN ('application/pdf', 'image/jpeg', 'image/png')), CONSTRAINT "CK_claim_attachments_kind" CHECK ("kind" IN ('application', 'expense_detail', 'invoice', 'letter_county_township', 'letter_township_village', 'acceptance', 'other')), CONSTRAINT "PK_claim_attachments" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_claim_attachments_claim" ON "claim_attachments" ("claim_id") `);
    await queryRunner.query(
      `ALTER TABLE "claims" ADD CONSTRAINT "FK_claims_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "claims" ADD CONSTRAINT "FK_claims_contract" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "claims" ADD CONSTRAINT "FK_claims_project" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "claims" ADD CONSTRAINT "FK_claims_acceptance" FOREIGN KEY ("acceptance_id") REFERENCES "acceptances"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "claims" ADD CONSTRAINT "FK_claims_hold_transaction" FOREIGN KEY ("hold_transaction_id") REFERENCES "ledger_transactions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "claims" ADD CONSTRAINT "FK_claims_payment" FOREIGN KEY ("payment_id") REFERENCES "contract_payments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "claims" ADD CONSTRAINT "FK_claims_drafted_by" FOREIGN KEY ("drafted_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "claim_versions" ADD CONSTRAINT "FK_claim_versions_claim" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "claim_versions" ADD CONSTRAINT "FK_claim_versions_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "claim_invoices" ADD CONSTRAINT "FK_claim_invoices_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "claim_invoices" ADD CONSTRAINT "FK_claim_invoices_claim" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "claim_steps" ADD CONSTRAINT "FK_claim_steps_claim" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "claim_steps" ADD CONSTRAINT "FK_claim_steps_actor" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "claim_attachments" ADD CONSTRAINT "FK_claim_attachments_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "claim_attachments" ADD CONSTRAINT "FK_claim_attachments_claim" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "claim_attachments" ADD CONSTRAINT "FK_claim_attachments_uploaded_by" FOREIGN KEY ("uploaded_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "claim_attachments" ADD "event_id" bigint NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_claim_attachments_event" ON "claim_attachments" ("event_id") `);
    await queryRunner.query(
      `ALTER TABLE "claim_attachments" ADD CONSTRAINT "FK_claim_attachments_event" FOREIGN KEY ("event_id") REFERENCES "audit_events"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Versions, steps and attachments are records: never changed or deleted.
    for (const table of ['claim_versions', 'claim_steps', 'claim_attachments']) {
      await queryRunner.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
      await queryRunner.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    }
    // Maker-checker across the chain: whoever drafted the claim, uploaded its scans or took a step of its version
    // takes no review, approval or payment step of it.
    await queryRunner.query(`
          CREATE FUNCTION claim_steps_new_hand() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE
            earlier text;
          BEGIN
            SELECT step INTO earlier FROM claim_steps
             WHERE claim_id = NEW.claim_id AND version = NEW.version AND actor_id = NEW.actor_id
            UNION ALL SELECT 'draft' FROM claims WHERE id = NEW.claim_id AND drafted_by = NEW.actor_id
            UNION ALL SELECT 'upload' FROM claim_attachments WHERE claim_id = NEW.claim_id AND uploaded_by = NEW.actor_id
            LIMIT 1;
            IF FOUND THEN
              RAISE EXCEPTION USING ERRCODE = 'FL008',
                MESSAGE = format('claim %s: the person who took the step %s cannot also %s', NEW.claim_id, earlier, NEW.step);
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(`
          CREATE TRIGGER claim_steps_new_hand BEFORE INSERT ON claim_steps
          FOR EACH ROW WHEN (NEW.step NOT IN ('draft', 'revise', 'submit', 'withdraw')) EXECUTE FUNCTION claim_steps_new_hand()`);
    // A claim moves only along the workflow's edges, its packet changes only while it is a draft (or rejected,
    // becoming the next version), a paid or withdrawn claim is final, and no claim is deleted.
    await queryRunner.query(`
          CREATE FUNCTION claims_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'DELETE' OR OLD.state IN ('paid', 'withdrawn') THEN
              RAISE EXCEPTION USING ERRCODE = 'FL009', MESSAGE = format('claim %s cannot be changed: %s refused', OLD.id, TG_OP);
            END IF;
            IF NEW.state <> OLD.state AND (OLD.state, NEW.state) NOT IN (
                 ('draft', 'submitted'), ('submitted', 'township_reviewed'), ('township_reviewed', 'line_reviewed'),
                 ('line_reviewed', 'approved'), ('approved', 'paid'), ('submitted', 'rejected'), ('township_reviewed', 'rejected'),
                 ('line_reviewed', 'rejected'), ('approved', 'rejected'), ('rejected', 'draft'), ('draft', 'withdrawn'),
                 ('rejected', 'withdrawn')) THEN
              RAISE EXCEPTION USING ERRCODE = 'FL009', MESSAGE = format('claim %s cannot go from %s to %s', OLD.id, OLD.state, NEW.state);
            END IF;
            IF (NEW.county_id, NEW.contract_id, NEW.project_id, NEW.drafted_by) IS DISTINCT FROM (OLD.county_id, OLD.contract_id, OLD.project_id, OLD.drafted_by)
               OR (OLD.state NOT IN ('draft', 'rejected')
                   AND (NEW.version, NEW.amount, NEW.stage, NEW.final, NEW.acceptance_id, NEW.application_date, NEW.expenses)
                       IS DISTINCT FROM (OLD.version, OLD.amount, OLD.stage, OLD.final, OLD.acceptance_id, OLD.application_date, OLD.expenses)) THEN
              RAISE EXCEPTION USING ERRCODE = 'FL009', MESSAGE = format('claim %s: the packet of a %s claim cannot change', OLD.id, OLD.state);
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(`CREATE TRIGGER claims_guard BEFORE UPDATE OR DELETE ON claims FOR EACH ROW EXECUTE FUNCTION claims_guard()`);
    await queryRunner.query(`CREATE TRIGGER claims_no_truncate BEFORE TRUNCATE ON claims FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER claims_no_truncate ON claims`);
    await queryRunner.query(`ALTER TABLE "claim_attachments" DROP CONSTRAINT "FK_claim_attachments_event"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_claim_attachments_event"`);
    await queryRunner.query(`DROP TRIGGER claims_guard ON claims`);
    await queryRunner.query(`DROP FUNCTION claims_guard`);
    await queryRunner.query(`DROP TRIGGER claim_steps_new_hand ON claim_steps`);
    await queryRunner.query(`DROP FUNCTION claim_steps_new_hand`);
    for (const table of ['claim_versions', 'claim_steps', 'claim_attachments']) {
      await queryRunner.query(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
      await queryRunner.query(`DROP TRIGGER ${table}_append_only ON ${table}`);
    }
    await queryRunner.query(`ALTER TABLE "claim_attachments" DROP CONSTRAINT "FK_claim_attachments_uploaded_by"`);
    await queryRunner.query(`ALTER TABLE "claim_attachments" DROP CONSTRAINT "FK_claim_attachments_claim"`);
    await queryRunner.query(`ALTER TABLE "claim_attachments" DROP CONSTRAINT "FK_claim_attachments_county"`);
    await queryRunner.query(`ALTER TABLE "claim_steps" DROP CONSTRAINT "FK_claim_steps_actor"`);
    await queryRunner.query(`ALTER TABLE "claim_steps" DROP CONSTRAINT "FK_claim_steps_claim"`);
    await queryRunner.query(`ALTER TABLE "claim_invoices" DROP CONSTRAINT "FK_claim_invoices_claim"`);
    await queryRunner.query(`ALTER TABLE "claim_invoices" DROP CONSTRAINT "FK_claim_invoices_county"`);
    await queryRunner.query(`ALTER TABLE "claim_versions" DROP CONSTRAINT "FK_claim_versions_created_by"`);
    await queryRunner.query(`ALTER TABLE "claim_versions" DROP CONSTRAINT "FK_claim_versions_claim"`);
    await queryRunner.query(`ALTER TABLE "claims" DROP CONSTRAINT "FK_claims_drafted_by"`);
    await queryRunner.query(`ALTER TABLE "claims" DROP CONSTRAINT "FK_claims_payment"`);
    await queryRunner.query(`ALTER TABLE "claims" DROP CONSTRAINT "FK_claims_hold_transaction"`);
    await queryRunner.query(`ALTER TABLE "claims" DROP CONSTRAINT "FK_claims_acceptance"`);
    await queryRunner.query(`ALTER TABLE "claims" DROP CONSTRAINT "FK_claims_project"`);
    await queryRunner.query(`ALTER TABLE "claims" DROP CONSTRAINT "FK_claims_contract"`);
    await queryRunner.query(`ALTER TABLE "claims" DROP CONSTRAINT "FK_claims_county"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_claim_attachments_claim"`);
    await queryRunner.query(`DROP TABLE "claim_attachments"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_claim_steps_claim"`);
    await queryRunner.query(`DROP TABLE "claim_steps"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_claim_invoices_invoice"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_claim_invoices_claim"`);
    await queryRunner.query(`DROP TABLE "claim_invoices"`);
    await queryRunner.query(`DROP TABLE "claim_versions"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_claims_contract"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_claims_county_state"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_claims_project"`);
    await queryRunner.query(`DROP TABLE "claims"`);
  }
}
