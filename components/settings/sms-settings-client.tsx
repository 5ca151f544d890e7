'use client';
import { useState } from 'react';
import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { Card, PageTitle } from '@/components/ui/card';
import { CheckboxField, SelectField, TextField } from '@/components/ui/field';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/alert';
import { DataTable } from '@/components/ui/table';
import { api, ApiError } from '@/lib/client/api';
import { normalizePhone } from '@/lib/sms/phone';
import { useApiResource } from '@/components/app/use-api-resource';
import type { SmsSettingsView } from '@/lib/messaging/service';
import { QuotaLine, TestResult, useFieldMessage, useTestSend } from './shared';

// The wire type is the server's own (a type-only import: nothing server-side reaches the bundle).
type View = SmsSettingsView;

type Form = { provider: 'konsil' | 'http'; apiUrl: string; apiKey: string; clearApiKey: boolean; sender: string };

export function SmsSettingsClient() {
  const t = useTranslations('settings.sms');
  const ts = useTranslations('settings');
  const format = useFormatter();
  const locale = useLocale() as 'de' | 'en';
  const fMsg = useFieldMessage();
  const { data, error, busy, run } = useApiResource<View>('/api/settings/sms');
  const [form, setForm] = useState<Form | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const [testTo, setTestTo] = useState('');
  const [testError, setTestError] = useState<string | undefined>();
  const test = useTestSend('/api/settings/sms/test');

  // The form starts from what the server holds, and again after each save reloads it.
  const [formOf, setFormOf] = useState<typeof data>(null);
  if (data && data !== formOf) {
    setFormOf(data);
    setForm({ provider: data.provider, apiUrl: data.apiUrl || data.defaultApiUrl, apiKey: '', clearApiKey: false, sender: data.sender });
  }

  const euro = (cents: number) => format.number(cents / 100, { style: 'currency', currency: 'EUR' });
  if (!data || !form) {
    return (
      <div>
        <PageTitle>{t('title')}</PageTitle>
        {error && <Alert tone="error">{error}</Alert>}
      </div>
    );
  }
  const readOnly = !data.canEdit || !data.smsAllowed;
  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    setForm((f) => (f ? { ...f, [k]: v } : f));
    setFields((o) => ({ ...o, [k]: '' }));
    setSaved(false);
  };
  const save = (e: React.FormEvent) => {
    e.preventDefault();
    setFields({});
    void run(async () => {
      try {
        await api('/api/settings/sms', { body: form });
        setSaved(true);
      } catch (err) {
        if (err instanceof ApiError && err.fields) setFields(err.fields);
        throw err;
      }
    });
  };
  const sendTest = (e: React.FormEvent) => {
    e.preventDefault();
    // The same rule as the server, so "0171 …" is explained before anything is sent.
    const p = normalizePhone(testTo);
    setTestError(p.ok ? undefined : p.error);
    if (p.ok) void test.send({ to: testTo, locale });
  };
  const monthLabel = (m: string) => format.dateTime(new Date(`${m}-15T12:00:00Z`), { month: 'long', year: 'numeric' });

  return (
    <div>
      <PageTitle intro={t('intro', { price: euro(data.smsCents) })}>{t('title')}</PageTitle>
      {!data.smsAllowed && <Alert tone="warning" className="mb-4">{t('planNote')}</Alert>}
      {data.smsAllowed && !data.canEdit && <Alert tone="info" className="mb-4">{ts('readOnly')}</Alert>}
      {data.smsAllowed && <QuotaLine channel="sms" quota={data.quota} />}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <form onSubmit={save} className="space-y-4" noValidate aria-label={t('title')}>
            <fieldset disabled={readOnly} className="space-y-4">
              <SelectField
                name="provider"
                label={t('provider')}
                value={form.provider}
                onChange={(e) => set('provider', e.target.value as Form['provider'])}
                hint={form.provider === 'konsil' && !data.konsilGateway ? t('konsilMissing') : undefined}
                options={[
                  { value: 'konsil', label: t('providerKonsil') },
                  { value: 'http', label: t('providerHttp') },
                ]}
              />
              {form.provider === 'http' && (
                <div className="space-y-4 rounded-md border-l-4 border-brand-200 p-4 ring-1 ring-slate-200">
                  <TextField name="apiUrl" type="url" label={t('apiUrl')} required hint={t('apiUrlHint', { url: data.defaultApiUrl })} value={form.apiUrl} onChange={(e) => set('apiUrl', e.target.value)} error={fMsg(fields.apiUrl)} />
                  <TextField
                    name="apiKey"
                    type="password"
                    autoComplete="off"
                    label={t('apiKey')}
                    required={!data.hasApiKey}
                    hint={data.hasApiKey ? t('apiKeyStored') : t('apiKeyNone')}
                    value={form.apiKey}
                    onChange={(e) => set('apiKey', e.target.value)}
                    error={fMsg(fields.apiKey)}
                  />
                  {data.hasApiKey && <CheckboxField name="clearApiKey" label={t('clearApiKey')} checked={form.clearApiKey} onChange={(e) => set('clearApiKey', e.target.checked)} />}
                </div>
              )}
              <TextField name="sender" label={t('sender')} hint={t('senderHint', { sender: data.defaultSender })} maxLength={16} value={form.sender} onChange={(e) => set('sender', e.target.value)} error={fMsg(fields.sender)} />
            </fieldset>
            {error && <Alert tone="error">{error}</Alert>}
            {saved && <Alert tone="success">{ts('saved')}</Alert>}
            {!readOnly && (
              <Button type="submit" pending={busy}>
                {ts('save')}
              </Button>
            )}
          </form>
        </Card>
        <Card>
          <h2 className="font-semibold">{t('testTitle')}</h2>
          <p className="mt-1 text-sm text-slate-600">{t('testIntro')}</p>
          <form className="mt-4 space-y-4" noValidate onSubmit={sendTest}>
            <TextField
              name="testTo"
              type="tel"
              autoComplete="off"
              label={t('testTo')}
              hint={t('testToHint')}
              value={testTo}
              disabled={readOnly}
              onChange={(e) => {
                setTestTo(e.target.value);
                setTestError(undefined);
              }}
              error={fMsg(testError ?? test.state?.fields.to)}
            />
            <Button type="submit" variant="secondary" pending={test.busy} disabled={readOnly}>
              {t('testSend')}
            </Button>
            <TestResult state={test.state} />
          </form>
        </Card>
      </div>
      <h2 className="mb-3 mt-8 font-semibold">{t('usageTitle')}</h2>
      {data.usage.length === 0 ? (
        <p className="text-sm text-slate-600">{t('usageNone')}</p>
      ) : (
        <DataTable headers={[t('usageMonth'), t('usageCount'), t('usageAmount')]} testId="sms-usage">
          {data.usage.map((u) => (
            <tr key={u.month}>
              <td className="px-4 py-2">{monthLabel(u.month)}</td>
              <td className="px-4 py-2 tabular-nums">{u.count}</td>
              <td className="px-4 py-2 tabular-nums">{euro(u.count * data.smsCents)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}
