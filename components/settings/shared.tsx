'use client';
import { useCallback, useEffect, useRef, useState, type FormEventHandler, type ReactNode } from 'react';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { usePathname } from 'next/navigation';
import type { FieldValues, UseFormReturn } from 'react-hook-form';
import { api, errorCode } from '@/lib/client/api';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { registerClearing, setServerFieldErrors } from '@/components/ui/form-errors';
import { errorText, useErrorMessage, useValidationMessage } from '@/components/ui/use-field-errors';

/** Tabs of Einstellungen: E-Mail, SMS, Versandprotokoll. */
export function SettingsTabs() {
  const t = useTranslations('settingsNav');
  const path = usePathname();
  const tabs = [
    { href: '/app/einstellungen/email', label: t('email') },
    { href: '/app/einstellungen/sms', label: t('sms') },
    { href: '/app/einstellungen/versand', label: t('delivery') },
  ];
  return (
    <nav aria-label={t('label')} className="mb-6 border-b border-slate-200">
      <ul className="flex flex-wrap gap-1 text-sm">
        {tabs.map((tab) => {
          const active = path.startsWith(tab.href);
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={active ? 'page' : undefined}
                className={`inline-block border-b-2 px-3 py-2 font-medium ${active ? 'border-brand-600 text-brand-800' : 'border-transparent text-slate-600 hover:text-slate-900'}`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** Field error keys: this area's own texts first, then the shared validation texts. */
export function useFieldMessage() {
  const t = useTranslations('settings.validation');
  const vMsg = useValidationMessage();
  return (key: string | undefined) => (key ? (t.has(key) ? t(key) : vMsg(key)) : undefined);
}

/** A delivery error code ("smtp_password_missing", "smtp: EAUTH 535") in words, with the code for support. */
export function useDeliveryError() {
  const t = useTranslations('messaging.errors');
  return (code: string | null): string => {
    if (!code) return '';
    if (t.has(code)) return t(code);
    const parts = code.split(/[:\s]+/).filter(Boolean);
    const key = [parts.length > 1 ? `${parts[0]}_${parts[1]}` : '', parts[0] ?? ''].find((k) => k && t.has(k));
    return `${t(key ?? 'other')} (${code})`;
  };
}

import type { DeliveryLogEntry as LogEntry } from '@/lib/messaging/service';
export type { LogEntry };

/**
 * Sends a test message through `path` and follows its outbox row until it is
 * sent or failed (or the worker has not got to it within ~30 s). A refused
 * send is said in the outcome; `onRefused` gets what was thrown (its field errors).
 */
export function useTestSend(path: string) {
  const eMsg = useErrorMessage();
  const [busy, setBusy] = useState(false);
  const [state, setState] = useState<{ entry: LogEntry | null; error: string | null; done: boolean } | null>(null);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  const send = useCallback(
    async (body: unknown, onRefused?: (e: unknown) => void) => {
      setBusy(true);
      setState(null);
      try {
        const { id } = await api<{ id: string }>(path, { body });
        setState({ entry: null, error: null, done: false });
        for (let i = 0; i < 20 && alive.current; i++) {
          await new Promise((r) => setTimeout(r, 1500));
          const { messages } = await api<{ messages: LogEntry[] }>(`/api/settings/delivery?id=${id}`);
          const entry = messages[0] ?? null;
          const done = !entry || entry.status === 'sent' || entry.status === 'failed' || entry.status === 'cancelled' || (entry.status === 'pending' && !!entry.lastError);
          if (alive.current) setState({ entry, error: null, done });
          if (done) break;
        }
        if (alive.current) setState((s) => (s ? { ...s, done: true } : s));
      } catch (e) {
        setState({ entry: null, error: errorText(eMsg, e), done: true });
        onRefused?.(e);
      } finally {
        setBusy(false);
      }
    },
    [path, eMsg],
  );
  /** A recipient the form itself finds wrong ends as the server's refusal would, without asking it. */
  const refuse = useCallback(() => setState({ entry: null, error: eMsg('validation'), done: true }), [eMsg]);
  return { busy, state, send, refuse };
}

/** The test-send card of a settings page: the recipient field, the button, the outcome. */
export function TestSendCard({
  title,
  intro,
  sendLabel,
  readOnly,
  test,
  onSubmit,
  children,
}: {
  title: string;
  intro: string;
  sendLabel: string;
  readOnly: boolean;
  test: ReturnType<typeof useTestSend>;
  onSubmit: FormEventHandler<HTMLFormElement>;
  children: ReactNode;
}) {
  return (
    <Card>
      <h2 className="font-semibold">{title}</h2>
      <p className="mt-1 text-sm text-slate-600">{intro}</p>
      <form className="mt-4 space-y-4" noValidate onSubmit={onSubmit}>
        {children}
        <Button type="submit" variant="secondary" pending={test.busy} disabled={readOnly}>
          {sendLabel}
        </Button>
        <TestResult state={test.state} />
      </form>
    </Card>
  );
}

type Resource = { error: string | null; busy: boolean; run: (fn: () => Promise<void>) => Promise<unknown> };

/**
 * A settings form saved through the page's resource: it starts from what the
 * server holds and again after each save reloads it; it is checked with the
 * server's schema (a refusal reads as the server's would) and sent as typed.
 * Editing a field takes its error and the "saved" notice away.
 */
export function useSettingsForm<T extends FieldValues, V>(
  form: UseFormReturn<T, unknown, T>,
  { path, data, toForm, resource }: { path: string; data: V; toForm: (data: V) => T; resource: Resource },
) {
  const eMsg = useErrorMessage();
  const { reset, handleSubmit, setError } = form;
  const [saved, setSaved] = useState(false);
  const [refused, setRefused] = useState(false);
  useEffect(() => {
    reset(toForm(data));
  }, [reset, toForm, data]);
  const edited = () => setSaved(false);
  const save = handleSubmit(
    (values) => {
      setRefused(false);
      void resource.run(async () => {
        try {
          await api(path, { body: values });
          setSaved(true);
        } catch (e) {
          setServerFieldErrors(setError, e);
          throw e;
        }
      });
    },
    () => setRefused(true),
  );
  return { field: registerClearing(form, edited), edited, save, saved, error: refused ? eMsg('validation') : resource.error };
}

/** Under a settings form: what went wrong or that it is saved, and the button (for those who may change it). */
export function SaveFooter({ error, saved, busy, readOnly }: { error: string | null; saved: boolean; busy: boolean; readOnly: boolean }) {
  const t = useTranslations('settings');
  return (
    <>
      {error && <Alert tone="error">{error}</Alert>}
      {saved && <Alert tone="success">{t('saved')}</Alert>}
      {!readOnly && (
        <Button type="submit" pending={busy}>
          {t('save')}
        </Button>
      )}
    </>
  );
}

/** The outcome of a test send, in words. */
export function TestResult({ state }: { state: ReturnType<typeof useTestSend>['state'] }) {
  const t = useTranslations('settings.test');
  const errorText = useDeliveryError();
  if (!state) return null;
  if (state.error) return <Alert tone="error">{state.error}</Alert>;
  const e = state.entry;
  let body: React.ReactNode;
  let tone: 'info' | 'success' | 'error' | 'warning' = 'info';
  if (e?.status === 'sent') {
    tone = 'success';
    body = t('sent');
  } else if (e?.status === 'failed') {
    tone = 'error';
    body = t('failed', { error: errorText(e.lastError) });
  } else if (e?.status === 'pending' && e.lastError) {
    tone = 'warning';
    body = t('waiting', { error: errorText(e.lastError) });
  } else body = state.done ? t('stillPending') : t('queued');
  return (
    <Alert tone={tone}>
      <p data-testid="test-result">{body}</p>
      {state.done && e?.status !== 'sent' && (
        <Link href="/app/einstellungen/versand" className="mt-1 inline-block font-medium underline">
          {t('toLog')}
        </Link>
      )}
    </Alert>
  );
}

/** How much of the plan's sending quota for patient messages the organisation has used. */
export function QuotaLine({ channel, quota }: { channel: 'sms' | 'email'; quota: { perHour: number; perMonth: number; usedHour: number; usedMonth: number } }) {
  const t = useTranslations('settings');
  const full = quota.usedMonth >= quota.perMonth || quota.usedHour >= quota.perHour;
  return (
    <p className={`mb-4 rounded-md px-3 py-2 text-sm ring-1 ${full ? 'bg-amber-50 text-amber-900 ring-amber-300' : 'bg-slate-50 text-slate-700 ring-slate-200'}`} data-testid={`quota-${channel}`}>
      {t(`quota.${channel}`, quota)}
      {full && ` ${t('quota.full')}`}
    </p>
  );
}

/** Paid sending waits for the organisation's confirmed address; an admin can have the link sent again. */
export function UnconfirmedEmail({ email, canEdit }: { email: string; canEdit: boolean }) {
  const t = useTranslations('settings');
  const eMsg = useErrorMessage();
  const [state, setState] = useState<'idle' | 'busy' | 'sent' | string>('idle');
  const resend = () => {
    setState('busy');
    api('/api/org/confirm-email/resend', { body: {} })
      .then(() => setState('sent'))
      .catch((e) => setState(eMsg(errorCode(e))));
  };
  return (
    <Alert tone="warning" className="mb-4">
      <span data-testid="email-unconfirmed">{t('emailUnconfirmed', { email })}</span>
      {canEdit && (
        <span className="mt-2 block">
          {state === 'sent' ? (
            t('confirmationSent')
          ) : (
            <button type="button" className="font-semibold underline" disabled={state === 'busy'} onClick={resend}>
              {t('resendConfirmation')}
            </button>
          )}
          {state !== 'idle' && state !== 'busy' && state !== 'sent' && <span className="block">{state}</span>}
        </span>
      )}
    </Alert>
  );
}
