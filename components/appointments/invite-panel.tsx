'use client';
import { useState } from 'react';
import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { CheckboxField, SelectField, TextField } from '@/components/ui/field';
import { normalizePhone } from '@/lib/validation/phone';
import { api, ApiError } from '@/lib/client/api';
import type { PatientRecord } from '@/lib/protocol/appointments';
import { hasFeature } from '@/lib/plans/plans';
import { useErrorMessage } from '@/components/ui/use-field-errors';
import { useSession } from '@/components/app/session-context';
import { CopyButton } from '@/components/ui/copy-button';
import type { Appointment } from './use-appointments';

export function InvitePanel({ appointment: a, record: r, link }: { appointment: Appointment; record: PatientRecord; link: string }) {
  const t = useTranslations('invite_patient');
  const tv = useTranslations('validation');
  const eMsg = useErrorMessage();
  const format = useFormatter();
  const uiLocale = useLocale();
  const s = useSession();
  const plus = hasFeature(s.plan, 'emailInvitation');
  // Konsil-sent messages cost money: members need an admin's permission (the server decides, this explains).
  const allowed = plus && s.mayMessagePatients;
  const [locale, setLocale] = useState<'de' | 'en'>(uiLocale === 'en' ? 'en' : 'de');
  const [channel, setChannel] = useState<'email' | 'sms'>(r.email ? 'email' : 'sms');
  const [to, setTo] = useState(r.email || r.phone || '');
  const [reminders, setReminders] = useState<number[]>([]);
  const [sendNow, setSendNow] = useState(true);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();

  const when = format.dateTime(new Date(a.startsAt), { dateStyle: 'full', timeStyle: 'short' });
  const text = t('manualText', { name: r.patientName, practice: s.orgName, when, link, origin: window.location.origin, code: r.patientCode });
  const subject = t('manualSubject', { practice: s.orgName });
  const mailto = `mailto:${encodeURIComponent(r.email)}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(text)}`;
  const countManual = () => void api(`/api/appointments/${a.id}/invite`, { body: { channel: 'manual' } }).catch(() => {});

  const send = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setResult(null);
    const value = to.trim();
    // The server's rule (Germany as the default country, mobiles in the EU/EEA), so a wrong number is explained first.
    const phone = channel === 'sms' ? normalizePhone(value) : null;
    if (phone && !phone.ok) return setFieldError(tv(phone.error));
    if (channel === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return setFieldError(tv('invalidEmail'));
    if (!sendNow && !reminders.length) return setFieldError(t('nothingSelected'));
    setFieldError(undefined);
    setBusy(true);
    try {
      const res = await api<{ queued: number }>(`/api/appointments/${a.id}/invite`, {
        body: { channel, to: value, code: r.patientCode, locale, reminders, invitation: sendNow },
      });
      setResult(t('queued', { count: res.queued }));
    } catch (e2) {
      if (e2 instanceof ApiError && e2.fields?.to) setFieldError(tv(e2.fields.to as never));
      setError(eMsg(e2 instanceof ApiError ? e2.code : 'internal'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card>
        <h2 className="text-lg font-semibold">{t('manualTitle')}</h2>
        <p className="mt-1 text-sm text-slate-600">{t('manualIntro')}</p>
        <label htmlFor="invite-text" className="sr-only">
          {t('manualTitle')}
        </label>
        <textarea id="invite-text" readOnly rows={10} value={text} className="mt-3 block w-full rounded-md bg-slate-50 px-3 py-2 text-sm ring-1 ring-slate-300" data-testid="manual-invitation" />
        <div className="mt-3 flex flex-wrap gap-2">
          <CopyButton text={text} label={t('copyText')} onCopied={countManual} />
          <a href={mailto} onClick={countManual} className="inline-flex items-center rounded-md bg-white px-4 py-2 text-sm font-semibold text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50">
            {t('openMail')}
          </a>
        </div>
        <p className="mt-2 text-xs text-slate-500">{t('manualPrivacy')}</p>
      </Card>
      <Card>
        <h2 className="text-lg font-semibold">
          {t('konsilTitle')} {!plus && <span className="ml-1 rounded bg-brand-100 px-1.5 text-xs font-bold text-brand-800">plus</span>}
        </h2>
        <p className="mt-1 text-sm text-slate-600">{t('konsilIntro')}</p>
        {!plus && (
          <Alert tone="info" className="mt-3">
            {t('plusOnly')}
          </Alert>
        )}
        {plus && !s.mayMessagePatients && (
          <Alert tone="info" className="mt-3">
            <span data-testid="messaging-not-allowed">{t('notAllowed')}</span>
          </Alert>
        )}
        <form onSubmit={send} noValidate className="mt-3 space-y-3">
          <fieldset disabled={!allowed} className="space-y-3 disabled:opacity-60">
            <div role="radiogroup" aria-label={t('channel')} className="flex gap-4 text-sm">
              {(['email', 'sms'] as const).map((c) => (
                <label key={c} className="flex items-center gap-2">
                  <input
                    type="radio"
                    name="channel"
                    value={c}
                    checked={channel === c}
                    onChange={() => {
                      setChannel(c);
                      setTo(c === 'email' ? r.email : r.phone);
                      setFieldError(undefined);
                    }}
                    className="accent-brand-600"
                  />
                  {t(`via.${c}`)}
                </label>
              ))}
            </div>
            <TextField
              label={channel === 'email' ? t('toEmail') : t('toPhone')}
              name="to"
              type={channel === 'email' ? 'email' : 'tel'}
              value={to}
              onChange={(e) => setTo(e.target.value)}
              error={fieldError}
              hint={channel === 'sms' ? t('phoneHint') : undefined}
              autoComplete="off"
            />
            <SelectField
              label={t('language')}
              name="locale"
              value={locale}
              onChange={(e) => setLocale(e.target.value === 'en' ? 'en' : 'de')}
              options={[
                { value: 'de', label: 'Deutsch' },
                { value: 'en', label: 'English' },
              ]}
            />
            <CheckboxField name="sendNow" label={t('sendNow')} checked={sendNow} onChange={(e) => setSendNow(e.target.checked)} />
            {[24, 1].map((h) => (
              <CheckboxField
                key={h}
                name={`reminder${h}`}
                label={t('reminder', { hours: h })}
                checked={reminders.includes(h)}
                onChange={(e) => setReminders(e.target.checked ? [...reminders, h] : reminders.filter((x) => x !== h))}
              />
            ))}
            <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-amber-200">{t(channel === 'sms' ? 'privacySms' : 'privacyEmail')}</p>
            {error && <Alert tone="error">{error}</Alert>}
            {result && <Alert tone="success">{result}</Alert>}
            <Button type="submit" pending={busy} disabled={busy || !allowed}>
              {channel === 'sms' ? t('sendSms') : t('sendEmail')}
            </Button>
          </fieldset>
        </form>
      </Card>
    </div>
  );
}
