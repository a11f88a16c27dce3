import { MigrationInterface, QueryRunner } from 'typeorm';

export class Payments1795977780007 implements MigrationInterface {
  name = 'Payments1795977780007';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "contract_inspections" ("id" SERIAL NOT NULL, "contract_id" integer NOT NULL, "stage" integer, "result" character varying(8) NOT NULL, "notes" character varying(2000) NOT NULL, "inspector_id" integer NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_contract_inspections_result" CHECK ("result" IN ('pass', 'fail')), CONSTRAINT "PK_contract_inspections" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_contract_inspections_contract" ON "contract_inspections" ("contract_id", "id") `);
    await queryRunner.query(
      `CREATE TABLE "contract_payments" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "contract_id" integer NOT NULL, "stage" integer, "amount" numeric(20,2) NOT NULL, "retention" numeric(20,2) NOT NULL, "net" numeric(20,2) NOT NULL, "transaction_id" uuid NOT NULL, "paid_by" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_contract_payments_split" CHECK ("amount" > 0 AND "retention" >= 0 AND "net" >= 0 AND "net" + "retention" = "amount"), CONSTRAINT "PK_contract_payments" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_contract_payments_transaction" ON "contract_payments" ("transaction_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_contract_payments_contract" ON "contract_payments" ("contract_id") `);
    await queryRunner.query(
      `ALTER TABLE "contract_inspections" ADD CONSTRAINT "FK_contract_inspections_contract" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contract_inspections" ADD CONSTRAINT "FK_contract_inspections_inspector" FOREIGN KEY ("inspector_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contract_payments" ADD CONSTRAINT "FK_contract_payments_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contract_payments" ADD CONSTRAINT "FK_contract_payments_contract" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contract_payments" ADD CONSTRAINT "FK_contract_payments_transaction" FOREIGN KEY ("transaction_id") REFERENCES "ledger_transactions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contract_payments" ADD CONSTRAINT "FK_contract_payments_paid_by" FOREIGN KEY ("paid_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Inspections and payments are records: never changed or deleted.
    for (const table of ['contract_inspections', 'contract_payments']) {
      await queryRunner.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
      await queryRunner.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    }
    // Purpose payment (the only one besides reversal that may empty a dedicated account) belongs to a payment
    // row of a contract, checked at commit: no plain-SQL writer can label an outflow a payment.
    await queryRunner.query(`
          CREATE FUNCTION ledger_payment_has_row() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            PERFORM 1 FROM contract_payments WHERE transaction_id = NEW.id;
            IF NOT FOUND THEN
              RAISE EXCEPTION USING ERRCODE = 'FL007', DETAIL = NEW.id::text,
                MESSAGE = format('transaction %s has purpose payment but no contract payment records it', NEW.id);
            END IF;
            RETURN NULL;
          END $$`);
    await queryRunner.query(`
          CREATE CONSTRAINT TRIGGER ledger_payment_has_row AFTER INSERT ON ledger_transactions
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.purpose = 'payment') EXECUTE FUNCTION ledger_payment_has_row()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER ledger_payment_has_row ON ledger_transactions`);
    await queryRunner.query(`DROP FUNCTION ledger_payment_has_row`);
    for (const table of ['contract_inspections', 'contract_payments']) {
      await queryRunner.query(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
      await queryRunner.query(`DROP TRIGGER ${table}_append_only ON ${table}`);
    }
    await queryRunner.query(`ALTER TABLE "contract_payments" DROP CONSTRAINT "FK_contract_payments_paid_by"`);
    await queryRunner.query(`ALTER TABLE "contract_payments" DROP CONSTRAINT "FK_contract_payments_transaction"`);
    await queryRunner.query(`ALTER TABLE "contract_payments" DROP CONSTRAINT "FK_contract_payments_contract"`);
    await queryRunner.query(`ALTER TABLE "contract_payments" DROP CONSTRAINT "FK_contract_payments_county"`);
    await queryRunner.query(`ALTER TABLE "contract_inspections" DROP CONSTRAINT "FK_contract_inspections_inspector"`);
    await queryRunner.query(`ALTER TABLE "contract_inspections" DROP CONSTRAINT "FK_contract_inspections_contract"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_contract_payments_contract"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_contract_payments_transaction"`);
    await queryRunner.query(`DROP TABLE "contract_payments"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_contract_inspections_contract"`);
    await queryRunner.query(`DROP TABLE "contract_inspections"`);
  }
}
