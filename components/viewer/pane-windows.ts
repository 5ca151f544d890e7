// The window the user chose in each pane, dragged or a preset. Cornerstone
// gives every image scrolled to its file's window (on the CPU path even
// while drawing it in the last one); a radiologist expects a window set by
// hand to stay while scrolling through the series, until reset or another
// series is shown.
import type { Types } from '@cornerstonejs/core';
import type { VoiRange } from '@/lib/viewer/presets';

const sameRange = (a: VoiRange | undefined, b: VoiRange | undefined) => a?.lower === b?.lower && a?.upper === b?.upper;

export class PaneWindows {
  private chosen: (VoiRange | null)[] = [null, null, null, null];
  private listeners = new Map<number, (e: Event) => void>();

  constructor(
    private readonly viewport: (i: number) => Types.IStackViewport | null,
    /** Whether a drag with the primary button sets the window now. */
    private readonly draggingSetsWindow: () => boolean,
  ) {}

  /** The window chosen in pane i, null for the file's own. */
  get = (i: number) => this.chosen[i];

  set(i: number, range: VoiRange | null) {
    this.chosen[i] = range;
  }

  /** Listens on pane i's element: for a dragged window, and for each new image, which gets the chosen window. */
  listen(i: number, el: HTMLElement, newImageEvent: string) {
    el.addEventListener(newImageEvent, this.listener(i));
    el.addEventListener('pointerdown', this.listener(i));
  }

  unlisten(i: number, el: HTMLElement, newImageEvent: string) {
    el.removeEventListener(newImageEvent, this.listener(i));
    el.removeEventListener('pointerdown', this.listener(i));
  }

  private listener(i: number) {
    let l = this.listeners.get(i);
    if (!l) {
      l = (e: Event) => (e.type === 'pointerdown' ? this.watchDrag(i) : this.keep(i));
      this.listeners.set(i, l);
    }
    return l;
  }

  /** A window dragged on an image is noticed when the pointer is let go. */
  private watchDrag(i: number) {
    const vp = this.viewport(i);
    if (!vp) return;
    const before = vp.getProperties().voiRange;
    const imageId = vp.getCurrentImageId();
    const done = () => {
      const now = this.viewport(i);
      const after = now?.getProperties().voiRange;
      if (this.draggingSetsWindow() && after && !sameRange(before, after) && now?.getCurrentImageId() === imageId) this.chosen[i] = after;
    };
    window.addEventListener('pointerup', done, { once: true });
  }

  /**
   * A new image gets the chosen window once the viewport has given it its
   * file's: in a microtask, still before the frame that draws it, so it is
   * drawn only in the user's window.
   */
  private keep(i: number) {
    queueMicrotask(() => {
      const range = this.chosen[i];
      const vp = this.viewport(i);
      if (!range || !vp || sameRange(vp.getProperties().voiRange, range)) return;
      vp.setProperties({ voiRange: range });
      vp.render();
    });
  }
}
