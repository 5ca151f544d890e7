'use client';
import { useEffect, useMemo, useState } from 'react';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useFormatter, useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { Card } from '@/components/ui/card';
import { api } from '@/lib/client/api';
import { patientLink } from '@/lib/protocol/appointments';
import type { IceSetup } from '@/lib/client/peer-link';
import { signalKey } from '@/lib/protocol/video';
import { errorText, useErrorMessage } from '@/components/ui/use-field-errors';
import { DeviceCheck } from '@/components/video/device-check';
import { CallView, chime, type CallSetup } from '@/components/video/call-view';
import { useAppointment, useWaitingRooms } from './use-appointments';
import { InvitePanel } from './invite-panel';

type HostEntry = IceSetup & { token: string; participantId: string; role: 'host'; appointmentId: string; screenSharing: boolean };

export function AppointmentDetail({ id }: { id: string }) {
  const t = useTranslations('appointments');
  const eMsg = useErrorMessage();
  const format = useFormatter();
  const { appointment: a, error, reload } = useAppointment(id);
  const rooms = useWaitingRooms();
  const waiting = rooms.find((r) => r.appointmentId === id && r.state === 'waiting');
  const [room, setRoom] = useState<'closed' | 'check' | 'open'>('closed');
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [setup, setSetup] = useState<CallSetup | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  // Set by the edit form when moving the appointment withdrew messages that carried the old time.
  const search = useSearchParams();
  const withdrawn = Number(search.get('zurueckgezogen') ?? '0');
  const followed = Number(search.get('nachgefuehrt') ?? '0');
  // What became of the patient's messages when the appointment was cancelled here.
  const [cancelNotice, setCancelNotice] = useState<{ notified: number; notNotified: number } | null>(null);
  // A call without camera and microphone still receives; MediaStream exists only in the browser.
  const local = useMemo(() => stream ?? (typeof MediaStream === 'undefined' ? null : new MediaStream()), [stream]);
  useEffect(() => () => stream?.getTracks().forEach((tr) => tr.stop()), [stream]);

  // A chime for each new waiting patient while the room is closed (not for every refresh of the same one).
  const waitingId = waiting?.participantId ?? null;
  useEffect(() => {
    if (waitingId && room === 'closed') chime();
  }, [waitingId, room]);

  if (error) return <Alert tone="error">{error}</Alert>;
  if (!a) return <p className="text-slate-600">{t('loading')}</p>;
  const r = a.record;
  if (!r) return <Alert tone="error">{t('unreadable')}</Alert>;
  const link = patientLink(window.location.origin, r.patientCode);
  const cancelled = a.state === 'cancelled';

  const openRoom = async () => {
    setBusy(true);
    setActionError(null);
    try {
      const h = await api<HostEntry>(`/api/appointments/${id}/host`, { body: {} });
      setSetup({
        role: 'host',
        token: h.token,
        participantId: h.participantId,
        appointmentId: id,
        key: signalKey(r.patientCode, id),
        ice: { iceServers: h.iceServers, iceTransportPolicy: h.iceTransportPolicy },
        screenSharing: h.screenSharing,
      });
      setRoom('open');
    } catch (e) {
      setActionError(errorText(eMsg, e));
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => {
    setBusy(true);
    setActionError(null);
    try {
      const res = await api<{ patientsNotified: number; patientsNotNotified: number }>(`/api/appointments/${id}/cancel`, { body: {} });
      setCancelNotice({ notified: res.patientsNotified, notNotified: res.patientsNotNotified });
      setConfirmCancel(false);
      reload();
    } catch (e) {
      setActionError(errorText(eMsg, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="space-y-6">
      {followed > 0 && (
        <Alert tone="info">
          <span data-testid="messages-followed">{t('messagesFollowed', { count: followed })}</span>
        </Alert>
      )}
      {withdrawn > 0 && (
        <Alert tone="warning">
          <span data-testid="messages-withdrawn">{t('messagesWithdrawn', { count: withdrawn })}</span>
        </Alert>
      )}
      {cancelNotice && cancelNotice.notified > 0 && (
        <Alert tone="info">
          <span data-testid="cancel-notified">{t('cancelNotified', { count: cancelNotice.notified })}</span>
        </Alert>
      )}
      {cancelNotice && cancelNotice.notNotified > 0 && (
        <Alert tone="warning">
          <span data-testid="cancel-not-notified">{t('cancelNotNotified', { count: cancelNotice.notNotified })}</span>
        </Alert>
      )}
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm text-slate-600">
            <Link href="/app/termine" className="underline">
              {t('title')}
            </Link>
          </p>
          <h1 className="text-2xl font-semibold" data-testid="appointment-patient">
            {r.patientName}
          </h1>
          <p className="text-slate-700">
            {format.dateTime(new Date(a.startsAt), { dateStyle: 'full', timeStyle: 'short' })} · {t('minutes', { min: a.durationMin })}
            {a.holderShortName ? ` · ${a.holderShortName}` : ''}
          </p>
          {cancelled && (
            <p className="mt-1 inline-block rounded bg-red-50 px-2 py-0.5 text-sm font-semibold text-red-800 ring-1 ring-red-200" data-testid="appointment-state">
              {t('state.cancelled')}
            </p>
          )}
        </div>
        {!cancelled && room !== 'open' && (
          <div className="flex flex-wrap gap-2">
            <Link href={`/app/termine/${id}/bearbeiten`} className="rounded-md bg-white px-4 py-2 text-sm font-semibold text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50">
              {t('edit')}
            </Link>
            <Button type="button" variant="danger" onClick={() => setConfirmCancel(true)}>
              {t('cancel')}
            </Button>
          </div>
        )}
      </div>
      {actionError && <Alert tone="error">{actionError}</Alert>}
      {confirmCancel && (
        <Alert tone="warning" title={t('cancelConfirmTitle')}>
          <p>{t('cancelConfirmBody')}</p>
          <div className="mt-3 flex gap-2">
            <Button type="button" variant="danger" pending={busy} disabled={busy} onClick={() => void cancel()} data-testid="confirm-cancel">
              {t('cancelConfirm')}
            </Button>
            <Button type="button" variant="secondary" onClick={() => setConfirmCancel(false)}>
              {t('keep')}
            </Button>
          </div>
        </Alert>
      )}

      {!cancelled && (
        <Card>
          <h2 className="text-lg font-semibold">{t('roomTitle')}</h2>
          {room === 'closed' && (
            <>
              {waiting ? (
                <p className="mt-2 rounded-md bg-amber-50 px-3 py-2 font-semibold text-amber-900 ring-2 ring-amber-400 motion-safe:animate-pulse" role="status" data-testid="patient-waiting">
                  🔔 {t('patientWaiting')}
                </p>
              ) : (
                <p className="mt-1 text-sm text-slate-600">{t('roomIntro')}</p>
              )}
              <Button type="button" className="mt-4" onClick={() => setRoom('check')} data-testid="open-room">
                {t('openRoom')}
              </Button>
            </>
          )}
          {room === 'check' && (
            <div className="mt-3 space-y-4">
              <DeviceCheck onStream={setStream} />
              <div className="flex gap-2">
                <Button type="button" pending={busy} disabled={busy} onClick={() => void openRoom()} data-testid="enter-room">
                  {t('enterRoom')}
                </Button>
                <Button
                  type="button"
                  variant="secondary"
                  onClick={() => {
                    stream?.getTracks().forEach((tr) => tr.stop());
                    setRoom('closed');
                  }}
                >
                  {t('back')}
                </Button>
              </div>
            </div>
          )}
          {room === 'open' && setup && (
            <div className="mt-3">
              <CallView
                setup={setup}
                local={local!}
                peerName={r.patientName}
                onEnded={() => {
                  stream?.getTracks().forEach((tr) => tr.stop());
                  setStream(null);
                  setSetup(null);
                  setRoom('closed');
                }}
              />
            </div>
          )}
        </Card>
      )}

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="text-lg font-semibold">{t('patient')}</h2>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-slate-600">{t('patientName')}</dt>
            <dd>{r.patientName}</dd>
            <dt className="text-slate-600">{t('birthDate')}</dt>
            <dd>{r.birthDate ? format.dateTime(new Date(`${r.birthDate}T12:00:00Z`), { dateStyle: 'medium' }) : '–'}</dd>
            <dt className="text-slate-600">{t('phone')}</dt>
            <dd>{r.phone || '–'}</dd>
            <dt className="text-slate-600">{t('email')}</dt>
            <dd>{r.email || '–'}</dd>
            <dt className="text-slate-600">{t('note')}</dt>
            <dd className="whitespace-pre-wrap">{r.note || '–'}</dd>
          </dl>
        </Card>
        <Card>
          <h2 className="text-lg font-semibold">{t('codesTitle')}</h2>
          <p className="mt-1 text-sm text-slate-600">{t('codesIntro')}</p>
          <dl className="mt-3 space-y-3 text-sm">
            <div>
              <dt className="font-medium">{t('doctorCode')}</dt>
              <dd className="font-mono text-lg tracking-widest" data-testid="doctor-code">
                {r.doctorCode}
              </dd>
            </div>
            <div>
              <dt className="font-medium">{t('patientCode')}</dt>
              <dd className="font-mono text-lg tracking-widest" data-testid="patient-code">
                {r.patientCode}
              </dd>
            </div>
            <div>
              <dt className="font-medium">{t('patientLink')}</dt>
              <dd className="flex flex-wrap items-center gap-2">
                <code className="break-all rounded bg-slate-100 px-2 py-1" data-testid="patient-link">
                  {link}
                </code>
                <CopyButton text={link} label={t('copyLink')} />
              </dd>
            </div>
          </dl>
        </Card>
      </div>
      {!cancelled && <InvitePanel appointment={a} record={r} link={link} />}
    </div>
  );
}
