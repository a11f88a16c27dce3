import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identifiers checked to their formats (invoices keyed on the issuer's taxpayer id and the invoice code and number;
 * payees with their taxpayer id or ID number; accounts as digits), responsibility letters of all three levels before a
 * contract is signed, and the retention defect period fixed on the acceptance that starts it.
 *
 * Stored accounts are rewritten to digits. The invoice and dedicated-account checks are added NOT VALID (those rows
 * are only ever inserted): rows written before keep what they were written with; an invoice keyed on an issuer's
 * name cannot collide with one keyed on a taxpayer id (docs/architecture.md says what that means for old claims).
 */
export class Identifiers1796144000000 implements MigrationInterface {
  name = 'Identifiers1796144000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "claim_invoices" ADD "code" character varying(12)`);
    await q.query(
      `ALTER TABLE "claim_invoices" ADD CONSTRAINT "CK_claim_invoices_issuer_key" CHECK ("issuer_key" ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$') NOT VALID`,
    );
    await q.query(
      `ALTER TABLE "claim_invoices" ADD CONSTRAINT "CK_claim_invoices_number_key" CHECK (CASE WHEN "code" IS NULL THEN "number_key" ~ '^[0-9]{20}$' AND "number" = "number_key" ELSE "code" ~ '^([0-9]{10}|[0-9]{12})$' AND "number" ~ '^[0-9]{8}$' AND "number_key" = "code" || '-' || "number" END) NOT VALID`,
    );

    await q.query(`ALTER TABLE "contracts" ADD "payee_tax_id" character varying(18)`);
    await q.query(`ALTER TABLE "contracts" ADD "payee_id_number" character varying(18)`);
    // Accounts were stored as typed (spaces and hyphens); the canonical form is digits. The guards freeze these
    // columns, so they are switched off for this one rewrite.
    await q.query(`ALTER TABLE "contracts" DISABLE TRIGGER contracts_guard`);
    await q.query(`UPDATE contracts SET payee_account = regexp_replace(payee_account, '[ -]', '', 'g') WHERE payee_account ~ '[ -]'`);
    await q.query(`ALTER TABLE "contracts" ENABLE TRIGGER contracts_guard`);
    await q.query(`ALTER TABLE "dedicated_accounts" DISABLE TRIGGER dedicated_accounts_guard`);
    await q.query(`UPDATE dedicated_accounts SET account_number = regexp_replace(account_number, '[ -]', '', 'g') WHERE account_number ~ '[ -]'`);
    await q.query(`ALTER TABLE "dedicated_accounts" ENABLE TRIGGER dedicated_accounts_guard`);

    // A contract's terms are checked when they are written (a draft) and its letters when it is signed; a trigger
    // rather than CHECKs, so a contract recorded before (without a taxpayer id, or with two letters) can still be
    // settled, which updates its row. The payee's identifiers are frozen with the rest of the terms (contracts_guard).
    await q.query(`
      CREATE FUNCTION contracts_terms_check() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          IF NEW.payee_account !~ '^[0-9]{8,32}$' THEN
            RAISE EXCEPTION USING ERRCODE = 'FL011', MESSAGE = 'contract: the payee account must be 8-32 digits';
          END IF;
          IF (NEW.payee_type = 'individual' AND (NEW.payee_id_number IS NULL OR NEW.payee_id_number !~ '^[1-9][0-9]{16}[0-9X]$'))
             OR (NEW.payee_type <> 'individual' AND (NEW.payee_tax_id IS NULL OR NEW.payee_tax_id !~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$')) THEN
            RAISE EXCEPTION USING ERRCODE = 'FL011', MESSAGE = 'contract: the payee needs its taxpayer id (company, cooperative) or ID number (individual)';
          END IF;
          RETURN NEW;
        END IF;
        IF (NEW.payee_tax_id, NEW.payee_id_number) IS DISTINCT FROM (OLD.payee_tax_id, OLD.payee_id_number) THEN
          RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = 'contract: the payee''s identifiers never change';
        END IF;
        IF OLD.state = 'draft' AND NEW.state = 'signed'
           AND NOT (NEW.letters ?& ARRAY['countyToTownship', 'townshipToVillage', 'villageToContractor']) THEN
          RAISE EXCEPTION USING ERRCODE = 'FL011', MESSAGE = 'contract: signed only with the responsibility letters of all three levels';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`DO $$ BEGIN EXECUTE format('ALTER FUNCTION contracts_terms_check() SET search_path = %I, pg_temp', current_schema()); END $$`);
    await q.query(`CREATE TRIGGER contracts_terms_check BEFORE INSERT OR UPDATE ON contracts FOR EACH ROW EXECUTE FUNCTION contracts_terms_check()`);
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
    await q.query(`DROP TRIGGER contracts_terms_check ON contracts`);
    await q.query(`DROP FUNCTION contracts_terms_check`);
    await q.query(`ALTER TABLE "contracts" DROP COLUMN "payee_id_number"`);
    await q.query(`ALTER TABLE "contracts" DROP COLUMN "payee_tax_id"`);
    await q.query(`ALTER TABLE "claim_invoices" DROP CONSTRAINT "CK_claim_invoices_number_key"`);
    await q.query(`ALTER TABLE "claim_invoices" DROP CONSTRAINT "CK_claim_invoices_issuer_key"`);
    await q.query(`ALTER TABLE "claim_invoices" DROP COLUMN "code"`);
  }
}
