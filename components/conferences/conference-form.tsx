'use client';
import { useState } from 'react';
import { useFieldArray, useForm, useWatch } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { SelectField, TextField } from '@/components/ui/field';
import { CHECK_ON_SUBMIT, registerClearing, setServerFieldErrors } from '@/components/ui/form-errors';
import { api, ApiError } from '@/lib/client/api';
import { useKeys } from '@/lib/client/key-store';
import { ZConferenceForm, type TConferenceForm } from '@/lib/conferences/schemas';
import { newConferenceKey, newGuest, sealConferenceRecord, type ConferenceRecord } from '@/lib/protocol/conference';
import { utcToZoned, zonedToUtc } from '@/lib/time/berlin';
import { useErrorMessage, useValidationMessage } from '@/components/ui/use-field-errors';
import { useSession } from '@/components/app/session-context';
import { useMembers } from '@/components/appointments/use-appointments';

const DURATIONS = [15, 30, 45, 60, 90, 120];
const resolver = zodResolver(ZConferenceForm, undefined, { raw: true });

/** A new conference: title, now or later, members to invite, guests by name (each gets a link and a code). */
export function ConferenceForm({ onCreated, onCancel }: { onCreated: (id: string) => void; onCancel: () => void }) {
  const t = useTranslations('conferences');
  const vMsg = useValidationMessage();
  const eMsg = useErrorMessage();
  const keys = useKeys();
  const s = useSession();
  const members = useMembers().filter((m) => m.id !== s.userId);
  const [defaults] = useState<TConferenceForm>(() => ({
    title: '',
    note: '',
    when: 'now',
    date: utcToZoned(new Date()).date,
    time: '09:00',
    durationMin: '60',
    memberIds: [],
    guests: [],
  }));
  const form = useForm({ resolver, defaultValues: defaults, ...CHECK_ON_SUBMIT });
  const { handleSubmit, setError, control } = form;
  const guests = useFieldArray({ control, name: 'guests' });
  const field = registerClearing(form);
  const errors = form.formState.errors;
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const when = useWatch({ control, name: 'when' });
  if (!keys?.orgKey) return null;
  const orgKey = keys.orgKey;

  const submit = async (f: TConferenceForm) => {
    setBusy(true);
    setFailure(null);
    try {
      const id = crypto.randomUUID();
      const key = newConferenceKey();
      const made = await Promise.all(f.guests.map((g) => newGuest(id, g.name.trim(), key)));
      const record: ConferenceRecord = { title: f.title.trim(), note: f.note, guests: made.map((m) => m.guest), key };
      const startsAt = f.when === 'now' ? new Date() : zonedToUtc(f.date, f.time);
      await api('/api/conferences', {
        body: {
          id,
          startsAt: startsAt.toISOString(),
          durationMin: Number(f.durationMin),
          recordEnc: sealConferenceRecord(orgKey, s.orgId, id, record),
          memberIds: f.memberIds,
          guests: made.map((m) => m.wire),
        },
      });
      onCreated(id);
    } catch (e) {
      setServerFieldErrors(setError, e);
      setFailure(eMsg(e instanceof ApiError ? e.code : 'internal'));
      setBusy(false);
    }
  };

  return (
    <Card>
      <form onSubmit={handleSubmit(submit)} noValidate className="space-y-6" aria-label={t('newTitle')}>
        <h2 className="text-lg font-semibold">{t('newTitle')}</h2>
        {failure && <Alert tone="error">{failure}</Alert>}
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label={t('titleLabel')} {...field('title')} error={vMsg(errors.title?.message)} required autoComplete="off" className="sm:col-span-2" />
          <fieldset className="sm:col-span-2">
            <legend className="text-sm font-medium text-slate-800">{t('when')}</legend>
            <div className="mt-2 flex flex-wrap gap-4 text-sm">
              <label className="flex items-center gap-2">
                <input type="radio" value="now" {...form.register('when')} /> {t('now')}
              </label>
              <label className="flex items-center gap-2">
                <input type="radio" value="later" {...form.register('when')} /> {t('later')}
              </label>
            </div>
          </fieldset>
          {when === 'later' && (
            <>
              <TextField label={t('date')} type="date" {...field('date')} error={vMsg(errors.date?.message)} required />
              <TextField label={t('time')} type="time" step={300} {...field('time')} error={vMsg(errors.time?.message)} required />
            </>
          )}
          <SelectField label={t('duration')} {...field('durationMin')} options={DURATIONS.map((d) => ({ value: String(d), label: t('minutes', { min: d }) }))} />
        </div>
        <fieldset>
          <legend className="text-base font-semibold">{t('members')}</legend>
          {members.length === 0 ? (
            <p className="mt-1 text-sm text-slate-600">{t('noMembers')}</p>
          ) : (
            <ul className="mt-2 grid gap-2 sm:grid-cols-2">
              {members.map((m) => (
                <li key={m.id}>
                  <label className="flex items-center gap-2 text-sm">
                    <input type="checkbox" value={m.id} {...form.register('memberIds')} data-testid="invite-member" data-name={m.shortName} /> {m.shortName}
                  </label>
                </li>
              ))}
            </ul>
          )}
        </fieldset>
        <fieldset>
          <legend className="text-base font-semibold">{t('guests')}</legend>
          <p className="mt-1 text-sm text-slate-600">{t('guestsIntro')}</p>
          <ul className="mt-2 space-y-2">
            {guests.fields.map((g, i) => (
              <li key={g.id} className="flex items-end gap-2">
                <TextField
                  label={t('guestName', { n: i + 1 })}
                  {...field(`guests.${i}.name` as const)}
                  error={vMsg(errors.guests?.[i]?.name?.message)}
                  autoComplete="off"
                  className="flex-1"
                  data-testid="guest-name"
                />
                <Button type="button" variant="secondary" onClick={() => guests.remove(i)}>
                  {t('removeGuest')}
                </Button>
              </li>
            ))}
          </ul>
          <Button type="button" variant="ghost" className="mt-2" onClick={() => guests.append({ name: '' })} data-testid="add-guest">
            + {t('addGuest')}
          </Button>
        </fieldset>
        <div>
          <label htmlFor="conference-note" className="block text-sm font-medium text-slate-800">
            {t('note')}
          </label>
          <textarea id="conference-note" rows={2} {...field('note')} className="mt-1 block w-full rounded-md px-3 py-2 text-sm ring-1 ring-slate-300 focus:ring-2 focus:ring-brand-600" />
        </div>
        <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-emerald-200">🔒 {t('e2eHint')}</p>
        <div className="flex flex-wrap gap-3">
          <Button type="submit" pending={busy} disabled={busy} data-testid="create-conference">
            {t('create')}
          </Button>
          <Button type="button" variant="secondary" onClick={onCancel}>
            {t('cancel')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
