'use client';
import { useCallback } from 'react';
import { useTranslations } from 'next-intl';
import { ApiError, errorCode } from '@/lib/client/api';

// Both return stable functions (per locale): useApiResource puts them in
// effect dependencies, and a new function per render would refetch forever.

/** Translates a validation or server message key into the user's language. */
export function useValidationMessage() {
  const t = useTranslations('validation');
  return useCallback((key: string | undefined) => (key ? (t.has(key) ? t(key) : t('invalid')) : undefined), [t]);
}

export function useErrorMessage() {
  const t = useTranslations('errors');
  return useCallback(
    (code: string, retryAfterSeconds?: number) => {
      const minutes = Math.max(1, Math.ceil((retryAfterSeconds ?? 60) / 60));
      return t.has(code) ? t(code, { minutes }) : t('internal');
    },
    [t],
  );
}

/** The user's-language message for whatever a client call threw (server codes, key-trust refusals, else "internal"). */
export function errorText(eMsg: (code: string, retryAfterSeconds?: number) => string, e: unknown): string {
  return eMsg(errorCode(e), e instanceof ApiError ? e.retryAfterSeconds : undefined);
}
