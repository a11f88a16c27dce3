import { MigrationInterface, QueryRunner } from 'typeorm';

export class Settlement1795978500071 implements MigrationInterface {
  name = 'Settlement1795978500071';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "contracts" ADD "settled_by" integer`);
    await queryRunner.query(`ALTER TABLE "contracts" ADD "settled_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "contracts" ADD CONSTRAINT "CK_contracts_settled" CHECK (("state" = 'settled') = ("settled_by" IS NOT NULL))`);
    await queryRunner.query(
      `ALTER TABLE "contracts" ADD CONSTRAINT "FK_contracts_settled_by" FOREIGN KEY ("settled_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // TypeORM's schema diff does not compare CHECK expressions: the two that change are replaced here by hand.
    await queryRunner.query(`ALTER TABLE "contracts" DROP CONSTRAINT "CK_contracts_state"`);
    await queryRunner.query(`ALTER TABLE "contracts" ADD CONSTRAINT "CK_contracts_state" CHECK ("state" IN ('draft', 'signed', 'settled'))`);
    await queryRunner.query(`ALTER TABLE "contracts" DROP CONSTRAINT "CK_contracts_signed"`);
    await queryRunner.query(
      `ALTER TABLE "contracts" ADD CONSTRAINT "CK_contracts_signed" CHECK (("state" = 'draft') = ("signed_by" IS NULL OR "retention_rate" IS NULL OR "commit_transaction_id" IS NULL))`,
    );
    // A signed contract is settled once; its terms and signature stay as they were.
    await queryRunner.query(`
          CREATE OR REPLACE FUNCTION contracts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'INSERT' AND NEW.state = 'draft' AND NEW.signed_by IS NULL AND NEW.commit_transaction_id IS NULL AND NEW.settled_by IS NULL THEN
              RETURN NEW;
            END IF;
            IF TG_OP = 'UPDATE'
               AND ((OLD.state = 'draft' AND NEW.state = 'signed' AND NEW.settled_by IS NULL)
                    OR (OLD.state = 'signed' AND NEW.state = 'settled'
                        AND (NEW.signed_by, NEW.signed_on, NEW.retention_rate, NEW.commit_transaction_id)
                            IS NOT DISTINCT FROM (OLD.signed_by, OLD.signed_on, OLD.retention_rate, OLD.commit_transaction_id)))
               AND (NEW.id, NEW.county_id, NEW.project_id, NEW.title, NEW.payee_name, NEW.payee_type, NEW.payee_bank, NEW.payee_account, NEW.amount,
                    NEW.retention_override, NEW.retention_override_reason, NEW.schedule, NEW.tender, NEW.letters, NEW.drafted_by, NEW.created_at)
                   IS NOT DISTINCT FROM
                   (OLD.id, OLD.county_id, OLD.project_id, OLD.title, OLD.payee_name, OLD.payee_type, OLD.payee_bank, OLD.payee_account, OLD.amount,
                    OLD.retention_override, OLD.retention_override_reason, OLD.schedule, OLD.tender, OLD.letters, OLD.drafted_by, OLD.created_at) THEN
              RETURN NEW;
            END IF;
            RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('contract: %s refused', TG_OP);
          END $$`);
  }

  public async down(): Promise<void> {
    // contracts_guard was replaced in place; restore from a backup instead.
    throw new Error('migration Settlement cannot be reverted');
  }
}
