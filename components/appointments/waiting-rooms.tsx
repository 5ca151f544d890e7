'use client';
import { useEffect, useRef, useState } from 'react';
import { useNow } from '@/lib/client/use-now';
import Link from 'next/link';
import { useFormatter, useTranslations } from 'next-intl';
import { Card } from '@/components/ui/card';
import { chime } from '@/components/video/call-view';
import { useAppointments, useWaitingRooms } from './use-appointments';

/** Dashboard card: who is in the waiting room now, live, with a chime when someone enters. */
export function WaitingRoomsCard() {
  const t = useTranslations('appointments');
  const format = useFormatter();
  const rooms = useWaitingRooms();
  const now = useNow();
  // The window the card loads once: from yesterday to the day after tomorrow, as of the first render.
  const [range] = useState(() => ({ from: new Date(Date.now() - 86400_000), to: new Date(Date.now() + 2 * 86400_000) }));
  const { appointments } = useAppointments(range.from, range.to);
  const waiting = rooms.filter((r) => r.state === 'waiting');
  const seen = useRef(new Set<string>());
  useEffect(() => {
    let fresh = false;
    for (const r of waiting) {
      if (seen.current.has(r.participantId)) continue;
      seen.current.add(r.participantId);
      fresh = true;
    }
    if (fresh) chime();
  }, [waiting]);
  const upcoming = (appointments ?? []).filter((a) => a.state === 'scheduled' && new Date(a.startsAt).getTime() + a.durationMin * 60_000 > now).slice(0, 5);
  return (
    <Card className={waiting.length ? 'ring-2 ring-amber-400' : ''}>
      <h2 className="text-lg font-semibold">{t('waitingRoomTitle')}</h2>
      {waiting.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600" data-testid="waiting-empty">
          {t('waitingEmpty')}
        </p>
      ) : (
        <ul className="mt-2 space-y-2" data-testid="waiting-list">
          {waiting.map((w) => {
            const a = appointments?.find((x) => x.id === w.appointmentId);
            return (
              <li key={w.participantId} className="flex items-center justify-between gap-2 rounded-md bg-amber-50 px-3 py-2 ring-1 ring-amber-300 motion-safe:animate-pulse">
                <span className="text-sm font-semibold text-amber-950">
                  🔔 {a?.record?.patientName ?? t('patientGeneric')} · {t('waitingSince', { time: format.dateTime(new Date(w.since), { hour: '2-digit', minute: '2-digit' }) })}
                </span>
                <Link href={`/app/termine/${w.appointmentId}`} className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700">
                  {t('toAppointment')}
                </Link>
              </li>
            );
          })}
        </ul>
      )}
      <h3 className="mt-4 text-sm font-semibold text-slate-700">{t('nextAppointments')}</h3>
      <ul className="mt-1 space-y-1 text-sm">
        {upcoming.map((a) => (
          <li key={a.id}>
            <Link href={`/app/termine/${a.id}`} className="text-brand-700 underline">
              {format.dateTime(new Date(a.startsAt), { weekday: 'short', hour: '2-digit', minute: '2-digit' })} · {a.record?.patientName ?? t('unreadable')}
            </Link>
          </li>
        ))}
        {appointments && !upcoming.length && <li className="text-slate-600">{t('none')}</li>}
      </ul>
    </Card>
  );
}
