'use client';
import { useLocationHash } from '@/lib/client/use-location-hash';
import { useEffect, useState } from 'react';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { api, errorCode } from '@/lib/client/api';
import { useErrorMessage } from '@/components/ui/use-field-errors';

export function ConfirmEmail() {
  const t = useTranslations('confirmEmail');
  const tc = useTranslations('common');
  const eMsg = useErrorMessage();
  const hash = useLocationHash();
  const token = hash === null ? null : hash.slice(1);
  const [result, setResult] = useState<{ ok: true; orgName: string } | { ok: false; error: string } | null>(null);
  const state = token === '' ? { ok: false as const, error: t('missing') } : result;

  useEffect(() => {
    if (!token) return;
    api<{ orgName: string }>('/api/org/confirm-email', { body: { token } })
      .then((r) => setResult({ ok: true, orgName: r.orgName }))
      .catch((e) => setResult({ ok: false, error: eMsg(errorCode(e)) }));
  }, [token, eMsg]);

  if (!state) return <p className="text-sm text-slate-600">{tc('loading')}</p>;
  if (!state.ok) return <Alert tone="error">{state.error}</Alert>;
  return (
    <div className="space-y-4">
      <Alert tone="success" title={t('doneTitle')}>
        <span data-testid="email-confirmed">{t('done', { orgName: state.orgName })}</span>
      </Alert>
      <Link href="/login" className="inline-block rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white">
        {t('toLogin')}
      </Link>
    </div>
  );
}
