import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loadable<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/**
 * Loads data with `load` when the component mounts and whenever `deps` change, and every
 * `pollMs` milliseconds when given. A newer load wins over an older one still in flight.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], pollMs?: number | null): Loadable<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const current = ++generation.current;
    setLoading(true);
    loadRef
      .current()
      .then((value) => {
        if (current !== generation.current) return;
        setData(value);
        setError(null);
      })
      .catch((caught: unknown) => {
        if (current === generation.current) setError(caught);
      })
      .finally(() => {
        if (current === generation.current) setLoading(false);
      });
  }, [...deps, tick]);

  useEffect(() => {
    if (!pollMs) return;
    const timer = window.setInterval(() => setTick((value) => value + 1), pollMs);
    return () => window.clearInterval(timer);
  }, [pollMs]);

  const reload = useCallback(() => setTick((value) => value + 1), []);
  return { data, error, loading, reload };
}
