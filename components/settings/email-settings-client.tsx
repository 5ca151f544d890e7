'use client';
import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { useController, useForm, useWatch } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import { Card, PageTitle } from '@/components/ui/card';
import { CheckboxField, SelectField, TextField } from '@/components/ui/field';
import { Alert } from '@/components/ui/alert';
import { CHECK_ON_SUBMIT, setServerFieldErrors } from '@/components/ui/form-errors';
import { effectiveSecurity, SMTP_PRESETS } from '@/lib/messaging/smtp-rules';
import { ZMailSettingsInput, ZTestEmailInput } from '@/lib/messaging/schemas';
import { useApiResource } from '@/components/app/use-api-resource';
import type { MailSettingsView } from '@/lib/messaging/service';
import { QuotaLine, SaveFooter, TestSendCard, UnconfirmedEmail, useFieldMessage, useSettingsForm, useTestSend } from './shared';

// The wire type is the server's own (a type-only import: nothing server-side reaches the bundle).
type View = MailSettingsView;

// The form holds what the route takes, as typed (the port as text).
type Form = z.input<typeof ZMailSettingsInput>;

function toForm(v: View): Form {
  return {
    transport: v.transport,
    smtpHost: v.smtpHost,
    smtpPort: v.smtpPort ? String(v.smtpPort) : '',
    smtpSecurity: v.smtpSecurity,
    fromAddress: v.fromAddress,
    username: v.username,
    password: '',
    passwordValidity: '1d',
    clearPassword: false,
    bcc: v.bcc,
  };
}

const settingsResolver = zodResolver(ZMailSettingsInput, undefined, { raw: true });
const testResolver = zodResolver(ZTestEmailInput.pick({ to: true }), undefined, { raw: true });

export function EmailSettingsClient() {
  const t = useTranslations('settings.email');
  const ts = useTranslations('settings');
  const format = useFormatter();
  const resource = useApiResource<View>('/api/settings/email');
  const { data, error } = resource;

  if (!data) {
    return (
      <div>
        <PageTitle intro={t('intro')}>{t('title')}</PageTitle>
        {error && <Alert tone="error">{error}</Alert>}
      </div>
    );
  }
  const readOnly = !data.canEdit;
  return (
    <div>
      <PageTitle intro={t('intro')}>{t('title')}</PageTitle>
      {!data.patientEmailAllowed && <Alert tone="info" className="mb-4">{t('planNote')}</Alert>}
      {readOnly && <Alert tone="info" className="mb-4">{ts('readOnly')}</Alert>}
      {data.patientEmailAllowed && !data.orgEmailConfirmed && <UnconfirmedEmail email={data.orgEmail} canEdit={data.canEdit} />}
      {data.patientEmailAllowed && <QuotaLine channel="email" quota={data.quota} />}
      {data.stallingAfterExpiry > 0 && data.passwordExpiresAt && (
        <Alert tone="warning" className="mb-4">
          <span data-testid="smtp-expiry-warning">
            {t('stallingAfterExpiry', { count: data.stallingAfterExpiry, date: format.dateTime(new Date(data.passwordExpiresAt), { dateStyle: 'medium', timeStyle: 'short' }) })}
          </span>
        </Alert>
      )}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <MailSettingsForm data={data} resource={resource} readOnly={readOnly} />
        </Card>
        <TestEmail orgEmail={data.orgEmail} readOnly={readOnly} />
      </div>
    </div>
  );
}

