'use client';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, errorCode } from '@/lib/client/api';
import { useErrorMessage } from '@/components/ui/use-field-errors';

/**
 * Loads one of our JSON routes and runs actions against it: every action
 * shows a pending state, a translated error, and reloads the data after.
 */
export function useApiResource<T>(path: string) {
  const eMsg = useErrorMessage();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fail = useCallback((e: unknown) => setError(eMsg(errorCode(e), e instanceof ApiError ? e.retryAfterSeconds : undefined)), [eMsg]);

  const reload = useCallback(() => {
    api<T>(path).then(setData).catch(fail);
  }, [path, fail]);
  useEffect(reload, [reload]);

  /** Runs fn; returns its result, or undefined after showing the error. */
  const run = useCallback(
    async <R>(fn: () => Promise<R>, opts: { reload?: boolean } = {}): Promise<R | undefined> => {
      setBusy(true);
      setError(null);
      try {
        const r = await fn();
        if (opts.reload !== false) reload();
        return r;
      } catch (e) {
        fail(e);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [reload, fail],
  );

  return { data, error, busy, reload, run };
}
