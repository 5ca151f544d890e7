'use client';
import { useCallback, useEffect, useMemo, useState } from 'react';
import Link from 'next/link';
import { useFormatter, useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { TextField } from '@/components/ui/field';
import { api } from '@/lib/client/api';
import type { IceSetup } from '@/lib/client/peer-link';
import { joinLookup, normaliseCode, signalKey, unwrapPatientCode } from '@/lib/protocol/video';
import { errorText, useErrorMessage } from '@/components/ui/use-field-errors';
import { DeviceCheck } from './device-check';
import { ConsentBox } from './consent-box';
import { CallView, type CallSetup } from './call-view';
import { GuestConference, type GuestInfo } from '@/components/conferences/guest-conference';

type Info = {
  kind: 'appointment';
  role: 'host' | 'patient';
  appointmentId: string;
  practiceName: string;
  startsAt: string;
  durationMin: number;
  status: 'open' | 'early' | 'past' | 'cancelled';
  opensAt: string;
  closesAt: string;
  screenSharing: boolean;
  hostWrap?: string;
};

type Entered = IceSetup & { token: string; participantId: string; role: 'host' | 'patient'; appointmentId: string; screenSharing: boolean };

export function JoinClient() {
  const t = useTranslations('join');
  const eMsg = useErrorMessage();
  const format = useFormatter();
  const [input, setInput] = useState('');
  const [code, setCode] = useState<{ code: string; lookup: string } | null>(null);
  const [info, setInfo] = useState<Info | GuestInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [consent, setConsent] = useState(false);
  const [consentError, setConsentError] = useState<string | undefined>();
  const [setup, setSetup] = useState<CallSetup | null>(null);
  const [ended, setEnded] = useState<string | null>(null);

  const lookup = useCallback(
    async (raw: string) => {
      const n = normaliseCode(raw);
      if (!n) {
        setError(t('codeMalformed'));
        return;
      }
      setBusy(true);
      setError(null);
      try {
        // scrypt of the code (a moment on a phone): computed once, kept for entering.
        const l = await joinLookup(n);
        const i = await api<Info | GuestInfo>('/api/join/lookup', { body: { lookup: l } });
        setCode({ code: n, lookup: l });
        setInfo(i);
      } catch (e) {
        setError(errorText(eMsg, e));
      } finally {
        setBusy(false);
      }
    },
    [eMsg, t],
  );

  // /join#CODE goes straight on. The code is then taken out of the address
  // bar (it never went to the server: fragments are not sent).
  useEffect(() => {
    const fromHash = () => {
      const h = decodeURIComponent(window.location.hash.replace(/^#/, ''));
      if (!h) return;
      history.replaceState(null, '', window.location.pathname);
      // A new link opened in the same tab starts afresh.
      setEnded(null);
      setSetup(null);
      setInfo(null);
      setInput(h);
      void lookup(h);
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    return () => window.removeEventListener('hashchange', fromHash);
  }, [lookup]);

  const enter = async () => {
    if (!info || !code || info.kind !== 'appointment') return;
    if (info.role === 'patient' && !consent) {
      setConsentError(t('consentRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const patientCode = info.role === 'host' ? unwrapPatientCode(code.code, info.hostWrap!, info.appointmentId) : code.code;
      const key = signalKey(patientCode, info.appointmentId);
      const r = await api<Entered>('/api/join/enter', { body: { lookup: code.lookup } });
      setSetup({
        role: r.role,
        token: r.token,
        participantId: r.participantId,
        appointmentId: r.appointmentId,
        key,
        ice: { iceServers: r.iceServers, iceTransportPolicy: r.iceTransportPolicy },
        screenSharing: r.screenSharing,
      });
    } catch (e) {
      setError(errorText(eMsg, e));
    } finally {
      setBusy(false);
    }
  };

  // A call without camera and microphone still receives; MediaStream exists only in the browser.
  const local = useMemo(() => stream ?? (typeof MediaStream === 'undefined' ? null : new MediaStream()), [stream]);
  // Camera and microphone go off when the page does.
  useEffect(() => () => stream?.getTracks().forEach((tr) => tr.stop()), [stream]);

  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'full', timeStyle: 'short' });
  const time = (iso: string) => format.dateTime(new Date(iso), { timeStyle: 'short' });

  if (ended) {
    return (
      <Card className="mx-auto max-w-xl text-center">
        <h1 className="text-xl font-semibold">{t('endedTitle')}</h1>
        <p className="mt-2 text-slate-700" data-testid="join-ended">
          {ended}
        </p>
        <Button type="button" variant="secondary" className="mt-4" onClick={() => window.location.reload()}>
          {t('again')}
        </Button>
      </Card>
    );
  }

  // A conference guest's code: the conference's own way in (lobby, name, consent).
  if (info?.kind === 'conference') return code ? <GuestConference info={info} code={code.code} lookup={code.lookup} onRecheck={() => void lookup(code.code)} /> : null;

  if (setup && info) {
    return (
      <div className="mx-auto max-w-5xl space-y-3">
        <h1 className="text-lg font-semibold">
          {info.role === 'patient' ? t('consultationWith', { practice: info.practiceName }) : t('hostingFor', { practice: info.practiceName })}
        </h1>
        {info.role === 'patient' && (
          <p className="sr-only" role="status">
            {t('waitingStatus')}
          </p>
        )}
        <CallView
          setup={setup}
          local={local!}
          peerName={info.role === 'patient' ? info.practiceName : t('patient')}
          onEnded={(phase) => {
            stream?.getTracks().forEach((tr) => tr.stop());
            setEnded(phase === 'cancelled' ? t('cancelledDuringWait') : phase === 'replaced' ? t('replaced') : t('endedBody'));
          }}
        />
      </div>
    );
  }

  if (!info) {
    return (
      <Card className="mx-auto max-w-md">
        <h1 className="text-xl font-semibold">{t('title')}</h1>
        <p className="mt-1 text-sm text-slate-600">{t('intro')}</p>
        <form
          className="mt-4 space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            void lookup(input);
          }}
        >
          <TextField
            label={t('code')}
            name="code"
            value={input}
            onChange={(e) => setInput(e.target.value)}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            placeholder="ABCD-EFGH-JKLM-NPQR"
            className="[&_input]:font-mono [&_input]:tracking-widest"
            error={error ?? undefined}
            required
          />
          <Button type="submit" pending={busy} disabled={busy} className="w-full">
            {t('continue')}
          </Button>
        </form>
        <p className="mt-4 text-xs text-slate-500">
          <Link href="/nutzungsbedingungen" className="underline">
            {t('terms')}
          </Link>{' '}
          ·{' '}
          <Link href="/datenschutz" className="underline">
            {t('privacy')}
          </Link>
        </p>
      </Card>
    );
  }

  if (info.status !== 'open') {
    const msg =
      info.status === 'early'
        ? t('early', { when: when(info.startsAt), opens: time(info.opensAt) })
        : info.status === 'past'
          ? t('past', { when: when(info.startsAt) })
          : t('cancelled', { when: when(info.startsAt) });
    return (
      <Card className="mx-auto max-w-xl">
        <p className="text-sm text-slate-600">{info.practiceName}</p>
        <h1 className="text-xl font-semibold">{t(`statusTitle.${info.status}`)}</h1>
        <Alert tone={info.status === 'early' ? 'info' : 'warning'} className="mt-4">
          <span data-testid="join-status" data-status={info.status}>
            {msg}
          </span>
        </Alert>
        <Button type="button" variant="secondary" className="mt-4" onClick={() => void lookup(code!.code)}>
          {t('checkAgain')}
        </Button>
      </Card>
    );
  }

  return (
    <Card className="mx-auto max-w-4xl">
      <p className="text-sm text-slate-600">{info.role === 'patient' ? t('yourAppointment') : t('doctorAccess')}</p>
      <h1 className="text-xl font-semibold" data-testid="practice-name">
        {info.practiceName}
      </h1>
      <p className="text-slate-700" data-testid="appointment-time">
        {when(info.startsAt)} · {t('duration', { min: info.durationMin })}
      </p>
      <h2 className="mt-6 text-base font-semibold">{t('deviceCheck')}</h2>
      <p className="mb-3 text-sm text-slate-600">{t('deviceCheckIntro')}</p>
      <DeviceCheck onStream={setStream} />
      {info.role === 'patient' && (
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
      )}
      {error && (
        <Alert tone="error" className="mt-4">
          {error}
        </Alert>
      )}
      <Button type="button" className="mt-6 w-full sm:w-auto" pending={busy} disabled={busy} onClick={() => void enter()} data-testid="enter">
        {info.role === 'patient' ? t('enterWaitingRoom') : t('openRoom')}
      </Button>
    </Card>
  );
}
