import { DomainError } from './errors';
import { idempotencyKey, requestHashOf, scopeOf } from './idempotency';

describe('idempotency keys at the edge', () => {
  it('scopes a key to the route pattern with its ids, below /api/v1, as scopes were first recorded', () => {
    expect(scopeOf({ method: 'POST', route: { path: '/api/v1/contracts/:id/payments' }, params: { id: '12' } })).toBe('POST /contracts/12/payments');
    expect(scopeOf({ method: 'POST', route: { path: '/api/v1/ledger/transactions' }, params: {} })).toBe('POST /ledger/transactions');
  });

  it('accepts 1-200 visible ASCII characters and refuses anything else on the header field', () => {
    expect(idempotencyKey(undefined)).toBeUndefined();
    expect(idempotencyKey('a'.repeat(200))).toBe('a'.repeat(200));
    for (const bad of ['', 'a b', 'a\tb', 'ключ', 'a'.repeat(201)]) {
      expect(() => idempotencyKey(bad)).toThrow(DomainError);
    }
  });

  it('hashes the canonical form: key order does not make another request', () => {
    expect(requestHashOf({ scope: 'POST /x', body: { a: '1.00', b: 2 } })).toBe(requestHashOf({ body: { b: 2, a: '1.00' }, scope: 'POST /x' }));
    expect(requestHashOf({ scope: 'POST /x', body: { a: '1.00' } })).not.toBe(requestHashOf({ scope: 'POST /y', body: { a: '1.00' } }));
  });
});
