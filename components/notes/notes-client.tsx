'use client';
import { useState } from 'react';
import { useFormatter, useTranslations } from 'next-intl';
import { Card, PageTitle } from '@/components/ui/card';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/alert';
import { api, type Json } from '@/lib/client/api';
import { useKeys } from '@/lib/client/key-store';
import { openNote, sealNote } from '@/lib/protocol/notes';
import type { NoteRow } from '@/lib/notes/service';
import { useApiResource } from '@/components/app/use-api-resource';
import { useSession } from '@/components/app/session-context';

type Note = Json<NoteRow>;

export function NotesClient() {
  const t = useTranslations('notes');
  const ta = useTranslations('app');
  const te = useTranslations('errors');
  const format = useFormatter();
  const keys = useKeys();
  const s = useSession();
  const { data, error, busy, run } = useApiResource<{ notes: Note[] }>('/api/notes');
  const notes = data?.notes ?? null;
  const [text, setText] = useState('');

  if (!keys?.orgKey) return <Alert tone="warning">{ta('noOrgKey')}</Alert>;
  const orgKey = keys.orgKey;

  const add = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    const id = crypto.randomUUID();
    const ok = await run(async () => {
      await api('/api/notes', { body: { id, bodyEnc: sealNote(orgKey, s.orgId, id, text) } });
      return true;
    });
    if (ok) setText('');
  };
  const remove = (id: string) => run(() => api(`/api/notes/${id}`, { method: 'DELETE', body: {} }));
  const open = (n: Note): string | null => {
    try {
      return openNote(orgKey, s.orgId, n);
    } catch {
      return null;
    }
  };

  return (
    <div>
      <PageTitle intro={t('intro')}>{t('title')}</PageTitle>
      <Card>
        <form onSubmit={add} className="space-y-3">
          <label htmlFor="note-text" className="block text-sm font-medium">
            {t('label')}
          </label>
          <textarea
            id="note-text"
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={3}
            maxLength={20000}
            className="block w-full rounded-md px-3 py-2 text-sm ring-1 ring-slate-300 focus:ring-2 focus:ring-brand-600"
          />
          {error && <Alert tone="error">{error}</Alert>}
          <Button type="submit" pending={busy}>
            {t('add')}
          </Button>
        </form>
      </Card>
      <ul className="mt-6 space-y-3" aria-live="polite">
        {notes?.length === 0 && <li className="text-sm text-slate-600">{t('empty')}</li>}
        {notes?.map((n) => {
          const body = open(n);
          return (
            <li key={n.id} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
              {body === null ? <Alert tone="error">{te('decrypt')}</Alert> : <p className="whitespace-pre-wrap text-sm" data-testid="note-body">{body}</p>}
              <div className="mt-2 flex items-center justify-between text-xs text-slate-500">
                <span>{t('by', { author: n.authorShortName ?? '–', date: format.dateTime(new Date(n.createdAt), { dateStyle: 'medium', timeStyle: 'short' }) })}</span>
                <button type="button" onClick={() => remove(n.id)} className="font-medium text-red-700 hover:underline">
                  {t('delete')}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
