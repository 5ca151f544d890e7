'use client';
import { useState, type ReactNode } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { api } from '@/lib/client/api';
import { errorText, useErrorMessage } from '@/components/ui/use-field-errors';

/**
 * Every dialog of the contract page posts one action: field errors go to the
 * dialog's form (`onRefused`), the rest under it; done, the page says so.
 */
export function useDialogAction(onDone: (notice: string) => void) {
  const eMsg = useErrorMessage();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const post = async (path: string, body: unknown, notice: string, onRefused?: (e: unknown) => void): Promise<boolean> => {
    setError(null);
    setBusy(true);
    try {
      await api(path, { body });
      onDone(notice);
      return true;
    } catch (e) {
      onRefused?.(e);
      setError(errorText(eMsg, e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return {
    busy,
    error,
    post,
    /** A form that finds its own fields wrong says so in the server's words, without asking it. */
    refuse: () => setError(eMsg('validation')),
    clear: () => setError(null),
  };
}

export type DialogAction = ReturnType<typeof useDialogAction>;

export function DialogFooter({ error, abortLabel, onAbort, children }: { error: string | null; abortLabel: string; onAbort: () => void; children: ReactNode }) {
  return (
    <>
      {error && (
        <Alert tone="error" className="mt-3">
          {error}
        </Alert>
      )}
      <div className="mt-5 flex justify-end gap-2">
        <Button type="button" variant="secondary" onClick={onAbort}>
          {abortLabel}
        </Button>
        {children}
      </div>
    </>
  );
}
