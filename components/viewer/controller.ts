// The viewer outside React: the rendering engine, one stack viewport per
// pane, the tool group, and what the toolbar and overlays show (its store,
// viewer-store.ts). React calls its methods from events.
import { eventTarget, utilities as coreUtilities, type Types } from '@cornerstonejs/core';
import { ToolGroupManager, annotation, utilities as toolUtilities } from '@cornerstonejs/tools';
import { createEngine, drawsOnCpu, ensureEngine, Events, failureOf, imageIdFor, onCpuDrawingEnds, openSource, parseImageId, ViewportType, type ImageFailure } from '@/lib/viewer/cornerstone';
import { toVoiRange, toWindowLevel, type WindowLevel } from '@/lib/viewer/presets';
import type { ViewerSource } from '@/lib/viewer/types';
import { guardRendering } from '@/lib/viewer/render-guard';
import { PaneWindows } from './pane-windows';
import { bindTools, createToolGroup, type StatsLabels, type ToolId } from './tools';
import { emptyPane, PANES, startPosition, ViewerStore, type Layout } from './viewer-store';

export type { ToolId } from './tools';
export type { Layout, PaneState, PanePosition, ViewerState } from './viewer-store';
export { PANES } from './viewer-store';

let counter = 0;

export class ViewerController extends ViewerStore {
  private readonly engineId = `konsil-engine-${++counter}`;
  private readonly toolGroupId = `konsil-tools-${counter}`;
  private engine: ReturnType<typeof createEngine> | null = null;
  private elements: (HTMLDivElement | null)[] = [null, null, null, null];
  private sourceKey = '';
  private closeSource: (() => void) | null = null;
  private forgetImages: (() => void) | null = null;
  /** Bumped by destroy(), so a start() still initialising after it gives up. */
  private generation = 0;
  private readonly stackIds = new Map<string, string[]>();
  /** Each pane's own size: a layout change resizes the panes but not the grid around them. */
  private resizeObserver: ResizeObserver | null = null;
  private readonly windows = new PaneWindows(
    (i) => this.viewport(i),
    () => this.state.tool === 'WindowLevel',
  );

  constructor(
    private readonly source: ViewerSource,
    defaultTool: ToolId,
  ) {
    super({ ready: false, rendering: null, layout: '1x1', active: 0, tool: defaultTool, panes: [0, 1, 2, 3].map(emptyPane), cine: false, fps: 10, failed: null });
    const first = source.series.find((s) => this.imageIds(s.seriesInstanceUid).length > 0);
    if (first) this.state.panes[0].seriesUid = first.seriesInstanceUid;
  }

  private stats: StatsLabels = { area: 'Area', mean: 'Mean', sd: 'SD' };
  setStatsLabels(labels: StatsLabels) {
    this.stats = labels;
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
    this.forgetImages = opened.forgetImages;
    this.stackIds.clear();
    // On a phone one finger scrolls through the stack; a mouse window/levels.
    if (window.matchMedia('(pointer: coarse)').matches && this.state.tool === 'WindowLevel') this.state = { ...this.state, tool: 'StackScroll' };
    this.build();
    eventTarget.addEventListener(Events.IMAGE_LOAD_FAILED, this.onLoadFailed);
    // The same failure as the viewport reports it, for an image whose load had failed before (fetched ahead).
    eventTarget.addEventListener(Events.IMAGE_LOAD_ERROR, this.onLoadFailed);
  }

  private stopWatchingDrawing: (() => void) | null = null;

  /** The engine, its tools and the panes' viewports, each pane showing its series at its image. */
  private build() {
    this.engine = createEngine(this.engineId);
    guardRendering(this.engine, this.onRenderFailed);
    this.resizeObserver = new ResizeObserver(() => this.resize());
    createToolGroup(this.toolGroupId, () => this.stats);
    this.applyBindings();
    this.set({ ready: true, rendering: drawsOnCpu() ? 'cpu' : 'gpu' });
    this.elements.forEach((el, i) => el && this.enable(i, el));
    this.stopWatchingDrawing = onCpuDrawingEnds(() => this.rebuild());
  }

  private teardown() {
    this.stopWatchingDrawing?.();
    this.stopWatchingDrawing = null;
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    if (this.engine) {
      this.elements.forEach((el, i) => el && this.disable(i, el));
      ToolGroupManager.destroyToolGroup(this.toolGroupId);
      this.engine.destroy();
      this.engine = null;
    }
  }

  /** Drawing on the CPU ended (the device pixel ratio changed): the same panes, drawn with WebGL from now on. */
  private rebuild() {
    if (!this.engine) return;
    this.stopCine();
    this.teardown();
    this.forgetImages?.();
    this.build();
  }

  private applyBindings() {
    bindTools(this.toolGroupId, this.state.tool);
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
    this.windows.listen(i, el, Events.STACK_NEW_IMAGE);
    const uid = this.state.panes[i].seriesUid;
    // At the image and in the window it showed before, when its viewport is built anew.
    if (uid) void this.load(i, uid, this.positions[i].index, { keepWindow: true });
  }

