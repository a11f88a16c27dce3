import { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables whose rows are written once: an alert's history and evidence, inspection plans and their findings. */
const APPEND_ONLY = ['monitoring_alert_history', 'monitoring_alert_evidence', 'inspection_plans', 'inspection_plan_projects', 'inspection_findings'];

/**
 * Full-process monitoring (全程監控制): detector runs, the alerts they raise with their lifecycle, history and evidence,
 * the register of officials and their relatives, and joint inspections.
 */
export class Monitoring1796151000000 implements MigrationInterface {
  name = 'Monitoring1796151000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "policy_changes" ALTER COLUMN "value" TYPE character varying(128)`);
    await q.query(
      `CREATE TABLE "monitoring_runs" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "trigger" character varying(16) NOT NULL, "step" character varying(64), "requested_by" integer, "today" date NOT NULL, "state" character varying(16) NOT NULL, "detectors" jsonb NOT NULL DEFAULT '[]', "opened" integer NOT NULL DEFAULT '0', "updated" integer NOT NULL DEFAULT '0', "raised" integer NOT NULL DEFAULT '0', "closed" integer NOT NULL DEFAULT '0', "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CK_monitoring_runs_state" CHECK ("state" IN ('running', 'finished', 'failed', 'abandoned')), CONSTRAINT "CK_monitoring_runs_trigger" CHECK ("trigger" IN ('schedule', 'demand', 'step')), CONSTRAINT "PK_monitoring_runs" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_monitoring_runs_county" ON "monitoring_runs" ("county_id", "id") `);
    await q.query(
      `CREATE UNIQUE INDEX "UQ_monitoring_runs_daily" ON "monitoring_runs" ("county_id", "today") WHERE "trigger" = 'schedule' AND "state" <> 'abandoned'`,
    );
    await q.query(
      `CREATE TABLE "monitoring_alerts" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "detector_id" character varying(8) NOT NULL, "subject_type" character varying(32) NOT NULL, "subject_id" character varying(64) NOT NULL, "unit_id" integer NOT NULL, "severity" character varying(8) NOT NULL, "state" character varying(16) NOT NULL, "summary" character varying(500) NOT NULL, "evidence" jsonb NOT NULL, "finding_key" character varying(500) NOT NULL DEFAULT '', "opened_run_id" integer, "first_seen_on" date NOT NULL, "last_seen_on" date NOT NULL, "acknowledged_by" integer, "explained_by" integer, "explanation" character varying(2000), "closed_by" integer, "closed_at" TIMESTAMP WITH TIME ZONE, "close_reason" character varying(2000), "closed_automatically" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_monitoring_alerts_closed" CHECK (("state" = 'closed') = ("closed_at" IS NOT NULL AND "close_reason" IS NOT NULL) AND ("state" <> 'closed' OR "closed_automatically" OR ("closed_by" IS NOT NULL AND "explained_by" IS NOT NULL AND "closed_by" <> "explained_by"))), CONSTRAINT "CK_monitoring_alerts_explained" CHECK ("state" NOT IN ('explained') OR ("explained_by" IS NOT NULL AND "explanation" IS NOT NULL)), CONSTRAINT "CK_monitoring_alerts_automatic" CHECK (NOT "closed_automatically" OR ("state" = 'closed' AND "closed_by" IS NULL)), CONSTRAINT "CK_monitoring_alerts_state" CHECK ("state" IN ('open', 'acknowledged', 'explained', 'closed')), CONSTRAINT "CK_monitoring_alerts_severity" CHECK ("severity" IN ('red', 'yellow', 'blue')), CONSTRAINT "PK_monitoring_alerts" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_monitoring_alerts_subject" ON "monitoring_alerts" ("county_id", "detector_id", "subject_type", "subject_id") `);
    await q.query(`CREATE INDEX "IDX_monitoring_alerts_list" ON "monitoring_alerts" ("county_id", "state", "severity") `);
    await q.query(
      `CREATE UNIQUE INDEX "UQ_monitoring_alerts_open" ON "monitoring_alerts" ("county_id", "detector_id", "subject_type", "subject_id") WHERE state <> 'closed'`,
    );
    await q.query(
      `CREATE TABLE "monitoring_alert_history" ("id" SERIAL NOT NULL, "alert_id" integer NOT NULL, "action" character varying(24) NOT NULL, "state" character varying(16) NOT NULL, "severity" character varying(8) NOT NULL, "actor_id" integer, "run_id" integer, "note" character varying(2000), "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_monitoring_alert_history" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_monitoring_alert_history_alert" ON "monitoring_alert_history" ("alert_id") `);
    await q.query(
      `CREATE TABLE "monitoring_alert_evidence" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "alert_id" integer NOT NULL, "filename" character varying(255) NOT NULL, "content_type" character varying(32) NOT NULL, "size" integer NOT NULL, "sha256" character(64) NOT NULL, "content" bytea NOT NULL, "event_id" bigint NOT NULL, "uploaded_by" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_monitoring_alert_evidence_hash" CHECK ("sha256" = encode(sha256("content"), 'hex') AND "size" = octet_length("content")), CONSTRAINT "CK_monitoring_alert_evidence_type" CHECK ("content_type" IN ('application/pdf', 'image/jpeg', 'image/png')), CONSTRAINT "PK_monitoring_alert_evidence" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "UQ_monitoring_alert_evidence_event" ON "monitoring_alert_evidence" ("event_id") `);
    await q.query(`CREATE INDEX "IDX_monitoring_alert_evidence_alert" ON "monitoring_alert_evidence" ("alert_id") `);
    await q.query(
      `CREATE TABLE "inspection_plans" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "title" character varying(200) NOT NULL, "departments" character varying(100) array NOT NULL, "planned_on" date NOT NULL, "random_count" integer NOT NULL DEFAULT '0', "seed" character varying(64), "pool" integer array NOT NULL DEFAULT '{}', "created_by" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_inspection_plans_pick" CHECK ("random_count" >= 0 AND ("random_count" = 0 OR "seed" IS NOT NULL)), CONSTRAINT "PK_inspection_plans" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_inspection_plans_county" ON "inspection_plans" ("county_id", "id") `);
    await q.query(
      `CREATE TABLE "inspection_plan_projects" ("plan_id" integer NOT NULL, "project_id" integer NOT NULL, "picked" character varying(8) NOT NULL, CONSTRAINT "CK_inspection_plan_projects_picked" CHECK ("picked" IN ('hand', 'random')), CONSTRAINT "PK_inspection_plan_projects" PRIMARY KEY ("plan_id", "project_id"))`,
    );
    await q.query(
      `CREATE TABLE "inspection_findings" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "plan_id" integer NOT NULL, "project_id" integer NOT NULL, "finding" character varying(2000) NOT NULL, "severity" character varying(8) NOT NULL, "alert_id" integer, "recorded_by" integer NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_inspection_findings_severity" CHECK ("severity" IN ('red', 'yellow', 'blue')), CONSTRAINT "PK_inspection_findings" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_inspection_findings_plan" ON "inspection_findings" ("plan_id") `);
    await q.query(
      `CREATE TABLE "related_parties" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "name" character varying(100) NOT NULL, "id_number" character varying(18), "bank_account" character varying(32), "relation" character varying(16) NOT NULL, "official_name" character varying(100) NOT NULL, "office" character varying(200) NOT NULL, "created_by" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "removed_by" integer, "removed_at" TIMESTAMP WITH TIME ZONE, "removal_reason" character varying(500), CONSTRAINT "CK_related_parties_removed" CHECK (("removed_at" IS NULL) = ("removed_by" IS NULL) AND ("removed_at" IS NULL) = ("removal_reason" IS NULL)), CONSTRAINT "CK_related_parties_identified" CHECK ("id_number" IS NOT NULL OR "bank_account" IS NOT NULL), CONSTRAINT "CK_related_parties_relation" CHECK ("relation" IN ('self', 'spouse', 'parent', 'child', 'sibling', 'other')), CONSTRAINT "PK_related_parties" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_related_parties_bank_account" ON "related_parties" ("county_id", "bank_account") `);
    await q.query(`CREATE INDEX "IDX_related_parties_id_number" ON "related_parties" ("county_id", "id_number") `);
    await q.query(
      `ALTER TABLE "monitoring_runs" ADD CONSTRAINT "FK_monitoring_runs_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "monitoring_runs" ADD CONSTRAINT "FK_monitoring_runs_requested_by" FOREIGN KEY ("requested_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "monitoring_alerts" ADD CONSTRAINT "FK_monitoring_alerts_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "monitoring_alerts" ADD CONSTRAINT "FK_monitoring_alerts_unit" FOREIGN KEY ("unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "monitoring_alerts" ADD CONSTRAINT "FK_monitoring_alerts_opened_run" FOREIGN KEY ("opened_run_id") REFERENCES "monitoring_runs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "monitoring_alerts" ADD CONSTRAINT "FK_monitoring_alerts_acknowledged_by" FOREIGN KEY ("acknowledged_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "monitoring_alerts" ADD CONSTRAINT "FK_monitoring_alerts_explained_by" FOREIGN KEY ("explained_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "monitoring_alerts" ADD CONSTRAINT "FK_monitoring_alerts_closed_by" FOREIGN KEY ("closed_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "monitoring_alert_history" ADD CONSTRAINT "FK_monitoring_alert_history_alert" FOREIGN KEY ("alert_id") REFERENCES "monitoring_alerts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "monitoring_alert_history" ADD CONSTRAINT "FK_monitoring_alert_history_actor" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "monitoring_alert_history" ADD CONSTRAINT "FK_monitoring_alert_history_run" FOREIGN KEY ("run_id") REFERENCES "monitoring_runs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "monitoring_alert_evidence" ADD CONSTRAINT "FK_monitoring_alert_evidence_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "monitoring_alert_evidence" ADD CONSTRAINT "FK_monitoring_alert_evidence_alert" FOREIGN KEY ("alert_id") REFERENCES "monitoring_alerts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "monitoring_alert_evidence" ADD CONSTRAINT "FK_monitoring_alert_evidence_event" FOREIGN KEY ("event_id") REFERENCES "audit_events"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "monitoring_alert_evidence" ADD CONSTRAINT "FK_monitoring_alert_evidence_uploaded_by" FOREIGN KEY ("uploaded_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "inspection_plans" ADD CONSTRAINT "FK_inspection_plans_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "inspection_plans" ADD CONSTRAINT "FK_inspection_plans_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "inspection_plan_projects" ADD CONSTRAINT "FK_inspection_plan_projects_plan" FOREIGN KEY ("plan_id") REFERENCES "inspection_plans"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "inspection_plan_projects" ADD CONSTRAINT "FK_inspection_plan_projects_project" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "inspection_findings" ADD CONSTRAINT "FK_inspection_findings_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "inspection_findings" ADD CONSTRAINT "FK_inspection_findings_plan" FOREIGN KEY ("plan_id") REFERENCES "inspection_plans"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "inspection_findings" ADD CONSTRAINT "FK_inspection_findings_project" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "inspection_findings" ADD CONSTRAINT "FK_inspection_findings_alert" FOREIGN KEY ("alert_id") REFERENCES "monitoring_alerts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "inspection_findings" ADD CONSTRAINT "FK_inspection_findings_recorded_by" FOREIGN KEY ("recorded_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "related_parties" ADD CONSTRAINT "FK_related_parties_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "related_parties" ADD CONSTRAINT "FK_related_parties_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "related_parties" ADD CONSTRAINT "FK_related_parties_removed_by" FOREIGN KEY ("removed_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    // Scans over a county's accounts by kind, and one invoice looked up across counties.
    await q.query(`CREATE INDEX "IDX_ledger_accounts_county_kind" ON "ledger_accounts" ("county_id", "kind") `);
    await q.query(`CREATE INDEX "IDX_claim_invoices_invoice_anywhere" ON "claim_invoices" ("issuer_key", "number_key") `);

    // An alert keeps what it is about; while open its severity only rises; once closed it never changes.
    await q.query(`
      CREATE FUNCTION monitoring_alert_changes() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'UPDATE' THEN
          RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = 'monitoring alerts are never deleted';
        END IF;
        IF OLD.state = 'closed' THEN
          RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('alert %s is closed and never changes', OLD.id);
        END IF;
        IF (NEW.id, NEW.county_id, NEW.detector_id, NEW.subject_type, NEW.subject_id, NEW.unit_id, NEW.opened_run_id, NEW.first_seen_on, NEW.created_at)
           IS DISTINCT FROM (OLD.id, OLD.county_id, OLD.detector_id, OLD.subject_type, OLD.subject_id, OLD.unit_id, OLD.opened_run_id, OLD.first_seen_on, OLD.created_at) THEN
          RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('alert %s: what it is about never changes', OLD.id);
        END IF;
        IF NEW.state = 'closed' AND NEW.explained_by IS DISTINCT FROM OLD.explained_by THEN
          RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('alert %s: who explained it does not change as it closes', OLD.id);
        END IF;
        IF array_position(ARRAY['blue', 'yellow', 'red'], NEW.severity::text) < array_position(ARRAY['blue', 'yellow', 'red'], OLD.severity::text) THEN
          RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('alert %s: severity never falls while it is open (%s to %s)', OLD.id, OLD.severity, NEW.severity);
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`DO $$ BEGIN EXECUTE format('ALTER FUNCTION monitoring_alert_changes() SET search_path = %I, pg_temp', current_schema()); END $$`);
    await q.query(
      `CREATE TRIGGER monitoring_alert_changes BEFORE UPDATE OR DELETE ON monitoring_alerts FOR EACH ROW EXECUTE FUNCTION monitoring_alert_changes()`,
    );
    await q.query(`CREATE TRIGGER monitoring_alerts_no_truncate BEFORE TRUNCATE ON monitoring_alerts FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);

    // A run is written while it runs and kept as it finished.
    await q.query(`
      CREATE FUNCTION monitoring_run_changes() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'UPDATE' OR OLD.state <> 'running' OR (NEW.id, NEW.county_id, NEW.trigger, NEW.step, NEW.requested_by, NEW.today, NEW.started_at)
           IS DISTINCT FROM (OLD.id, OLD.county_id, OLD.trigger, OLD.step, OLD.requested_by, OLD.today, OLD.started_at) THEN
          RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('monitoring run %s: only its results are written, and only while it runs', OLD.id);
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`DO $$ BEGIN EXECUTE format('ALTER FUNCTION monitoring_run_changes() SET search_path = %I, pg_temp', current_schema()); END $$`);
    await q.query(`CREATE TRIGGER monitoring_run_changes BEFORE UPDATE OR DELETE ON monitoring_runs FOR EACH ROW EXECUTE FUNCTION monitoring_run_changes()`);
    await q.query(`CREATE TRIGGER monitoring_runs_no_truncate BEFORE TRUNCATE ON monitoring_runs FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);

    // A register entry is removed (with who and why), never edited or deleted.
    await q.query(`
      CREATE FUNCTION related_party_changes() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'UPDATE' OR OLD.removed_at IS NOT NULL
           OR (NEW.id, NEW.county_id, NEW.name, NEW.id_number, NEW.bank_account, NEW.relation, NEW.official_name, NEW.office, NEW.created_by, NEW.created_at)
              IS DISTINCT FROM (OLD.id, OLD.county_id, OLD.name, OLD.id_number, OLD.bank_account, OLD.relation, OLD.official_name, OLD.office, OLD.created_by, OLD.created_at) THEN
          RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('related party %s: an entry is only removed, once', OLD.id);
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`DO $$ BEGIN EXECUTE format('ALTER FUNCTION related_party_changes() SET search_path = %I, pg_temp', current_schema()); END $$`);
    await q.query(`CREATE TRIGGER related_party_changes BEFORE UPDATE OR DELETE ON related_parties FOR EACH ROW EXECUTE FUNCTION related_party_changes()`);
    await q.query(`CREATE TRIGGER related_parties_no_truncate BEFORE TRUNCATE ON related_parties FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);

    for (const table of APPEND_ONLY) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    // policy_changes.value stays 128 wide: values written since may not fit 64.
    await q.query(`DROP INDEX "public"."IDX_claim_invoices_invoice_anywhere"`);
    await q.query(`DROP INDEX "public"."IDX_ledger_accounts_county_kind"`);
    for (const table of APPEND_ONLY) {
      await q.query(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
      await q.query(`DROP TRIGGER ${table}_append_only ON ${table}`);
    }
    for (const [table, fn] of [
      ['related_parties', 'related_party_changes'],
      ['monitoring_runs', 'monitoring_run_changes'],
      ['monitoring_alerts', 'monitoring_alert_changes'],
    ]) {
      await q.query(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
      await q.query(`DROP TRIGGER ${fn} ON ${table}`);
      await q.query(`DROP FUNCTION ${fn}`);
    }
    await q.query(`ALTER TABLE "related_parties" DROP CONSTRAINT "FK_related_parties_removed_by"`);
    await q.query(`ALTER TABLE "related_parties" DROP CONSTRAINT "FK_related_parties_created_by"`);
    await q.query(`ALTER TABLE "related_parties" DROP CONSTRAINT "FK_related_parties_county"`);
    await q.query(`ALTER TABLE "inspection_findings" DROP CONSTRAINT "FK_inspection_findings_recorded_by"`);
    await q.query(`ALTER TABLE "inspection_findings" DROP CONSTRAINT "FK_inspection_findings_alert"`);
    await q.query(`ALTER TABLE "inspection_findings" DROP CONSTRAINT "FK_inspection_findings_project"`);
    await q.query(`ALTER TABLE "inspection_findings" DROP CONSTRAINT "FK_inspection_findings_plan"`);
    await q.query(`ALTER TABLE "inspection_findings" DROP CONSTRAINT "FK_inspection_findings_county"`);
    await q.query(`ALTER TABLE "inspection_plan_projects" DROP CONSTRAINT "FK_inspection_plan_projects_project"`);
    await q.query(`ALTER TABLE "inspection_plan_projects" DROP CONSTRAINT "FK_inspection_plan_projects_plan"`);
    await q.query(`ALTER TABLE "inspection_plans" DROP CONSTRAINT "FK_inspection_plans_created_by"`);
    await q.query(`ALTER TABLE "inspection_plans" DROP CONSTRAINT "FK_inspection_plans_county"`);
    await q.query(`ALTER TABLE "monitoring_alert_evidence" DROP CONSTRAINT "FK_monitoring_alert_evidence_uploaded_by"`);
    await q.query(`ALTER TABLE "monitoring_alert_evidence" DROP CONSTRAINT "FK_monitoring_alert_evidence_event"`);
    await q.query(`ALTER TABLE "monitoring_alert_evidence" DROP CONSTRAINT "FK_monitoring_alert_evidence_alert"`);
    await q.query(`ALTER TABLE "monitoring_alert_evidence" DROP CONSTRAINT "FK_monitoring_alert_evidence_county"`);
    await q.query(`ALTER TABLE "monitoring_alert_history" DROP CONSTRAINT "FK_monitoring_alert_history_run"`);
    await q.query(`ALTER TABLE "monitoring_alert_history" DROP CONSTRAINT "FK_monitoring_alert_history_actor"`);
    await q.query(`ALTER TABLE "monitoring_alert_history" DROP CONSTRAINT "FK_monitoring_alert_history_alert"`);
    await q.query(`ALTER TABLE "monitoring_alerts" DROP CONSTRAINT "FK_monitoring_alerts_closed_by"`);
    await q.query(`ALTER TABLE "monitoring_alerts" DROP CONSTRAINT "FK_monitoring_alerts_explained_by"`);
    await q.query(`ALTER TABLE "monitoring_alerts" DROP CONSTRAINT "FK_monitoring_alerts_acknowledged_by"`);
    await q.query(`ALTER TABLE "monitoring_alerts" DROP CONSTRAINT "FK_monitoring_alerts_opened_run"`);
    await q.query(`ALTER TABLE "monitoring_alerts" DROP CONSTRAINT "FK_monitoring_alerts_unit"`);
    await q.query(`ALTER TABLE "monitoring_alerts" DROP CONSTRAINT "FK_monitoring_alerts_county"`);
    await q.query(`ALTER TABLE "monitoring_runs" DROP CONSTRAINT "FK_monitoring_runs_requested_by"`);
    await q.query(`ALTER TABLE "monitoring_runs" DROP CONSTRAINT "FK_monitoring_runs_county"`);
    await q.query(`DROP INDEX "public"."IDX_related_parties_id_number"`);
    await q.query(`DROP INDEX "public"."IDX_related_parties_bank_account"`);
    await q.query(`DROP TABLE "related_parties"`);
    await q.query(`DROP INDEX "public"."IDX_inspection_findings_plan"`);
    await q.query(`DROP TABLE "inspection_findings"`);
    await q.query(`DROP TABLE "inspection_plan_projects"`);
    await q.query(`DROP INDEX "public"."IDX_inspection_plans_county"`);
    await q.query(`DROP TABLE "inspection_plans"`);
    await q.query(`DROP INDEX "public"."IDX_monitoring_alert_evidence_alert"`);
    await q.query(`DROP INDEX "public"."UQ_monitoring_alert_evidence_event"`);
    await q.query(`DROP TABLE "monitoring_alert_evidence"`);
    await q.query(`DROP INDEX "public"."IDX_monitoring_alert_history_alert"`);
    await q.query(`DROP TABLE "monitoring_alert_history"`);
    await q.query(`DROP INDEX "public"."UQ_monitoring_alerts_open"`);
    await q.query(`DROP INDEX "public"."IDX_monitoring_alerts_list"`);
    await q.query(`DROP INDEX "public"."IDX_monitoring_alerts_subject"`);
    await q.query(`DROP TABLE "monitoring_alerts"`);
    await q.query(`DROP INDEX "public"."UQ_monitoring_runs_daily"`);
    await q.query(`DROP INDEX "public"."IDX_monitoring_runs_county"`);
    await q.query(`DROP TABLE "monitoring_runs"`);
  }
}
