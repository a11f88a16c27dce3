import { MigrationInterface, QueryRunner } from 'typeorm';

export class Idempotency1795983753932 implements MigrationInterface {
  name = 'Idempotency1795983753932';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "idempotency_records" ("county_id" integer NOT NULL, "user_id" integer NOT NULL, "key" character varying(200) NOT NULL, "request_hash" character(64) NOT NULL, "response" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_idempotency_records" PRIMARY KEY ("county_id", "user_id", "key"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "idempotency_records" ADD CONSTRAINT "FK_idempotency_records_county" FOREIGN KEY ("county_id") REFERENCES "counties"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "idempotency_records" ADD CONSTRAINT "FK_idempotency_records_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // An answer, once recorded, is what every replay gets.
    await queryRunner.query(`CREATE TRIGGER idempotency_records_no_update BEFORE UPDATE ON idempotency_records FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER idempotency_records_no_update ON idempotency_records`);
    await queryRunner.query(`ALTER TABLE "idempotency_records" DROP CONSTRAINT "FK_idempotency_records_user"`);
    await queryRunner.query(`ALTER TABLE "idempotency_records" DROP CONSTRAINT "FK_idempotency_records_county"`);
    await queryRunner.query(`DROP TABLE "idempotency_records"`);
  }
}
