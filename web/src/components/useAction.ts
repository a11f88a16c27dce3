import type { FormInstance } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { fieldPath } from '../errors';

/**
 * A fresh Idempotency-Key: 128 random bits as hex. `crypto.randomUUID` exists only in secure contexts (https,
 * localhost), and a county may serve the console over plain HTTP on its own network; getRandomValues works in both.
 */
export function newKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface Action {
  /**
   * Runs one user action against the API. `send` gets the action's Idempotency-Key: the same key while the action
   * is retried after a failure, a new one after it succeeded. On the routes that honour the key (the voucher draft,
   * payments, budget lines, a claim's payment) a lost answer is never posted twice; the others ignore it.
   */
  run: <T>(send: (idempotencyKey: string) => Promise<T>) => Promise<T | undefined>;
  busy: boolean;
  /** The last refusal, shown by <ErrorNote>; cleared when the action is run again. */
  error: unknown;
  clear: () => void;
}

/** An action's state; a refusal naming fields puts each message on its field of `form`. */
export function useAction(form?: FormInstance): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const key = useRef<string>(newKey());

  const run = useCallback(
    async <T>(send: (idempotencyKey: string) => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setError(null);
      try {
        const result = await send(key.current);
        key.current = newKey();
        return result;
      } catch (e) {
        setError(e);
        if (form && e instanceof ApiError && e.fields.length > 0) {
          const known = e.fields.filter((f) => form.getFieldInstance(fieldPath(f.field)) !== undefined);
          form.setFields(known.map((f) => ({ name: fieldPath(f.field), errors: [f.message] })));
        }
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [form],
  );
  return { run, busy, error, clear: () => setError(null) };
}
