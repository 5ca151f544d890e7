'use client';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useFormatter, useTranslations } from 'next-intl';
import { Card } from '@/components/ui/card';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useErrorMessage } from '@/components/ui/use-field-errors';
import { errorCode } from '@/lib/client/api';
import type { UnlockedKeys } from '@/lib/protocol/account';
import { certifiedMembers, openMailbox, setMailboxAccess, type MailboxView, type Member } from '@/lib/client/mailboxes';
import { MailboxNotice } from './mailbox-notice';

export function useBytes() {
  const format = useFormatter();
  return (n: number) => format.number(n / 1e9, { style: 'unit', unit: 'gigabyte', maximumFractionDigits: n < 1e9 ? 2 : 1 });
}

/** Who may use the mailbox, as checkboxes (admins are always in). */
export function MemberChoice({ members, register, name }: { members: Member[]; register: (n: 'members') => object; name: string }) {
  const t = useTranslations('mailboxes');
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-800">{t('members')}</legend>
      <p className="text-xs text-slate-600">{t('membersHint')}</p>
      <ul className="mt-2 grid gap-1 sm:grid-cols-2">
        {certifiedMembers(members).map((x) => (
          <li key={x.id}>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" value={x.id} disabled={x.role !== 'member'} className="h-4 w-4 rounded border-slate-300 text-brand-600" {...register('members')} aria-describedby={`${name}-hint`} />
              {x.shortName}
              {x.role !== 'member' && <span className="text-xs text-slate-500">({t('admin')})</span>}
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

export function MailboxCard({ view, members, keys, isAdmin, onSaved }: { view: MailboxView; members: Member[]; keys: UnlockedKeys; isAdmin: boolean; onSaved: () => void }) {
  const t = useTranslations('mailboxes');
  const eMsg = useErrorMessage();
  const bytes = useBytes();
  const form = useForm<{ members: string[] }>({ defaultValues: { members: view.members } });
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const save = form.handleSubmit(async (v) => {
    setError(null);
    setSaved(false);
    try {
      await setMailboxAccess(keys, openMailbox(keys, view), v.members, members);
      setSaved(true);
      onSaved();
    } catch (e) {
      setError(errorCode(e));
    }
  });
  const used = view.usedBytes / view.quotaBytes;
  return (
    <Card>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-base font-semibold text-slate-900">
          {view.name}
          {view.isMain && view.name !== t('main') && <span className="ml-2 rounded bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-800 ring-1 ring-brand-200">{t('main')}</span>}
        </h2>
        <span className="text-xs text-slate-500">{t('keyVersion', { version: view.keyVersion })}</span>
      </div>
      <div className="mt-3">
        <div className="h-2 rounded bg-slate-100" role="meter" aria-valuemin={0} aria-valuemax={view.quotaBytes} aria-valuenow={view.usedBytes} aria-label={t('usage', { used: bytes(view.usedBytes), quota: bytes(view.quotaBytes) })}>
          <div className="h-2 rounded bg-brand-600" style={{ width: `${Math.min(100, used * 100)}%` }} />
        </div>
        <p className="mt-1 text-xs text-slate-600">{t('usage', { used: bytes(view.usedBytes), quota: bytes(view.quotaBytes) })}</p>
      </div>
      {isAdmin && (
        <form onSubmit={save} className="mt-4 space-y-3" aria-label={`${t('members')}: ${view.name}`}>
          <MemberChoice members={members} register={(n) => form.register(n)} name={`mailbox-${view.id}`} />
          <p id={`mailbox-${view.id}-hint`} className="text-xs text-slate-600">
            {t('rekeyNote')}
          </p>
          {error && <Alert tone="error">{eMsg(error)}</Alert>}
          {saved && !error && <Alert tone="success">{t('saved')}</Alert>}
          <Button type="submit" variant="secondary" pending={form.formState.isSubmitting}>
            {t('save')}
          </Button>
        </form>
      )}
      {isAdmin && <MailboxNotice view={view} onSaved={onSaved} />}
    </Card>
  );
}
