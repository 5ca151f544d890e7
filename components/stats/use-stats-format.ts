'use client';
import { useCallback } from 'react';
import { useFormatter, useTranslations } from 'next-intl';

/** A length in seconds as people read it: "45 s", "12 Min. 5 s", "3 Std. 4 Min.". */
export function useDuration() {
  const t = useTranslations('stats.duration');
  return useCallback(
    (seconds: number) => {
      const total = Math.max(0, Math.round(seconds));
      const h = Math.floor(total / 3600);
      const m = Math.floor((total % 3600) / 60);
      const s = total % 60;
      if (h > 0) return t('hours', { h, m });
      if (m > 0) return t('minutes', { m, s });
      return t('seconds', { s });
    },
    [t],
  );
}

/** "YYYY-MM" as a month name with its year: "Mai 2026"; for tables "Mai 2026"/"Dez. 2026"; for chart axes "Dez. 26". */
export function useMonthLabel() {
  const format = useFormatter();
  return useCallback(
    (month: string, style: 'long' | 'table' | 'axis' = 'long') => {
      const [y, m] = month.split('-').map(Number);
      // The middle of the month, so no time zone moves it into another.
      const at = new Date(Date.UTC(y!, m! - 1, 15, 12));
      if (style === 'axis') return format.dateTime(at, { month: 'short', year: '2-digit' });
      return format.dateTime(at, { month: style === 'table' ? 'short' : 'long', year: 'numeric' });
    },
    [format],
  );
}
