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

/** SQLSTATEs raised by the schema's own triggers (see the LedgerCore migration). */
export const SqlState = {
  uniqueViolation: '23505',
  unbalanced: 'FL001',
  insufficientBalance: 'FL002',
  appendOnly: 'FL003',
  accountMismatch: 'FL004',
  accountImmutable: 'FL005',
  treeShape: 'FL006',
  restrictedOutflow: 'FL007',
} as const;
