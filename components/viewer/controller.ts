// The viewer's state outside React: the rendering engine, one stack viewport
// per pane, the tool group, and what the toolbar and overlays show. React
// reads it through useSyncExternalStore and calls its methods from events.
import { eventTarget, utilities as coreUtilities, type Types } from '@cornerstonejs/core';
import { Enums as ToolEnums, ToolGroupManager, annotation, utilities as toolUtilities, type Types as ToolTypes } from '@cornerstonejs/tools';
import { createEngine, ensureEngine, Events, imageIdFor, openSource, parseImageId, SourceError, transferSyntaxOf, ViewportType } from '@/lib/viewer/cornerstone';
import { toVoiRange, toWindowLevel, type WindowLevel } from '@/lib/viewer/presets';
import type { ViewerSource } from '@/lib/viewer/types';

export type ToolId = 'WindowLevel' | 'Pan' | 'Zoom' | 'StackScroll' | 'Length' | 'Angle' | 'RectangleROI' | 'EllipticalROI' | 'PlanarRotate';
export type Layout = '1x1' | '1x2' | '2x2';
export type PaneError = { kind: 'cannotDecode'; syntax: string } | { kind: 'loadFailed'; reason: string };
export type PaneState = { seriesUid: string | null; index: number; total: number; wl: WindowLevel | null; loading: boolean; error: PaneError | null; imageId: string | null };
export type ViewerState = { ready: boolean; layout: Layout; active: number; tool: ToolId; panes: PaneState[]; cine: boolean; fps: number; failed: string | null };
export type StatsLabels = { area: string; mean: string; sd: string };

export const PANES: Record<Layout, number> = { '1x1': 1, '1x2': 2, '2x2': 4 };
const emptyPane = (): PaneState => ({ seriesUid: null, index: 0, total: 0, wl: null, loading: false, error: null, imageId: null });
const MEASURE_TOOLS: ToolId[] = ['Length', 'Angle', 'RectangleROI', 'EllipticalROI'];
const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 10) / 10);

let counter = 0;

export class ViewerController {
  private state: ViewerState;
  private listeners = new Set<() => void>();
  private readonly engineId = `konsil-engine-${++counter}`;
  private readonly toolGroupId = `konsil-tools-${counter}`;
  private engine: ReturnType<typeof createEngine> | null = null;
  private elements: (HTMLDivElement | null)[] = [null, null, null, null];
  private sourceKey = '';
  private closeSource: (() => void) | null = null;
  /** Bumped by destroy(), so a start() still initialising after it gives up. */
  private generation = 0;
  private readonly stackIds = new Map<string, string[]>();
  /** Each pane's own size: a layout change resizes the panes but not the grid around them. */
  private resizeObserver: ResizeObserver | null = null;

  constructor(
    private readonly source: ViewerSource,
    defaultTool: ToolId,
  ) {
    const first = source.series.find((s) => this.imageIds(s.seriesInstanceUid).length > 0);
    this.state = { ready: false, layout: '1x1', active: 0, tool: defaultTool, panes: [0, 1, 2, 3].map(emptyPane), cine: false, fps: 10, failed: null };
    if (first) this.state.panes[0].seriesUid = first.seriesInstanceUid;
  }

  private stats: StatsLabels = { area: 'Area', mean: 'Mean', sd: 'SD' };
  setStatsLabels(labels: StatsLabels) {
    this.stats = labels;
  }

  // --- store ---
  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getState = () => this.state;
  private set(patch: Partial<ViewerState>) {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn();
  }
  private setPane(i: number, patch: Partial<PaneState>) {
    const panes = this.state.panes.slice();
    panes[i] = { ...panes[i], ...patch };
    this.set({ panes });
  }

  /** Image ids of a series, one per frame, in the source's order. */
  imageIds(seriesUid: string): string[] {
    let ids = this.stackIds.get(seriesUid);
    if (!ids) {
      ids = this.source.files
        .filter((f) => f.kind === 'dicom' && f.seriesInstanceUid === seriesUid)
        .flatMap((f) => ((f.frames ?? 1) > 1 ? Array.from({ length: f.frames! }, (_, k) => imageIdFor(this.sourceKey, f.fileId, k + 1)) : [imageIdFor(this.sourceKey, f.fileId)]));
      this.stackIds.set(seriesUid, ids);
    }
    return ids;
  }

