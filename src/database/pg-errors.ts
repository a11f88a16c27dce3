/** The fields of a PostgreSQL error the service reads; TypeORM wraps them in QueryFailedError.driverError. */
export interface PgError {
  code: string;
  constraint?: string;
  detail?: string;
  message: string;
}

export function pgErrorOf(err: unknown): PgError | undefined {
  const candidate = (err as { driverError?: unknown })?.driverError ?? err;
  if (candidate && typeof candidate === 'object' && typeof (candidate as PgError).code === 'string') {
    return candidate as PgError;
  }
  return undefined;
}

/**
 * SQLSTATEs the service maps to a domain error of its own. The schema's triggers raise class FL (FL001 unbalanced,
 * FL002 negative balance, FL003 append-only, FL004 wrong county/book, FL005 account immutable, FL006 tree shape,
 * FL007 restricted outflow, FL008 same hand in a claim's chain, FL009 claim workflow, FL010 transaction without its audit event, FL011 contract terms incomplete, FL012 invoice of a claim
 * past its draft removed, FL013 same hand deciding a calendar change, FL014 a step before its publicity notice passed); any FL refusal not mapped here answers 409
 * INVALID_STATE (ErrorFilter).
 */
export const SqlState = {
  uniqueViolation: '23505',
  numericOutOfRange: '22003',
  insufficientBalance: 'FL002',
  restrictedOutflow: 'FL007',
  calendarSameHand: 'FL013',
  publicityGate: 'FL014',
} as const;