  private disable(i: number, el: HTMLDivElement) {
    this.resizeObserver?.unobserve(el);
    const l = this.paneListener(i) as EventListener;
    el.removeEventListener(Events.STACK_NEW_IMAGE, l);
    el.removeEventListener(Events.VOI_MODIFIED, l);
    el.removeEventListener(Events.IMAGE_RENDERED, l);
    this.windows.unlisten(i, el, Events.STACK_NEW_IMAGE);
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
    const was = this.positions[i];
    const index = vp.getCurrentImageIdIndex();
    const voi = vp.getProperties().voiRange;
    const wl = voi ? toWindowLevel(voi) : null;
    const imageId = vp.getCurrentImageId() ?? null;
    // An error belongs to the image it happened on.
    if (p.loading || (p.error && was.imageId !== imageId)) this.setPane(i, { loading: false, error: was.imageId === imageId ? p.error : null });
    const same = was.index === index && was.wl?.width === wl?.width && was.wl?.center === wl?.center && was.imageId === imageId;
    if (!same) this.setPosition(i, { index, wl, imageId });
  }

  /** An image that failed to load is told in the pane showing it; one that failed while fetched ahead, once scrolled to. */
  private onLoadFailed = (evt: Event) => {
    const detail = (evt as CustomEvent<{ imageId?: string; error?: unknown } | undefined>).detail;
    const imageId = detail?.imageId;
    if (!imageId) return;
    this.state.panes.forEach((p, i) => {
      if (p.seriesUid && this.viewport(i)?.getCurrentImageId() === imageId) this.showFailure(i, imageId, failureOf(imageId, detail.error));
    });
  };

  /** The image a pane was to show threw while drawn: told as one that cannot be shown. */
  private onRenderFailed = (viewportId: string, error: unknown) => {
    const i = this.state.panes.findIndex((_, k) => this.viewportId(k) === viewportId);
    const imageId = this.viewport(i)?.getCurrentImageId();
    if (imageId) this.showFailure(i, imageId, failureOf(imageId, error));
  };

  private showFailure(i: number, imageId: string, error: ImageFailure) {
    const index = Math.max(0, this.viewport(i)?.getImageIds().indexOf(imageId) ?? 0);
    this.setPane(i, { loading: false, error }, { imageId, index });
  }

  async load(i: number, seriesUid: string, at = 0, { keepWindow = false } = {}) {
    const vp = this.viewport(i);
    if (!keepWindow) this.windows.set(i, null);
    const ids = this.imageIds(seriesUid);
    const index = Math.max(0, Math.min(at, ids.length - 1));
    this.setPane(i, { seriesUid, total: ids.length, loading: true, error: null }, { ...startPosition(), index });
    if (!vp || ids.length === 0) return;
    this.stopCine();
    try {
      await vp.setStack(ids, index);
      const kept = this.windows.get(i);
      if (kept) vp.setProperties({ voiRange: kept });
      vp.render();
      this.readPane(i);
      // Neighbours of the image shown are fetched in the background.
      if (ids.length > 1 && this.elements[i]) toolUtilities.stackPrefetch.enable(this.elements[i]!);
    } catch (e) {
      this.setPane(i, { loading: false, error: failureOf(ids[0], e) }, { imageId: ids[0] });
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
    this.positions = this.positions.slice();
    for (let k = PANES[this.state.layout]; k < n; k++) {
      const next = rest.shift();
      panes[k] = { ...emptyPane(), seriesUid: next?.seriesInstanceUid ?? panes[0].seriesUid };
      this.positions[k] = startPosition();
      this.windows.set(k, null);
    }
    for (let k = n; k < 4; k++) {
      panes[k] = emptyPane();
      this.positions[k] = startPosition();
      this.windows.set(k, null);
    }
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
    // The viewport draws the image scrolled to as soon as it has it, and says
    // so (STACK_NEW_IMAGE, read by readPane); a render here would only draw
    // the image before it once more.
    const vp = this.viewport(this.state.active);
    if (vp) coreUtilities.scroll(vp, { delta });
  }
  setWindow(wl: WindowLevel | null) {
    this.windows.set(this.state.active, wl && toVoiRange(wl));
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
    this.windows.set(this.state.active, null);
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

  /** The file whose image pane i shows (for the tag panel): a string, so a snapshot that changes only with the file. */
  fileShown = (i: number): string | null => {
    const id = this.positions[i]?.imageId;
    return id ? parseImageId(id).fileId : null;
  };

  /** Draws the middle image of a series into a small canvas for the series list. */
  async thumbnail(canvas: HTMLCanvasElement, seriesUid: string) {
    const ids = this.imageIds(seriesUid);
    if (!this.engine || !ids.length) return;
    await coreUtilities.loadImageToCanvas({ canvas, imageId: ids[Math.floor(ids.length / 2)], thumbnail: true, useCPURendering: drawsOnCpu() });
  }

  destroy() {
    this.generation++;
    eventTarget.removeEventListener(Events.IMAGE_LOAD_FAILED, this.onLoadFailed);
    eventTarget.removeEventListener(Events.IMAGE_LOAD_ERROR, this.onLoadFailed);
    this.teardown();
    this.closeSource?.();
    this.closeSource = null;
    this.state = { ...this.state, ready: false };
  }
}
