'use client';
// The viewer's toolbar: compact rows of icon buttons with German labels
// (aria-label and tooltip): one row scrolling sideways on a phone, wrapping
// onto a second row where a wider screen still lacks room.
import { useTranslations } from 'next-intl';
import { PRESETS, type PresetId } from '@/lib/viewer/presets';
import { Icon, type IconName } from './icons';
import type { Layout, ToolId, ViewerController, ViewerState } from './controller';

const TOOLS: { id: ToolId; key: string; icon: IconName }[] = [
  { id: 'WindowLevel', key: 'windowLevel', icon: 'windowLevel' },
  { id: 'Pan', key: 'pan', icon: 'pan' },
  { id: 'Zoom', key: 'zoom', icon: 'zoom' },
  { id: 'StackScroll', key: 'scroll', icon: 'scroll' },
  { id: 'Length', key: 'length', icon: 'length' },
  { id: 'Angle', key: 'angle', icon: 'angle' },
  { id: 'RectangleROI', key: 'rectangle', icon: 'rectangle' },
  { id: 'EllipticalROI', key: 'ellipse', icon: 'ellipse' },
];

const LAYOUTS: { id: Layout; icon: IconName }[] = [
  { id: '1x1', icon: 'layout1' },
  { id: '1x2', icon: 'layout2' },
  { id: '2x2', icon: 'layout4' },
];

const btn = (on = false) =>
  `inline-flex h-9 min-w-9 shrink-0 items-center justify-center gap-1 rounded px-2 text-xs pointer-coarse:h-11 pointer-coarse:min-w-11 font-medium outline-none focus-visible:ring-2 focus-visible:ring-sky-400 ${
    on ? 'bg-sky-600 text-white' : 'text-neutral-300 hover:bg-neutral-800 hover:text-white'
  }`;

const Sep = () => <span className="mx-1 h-6 w-px shrink-0 bg-neutral-700" aria-hidden="true" />;

type Panels = { tags: boolean; attachments: boolean; series: boolean };

export function Toolbar({
  c,
  state,
  panels,
  onPanel,
  hasAttachments,
  fullscreen,
}: {
  c: ViewerController;
  state: ViewerState;
  panels: Panels;
  onPanel: (p: keyof Panels) => void;
  hasAttachments: boolean;
  /** Present where the browser can show an element full screen. */
  fullscreen?: { on: boolean; toggle: () => void };
}) {
  const t = useTranslations('viewer');
  const action = (key: string, icon: IconName, onClick: () => void, pressed?: boolean) => (
    <button type="button" className={btn(pressed)} aria-label={t(`actions.${key}`)} title={t(`actions.${key}`)} aria-pressed={pressed} onClick={onClick}>
      <Icon name={icon} />
    </button>
  );
  const onPreset = (v: string) => {
    if (v === 'default') c.setWindow(null);
    else {
      const p = PRESETS.find((x) => x.id === v);
      if (p) c.setWindow(p);
    }
  };
  return (
    <div role="toolbar" aria-label={t('toolbar')} className="flex items-center gap-0.5 overflow-x-auto border-b md:flex-wrap md:overflow-x-visible border-neutral-800 bg-neutral-900 px-1.5 py-1 [scrollbar-width:thin]">
      <button type="button" className={`${btn(panels.series)} md:hidden`} aria-label={t('actions.series')} title={t('actions.series')} aria-pressed={panels.series} onClick={() => onPanel('series')}>
        <Icon name="series" />
      </button>
      {TOOLS.map((tool) => (
        <button
          key={tool.id}
          type="button"
          className={btn(state.tool === tool.id)}
          aria-label={t(`tools.${tool.key}`)}
          title={t(`tools.${tool.key}`)}
          aria-pressed={state.tool === tool.id}
          onClick={() => c.setTool(tool.id)}
        >
          <Icon name={tool.icon} />
          <span className="hidden 2xl:inline">{t(`tools.${tool.key}`)}</span>
        </button>
      ))}
      <Sep />
      <label className="sr-only" htmlFor="viewer-preset">
        {t('presets.label')}
      </label>
      <select
        id="viewer-preset"
        className="h-9 shrink-0 rounded border border-neutral-700 bg-neutral-900 px-2 text-xs text-neutral-200 focus-visible:ring-2 focus-visible:ring-sky-400 pointer-coarse:h-11"
        value=""
        onChange={(e) => onPreset(e.target.value)}
      >
        <option value="" disabled>
          {t('presets.choose')}
        </option>
        <option value="default">{t('presets.default')}</option>
        {PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            {t(`presets.${p.id as PresetId}`)} ({p.width}/{p.center})
          </option>
        ))}
      </select>
      <Sep />
      {action('zoomIn', 'zoomIn', () => c.zoom(1.25))}
      {action('zoomOut', 'zoomOut', () => c.zoom(0.8))}
      {action('rotate', 'rotate', () => c.rotate())}
      {action('flipH', 'flipH', () => c.flip('h'))}
      {action('flipV', 'flipV', () => c.flip('v'))}
      {action('invert', 'invert', () => c.invert())}
      {action('reset', 'reset', () => c.reset())}
      {action('clearMeasurements', 'clear', () => c.clearMeasurements())}
      <Sep />
      {action(state.cine ? 'cineStop' : 'cinePlay', state.cine ? 'stop' : 'play', () => c.toggleCine(), state.cine)}
      <label className="sr-only" htmlFor="viewer-fps">
        {t('actions.fps')}
      </label>
      <select
        id="viewer-fps"
        title={t('actions.fps')}
        className="h-9 shrink-0 rounded border border-neutral-700 bg-neutral-900 px-1 text-xs text-neutral-200 pointer-coarse:h-11"
        value={state.fps}
        onChange={(e) => c.setFps(Number(e.target.value))}
      >
        {[5, 10, 15, 25, 30].map((f) => (
          <option key={f} value={f}>
            {f} fps
          </option>
        ))}
      </select>
      <Sep />
      <div role="group" aria-label={t('layout.label')} className="flex shrink-0 items-center gap-0.5">
        {LAYOUTS.map((l) => (
          <button key={l.id} type="button" className={btn(state.layout === l.id)} aria-label={`${t('layout.label')} ${t(`layout.${l.id}`)}`} title={`${t('layout.label')} ${t(`layout.${l.id}`)}`} aria-pressed={state.layout === l.id} onClick={() => c.setLayout(l.id)}>
            <Icon name={l.icon} />
          </button>
        ))}
      </div>
      <Sep />
      <button type="button" className={btn(panels.tags)} aria-label={t('actions.tags')} title={t('actions.tags')} aria-pressed={panels.tags} onClick={() => onPanel('tags')}>
        <Icon name="tags" />
        <span className="hidden 2xl:inline">{t('actions.tags')}</span>
      </button>
      {hasAttachments && (
        <button type="button" className={btn(panels.attachments)} aria-label={t('actions.attachments')} title={t('actions.attachments')} aria-pressed={panels.attachments} onClick={() => onPanel('attachments')}>
          <Icon name="attachment" />
          <span className="hidden 2xl:inline">{t('actions.attachments')}</span>
        </button>
      )}
      {fullscreen && action(fullscreen.on ? 'exitFullscreen' : 'fullscreen', fullscreen.on ? 'exitFullscreen' : 'fullscreen', fullscreen.toggle, fullscreen.on)}
    </div>
  );
}
