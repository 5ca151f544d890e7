'use client';
import { useEffect, useId, useState } from 'react';
import { useController, useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslations } from 'next-intl';
import { Card } from '@/components/ui/card';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useErrorMessage } from '@/components/ui/use-field-errors';
import { CHECK_ON_SUBMIT, setServerFieldErrors } from '@/components/ui/form-errors';
import { useSession } from '@/components/app/session-context';
import { api, ApiError, errorCode } from '@/lib/client/api';
import { ZStudySettings, type TStudySettings } from '@/lib/studies/schemas';
import type { OrgStudies } from './list/month-quota';

/** What the days field offers when automatic deletion is first chosen. */
const SUGGESTED_DAYS = 30;

const asDays = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

function RetentionForm({ initial, isAdmin }: { initial: number | null; isAdmin: boolean }) {
  const t = useTranslations('studyList.retention');
  const eMsg = useErrorMessage();
  const id = useId();
  const form = useForm<TStudySettings>({ resolver: zodResolver(ZStudySettings), defaultValues: { retentionDays: initial }, ...CHECK_ON_SUBMIT });
  const { field, fieldState } = useController({ control: form.control, name: 'retentionDays' });
  // The typed text stays while "keep" is chosen, so switching back restores it.
  const [days, setDays] = useState(String(initial ?? SUGGESTED_DAYS));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const keep = field.value === null;
  const choose = (value: number | null) => {
    field.onChange(value);
    form.clearErrors('retentionDays');
    setSaved(false);
  };
  const submit = form.handleSubmit(async (v) => {
    setError(null);
    setSaved(false);
    try {
      await api('/api/org/studies', { method: 'PUT', body: v });
      form.reset(v);
      setSaved(true);
    } catch (e) {
      if (e instanceof ApiError && e.fields) setServerFieldErrors(form.setError, e);
      else setError(errorCode(e));
    }
  });
  const daysError = fieldState.error ? t('daysInvalid') : undefined;

  return (
    <form onSubmit={submit} noValidate className="mt-4 space-y-4">
      <fieldset disabled={!isAdmin} className="space-y-3 text-sm text-slate-800">
        <legend className="sr-only">{t('title')}</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name={`${id}-mode`} checked={keep} onChange={() => choose(null)} className="h-4 w-4 accent-brand-600" />
          {t('keep')}
        </label>
        <div className="flex flex-wrap items-center gap-2">
          <input
            type="radio"
            id={`${id}-auto`}
            name={`${id}-mode`}
            checked={!keep}
            onChange={() => choose(asDays(days))}
            aria-labelledby={`${id}-auto-text`}
            className="h-4 w-4 accent-brand-600"
          />
          <span id={`${id}-auto-text`} className="flex flex-wrap items-center gap-2">
            {t.rich('auto', {
              l: (chunks) => <label htmlFor={`${id}-auto`}>{chunks}</label>,
              days: () => (
                <input
                  type="number"
                  inputMode="numeric"
                  value={days}
                  onChange={(e) => {
                    setDays(e.target.value);
                    choose(asDays(e.target.value));
                  }}
                  onFocus={() => keep && choose(asDays(days))}
                  aria-label={t('daysLabel')}
                  aria-invalid={daysError ? true : undefined}
                  aria-describedby={daysError ? `${id}-error` : `${id}-hint`}
                  className={`w-24 rounded-md border-0 px-3 py-1.5 text-slate-900 shadow-sm ring-1 ring-inset focus:ring-2 focus:ring-inset ${daysError ? 'ring-red-600 focus:ring-red-600' : 'ring-slate-300 focus:ring-brand-600'}`}
                />
              ),
            })}
          </span>
        </div>
        {daysError ? (
          <p id={`${id}-error`} className="text-sm text-red-700" role="alert">
            {daysError}
          </p>
        ) : (
          <p id={`${id}-hint`} className="text-xs text-slate-600">
            {t('hint')}
          </p>
        )}
      </fieldset>
      {error && <Alert tone="error">{eMsg(error)}</Alert>}
      {saved && !error && <Alert tone="success">{t('saved')}</Alert>}
      {isAdmin ? (
        <Button type="submit" variant="secondary" pending={form.formState.isSubmitting}>
          {t('save')}
        </Button>
      ) : (
        <p className="text-sm text-slate-600">{t('readOnly')}</p>
      )}
    </form>
  );
}

/** How long received studies are kept: until deleted, or deleted automatically after some days. Admins change it. */
export function RetentionCard() {
  const t = useTranslations('studyList.retention');
  const eMsg = useErrorMessage();
  const { role } = useSession();
  const [data, setData] = useState<OrgStudies | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api<OrgStudies>('/api/org/studies')
      .then((r) => live && setData(r))
      .catch((e: unknown) => live && setError(errorCode(e)));
    return () => {
      live = false;
    };
  }, []);
  return (
    <Card>
      <h2 className="text-base font-semibold text-slate-900">{t('title')}</h2>
      <p className="mt-1 text-sm text-slate-600">{t('intro')}</p>
      {error && (
        <Alert tone="error" className="mt-4">
          {eMsg(error)}
        </Alert>
      )}
      {!data && !error && <p className="mt-4 text-sm text-slate-600">{t('loading')}</p>}
      {data && <RetentionForm initial={data.retentionDays} isAdmin={role !== 'member'} />}
    </Card>
  );
}
