'use client';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { holdKeys } from '@/lib/client/key-store';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { QualityBadge } from '@/components/video/quality-badge';
import { MediaToggles } from '@/components/video/media-toggles';
import { ApiError } from '@/lib/client/api';
import { CallController, type CallState } from '@/lib/client/call';
import type { IceSetup } from '@/lib/client/peer-link';
import { useErrorMessage } from '@/components/ui/use-field-errors';
import type { SignalRole } from '@/lib/protocol/video';

export type CallSetup = {
  role: SignalRole;
  token: string;
  participantId: string;
  appointmentId: string;
  key: Uint8Array;
  ice: IceSetup;
  screenSharing: boolean;
};

/** A short two-tone chime (Web Audio, no file) when a patient enters the waiting room. */
export function chime() {
  try {
    const ctx = new AudioContext();
    const at = ctx.currentTime;
    for (const [i, f] of [660, 880].entries()) {
      const o = ctx.createOscillator();
      const g = ctx.createGain();
      o.frequency.value = f;
      g.gain.setValueAtTime(0.0001, at + i * 0.18);
      g.gain.exponentialRampToValueAtTime(0.2, at + i * 0.18 + 0.02);
      g.gain.exponentialRampToValueAtTime(0.0001, at + i * 0.18 + 0.3);
      o.connect(g).connect(ctx.destination);
      o.start(at + i * 0.18);
      o.stop(at + i * 0.18 + 0.32);
    }
    setTimeout(() => void ctx.close(), 1000);
  } catch {
    // no audio output: the visual cue remains
  }
}


