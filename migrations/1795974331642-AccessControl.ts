import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccessControl1795974331642 implements MigrationInterface {
  name = 'AccessControl1795974331642';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "org_units" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "parent_id" integer, "level" character varying(16) NOT NULL, "code" character varying(32) NOT NULL, "name" character varying(100) NOT NULL, "path" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_org_units_county_code" UNIQUE ("county_id", "code"), CONSTRAINT "CK_org_units_level" CHECK ("level" IN ('county', 'township', 'village')), CONSTRAINT "PK_org_units" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_org_units_path" ON "org_units" ("path") `);
    await queryRunner.query(
      `CREATE TABLE "users" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "org_unit_id" integer NOT NULL, "username" character varying(64) NOT NULL, "display_name" character varying(100) NOT NULL, "password_hash" character varying(200) NOT NULL, "roles" character varying(32) array NOT NULL, "disabled" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_users_username" UNIQUE ("username"), CONSTRAINT "CK_users_roles" CHECK (cardinality("roles") > 0 AND "roles" <@ ARRAY['admin', 'county_finance', 'county_leader', 'line_department', 'township_finance', 'village', 'inspector', 'auditor']::varchar[]), CONSTRAINT "PK_users" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "ledger_vouchers" ("id" uuid NOT NULL, "county_id" integer NOT NULL, "kind" character varying(16) NOT NULL, "state" character varying(16) NOT NULL, "request" jsonb NOT NULL, "reverses_id" uuid, "idempotency_key" character varying(200), "request_hash" character(64), "drafted_by" integer NOT NULL, "drafted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "approved_by" integer, "approved_at" TIMESTAMP WITH TIME ZONE, "transaction_id" uuid, CONSTRAINT "CK_ledger_vouchers_posted" CHECK (("state" = 'posted') = ("transaction_id" IS NOT NULL AND "approved_by" IS NOT NULL)), CONSTRAINT "CK_ledger_vouchers_checker" CHECK ("approved_by" IS NULL OR "approved_by" <> "drafted_by"), CONSTRAINT "CK_ledger_vouchers_state" CHECK ("state" IN ('draft', 'posted')), CONSTRAINT "CK_ledger_vouchers_kind" CHECK ("kind" IN ('posting', 'reversal')), CONSTRAINT "PK_ledger_vouchers" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_ledger_vouchers_county_state" ON "ledger_vouchers" ("county_id", "state") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_ledger_vouchers_transaction" ON "ledger_vouchers" ("transaction_id") WHERE transaction_id IS NOT NULL`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_ledger_vouchers_pending_reversal" ON "ledger_vouchers" ("reverses_id") WHERE state = 'draft' AND reverses_id IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_vouchers" ADD CONSTRAINT "CK_ledger_vouchers_reversal" CHECK (("kind" = 'reversal') = ("reverses_id" IS NOT NULL))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_ledger_vouchers_idempotency_key" ON "ledger_vouchers" ("county_id", "idempotency_key") WHERE idempotency_key IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "org_units" ADD CONSTRAINT "FK_org_units_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "org_units" ADD CONSTRAINT "FK_org_units_parent" FOREIGN KEY ("parent_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "FK_users_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "FK_users_org_unit" FOREIGN KEY ("org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_vouchers" ADD CONSTRAINT "FK_ledger_vouchers_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_vouchers" ADD CONSTRAINT "FK_ledger_vouchers_reverses" FOREIGN KEY ("reverses_id") REFERENCES "ledger_transactions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_vouchers" ADD CONSTRAINT "FK_ledger_vouchers_drafted_by" FOREIGN KEY ("drafted_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_vouchers" ADD CONSTRAINT "FK_ledger_vouchers_approved_by" FOREIGN KEY ("approved_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_vouchers" ADD CONSTRAINT "FK_ledger_vouchers_transaction" FOREIGN KEY ("transaction_id") REFERENCES "ledger_transactions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Org units form a tree county → township → village within one county; the path is derived here.
    await queryRunner.query(`
          CREATE FUNCTION org_units_place() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE p record;
          BEGIN
            IF TG_OP = 'UPDATE' THEN
              IF (NEW.id, NEW.county_id, NEW.parent_id, NEW.level, NEW.code, NEW.path) IS DISTINCT FROM
                 (OLD.id, OLD.county_id, OLD.parent_id, OLD.level, OLD.code, OLD.path) THEN
                RAISE EXCEPTION USING ERRCODE = 'FL006', MESSAGE = 'an org unit keeps its place in the tree: only its name may change';
              END IF;
              RETURN NEW;
            END IF;
            IF NEW.parent_id IS NULL THEN
              IF NEW.level <> 'county' THEN
                RAISE EXCEPTION USING ERRCODE = 'FL006', MESSAGE = 'only a county-level unit has no parent';
              END IF;
              NEW.path := '/' || NEW.id || '/';
              RETURN NEW;
            END IF;
            SELECT county_id, level, path INTO p FROM org_units WHERE id = NEW.parent_id;
            IF p.county_id <> NEW.county_id
               OR NEW.level IS DISTINCT FROM (CASE p.level WHEN 'county' THEN 'township' WHEN 'township' THEN 'village' END) THEN
              RAISE EXCEPTION USING ERRCODE = 'FL006',
                MESSAGE = format('a %s cannot be placed under a %s of county %s', NEW.level, p.level, p.county_id);
            END IF;
            NEW.path := p.path || NEW.id || '/';
            RETURN NEW;
          END $$`);
    await queryRunner.query(`CREATE TRIGGER org_units_place BEFORE INSERT OR UPDATE ON org_units FOR EACH ROW EXECUTE FUNCTION org_units_place()`);
    // A user belongs to a unit of their own county.
    await queryRunner.query(`
          CREATE FUNCTION users_unit_in_county() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            PERFORM 1 FROM org_units WHERE id = NEW.org_unit_id AND county_id = NEW.county_id;
            IF NOT FOUND THEN
              RAISE EXCEPTION USING ERRCODE = 'FL006', MESSAGE = 'a user belongs to an org unit of their own county';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(`CREATE TRIGGER users_unit_in_county BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_unit_in_county()`);
    // A voucher is written as a draft and changes once, from draft to posted; it is never deleted. Users and
    // units are disabled, not deleted.
    await queryRunner.query(`
          CREATE FUNCTION ledger_vouchers_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'INSERT' AND NEW.state = 'draft'
               AND NEW.approved_by IS NULL AND NEW.approved_at IS NULL AND NEW.transaction_id IS NULL THEN
              RETURN NEW;
            END IF;
            IF TG_OP = 'UPDATE' AND OLD.state = 'draft' AND NEW.state = 'posted'
               AND (NEW.id, NEW.county_id, NEW.kind, NEW.request, NEW.reverses_id, NEW.idempotency_key, NEW.request_hash, NEW.drafted_by, NEW.drafted_at)
                   IS NOT DISTINCT FROM (OLD.id, OLD.county_id, OLD.kind, OLD.request, OLD.reverses_id, OLD.idempotency_key, OLD.request_hash, OLD.drafted_by, OLD.drafted_at) THEN
              RETURN NEW;
            END IF;
            RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('ledger voucher: %s refused', TG_OP);
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER ledger_vouchers_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_vouchers FOR EACH ROW EXECUTE FUNCTION ledger_vouchers_guard()`,
    );
    for (const table of ['users', 'org_units']) {
      await queryRunner.query(`CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    }
    for (const table of ['users', 'org_units', 'ledger_vouchers']) {
      await queryRunner.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['users', 'org_units', 'ledger_vouchers']) {
      await queryRunner.query(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
    }
    await queryRunner.query(`DROP TRIGGER users_no_delete ON users`);
    await queryRunner.query(`DROP TRIGGER org_units_no_delete ON org_units`);
    await queryRunner.query(`DROP TRIGGER ledger_vouchers_guard ON ledger_vouchers`);
    await queryRunner.query(`DROP TRIGGER users_unit_in_county ON users`);
    await queryRunner.query(`DROP TRIGGER org_units_place ON org_units`);
    await queryRunner.query(`DROP FUNCTION ledger_vouchers_guard, users_unit_in_county, org_units_place`);
    await queryRunner.query(`ALTER TABLE "ledger_vouchers" DROP CONSTRAINT "FK_ledger_vouchers_transaction"`);
    await queryRunner.query(`ALTER TABLE "ledger_vouchers" DROP CONSTRAINT "FK_ledger_vouchers_approved_by"`);
    await queryRunner.query(`ALTER TABLE "ledger_vouchers" DROP CONSTRAINT "FK_ledger_vouchers_drafted_by"`);
    await queryRunner.query(`ALTER TABLE "ledger_vouchers" DROP CONSTRAINT "FK_ledger_vouchers_reverses"`);
    await queryRunner.query(`ALTER TABLE "ledger_vouchers" DROP CONSTRAINT "FK_ledger_vouchers_county"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "FK_users_org_unit"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "FK_users_county"`);
    await queryRunner.query(`ALTER TABLE "org_units" DROP CONSTRAINT "FK_org_units_parent"`);
    await queryRunner.query(`ALTER TABLE "org_units" DROP CONSTRAINT "FK_org_units_county"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_ledger_vouchers_idempotency_key"`);
    await queryRunner.query(`ALTER TABLE "ledger_vouchers" DROP CONSTRAINT "CK_ledger_vouchers_reversal"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_ledger_vouchers_pending_reversal"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_ledger_vouchers_transaction"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ledger_vouchers_county_state"`);
    await queryRunner.query(`DROP TABLE "ledger_vouchers"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_org_units_path"`);
    await queryRunner.query(`DROP TABLE "org_units"`);
  }
}
