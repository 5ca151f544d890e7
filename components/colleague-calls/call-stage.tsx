'use client';
import { useEffect, useRef, useState } from 'react';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { QualityBadge } from '@/components/video/quality-badge';
import { MediaToggles } from '@/components/video/media-toggles';
import { holdKeys } from '@/lib/client/key-store';
import type { IceSetup } from '@/lib/client/peer-link';
import type { CallParties, CallSide } from '@/lib/protocol/colleague-call';
import { ColleagueCallController, type ColleagueCallPhase, type ColleagueCallState } from '@/lib/client/colleague-call';

export type ColleagueCallSetup = {
  callId: string;
  side: CallSide;
  parties: CallParties;
  key: Uint8Array;
  ice: IceSetup;
  peerName: string;
  state: ColleagueCallPhase;
  ringsUntil: string;
};


/** The call between two members: the other's picture, one's own, microphone, camera, quality and hang-up. */
export function ColleagueCallStage({ setup, local }: { setup: ColleagueCallSetup; local: MediaStream }) {
  const t = useTranslations('colleagueCalls');
  const tv = useTranslations('video');
  const ctrlRef = useRef<ColleagueCallController | null>(null);
  const remoteRef = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<ColleagueCallState | null>(null);
  const [mic, setMic] = useState(true);
  const [cam, setCam] = useState(true);

  // While the call view is open the idle lock waits (lib/client/key-store.ts).
  useEffect(() => holdKeys(), []);

  useEffect(() => {
    const c = new ColleagueCallController({
      ...setup,
      local,
      onState: setState,
      onRemoteStream: (s) => {
        if (remoteRef.current && remoteRef.current.srcObject !== s) remoteRef.current.srcObject = s;
      },
    });
    ctrlRef.current = c;
    c.start();
    // The caller gives up when nobody answered in time: a missed call for the callee.
    const left = new Date(setup.ringsUntil).getTime() - Date.now();
    const giveUp = setup.side === 'caller' ? setTimeout(() => c.current.phase === 'ringing' && void c.hangUp(), Math.max(0, left)) : null;
    return () => {
      if (giveUp) clearTimeout(giveUp);
      c.dispose();
    };
  }, [setup, local]);

  const over = state && ['ended', 'declined', 'missed'].includes(state.phase);
  useEffect(() => {
    if (over) for (const tr of local.getTracks()) tr.stop();
  }, [over, local]);

  if (!state) return null;
  const connected = state.media === 'connected';
  const name = setup.peerName;
  let overlay: string | null = null;
  if (state.phase === 'ended') overlay = t('ended');
  else if (state.phase === 'declined') overlay = t('declined', { name });
  else if (state.phase === 'missed') overlay = t('missed', { name });
  else if (state.phase === 'ringing') overlay = setup.side === 'caller' ? t('ringing', { name }) : t('connecting');
  else if (state.media === 'disconnected' || state.media === 'failed') overlay = t('reconnecting');
  else if (!connected) overlay = t('connecting');
  else if (!state.remoteMedia.camera) overlay = t('peerCameraOff', { name });
  const c = ctrlRef.current;

  return (
    <section aria-label={tv('callRegion')} className="space-y-3" data-testid="colleague-call" data-phase={state.phase} data-media={state.media}>
      {state.rejected > 0 && (
        <Alert tone="error">
          <span data-testid="signal-rejected" data-count={state.rejected}>
            {t('forged', { count: state.rejected })}
          </span>
        </Alert>
      )}
      <div className="relative aspect-[3/4] max-h-[70vh] w-full overflow-hidden rounded-xl bg-slate-950 text-white sm:aspect-video">
        <video
          ref={remoteRef}
          autoPlay
          playsInline
          className={`h-full w-full object-contain ${connected ? '' : 'invisible'}`}
          data-testid="remote-video"
          data-frames={state.framesDecoded}
          data-audio-packets={state.audioPackets}
          aria-label={tv('remoteVideo', { name })}
        />
        {overlay && (
          <div className="absolute inset-0 flex flex-col items-center justify-center gap-3 p-6 text-center">
            {!over && !connected && <span className="h-8 w-8 animate-spin rounded-full border-4 border-white/30 border-t-white" aria-hidden />}
            <p className="max-w-md text-lg font-medium" role="status" data-testid="call-overlay">
              {overlay}
            </p>
          </div>
        )}
        {!over && (
          <video
            ref={(el) => {
              if (el && el.srcObject !== local) el.srcObject = local;
            }}
            autoPlay
            playsInline
            muted
            className="absolute bottom-3 right-3 w-1/4 min-w-28 -scale-x-100 rounded-lg bg-slate-800 shadow-lg ring-2 ring-white/70"
            data-testid="self-video"
            aria-label={tv('selfVideo')}
          />
        )}
        <QualityBadge quality={state.quality} roundTripMs={connected ? state.roundTripMs : null} sending={connected ? state.sending : null} receiving={connected ? state.receiving : null} />
        {connected && !state.remoteMedia.microphone && <p className="absolute bottom-3 left-3 rounded-full bg-black/50 px-3 py-1 text-xs">{t('peerMuted', { name })}</p>}
      </div>
      {!over && (
        <div className="flex flex-wrap items-center justify-center gap-2" role="toolbar" aria-label={tv('controls')}>
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
          <Button type="button" variant="danger" onClick={() => void c?.hangUp()} data-testid="hang-up">
            {tv('hangUp')}
          </Button>
        </div>
      )}
      <p className="text-center text-xs text-slate-600">{t('e2eNote')}</p>
    </section>
  );
}
