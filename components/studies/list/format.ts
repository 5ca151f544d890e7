'use client';
import { useCallback } from 'react';
import { useFormatter, useLocale } from 'next-intl';
import { formatBytes } from '@/lib/studies/format';

/** Times and sizes in the user's language (sizes in decimal units, as the mailbox quota). */
export function useListFormat() {
  const format = useFormatter();
  const locale = useLocale();
  const when = useCallback((iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' }), [format]);
  const bytes = useCallback((n: number) => formatBytes(n, locale), [locale]);
  return { when, bytes };
}
