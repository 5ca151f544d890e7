'use client';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslations } from 'next-intl';
import { Card, PageTitle } from '@/components/ui/card';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { useErrorMessage, useValidationMessage } from '@/components/ui/use-field-errors';
import { setServerFieldErrors } from '@/components/ui/form-errors';
import { ApiError, errorCode } from '@/lib/client/api';
import { certifiedMembers, createMailbox, type Member } from '@/lib/client/mailboxes';
import type { UnlockedKeys } from '@/lib/protocol/account';
import { hasFeature } from '@/lib/plans/plans';
import { ZMailboxForm, type TMailboxForm } from '@/lib/mailboxes/schemas';
import { MailboxCard, MemberChoice } from './mailbox-card';
import { useMailboxes } from './use-mailboxes';

function CreateMailbox({ keys, members, onCreated }: { keys: UnlockedKeys; members: Member[]; onCreated: () => void }) {
  const t = useTranslations('mailboxes');
  const eMsg = useErrorMessage();
  const vMsg = useValidationMessage();
  const [error, setError] = useState<string | null>(null);
  // Admins always have access: their boxes start ticked (and cannot be unticked).
  const admins = certifiedMembers(members)
    .filter((x) => x.role !== 'member')
    .map((x) => x.id);
  const form = useForm<TMailboxForm>({ resolver: zodResolver(ZMailboxForm), defaultValues: { name: '', members: admins } });
  const submit = form.handleSubmit(async (v) => {
    setError(null);
    try {
      await createMailbox(keys, { name: v.name, isMain: false, memberIds: v.members, members });
      form.reset();
      onCreated();
    } catch (e) {
      // A refusal that names a field is shown there only.
      if (e instanceof ApiError && e.fields) setServerFieldErrors(form.setError, e);
      else setError(errorCode(e));
    }
  });
  return (
    <Card>
      <h2 className="text-base font-semibold text-slate-900">{t('createTitle')}</h2>
      <form onSubmit={submit} className="mt-4 space-y-4">
        <TextField label={t('name')} required hint={t('nameHint')} error={vMsg(form.formState.errors.name?.message)} {...form.register('name')} />
        <MemberChoice members={members} register={(n) => form.register(n)} name="new-mailbox" />
        {error && <Alert tone="error">{eMsg(error)}</Alert>}
        <Button type="submit" pending={form.formState.isSubmitting}>
          {t('create')}
        </Button>
      </form>
    </Card>
  );
}

export function MailboxesClient() {
  const t = useTranslations('mailboxes');
  const eMsg = useErrorMessage();
  const { state, error, reload, keys, isAdmin, plan } = useMailboxes();
  const refresh = () => void reload();
  return (
    <div>
      <PageTitle intro={t('intro')}>{t('title')}</PageTitle>
      {error && <Alert tone="error">{eMsg(error)}</Alert>}
      {!state && !error && <p className="text-sm text-slate-600">{t('preparing')}</p>}
      {state && keys && (
        <div className="space-y-6">
          {!isAdmin && <p className="text-sm text-slate-600">{state.views.length ? t('readOnly') : t('none')}</p>}
          <div className="grid gap-6 lg:grid-cols-2">
            {state.views.map((v) => (
              <MailboxCard key={`${v.id}/${v.keyVersion}/${v.members.join()}`} view={v} members={state.members} keys={keys} isAdmin={isAdmin} onSaved={refresh} />
            ))}
          </div>
          {isAdmin && (hasFeature(plan, 'additionalMailboxes') ? <CreateMailbox keys={keys} members={state.members} onCreated={refresh} /> : <Alert tone="info">{t('plusOnly')}</Alert>)}
        </div>
      )}
    </div>
  );
}
