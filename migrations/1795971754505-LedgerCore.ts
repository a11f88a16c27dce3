import { MigrationInterface, QueryRunner } from 'typeorm';

export class LedgerCore1795971754505 implements MigrationInterface {
  name = 'LedgerCore1795971754505';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "counties" ("id" SERIAL NOT NULL, "code" character varying(32) NOT NULL, "name" character varying(100) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_counties_code" UNIQUE ("code"), CONSTRAINT "PK_counties" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_chain_heads" ("county_id" integer NOT NULL, "seq" bigint NOT NULL DEFAULT '0', "prev_hash" character(64) NOT NULL, "head_hash" character(64) NOT NULL, CONSTRAINT "PK_audit_chain_heads" PRIMARY KEY ("county_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_events" ("id" BIGSERIAL NOT NULL, "county_id" integer NOT NULL, "seq" bigint, "prev_hash" character(64), "hash" character(64), "tx_id" bigint NOT NULL, "type" character varying(100) NOT NULL, "actor" character varying(100) NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, "body" text NOT NULL, CONSTRAINT "PK_audit_events" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_audit_events_unsealed" ON "audit_events" ("county_id", "id") WHERE seq IS NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_audit_events_county_seq" ON "audit_events" ("county_id", "seq") WHERE seq IS NOT NULL`);
    await queryRunner.query(
      `CREATE TABLE "ledger_accounts" ("id" BIGSERIAL NOT NULL, "county_id" integer NOT NULL, "code" character varying(64) NOT NULL, "name" character varying(200) NOT NULL, "book" character varying(16) NOT NULL, "type" character varying(16) NOT NULL, "normal_side" character varying(6) NOT NULL, "allow_negative" boolean NOT NULL, "balance" numeric(20,2) NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_ledger_accounts_county_code" UNIQUE ("county_id", "code"), CONSTRAINT "CK_ledger_accounts_balance_allowed" CHECK ("allow_negative" OR "balance" >= 0), CONSTRAINT "CK_ledger_accounts_normal_side" CHECK ("normal_side" = CASE WHEN "type" IN ('asset', 'expense', 'quota') THEN 'debit' ELSE 'credit' END), CONSTRAINT "CK_ledger_accounts_type" CHECK (("book" = 'financial' AND "type" IN ('asset', 'expense', 'liability', 'net_assets', 'revenue')) OR ("book" = 'budget' AND "type" IN ('quota', 'appropriation'))), CONSTRAINT "CK_ledger_accounts_book" CHECK ("book" IN ('financial', 'budget')), CONSTRAINT "PK_ledger_accounts" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "ledger_transactions" ("id" uuid NOT NULL, "county_id" integer NOT NULL, "effective_date" date NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "memo" character varying(500) NOT NULL, "idempotency_key" character varying(200), "request_hash" character(64), "reverses_id" uuid, "reversal_reason" character varying(500), CONSTRAINT "PK_ledger_transactions" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_ledger_transactions_county_effective_date" ON "ledger_transactions" ("county_id", "effective_date") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_ledger_transactions_reverses" ON "ledger_transactions" ("reverses_id") WHERE reverses_id IS NOT NULL`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_ledger_transactions_idempotency_key" ON "ledger_transactions" ("county_id", "idempotency_key") WHERE idempotency_key IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "ledger_lines" ("id" BIGSERIAL NOT NULL, "transaction_id" uuid NOT NULL, "county_id" integer NOT NULL, "account_id" bigint NOT NULL, "book" character varying(16) NOT NULL, "line_no" smallint NOT NULL, "debit" numeric(20,2) NOT NULL DEFAULT '0', "credit" numeric(20,2) NOT NULL DEFAULT '0', "balance_after" numeric(20,2) NOT NULL, "effective_date" date NOT NULL, CONSTRAINT "CK_ledger_lines_one_side" CHECK (("debit" > 0 AND "credit" = 0) OR ("credit" > 0 AND "debit" = 0)), CONSTRAINT "PK_ledger_lines" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_ledger_lines_transaction" ON "ledger_lines" ("transaction_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_ledger_lines_account_id" ON "ledger_lines" ("account_id", "id") `);
    await queryRunner.query(
      `ALTER TABLE "audit_chain_heads" ADD CONSTRAINT "FK_audit_chain_heads_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_events" ADD CONSTRAINT "FK_audit_events_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_accounts" ADD CONSTRAINT "FK_ledger_accounts_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_transactions" ADD CONSTRAINT "FK_ledger_transactions_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_transactions" ADD CONSTRAINT "FK_ledger_transactions_reverses" FOREIGN KEY ("reverses_id") REFERENCES "ledger_transactions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_lines" ADD CONSTRAINT "FK_ledger_lines_transaction" FOREIGN KEY ("transaction_id") REFERENCES "ledger_transactions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_lines" ADD CONSTRAINT "FK_ledger_lines_account" FOREIGN KEY ("account_id") REFERENCES "ledger_accounts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ledger_lines" DROP CONSTRAINT "FK_ledger_lines_account"`);
    await queryRunner.query(`ALTER TABLE "ledger_lines" DROP CONSTRAINT "FK_ledger_lines_transaction"`);
    await queryRunner.query(`ALTER TABLE "ledger_transactions" DROP CONSTRAINT "FK_ledger_transactions_reverses"`);
    await queryRunner.query(`ALTER TABLE "ledger_transactions" DROP CONSTRAINT "FK_ledger_transactions_county"`);
    await queryRunner.query(`ALTER TABLE "ledger_accounts" DROP CONSTRAINT "FK_ledger_accounts_county"`);
    await queryRunner.query(`ALTER TABLE "audit_events" DROP CONSTRAINT "FK_audit_events_county"`);
    await queryRunner.query(`ALTER TABLE "audit_chain_heads" DROP CONSTRAINT "FK_audit_chain_heads_county"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ledger_lines_account_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ledger_lines_transaction"`);
    await queryRunner.query(`DROP TABLE "ledger_lines"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_ledger_transactions_idempotency_key"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_ledger_transactions_reverses"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ledger_transactions_county_effective_date"`);
    await queryRunner.query(`DROP TABLE "ledger_transactions"`);
    await queryRunner.query(`DROP TABLE "ledger_accounts"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_audit_events_county_seq"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_events_unsealed"`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
    await queryRunner.query(`DROP TABLE "audit_chain_heads"`);
    await queryRunner.query(`DROP TABLE "counties"`);
  }
}
