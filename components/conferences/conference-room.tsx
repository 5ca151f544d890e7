'use client';
import { useEffect, useRef, useState } from 'react';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { holdKeys } from '@/lib/client/key-store';
import type { IceSetup } from '@/lib/client/peer-link';
import { ConferenceController } from '@/lib/client/conference';
import type { ConferencePhase, ConferenceState, MediaPath } from '@/lib/client/conference-state';
import { MESH_MAX_PARTICIPANTS } from '@/lib/protocol/conference';
import { MediaToggles } from '@/components/video/media-toggles';
import { VideoTile } from './video-tile';
import { RoomPanel } from './room-panel';

export type ConferenceSetup = { conferenceId: string; token: string; key: Uint8Array; ice: IceSetup; media: MediaPath; title: string };

/**
 * The conference: everyone's picture in a grid (or the speaker large), the
 * lobby and participant list, the chat, and the controls. Guests wait in the
 * lobby view until a member lets them in.
 */
export function ConferenceRoom({ setup, local, onOver, holdsKeys = false }: { setup: ConferenceSetup; local: MediaStream; onOver: (phase: ConferencePhase) => void; holdsKeys?: boolean }) {
  const t = useTranslations('conferences.room');
  const tv = useTranslations('video');
  const stageRef = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<ConferenceState | null>(null);
  const [streams, setStreams] = useState<Record<string, MediaStream>>({});
  const [view, setView] = useState<'grid' | 'speaker'>('grid');
  const [error, setError] = useState<string | null>(null);
  // One controller for the life of this room (the parent mounts a new room for a new entry).
  const [c] = useState(
    () =>
      new ConferenceController({
        ...setup,
        local,
        onState: setState,
        onRemoteStream: (id, s) =>
          setStreams((cur) => {
            if (s) return { ...cur, [id]: s };
            const { [id]: _gone, ...rest } = cur;
            return rest;
          }),
      }),
  );

  useEffect(() => (holdsKeys ? holdKeys() : undefined), [holdsKeys]);

  useEffect(() => {
    c.start();
    return () => c.dispose();
  }, [c]);

  // The camera may arrive after entering (the device check was still asking).
  useEffect(() => c.setLocal(local), [c, local]);

  const phase = state?.phase;
  useEffect(() => {
    if (phase === 'ended' || phase === 'removed' || phase === 'gone') onOver(phase);
  }, [phase, onOver]);

  if (!state) return null;
  const me = state.people.find((p) => p.me);
  const own = state.own;
  const inRoom = state.people.filter((p) => p.state === 'admitted' && !p.me);

  if (state.phase === 'lobby' || state.phase === 'connecting') {
    return (
      <section className="mx-auto max-w-xl space-y-4 text-center" data-testid="conference-lobby" data-phase={state.phase}>
        <h2 className="text-lg font-semibold">{t('lobbyTitle')}</h2>
        <p className="text-slate-700" role="status">
          {state.phase === 'lobby' ? t('lobbyText') : t('connecting')}
        </p>
        <div className="mx-auto w-64">
          <VideoTile stream={local} name={me?.name ?? ''} self speaking={false} hand={false} microphone camera />
        </div>
        <Button type="button" variant="secondary" onClick={() => void c.leave()}>
          {t('leave')}
        </Button>
      </section>
    );
  }

  const speakerId = state.speaker ?? inRoom[0]?.id ?? null;
  const tiles = [
    { id: state.me ?? 'me', self: true, name: me?.name ?? '', stream: local as MediaStream | null },
    ...inRoom.map((p) => ({ id: p.id, self: false, name: p.name, stream: streams[p.id] ?? null })),
  ];
  const ordered = view === 'speaker' && speakerId ? [...tiles.filter((x) => x.id === speakerId), ...tiles.filter((x) => x.id !== speakerId)] : tiles;
  // Two columns from three people on, on a phone too, so everyone fits above the controls.
  const cols = tiles.length <= 1 ? 'grid-cols-1' : tiles.length === 2 ? 'grid-cols-1 sm:grid-cols-2' : 'grid-cols-2';

  // A function, not a component: the tiles keep their <video> elements across the once-a-second stats updates.
  const tile = (x: (typeof tiles)[number], large = false) => {
    const peer = x.self ? undefined : state.peers[x.id];
    return (
      <VideoTile
        key={x.id}
        stream={x.stream}
        name={x.name}
        self={x.self}
        peer={peer}
        large={large}
        speaking={!x.self && state.speaker === x.id}
        hand={x.self ? state.hand : !!peer?.hand}
        microphone={x.self ? own.microphone : (peer?.microphone ?? true)}
        camera={x.self ? own.camera || own.screen : (peer?.camera ?? true) || !!peer?.screen}
      />
    );
  };

  const toggleScreen = async () => {
    try {
      await c.shareScreen(!own.screen);
    } catch {
      setError(t('screenRefused'));
    }
  };

  return (
    <section aria-label={t('region')} className="space-y-3" data-testid="conference-room" data-phase={state.phase} data-peers={inRoom.length} data-media-path={state.media} data-livekit={state.livekit ?? undefined}>
      {state.rejected > 0 && (
        <Alert tone="error">
          <span data-testid="signal-rejected" data-count={state.rejected}>
            {t('forged', { count: state.rejected })}
          </span>
        </Alert>
      )}
      {state.livekit === 'unreachable' && (
        <Alert tone="error">
          <span className="flex flex-wrap items-center gap-3" data-testid="livekit-unreachable">
            <span role="alert">{t('mediaUnreachable')}</span>
            <Button type="button" variant="secondary" className="px-2 py-1 text-xs" onClick={() => c.retryMedia()} data-testid="livekit-retry">
              {t('mediaRetry')}
            </Button>
          </span>
        </Alert>
      )}
      {state.livekit === 'reconnecting' && (
        <Alert tone="info">
          <span role="status" data-testid="livekit-reconnecting">
            {t('mediaReconnecting')}
          </span>
        </Alert>
      )}
      {state.mutedByHost && <Alert tone="info">{t('mutedByHost')}</Alert>}
      {error && <Alert tone="error">{error}</Alert>}
      <div className="flex flex-col gap-3 lg:flex-row lg:items-start">
        <div ref={stageRef} className="min-w-0 flex-1 rounded-xl bg-slate-950 p-2">
          {view === 'speaker' ? (
            <div className="space-y-2">
              {ordered.slice(0, 1).map((x) => tile(x, true))}
              <div className="grid grid-cols-3 gap-2">
                {ordered.slice(1).map((x) => tile(x))}
              </div>
            </div>
          ) : (
            <div className={`grid gap-2 ${cols}`}>
              {ordered.map((x) => tile(x))}
            </div>
          )}
          {inRoom.length === 0 && <p className="p-4 text-center text-sm text-slate-300">{t('alone')}</p>}
        </div>
        <div className="order-last lg:order-none">
          <RoomPanel state={state} controller={c} />
        </div>
      </div>
      <div
        className="sticky bottom-0 z-10 -mx-4 flex flex-wrap items-center justify-center gap-2 border-t border-slate-200 bg-white/95 px-4 py-2 backdrop-blur sm:static sm:mx-0 sm:border-0 sm:bg-transparent sm:p-0"
        role="toolbar"
        aria-label={tv('controls')}
      >
        <MediaToggles mic={own.microphone} cam={own.camera} onMic={(on) => c.setMicrophone(on)} onCam={(on) => c.setCamera(on)} />
        {typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getDisplayMedia && (
          <Button type="button" variant="secondary" aria-pressed={own.screen} onClick={() => void toggleScreen()}>
            {own.screen ? t('stopScreen') : t('shareScreen')}
          </Button>
        )}
        <Button type="button" variant="secondary" aria-pressed={state.hand} data-testid="raise-hand" onClick={() => c.raiseHand(!state.hand)}>
          {state.hand ? t('lowerHand') : t('raiseHand')}
        </Button>
        <Button type="button" variant="secondary" aria-pressed={view === 'speaker'} onClick={() => setView(view === 'grid' ? 'speaker' : 'grid')}>
          {view === 'grid' ? t('speakerView') : t('gridView')}
        </Button>
        <Button type="button" variant="secondary" onClick={() => void stageRef.current?.requestFullscreen?.().catch(() => {})}>
          {tv('fullscreen')}
        </Button>
        <Button type="button" variant="danger" data-testid="leave-conference" onClick={() => void c.leave()}>
          {t('leave')}
        </Button>
        {state.isHost && (
          <Button type="button" variant="danger" data-testid="end-conference" onClick={() => void c.endForAll().catch(() => setError(t('endFailed')))}>
            {t('endForAll')}
          </Button>
        )}
      </div>
      <p className="text-center text-xs text-slate-600">{state.media === 'livekit' ? t('e2eNoteLivekit') : t('e2eNote', { max: MESH_MAX_PARTICIPANTS })}</p>
    </section>
  );
}
