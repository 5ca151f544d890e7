'use client';
import { useState } from 'react';
import { useTranslations } from 'next-intl';
import { useDirectorySearch } from '@/components/directory/use-directory-search';
import type { SendTarget } from '@/lib/client/studies/send';

/** The recipient: a partner from the directory and one of its mailboxes. */
export function RecipientPicker({ value, onChange }: { value: SendTarget | null; onChange: (t: SendTarget | null) => void }) {
  const t = useTranslations('studySend.recipient');
  const [q, setQ] = useState('');
  const { entries, pending } = useDirectorySearch(q);
  if (value) {
    return (
      <div className="flex flex-wrap items-center justify-between gap-3 rounded-md bg-brand-50 px-4 py-3 ring-1 ring-brand-200">
        <div>
          <p className="font-semibold text-slate-900" data-testid="recipient-chosen">
            {value.entry.name} – {value.mailbox.name}
          </p>
          <p className="text-sm text-slate-600">
            {value.entry.plz} {value.entry.city}
          </p>
        </div>
        <button type="button" className="text-sm font-medium text-brand-700 hover:underline" onClick={() => onChange(null)}>
          {t('change')}
        </button>
      </div>
    );
  }
  return (
    <div>
      <label htmlFor="recipient-q" className="block text-sm font-medium text-slate-800">
        {t('search')}
      </label>
      <input
        id="recipient-q"
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        autoComplete="off"
        placeholder={t('placeholder')}
        className="mt-1 block w-full rounded-md border-0 px-3 py-2 text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-brand-600"
      />
      {pending && <p className="mt-2 text-sm text-slate-500">{t('searching')}</p>}
      {entries && entries.length === 0 && <p className="mt-2 text-sm text-slate-600">{t('none')}</p>}
      {entries && entries.length > 0 && (
        <ul className="mt-3 space-y-2">
          {entries.map((e) => (
            <li key={e.id} className="rounded-md bg-white p-3 ring-1 ring-slate-200">
              <p className="font-medium text-slate-900">{e.name}</p>
              <p className="text-sm text-slate-600">
                {[e.specialty, `${e.plz} ${e.city}`].filter(Boolean).join(' · ')}
              </p>
              {e.mailboxes.length === 0 ? (
                <p className="mt-1 text-sm text-slate-500">{t('noMailbox')}</p>
              ) : (
                <div className="mt-2 flex flex-wrap gap-2">
                  {e.mailboxes.map((m) => (
                    <button
                      key={m.id}
                      type="button"
                      onClick={() => onChange({ entry: e, mailbox: m })}
                      className="rounded-full bg-white px-3 py-1 text-sm font-medium text-brand-700 ring-1 ring-brand-300 hover:bg-brand-50"
                      aria-label={t('choose', { org: e.name, mailbox: m.name })}
                    >
                      {m.name}
                    </button>
                  ))}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
