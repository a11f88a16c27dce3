import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rules the service's role could otherwise break by hand (its grants allow the statements):
 * - an invoice leaves `claim_invoices` only while its claim is a draft or rejected (a correction replaces the list,
 *   a withdrawal frees it): deleting the invoice of a submitted or paid claim would let it be claimed again;
 * - whoever manages people holds no role that moves or approves money (`roleSetProblem`), now also in the table;
 * - a username is one name whatever its case (`Finance-Maker` is `finance-maker`): login throttling and the event
 *   log already treat them as one.
 */
export class ReviewGuards1796147000000 implements MigrationInterface {
  name = 'ReviewGuards1796147000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION claim_invoices_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM claims WHERE id = OLD.claim_id AND state IN ('draft', 'rejected')) THEN
          RAISE EXCEPTION USING ERRCODE = 'FL012', MESSAGE = format('claim %s is past its draft: its invoices stay claimed', OLD.claim_id);
        END IF;
        RETURN OLD;
      END $$`);
    await q.query(`DO $$ BEGIN EXECUTE format('ALTER FUNCTION claim_invoices_guard() SET search_path = %I, pg_temp', current_schema()); END $$`);
    await q.query(`CREATE TRIGGER claim_invoices_guard BEFORE DELETE ON claim_invoices FOR EACH ROW EXECUTE FUNCTION claim_invoices_guard()`);
    await q.query(
      `ALTER TABLE "users" ADD CONSTRAINT "CK_users_admin_duties" CHECK (NOT ('admin' = ANY ("roles")) OR "roles" <@ ARRAY['admin', 'auditor']::varchar[])`,
    );
    // An expression index: TypeORM's schema diff does not see it, so it lives here (and in docs/security.md).
    await q.query(`CREATE UNIQUE INDEX "UQ_users_username_folded" ON "users" (lower("username"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."UQ_users_username_folded"`);
    await q.query(`ALTER TABLE "users" DROP CONSTRAINT "CK_users_admin_duties"`);
    await q.query(`DROP TRIGGER claim_invoices_guard ON claim_invoices`);
    await q.query(`DROP FUNCTION claim_invoices_guard`);
  }
}
