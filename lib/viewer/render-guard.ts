// One viewport's failure to draw stays that viewport's. Cornerstone draws the
// viewports flagged for rendering in one animation frame and clears its
// "frame requested" flag only after all of them were drawn: an exception in
// one (an image the CPU path cannot draw: getImageData on a canvas 0 pixels
// wide) leaves the flag set for good, so the engine never requests another
// frame and every pane stays as it was, black, while overlays go on updating.
// Each viewport is drawn inside its own try here; a failure is reported and
// the frame goes on.
import type { RenderingEngine } from '@cornerstonejs/core';

type Viewport = { id: string };
type Implementation = { renderViewportUsingCustomOrVtkPipeline?: (viewport: Viewport) => unknown };

/** Reports a viewport whose drawing threw, instead of letting the exception stop the engine. Returns whether the guard is in place. */
export function guardRendering(engine: RenderingEngine, onError: (viewportId: string, error: unknown) => void): boolean {
  // The engine delegates to its implementation (tiled or context pool); both draw a viewport through this method.
  const implementation = (engine as unknown as { _implementation?: Implementation })._implementation;
  const draw = implementation?.renderViewportUsingCustomOrVtkPipeline;
  if (!implementation || typeof draw !== 'function') return false;
  implementation.renderViewportUsingCustomOrVtkPipeline = function (viewport: Viewport) {
    try {
      return draw.call(this, viewport);
    } catch (error) {
      onError(viewport.id, error);
      // No event detail: the frame sends no IMAGE_RENDERED for this viewport.
      return undefined;
    }
  };
  return true;
}
