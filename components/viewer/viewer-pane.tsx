'use client';
// One image pane: the canvas cornerstone draws into, with the overlay a
// radiologist expects in the corners (series, image index, window/level).
import { useCallback, useSyncExternalStore } from 'react';
import { useTranslations } from 'next-intl';
import { formatWindowValue } from '@/lib/viewer/presets';
import { syntaxLabel } from '@/lib/viewer/syntaxes';
import type { PaneState, ViewerController } from './controller';

const KEYS: Record<string, number> = { ArrowUp: -1, ArrowLeft: -1, ArrowDown: 1, ArrowRight: 1, PageUp: -10, PageDown: 10 };

export function ViewerPane({ c, i, pane, active, seriesName }: { c: ViewerController; i: number; pane: PaneState; active: boolean; seriesName: string }) {
  const t = useTranslations('viewer');
  // The image index and window change with every step: read here, so only this pane re-renders for them.
  const { index, wl } = useSyncExternalStore(
    c.subscribe,
    () => c.getPosition(i),
    () => c.getPosition(i),
  );
  // Stable, so the pane's element is enabled once, not on every render.
  const attach = useCallback(
    (el: HTMLDivElement | null) => {
      c.attach(i, el);
      return () => c.attach(i, null);
    },
    [c, i],
  );
  const onKeyDown = (e: React.KeyboardEvent) => {
    const d = KEYS[e.key];
    if (d === undefined) return;
    e.preventDefault();
    c.scroll(d);
  };
  const error = pane.error
    ? pane.error.kind === 'cannotDecode'
      ? t('cannotDecode', { syntax: syntaxLabel(pane.error.syntax) || t('unknownSyntax') })
      : t('loadFailed', { reason: pane.error.reason || t('unknownReason') })
    : null;
  return (
    <div
      role="application"
      aria-roledescription="DICOM"
      aria-label={t('viewport', { n: i + 1, series: seriesName })}
      tabIndex={0}
      data-testid={`viewport-${i}`}
      data-active={active || undefined}
      onPointerDown={() => c.setActive(i)}
      onFocus={() => c.setActive(i)}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
      // Contained: what changes with every image (the canvas, the overlay text) lays out and paints this pane only.
      className={`relative min-h-0 min-w-0 overflow-hidden bg-black outline-none [contain:strict] ring-inset ${active ? 'ring-2 ring-sky-500' : 'ring-1 ring-neutral-800'} focus-visible:ring-2 focus-visible:ring-sky-300`}
    >
      <div ref={attach} className="absolute inset-0 touch-none select-none" />
      {pane.seriesUid ? (
        <div className="pointer-events-none absolute inset-0 font-mono text-[11px] leading-4 text-neutral-200 [text-shadow:0_0_2px_#000,0_0_2px_#000]">
          <p className="absolute left-2 top-1.5 max-w-[70%] truncate">{seriesName}</p>
          {pane.total > 0 && (
            <p className="absolute bottom-1.5 left-2" data-testid={`image-index-${i}`}>
              {t('imageIndex', { index: index + 1, total: pane.total })}
            </p>
          )}
          {wl && (
            <p
              className="absolute bottom-1.5 right-2"
              data-testid={`window-level-${i}`}
              aria-label={t('windowLevelLong', { width: formatWindowValue(wl.width), center: formatWindowValue(wl.center) })}
            >
              {t('windowLevel', { width: formatWindowValue(wl.width), center: formatWindowValue(wl.center) })}
            </p>
          )}
          {pane.loading && !error && <p className="absolute right-2 top-1.5 text-neutral-400">{t('loading')}</p>}
        </div>
      ) : (
        <p className="pointer-events-none absolute inset-0 flex items-center justify-center text-xs text-neutral-500">{t('emptyViewport')}</p>
      )}
      {error && (
        // Over the whole image area: the canvas still holds the image before, which is not the one named below.
        <div className="pointer-events-none absolute inset-x-0 bottom-6 top-6 flex items-center justify-center bg-black px-4">
          <p role="alert" className="rounded border border-amber-500/40 bg-neutral-900/90 p-3 text-center text-sm text-amber-200">
            {error}
          </p>
        </div>
      )}
    </div>
  );
}
