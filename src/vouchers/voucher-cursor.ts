import { isUuid } from '../common/ids';

/**
 * Where a page of vouchers (newest first) stopped: the last row's drafted time, to the microsecond as the database
 * keeps it (a JavaScript Date would round it to the millisecond and skip or repeat rows drafted in one millisecond),
 * and its id. Opaque to clients: base64url of `<time>_<id>`.
 */
export interface VoucherCursor {
  /** UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  draftedAt: string;
  id: string;
}

const EXACT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeVoucherCursor(c: VoucherCursor): string {
  return Buffer.from(`${c.draftedAt}_${c.id}`, 'utf8').toString('base64url');
}

/** The cursor `after` names, or null when it is not one this list handed out. */
export function decodeVoucherCursor(after: string): VoucherCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(after)) return null;
  const [draftedAt, id, ...rest] = Buffer.from(after, 'base64url').toString('utf8').split('_');
  if (rest.length > 0 || draftedAt === undefined || id === undefined || !EXACT_TIME.test(draftedAt) || !isUuid(id)) return null;
  // A real instant: no month 13 or 31 February (the milliseconds part round-trips through Date).
  const millis = `${draftedAt.slice(0, 23)}Z`;
  const parsed = new Date(millis);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString() !== millis) return null;
  return { draftedAt, id };
}
