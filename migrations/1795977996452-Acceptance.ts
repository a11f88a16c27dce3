import { MigrationInterface, QueryRunner } from 'typeorm';

export class Acceptance1795977996452 implements MigrationInterface {
  name = 'Acceptance1795977996452';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "acceptances" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "project_id" integer NOT NULL, "contract_id" integer NOT NULL, "scale_statement" character varying(2000) NOT NULL, "state" character varying(16) NOT NULL, "required_departments" character varying(32) array NOT NULL, "opened_by" integer NOT NULL, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CK_acceptances_state" CHECK ("state" IN ('open', 'passed', 'failed')), CONSTRAINT "PK_acceptances" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_acceptances_open" ON "acceptances" ("contract_id") WHERE state = 'open'`);
    await queryRunner.query(`CREATE INDEX "IDX_acceptances_contract" ON "acceptances" ("contract_id", "id") `);
    await queryRunner.query(
      `CREATE TABLE "acceptance_signoffs" ("id" SERIAL NOT NULL, "acceptance_id" integer NOT NULL, "department" character varying(32) NOT NULL, "result" character varying(8) NOT NULL, "notes" character varying(2000) NOT NULL, "user_id" integer NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_acceptance_signoffs_department" UNIQUE ("acceptance_id", "department"), CONSTRAINT "CK_acceptance_signoffs_result" CHECK ("result" IN ('pass', 'fail')), CONSTRAINT "PK_acceptance_signoffs" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "acceptances" ADD CONSTRAINT "FK_acceptances_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "acceptances" ADD CONSTRAINT "FK_acceptances_project" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "acceptances" ADD CONSTRAINT "FK_acceptances_contract" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "acceptances" ADD CONSTRAINT "FK_acceptances_opened_by" FOREIGN KEY ("opened_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "acceptance_signoffs" ADD CONSTRAINT "FK_acceptance_signoffs_acceptance" FOREIGN KEY ("acceptance_id") REFERENCES "acceptances"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "acceptance_signoffs" ADD CONSTRAINT "FK_acceptance_signoffs_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Sign-offs are records; an acceptance closes once (open → passed or failed) and is never deleted.
    await queryRunner.query(
      `CREATE TRIGGER acceptance_signoffs_append_only BEFORE UPDATE OR DELETE ON acceptance_signoffs FOR EACH ROW EXECUTE FUNCTION refuse_change()`,
    );
    await queryRunner.query(`
          CREATE FUNCTION acceptances_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'INSERT' AND NEW.state = 'open' AND NEW.closed_at IS NULL THEN
              RETURN NEW;
            END IF;
            IF TG_OP = 'UPDATE' AND OLD.state = 'open' AND NEW.state IN ('passed', 'failed') AND NEW.closed_at IS NOT NULL
               AND (NEW.id, NEW.county_id, NEW.project_id, NEW.contract_id, NEW.scale_statement, NEW.required_departments, NEW.opened_by, NEW.opened_at)
                   IS NOT DISTINCT FROM (OLD.id, OLD.county_id, OLD.project_id, OLD.contract_id, OLD.scale_statement, OLD.required_departments, OLD.opened_by, OLD.opened_at) THEN
              RETURN NEW;
            END IF;
            RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('acceptance: %s refused', TG_OP);
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER acceptances_guard BEFORE INSERT OR UPDATE OR DELETE ON acceptances FOR EACH ROW EXECUTE FUNCTION acceptances_guard()`,
    );
    for (const table of ['acceptances', 'acceptance_signoffs']) {
      await queryRunner.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['acceptances', 'acceptance_signoffs']) {
      await queryRunner.query(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
    }
    await queryRunner.query(`DROP TRIGGER acceptances_guard ON acceptances`);
    await queryRunner.query(`DROP FUNCTION acceptances_guard`);
    await queryRunner.query(`DROP TRIGGER acceptance_signoffs_append_only ON acceptance_signoffs`);
    await queryRunner.query(`ALTER TABLE "acceptance_signoffs" DROP CONSTRAINT "FK_acceptance_signoffs_user"`);
    await queryRunner.query(`ALTER TABLE "acceptance_signoffs" DROP CONSTRAINT "FK_acceptance_signoffs_acceptance"`);
    await queryRunner.query(`ALTER TABLE "acceptances" DROP CONSTRAINT "FK_acceptances_opened_by"`);
    await queryRunner.query(`ALTER TABLE "acceptances" DROP CONSTRAINT "FK_acceptances_contract"`);
    await queryRunner.query(`ALTER TABLE "acceptances" DROP CONSTRAINT "FK_acceptances_project"`);
    await queryRunner.query(`ALTER TABLE "acceptances" DROP CONSTRAINT "FK_acceptances_county"`);
    await queryRunner.query(`DROP TABLE "acceptance_signoffs"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_acceptances_contract"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_acceptances_open"`);
    await queryRunner.query(`DROP TABLE "acceptances"`);
  }
}
