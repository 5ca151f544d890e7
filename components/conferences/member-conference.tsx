'use client';
import { useCallback, useEffect, useMemo, useState } from 'react';
import Link from 'next/link';
import { useFormatter, useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, PageTitle } from '@/components/ui/card';
import { api, type Json } from '@/lib/client/api';
import { useKeys } from '@/lib/client/key-store';
import { fromB64u } from '@/lib/crypto/encoding';
import { openConferenceRecord } from '@/lib/protocol/conference';
import type { ConferenceInfo } from '@/lib/conferences/service';
import type { ConferencePhase, MediaPath } from '@/lib/client/conference-state';
import type { IceSetup } from '@/lib/client/peer-link';
import { errorText, useErrorMessage } from '@/components/ui/use-field-errors';
import { useSession } from '@/components/app/session-context';
import { DeviceCheck } from '@/components/video/device-check';
import { ConferenceRoom, type ConferenceSetup } from './conference-room';

type Entered = IceSetup & { token: string; participantId: string; conferenceId: string; media: MediaPath };

/** A member's way into a conference: the device check, then straight into the room. */
export function MemberConference({ id }: { id: string }) {
  const t = useTranslations('conferences');
  const format = useFormatter();
  const eMsg = useErrorMessage();
  const keys = useKeys();
  const s = useSession();
  const [info, setInfo] = useState<Json<ConferenceInfo> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [setup, setSetup] = useState<ConferenceSetup | null>(null);
  const [over, setOver] = useState<ConferencePhase | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<Json<ConferenceInfo>>(`/api/conferences/${id}`)
      .then(setInfo)
      .catch((e) => setError(errorText(eMsg, e)));
  }, [id, eMsg]);
  const record = useMemo(() => (info && keys?.orgKey ? openConferenceRecord(keys.orgKey, s.orgId, info) : null), [info, keys, s.orgId]);
  const local = useMemo(() => stream ?? (typeof MediaStream === 'undefined' ? null : new MediaStream()), [stream]);
  useEffect(() => () => stream?.getTracks().forEach((tr) => tr.stop()), [stream]);
  const onOver = useCallback((phase: ConferencePhase) => setOver(phase), []);

  const enter = async () => {
    if (!record) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api<Entered>(`/api/conferences/${id}/enter`, { body: {} });
      setSetup({ conferenceId: id, token: r.token, key: fromB64u(record.key), ice: { iceServers: r.iceServers, iceTransportPolicy: r.iceTransportPolicy }, media: r.media, title: record.title });
    } catch (e) {
      setError(errorText(eMsg, e));
    } finally {
      setBusy(false);
    }
  };

  const back = (
    <Link href="/app/konferenzen" className="text-sm text-brand-700 underline">
      {t('backToList')}
    </Link>
  );

  if (over) {
    stream?.getTracks().forEach((tr) => tr.stop());
    return (
      <Card className="mx-auto max-w-xl space-y-3 text-center">
        <p className="text-lg font-semibold" role="status" data-testid="conference-over" data-phase={over}>
          {t(`over.${over}`)}
        </p>
        {back}
      </Card>
    );
  }
  if (setup && local) {
    return (
      <div className="space-y-3">
        <h1 className="text-lg font-semibold">{setup.title}</h1>
        <ConferenceRoom setup={setup} local={local} onOver={onOver} holdsKeys />
      </div>
    );
  }
  if (error && !info) {
    return (
      <div className="space-y-3">
        <Alert tone="error">{error}</Alert>
        {back}
      </div>
    );
  }
  if (!info) return null;
  return (
    <div className="space-y-4">
      <PageTitle intro={`${format.dateTime(new Date(info.startsAt), { dateStyle: 'full', timeStyle: 'short' })} · ${t('minutes', { min: info.durationMin })}`}>
        {record?.title ?? t('unreadable')}
      </PageTitle>
      <Card>
        <p className="text-sm text-slate-700">{t('membersInvited', { names: info.members.map((m) => m.shortName).join(', ') })}</p>
        <h2 className="mt-4 text-base font-semibold">{t('deviceCheck')}</h2>
        <DeviceCheck onStream={setStream} compact />
        {error && (
          <Alert tone="error" className="mt-4">
            {error}
          </Alert>
        )}
        {info.status === 'early' ? (
          <Alert tone="info" className="mt-4">
            {t('opensAt', { time: format.dateTime(new Date(info.opensAt), { timeStyle: 'short' }) })}
          </Alert>
        ) : info.status !== 'open' ? (
          <Alert tone="warning" className="mt-4">
            {t('over.ended')}
          </Alert>
        ) : (
          <Button type="button" className="mt-4" pending={busy} disabled={busy || !record} onClick={() => void enter()} data-testid="enter-conference">
            {t('enter')}
          </Button>
        )}
      </Card>
      {back}
    </div>
  );
}