export function CallView({
  setup,
  local,
  peerName,
  onEnded,
}: {
  setup: CallSetup;
  local: MediaStream;
  peerName: string;
  onEnded?: (phase: CallState['phase']) => void;
}) {
  const t = useTranslations('video');
  const eMsg = useErrorMessage();
  const ctrlRef = useRef<CallController | null>(null);
  const stageRef = useRef<HTMLDivElement>(null);
  const remoteRef = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<CallState | null>(null);
  const [mic, setMic] = useState(true);
  const [cam, setCam] = useState(true);
  const [selfHidden, setSelfHidden] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [admitting, setAdmitting] = useState(false);
  const onEndedRef = useRef(onEnded);
  useLayoutEffect(() => {
    onEndedRef.current = onEnded;
  });

  // While the call view is open the idle lock waits (lib/client/key-store.ts).
  useEffect(() => holdKeys(), []);

  useEffect(() => {
    const c = new CallController({
      ...setup,
      local,
      onState: (s) => {
        setState(s);
        if (['ended', 'cancelled', 'replaced'].includes(s.phase)) onEndedRef.current?.(s.phase);
      },
      onRemoteStream: (s) => {
        if (remoteRef.current && remoteRef.current.srcObject !== s) remoteRef.current.srcObject = s;
      },
    });
    ctrlRef.current = c;
    c.start();
    return () => c.dispose();
  }, [setup, local]);


  // The host hears and sees when someone enters the waiting room.
  const waitingId = state?.waitingPatient?.id;
  useEffect(() => {
    if (waitingId && setup.role === 'host') chime();
  }, [waitingId, setup.role]);

  const c = ctrlRef.current;
  const run = async (fn: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await fn();
    } catch (e) {
      setActionError(e instanceof ApiError ? eMsg(e.code) : e instanceof DOMException ? t('screenShareCancelled') : eMsg('internal'));
    }
  };

  if (!state) return null;
  const inCall = state.media !== 'none';
  const connected = state.media === 'connected';
  const host = setup.role === 'host';

  let overlay: string | null = null;
  if (!connected) {
    if (state.peerLeft) overlay = host ? t('patientLeft') : t('hostLeft');
    else if (state.media === 'disconnected' || state.media === 'failed') overlay = t('reconnecting');
    else if (inCall || state.admittedPatient || (!host && state.phase === 'admitted')) overlay = t('connecting');
    else if (host) overlay = state.waitingPatient ? t('patientWaiting') : t('noPatient');
    else overlay = t('waitingRoom');
  } else if (!state.remoteMedia.camera && !state.remoteMedia.screen) overlay = t('peerCameraOff', { name: peerName });

  return (
    <section aria-label={t('callRegion')} className="space-y-3" data-testid="call-view" data-media={state.media} data-phase={state.phase}>
      {state.rejected > 0 && (
        <Alert tone="error" title={t('forgedTitle')}>
          <span data-testid="signal-rejected" data-count={state.rejected}>
            {t('forgedBody', { count: state.rejected })}
          </span>
        </Alert>
      )}
      {actionError && <Alert tone="error">{actionError}</Alert>}
      {host && state.otherHosts.length > 0 && (
        <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-800" role="status" data-testid="other-hosts">
          {t('otherHosts', {
            hosts: state.otherHosts.map((h) => (h.via === 'member' ? t('hostAsMember', { name: h.hostShortName ?? '?' }) : t('hostByCode'))).join(', '),
          })}
        </p>
      )}
      {host && state.waitingPatient && (
        <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg bg-amber-50 px-4 py-3 ring-2 ring-amber-400 motion-safe:animate-pulse" role="status" data-testid="waiting-banner">
          <p className="font-semibold text-amber-900">🔔 {t('patientWaitingBanner', { name: peerName })}</p>
          <Button
            type="button"
            pending={admitting}
            disabled={admitting}
            onClick={() =>
              void run(async () => {
                setAdmitting(true);
                try {
                  await c!.admit(state.waitingPatient!.id);
                } finally {
                  setAdmitting(false);
                }
              })
            }
            data-testid="admit"
          >
            {t('admit')}
          </Button>
        </div>
      )}
      <div ref={stageRef} className="relative aspect-[3/4] max-h-[78vh] w-full overflow-hidden rounded-xl bg-slate-950 text-white sm:aspect-video [&:fullscreen]:max-h-none [&:fullscreen]:rounded-none">
        <video
          ref={remoteRef}
          autoPlay
          playsInline
          className={`h-full w-full object-contain ${connected ? '' : 'invisible'}`}
          data-testid="remote-video"
          data-frames={state.framesDecoded}
          data-audio-packets={state.audioPackets}
          data-candidate-type={state.candidateType ?? ''}
          data-relay-protocol={state.relayProtocol ?? ''}
          data-ice-restarts={state.iceRestarts}
          aria-label={t('remoteVideo', { name: peerName })}
        />
        {overlay && (
          <div className="absolute inset-0 flex flex-col items-center justify-center gap-3 p-6 text-center">
            {!connected && !state.peerLeft && (inCall || state.phase === 'waiting') && (
              <span className="h-8 w-8 animate-spin rounded-full border-4 border-white/30 border-t-white" aria-hidden />
            )}
            <p className="max-w-md text-lg font-medium" data-testid="call-overlay">
              {overlay}
            </p>
          </div>
        )}
        {!selfHidden && (
          <video
            ref={(el) => {
              if (el && el.srcObject !== local) el.srcObject = local;
            }}
            autoPlay
            playsInline
            muted
            className="absolute bottom-3 right-3 w-1/4 min-w-28 -scale-x-100 rounded-lg bg-slate-800 shadow-lg ring-2 ring-white/70"
            data-testid="self-video"
            aria-label={t('selfVideo')}
          />
        )}
        <QualityBadge quality={state.quality} roundTripMs={connected ? state.roundTripMs : null} sending={connected ? state.sending : null} receiving={connected ? state.receiving : null} />
        {connected && state.remoteMedia.screen && <p className="absolute right-3 top-3 rounded-full bg-black/50 px-3 py-1 text-xs">{t('peerSharing')}</p>}
        {connected && !state.remoteMedia.microphone && (
          <p className="absolute bottom-3 left-3 rounded-full bg-black/50 px-3 py-1 text-xs">{t('peerMuted', { name: peerName })}</p>
        )}
      </div>
      <div className="flex flex-wrap items-center justify-center gap-2" role="toolbar" aria-label={t('controls')}>
        <MediaToggles
          mic={mic}
          cam={cam}
          onMic={(on) => {
            c?.setMicrophone(on);
            setMic(on);
          }}
          onCam={(on) => {
            c?.setCamera(on);
            setCam(on);
          }}
        />
        <Button type="button" variant="secondary" aria-pressed={selfHidden} onClick={() => setSelfHidden(!selfHidden)}>
          {selfHidden ? t('showSelf') : t('hideSelf')}
        </Button>
        <Button
          type="button"
          variant="secondary"
          aria-pressed={sharing}
          disabled={!connected}
          title={setup.screenSharing ? undefined : t('screenSharePlus')}
          data-testid="screen-share"
          onClick={() =>
            void run(async () => {
              if (sharing) {
                await c?.stopScreen();
                setSharing(false);
              } else {
                await c?.shareScreen();
                setSharing(true);
              }
            })
          }
        >
          {sharing ? t('stopScreenShare') : t('screenShare')}
          {!setup.screenSharing && <span className="rounded bg-brand-100 px-1.5 text-xs font-bold text-brand-800">plus</span>}
        </Button>
        <Button
          type="button"
          variant="secondary"
          onClick={() => {
            if (document.fullscreenElement) void document.exitFullscreen();
            else void stageRef.current?.requestFullscreen?.();
          }}
        >
          {t('fullscreen')}
        </Button>
        <Button type="button" variant="danger" onClick={() => void c?.hangUp()} data-testid="hang-up">
          {t('hangUp')}
        </Button>
      </div>
      {!setup.screenSharing && <p className="text-center text-xs text-slate-600">{t('screenSharePlus')}</p>}
      <p className="text-center text-xs text-slate-500">{t('e2eNote')}</p>
    </section>
  );
}
