import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed checkpoints of each county's audit chain (docs/audit-package.md, "Signed checkpoints"). A checkpoint covers
 * sealed events only; once written, the one change it takes is a witness's co-signature line appended to its note.
 */
export class Checkpoints1796173152452 implements MigrationInterface {
  name = 'Checkpoints1796173152452';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "audit_checkpoints" ("county_id" integer NOT NULL, "tree_size" bigint NOT NULL, "root_hash" character(64) NOT NULL, "frontier" character(64) array NOT NULL, "note" text NOT NULL, "key_id" character(8) NOT NULL, "signed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_audit_checkpoints_note" CHECK (split_part("note", E'\\n', 2) = "tree_size"::text AND split_part("note", E'\\n', 3) = encode(decode("root_hash", 'hex'), 'base64')), CONSTRAINT "CK_audit_checkpoints_frontier" CHECK (cardinality("frontier") > 0), CONSTRAINT "CK_audit_checkpoints_key_id" CHECK ("key_id" ~ '^[0-9a-f]{8}$'), CONSTRAINT "CK_audit_checkpoints_root" CHECK ("root_hash" ~ '^[0-9a-f]{64}$'), CONSTRAINT "CK_audit_checkpoints_size" CHECK ("tree_size" > 0), CONSTRAINT "PK_audit_checkpoints" PRIMARY KEY ("county_id", "tree_size"))`,
    );
    await q.query(
      `ALTER TABLE "audit_checkpoints" ADD CONSTRAINT "FK_audit_checkpoints_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    // Inserted within the sealed chain; then only signature lines (`— <name> <base64>`) are appended to the note.
    await q.query(`
      CREATE FUNCTION audit_checkpoints_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          IF NOT EXISTS (SELECT 1 FROM audit_chain_heads WHERE county_id = NEW.county_id AND seq >= NEW.tree_size) THEN
            RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('audit checkpoint of %s events: beyond the county''s sealed chain', NEW.tree_size);
          END IF;
          RETURN NEW;
        END IF;
        IF (NEW.county_id, NEW.tree_size, NEW.root_hash, NEW.frontier, NEW.key_id, NEW.signed_at)
             IS NOT DISTINCT FROM (OLD.county_id, OLD.tree_size, OLD.root_hash, OLD.frontier, OLD.key_id, OLD.signed_at)
           AND starts_with(NEW.note, OLD.note)
           AND substr(NEW.note, length(OLD.note) + 1) ~ '^(\u2014 [^[:space:]+]+ [A-Za-z0-9+/]+=*\\n)+$' THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('audit checkpoint %s: only co-signature lines may be added to its note', OLD.tree_size);
      END $$`);
    await q.query(`DO $$ BEGIN EXECUTE format('ALTER FUNCTION audit_checkpoints_guard() SET search_path = %I, pg_temp', current_schema()); END $$`);
    await q.query(
      `CREATE TRIGGER audit_checkpoints_guard BEFORE INSERT OR UPDATE ON audit_checkpoints FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_guard()`,
    );
    await q.query(`CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await q.query(`CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_checkpoints_no_truncate ON audit_checkpoints`);
    await q.query(`DROP TRIGGER audit_checkpoints_no_delete ON audit_checkpoints`);
    await q.query(`DROP TRIGGER audit_checkpoints_guard ON audit_checkpoints`);
    await q.query(`DROP FUNCTION audit_checkpoints_guard`);
    await q.query(`ALTER TABLE "audit_checkpoints" DROP CONSTRAINT "FK_audit_checkpoints_county"`);
    await q.query(`DROP TABLE "audit_checkpoints"`);
  }
}
