import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reads of what waits and of the voucher list: vouchers newest first by drafted time (a backward walk per county,
 * `GET /ledger/vouchers`), and the few budget lines awaiting a leader's signature and retention movements awaiting
 * approval per county (`GET /tasks`), which no index found but by project or contract.
 */
export class TaskIndexes1796174000000 implements MigrationInterface {
  name = 'TaskIndexes1796174000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_ledger_vouchers_county_drafted" ON "ledger_vouchers" ("county_id", "drafted_at", "id") `);
    await q.query(`CREATE INDEX "IDX_budget_lines_awaiting" ON "budget_lines" ("county_id") WHERE state = 'awaiting_signature'`);
    await q.query(`CREATE INDEX "IDX_retention_movements_proposed" ON "retention_movements" ("county_id") WHERE state = 'proposed'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."IDX_retention_movements_proposed"`);
    await q.query(`DROP INDEX "public"."IDX_budget_lines_awaiting"`);
    await q.query(`DROP INDEX "public"."IDX_ledger_vouchers_county_drafted"`);
  }
}
