import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Reads again (after an action changed what the page shows). */
  reload: () => void;
}

/**
 * What a page reads when it opens: read again when `key` changes (a route param, a filter). An answer that arrives
 * after a newer request started is dropped, and data read for another key is never shown for this one; a reload keeps
 * showing the current data until the new answer comes.
 */
export function useLoad<T>(load: () => Promise<T>, key: unknown): Loaded<T> {
  const keyText = JSON.stringify(key ?? null);
  const [answer, setAnswer] = useState<{ key: string; data: T }>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    loadRef
      .current()
      .then(
        (data) => current && setAnswer({ key: keyText, data }),
        (e: unknown) => current && setError(e),
      )
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [keyText, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data: answer?.key === keyText ? answer.data : undefined, error, loading, reload };
}
