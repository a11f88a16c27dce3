import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/domain/chain';
import { DomainError, ErrorCode } from './errors';

/** The Idempotency-Key header as the API accepts it: 1-200 visible ASCII characters, or absent. */
export function idempotencyKey(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(raw)) {
    throw new DomainError(ErrorCode.ValidationFailed, 'Idempotency-Key must be 1-200 visible ASCII characters', {
      fields: [{ field: 'Idempotency-Key', message: 'must be 1-200 visible ASCII characters' }],
    });
  }
  return raw;
}

/** SHA-256 of a request's canonical JSON: tells a replay from a different request under one idempotency key. */
export function requestHashOf(request: object): string {
  return createHash('sha256').update(canonicalJson(JSON.parse(JSON.stringify(request))), 'utf8').digest('hex');
}