  async start() {
    const generation = ++this.generation;
    try {
      await ensureEngine();
    } catch (e) {
      this.set({ failed: e instanceof Error ? e.message : String(e) });
      return;
    }
    if (generation !== this.generation) return;
    const opened = openSource(this.source);
    this.sourceKey = opened.key;
    this.closeSource = opened.close;
    this.stackIds.clear();
    // On a phone one finger scrolls through the stack; a mouse window/levels.
    if (window.matchMedia('(pointer: coarse)').matches && this.state.tool === 'WindowLevel') this.state = { ...this.state, tool: 'StackScroll' };
    this.engine = createEngine(this.engineId);
    this.resizeObserver = new ResizeObserver(() => this.resize());
    const tg = ToolGroupManager.createToolGroup(this.toolGroupId)!;
    const textLines = (data: { cachedStats: Record<string, Record<string, unknown>> }, targetId: string) => {
      const s = data.cachedStats?.[targetId] ?? {};
      const unit = (s.modalityUnit as string) ?? '';
      const lines: string[] = [];
      if (typeof s.area === 'number') lines.push(`${this.stats.area}: ${round(s.area)} ${s.areaUnit ?? ''}`.trim());
      if (typeof s.mean === 'number') lines.push(`${this.stats.mean}: ${round(s.mean)} ${unit}`.trim());
      if (typeof s.stdDev === 'number') lines.push(`${this.stats.sd}: ${round(s.stdDev)} ${unit}`.trim());
      return lines;
    };
    for (const name of ['WindowLevel', 'Pan', 'Zoom', 'StackScroll', 'Length', 'Angle', 'PlanarRotate']) tg.addTool(name);
    tg.addTool('RectangleROI', { getTextLines: textLines });
    tg.addTool('EllipticalROI', { getTextLines: textLines });
    this.applyBindings();
    this.set({ ready: true });
    this.elements.forEach((el, i) => el && this.enable(i, el));
    eventTarget.addEventListener(Events.IMAGE_LOAD_FAILED, this.onLoadFailed);
  }

  private applyBindings() {
    const tg = ToolGroupManager.getToolGroup(this.toolGroupId);
    if (!tg) return;
    const { MouseBindings } = ToolEnums;
    const primary = this.state.tool;
    for (const name of ['WindowLevel', 'Pan', 'Zoom', 'StackScroll', 'Length', 'Angle', 'RectangleROI', 'EllipticalROI', 'PlanarRotate']) {
      // Measurements stay visible (passive) when another tool is chosen.
      if (MEASURE_TOOLS.includes(name as ToolId)) tg.setToolPassive(name);
      else tg.setToolDisabled(name);
    }
    const bindings: Record<string, ToolTypes.IToolBinding[]> = {
      Pan: [{ mouseButton: MouseBindings.Auxiliary }, { numTouchPoints: 3 }],
      Zoom: [{ mouseButton: MouseBindings.Secondary }, { numTouchPoints: 2 }],
      StackScroll: [{ mouseButton: MouseBindings.Wheel }],
    };
    bindings[primary] = [...(bindings[primary] ?? []), { mouseButton: MouseBindings.Primary }];
    for (const [name, b] of Object.entries(bindings)) tg.setToolActive(name, { bindings: b });
  }

  // --- panes ---
  attach(i: number, el: HTMLDivElement | null) {
    const prev = this.elements[i];
    if (prev === el) return;
    if (prev && this.engine) this.disable(i, prev);
    this.elements[i] = el;
    if (el && this.engine) this.enable(i, el);
  }

  private viewportId = (i: number) => `vp-${i}`;

  private viewport(i: number): Types.IStackViewport | null {
    const vp = this.engine?.getViewport(this.viewportId(i));
    return (vp as Types.IStackViewport) ?? null;
  }

