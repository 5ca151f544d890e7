'use client';
import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { useController, useForm, useWatch } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import { Card, PageTitle } from '@/components/ui/card';
import { CheckboxField, SelectField, TextField } from '@/components/ui/field';
import { Alert } from '@/components/ui/alert';
import { DataTable } from '@/components/ui/table';
import { CHECK_ON_SUBMIT, SERVER_ERROR, setServerFieldErrors } from '@/components/ui/form-errors';
import { normalizePhone } from '@/lib/validation/phone';
import { ZSmsSettingsInput, ZTestSmsInput } from '@/lib/messaging/schemas';
import { useApiResource } from '@/components/app/use-api-resource';
import type { SmsSettingsView } from '@/lib/messaging/service';
import { QuotaLine, SaveFooter, TestSendCard, useFieldMessage, useSettingsForm, useTestSend } from './shared';

// The wire type is the server's own (a type-only import: nothing server-side reaches the bundle).
type View = SmsSettingsView;

type Form = z.input<typeof ZSmsSettingsInput>;

const toForm = (v: View): Form => ({ provider: v.provider, apiUrl: v.apiUrl || v.defaultApiUrl, apiKey: '', clearApiKey: false, sender: v.sender });

const settingsResolver = zodResolver(ZSmsSettingsInput, undefined, { raw: true });
// The number is checked by the same rule as the server's, so "0171 …" is explained before anything is sent.
const testResolver = zodResolver(
  ZTestSmsInput.pick({ to: true }).superRefine(({ to }, ctx) => {
    const p = normalizePhone(to);
    if (!p.ok) ctx.addIssue({ code: 'custom', path: ['to'], message: p.error });
  }),
  undefined,
  { raw: true },
);

export function SmsSettingsClient() {
  const t = useTranslations('settings.sms');
  const ts = useTranslations('settings');
  const format = useFormatter();
  const resource = useApiResource<View>('/api/settings/sms');
  const { data, error } = resource;

  const euro = (cents: number) => format.number(cents / 100, { style: 'currency', currency: 'EUR' });
  if (!data) {
    return (
      <div>
        <PageTitle>{t('title')}</PageTitle>
        {error && <Alert tone="error">{error}</Alert>}
      </div>
    );
  }
  const readOnly = !data.canEdit || !data.smsAllowed;
  const monthLabel = (m: string) => format.dateTime(new Date(`${m}-15T12:00:00Z`), { month: 'long', year: 'numeric' });

  return (
    <div>
      <PageTitle intro={t('intro', { price: euro(data.smsCents) })}>{t('title')}</PageTitle>
      {!data.smsAllowed && <Alert tone="warning" className="mb-4">{t('planNote')}</Alert>}
      {data.smsAllowed && !data.canEdit && <Alert tone="info" className="mb-4">{ts('readOnly')}</Alert>}
      {data.smsAllowed && <QuotaLine channel="sms" quota={data.quota} />}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <SmsSettingsForm data={data} resource={resource} readOnly={readOnly} />
        </Card>
        <TestSms readOnly={readOnly} />
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

function SmsSettingsForm({ data, resource, readOnly }: { data: View; resource: ReturnType<typeof useApiResource<View>>; readOnly: boolean }) {
  const t = useTranslations('settings.sms');
  const fMsg = useFieldMessage();
  const form = useForm({ resolver: settingsResolver, defaultValues: toForm(data), ...CHECK_ON_SUBMIT });
  const errors = form.formState.errors;
  const { field, save, saved, error } = useSettingsForm(form, { path: '/api/settings/sms', data, toForm, resource });
  const provider = useWatch({ control: form.control, name: 'provider' });

  return (
    <form onSubmit={save} className="space-y-4" noValidate aria-label={t('title')}>
      <fieldset disabled={readOnly} className="space-y-4">
        <SelectField
          {...field('provider')}
          label={t('provider')}
          hint={provider === 'konsil' && !data.konsilGateway ? t('konsilMissing') : undefined}
          options={[
            { value: 'konsil', label: t('providerKonsil') },
            { value: 'http', label: t('providerHttp') },
          ]}
        />
        {provider === 'http' && (
          <div className="space-y-4 rounded-md border-l-4 border-brand-200 p-4 ring-1 ring-slate-200">
            <TextField {...field('apiUrl')} type="url" label={t('apiUrl')} required hint={t('apiUrlHint', { url: data.defaultApiUrl })} error={fMsg(errors.apiUrl?.message)} />
            <TextField
              {...field('apiKey')}
              type="password"
              autoComplete="off"
              label={t('apiKey')}
              required={!data.hasApiKey}
              hint={data.hasApiKey ? t('apiKeyStored') : t('apiKeyNone')}
              error={fMsg(errors.apiKey?.message)}
            />
            {data.hasApiKey && <CheckboxField {...field('clearApiKey')} label={t('clearApiKey')} />}
          </div>
        )}
        <TextField {...field('sender')} label={t('sender')} hint={t('senderHint', { sender: data.defaultSender })} maxLength={16} error={fMsg(errors.sender?.message)} />
      </fieldset>
      <SaveFooter error={error} saved={saved} busy={resource.busy} readOnly={readOnly} />
    </form>
  );
}

/** A test SMS to a typed number (counted like any SMS). Editing the number takes the form's own objection away, not the server's. */
function TestSms({ readOnly }: { readOnly: boolean }) {
  const t = useTranslations('settings.sms');
  const locale = useLocale() as 'de' | 'en';
  const fMsg = useFieldMessage();
  const test = useTestSend('/api/settings/sms/test');
  const { control, handleSubmit, setError, clearErrors, getFieldState, formState } = useForm({ resolver: testResolver, defaultValues: { to: '' }, ...CHECK_ON_SUBMIT });
  const to = useController({ control, name: 'to' }).field;
  const send = handleSubmit((v) => test.send({ to: v.to, locale }, (e) => setServerFieldErrors(setError, e)));
  return (
    <TestSendCard title={t('testTitle')} intro={t('testIntro')} sendLabel={t('testSend')} readOnly={readOnly} test={test} onSubmit={send}>
      <TextField
        name="testTo"
        type="tel"
        autoComplete="off"
        label={t('testTo')}
        hint={t('testToHint')}
        value={to.value}
        disabled={readOnly}
        onChange={(e) => {
          to.onChange(e.target.value);
          if (getFieldState('to').error?.type !== SERVER_ERROR) clearErrors('to');
        }}
        error={fMsg(formState.errors.to?.message)}
      />
    </TestSendCard>
  );
}