function MailSettingsForm({ data, resource, readOnly }: { data: View; resource: ReturnType<typeof useApiResource<View>>; readOnly: boolean }) {
  const t = useTranslations('settings.email');
  const format = useFormatter();
  const fMsg = useFieldMessage();
  const form = useForm({ resolver: settingsResolver, defaultValues: toForm(data), ...CHECK_ON_SUBMIT });
  const { control, setValue } = form;
  const errors = form.formState.errors;
  const { field, edited, save, saved, error } = useSettingsForm(form, { path: '/api/settings/email', data, toForm, resource });
  const [transport, smtpPort, smtpSecurity, username] = useWatch({ control, name: ['transport', 'smtpPort', 'smtpSecurity', 'username'] });
  const port = Number(smtpPort);
  const effective = Number.isInteger(port) && port > 0 ? effectiveSecurity(port, smtpSecurity ?? 'auto') : null;

  // A preset fills in host and port (leaving their errors until the next save).
  const applyPreset = (id: string) => {
    const p = SMTP_PRESETS.find((x) => x.id === id);
    if (!p) return;
    setValue('smtpHost', p.host);
    setValue('smtpPort', String(p.port));
    setValue('smtpSecurity', 'auto');
    edited();
  };

  return (
    <form onSubmit={save} className="space-y-4" noValidate aria-label={t('title')}>
      <fieldset disabled={readOnly} className="space-y-4">
        <SelectField
          {...field('transport')}
          label={t('transport')}
          options={[
            { value: 'konsil', label: t('transportKonsil') },
            { value: 'smtp', label: t('transportSmtp') },
          ]}
        />
        {transport === 'smtp' && (
          <div className="space-y-4 rounded-md border-l-4 border-brand-200 p-4 ring-1 ring-slate-200">
            <h2 className="font-semibold">{t('smtpTitle')}</h2>
            <SelectField
              name="preset"
              label={t('preset')}
              hint={t('presetHint')}
              value=""
              placeholder={t('presetPlaceholder')}
              onChange={(e) => applyPreset(e.target.value)}
              options={SMTP_PRESETS.map((p) => ({ value: p.id, label: `${p.label} (${p.host}:${p.port})` }))}
            />
            <div className="grid gap-4 sm:grid-cols-3">
              <TextField className="sm:col-span-2" {...field('smtpHost')} label={t('host')} required autoComplete="off" error={fMsg(errors.smtpHost?.message)} />
              <TextField {...field('smtpPort')} label={t('port')} required inputMode="numeric" error={fMsg(errors.smtpPort?.message)} />
            </div>
            <SelectField
              {...field('smtpSecurity')}
              label={t('security')}
              hint={effective ? t(effective === 'tls' ? 'effectiveTls' : 'effectiveStarttls') : undefined}
              options={[
                { value: 'auto', label: t('securityAuto') },
                { value: 'tls', label: t('securityTls') },
                { value: 'starttls', label: t('securityStarttls') },
              ]}
            />
            <TextField {...field('fromAddress')} type="email" label={t('from')} required error={fMsg(errors.fromAddress?.message)} />
            <TextField {...field('username')} label={t('username')} hint={t('usernameHint')} autoComplete="off" error={fMsg(errors.username?.message)} />
            {username && (
              <>
                <p className="text-sm" data-testid="password-state">
                  {data.hasPassword && data.passwordExpiresAt
                    ? t('passwordStored', { date: format.dateTime(new Date(data.passwordExpiresAt), { dateStyle: 'medium', timeStyle: 'short' }) })
                    : t('passwordNone')}
                </p>
                <div className="grid gap-4 sm:grid-cols-2">
                  <TextField
                    {...field('password')}
                    type="password"
                    autoComplete="new-password"
                    label={t('password')}
                    hint={data.hasPassword ? t('passwordKeep') : undefined}
                    error={fMsg(errors.password?.message)}
                  />
                  <SelectField
                    {...field('passwordValidity')}
                    label={t('validity')}
                    options={[
                      { value: '1d', label: t('validity1d') },
                      { value: '7d', label: t('validity7d') },
                      { value: '30d', label: t('validity30d') },
                    ]}
                  />
                </div>
                {data.hasPassword && <CheckboxField {...field('clearPassword')} label={t('clearPassword')} />}
                <p className="text-xs text-slate-600">{t('passwordRule')}</p>
              </>
            )}
          </div>
        )}
        <TextField {...field('bcc')} type="email" label={t('bcc')} hint={t('bccHint')} error={fMsg(errors.bcc?.message)} />
      </fieldset>
      <SaveFooter error={error} saved={saved} busy={resource.busy} readOnly={readOnly} />
    </form>
  );
}

/** A test e-mail through the organisation's transport; without a recipient it goes to the organisation's address. */
function TestEmail({ orgEmail, readOnly }: { orgEmail: string; readOnly: boolean }) {
  const t = useTranslations('settings.email');
  const locale = useLocale() as 'de' | 'en';
  const fMsg = useFieldMessage();
  const test = useTestSend('/api/settings/email/test');
  const { control, handleSubmit, setError, formState } = useForm({ resolver: testResolver, defaultValues: { to: '' }, ...CHECK_ON_SUBMIT });
  const to = useController({ control, name: 'to' }).field;
  const send = handleSubmit((v) => test.send({ to: v.to, locale }, (e) => setServerFieldErrors(setError, e)), test.refuse);
  return (
    <TestSendCard title={t('testTitle')} intro={t('testIntro')} sendLabel={t('testSend')} readOnly={readOnly} test={test} onSubmit={send}>
      <TextField
        name="testTo"
        type="email"
        label={t('testTo')}
        hint={t('testToHint', { email: orgEmail })}
        value={to.value}
        disabled={readOnly}
        onChange={(e) => to.onChange(e.target.value)}
        error={fMsg(formState.errors.to?.message)}
      />
    </TestSendCard>
  );
}
