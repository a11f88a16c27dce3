import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Publicity (公示制): notices with their projects and allocations, objections, the guards that keep a published
 * notice a snapshot, and the gates re-checked at commit (library entry, contract signing, retention release).
 */
export class Publicity1796149000000 implements MigrationInterface {
  name = 'Publicity1796149000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "notices" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "code" character varying(40) NOT NULL, "kind" character varying(16) NOT NULL, "publisher_unit_id" integer NOT NULL, "title" character varying(200) NOT NULL, "document_number" character varying(100) NOT NULL, "body" character varying(4000) NOT NULL, "channels" character varying(32) array NOT NULL, "formed_on" date NOT NULL, "supersedes_id" integer, "state" character varying(16) NOT NULL, "drafted_by" integer NOT NULL, "approved_by" integer, "approved_at" TIMESTAMP WITH TIME ZONE, "starts_on" date, "ends_on" date, "snapshot" jsonb, "content_hash" character(64), "pdf" bytea, "pdf_sha256" character(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_notices_content_hash" CHECK (("snapshot" IS NULL) = ("content_hash" IS NULL)), CONSTRAINT "CK_notices_pdf_hash" CHECK ("pdf" IS NULL OR "pdf_sha256" = encode(sha256("pdf"), 'hex')), CONSTRAINT "CK_notices_period" CHECK ("ends_on" >= "starts_on"), CONSTRAINT "CK_notices_published" CHECK (("state" = 'published') = ("approved_by" IS NOT NULL AND "starts_on" IS NOT NULL AND "ends_on" IS NOT NULL AND "snapshot" IS NOT NULL AND "pdf" IS NOT NULL)), CONSTRAINT "CK_notices_checker" CHECK ("approved_by" IS NULL OR "approved_by" <> "drafted_by"), CONSTRAINT "CK_notices_state" CHECK ("state" IN ('draft', 'published')), CONSTRAINT "CK_notices_kind" CHECK ("kind" IN ('library', 'plan', 'allocation', 'implementation', 'completion')), CONSTRAINT "PK_notices" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_notices_county_state" ON "notices" ("county_id", "state") `);
    await q.query(`CREATE UNIQUE INDEX "UQ_notices_code" ON "notices" ("code") `);
    await q.query(
      `CREATE TABLE "notice_projects" ("notice_id" integer NOT NULL, "project_id" integer NOT NULL, CONSTRAINT "PK_notice_projects" PRIMARY KEY ("notice_id", "project_id"))`,
    );
    await q.query(`CREATE INDEX "IDX_notice_projects_project" ON "notice_projects" ("project_id") `);
    await q.query(
      `CREATE TABLE "notice_allocations" ("notice_id" integer NOT NULL, "allocation_id" integer NOT NULL, CONSTRAINT "PK_notice_allocations" PRIMARY KEY ("notice_id", "allocation_id"))`,
    );
    await q.query(`CREATE INDEX "IDX_notice_allocations_allocation" ON "notice_allocations" ("allocation_id") `);
    await q.query(
      `CREATE TABLE "notice_objections" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "notice_id" integer NOT NULL, "channel" character varying(16) NOT NULL, "name" character varying(50), "phone" character varying(20), "content" character varying(2000) NOT NULL, "received_on" date NOT NULL, "late" boolean NOT NULL, "state" character varying(16) NOT NULL, "outcome" character varying(16), "finding" character varying(2000), "recorded_by" integer, "investigated_by" integer, "answered_by" integer, "answered_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_notice_objections_recorder" CHECK (("channel" = 'public') = ("recorded_by" IS NULL)), CONSTRAINT "CK_notice_objections_answered" CHECK (("state" = 'answered') = ("outcome" IS NOT NULL AND "finding" IS NOT NULL AND "answered_by" IS NOT NULL AND "answered_at" IS NOT NULL)), CONSTRAINT "CK_notice_objections_outcome" CHECK ("outcome" IS NULL OR "outcome" IN ('upheld', 'dismissed')), CONSTRAINT "CK_notice_objections_state" CHECK ("state" IN ('received', 'investigating', 'answered')), CONSTRAINT "CK_notice_objections_channel" CHECK ("channel" IN ('phone', 'letter', 'visit', 'public')), CONSTRAINT "PK_notice_objections" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_notice_objections_notice" ON "notice_objections" ("notice_id") `);
    await q.query(
      `ALTER TABLE "notices" ADD CONSTRAINT "FK_notices_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "notices" ADD CONSTRAINT "FK_notices_publisher_unit" FOREIGN KEY ("publisher_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "notices" ADD CONSTRAINT "FK_notices_supersedes" FOREIGN KEY ("supersedes_id") REFERENCES "notices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "notices" ADD CONSTRAINT "FK_notices_drafted_by" FOREIGN KEY ("drafted_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "notices" ADD CONSTRAINT "FK_notices_approved_by" FOREIGN KEY ("approved_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "notice_projects" ADD CONSTRAINT "FK_notice_projects_notice" FOREIGN KEY ("notice_id") REFERENCES "notices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "notice_projects" ADD CONSTRAINT "FK_notice_projects_project" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "notice_allocations" ADD CONSTRAINT "FK_notice_allocations_notice" FOREIGN KEY ("notice_id") REFERENCES "notices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "notice_allocations" ADD CONSTRAINT "FK_notice_allocations_allocation" FOREIGN KEY ("allocation_id") REFERENCES "fund_allocations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "notice_objections" ADD CONSTRAINT "FK_notice_objections_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "notice_objections" ADD CONSTRAINT "FK_notice_objections_notice" FOREIGN KEY ("notice_id") REFERENCES "notices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "notice_objections" ADD CONSTRAINT "FK_notice_objections_recorded_by" FOREIGN KEY ("recorded_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "notice_objections" ADD CONSTRAINT "FK_notice_objections_investigated_by" FOREIGN KEY ("investigated_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "notice_objections" ADD CONSTRAINT "FK_notice_objections_answered_by" FOREIGN KEY ("answered_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    // A published notice is a snapshot: nothing of it changes and nothing is deleted; a draft may be edited but
    // keeps who drafted it, its unit, kind and code. Its projects and allocations change only while it is a draft.
    await q.query(`
      CREATE FUNCTION notices_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.state = 'draft'
           AND (NEW.id, NEW.county_id, NEW.code, NEW.kind, NEW.publisher_unit_id, NEW.drafted_by, NEW.created_at)
               IS NOT DISTINCT FROM (OLD.id, OLD.county_id, OLD.code, OLD.kind, OLD.publisher_unit_id, OLD.drafted_by, OLD.created_at) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('notice %s: %s refused (a notice is never deleted; a published one never changes)', OLD.code, TG_OP);
      END $$`);
    await q.query(`CREATE TRIGGER notices_guard BEFORE UPDATE OR DELETE ON notices FOR EACH ROW EXECUTE FUNCTION notices_guard()`);
    await q.query(`
      CREATE FUNCTION notice_subjects_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_notice integer := CASE WHEN TG_OP = 'DELETE' THEN OLD.notice_id ELSE NEW.notice_id END;
      BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM notices WHERE id = v_notice AND state = 'draft') THEN
          RETURN OLD;
        END IF;
        -- A notice publishes its own county's projects and allocations only.
        IF TG_OP = 'INSERT' AND EXISTS (
             SELECT 1 FROM notices n
              WHERE n.id = v_notice AND n.state = 'draft'
                AND n.county_id = CASE TG_TABLE_NAME
                  WHEN 'notice_projects' THEN (SELECT county_id FROM projects WHERE id = (to_jsonb(NEW)->>'project_id')::int)
                  ELSE (SELECT county_id FROM fund_allocations WHERE id = (to_jsonb(NEW)->>'allocation_id')::int)
                END) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('%s of notice %s: %s refused past its draft', TG_TABLE_NAME, v_notice, TG_OP);
      END $$`);
    for (const table of ['notice_projects', 'notice_allocations']) {
      await q.query(`CREATE TRIGGER ${table}_guard BEFORE INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION notice_subjects_guard()`);
    }
    // An objection's words, who sent it and when never change; it moves received → investigating → answered, once.
    await q.query(`
      CREATE FUNCTION notice_objections_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE'
           AND (NEW.id, NEW.county_id, NEW.notice_id, NEW.channel, NEW.name, NEW.phone, NEW.content, NEW.received_on, NEW.late, NEW.recorded_by, NEW.created_at)
               IS NOT DISTINCT FROM (OLD.id, OLD.county_id, OLD.notice_id, OLD.channel, OLD.name, OLD.phone, OLD.content, OLD.received_on, OLD.late, OLD.recorded_by, OLD.created_at)
           AND ((OLD.state = 'received' AND NEW.state = 'investigating' AND NEW.outcome IS NULL)
             OR (OLD.state IN ('received', 'investigating') AND NEW.state = 'answered'
                 AND NEW.investigated_by IS NOT DISTINCT FROM coalesce(OLD.investigated_by, NEW.investigated_by))) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('objection %s: %s refused', OLD.id, TG_OP);
      END $$`);
    await q.query(
      `CREATE TRIGGER notice_objections_guard BEFORE UPDATE OR DELETE ON notice_objections FOR EACH ROW EXECUTE FUNCTION notice_objections_guard()`,
    );
    // An objection is taken on a published notice of its county, from the notice's first day, as received; whether it
    // is late is the notice's last day's to say, not the writer's.
    await q.query(`
      CREATE FUNCTION notice_objections_arrive() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_notice notices%ROWTYPE;
      BEGIN
        SELECT * INTO v_notice FROM notices WHERE id = NEW.notice_id;
        IF v_notice.state IS DISTINCT FROM 'published' OR v_notice.county_id <> NEW.county_id OR NEW.received_on < v_notice.starts_on
           OR NEW.state <> 'received' OR NEW.outcome IS NOT NULL OR NEW.investigated_by IS NOT NULL OR NEW.answered_by IS NOT NULL THEN
          RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('objection to notice %s: refused (a new objection to a published notice of its county)', NEW.notice_id);
        END IF;
        NEW.late := NEW.received_on > v_notice.ends_on;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER notice_objections_arrive BEFORE INSERT ON notice_objections FOR EACH ROW EXECUTE FUNCTION notice_objections_arrive()`);
    // One published correction per notice (the service also serialises approvals of a kind).
    await q.query(`CREATE UNIQUE INDEX "UQ_notices_supersedes" ON "notices" ("supersedes_id") WHERE state = 'published'`);
    // Rows here let the service hand the database a "today" later than the real one (the tests' clock, a training
    // copy); a production database has none, and a session cannot move the gates' day past the calendar.
    await q.query(
      `CREATE TABLE "clock_travel" ("allowed" boolean NOT NULL, CONSTRAINT "CK_clock_travel_allowed" CHECK ("allowed"), CONSTRAINT "PK_clock_travel" PRIMARY KEY ("allowed"))`,
    );
    for (const table of ['notices', 'notice_projects', 'notice_allocations', 'notice_objections']) {
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    }

    // The publicity gates, re-checked at commit (docs/publicity.md): "today" is the service's clock, handed over with
    // set_config('fund_ledger.today', …, true) in the same transaction, else the date in China; never later than the
    // date in China unless clock_travel allows it, so a session setting a far date cannot open a gate.
    await q.query(`
      CREATE FUNCTION publicity_today() RETURNS date LANGUAGE sql STABLE AS $$
        SELECT CASE
          WHEN EXISTS (SELECT 1 FROM clock_travel) THEN coalesce(nullif(current_setting('fund_ledger.today', true), '')::date, real.today)
          ELSE least(coalesce(nullif(current_setting('fund_ledger.today', true), '')::date, real.today), real.today)
        END
        FROM (SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date AS today) real
      $$`);
    // A notice counts while no published notice supersedes it; it has passed when its last day is over, no objection
    // received in time is still open, and none was upheld.
    await q.query(`
      CREATE FUNCTION publicity_passed(p_project integer, p_kind text) RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT EXISTS (
          SELECT 1 FROM notices n JOIN notice_projects np ON np.notice_id = n.id
           WHERE np.project_id = p_project AND n.kind = p_kind AND n.state = 'published' AND n.ends_on < publicity_today()
             AND n.county_id = (SELECT county_id FROM projects WHERE id = p_project)
             AND NOT EXISTS (SELECT 1 FROM notices s WHERE s.supersedes_id = n.id AND s.state = 'published')
             AND NOT EXISTS (SELECT 1 FROM notice_objections o
                              WHERE o.notice_id = n.id AND ((o.state <> 'answered' AND NOT o.late) OR o.outcome = 'upheld')))
      $$`);
    await q.query(`
CREATE FUNCTION publicity_gate() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_row jsonb := to_jsonb(NEW);
        v_kind text := TG_ARGV[0];
        v_project integer;
      BEGIN
        v_project := CASE TG_TABLE_NAME
          WHEN 'projects' THEN (v_row->>'id')::int
          WHEN 'contracts' THEN (v_row->>'project_id')::int
          ELSE (SELECT project_id FROM contracts WHERE id = (v_row->>'contract_id')::int)
        END;
        IF NOT publicity_passed(v_project, v_kind) THEN
          RAISE EXCEPTION USING ERRCODE = 'FL014', DETAIL = v_project::text,
            MESSAGE = format('%s %s: project %s has no passed %s notice', TG_TABLE_NAME, v_row->>'id', v_project, v_kind);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER projects_publicity_gate AFTER UPDATE ON projects DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (NEW.state = 'in_library' AND OLD.state <> 'in_library') EXECUTE FUNCTION publicity_gate('library')`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER contracts_publicity_gate AFTER UPDATE ON contracts DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (NEW.state = 'signed' AND OLD.state <> 'signed') EXECUTE FUNCTION publicity_gate('plan')`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER retention_publicity_gate AFTER UPDATE ON retention_movements DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (NEW.kind = 'release' AND NEW.state = 'posted' AND OLD.state <> 'posted') EXECUTE FUNCTION publicity_gate('completion')`);
    for (const fn of [
      'notices_guard()',
      'notice_subjects_guard()',
      'notice_objections_guard()',
      'publicity_today()',
      'notice_objections_arrive()',
      'publicity_passed(integer, text)',
      'publicity_gate()',
    ]) {
      await q.query(`DO $$ BEGIN EXECUTE format('ALTER FUNCTION ${fn} SET search_path = %I, pg_temp', current_schema()); END $$`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER retention_publicity_gate ON retention_movements`);
    await q.query(`DROP TRIGGER contracts_publicity_gate ON contracts`);
    await q.query(`DROP TRIGGER projects_publicity_gate ON projects`);
    await q.query(`DROP FUNCTION publicity_gate, publicity_passed, publicity_today`);
    await q.query(`DROP TABLE "clock_travel"`);
    await q.query(`DROP INDEX "public"."UQ_notices_supersedes"`);
    await q.query(`DROP TRIGGER notice_objections_arrive ON notice_objections`);
    await q.query(`DROP FUNCTION notice_objections_arrive`);
    for (const table of ['notices', 'notice_projects', 'notice_allocations', 'notice_objections']) {
      await q.query(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
    }
    await q.query(`DROP TRIGGER notice_objections_guard ON notice_objections`);
    await q.query(`DROP TRIGGER notice_allocations_guard ON notice_allocations`);
    await q.query(`DROP TRIGGER notice_projects_guard ON notice_projects`);
    await q.query(`DROP TRIGGER notices_guard ON notices`);
    await q.query(`DROP FUNCTION notice_objections_guard, notice_subjects_guard, notices_guard`);
    await q.query(`ALTER TABLE "notice_objections" DROP CONSTRAINT "FK_notice_objections_answered_by"`);
    await q.query(`ALTER TABLE "notice_objections" DROP CONSTRAINT "FK_notice_objections_investigated_by"`);
    await q.query(`ALTER TABLE "notice_objections" DROP CONSTRAINT "FK_notice_objections_recorded_by"`);
    await q.query(`ALTER TABLE "notice_objections" DROP CONSTRAINT "FK_notice_objections_notice"`);
    await q.query(`ALTER TABLE "notice_objections" DROP CONSTRAINT "FK_notice_objections_county"`);
    await q.query(`ALTER TABLE "notice_allocations" DROP CONSTRAINT "FK_notice_allocations_allocation"`);
    await q.query(`ALTER TABLE "notice_allocations" DROP CONSTRAINT "FK_notice_allocations_notice"`);
    await q.query(`ALTER TABLE "notice_projects" DROP CONSTRAINT "FK_notice_projects_project"`);
    await q.query(`ALTER TABLE "notice_projects" DROP CONSTRAINT "FK_notice_projects_notice"`);
    await q.query(`ALTER TABLE "notices" DROP CONSTRAINT "FK_notices_approved_by"`);
    await q.query(`ALTER TABLE "notices" DROP CONSTRAINT "FK_notices_drafted_by"`);
    await q.query(`ALTER TABLE "notices" DROP CONSTRAINT "FK_notices_supersedes"`);
    await q.query(`ALTER TABLE "notices" DROP CONSTRAINT "FK_notices_publisher_unit"`);
    await q.query(`ALTER TABLE "notices" DROP CONSTRAINT "FK_notices_county"`);
    await q.query(`DROP INDEX "public"."IDX_notice_objections_notice"`);
    await q.query(`DROP TABLE "notice_objections"`);
    await q.query(`DROP INDEX "public"."IDX_notice_allocations_allocation"`);
    await q.query(`DROP TABLE "notice_allocations"`);
    await q.query(`DROP INDEX "public"."IDX_notice_projects_project"`);
    await q.query(`DROP TABLE "notice_projects"`);
    await q.query(`DROP INDEX "public"."UQ_notices_code"`);
    await q.query(`DROP INDEX "public"."IDX_notices_county_state"`);
    await q.query(`DROP TABLE "notices"`);
  }
}
