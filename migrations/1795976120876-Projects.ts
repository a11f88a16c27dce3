import { MigrationInterface, QueryRunner } from 'typeorm';

export class Projects1795976120876 implements MigrationInterface {
  name = 'Projects1795976120876';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "projects" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "village_id" integer NOT NULL, "name" character varying(200) NOT NULL, "category" character varying(32) NOT NULL, "location" character varying(200) NOT NULL, "start_date" date NOT NULL, "end_date" date NOT NULL, "responsible_unit" character varying(100) NOT NULL, "responsible_person" character varying(50) NOT NULL, "tasks" character varying(2000) NOT NULL, "fund_scale" numeric(20,2) NOT NULL, "beneficiary_households" integer NOT NULL, "poor_households" integer NOT NULL, "performance_targets" jsonb NOT NULL, "poverty_mechanism" character varying(2000) NOT NULL, "state" character varying(32) NOT NULL, "proposed_by" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_projects_schedule" CHECK ("end_date" >= "start_date"), CONSTRAINT "CK_projects_households" CHECK ("poor_households" >= 0 AND "beneficiary_households" >= "poor_households"), CONSTRAINT "CK_projects_targets" CHECK (jsonb_typeof("performance_targets") = 'array' AND jsonb_array_length("performance_targets") > 0), CONSTRAINT "CK_projects_category" CHECK ("category" IN ('industry', 'infrastructure', 'social_services', 'training', 'work_for_relief', 'other')), CONSTRAINT "CK_projects_state" CHECK ("state" IN ('proposed', 'township_reviewed', 'in_library', 'planned', 'rejected')), CONSTRAINT "PK_projects" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_projects_village" ON "projects" ("village_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_projects_county_state" ON "projects" ("county_id", "state") `);
    await queryRunner.query(
      `CREATE TABLE "budget_lines" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "project_id" integer NOT NULL, "allocation_id" integer NOT NULL, "amount" numeric(20,2) NOT NULL, "state" character varying(32) NOT NULL, "proposed_by" integer NOT NULL, "signed_by" integer, "transaction_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_budget_lines_posted" CHECK (("state" = 'posted') = ("transaction_id" IS NOT NULL)), CONSTRAINT "CK_budget_lines_signer" CHECK ("signed_by" IS NULL OR "signed_by" <> "proposed_by"), CONSTRAINT "CK_budget_lines_amount" CHECK ("amount" > 0), CONSTRAINT "CK_budget_lines_state" CHECK ("state" IN ('awaiting_signature', 'posted')), CONSTRAINT "PK_budget_lines" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_budget_lines_allocation" ON "budget_lines" ("allocation_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_budget_lines_project" ON "budget_lines" ("project_id") `);
    await queryRunner.query(
      `CREATE TABLE "project_transitions" ("id" BIGSERIAL NOT NULL, "project_id" integer NOT NULL, "action" character varying(32) NOT NULL, "from_state" character varying(32), "to_state" character varying(32) NOT NULL, "actor_id" integer NOT NULL, "reason" character varying(500) NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_project_transitions" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_project_transitions_project" ON "project_transitions" ("project_id", "id") `);
    await queryRunner.query(
      `ALTER TABLE "projects" ADD CONSTRAINT "FK_projects_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "projects" ADD CONSTRAINT "FK_projects_village" FOREIGN KEY ("village_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "projects" ADD CONSTRAINT "FK_projects_proposed_by" FOREIGN KEY ("proposed_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "budget_lines" ADD CONSTRAINT "FK_budget_lines_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "budget_lines" ADD CONSTRAINT "FK_budget_lines_project" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "budget_lines" ADD CONSTRAINT "FK_budget_lines_allocation" FOREIGN KEY ("allocation_id") REFERENCES "fund_allocations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "budget_lines" ADD CONSTRAINT "FK_budget_lines_proposed_by" FOREIGN KEY ("proposed_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "budget_lines" ADD CONSTRAINT "FK_budget_lines_signed_by" FOREIGN KEY ("signed_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "budget_lines" ADD CONSTRAINT "FK_budget_lines_transaction" FOREIGN KEY ("transaction_id") REFERENCES "ledger_transactions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "project_transitions" ADD CONSTRAINT "FK_project_transitions_project" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "project_transitions" ADD CONSTRAINT "FK_project_transitions_actor" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // A project sits in a village of its own county.
    await queryRunner.query(`
          CREATE FUNCTION projects_in_village() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            PERFORM 1 FROM org_units WHERE id = NEW.village_id AND county_id = NEW.county_id AND level = 'village';
            IF NOT FOUND THEN
              RAISE EXCEPTION USING ERRCODE = 'FL006', MESSAGE = 'a project belongs to a village of its own county';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER projects_in_village BEFORE INSERT OR UPDATE OF village_id, county_id ON projects FOR EACH ROW EXECUTE FUNCTION projects_in_village()`,
    );
    // A budget line moves once, from awaiting a signature to posted, and is never deleted.
    await queryRunner.query(`
          CREATE FUNCTION budget_lines_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'INSERT' AND NEW.state = 'awaiting_signature' AND NEW.signed_by IS NULL AND NEW.transaction_id IS NULL THEN
              RETURN NEW;
            END IF;
            IF TG_OP = 'UPDATE' AND OLD.state = 'awaiting_signature' AND NEW.state = 'posted'
               AND (NEW.id, NEW.county_id, NEW.project_id, NEW.allocation_id, NEW.amount, NEW.proposed_by, NEW.created_at)
                   IS NOT DISTINCT FROM (OLD.id, OLD.county_id, OLD.project_id, OLD.allocation_id, OLD.amount, OLD.proposed_by, OLD.created_at) THEN
              RETURN NEW;
            END IF;
            RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('budget line: %s refused', TG_OP);
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER budget_lines_guard BEFORE INSERT OR UPDATE OR DELETE ON budget_lines FOR EACH ROW EXECUTE FUNCTION budget_lines_guard()`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_budget_lines_transaction" ON "budget_lines" ("transaction_id") WHERE transaction_id IS NOT NULL`);
    // A project keeps its county, village, category and proposer: changing the category after funding would
    // hide 挪用.
    await queryRunner.query(`
          CREATE FUNCTION projects_keep_identity() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF (NEW.id, NEW.county_id, NEW.village_id, NEW.category, NEW.proposed_by, NEW.created_at)
               IS DISTINCT FROM (OLD.id, OLD.county_id, OLD.village_id, OLD.category, OLD.proposed_by, OLD.created_at) THEN
              RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = 'a project keeps its county, village, category and proposer';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(`CREATE TRIGGER projects_keep_identity BEFORE UPDATE ON projects FOR EACH ROW EXECUTE FUNCTION projects_keep_identity()`);
    await queryRunner.query(
      `CREATE TRIGGER project_transitions_append_only BEFORE UPDATE OR DELETE ON project_transitions FOR EACH ROW EXECUTE FUNCTION refuse_change()`,
    );
    await queryRunner.query(`CREATE TRIGGER projects_no_delete BEFORE DELETE ON projects FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    for (const table of ['projects', 'project_transitions', 'budget_lines']) {
      await queryRunner.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['projects', 'project_transitions', 'budget_lines']) {
      await queryRunner.query(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
    }
    await queryRunner.query(`DROP TRIGGER projects_no_delete ON projects`);
    await queryRunner.query(`DROP TRIGGER project_transitions_append_only ON project_transitions`);
    await queryRunner.query(`DROP TRIGGER budget_lines_guard ON budget_lines`);
    await queryRunner.query(`DROP TRIGGER projects_in_village ON projects`);
    await queryRunner.query(`DROP TRIGGER projects_keep_identity ON projects`);
    await queryRunner.query(`DROP INDEX "public"."UQ_budget_lines_transaction"`);
    await queryRunner.query(`DROP FUNCTION budget_lines_guard, projects_in_village, projects_keep_identity`);
    await queryRunner.query(`ALTER TABLE "project_transitions" DROP CONSTRAINT "FK_project_transitions_actor"`);
    await queryRunner.query(`ALTER TABLE "project_transitions" DROP CONSTRAINT "FK_project_transitions_project"`);
    await queryRunner.query(`ALTER TABLE "budget_lines" DROP CONSTRAINT "FK_budget_lines_transaction"`);
    await queryRunner.query(`ALTER TABLE "budget_lines" DROP CONSTRAINT "FK_budget_lines_signed_by"`);
    await queryRunner.query(`ALTER TABLE "budget_lines" DROP CONSTRAINT "FK_budget_lines_proposed_by"`);
    await queryRunner.query(`ALTER TABLE "budget_lines" DROP CONSTRAINT "FK_budget_lines_allocation"`);
    await queryRunner.query(`ALTER TABLE "budget_lines" DROP CONSTRAINT "FK_budget_lines_project"`);
    await queryRunner.query(`ALTER TABLE "budget_lines" DROP CONSTRAINT "FK_budget_lines_county"`);
    await queryRunner.query(`ALTER TABLE "projects" DROP CONSTRAINT "FK_projects_proposed_by"`);
    await queryRunner.query(`ALTER TABLE "projects" DROP CONSTRAINT "FK_projects_village"`);
    await queryRunner.query(`ALTER TABLE "projects" DROP CONSTRAINT "FK_projects_county"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_project_transitions_project"`);
    await queryRunner.query(`DROP TABLE "project_transitions"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_budget_lines_project"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_budget_lines_allocation"`);
    await queryRunner.query(`DROP TABLE "budget_lines"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_projects_county_state"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_projects_village"`);
    await queryRunner.query(`DROP TABLE "projects"`);
  }
}
