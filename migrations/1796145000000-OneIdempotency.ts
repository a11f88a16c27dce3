import canonicalize from 'canonicalize';
import Decimal from 'decimal.js';
import { createHash } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The route a voucher draft is sent to, as `idempotent()` scopes its keys. */
const DRAFT_SCOPE = 'POST /ledger/transactions';
const BATCH = 1000;

interface KeyedVoucher {
  id: string;
  county_id: number;
  kind: string;
  request: { effectiveDate: string; memo: string; lines: { account: string; debit?: string; credit?: string }[] };
  reverses_id: string | null;
  idempotency_key: string;
  drafted_by: number;
  drafted_at: Date;
}

/** As `requestHashOf` (src/common/idempotency.ts) hashes a request: absent fields dropped, then RFC 8785 JSON. */
const sha256 = (value: unknown) =>
  createHash('sha256')
    .update(canonicalize(JSON.parse(JSON.stringify(value)))!, 'utf8')
    .digest('hex');
const fen = (amount: string | undefined) => (amount === undefined ? undefined : new Decimal(amount).toFixed(2, Decimal.ROUND_HALF_UP));

/**
 * One idempotency mechanism: a voucher draft's Idempotency-Key is recorded in `idempotency_records` like every other
 * request's, so the vouchers' own key columns and their index go.
 *
 * The keys they hold move there as the service now records them, so a retry sent before the upgrade still replays:
 * under the person who drafted (keys were the county's, now each person's own), with the hash of the route and the body
 * as the service reads it (amounts to the fen), and the draft as it was answered. Where that person's key already
 * answers another request, that record stays: the voucher's retry is then 409, never a second draft.
 */
export class OneIdempotency1796145000000 implements MigrationInterface {
  name = 'OneIdempotency1796145000000';

  public async up(q: QueryRunner): Promise<void> {
    // The guard no longer names the key columns, so they can go.
    await q.query(`
      CREATE OR REPLACE FUNCTION ledger_vouchers_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' AND NEW.state = 'draft'
           AND NEW.approved_by IS NULL AND NEW.approved_at IS NULL AND NEW.transaction_id IS NULL THEN
          RETURN NEW;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.state = 'draft' AND NEW.state = 'posted'
           AND (NEW.id, NEW.county_id, NEW.kind, NEW.request, NEW.reverses_id, NEW.drafted_by, NEW.drafted_at)
               IS NOT DISTINCT FROM (OLD.id, OLD.county_id, OLD.kind, OLD.request, OLD.reverses_id, OLD.drafted_by, OLD.drafted_at) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('ledger voucher: %s refused', TG_OP);
      END $$`);
    await q.query(`DO $$ BEGIN EXECUTE format('ALTER FUNCTION ledger_vouchers_guard() SET search_path = %I, pg_temp', current_schema()); END $$`);
    const keyed = (await q.query(
      `SELECT id, county_id, kind, request, reverses_id, idempotency_key, drafted_by, drafted_at FROM ledger_vouchers WHERE idempotency_key IS NOT NULL ORDER BY drafted_at, id`,
    )) as KeyedVoucher[];
    const records = keyed.map((v) => {
      const { effectiveDate, memo, lines } = v.request;
      const body = { effectiveDate, memo, lines: lines.map((l) => ({ account: l.account, debit: fen(l.debit), credit: fen(l.credit) })) };
      const response = {
        id: v.id,
        kind: v.kind,
        state: 'draft',
        request: v.request,
        reversesId: v.reverses_id,
        draftedBy: v.drafted_by,
        draftedAt: v.drafted_at.toISOString(),
        approvedBy: null,
        approvedAt: null,
        transactionId: null,
      };
      return {
        county_id: v.county_id,
        user_id: v.drafted_by,
        key: v.idempotency_key,
        request_hash: sha256({ scope: DRAFT_SCOPE, body }),
        response,
        created_at: v.drafted_at,
      };
    });
    for (let i = 0; i < records.length; i += BATCH) {
      await q.query(
        `INSERT INTO idempotency_records (county_id, user_id, key, request_hash, response, created_at)
         SELECT county_id, user_id, key, request_hash, response, created_at
           FROM jsonb_to_recordset($1::jsonb) AS r(county_id int, user_id int, key varchar(200), request_hash char(64), response jsonb, created_at timestamptz)
         ON CONFLICT ON CONSTRAINT "PK_idempotency_records" DO NOTHING`,
        [JSON.stringify(records.slice(i, i + BATCH))],
      );
    }

    await q.query(`DROP INDEX "UQ_ledger_vouchers_idempotency_key"`);
    await q.query(`ALTER TABLE "ledger_vouchers" DROP COLUMN "request_hash"`);
    await q.query(`ALTER TABLE "ledger_vouchers" DROP COLUMN "idempotency_key"`);
  }

