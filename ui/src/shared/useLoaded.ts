import { useCallback, useEffect, useState } from 'react';
import type { ApiError } from '../api/bindings';

/**
 * What the core answers to `fetch` (a stable callback), read again whenever
 * `reloadKey` changes or `reload` is called; a failure keeps the last answer
 * and says why.
 */
export function useLoaded<T>(fetch: () => Promise<T>, initial: T, reloadKey = 0) {
  const [data, setData] = useState<T>(initial);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const reload = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setData(await fetch());
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setLoading(false);
    }
  }, [fetch]);

  useEffect(() => {
    void reload();
  }, [reload, reloadKey]);

  return { data, loading, error, reload };
}
