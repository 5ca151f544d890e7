'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { normalizeContactPhone } from '@/lib/sms/phone';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, PageTitle } from '@/components/ui/card';
import { SelectField, TextField } from '@/components/ui/field';
import { api, ApiError } from '@/lib/client/api';
import { newCodes, sealRecord, type PatientRecord } from '@/lib/client/appointments';
import { useKeys } from '@/lib/client/key-store';
import { utcToZoned, zonedToUtc } from '@/lib/time/berlin';
import { useErrorMessage } from '@/components/ui/use-field-errors';
import { useSession } from '@/components/app/session-context';
import { useMembers, type Appointment } from './use-appointments';

const DURATIONS = [10, 15, 20, 30, 45, 60, 90];

type Form = { date: string; time: string; durationMin: string; holderId: string; patientName: string; birthDate: string; phone: string; email: string; note: string };

export function validateAppointment(f: Form, now: Date = new Date()): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.date)) errors.date = 'required';
  if (!/^\d{2}:\d{2}$/.test(f.time)) errors.time = 'required';
  if (!f.patientName.trim()) errors.patientName = 'required';
  if (f.patientName.length > 200) errors.patientName = 'tooLong';
  if (f.birthDate) {
    const b = new Date(`${f.birthDate}T00:00:00Z`);
    if (Number.isNaN(b.getTime()) || b > now || b.getUTCFullYear() < 1900) errors.birthDate = 'birthDateInvalid';
  }
  if (f.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email.trim())) errors.email = 'invalidEmail';
  if (f.phone.trim() && !normalizeContactPhone(f.phone)) errors.phone = 'invalidPhone';
  if (f.note.length > 4000) errors.note = 'tooLong';
  if (!f.holderId) errors.holderId = 'required';
  return errors;
}

export function AppointmentForm({ existing, defaultDate }: { existing?: Appointment; defaultDate?: string }) {
  const t = useTranslations('appointments');
  const tv = useTranslations('validation');
  const eMsg = useErrorMessage();
  const router = useRouter();
  const keys = useKeys();
  const s = useSession();
  const members = useMembers();
  const start = existing ? utcToZoned(new Date(existing.startsAt)) : null;
  const [f, setF] = useState<Form>({
    date: start?.date ?? defaultDate ?? utcToZoned(new Date()).date,
    time: start?.time ?? '09:00',
    durationMin: String(existing?.durationMin ?? 15),
    holderId: existing?.holderId ?? s.userId,
    patientName: existing?.record?.patientName ?? '',
    birthDate: existing?.record?.birthDate ?? '',
    phone: existing?.record?.phone ?? '',
    email: existing?.record?.email ?? '',
    note: existing?.record?.note ?? '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof Form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => {
    setF({ ...f, [k]: e.target.value });
    if (errors[k]) setErrors({ ...errors, [k]: '' });
  };
  const err = (k: keyof Form) => (errors[k] ? tv(errors[k] as never) : undefined);

  if (!keys?.orgKey) return null;
  const orgKey = keys.orgKey;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const v = validateAppointment(f);
    setErrors(v);
    if (Object.values(v).some(Boolean)) return;
    setBusy(true);
    setError(null);
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
      if (e2 instanceof ApiError && e2.fields) setErrors(e2.fields);
      setError(eMsg(e2 instanceof ApiError ? e2.code : 'internal'));
      setBusy(false);
    }
  };

  return (
    <div>
      <PageTitle intro={t('formIntro')}>{existing ? t('editTitle') : t('newTitle')}</PageTitle>
      <Card>
        <form onSubmit={submit} noValidate className="space-y-6">
          {error && <Alert tone="error">{error}</Alert>}
          <fieldset className="grid gap-4 sm:grid-cols-4">
            <legend className="mb-2 text-base font-semibold">{t('when')}</legend>
            <TextField label={t('date')} name="date" type="date" value={f.date} onChange={set('date')} error={err('date')} required />
            <TextField label={t('time')} name="time" type="time" step={300} value={f.time} onChange={set('time')} error={err('time')} required />
            <SelectField
              label={t('duration')}
              name="durationMin"
              value={f.durationMin}
              onChange={set('durationMin')}
              options={DURATIONS.map((d) => ({ value: String(d), label: t('minutes', { min: d }) }))}
            />
            <SelectField
              label={t('holder')}
              name="holderId"
              value={f.holderId}
              onChange={set('holderId')}
              error={err('holderId')}
              options={(members.length ? members : [{ id: s.userId, shortName: s.userShortName }]).map((m) => ({ value: m.id, label: m.shortName }))}
              required
            />
          </fieldset>
          <fieldset className="grid gap-4 sm:grid-cols-2">
            <legend className="mb-2 text-base font-semibold">{t('patient')}</legend>
            <TextField label={t('patientName')} name="patientName" value={f.patientName} onChange={set('patientName')} error={err('patientName')} required autoComplete="off" />
            <TextField label={t('birthDate')} name="birthDate" type="date" value={f.birthDate} onChange={set('birthDate')} error={err('birthDate')} autoComplete="off" />
            <TextField label={t('phone')} name="phone" type="tel" value={f.phone} onChange={set('phone')} error={err('phone')} hint={t('phoneHint')} autoComplete="off" />
            <TextField label={t('email')} name="email" type="email" value={f.email} onChange={set('email')} error={err('email')} autoComplete="off" />
            <div className="sm:col-span-2">
              <label htmlFor="appointment-note" className="block text-sm font-medium text-slate-800">
                {t('note')}
              </label>
              <textarea
                id="appointment-note"
                name="note"
                rows={3}
                value={f.note}
                onChange={set('note')}
                className="mt-1 block w-full rounded-md px-3 py-2 text-sm ring-1 ring-slate-300 focus:ring-2 focus:ring-brand-600"
              />
              {errors.note && <p className="mt-1 text-sm text-red-700">{tv(errors.note as never)}</p>}
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
