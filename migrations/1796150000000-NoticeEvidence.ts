import { MigrationInterface, QueryRunner } from 'typeorm';

/** Evidence of a notice's posting (photos of the board, scans), hashed and append-only like claim attachments. */
export class NoticeEvidence1796150000000 implements MigrationInterface {
  name = 'NoticeEvidence1796150000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "notice_evidence" ("id" SERIAL NOT NULL, "county_id" integer NOT NULL, "notice_id" integer NOT NULL, "channel" character varying(32) NOT NULL, "filename" character varying(255) NOT NULL, "content_type" character varying(32) NOT NULL, "size" integer NOT NULL, "sha256" character(64) NOT NULL, "content" bytea NOT NULL, "event_id" bigint NOT NULL, "uploaded_by" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_notice_evidence_hash" CHECK ("sha256" = encode(sha256("content"), 'hex') AND "size" = octet_length("content")), CONSTRAINT "CK_notice_evidence_type" CHECK ("content_type" IN ('application/pdf', 'image/jpeg', 'image/png')), CONSTRAINT "CK_notice_evidence_channel" CHECK ("channel" IN ('portal', 'township_board', 'village_board', 'project_site')), CONSTRAINT "PK_notice_evidence" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "UQ_notice_evidence_event" ON "notice_evidence" ("event_id") `);
    await q.query(`CREATE INDEX "IDX_notice_evidence_notice" ON "notice_evidence" ("notice_id") `);
    await q.query(
      `ALTER TABLE "notice_evidence" ADD CONSTRAINT "FK_notice_evidence_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "notice_evidence" ADD CONSTRAINT "FK_notice_evidence_notice" FOREIGN KEY ("notice_id") REFERENCES "notices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "notice_evidence" ADD CONSTRAINT "FK_notice_evidence_event" FOREIGN KEY ("event_id") REFERENCES "audit_events"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "notice_evidence" ADD CONSTRAINT "FK_notice_evidence_uploaded_by" FOREIGN KEY ("uploaded_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    // Evidence is added to a published notice of its county and then never changes.
    await q.query(`
      CREATE FUNCTION notice_evidence_arrives() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM notices WHERE id = NEW.notice_id AND county_id = NEW.county_id AND state = 'published') THEN
          RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('evidence for notice %s: refused (a published notice of its county)', NEW.notice_id);
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`DO $$ BEGIN EXECUTE format('ALTER FUNCTION notice_evidence_arrives() SET search_path = %I, pg_temp', current_schema()); END $$`);
    await q.query(`CREATE TRIGGER notice_evidence_arrives BEFORE INSERT ON notice_evidence FOR EACH ROW EXECUTE FUNCTION notice_evidence_arrives()`);
    await q.query(`CREATE TRIGGER notice_evidence_append_only BEFORE UPDATE OR DELETE ON notice_evidence FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await q.query(`CREATE TRIGGER notice_evidence_no_truncate BEFORE TRUNCATE ON notice_evidence FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER notice_evidence_no_truncate ON notice_evidence`);
    await q.query(`DROP TRIGGER notice_evidence_append_only ON notice_evidence`);
    await q.query(`DROP TRIGGER notice_evidence_arrives ON notice_evidence`);
    await q.query(`DROP FUNCTION notice_evidence_arrives`);
    await q.query(`ALTER TABLE "notice_evidence" DROP CONSTRAINT "FK_notice_evidence_uploaded_by"`);
    await q.query(`ALTER TABLE "notice_evidence" DROP CONSTRAINT "FK_notice_evidence_event"`);
    await q.query(`ALTER TABLE "notice_evidence" DROP CONSTRAINT "FK_notice_evidence_notice"`);
    await q.query(`ALTER TABLE "notice_evidence" DROP CONSTRAINT "FK_notice_evidence_county"`);
    await q.query(`DROP INDEX "public"."IDX_notice_evidence_notice"`);
    await q.query(`DROP INDEX "public"."UQ_notice_evidence_event"`);
    await q.query(`DROP TABLE "notice_evidence"`);
  }
}
