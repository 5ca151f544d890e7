'use client';
import { useTranslations } from 'next-intl';
import type { PeerView } from '@/lib/client/conference-state';
import { QualityBadge } from '@/components/video/quality-badge';
import { HandIcon, MicOffIcon } from './icons';


/** One participant's picture with name, muted, raised hand, connection quality and a ring while they speak. */
export function VideoTile({
  stream,
  name,
  self = false,
  peer,
  speaking,
  large = false,
  hand,
  microphone,
  camera,
}: {
  stream: MediaStream | null;
  name: string;
  self?: boolean;
  peer?: PeerView;
  speaking: boolean;
  large?: boolean;
  hand: boolean;
  microphone: boolean;
  camera: boolean;
}) {
  const t = useTranslations('conferences.room');
  const tv = useTranslations('video');
  const connected = self || peer?.media === 'connected';
  return (
    <figure
      className={`relative overflow-hidden rounded-xl bg-slate-900 text-white ring-2 transition ${speaking ? 'ring-emerald-400' : 'ring-transparent'} ${large ? 'aspect-video' : 'aspect-video'}`}
      data-testid={self ? 'tile-self' : 'tile-peer'}
      data-name={name}
      data-media={self ? 'self' : (peer?.media ?? 'new')}
      data-frames={peer?.framesDecoded ?? 0}
      data-audio-packets={peer?.audioPackets ?? 0}
      data-speaking={speaking || undefined}
    >
      <video
        ref={(el) => {
          if (el && el.srcObject !== stream) el.srcObject = stream;
        }}
        autoPlay
        playsInline
        muted={self}
        className={`h-full w-full object-cover ${self && !peer ? '-scale-x-100' : ''} ${connected && camera ? '' : 'invisible'}`}
        aria-label={self ? tv('selfVideo') : tv('remoteVideo', { name })}
      />
      {(!camera || !connected) && (
        <div className="absolute inset-0 flex items-center justify-center">
          <span className="flex h-16 w-16 items-center justify-center rounded-full bg-slate-700 text-2xl font-semibold" aria-hidden>
            {name.slice(0, 1).toUpperCase()}
          </span>
          {!connected && <span className="absolute bottom-12 text-xs text-slate-300">{t('connecting')}</span>}
        </div>
      )}
      <figcaption className="absolute bottom-2 left-2 flex max-w-[85%] items-center gap-1.5 rounded-full bg-black/60 px-2.5 py-1 text-xs">
        {!microphone && (
          <span role="img" aria-label={t('muted')} title={t('muted')} data-testid="tile-muted">
            <MicOffIcon />
          </span>
        )}
        <span className="truncate">{self ? t('you', { name }) : name}</span>
      </figcaption>
      {hand && (
        <span className="absolute right-2 top-2 flex items-center gap-1 rounded-full bg-amber-400 px-2 py-0.5 text-xs font-semibold text-slate-900" data-testid="tile-hand">
          <HandIcon /> {t('handRaised')}
        </span>
      )}
      {peer && connected && <QualityBadge quality={peer.quality} compact />}
    </figure>
  );
}
