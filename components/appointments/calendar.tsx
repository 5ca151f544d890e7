'use client';
import { useEffect, useMemo, useRef, useState } from 'react';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useFormatter, useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { PageTitle } from '@/components/ui/card';
import { DataTable } from '@/components/ui/table';
import { utcToZoned, zonedToUtc } from '@/lib/time/berlin';
import { addDays, startOfWeek } from '@/lib/time/calendar';
import { useAppointments, useWaitingRooms, type Appointment } from './use-appointments';

type View = 'day' | 'week' | 'list';

function todayBerlin(): string {
  return utcToZoned(new Date()).date;
}

export function AppointmentCalendar() {
  const t = useTranslations('appointments');
  const format = useFormatter();
  const router = useRouter();
  const params = useSearchParams();
  const view: View = (['day', 'week', 'list'] as const).find((v) => v === params.get('view')) ?? 'week';
  const today = todayBerlin();
  const anchor = /^\d{4}-\d{2}-\d{2}$/.test(params.get('date') ?? '') ? params.get('date')! : today;
  // The day with keyboard focus, for the week (or day) shown: another anchor starts on the anchor.
  const [focus, setFocus] = useState({ anchor, day: anchor });
  const focusDay = focus.anchor === anchor ? focus.day : anchor;
  const setFocusDay = (day: string) => setFocus({ anchor, day });

  const monday = startOfWeek(anchor);
  const days = view === 'day' ? [anchor] : Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const daysShown = days.join(',');
  const from = view === 'list' ? zonedToUtc(today, '00:00') : zonedToUtc(days[0]!, '00:00');
  const to = view === 'list' ? zonedToUtc(addDays(today, 366), '00:00') : zonedToUtc(addDays(days[days.length - 1]!, 1), '00:00');
  const { appointments, error } = useAppointments(from, to);
  const waiting = useWaitingRooms();
  const waitingIds = new Set(waiting.filter((w) => w.state === 'waiting').map((w) => w.appointmentId));

  const go = (next: { view?: View; date?: string }) => {
    const q = new URLSearchParams({ view: next.view ?? view, date: next.date ?? anchor });
    router.replace(`/app/termine?${q}`);
  };
  const step = view === 'day' ? 1 : 7;

  const byDay = useMemo(() => {
    const m = new Map<string, Appointment[]>();
    for (const a of appointments ?? []) {
      const d = utcToZoned(new Date(a.startsAt)).date;
      m.set(d, [...(m.get(d) ?? []), a]);
    }
    return m;
  }, [appointments]);

  const gridRef = useRef<HTMLDivElement>(null);
  // Set by a keyboard move; the focus follows once the day's cell is rendered,
  // which for a day in another week is only after the navigation.
  const focusPending = useRef(false);
  // Arrow keys move between days, Home/End to the week's ends, Enter creates
  // an appointment on the focused day; PageUp/PageDown change the week.
  const onGridKey = (e: React.KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
    let next: string | null = null;
    if (e.key in moves) next = addDays(focusDay, view === 'day' ? Math.sign(moves[e.key]!) : moves[e.key]!);
    else if (e.key === 'Home') next = days[0]!;
    else if (e.key === 'End') next = days[days.length - 1]!;
    else if (e.key === 'PageUp') next = addDays(focusDay, -step);
    else if (e.key === 'PageDown') next = addDays(focusDay, step);
    else if (e.key === 'Enter' && (e.target as HTMLElement).dataset.day) {
      e.preventDefault();
      router.push(`/app/termine/neu?date=${focusDay}`);
      return;
    }
    if (!next) return;
    e.preventDefault();
    focusPending.current = true;
    setFocusDay(next);
    if (!days.includes(next)) go({ date: next });
  };
  useEffect(() => {
    if (!focusPending.current) return;
    const cell = gridRef.current?.querySelector<HTMLElement>(`[data-day="${focusDay}"]`);
    if (!cell) return; // the week that holds it is still on its way
    focusPending.current = false;
    cell.focus();
    // Runs again when another week (or day) is rendered, which may hold the cell.
  }, [focusDay, daysShown]);

  const dayLabel = (d: string, style: 'long' | 'short') =>
    format.dateTime(zonedToUtc(d, '12:00'), style === 'long' ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' } : { weekday: 'short', day: 'numeric', month: 'numeric' });
  const time = (iso: string) => format.dateTime(new Date(iso), { hour: '2-digit', minute: '2-digit' });
  const title =
    view === 'day'
      ? dayLabel(anchor, 'long')
      : view === 'week'
        ? t('weekOf', { from: format.dateTime(zonedToUtc(days[0]!, '12:00'), { day: 'numeric', month: 'long' }), to: format.dateTime(zonedToUtc(days[6]!, '12:00'), { day: 'numeric', month: 'long', year: 'numeric' }) })
        : t('upcoming');

  const item = (a: Appointment) => (
    <li key={a.id}>
      <Link
        href={`/app/termine/${a.id}`}
        className={`block rounded-md px-2 py-1.5 text-sm ring-1 focus-visible:outline-2 focus-visible:outline-brand-600 ${
          a.state === 'cancelled' ? 'bg-slate-50 text-slate-500 line-through ring-slate-200' : waitingIds.has(a.id) ? 'bg-amber-50 ring-2 ring-amber-400' : 'bg-brand-50 ring-brand-200 hover:bg-brand-100'
        }`}
        data-testid="calendar-item"
      >
        <span className="font-semibold">{time(a.startsAt)}</span> <span>{a.record?.patientName ?? t('unreadable')}</span>
        <span className="block text-xs text-slate-600">
          {t('minutes', { min: a.durationMin })}
          {a.holderShortName ? ` · ${a.holderShortName}` : ''}
          {a.state === 'cancelled' ? ` · ${t('state.cancelled')}` : ''}
          {waitingIds.has(a.id) ? ` · 🔔 ${t('waitingNow')}` : ''}
        </span>
      </Link>
    </li>
  );

  return (
    <div>
      <PageTitle intro={t('intro')}>{t('title')}</PageTitle>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-2">
          {view !== 'list' && (
            <>
              <Button type="button" variant="secondary" onClick={() => go({ date: addDays(anchor, -step) })} aria-label={t(view === 'day' ? 'prevDay' : 'prevWeek')}>
                ‹
              </Button>
              <Button type="button" variant="secondary" onClick={() => go({ date: today })}>
                {t('today')}
              </Button>
              <Button type="button" variant="secondary" onClick={() => go({ date: addDays(anchor, step) })} aria-label={t(view === 'day' ? 'nextDay' : 'nextWeek')}>
                ›
              </Button>
            </>
          )}
          <h2 className="ml-2 text-lg font-semibold" aria-live="polite">
            {title}
          </h2>
        </div>
        <div className="flex items-center gap-2">
          <div role="group" aria-label={t('viewLabel')} className="inline-flex rounded-md ring-1 ring-slate-300">
            {(['day', 'week', 'list'] as const).map((v) => (
              <button
                key={v}
                type="button"
                aria-pressed={view === v}
                onClick={() => go({ view: v })}
                className={`px-3 py-2 text-sm font-medium first:rounded-l-md last:rounded-r-md ${view === v ? 'bg-brand-600 text-white' : 'bg-white text-slate-700 hover:bg-slate-50'}`}
              >
                {t(`view.${v}`)}
              </button>
            ))}
          </div>
          <Link href={`/app/termine/neu?date=${view === 'list' ? today : focusDay}`} className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700">
            {t('new')}
          </Link>
        </div>
      </div>
      {error && <Alert tone="error">{error}</Alert>}
      {view === 'list' ? (
        <DataTable headers={[t('col.date'), t('col.time'), t('col.patient'), t('col.holder'), t('col.state')]} testId="appointment-list">
          {(appointments ?? []).map((a) => (
            <tr key={a.id} className={a.state === 'cancelled' ? 'text-slate-500' : ''}>
              <td className="px-3 py-2">{format.dateTime(new Date(a.startsAt), { weekday: 'short', day: '2-digit', month: '2-digit', year: 'numeric' })}</td>
              <td className="px-3 py-2">
                {time(a.startsAt)} ({t('minutes', { min: a.durationMin })})
              </td>
              <td className="px-3 py-2">
                <Link href={`/app/termine/${a.id}`} className="font-medium text-brand-700 underline">
                  {a.record?.patientName ?? t('unreadable')}
                </Link>
              </td>
              <td className="px-3 py-2">{a.holderShortName ?? '–'}</td>
              <td className="px-3 py-2">{waitingIds.has(a.id) ? `🔔 ${t('waitingNow')}` : t(`state.${a.state}`)}</td>
            </tr>
          ))}
          {appointments && !appointments.length && (
            <tr>
              <td colSpan={5} className="px-3 py-6 text-center text-slate-600">
                {t('none')}
              </td>
            </tr>
          )}
        </DataTable>
      ) : (
        <div
          ref={gridRef}
          role="grid"
          aria-label={title}
          aria-describedby="calendar-keys"
          onKeyDown={onGridKey}
          className={`grid gap-2 ${view === 'week' ? 'grid-cols-1 md:grid-cols-7' : 'grid-cols-1'}`}
        >
          <div role="row" className="contents">
            {days.map((d) => {
              const isToday = d === today;
              const list = byDay.get(d) ?? [];
              return (
                <div
                  key={d}
                  role="gridcell"
                  tabIndex={d === focusDay ? 0 : -1}
                  data-day={d}
                  aria-current={isToday ? 'date' : undefined}
                  onFocus={() => setFocusDay(d)}
                  className={`min-h-40 rounded-lg p-2 ring-1 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 ${
                    isToday ? 'bg-brand-50/60 ring-2 ring-brand-500' : 'bg-white ring-slate-200'
                  }`}
                >
                  <p className={`mb-2 text-xs font-semibold uppercase tracking-wide ${isToday ? 'text-brand-800' : 'text-slate-600'}`}>
                    {/* Read out in full with the count; the short label is for the eye. */}
                    <span className="sr-only">{`${dayLabel(d, 'long')}: ${t('count', { count: list.length })}`}</span>
                    <span aria-hidden="true">{dayLabel(d, view === 'day' ? 'long' : 'short')}</span>
                    {isToday && <span className="ml-1 rounded bg-brand-600 px-1.5 py-0.5 text-[10px] text-white">{t('today')}</span>}
                  </p>
                  <ul className="space-y-1.5">{list.map(item)}</ul>
                </div>
              );
            })}
          </div>
        </div>
      )}
      <p id="calendar-keys" className="mt-3 text-xs text-slate-500">
        {view !== 'list' ? t('keysHelp') : ''}
      </p>
    </div>
  );
}
