import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Reads again (after an action changed what was read). */
  reload: () => Promise<void>;
}

/** One read of the API for a page: its answer, its refusal (shown by <ErrorNote>), read again when `key` changes. */
export function useLoad<T>(read: (signal: AbortSignal) => Promise<T>, key: unknown): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const readRef = useRef(read);
  readRef.current = read;
  const current = useRef<AbortController | null>(null);

  const reload = useCallback(async () => {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    setLoading(true);
    setError(null);
    try {
      const answer = await readRef.current(controller.signal);
      if (!controller.signal.aborted) setData(answer);
    } catch (e) {
      if (!controller.signal.aborted) setError(e);
    } finally {
      if (!controller.signal.aborted) setLoading(false);
    }
  }, []);

  const cacheKey = JSON.stringify(key);
  useEffect(() => {
    void reload();
    return () => current.current?.abort();
  }, [cacheKey, reload]);

  return { data, error, loading, reload };
}
