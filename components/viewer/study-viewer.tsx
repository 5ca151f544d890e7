'use client';
// The study viewer: series list, toolbar, one to four image panes, and the
// tag and attachment panels. Import it only through LazyStudyViewer
// (lazy-viewer.tsx), so cornerstone stays out of every other page's bundle.
import { useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type RefObject } from 'react';
import { useTranslations } from 'next-intl';
import type { ViewerSeries, ViewerSource } from '@/lib/viewer/types';
import { PANES, ViewerController } from './controller';
import { Toolbar } from './toolbar';
import { ViewerPane } from './viewer-pane';
import { SeriesList, seriesTitle } from './series-list';
import { TagPanel } from './tag-panel';
import { AttachmentPanel } from './attachment-panel';

const GRID = { '1x1': 'grid-cols-1 grid-rows-1', '1x2': 'grid-cols-2 grid-rows-1', '2x2': 'grid-cols-2 grid-rows-2' } as const;

/** The tag panel for the file a pane shows: follows the pane's position by itself, so scrolling does not re-render the viewer around it. */
function ShownTags({ c, pane, load, onClose }: { c: ViewerController; pane: number; load: ViewerSource['load']; onClose: () => void }) {
  const fileId = useSyncExternalStore(
    c.subscribe,
    () => c.fileShown(pane),
    () => c.fileShown(pane),
  );
  return <TagPanel fileId={fileId} load={load} onClose={onClose} />;
}

const onFullscreenChange = (notify: () => void) => {
  document.addEventListener('fullscreenchange', notify);
  return () => document.removeEventListener('fullscreenchange', notify);
};

/** Full screen for the viewer's own element (the page around it steps back), where the browser allows it. */
function useFullscreen(root: RefObject<HTMLDivElement | null>) {
  const enabled = useSyncExternalStore(onFullscreenChange, () => document.fullscreenEnabled === true, () => false);
  const on = useSyncExternalStore(onFullscreenChange, () => document.fullscreenElement !== null && document.fullscreenElement === root.current, () => false);
  if (!enabled) return undefined;
  const toggle = () => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
    else void root.current?.requestFullscreen().catch(() => {});
  };
  return { on, toggle };
}

/** objects: series without an image (reports, waveforms), listed beside the image series but never opened in a pane. */
export default function StudyViewer({ source, objects = [] }: { source: ViewerSource; objects?: ViewerSeries[] }) {
  const t = useTranslations('viewer');
  const c = useMemo(() => new ViewerController(source, 'WindowLevel'), [source]);
  const stats = { area: t('stats.area'), mean: t('stats.mean'), sd: t('stats.sd') };
  // The measurement labels follow the language; the tools read them when they draw.
  useLayoutEffect(() => c.setStatsLabels(stats));
  const state = useSyncExternalStore(c.subscribe, c.getState, c.getState);
  const [panels, setPanels] = useState({ tags: false, attachments: false, series: true });
  const root = useRef<HTMLDivElement>(null);
  const fullscreen = useFullscreen(root);
  const attachments = source.files.filter((f) => f.kind !== 'dicom');

  useEffect(() => {
    void c.start();
    return () => c.destroy();
  }, [c]);

  const names = new Map(source.series.map((s) => [s.seriesInstanceUid, seriesTitle(t, s)]));
  const n = PANES[state.layout];
  const active = state.panes[state.active];
  const togglePanel = (p: keyof typeof panels) =>
    setPanels((x) => ({ ...x, [p]: !x[p], ...(p === 'tags' && !x.tags ? { attachments: false } : {}), ...(p === 'attachments' && !x.attachments ? { tags: false } : {}) }));
  const side = panels.tags || panels.attachments;

  return (
    <div ref={root} className="flex h-full min-h-[420px] flex-col overflow-hidden rounded-md border border-neutral-800 bg-neutral-950 text-neutral-200" data-testid="study-viewer" data-rendering={state.rendering ?? undefined}>
      <Toolbar c={c} state={state} panels={panels} onPanel={togglePanel} hasAttachments={attachments.length > 0} fullscreen={fullscreen} />
      {state.failed && (
        <p role="alert" className="bg-red-950 px-3 py-2 text-sm text-red-200">
          {t('loadFailed', { reason: state.failed })}
        </p>
      )}
      <div className="flex min-h-0 flex-1 flex-col md:flex-row">
        {source.series.length + objects.length > 0 && (
          <SeriesList
            c={c}
            series={source.series}
            objects={objects}
            shown={active?.seriesUid ?? null}
            ready={state.ready}
            className={`${panels.series ? 'block' : 'hidden'} shrink-0 overflow-x-auto border-b border-neutral-800 bg-neutral-900 md:block md:w-36 md:overflow-y-auto md:border-b-0 md:border-r`}
          />
        )}
        <div className={`grid min-h-0 min-w-0 flex-1 gap-px bg-neutral-800 ${GRID[state.layout]} ${side ? 'hidden sm:grid' : ''}`}>
          {source.series.length === 0 ? (
            <p className="flex items-center justify-center bg-black text-sm text-neutral-400">{t('noImages')}</p>
          ) : (
            state.panes.slice(0, n).map((p, i) => <ViewerPane key={i} c={c} i={i} pane={p} active={i === state.active} seriesName={(p.seriesUid && names.get(p.seriesUid)) || ''} />)
          )}
        </div>
        {panels.tags && (
          <div className="flex min-h-0 flex-1 flex-col sm:w-[26rem] sm:flex-none">
            <ShownTags c={c} pane={state.active} load={source.load} onClose={() => togglePanel('tags')} />
          </div>
        )}
        {panels.attachments && attachments.length > 0 && (
          <div className="flex min-h-0 flex-1 flex-col sm:w-[32rem] sm:flex-none">
            <AttachmentPanel files={attachments} load={source.load} onClose={() => togglePanel('attachments')} />
          </div>
        )}
      </div>
      <p className="hidden border-t border-neutral-800 bg-neutral-900 px-3 py-1 text-[11px] text-neutral-400 md:block">{t('help')}</p>
    </div>
  );
}
