'use client';
import { useState } from 'react';
import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { Card, PageTitle } from '@/components/ui/card';
import { CheckboxField, SelectField, TextField } from '@/components/ui/field';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/alert';
import { api, ApiError } from '@/lib/client/api';
import { effectiveSecurity, SMTP_PRESETS, type SmtpSecurity } from '@/lib/mail/smtp-rules';
import { useApiResource } from '@/components/app/use-api-resource';
import type { MailSettingsView } from '@/lib/messaging/service';
import { QuotaLine, TestResult, UnconfirmedEmail, useFieldMessage, useTestSend } from './shared';

// The wire type is the server's own (a type-only import: nothing server-side reaches the bundle).
type View = MailSettingsView;

type Form = {
  transport: 'konsil' | 'smtp';
  smtpHost: string;
  smtpPort: string;
  smtpSecurity: SmtpSecurity;
  fromAddress: string;
  username: string;
  password: string;
  passwordValidity: '1d' | '7d' | '30d';
  clearPassword: boolean;
  bcc: string;
};

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

export function EmailSettingsClient() {
  const t = useTranslations('settings.email');
  const ts = useTranslations('settings');
  const format = useFormatter();
  const locale = useLocale() as 'de' | 'en';
  const fMsg = useFieldMessage();
  const { data, error, busy, run } = useApiResource<View>('/api/settings/email');
  const [form, setForm] = useState<Form | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const [testTo, setTestTo] = useState('');
  const test = useTestSend('/api/settings/email/test');

  // The form starts from what the server holds, and again after each save reloads it.
  const [formOf, setFormOf] = useState<View | null>(null);
  if (data && data !== formOf) {
    setFormOf(data);
    setForm(toForm(data));
  }

  if (!data || !form) {
    return (
      <div>
        <PageTitle intro={t('intro')}>{t('title')}</PageTitle>
        {error && <Alert tone="error">{error}</Alert>}
      </div>
    );
  }
  const readOnly = !data.canEdit;
  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    setForm((f) => (f ? { ...f, [k]: v } : f));
    setFields((o) => ({ ...o, [k]: '' }));
    setSaved(false);
  };
  const port = Number(form.smtpPort);
  const effective = Number.isInteger(port) && port > 0 ? effectiveSecurity(port, form.smtpSecurity) : null;

  const save = (e: React.FormEvent) => {
    e.preventDefault();
    setFields({});
    void run(async () => {
      try {
        await api('/api/settings/email', { body: { ...form, smtpPort: form.smtpPort } });
        setSaved(true);
      } catch (err) {
        if (err instanceof ApiError && err.fields) setFields(err.fields);
        throw err;
      }
    });
  };

  const applyPreset = (id: string) => {
    const p = SMTP_PRESETS.find((x) => x.id === id);
    if (!p) return;
    setForm((f) => (f ? { ...f, smtpHost: p.host, smtpPort: String(p.port), smtpSecurity: 'auto' } : f));
    setSaved(false);
  };

  const smtp = form.transport === 'smtp';
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
          <form onSubmit={save} className="space-y-4" noValidate aria-label={t('title')}>
            <fieldset disabled={readOnly} className="space-y-4">
              <SelectField
                name="transport"
                label={t('transport')}
                value={form.transport}
                onChange={(e) => set('transport', e.target.value as Form['transport'])}
                options={[
                  { value: 'konsil', label: t('transportKonsil') },
                  { value: 'smtp', label: t('transportSmtp') },
                ]}
              />
              {smtp && (
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
                    <TextField className="sm:col-span-2" name="smtpHost" label={t('host')} required autoComplete="off" value={form.smtpHost} onChange={(e) => set('smtpHost', e.target.value)} error={fMsg(fields.smtpHost)} />
                    <TextField name="smtpPort" label={t('port')} required inputMode="numeric" value={form.smtpPort} onChange={(e) => set('smtpPort', e.target.value)} error={fMsg(fields.smtpPort)} />
                  </div>
                  <SelectField
                    name="smtpSecurity"
                    label={t('security')}
                    value={form.smtpSecurity}
                    onChange={(e) => set('smtpSecurity', e.target.value as SmtpSecurity)}
                    hint={effective ? t(effective === 'tls' ? 'effectiveTls' : 'effectiveStarttls') : undefined}
                    options={[
                      { value: 'auto', label: t('securityAuto') },
                      { value: 'tls', label: t('securityTls') },
                      { value: 'starttls', label: t('securityStarttls') },
                    ]}
                  />
                  <TextField name="fromAddress" type="email" label={t('from')} required value={form.fromAddress} onChange={(e) => set('fromAddress', e.target.value)} error={fMsg(fields.fromAddress)} />
                  <TextField name="username" label={t('username')} hint={t('usernameHint')} autoComplete="off" value={form.username} onChange={(e) => set('username', e.target.value)} error={fMsg(fields.username)} />
                  {form.username && (
                    <>
                      <p className="text-sm" data-testid="password-state">
                        {data.hasPassword && data.passwordExpiresAt
                          ? t('passwordStored', { date: format.dateTime(new Date(data.passwordExpiresAt), { dateStyle: 'medium', timeStyle: 'short' }) })
                          : t('passwordNone')}
                      </p>
                      <div className="grid gap-4 sm:grid-cols-2">
                        <TextField
                          name="password"
                          type="password"
                          autoComplete="new-password"
                          label={t('password')}
                          hint={data.hasPassword ? t('passwordKeep') : undefined}
                          value={form.password}
                          onChange={(e) => set('password', e.target.value)}
                          error={fMsg(fields.password)}
                        />
                        <SelectField
                          name="passwordValidity"
                          label={t('validity')}
                          value={form.passwordValidity}
                          onChange={(e) => set('passwordValidity', e.target.value as Form['passwordValidity'])}
                          options={[
                            { value: '1d', label: t('validity1d') },
                            { value: '7d', label: t('validity7d') },
                            { value: '30d', label: t('validity30d') },
                          ]}
                        />
                      </div>
                      {data.hasPassword && (
                        <CheckboxField name="clearPassword" label={t('clearPassword')} checked={form.clearPassword} onChange={(e) => set('clearPassword', e.target.checked)} />
                      )}
                      <p className="text-xs text-slate-600">{t('passwordRule')}</p>
                    </>
                  )}
                </div>
              )}
              <TextField name="bcc" type="email" label={t('bcc')} hint={t('bccHint')} value={form.bcc} onChange={(e) => set('bcc', e.target.value)} error={fMsg(fields.bcc)} />
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
          <form
            className="mt-4 space-y-4"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void test.send({ to: testTo, locale });
            }}
          >
            <TextField
              name="testTo"
              type="email"
              label={t('testTo')}
              hint={t('testToHint', { email: data.orgEmail })}
              value={testTo}
              disabled={readOnly}
              onChange={(e) => setTestTo(e.target.value)}
              error={fMsg(test.state?.fields.to)}
            />
            <Button type="submit" variant="secondary" pending={test.busy} disabled={readOnly}>
              {t('testSend')}
            </Button>
            <TestResult state={test.state} />
          </form>
        </Card>
      </div>
    </div>
  );
}
