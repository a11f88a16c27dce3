import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  /** The answer read for the current `key`; undefined while the first read for it runs. */
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Reads again (after an action changed what the page shows), keeping the current data on screen meanwhile. */
  reload: () => Promise<void>;
}

/**
 * What a page reads when it opens, read again when `key` changes (a route param, a filter). The read gets an
 * AbortSignal: a newer read aborts it, and its late answer is dropped, so data read for another key never shows.
 */
export function useLoad<T>(read: (signal: AbortSignal) => Promise<T>, key: unknown): Loaded<T> {
  const keyText = JSON.stringify(key ?? null);
  const [answer, setAnswer] = useState<{ key: string; data: T }>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const readRef = useRef(read);
  readRef.current = read;
  const current = useRef<AbortController | null>(null);

  const readFor = useCallback(async (forKey: string) => {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    setLoading(true);
    setError(null);
    try {
      const data = await readRef.current(controller.signal);
      if (!controller.signal.aborted) setAnswer({ key: forKey, data });
    } catch (e) {
      if (!controller.signal.aborted) setError(e);
    } finally {
      if (!controller.signal.aborted) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void readFor(keyText);
    return () => current.current?.abort();
  }, [keyText, readFor]);

  const reload = useCallback(() => readFor(keyText), [readFor, keyText]);
  return { data: answer?.key === keyText ? answer.data : undefined, error, loading, reload };
}
