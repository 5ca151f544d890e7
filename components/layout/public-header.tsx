import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { Logo } from './logo';
import { LanguageSwitch } from './language-switch';

export async function PublicHeader() {
  const t = await getTranslations('nav');
  return (
    <header className="no-print border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3">
        <Logo />
        <nav className="flex flex-wrap items-center gap-3 text-sm" aria-label={t('mainNav')}>
          <Link href="/login" className="font-medium text-slate-700 hover:text-brand-700">
            {t('login')}
          </Link>
          <Link href="/register" className="rounded-md bg-brand-600 px-3 py-1.5 font-semibold text-white hover:bg-brand-700">
            {t('register')}
          </Link>
          <LanguageSwitch />
        </nav>
      </div>
    </header>
  );
}

export async function PublicFooter() {
  const t = await getTranslations('common');
  return (
    <footer className="no-print mt-16 border-t border-slate-200 py-6 text-center text-xs text-slate-600">
      <p>{t('footerPrivacy')}</p>
      <p className="mt-1">
        <Link href="/avv" className="underline hover:text-brand-700">
          {t('avv')}
        </Link>
        {' · '}
        <Link href="/nutzungsbedingungen" className="underline hover:text-brand-700">
          {t('terms')}
        </Link>
        {' · '}
        <Link href="/datenschutz" className="underline hover:text-brand-700">
          {t('privacy')}
        </Link>
      </p>
    </footer>
  );
}