  private enable(i: number, el: HTMLDivElement) {
    const engine = this.engine!;
    engine.enableElement({ viewportId: this.viewportId(i), type: ViewportType.STACK, element: el, defaultOptions: { background: [0, 0, 0] } });
    ToolGroupManager.getToolGroup(this.toolGroupId)?.addViewport(this.viewportId(i), this.engineId);
    this.resizeObserver?.observe(el);
    el.addEventListener(Events.STACK_NEW_IMAGE, this.paneListener(i) as EventListener);
    el.addEventListener(Events.VOI_MODIFIED, this.paneListener(i) as EventListener);
    el.addEventListener(Events.IMAGE_RENDERED, this.paneListener(i) as EventListener);
    const uid = this.state.panes[i].seriesUid;
    if (uid) void this.load(i, uid);
  }

  private disable(i: number, el: HTMLDivElement) {
    this.resizeObserver?.unobserve(el);
    const l = this.paneListener(i) as EventListener;
    el.removeEventListener(Events.STACK_NEW_IMAGE, l);
    el.removeEventListener(Events.VOI_MODIFIED, l);
    el.removeEventListener(Events.IMAGE_RENDERED, l);
    try {
      toolUtilities.cine.stopClip(el);
      toolUtilities.stackPrefetch.disable(el);
    } catch {}
    ToolGroupManager.getToolGroup(this.toolGroupId)?.removeViewports(this.engineId, this.viewportId(i));
    this.engine?.disableElement(this.viewportId(i));
  }

  private listenersByPane = new Map<number, (e: Event) => void>();
  private paneListener(i: number) {
    let l = this.listenersByPane.get(i);
    if (!l) {
      l = () => this.readPane(i);
      this.listenersByPane.set(i, l);
    }
    return l;
  }

  private readPane(i: number) {
    const vp = this.viewport(i);
    if (!vp) return;
    const p = this.state.panes[i];
    const index = vp.getCurrentImageIdIndex();
    const voi = vp.getProperties().voiRange;
    const wl = voi ? toWindowLevel(voi) : null;
    const imageId = vp.getCurrentImageId() ?? null;
    const same = p.index === index && p.wl?.width === wl?.width && p.wl?.center === wl?.center && p.imageId === imageId && !p.loading;
    if (!same) this.setPane(i, { index, wl, imageId, loading: false, error: p.imageId === imageId ? p.error : null });
  }

  private onLoadFailed = (evt: Event) => {
    const detail = (evt as CustomEvent<{ imageId?: string; error?: unknown }>).detail;
    const i = this.state.panes.findIndex((p, k) => p.seriesUid && detail.imageId && this.viewport(k)?.getImageIds().includes(detail.imageId));
    if (i >= 0 && detail.imageId) this.setPane(i, { loading: false, error: this.describe(detail.imageId, detail.error), imageId: detail.imageId });
  };

