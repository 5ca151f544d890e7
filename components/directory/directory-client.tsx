'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useTranslations } from 'next-intl';
import { PageTitle } from '@/components/ui/card';
import { Alert } from '@/components/ui/alert';
import { useErrorMessage } from '@/components/ui/use-field-errors';
import type { DirectoryEntry } from '@/lib/client/partners';
import { useApiResource } from '@/components/app/use-api-resource';
import type { TDirectoryVisibility } from '@/lib/directory/schemas';
import { useDirectorySearch } from './use-directory-search';

function EntryLine({ e, q }: { e: DirectoryEntry; q: string }) {
  const t = useTranslations('directory');
  const tr = useTranslations('register');
  return (
    <li className="flex flex-col gap-2 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:flex-row sm:items-center sm:justify-between">
      <div className="min-w-0">
        <p className="font-semibold text-slate-900">{e.name}</p>
        <p className="text-sm text-slate-600">{[tr(`orgTypes.${e.orgType}`), e.specialty].filter(Boolean).join(' · ')}</p>
        <p className="text-sm text-slate-600">
          {e.street} {e.houseNumber}, {e.plz} {e.city}
        </p>
      </div>
      <Link href={`/app/verzeichnis/${e.id}?q=${encodeURIComponent(q)}`} className="shrink-0 self-start rounded-md px-3 py-2 text-sm font-medium text-brand-700 ring-1 ring-brand-200 hover:bg-brand-50 sm:self-center" aria-label={`${t('details')}: ${e.name}`}>
        {t('details')}
      </Link>
    </li>
  );
}

export function DirectoryClient({ initialQuery }: { initialQuery: string }) {
  const t = useTranslations('directory');
  const eMsg = useErrorMessage();
  const [q, setQ] = useState(initialQuery);
  const { entries, error, pending } = useDirectorySearch(q);
  const own = useApiResource<TDirectoryVisibility>('/api/org/directory').data;
  const onChange = (value: string) => {
    setQ(value);
    // Kept in the address, so "back" from a partner returns to these results.
    const url = new URL(window.location.href);
    if (value.trim()) url.searchParams.set('q', value);
    else url.searchParams.delete('q');
    window.history.replaceState(null, '', url);
  };

  return (
    <div>
      <PageTitle intro={t('intro')}>{t('title')}</PageTitle>
      {own && !own.directoryVisible && (
        <Alert tone="info" className="mb-4 max-w-2xl">
          {t('ownNotListed')}{' '}
          <Link href="/app/stammdaten/organisation" className="font-medium text-brand-700 underline">
            {t('ownNotListedLink')}
          </Link>
        </Alert>
      )}
      <div role="search" className="max-w-2xl">
        <label htmlFor="directory-q" className="block text-sm font-medium text-slate-800">
          {t('search')}
        </label>
        <input
          id="directory-q"
          type="search"
          value={q}
          onChange={(e) => onChange(e.target.value)}
          autoComplete="off"
          autoFocus
          aria-describedby="directory-q-hint"
          className="mt-1 block w-full rounded-md border-0 px-3 py-2 text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-brand-600"
        />
        <p id="directory-q-hint" className="mt-1 text-xs text-slate-600">
          {t('searchHint')}
        </p>
      </div>
      <div className="mt-6" aria-live="polite" aria-busy={pending}>
        {error && <Alert tone="error">{eMsg(error)}</Alert>}
        {q.trim().length > 0 && q.trim().length < 2 && <p className="text-sm text-slate-600">{t('typeMore')}</p>}
        {pending && <p className="text-sm text-slate-600">{t('searching')}</p>}
        {entries && (
          <>
            <p className="mb-3 text-sm text-slate-600">{entries.length ? t('results', { count: entries.length }) : t('noResults')}</p>
            <ul className="space-y-3">
              {entries.map((e) => (
                <EntryLine key={e.id} e={e} q={q} />
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
