'use client';
import { useTranslations } from 'next-intl';

/** Translates a validation or server message key into the user's language. */
export function useValidationMessage() {
  const t = useTranslations('validation');
  return (key: string | undefined) => (key ? (t.has(key) ? t(key) : t('invalid')) : undefined);
}

export function useErrorMessage() {
  const t = useTranslations('errors');
  return (code: string, retryAfterSeconds?: number) => {
    const minutes = Math.max(1, Math.ceil((retryAfterSeconds ?? 60) / 60));
    return t.has(code) ? t(code, { minutes }) : t('internal');
  };
}
