// What the viewer shows, as React reads it (useSyncExternalStore): the
// viewer's state, and where each pane is in its stack. One subscription, two
// kinds of snapshot: the viewer as a whole re-renders when its state changes,
// a pane's overlay when its position does — not the whole viewer for every
// image scrolled to.
import type { ImageFailure } from '@/lib/viewer/cornerstone';
import type { WindowLevel } from '@/lib/viewer/presets';
import type { ToolId } from './tools';

export type Layout = '1x1' | '1x2' | '2x2';
export type PaneState = { seriesUid: string | null; total: number; loading: boolean; error: ImageFailure | null };
/** Where a pane is in its stack: changes with every image scrolled to and every window dragged, so it is kept apart from PaneState. */
export type PanePosition = { index: number; wl: WindowLevel | null; imageId: string | null };
export type ViewerState = {
  ready: boolean;
  /** How cornerstone draws here (see lib/viewer/drawing.ts), once started. */
  rendering: 'cpu' | 'gpu' | null;
  layout: Layout;
  active: number;
  tool: ToolId;
  panes: PaneState[];
  cine: boolean;
  fps: number;
  failed: string | null;
};

export const PANES: Record<Layout, number> = { '1x1': 1, '1x2': 2, '2x2': 4 };
export const emptyPane = (): PaneState => ({ seriesUid: null, total: 0, loading: false, error: null });
export const startPosition = (): PanePosition => ({ index: 0, wl: null, imageId: null });

export class ViewerStore {
  protected positions: PanePosition[] = [0, 1, 2, 3].map(startPosition);
  private listeners = new Set<() => void>();

  constructor(protected state: ViewerState) {}

  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getState = () => this.state;
  getPosition = (i: number) => this.positions[i];

  protected notify() {
    for (const fn of this.listeners) fn();
  }
  protected set(patch: Partial<ViewerState>) {
    this.state = { ...this.state, ...patch };
    this.notify();
  }
  protected setPane(i: number, patch: Partial<PaneState>, position?: Partial<PanePosition>) {
    const panes = this.state.panes.slice();
    panes[i] = { ...panes[i], ...patch };
    if (position) {
      this.positions = this.positions.slice();
      this.positions[i] = { ...this.positions[i], ...position };
    }
    this.set({ panes });
  }
  protected setPosition(i: number, position: PanePosition) {
    this.positions = this.positions.slice();
    this.positions[i] = position;
    this.notify();
  }
}
