'use client';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Logo } from '@/components/layout/logo';
import { LanguageSwitch } from '@/components/layout/language-switch';
import { api } from '@/lib/client/api';
import { setKeys } from '@/lib/client/key-store';
import { useSession } from './session-context';
import { KeyGate } from './key-gate';
import { WeakPasswordNotice } from '@/components/account/weak-password-notice';
import { MainNav, type NavEntry } from './main-nav';
import { IncomingCalls } from '@/components/colleague-calls/incoming-calls';

export function AppShell({ children, devOutbox }: { children: React.ReactNode; devOutbox: boolean }) {
  const t = useTranslations('nav');
  const tc = useTranslations('common');
  const ta = useTranslations('app');
  const tsn = useTranslations('settingsNav');
  const s = useSession();
  const router = useRouter();
  const [leaving, setLeaving] = useState(false);
  const entries: NavEntry[] = [
    { href: '/app', label: t('dashboard') },
    { href: '/app/termine', label: t('appointments') },
    { href: '/app/konferenzen', label: t('conferences') },
    { href: '/app/notes', label: t('notes') },
    { href: '/app/verzeichnis', label: t('directory') },
    { href: '/app/studien', label: t('studies') },
    { href: '/app/statistik', label: t('statistics') },
    {
      id: 'stammdaten',
      label: t('masterData'),
      children: [
        { href: '/app/stammdaten/benutzer', label: t('users') },
        { href: '/app/stammdaten/geraete', label: t('devices') },
        { href: '/app/stammdaten/postfaecher', label: t('mailboxes') },
        { href: '/app/stammdaten/organisation', label: t('organisation') },
        { href: '/app/stammdaten/rechnungsdaten', label: t('billing') },
      ],
    },
    { href: '/app/einstellungen', label: tsn('settings') },
    { href: '/app/konto', label: t('account') },
    ...(devOutbox ? [{ href: '/app/postausgang', label: t('outbox') }] : []),
  ];
  const logout = async () => {
    setLeaving(true);
    setKeys(null);
    await api('/api/session/logout', { body: {} }).catch(() => {});
    router.push('/login');
    router.refresh();
  };
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <Logo href="/app" />
          <div className="flex items-center gap-4 text-sm">
            <span className="hidden text-slate-600 sm:inline" data-testid="whoami">
              {s.userShortName} · {s.orgShortName} <span className="text-slate-500">({ta(`role.${s.role}`)})</span>
            </span>
            <LanguageSwitch />
            <button type="button" onClick={logout} disabled={leaving} className="rounded px-2 py-1 font-medium text-slate-700 hover:bg-slate-100">
              {tc('logout')}
            </button>
          </div>
        </div>
        <MainNav entries={entries} />
      </header>
      <IncomingCalls />
      <main id="main" className="mx-auto max-w-6xl px-4 py-8">
        <KeyGate>
          <WeakPasswordNotice />
          {children}
        </KeyGate>
      </main>
    </div>
  );
}
