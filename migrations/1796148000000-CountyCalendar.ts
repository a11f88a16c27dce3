import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The county calendar of working days (docs/architecture.md, "County calendar"): Monday–Friday work, Saturday and
 * Sunday rest, except the days of `calendar_days` — holidays on weekdays, adjusted working days on weekends, nothing
 * else (`CK_calendar_days_departs`).
 *
 * - `calendar_days` is written by the database only: the 2026 national days below, for every county now and, by
 *   `counties_load_calendar`, for every county created later; and a day when a different person approves its
 *   `calendar_changes` row (`calendar_changes_apply`). Both run as the schema's owner (like `counties_open_chain`);
 *   the service's role only reads the table, and `calendar_days_guard` refuses any write not made by those triggers.
 * - `calendar_changes_guard`: a change is inserted as proposed and decided once (approved or rejected), its terms never
 *   change, it is never deleted, and whoever proposed it never decides it (FL013, answered 403 SAME_HAND).
 *
 * The national days are 國務院辦公廳關於2026年部分節假日安排的通知 (dated 2025-11-04; 國辦發明電〔2025〕7號), checked
 * against the text published by Xinhua (reprinted by gmw.cn, cnr.cn, hrbtv.net and 中山日報 of 2025-11-05): 元旦 1-1…1-3,
 * 1-4 worked; 春節 2-15…2-23, 2-14 and 2-28 worked; 清明節 4-4…4-6; 勞動節 5-1…5-5, 5-9 worked; 端午節 6-19…6-21;
 * 中秋節 9-25…9-27; 國慶節 10-1…10-7, 9-20 and 10-10 worked. Only the departures from the default rule are stored.
 * `noticeExceptions(NATIONAL_2026)` (src/calendar/domain/national-2026.ts) derives the same list from the notice's
 * own terms, and the calendar e2e test holds the two equal. Later years are loaded by a county's admins through
 * proposed and approved changes when the State Council publishes them; a year not loaded follows the default rule.
 */
