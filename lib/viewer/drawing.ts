// Where cornerstone draws (pure): with WebGL, or on the CPU.
//
// A browser without GPU access (a virtual desktop, a remote session, Chromium
// with --disable-gpu) still offers WebGL, drawn in software by SwiftShader or
// llvmpipe. There every step through a stack spends most of its time copying
// the software-drawn WebGL canvas onto the visible one: a 512² CT slice takes
// 50–100 ms, against well under 20 ms on cornerstone's CPU path. With a real
// GPU, WebGL stays: it is faster there and draws at the screen's resolution.
//
// The CPU path of cornerstone 5 sizes its canvas in CSS pixels but converts
// pointer positions to device pixels, so on a screen (or a zoomed page) with a
// device pixel ratio other than 1 zooming and measuring go wrong there. It is
// therefore chosen only at a ratio of 1, and left for WebGL as soon as the
// ratio changes (see onCpuDrawingEnds in cornerstone.ts).

export type Drawing = 'cpu' | 'gpu';

/** localStorage key of a switch for support and tests: "cpu" or "gpu" instead of the choice below. */
export const DRAWING_KEY = 'konsil.viewer.rendering';

export function chooseDrawing(o: { forced: string | null; webgl: boolean; softwareRasterizer: boolean; devicePixelRatio: number }): { drawing: Drawing; forced: boolean } {
  if (o.forced === 'cpu' || o.forced === 'gpu') return { drawing: o.forced, forced: true };
  if (!o.webgl) return { drawing: 'cpu', forced: true };
  return { drawing: o.softwareRasterizer && o.devicePixelRatio === 1 ? 'cpu' : 'gpu', forced: false };
}
