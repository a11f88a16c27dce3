import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lets the service run as a role that owns nothing and holds no UPDATE on the guarded columns
 * (`npm run cli -- create-service-role`, docs/operations.md "Database roles"):
 * - the three writes the service causes but must not be able to make by hand run as the schema's owner: a line moving
 *   its account's balance (`ledger_lines_apply`), a new county opening its audit chain (`counties_open_chain`) and
 *   sealing (`audit_seal`, which only the roles granted it may call);
 * - every function of the schema resolves names in the schema only, so a temporary table of the caller's cannot
 *   stand in for a ledger table inside a guard. A function replaced later (CREATE OR REPLACE) loses both settings:
 *   set them again in that migration (the service-role tests check every function).
 */
export class LeastPrivilege1795986441250 implements MigrationInterface {
  name = 'LeastPrivilege1795986441250';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      DECLARE f regprocedure;
      BEGIN
        FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
                  WHERE p.pronamespace = current_schema()::regnamespace
                    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e') LOOP
          EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
        END LOOP;
      END $$`);
    for (const fn of DEFINER_FUNCTIONS) await q.query(`ALTER FUNCTION ${fn} SECURITY DEFINER`);
    await q.query(`REVOKE EXECUTE ON FUNCTION audit_seal(integer, integer) FROM PUBLIC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`GRANT EXECUTE ON FUNCTION audit_seal(integer, integer) TO PUBLIC`);
    for (const fn of DEFINER_FUNCTIONS) await q.query(`ALTER FUNCTION ${fn} SECURITY INVOKER`);
    await q.query(`
      DO $$
      DECLARE f regprocedure;
      BEGIN
        FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
                  WHERE p.pronamespace = current_schema()::regnamespace
                    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e') LOOP
          EXECUTE format('ALTER FUNCTION %s RESET search_path', f);
        END LOOP;
      END $$`);
  }
}

const DEFINER_FUNCTIONS = ['ledger_lines_apply()', 'counties_open_chain()', 'audit_seal(integer, integer)'];
