import { z } from 'zod';
import { Queryable, col, selectRows } from '../database/rows';
import { SqlParams } from '../database/sql-params';
import { VoucherCursor, encodeVoucherCursor } from './voucher-cursor';
import { voucherSummary } from './voucher-summary';
import { VoucherListItemView, VoucherView } from './voucher.views';

export const VoucherRow = z.object({
  id: col.text,
  kind: z.enum(['posting', 'reversal']),
  state: z.enum(['draft', 'posted']),
  /** The drafted request (jsonb): an object. */
  request: z.record(z.string(), z.unknown()),
  reversesId: col.text.nullable(),
  draftedBy: col.id,
  draftedAt: col.timestamp,
  approvedBy: col.id.nullable(),
  approvedAt: col.timestamp.nullable(),
  transactionId: col.text.nullable(),
});
export type VoucherRow = z.infer<typeof VoucherRow>;

export const VOUCHER_COLUMNS = 'id, kind, state, request, reverses_id, drafted_by, drafted_at, approved_by, approved_at, transaction_id';

/** A voucher as lists read it: its row, the drafter's name, and its drafted time to the microsecond (for the cursor). */
const ListedRow = VoucherRow.extend({ draftedByName: col.text, draftedAtExact: col.text });
type ListedRow = z.infer<typeof ListedRow>;

const LISTED = `
  SELECT v.id, v.kind, v.state, v.request, v.reverses_id, v.drafted_by, v.drafted_at, v.approved_by, v.approved_at, v.transaction_id,
         u.display_name AS drafted_by_name, to_char(v.drafted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS drafted_at_exact
    FROM ledger_vouchers v JOIN users u ON u.id = v.drafted_by`;

/** The row with its timestamps written as ISO strings. */
export function voucherView(row: VoucherRow): VoucherView {
  return { ...row, draftedAt: row.draftedAt.toISOString(), approvedAt: row.approvedAt?.toISOString() ?? null };
}

function listItem(row: ListedRow): VoucherListItemView {
  const { draftedByName, draftedAtExact, ...voucher } = row;
  return {
    ...voucherView(voucher),
    ...voucherSummary(row.kind, row.request),
    draftedByName,
    cursor: encodeVoucherCursor({ draftedAt: draftedAtExact, id: row.id }),
  };
}

export interface VoucherFilter {
  state: 'draft' | 'posted' | null;
  kind: 'posting' | 'reversal' | null;
  after: VoucherCursor | null;
  limit: number;
}

/**
 * A page of the county's vouchers, newest first (drafted time, then id), after the cursor's row: a backward walk of
 * `IDX_ledger_vouchers_county_drafted` (county, drafted time, id), so a deep page costs what the first does.
 */
export async function voucherPage(db: Queryable, countyId: number, f: VoucherFilter): Promise<VoucherListItemView[]> {
  const p = new SqlParams();
  const where = [`v.county_id = ${p.add(countyId)}`];
  if (f.state) where.push(`v.state = ${p.add(f.state)}`);
  if (f.kind) where.push(`v.kind = ${p.add(f.kind)}`);
  if (f.after) where.push(`(v.drafted_at, v.id) < (${p.add(f.after.draftedAt, '::timestamptz')}, ${p.add(f.after.id, '::uuid')})`);
  const rows = await selectRows(
    db,
    ListedRow,
    `${LISTED} WHERE ${where.join(' AND ')} ORDER BY v.drafted_at DESC, v.id DESC LIMIT ${p.add(f.limit)}`,
    p.values,
  );
  return rows.map(listItem);
}

/** Every draft of the county, oldest first: what waits for a second county_finance user (through `IDX_ledger_vouchers_county_state`). */
export async function draftVouchers(db: Queryable, countyId: number): Promise<VoucherListItemView[]> {
  const rows = await selectRows(db, ListedRow, `${LISTED} WHERE v.county_id = $1 AND v.state = 'draft' ORDER BY v.drafted_at, v.id`, [countyId]);
  return rows.map(listItem);
}
