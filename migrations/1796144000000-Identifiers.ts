import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identifiers checked to their formats (invoices keyed on the issuer's taxpayer id and the invoice code and number;
 * payees with their taxpayer id or ID number; accounts as digits), responsibility letters of all three levels before a
 * contract is signed, and the retention defect period fixed on the acceptance that starts it.
 *
 * The format checks are added NOT VALID: rows written before them keep what they were written with (and an invoice
 * keyed on a name can no longer collide with one keyed on a taxpayer id); every new or changed row is checked.
 */
export class Identifiers1796144000000 implements MigrationInterface {
  name = 'Identifiers1796144000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "claim_invoices" ADD "code" character varying(12)`);
    await q.query(`ALTER TABLE "claim_invoices" ADD CONSTRAINT "CK_claim_invoices_issuer_key" CHECK ("issuer_key" ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$') NOT VALID`);
    await q.query(
      `ALTER TABLE "claim_invoices" ADD CONSTRAINT "CK_claim_invoices_number_key" CHECK (CASE WHEN "code" IS NULL THEN "number_key" ~ '^[0-9]{20}$' AND "number" = "number_key" ELSE "code" ~ '^([0-9]{10}|[0-9]{12})$' AND "number" ~ '^[0-9]{8}$' AND "number_key" = "code" || '-' || "number" END) NOT VALID`,
    );

    await q.query(`ALTER TABLE "contracts" ADD "payee_tax_id" character varying(18)`);
    await q.query(`ALTER TABLE "contracts" ADD "payee_id_number" character varying(18)`);
    await q.query(
      `ALTER TABLE "contracts" ADD CONSTRAINT "CK_contracts_payee_identity" CHECK (CASE WHEN "payee_type" = 'individual' THEN "payee_id_number" IS NOT NULL ELSE "payee_tax_id" IS NOT NULL END) NOT VALID`,
    );
    // contracts_guard freezes a contract's terms; the payee's identifiers are terms too.
    await q.query(`
      CREATE FUNCTION contracts_payee_identity_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (NEW.payee_tax_id, NEW.payee_id_number) IS DISTINCT FROM (OLD.payee_tax_id, OLD.payee_id_number) THEN
          RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = 'contract: the payee''s identifiers never change';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`DO $$ BEGIN EXECUTE format('ALTER FUNCTION contracts_payee_identity_frozen() SET search_path = %I, pg_temp', current_schema()); END $$`);
    await q.query(`CREATE TRIGGER contracts_payee_identity_frozen BEFORE UPDATE ON contracts FOR EACH ROW EXECUTE FUNCTION contracts_payee_identity_frozen()`);
    await q.query(`ALTER TABLE "contracts" ADD CONSTRAINT "CK_contracts_payee_account" CHECK ("payee_account" ~ '^[0-9]{8,32}$') NOT VALID`);
    await q.query(
      `ALTER TABLE "contracts" ADD CONSTRAINT "CK_contracts_letters" CHECK ("state" = 'draft' OR "letters" ?& ARRAY['countyToTownship', 'townshipToVillage', 'villageToContractor']) NOT VALID`,
    );
    await q.query(`ALTER TABLE "dedicated_accounts" ADD CONSTRAINT "CK_dedicated_accounts_number" CHECK ("account_number" ~ '^[0-9]{8,32}$') NOT VALID`);

    await q.query(`ALTER TABLE "acceptances" ADD "defect_days" integer`);
    // Acceptances that passed before: the defect period in force (in China) on the day they passed.
    await q.query(`ALTER TABLE "acceptances" DISABLE TRIGGER acceptances_guard`);
    await q.query(`
      UPDATE acceptances a SET defect_days = coalesce((
        SELECT p.value::int FROM policy_changes p
         WHERE p.county_id = a.county_id AND p.key = 'retention_defect_days' AND p.state = 'approved'
           AND p.effective_from <= (a.closed_at AT TIME ZONE 'Asia/Shanghai')::date
         ORDER BY p.effective_from DESC, p.id DESC LIMIT 1), 0)
       WHERE a.state = 'passed'`);
    await q.query(`ALTER TABLE "acceptances" ENABLE TRIGGER acceptances_guard`);
    await q.query(
      `ALTER TABLE "acceptances" ADD CONSTRAINT "CK_acceptances_defect_days" CHECK (("state" = 'passed') = ("defect_days" IS NOT NULL) AND ("defect_days" IS NULL OR "defect_days" >= 0))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "acceptances" DROP CONSTRAINT "CK_acceptances_defect_days"`);
    await q.query(`ALTER TABLE "acceptances" DROP COLUMN "defect_days"`);
    await q.query(`ALTER TABLE "dedicated_accounts" DROP CONSTRAINT "CK_dedicated_accounts_number"`);
    await q.query(`ALTER TABLE "contracts" DROP CONSTRAINT "CK_contracts_letters"`);
    await q.query(`ALTER TABLE "contracts" DROP CONSTRAINT "CK_contracts_payee_account"`);
    await q.query(`ALTER TABLE "contracts" DROP CONSTRAINT "CK_contracts_payee_identity"`);
    await q.query(`DROP TRIGGER contracts_payee_identity_frozen ON contracts`);
    await q.query(`DROP FUNCTION contracts_payee_identity_frozen`);
    await q.query(`ALTER TABLE "contracts" DROP COLUMN "payee_id_number"`);
    await q.query(`ALTER TABLE "contracts" DROP COLUMN "payee_tax_id"`);
    await q.query(`ALTER TABLE "claim_invoices" DROP CONSTRAINT "CK_claim_invoices_number_key"`);
    await q.query(`ALTER TABLE "claim_invoices" DROP CONSTRAINT "CK_claim_invoices_issuer_key"`);
    await q.query(`ALTER TABLE "claim_invoices" DROP COLUMN "code"`);
  }
}
