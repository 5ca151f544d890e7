import { getRequestConfig } from 'next-intl/server';
import { cookies } from 'next/headers';
import { MESSAGES } from '@/messages';

export const LOCALES = ['de', 'en'] as const;
export type AppLocale = (typeof LOCALES)[number];
export const LOCALE_COOKIE = 'konsil_locale';

// German by default; English when the user chose it (a cookie set by the language switch).
export default getRequestConfig(async () => {
  const store = await cookies();
  const locale: AppLocale = store.get(LOCALE_COOKIE)?.value === 'en' ? 'en' : 'de';
  return {
    locale,
    timeZone: 'Europe/Berlin',
    messages: MESSAGES[locale],
  };
});