  /**
   * A file whose bytes could not be had is a load failure, with its reason;
   * anything that goes wrong after that (parsing, decoding) means the image
   * cannot be shown here, said plainly with its transfer syntax instead of the
   * library's words.
   */
  private describe(imageId: string, error: unknown): PaneError {
    for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { error?: unknown; cause?: unknown }).error ?? (e as { cause?: unknown }).cause, depth++) {
      if (e instanceof SourceError) return { kind: 'loadFailed', reason: e.message };
    }
    return { kind: 'cannotDecode', syntax: transferSyntaxOf(imageId) ?? '' };
  }

  async load(i: number, seriesUid: string) {
    const vp = this.viewport(i);
    const ids = this.imageIds(seriesUid);
    this.setPane(i, { seriesUid, total: ids.length, index: 0, loading: true, error: null, wl: null, imageId: null });
    if (!vp || ids.length === 0) return;
    this.stopCine();
    try {
      await vp.setStack(ids, 0);
      vp.render();
      this.readPane(i);
      // Neighbours of the image shown are fetched in the background.
      if (ids.length > 1 && this.elements[i]) toolUtilities.stackPrefetch.enable(this.elements[i]!);
    } catch (e) {
      this.setPane(i, { loading: false, error: this.describe(ids[0], e), imageId: ids[0] });
    }
  }

  showSeries(seriesUid: string) {
    void this.load(this.state.active, seriesUid);
  }

  setActive(i: number) {
    if (i !== this.state.active) {
      this.stopCine();
      this.set({ active: i });
    }
  }

  setLayout(layout: Layout) {
    if (layout === this.state.layout) return;
    this.stopCine();
    const n = PANES[layout];
    const panes = this.state.panes.slice();
    // New panes show the next series not yet on screen.
    const shown = new Set(panes.slice(0, PANES[this.state.layout]).map((p) => p.seriesUid));
    const rest = this.source.series.filter((s) => !shown.has(s.seriesInstanceUid) && this.imageIds(s.seriesInstanceUid).length);
    for (let k = PANES[this.state.layout]; k < n; k++) {
      const next = rest.shift();
      panes[k] = { ...emptyPane(), seriesUid: next?.seriesInstanceUid ?? panes[0].seriesUid };
    }
    for (let k = n; k < 4; k++) panes[k] = emptyPane();
    this.set({ layout, panes, active: Math.min(this.state.active, n - 1) });
  }

  setTool(tool: ToolId) {
    this.set({ tool });
    this.applyBindings();
  }

  // --- actions on the active pane ---
  private act(fn: (vp: Types.IStackViewport) => void) {
    const vp = this.viewport(this.state.active);
    if (!vp) return;
    fn(vp);
    vp.render();
    this.readPane(this.state.active);
  }

  scroll(delta: number) {
    this.act((vp) => coreUtilities.scroll(vp, { delta }));
  }
  setWindow(wl: WindowLevel | null) {
    this.act((vp) => {
      if (wl) vp.setProperties({ voiRange: toVoiRange(wl) });
      else vp.resetProperties();
    });
  }
  zoom(factor: number) {
    this.act((vp) => vp.setZoom(vp.getZoom() * factor));
  }
  rotate() {
    this.act((vp) => vp.setViewPresentation({ rotation: ((vp.getViewPresentation().rotation ?? 0) + 90) % 360 }));
  }
  flip(direction: 'h' | 'v') {
    this.act((vp) => {
      const cam = vp.getCamera();
      vp.setCamera(direction === 'h' ? { flipHorizontal: !cam.flipHorizontal } : { flipVertical: !cam.flipVertical });
    });
  }
  invert() {
    this.act((vp) => vp.setProperties({ invert: !vp.getProperties().invert }));
  }
  reset() {
    this.stopCine();
    this.act((vp) => {
      vp.resetProperties();
      vp.resetCamera();
    });
  }
  clearMeasurements() {
    annotation.state.removeAllAnnotations();
    this.engine?.render();
  }

  toggleCine() {
    const el = this.elements[this.state.active];
    if (!el) return;
    if (this.state.cine) this.stopCine();
    else {
      toolUtilities.cine.playClip(el, { framesPerSecond: this.state.fps, loop: true });
      this.set({ cine: true });
    }
  }
  setFps(fps: number) {
    this.set({ fps });
    const el = this.elements[this.state.active];
    if (this.state.cine && el) toolUtilities.cine.playClip(el, { framesPerSecond: fps, loop: true });
  }
  private stopCine() {
    if (!this.state.cine) return;
    for (const el of this.elements) if (el) toolUtilities.cine.stopClip(el);
    this.set({ cine: false });
  }

  resize() {
    // Refit: after a layout change or a turned phone the whole image is shown again.
    this.engine?.resize(true, false);
  }

  /** The bytes of the file shown in the active pane (for the tag panel). */
  currentFile(): { fileId: string } | null {
    const id = this.state.panes[this.state.active]?.imageId;
    return id ? { fileId: parseImageId(id).fileId } : null;
  }

  /** Draws the middle image of a series into a small canvas for the series list. */
  async thumbnail(canvas: HTMLCanvasElement, seriesUid: string) {
    const ids = this.imageIds(seriesUid);
    if (!this.engine || !ids.length) return;
    await coreUtilities.loadImageToCanvas({ canvas, imageId: ids[Math.floor(ids.length / 2)], thumbnail: true });
  }

  destroy() {
    this.generation++;
    eventTarget.removeEventListener(Events.IMAGE_LOAD_FAILED, this.onLoadFailed);
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    if (this.engine) {
      this.elements.forEach((el, i) => el && this.disable(i, el));
      ToolGroupManager.destroyToolGroup(this.toolGroupId);
      this.engine.destroy();
      this.engine = null;
    }
    this.closeSource?.();
    this.closeSource = null;
    this.state = { ...this.state, ready: false };
  }
}