  /**
   * Gives the vouchers their keys back (the first person's where two people of a county used one key), with the hash
   * the vouchers kept (of the body as sent), and removes the vouchers' records.
   */
  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "ledger_vouchers" ADD "idempotency_key" character varying(200)`);
    await q.query(`ALTER TABLE "ledger_vouchers" ADD "request_hash" character(64)`);
    await q.query(`
      CREATE OR REPLACE FUNCTION ledger_vouchers_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' AND NEW.state = 'draft'
           AND NEW.approved_by IS NULL AND NEW.approved_at IS NULL AND NEW.transaction_id IS NULL THEN
          RETURN NEW;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.state = 'draft' AND NEW.state = 'posted'
           AND (NEW.id, NEW.county_id, NEW.kind, NEW.request, NEW.reverses_id, NEW.idempotency_key, NEW.request_hash, NEW.drafted_by, NEW.drafted_at)
               IS NOT DISTINCT FROM (OLD.id, OLD.county_id, OLD.kind, OLD.request, OLD.reverses_id, OLD.idempotency_key, OLD.request_hash, OLD.drafted_by, OLD.drafted_at) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'FL003', MESSAGE = format('ledger voucher: %s refused', TG_OP);
      END $$`);
    await q.query(`DO $$ BEGIN EXECUTE format('ALTER FUNCTION ledger_vouchers_guard() SET search_path = %I, pg_temp', current_schema()); END $$`);

    const keyed = (await q.query(
      `SELECT DISTINCT ON (r.county_id, r.key) v.id, r.key, v.request
         FROM idempotency_records r JOIN ledger_vouchers v ON v.id::text = r.response->>'id' AND v.county_id = r.county_id AND v.drafted_by = r.user_id
        ORDER BY r.county_id, r.key, r.created_at`,
    )) as { id: string; key: string; request: object }[];
    await q.query(`ALTER TABLE "ledger_vouchers" DISABLE TRIGGER ledger_vouchers_guard`);
    for (let i = 0; i < keyed.length; i += BATCH) {
      await q.query(
        `UPDATE ledger_vouchers v SET idempotency_key = k.key, request_hash = k.request_hash
           FROM jsonb_to_recordset($1::jsonb) AS k(id uuid, key varchar(200), request_hash char(64)) WHERE v.id = k.id`,
        [JSON.stringify(keyed.slice(i, i + BATCH).map((v) => ({ id: v.id, key: v.key, request_hash: sha256(v.request) })))],
      );
    }
    await q.query(`ALTER TABLE "ledger_vouchers" ENABLE TRIGGER ledger_vouchers_guard`);
    await q.query(
      `DELETE FROM idempotency_records r USING ledger_vouchers v WHERE v.id::text = r.response->>'id' AND v.county_id = r.county_id AND v.drafted_by = r.user_id`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "UQ_ledger_vouchers_idempotency_key" ON "ledger_vouchers" ("county_id", "idempotency_key") WHERE idempotency_key IS NOT NULL`,
    );
  }
}
