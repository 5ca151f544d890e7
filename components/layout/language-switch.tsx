'use client';
import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';

/** Remembered for a year; the server reads it to pick the messages. */
function rememberLocale(l: 'de' | 'en') {
  document.cookie = `konsil_locale=${l}; path=/; max-age=31536000; samesite=lax`;
}

export function LanguageSwitch() {
  const t = useTranslations('common');
  const locale = useLocale();
  const router = useRouter();
  const [pending, start] = useTransition();
  const choose = (l: 'de' | 'en') => {
    rememberLocale(l);
    start(() => router.refresh());
  };
  return (
    <div className="flex items-center gap-1 text-sm" role="group" aria-label={t('language')}>
      {(['de', 'en'] as const).map((l) => (
        <button
          key={l}
          type="button"
          onClick={() => choose(l)}
          disabled={pending}
          aria-pressed={locale === l}
          lang={l}
          className={`rounded px-2 py-1 font-medium ${locale === l ? 'bg-brand-600 text-white' : 'text-slate-700 hover:bg-slate-100'}`}
        >
          {l === 'de' ? 'DE' : 'EN'}
          <span className="sr-only"> – {l === 'de' ? t('german') : t('english')}</span>
        </button>
      ))}
    </div>
  );
}
