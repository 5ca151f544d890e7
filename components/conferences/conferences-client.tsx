'use client';
import { useCallback, useEffect, useMemo, useState } from 'react';
import Link from 'next/link';
import { useFormatter, useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, PageTitle } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { api, type Json } from '@/lib/client/api';
import { useKeys } from '@/lib/client/key-store';
import { guestLink, openConferenceRecord, type ConferenceRecord } from '@/lib/protocol/conference';
import type { ConferenceListRow } from '@/lib/conferences/service';
import { errorText, useErrorMessage } from '@/components/ui/use-field-errors';
import { useSession } from '@/components/app/session-context';
import { hasFeature } from '@/lib/plans/plans';
import { ConferenceForm } from './conference-form';

type Row = Json<ConferenceListRow> & { record: ConferenceRecord | null };

/** "Konferenzen": the member's conferences, a new one, the guests' links and codes. */
export function ConferencesClient() {
  const t = useTranslations('conferences');
  const format = useFormatter();
  const eMsg = useErrorMessage();
  const keys = useKeys();
  const s = useSession();
  const allowed = hasFeature(s.plan, 'conferences');
  const [rows, setRows] = useState<Json<ConferenceListRow>[] | null>(null);
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    api<{ conferences: Json<ConferenceListRow>[] }>('/api/conferences')
      .then((r) => setRows(r.conferences))
      .catch((e) => setError(errorText(eMsg, e)));
  }, [eMsg]);
  useEffect(reload, [reload]);
  const orgKey = keys?.orgKey ?? null;
  const list = useMemo<Row[] | null>(() => (rows && orgKey ? rows.map((r) => ({ ...r, record: openConferenceRecord(orgKey, s.orgId, r) })) : null), [rows, orgKey, s.orgId]);
  const origin = typeof window === 'undefined' ? '' : window.location.origin;

  const end = async (id: string) => {
    try {
      await api(`/api/conferences/${id}/end`, { body: {} });
      reload();
    } catch (e) {
      setError(errorText(eMsg, e));
    }
  };

  return (
    <div className="space-y-6">
      <PageTitle intro={t('intro')}>{t('title')}</PageTitle>
      {!allowed && (
        <Alert tone="info">
          <span data-testid="conferences-plan">{t('planRequired')}</span>{' '}
          <Link href="/app/stammdaten/rechnungsdaten" className="underline">
            {t('toContract')}
          </Link>
        </Alert>
      )}
      {error && <Alert tone="error">{error}</Alert>}
      {allowed &&
        (creating ? (
          <ConferenceForm
            onCancel={() => setCreating(false)}
            onCreated={(id) => {
              setCreating(false);
              setOpen(id);
              reload();
            }}
          />
        ) : (
          <Button type="button" onClick={() => setCreating(true)} data-testid="new-conference">
            {t('new')}
          </Button>
        ))}
      {list && list.length === 0 && !creating && <p className="text-slate-600">{t('empty')}</p>}
      <ul className="space-y-3">
        {list?.map((c) => {
          const running = c.status === 'open' && c.state === 'scheduled';
          const host = c.hostId === s.userId;
          return (
            <li key={c.id} data-testid="conference-row">
              <Card className="space-y-3">
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div>
                    <h2 className="text-base font-semibold" data-testid="conference-title">
                      {c.record?.title ?? t('unreadable')}
                    </h2>
                    <p className="text-sm text-slate-600">
                      {format.dateTime(new Date(c.startsAt), { dateStyle: 'medium', timeStyle: 'short' })} · {t('minutes', { min: c.durationMin })}
                      {host ? ` · ${t('youHost')}` : ''}
                    </p>
                  </div>
                  <div className="flex flex-wrap items-center gap-2">
                    <Badge tone={running ? 'success' : 'neutral'}>{c.state === 'scheduled' ? t(`status.${c.status}`) : t(`state.${c.state}`)}</Badge>
                    {running && c.inRoom > 0 && <span className="text-xs text-slate-600">{t('inRoom', { count: c.inRoom, max: 4 })}</span>}
                  </div>
                </div>
                {c.state === 'scheduled' && c.status !== 'past' && (
                  <div className="flex flex-wrap gap-2">
                    {running && (
                      <Link href={`/app/konferenzen/${c.id}`} className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700" data-testid="join-conference">
                        {t('join')}
                      </Link>
                    )}
                    {(c.record?.guests.length ?? 0) > 0 && (
                      <Button type="button" variant="secondary" aria-expanded={open === c.id} onClick={() => setOpen(open === c.id ? null : c.id)} data-testid="show-guests">
                        {t('guestLinks', { count: c.record!.guests.length })}
                      </Button>
                    )}
                    {host && (
                      <Button type="button" variant="secondary" onClick={() => void end(c.id)} data-testid="end-from-list">
                        {c.inRoom > 0 ? t('endForAll') : t('cancelConference')}
                      </Button>
                    )}
                  </div>
                )}
                {open === c.id && c.record && (
                  <div className="space-y-2 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
                    <p className="text-sm text-slate-700">{t('guestLinksIntro', { joinUrl: `${origin}/join` })}</p>
                    <ul className="divide-y divide-slate-200">
                      {c.record.guests.map((g) => (
                        <li key={g.id} className="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="guest-link" data-name={g.name} data-link={guestLink(origin, g.code)} data-code={g.code}>
                          <span>
                            <span className="font-medium">{g.name}</span> · <span className="font-mono text-sm tracking-wider">{g.code}</span>
                          </span>
                          <span className="flex gap-2">
                            <CopyButton text={guestLink(origin, g.code)} label={t('copyLink')} />
                            <CopyButton text={g.code} label={t('copyCode')} />
                          </span>
                        </li>
                      ))}
                    </ul>
                  </div>
                )}
              </Card>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
