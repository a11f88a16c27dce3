import { MigrationInterface, QueryRunner } from 'typeorm';

export class PasswordChange1796143664175 implements MigrationInterface {
  name = 'PasswordChange1796143664175';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Tokens name the password version they were issued under: raising it ends every earlier session.
    await queryRunner.query(`ALTER TABLE "users" ADD "password_version" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE "users" ADD "password_change_required" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "CK_users_password_version" CHECK ("password_version" >= 0)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "CK_users_password_version"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "password_change_required"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "password_version"`);
  }
}
