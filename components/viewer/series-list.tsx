'use client';
// The series of the study with a thumbnail each; a click shows the series in
// the active pane. A column beside the images, a strip above them on a phone.
import { useEffect, useRef } from 'react';
import { useTranslations } from 'next-intl';
import type { ViewerSeries } from '@/lib/viewer/types';
import { useObjectLabel } from '@/components/studies/object-label';
import type { ViewerController } from './controller';

function Thumbnail({ c, uid, ready }: { c: ViewerController; uid: string; ready: boolean }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ready && ref.current) c.thumbnail(ref.current, uid).catch(() => {});
  }, [c, uid, ready]);
  // The thumbnail drawing sizes the canvas inline (256 device pixels); the list keeps it square and small.
  return <canvas ref={ref} width={96} height={96} className="!h-16 !w-16 shrink-0 rounded-sm bg-black md:!h-24 md:!w-24 md:self-center" aria-hidden="true" />;
}

export function seriesTitle(t: ReturnType<typeof useTranslations>, s: ViewerSeries) {
  return [s.modality, s.number !== null ? t('seriesLabel', { number: s.number }) : '', s.description || t('noDescription')].filter(Boolean).join(' · ');
}

/** A series without an image (report, waveform): named, not a button, as nothing can be shown of it here. */
function ObjectEntry({ s }: { s: ViewerSeries }) {
  const t = useTranslations('viewer');
  const objectLabel = useObjectLabel();
  return (
    <li className="flex w-40 shrink-0 items-center gap-2 p-1 md:w-full md:flex-col md:items-stretch" data-testid="series-no-image">
      <span className="flex h-16 w-16 shrink-0 items-center justify-center rounded-sm bg-neutral-800 text-center text-[10px] text-neutral-400 md:h-24 md:w-24 md:self-center">{t('seriesNoImage')}</span>
      <span className="min-w-0 text-[11px] leading-tight text-neutral-300">
        <span className="block truncate font-semibold text-neutral-100">
          {s.modality} {s.number !== null ? `#${s.number}` : ''}
        </span>
        <span className="block truncate">{s.description || t('noDescription')}</span>
        <span className="block text-neutral-400">{objectLabel(s.modality)}</span>
      </span>
    </li>
  );
}

export function SeriesList({
  c,
  series,
  objects = [],
  shown,
  ready,
  className,
}: {
  c: ViewerController;
  series: ViewerSeries[];
  objects?: ViewerSeries[];
  shown: string | null;
  ready: boolean;
  className: string;
}) {
  const t = useTranslations('viewer');
  return (
    <nav aria-label={t('actions.series')} className={className}>
      <ul className="flex gap-1.5 p-1.5 md:flex-col">
        {series.map((s) => (
          <li key={s.seriesInstanceUid} className="shrink-0">
            <button
              type="button"
              onClick={() => c.showSeries(s.seriesInstanceUid)}
              aria-label={t('showSeries', { name: seriesTitle(t, s) })}
              aria-current={shown === s.seriesInstanceUid || undefined}
              className={`flex w-40 items-center gap-2 rounded p-1 text-left outline-none focus-visible:ring-2 focus-visible:ring-sky-400 md:w-full md:flex-col md:items-stretch ${
                shown === s.seriesInstanceUid ? 'bg-sky-900/60 ring-1 ring-sky-600' : 'hover:bg-neutral-800'
              }`}
            >
              <Thumbnail c={c} uid={s.seriesInstanceUid} ready={ready} />
              <span className="min-w-0 text-[11px] leading-tight text-neutral-300">
                <span className="block truncate font-semibold text-neutral-100">
                  {s.modality} {s.number !== null ? `#${s.number}` : ''}
                </span>
                <span className="block truncate">{s.description || t('noDescription')}</span>
                <span className="block text-neutral-400">{t('seriesImages', { count: s.images })}</span>
              </span>
            </button>
          </li>
        ))}
        {objects.map((s) => (
          <ObjectEntry key={s.seriesInstanceUid} s={s} />
        ))}
      </ul>
    </nav>
  );
}