export class CountyCalendar1796148000000 implements MigrationInterface {
  name = 'CountyCalendar1796148000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "calendar_changes" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "day" date NOT NULL, "action" character varying(16) NOT NULL, "kind" character varying(16), "name" character varying(100), "reason" character varying(500) NOT NULL, "state" character varying(16) NOT NULL, "proposed_by" integer NOT NULL, "proposed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "decided_by" integer, "decided_at" TIMESTAMP WITH TIME ZONE, "rejection_reason" character varying(500), CONSTRAINT "CK_calendar_changes_rejection" CHECK (("state" = 'rejected') = ("rejection_reason" IS NOT NULL)), CONSTRAINT "CK_calendar_changes_decided" CHECK (("state" = 'proposed') = ("decided_by" IS NULL) AND ("state" = 'proposed') = ("decided_at" IS NULL)), CONSTRAINT "CK_calendar_changes_departs" CHECK ("kind" IS NULL OR ("kind" = 'holiday') = (EXTRACT(ISODOW FROM "day") < 6)), CONSTRAINT "CK_calendar_changes_action" CHECK (CASE "action" WHEN 'set' THEN "kind" IS NOT NULL AND "name" IS NOT NULL AND "kind" IN ('holiday', 'workday') WHEN 'remove' THEN "kind" IS NULL AND "name" IS NULL ELSE false END), CONSTRAINT "CK_calendar_changes_state" CHECK ("state" IN ('proposed', 'approved', 'rejected')), CONSTRAINT "PK_calendar_changes" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "UQ_calendar_changes_pending" ON "calendar_changes" ("county_id", "day") WHERE state = 'proposed'`);
    await q.query(
      `CREATE TABLE "calendar_days" ("county_id" integer NOT NULL, "day" date NOT NULL, "kind" character varying(16) NOT NULL, "name" character varying(100) NOT NULL, "change_id" integer, CONSTRAINT "CK_calendar_days_departs" CHECK (("kind" = 'holiday') = (EXTRACT(ISODOW FROM "day") < 6)), CONSTRAINT "CK_calendar_days_kind" CHECK ("kind" IN ('holiday', 'workday')), CONSTRAINT "PK_calendar_days" PRIMARY KEY ("county_id", "day"))`,
    );
    await q.query(
      `ALTER TABLE "calendar_changes" ADD CONSTRAINT "FK_calendar_changes_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "calendar_changes" ADD CONSTRAINT "FK_calendar_changes_proposed_by" FOREIGN KEY ("proposed_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "calendar_changes" ADD CONSTRAINT "FK_calendar_changes_decided_by" FOREIGN KEY ("decided_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "calendar_days" ADD CONSTRAINT "FK_calendar_days_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "calendar_days" ADD CONSTRAINT "FK_calendar_days_change" FOREIGN KEY ("change_id") REFERENCES "calendar_changes"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    // The counties that exist now, before the guard below admits only the triggers' writes.
    await q.query(
      `INSERT INTO calendar_days (county_id, day, kind, name) SELECT c.id, d.day, d.kind, d.name FROM counties c CROSS JOIN (${NATIONAL_2026}) d (day, kind, name)`,
    );

    await q.query(`
      CREATE FUNCTION counties_load_calendar() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO calendar_days (county_id, day, kind, name) SELECT NEW.id, d.day, d.kind, d.name FROM (${NATIONAL_2026}) d (day, kind, name);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER counties_load_calendar AFTER INSERT ON counties FOR EACH ROW EXECUTE FUNCTION counties_load_calendar()`);

    await q.query(`
      CREATE FUNCTION calendar_changes_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' AND NEW.state = 'proposed' AND NEW.decided_by IS NULL AND NEW.decided_at IS NULL AND NEW.rejection_reason IS NULL THEN
          RETURN NEW;
        END IF;
        IF TG_OP = 'UPDATE' AND NEW.decided_by = OLD.proposed_by THEN
          RAISE EXCEPTION USING ERRCODE = 'FL013', DETAIL = OLD.id::text,
            MESSAGE = format('calendar change %s: whoever proposed it cannot approve or reject it', OLD.id);
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.state = 'proposed' AND NEW.state IN ('approved', 'rejected')
           AND (NEW.id, NEW.county_id, NEW.day, NEW.action, NEW.kind, NEW.name, NEW.reason, NEW.proposed_by, NEW.proposed_at)
               IS NOT DISTINCT FROM (OLD.id, OLD.county_id, OLD.day, OLD.action, OLD.kind, OLD.name, OLD.reason, OLD.proposed_by, OLD.proposed_at) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('calendar change: %s refused (proposed once, decided once, never deleted)', TG_OP);
      END $$`);
    await q.query(
      `CREATE TRIGGER calendar_changes_guard BEFORE INSERT OR UPDATE OR DELETE ON calendar_changes FOR EACH ROW EXECUTE FUNCTION calendar_changes_guard()`,
    );

    await q.query(`
      CREATE FUNCTION calendar_changes_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.action = 'set' THEN
          INSERT INTO calendar_days (county_id, day, kind, name, change_id) VALUES (NEW.county_id, NEW.day, NEW.kind, NEW.name, NEW.id)
          ON CONFLICT (county_id, day) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, change_id = EXCLUDED.change_id;
        ELSE
          DELETE FROM calendar_days WHERE county_id = NEW.county_id AND day = NEW.day;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER calendar_changes_apply AFTER UPDATE OF state ON calendar_changes
      FOR EACH ROW WHEN (OLD.state = 'proposed' AND NEW.state = 'approved') EXECUTE FUNCTION calendar_changes_apply()`);

    // Only the two triggers above write days: nested in a county's insert or a change's approval.
    await q.query(`
      CREATE FUNCTION calendar_days_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF pg_trigger_depth() < 2 THEN
          RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('calendar days change only through an approved calendar change: %s refused', TG_OP);
        END IF;
        IF TG_OP = 'DELETE' THEN
          RETURN OLD;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER calendar_days_guard BEFORE INSERT OR UPDATE OR DELETE ON calendar_days FOR EACH ROW EXECUTE FUNCTION calendar_days_guard()`);
    for (const table of ['calendar_days', 'calendar_changes']) {
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    }

    for (const fn of ['counties_load_calendar()', 'calendar_changes_guard()', 'calendar_changes_apply()', 'calendar_days_guard()']) {
      await q.query(`DO $$ BEGIN EXECUTE format('ALTER FUNCTION ${fn} SET search_path = %I, pg_temp', current_schema()); END $$`);
    }
    // They write days the service's role may not write itself (LeastPrivilege).
    for (const fn of ['counties_load_calendar()', 'calendar_changes_apply()']) await q.query(`ALTER FUNCTION ${fn} SECURITY DEFINER`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER counties_load_calendar ON counties`);
    await q.query(`DROP FUNCTION counties_load_calendar()`);
    await q.query(`DROP TABLE "calendar_days"`);
    await q.query(`DROP TABLE "calendar_changes"`);
    await q.query(`DROP FUNCTION calendar_days_guard(), calendar_changes_apply(), calendar_changes_guard()`);
  }
}

/** The 2026 notice's departures from the default rule, as rows (day, kind, name): weekday holidays and worked weekend days. */
const NATIONAL_2026 = `VALUES
  ('2026-01-01'::date, 'holiday', '元旦'), ('2026-01-02', 'holiday', '元旦'), ('2026-01-04', 'workday', '元旦'),
  ('2026-02-14', 'workday', '春節'), ('2026-02-16', 'holiday', '春節'), ('2026-02-17', 'holiday', '春節'),
  ('2026-02-18', 'holiday', '春節'), ('2026-02-19', 'holiday', '春節'), ('2026-02-20', 'holiday', '春節'),
  ('2026-02-23', 'holiday', '春節'), ('2026-02-28', 'workday', '春節'),
  ('2026-04-06', 'holiday', '清明節'),
  ('2026-05-01', 'holiday', '勞動節'), ('2026-05-04', 'holiday', '勞動節'), ('2026-05-05', 'holiday', '勞動節'), ('2026-05-09', 'workday', '勞動節'),
  ('2026-06-19', 'holiday', '端午節'),
  ('2026-09-25', 'holiday', '中秋節'),
  ('2026-09-20', 'workday', '國慶節'), ('2026-10-01', 'holiday', '國慶節'), ('2026-10-02', 'holiday', '國慶節'), ('2026-10-05', 'holiday', '國慶節'),
  ('2026-10-06', 'holiday', '國慶節'), ('2026-10-07', 'holiday', '國慶節'), ('2026-10-10', 'workday', '國慶節')`;
