import { MigrationInterface, QueryRunner } from 'typeorm';

export class Contracts1795977513156 implements MigrationInterface {
  name = 'Contracts1795977513156';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "contracts" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "project_id" integer NOT NULL, "title" character varying(200) NOT NULL, "payee_name" character varying(200) NOT NULL, "payee_type" character varying(16) NOT NULL, "payee_bank" character varying(100) NOT NULL, "payee_account" character varying(40) NOT NULL, "amount" numeric(20,2) NOT NULL, "retention_rate" numeric(7,4), "retention_override" numeric(7,4), "retention_override_reason" character varying(500), "schedule" jsonb NOT NULL, "tender" jsonb, "letters" jsonb NOT NULL, "state" character varying(16) NOT NULL, "drafted_by" integer NOT NULL, "signed_by" integer, "signed_on" date, "commit_transaction_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_contracts_signer" CHECK ("signed_by" IS NULL OR "signed_by" <> "drafted_by"), CONSTRAINT "CK_contracts_signed" CHECK (("state" = 'signed') = ("signed_by" IS NOT NULL AND "retention_rate" IS NOT NULL AND "commit_transaction_id" IS NOT NULL)), CONSTRAINT "CK_contracts_override" CHECK (("retention_override" IS NULL) = ("retention_override_reason" IS NULL)), CONSTRAINT "CK_contracts_retention" CHECK ("retention_rate" IS NULL OR ("retention_rate" >= 0 AND "retention_rate" <= 1)), CONSTRAINT "CK_contracts_amount" CHECK ("amount" > 0), CONSTRAINT "CK_contracts_payee_type" CHECK ("payee_type" IN ('company', 'cooperative', 'individual')), CONSTRAINT "CK_contracts_state" CHECK ("state" IN ('draft', 'signed')), CONSTRAINT "PK_contracts" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_contracts_project" ON "contracts" ("project_id") `);
    await queryRunner.query(
      `ALTER TABLE "contracts" ADD CONSTRAINT "FK_contracts_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contracts" ADD CONSTRAINT "FK_contracts_project" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contracts" ADD CONSTRAINT "FK_contracts_drafted_by" FOREIGN KEY ("drafted_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contracts" ADD CONSTRAINT "FK_contracts_signed_by" FOREIGN KEY ("signed_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contracts" ADD CONSTRAINT "FK_contracts_commit_transaction" FOREIGN KEY ("commit_transaction_id") REFERENCES "ledger_transactions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // A contract is written as a draft and changes once, when it is signed; its terms never change after.
    await queryRunner.query(`
          CREATE FUNCTION contracts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'INSERT' AND NEW.state = 'draft' AND NEW.signed_by IS NULL AND NEW.commit_transaction_id IS NULL THEN
              RETURN NEW;
            END IF;
            IF TG_OP = 'UPDATE' AND OLD.state = 'draft' AND NEW.state = 'signed'
               AND (NEW.id, NEW.county_id, NEW.project_id, NEW.title, NEW.payee_name, NEW.payee_type, NEW.payee_bank, NEW.payee_account, NEW.amount,
                    NEW.retention_override, NEW.retention_override_reason, NEW.schedule, NEW.tender, NEW.letters, NEW.drafted_by, NEW.created_at)
                   IS NOT DISTINCT FROM
                   (OLD.id, OLD.county_id, OLD.project_id, OLD.title, OLD.payee_name, OLD.payee_type, OLD.payee_bank, OLD.payee_account, OLD.amount,
                    OLD.retention_override, OLD.retention_override_reason, OLD.schedule, OLD.tender, OLD.letters, OLD.drafted_by, OLD.created_at) THEN
              RETURN NEW;
            END IF;
            RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('contract: %s refused', TG_OP);
          END $$`);
    await queryRunner.query(`CREATE TRIGGER contracts_guard BEFORE INSERT OR UPDATE OR DELETE ON contracts FOR EACH ROW EXECUTE FUNCTION contracts_guard()`);
    await queryRunner.query(`CREATE TRIGGER contracts_no_truncate BEFORE TRUNCATE ON contracts FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER contracts_no_truncate ON contracts`);
    await queryRunner.query(`DROP TRIGGER contracts_guard ON contracts`);
    await queryRunner.query(`DROP FUNCTION contracts_guard`);
    await queryRunner.query(`ALTER TABLE "contracts" DROP CONSTRAINT "FK_contracts_commit_transaction"`);
    await queryRunner.query(`ALTER TABLE "contracts" DROP CONSTRAINT "FK_contracts_signed_by"`);
    await queryRunner.query(`ALTER TABLE "contracts" DROP CONSTRAINT "FK_contracts_drafted_by"`);
    await queryRunner.query(`ALTER TABLE "contracts" DROP CONSTRAINT "FK_contracts_project"`);
    await queryRunner.query(`ALTER TABLE "contracts" DROP CONSTRAINT "FK_contracts_county"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_contracts_project"`);
    await queryRunner.query(`DROP TABLE "contracts"`);
  }
}
