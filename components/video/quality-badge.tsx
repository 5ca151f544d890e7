'use client';
import { useId, useState } from 'react';
import { useTranslations } from 'next-intl';
import type { Quality, SendFlow, VideoFlow } from '@/lib/client/rtc-stats';

const BARS: Record<Quality, number> = { unknown: 0, poor: 1, fair: 2, good: 3 };
const COLOUR: Record<Quality, string> = { unknown: 'bg-white/30', poor: 'bg-red-400', fair: 'bg-amber-400', good: 'bg-emerald-400' };

type Props = {
  quality: Quality;
  roundTripMs?: number | null;
  /** The own video as the encoder sends it: when the link narrows, it says so (bandwidth adaptation). */
  sending?: SendFlow | null;
  /** The other side's video as decoded here. */
  receiving?: VideoFlow | null;
  compact?: boolean;
  className?: string;
};

/**
 * The connection's quality as bars and a word; a tap or click opens what it
 * means and what helps, in plain words (also on a phone, where there is no hover).
 * While the link is too narrow for the own picture, the badge says that it is
 * sent smaller, and the explanation says how small and why.
 */
export function QualityBadge({ quality, roundTripMs, sending = null, receiving = null, compact = false, className = '' }: Props) {
  const t = useTranslations('video');
  const [open, setOpen] = useState(false);
  const id = useId();
  const narrow = quality !== 'unknown' && quality !== 'good' && sending?.limit === 'bandwidth';
  const size = (f: VideoFlow) => ({ width: f.width, height: f.height, fps: f.fps, kbps: f.kbps });
  return (
    <div
      className={`absolute left-2 top-2 z-10 max-w-[calc(100%-1rem)] text-xs text-white sm:left-3 sm:top-3 ${className}`}
      data-testid="quality"
      data-quality={quality}
      data-send-width={sending?.width ?? ''}
      data-send-limit={sending?.limit ?? ''}
      data-send-kbps={sending?.kbps ?? ''}
      data-recv-width={receiving?.width ?? ''}
    >
      <button
        type="button"
        className="flex items-center gap-2 rounded-full bg-black/60 px-2.5 py-1 focus-visible:outline-2 focus-visible:outline-white"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
      >
        <span className="flex items-end gap-0.5" aria-hidden>
          {[1, 2, 3].map((b) => (
            <span key={b} className={`w-1 rounded-sm ${b <= BARS[quality] ? COLOUR[quality] : 'bg-white/30'}`} style={{ height: `${b * 4 + 2}px` }} />
          ))}
        </span>
        <span className={compact ? 'sr-only' : ''}>
          {t(`quality.${quality}`)}
          {roundTripMs != null && quality !== 'unknown' ? ` · ${roundTripMs} ms` : ''}
          {narrow ? ` · ${t('qualityNarrow')}` : ''}
        </span>
      </button>
      {open && (
        <div id={id} role="note" className="mt-1 w-64 max-w-[80vw] rounded-lg bg-black/80 p-3 leading-relaxed shadow-lg" data-testid="quality-help">
          <p className="font-semibold">{t(`quality.${quality}`)}</p>
          <p className="mt-1">{t(`qualityHelp.${quality}`)}</p>
          {sending && sending.limit !== 'none' && (
            <p className="mt-1" data-testid="quality-sending">
              {t(sending.limit === 'bandwidth' ? 'qualitySendingBandwidth' : 'qualitySendingCpu', size(sending))}
            </p>
          )}
          {roundTripMs != null && quality !== 'unknown' && <p className="mt-1 text-white/80">{t('qualityRoundTrip', { ms: roundTripMs })}</p>}
          {sending && sending.limit === 'none' && <p className="mt-1 text-white/80">{t('qualitySending', size(sending))}</p>}
          {receiving && <p className="mt-1 text-white/80">{t('qualityReceiving', size(receiving))}</p>}
        </div>
      )}
    </div>
  );
}
