'use client';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useFormatter, useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { TextField } from '@/components/ui/field';
import { api } from '@/lib/client/api';
import type { IceSetup } from '@/lib/client/peer-link';
import type { ConferencePhase, MediaPath } from '@/lib/client/conference-state';
import { sealGuestName, unwrapKeyForGuest } from '@/lib/protocol/conference';
import { errorText, useErrorMessage } from '@/components/ui/use-field-errors';
import { DeviceCheck } from '@/components/video/device-check';
import { ConsentBox } from '@/components/video/consent-box';
import { ConferenceRoom, type ConferenceSetup } from './conference-room';

export type GuestInfo = {
  kind: 'conference';
  conferenceId: string;
  guestId: string;
  keyWrap: string;
  practiceName: string;
  startsAt: string;
  durationMin: number;
  status: 'open' | 'early' | 'past' | 'cancelled';
  opensAt: string;
};

type Entered = IceSetup & { token: string; participantId: string; conferenceId: string; state: 'waiting' | 'admitted'; media: MediaPath };

/** A guest with a conference code: device check, name, consent, then the lobby until a member lets them in. */
export function GuestConference({ info, code, lookup, onRecheck }: { info: GuestInfo; code: string; lookup: string; onRecheck: () => void }) {
  const t = useTranslations('conferences.guest');
  const tj = useTranslations('join');
  const format = useFormatter();
  const eMsg = useErrorMessage();
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>();
  const [consent, setConsent] = useState(false);
  const [consentError, setConsentError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [setup, setSetup] = useState<ConferenceSetup | null>(null);
  const [over, setOver] = useState<ConferencePhase | null>(null);
  const local = useMemo(() => stream ?? (typeof MediaStream === 'undefined' ? null : new MediaStream()), [stream]);
  useEffect(() => () => stream?.getTracks().forEach((tr) => tr.stop()), [stream]);
  const onOver = useCallback((phase: ConferencePhase) => setOver(phase), []);
  const when = format.dateTime(new Date(info.startsAt), { dateStyle: 'full', timeStyle: 'short' });

  const enter = async () => {
    const n = name.trim();
    if (!n || n.length > 80) {
      setNameError(n ? t('nameTooLong') : t('nameRequired'));
      return;
    }
    if (!consent) {
      setConsentError(tj('consentRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // The conference key opens only with this code; the name goes to the others sealed under it.
      const key = unwrapKeyForGuest(code, info.conferenceId, info.guestId, info.keyWrap);
      const r = await api<Entered>('/api/conferences/guest/enter', { body: { lookup, nameEnc: sealGuestName(key, info.conferenceId, n) } });
      setSetup({ conferenceId: r.conferenceId, token: r.token, key, ice: { iceServers: r.iceServers, iceTransportPolicy: r.iceTransportPolicy }, media: r.media, title: info.practiceName });
    } catch (e) {
      setError(errorText(eMsg, e));
    } finally {
      setBusy(false);
    }
  };

  if (over) {
    stream?.getTracks().forEach((tr) => tr.stop());
    return (
      <Card className="mx-auto max-w-xl text-center">
        <p className="text-lg font-semibold" role="status" data-testid="conference-over" data-phase={over}>
          {t(`over.${over}`)}
        </p>
      </Card>
    );
  }
  if (setup && local) {
    return (
      <div className="mx-auto max-w-6xl space-y-3">
        <h1 className="text-lg font-semibold">{t('conferenceOf', { practice: info.practiceName })}</h1>
        <ConferenceRoom setup={setup} local={local} onOver={onOver} />
      </div>
    );
  }
  if (info.status !== 'open') {
    return (
      <Card className="mx-auto max-w-xl space-y-4">
        <p className="text-sm text-slate-600">{info.practiceName}</p>
        <Alert tone={info.status === 'early' ? 'info' : 'warning'}>
          <span data-testid="join-status" data-status={info.status}>
            {info.status === 'early' ? t('early', { when, opens: format.dateTime(new Date(info.opensAt), { timeStyle: 'short' }) }) : t('over.ended')}
          </span>
        </Alert>
        <Button type="button" variant="secondary" onClick={onRecheck}>
          {tj('checkAgain')}
        </Button>
      </Card>
    );
  }
  return (
    <Card className="mx-auto max-w-4xl">
      <p className="text-sm text-slate-600">{t('invitation')}</p>
      <h1 className="text-xl font-semibold" data-testid="practice-name">
        {t('conferenceOf', { practice: info.practiceName })}
      </h1>
      <p className="text-slate-700">
        {when} · {tj('duration', { min: info.durationMin })}
      </p>
      <div className="mt-6 max-w-md">
        <TextField
          label={t('yourName')}
          name="guestName"
          value={name}
          maxLength={80}
          autoComplete="name"
          hint={t('nameHint')}
          error={nameError}
          onChange={(e) => {
            setName(e.target.value);
            setNameError(undefined);
          }}
          required
        />
      </div>
      <h2 className="mt-6 text-base font-semibold">{tj('deviceCheck')}</h2>
      <p className="mb-3 text-sm text-slate-600">{tj('deviceCheckIntro')}</p>
      <DeviceCheck onStream={setStream} />
      <ConsentBox
        text={t('consentText')}
        label={t('consentLabel')}
        checked={consent}
        error={consentError}
        onChange={(on) => {
          setConsent(on);
          setConsentError(undefined);
        }}
      />
      {error && (
        <Alert tone="error" className="mt-4">
          {error}
        </Alert>
      )}
      <Button type="button" className="mt-6 w-full sm:w-auto" pending={busy} disabled={busy} onClick={() => void enter()} data-testid="enter">
        {t('enterLobby')}
      </Button>
    </Card>
  );
}
