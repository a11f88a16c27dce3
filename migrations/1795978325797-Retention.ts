import { MigrationInterface, QueryRunner } from 'typeorm';

export class Retention1795978325797 implements MigrationInterface {
  name = 'Retention1795978325797';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "retention_movements" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "contract_id" integer NOT NULL, "kind" character varying(16) NOT NULL, "amount" numeric(20,2) NOT NULL, "reason" character varying(500) NOT NULL, "state" character varying(16) NOT NULL, "proposed_by" integer NOT NULL, "approved_by" integer, "transaction_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_retention_movements_posted" CHECK (("state" = 'posted') = ("transaction_id" IS NOT NULL AND "approved_by" IS NOT NULL)), CONSTRAINT "CK_retention_movements_checker" CHECK ("approved_by" IS NULL OR "approved_by" <> "proposed_by"), CONSTRAINT "CK_retention_movements_amount" CHECK ("amount" > 0), CONSTRAINT "CK_retention_movements_state" CHECK ("state" IN ('proposed', 'posted')), CONSTRAINT "CK_retention_movements_kind" CHECK ("kind" IN ('release', 'forfeit')), CONSTRAINT "PK_retention_movements" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_retention_movements_transaction" ON "retention_movements" ("transaction_id") WHERE transaction_id IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_retention_movements_contract" ON "retention_movements" ("contract_id") `);
    await queryRunner.query(
      `ALTER TABLE "retention_movements" ADD CONSTRAINT "FK_retention_movements_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "retention_movements" ADD CONSTRAINT "FK_retention_movements_contract" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "retention_movements" ADD CONSTRAINT "FK_retention_movements_proposed_by" FOREIGN KEY ("proposed_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "retention_movements" ADD CONSTRAINT "FK_retention_movements_approved_by" FOREIGN KEY ("approved_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "retention_movements" ADD CONSTRAINT "FK_retention_movements_transaction" FOREIGN KEY ("transaction_id") REFERENCES "ledger_transactions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // A retention movement is proposed, then posted once; never deleted. Purpose retention belongs to a posted
    // movement, checked at commit, so no plain-SQL writer can label an outflow a release.
    await queryRunner.query(`
          CREATE FUNCTION retention_movements_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'INSERT' AND NEW.state = 'proposed' AND NEW.approved_by IS NULL AND NEW.transaction_id IS NULL THEN
              RETURN NEW;
            END IF;
            IF TG_OP = 'UPDATE' AND OLD.state = 'proposed' AND NEW.state = 'posted'
               AND (NEW.id, NEW.county_id, NEW.contract_id, NEW.kind, NEW.amount, NEW.reason, NEW.proposed_by, NEW.created_at)
                   IS NOT DISTINCT FROM (OLD.id, OLD.county_id, OLD.contract_id, OLD.kind, OLD.amount, OLD.reason, OLD.proposed_by, OLD.created_at) THEN
              RETURN NEW;
            END IF;
            RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('retention movement: %s refused', TG_OP);
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER retention_movements_guard BEFORE INSERT OR UPDATE OR DELETE ON retention_movements FOR EACH ROW EXECUTE FUNCTION retention_movements_guard()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER retention_movements_no_truncate BEFORE TRUNCATE ON retention_movements FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`,
    );
    await queryRunner.query(`
          CREATE FUNCTION ledger_retention_has_row() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            PERFORM 1 FROM retention_movements WHERE transaction_id = NEW.id;
            IF NOT FOUND THEN
              RAISE EXCEPTION USING ERRCODE = 'FL007', DETAIL = NEW.id::text,
                MESSAGE = format('transaction %s has purpose retention but no retention movement records it', NEW.id);
            END IF;
            RETURN NULL;
          END $$`);
    await queryRunner.query(`
          CREATE CONSTRAINT TRIGGER ledger_retention_has_row AFTER INSERT ON ledger_transactions
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.purpose = 'retention') EXECUTE FUNCTION ledger_retention_has_row()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER ledger_retention_has_row ON ledger_transactions`);
    await queryRunner.query(`DROP TRIGGER retention_movements_no_truncate ON retention_movements`);
    await queryRunner.query(`DROP TRIGGER retention_movements_guard ON retention_movements`);
    await queryRunner.query(`DROP FUNCTION ledger_retention_has_row, retention_movements_guard`);
    await queryRunner.query(`ALTER TABLE "retention_movements" DROP CONSTRAINT "FK_retention_movements_transaction"`);
    await queryRunner.query(`ALTER TABLE "retention_movements" DROP CONSTRAINT "FK_retention_movements_approved_by"`);
    await queryRunner.query(`ALTER TABLE "retention_movements" DROP CONSTRAINT "FK_retention_movements_proposed_by"`);
    await queryRunner.query(`ALTER TABLE "retention_movements" DROP CONSTRAINT "FK_retention_movements_contract"`);
    await queryRunner.query(`ALTER TABLE "retention_movements" DROP CONSTRAINT "FK_retention_movements_county"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_retention_movements_contract"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_retention_movements_transaction"`);
    await queryRunner.query(`DROP TABLE "retention_movements"`);
  }
}
