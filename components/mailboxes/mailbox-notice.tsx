'use client';
// Where the notice of a new study in a mailbox goes: a department's own
// address, or (left empty) the organisation's. Admins only.
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { useErrorMessage, useValidationMessage } from '@/components/ui/use-field-errors';
import { setServerFieldErrors } from '@/components/ui/form-errors';
import { ApiError, errorCode } from '@/lib/client/api';
import { setMailboxNotice, type MailboxView } from '@/lib/client/mailboxes';
import { ZMailboxNotice, type TMailboxNotice } from '@/lib/mailboxes/schemas';

export function MailboxNotice({ view, onSaved }: { view: MailboxView; onSaved: () => void }) {
  const t = useTranslations('mailboxes');
  const eMsg = useErrorMessage();
  const vMsg = useValidationMessage();
  const form = useForm<TMailboxNotice>({ resolver: zodResolver(ZMailboxNotice), defaultValues: { email: view.noticeEmail ?? '' } });
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<'own' | 'org' | null>(null);
  const save = form.handleSubmit(async (v) => {
    setError(null);
    setSaved(null);
    try {
      await setMailboxNotice(view.id, v.email);
      setSaved(v.email ? 'own' : 'org');
      onSaved();
    } catch (e) {
      if (e instanceof ApiError && e.fields) setServerFieldErrors(form.setError, e);
      else setError(errorCode(e));
    }
  });
  return (
    <form onSubmit={save} noValidate className="mt-4 space-y-3 border-t border-slate-100 pt-4" aria-label={`${t('notice')}: ${view.name}`}>
      <TextField type="email" autoComplete="email" label={t('notice')} hint={t('noticeHint')} error={vMsg(form.formState.errors.email?.message)} {...form.register('email')} />
      {error && <Alert tone="error">{eMsg(error)}</Alert>}
      {saved && !error && <Alert tone="success">{t(saved === 'own' ? 'noticeSaved' : 'noticeOrg')}</Alert>}
      <Button type="submit" variant="secondary" pending={form.formState.isSubmitting}>
        {t('noticeSave')}
      </Button>
    </form>
  );
}
