'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { useController, useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { normalizeContactPhone } from '@/lib/validation/phone';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, PageTitle } from '@/components/ui/card';
import { SelectField, TextField } from '@/components/ui/field';
import { CHECK_ON_SUBMIT, registerClearing, setServerFieldErrors } from '@/components/ui/form-errors';
import { api, ApiError } from '@/lib/client/api';
import { ZAppointmentForm, type TAppointmentForm } from '@/lib/appointments/schemas';
import { newCodes, sealRecord, type PatientRecord } from '@/lib/protocol/appointments';
import { useKeys } from '@/lib/client/key-store';
import { utcToZoned, zonedToUtc } from '@/lib/time/berlin';
import { useErrorMessage, useValidationMessage } from '@/components/ui/use-field-errors';
import { useSession } from '@/components/app/session-context';
import { useMembers, type Appointment } from './use-appointments';

const DURATIONS = [10, 15, 20, 30, 45, 60, 90];

const resolver = zodResolver(ZAppointmentForm, undefined, { raw: true });

function initialValues(existing: Appointment | undefined, defaultDate: string | undefined, userId: string): TAppointmentForm {
  const start = existing ? utcToZoned(new Date(existing.startsAt)) : null;
  return {
    date: start?.date ?? defaultDate ?? utcToZoned(new Date()).date,
    time: start?.time ?? '09:00',
    durationMin: String(existing?.durationMin ?? 15),
    holderId: existing?.holderId ?? userId,
    patientName: existing?.record?.patientName ?? '',
    birthDate: existing?.record?.birthDate ?? '',
    phone: existing?.record?.phone ?? '',
    email: existing?.record?.email ?? '',
    note: existing?.record?.note ?? '',
  };
}

export function AppointmentForm({ existing, defaultDate }: { existing?: Appointment; defaultDate?: string }) {
  const t = useTranslations('appointments');
  const vMsg = useValidationMessage();
  const eMsg = useErrorMessage();
  const router = useRouter();
  const keys = useKeys();
  const s = useSession();
  const members = useMembers();
  const [defaults] = useState(() => initialValues(existing, defaultDate, s.userId));
  const form = useForm({ resolver, defaultValues: defaults, ...CHECK_ON_SUBMIT });
  const { control, handleSubmit, setError, clearErrors } = form;
  const errors = form.formState.errors;
  // The holder's options arrive with the members: the select follows the value, as a controlled one does.
  const holder = useController({ control, name: 'holderId' }).field;
  const field = registerClearing(form);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const err = (k: keyof TAppointmentForm) => vMsg(errors[k]?.message);

  if (!keys?.orgKey) return null;
  const orgKey = keys.orgKey;

  const submit = async (f: TAppointmentForm) => {
    setBusy(true);
    setFailure(null);
    try {
      const common = { startsAt: zonedToUtc(f.date, f.time).toISOString(), durationMin: Number(f.durationMin), holderId: f.holderId };
      // Numbers are kept as the world reads them ("+49 171 2345678"), however they were typed.
      const phone = f.phone.trim() ? (normalizeContactPhone(f.phone) ?? f.phone.trim()) : '';
      const patient = { patientName: f.patientName.trim(), birthDate: f.birthDate, phone, email: f.email.trim(), note: f.note };
      if (existing) {
        const record: PatientRecord = { ...existing.record!, ...patient };
        const r = await api<{ withdrawnMessages: number; followedMessages: number }>(`/api/appointments/${existing.id}`, {
          method: 'PATCH',
          body: { ...common, recordEnc: sealRecord(orgKey, s.orgId, existing.id, record) },
        });
        // Messages with the old time were withdrawn and, where Konsil messages the patient, sent anew with the new time:
        // the detail page says which (and offers to invite again what could not follow).
        const q = new URLSearchParams();
        if (r.withdrawnMessages) q.set('zurueckgezogen', String(r.withdrawnMessages));
        if (r.followedMessages) q.set('nachgefuehrt', String(r.followedMessages));
        router.push(`/app/termine/${existing.id}${q.size ? `?${q}` : ''}`);
      } else {
        const id = crypto.randomUUID();
        const codes = await newCodes(id);
        const record: PatientRecord = { ...patient, doctorCode: codes.doctorCode, patientCode: codes.patientCode };
        await api('/api/appointments', {
          body: {
            id,
            ...common,
            recordEnc: sealRecord(orgKey, s.orgId, id, record),
            patientLookup: codes.patientLookup,
            hostLookup: codes.hostLookup,
            hostWrap: codes.hostWrap,
          },
        });
        router.push(`/app/termine/${id}`);
      }
    } catch (e2) {
      setServerFieldErrors(setError, e2);
      setFailure(eMsg(e2 instanceof ApiError ? e2.code : 'internal'));
      setBusy(false);
    }
  };

  return (
    <div>
      <PageTitle intro={t('formIntro')}>{existing ? t('editTitle') : t('newTitle')}</PageTitle>
      <Card>
        <form onSubmit={handleSubmit(submit)} noValidate className="space-y-6">
          {failure && <Alert tone="error">{failure}</Alert>}
          <fieldset className="grid gap-4 sm:grid-cols-4">
            <legend className="mb-2 text-base font-semibold">{t('when')}</legend>
            <TextField label={t('date')} type="date" {...field('date')} error={err('date')} required />
            <TextField label={t('time')} type="time" step={300} {...field('time')} error={err('time')} required />
            <SelectField
              label={t('duration')}
              {...field('durationMin')}
              options={DURATIONS.map((d) => ({ value: String(d), label: t('minutes', { min: d }) }))}
            />
            <SelectField
              label={t('holder')}
              name="holderId"
              value={holder.value}
              onChange={(e) => {
                holder.onChange(e);
                clearErrors('holderId');
              }}
              error={err('holderId')}
              options={(members.length ? members : [{ id: s.userId, shortName: s.userShortName }]).map((m) => ({ value: m.id, label: m.shortName }))}
              required
            />
          </fieldset>
          <fieldset className="grid gap-4 sm:grid-cols-2">
            <legend className="mb-2 text-base font-semibold">{t('patient')}</legend>
            <TextField label={t('patientName')} {...field('patientName')} error={err('patientName')} required autoComplete="off" />
            <TextField label={t('birthDate')} type="date" {...field('birthDate')} error={err('birthDate')} autoComplete="off" />
            <TextField label={t('phone')} type="tel" {...field('phone')} error={err('phone')} hint={t('phoneHint')} autoComplete="off" />
            <TextField label={t('email')} type="email" {...field('email')} error={err('email')} autoComplete="off" />
            <div className="sm:col-span-2">
              <label htmlFor="appointment-note" className="block text-sm font-medium text-slate-800">
                {t('note')}
              </label>
              <textarea
                id="appointment-note"
                rows={3}
                {...field('note')}
                className="mt-1 block w-full rounded-md px-3 py-2 text-sm ring-1 ring-slate-300 focus:ring-2 focus:ring-brand-600"
              />
              {errors.note && <p className="mt-1 text-sm text-red-700">{err('note')}</p>}
            </div>
          </fieldset>
          <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-emerald-200">🔒 {t('e2eHint')}</p>
          <div className="flex flex-wrap gap-3">
            <Button type="submit" pending={busy} disabled={busy}>
              {existing ? t('save') : t('create')}
            </Button>
            <Button type="button" variant="secondary" onClick={() => router.back()}>
              {t('back')}
            </Button>
          </div>
        </form>
      </Card>
    </div>
  );
}
