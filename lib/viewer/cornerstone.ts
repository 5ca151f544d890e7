// The viewer's rendering and decoding engine (browser only; imported only by
// the code-split viewer, so no other page loads it).
//
// Images come through our own image-loader scheme, "konsil:<source>/<file>":
// the loader asks the ViewerSource for the bytes of that one file when the
// image is first needed (the first image at once, its neighbours through the
// stack prefetch, the rest as the user scrolls) and hands them to the DICOM
// image loader's wadouri path, which parses them into its metadata cache and
// decodes the pixel data in its web workers. A Blob per file up front
// (wadouri's fileManager) would have meant decrypting a whole partner study
// before the first image; the scheme keeps it to one file per image shown.
import { Enums, RenderingEngine, cache, getRenderingCapabilities, getShouldUseCPURendering, imageLoadPoolManager, imageLoader, init as initCore, metaData, setUseCPURendering, utilities, type Types } from '@cornerstonejs/core';
import { init as initLoader, wadouri } from '@cornerstonejs/dicom-image-loader';
// A pinned dependency of @cornerstonejs/core itself: the cache the wadouri
// loader reads parsed instances from.
import { Enums as MetadataEnums, utilities as metadataUtilities } from '@cornerstonejs/metadata';
import {
  AngleTool,
  EllipticalROITool,
  LengthTool,
  PanTool,
  PlanarRotateTool,
  RectangleROITool,
  StackScrollTool,
  WindowLevelTool,
  ZoomTool,
  addTool,
  init as initTools,
  utilities as toolUtilities,
} from '@cornerstonejs/tools';
import { EXPLICIT_LE, readFileMeta } from '@/lib/dicom/inspect';
import { normalisedColour, rleColourToEightBits } from './colour-pixels';
import { decodedProblem } from './decoded';
import { chooseDrawing, DRAWING_KEY } from './drawing';
import { narrowGrey, rangeOf } from './grey-pixels';
import { keepUntransformedRgbFragments } from './jpeg-colour';
import { loadableFile } from './loadable';
import type { ViewerSource } from './types';

export const SCHEME = 'konsil';

const sources = new Map<string, ViewerSource>();
/** Image ids asked for per source, so closing a source frees exactly its images. */
const requested = new Map<string, Set<string>>();
const loading = new Map<string, Promise<void>>();

export const imageIdFor = (sourceKey: string, fileId: string, frame?: number) =>
  `${SCHEME}:${sourceKey}/${encodeURIComponent(fileId)}${frame ? `?frame=${frame}` : ''}`;

/** The file an image id belongs to, without the frame. */
export function parseImageId(imageId: string): { base: string; sourceKey: string; fileId: string } {
  const base = imageId.replace(/\?frame=\d+$/, '');
  const rest = base.slice(SCHEME.length + 1);
  const slash = rest.indexOf('/');
  return { base, sourceKey: rest.slice(0, slash), fileId: decodeURIComponent(rest.slice(slash + 1)) };
}

/**
 * The bytes of a file could not be had (read from disk, fetched, decrypted):
 * not a question of decoding, and told apart from one in the pane.
 */
export class SourceError extends Error {}

export type ImageFailure = { kind: 'cannotDecode'; syntax: string } | { kind: 'loadFailed'; reason: string };

/**
 * What went wrong with an image, for the user: a file whose bytes could not
 * be had is a load failure, with its reason; anything that goes wrong after
 * that (parsing, decoding) means the image cannot be shown here, said plainly
 * with its transfer syntax instead of the library's words.
 */
export function failureOf(imageId: string, error: unknown): ImageFailure {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { error?: unknown; cause?: unknown }).error ?? (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof SourceError) return { kind: 'loadFailed', reason: e.message };
  }
  return { kind: 'cannotDecode', syntax: transferSyntaxOf(imageId) ?? '' };
}

/** The transfer syntax each file was stored in, as its meta group says (before any inflating). */
const syntaxes = new Map<string, string>();

/** The stored transfer syntax of an image's file, once its bytes were read. */
export const transferSyntaxOf = (imageId: string): string | null => syntaxes.get(parseImageId(imageId).base) ?? null;

async function ensureParsed(imageId: string) {
  const { base, sourceKey, fileId } = parseImageId(imageId);
  if (metaData.get(MetadataEnums.MetadataModules.NATURALIZED, base)) return;
  let pending = loading.get(base);
  if (!pending) {
    const source = sources.get(sourceKey);
    pending = (source ? source.load(fileId) : Promise.reject(new Error('viewer source closed')))
      .catch((e: unknown) => {
        throw new SourceError(e instanceof Error ? e.message : String(e), { cause: e });
      })
      .then((bytes) => {
        syntaxes.set(base, readFileMeta(new Uint8Array(bytes))?.transferSyntaxUid ?? '');
        // A deflated data set, or one in other VRs than its syntax names, is made readable first.
        return loadableFile(bytes);
      })
      .then((bytes) => metadataUtilities.addDicomPart10Instance(base, bytes))
      .then(() => {
        markUntransformedRgb(base);
        narrowDeepRleColour(base);
      })
      .finally(() => loading.delete(base));
    loading.set(base, pending);
  }
  await pending;
}

type Fragment = ArrayBuffer | ArrayBufferView;
const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';
const bytesOf = (f: Fragment) => (f instanceof ArrayBuffer ? new Uint8Array(f) : new Uint8Array(f.buffer, f.byteOffset, f.byteLength));

/**
 * Colour JPEG Baseline frames go to the browser's JPEG decoder, which never
 * sees the Photometric Interpretation: an RGB stream that does not say it is
 * RGB would come out converted as if it were YCbCr (jpeg-colour.ts). Such
 * frames are marked RGB in the parsed file, once, before anything decodes them.
 */
function markUntransformedRgb(base: string) {
  const natural = metaData.get(MetadataEnums.MetadataModules.NATURALIZED, base) as
    | { TransferSyntaxUID?: string; SamplesPerPixel?: number; PhotometricInterpretation?: string; PixelData?: (Fragment | Fragment[])[] }
    | undefined;
  if (natural?.TransferSyntaxUID !== JPEG_BASELINE || Number(natural.SamplesPerPixel) !== 3) return;
  const pi = String(natural.PhotometricInterpretation ?? '');
  for (const frame of natural.PixelData ?? []) keepUntransformedRgbFragments((Array.isArray(frame) ? frame : [frame]).map(bytesOf), pi);
}

/**
 * A decoded colour image whose pixels the loader left in a shape neither way
 * of drawing takes (colour-pixels.ts) gets them as 8-bit RGB, in every place
 * the image keeps them.
 */
function drawableColour(image: Types.IImage): Types.IImage {
  if (!image.color) return image;
  const frame = image.imageFrame;
  const pixels = normalisedColour({
    rows: image.rows,
    columns: image.columns,
    photometricInterpretation: frame?.photometricInterpretation ?? '',
    bitsStored: frame?.bitsStored ?? 8,
    pixelData: image.getPixelData(),
  });
  if (!pixels) return image;
  const components = pixels.length === 4 * image.rows * image.columns ? 4 : 3;
  if (frame) {
    frame.pixelData = pixels;
    frame.pixelDataLength = pixels.length;
  }
  image.getPixelData = () => pixels;
  image.voxelManager = utilities.VoxelManager.createImageVoxelManager({ width: image.columns, height: image.rows, scalarData: pixels, numberOfComponents: components });
  image.numberOfComponents = components;
  image.rgba = components === 4;
  image.dataType = 'Uint8Array';
  image.sizeInBytes = pixels.byteLength;
  let [min, max] = [255, 0];
  for (const v of pixels) [min, max] = [Math.min(min, v), Math.max(max, v)];
  image.minPixelValue = min;
  image.maxPixelValue = max;
  return image;
}

/**
 * A decoded image that is not whole (no pixels, another size than its
 * header, too few values) is refused here, so the pane says it cannot be
 * shown, instead of being drawn: drawing it would throw inside the rendering
 * engine's frame.
 */
function wholeImage(imageId: string, image: Types.IImage): Types.IImage {
  const natural = metaData.get(MetadataEnums.MetadataModules.NATURALIZED, parseImageId(imageId).base) as { Rows?: number; Columns?: number } | undefined;
  const problem = decodedProblem({
    rows: image.rows,
    columns: image.columns,
    headerRows: Number(natural?.Rows) || 0,
    headerColumns: Number(natural?.Columns) || 0,
    components: image.color ? (image.numberOfComponents ?? 3) : 1,
    length: image.getPixelData()?.length ?? 0,
  });
  if (problem) throw new Error(problem);
  return image;
}

/**
 * Grey pixels drawn on the CPU as 16-bit values with a slope and intercept,
 * when they are fractions or span more than 16 bits (grey-pixels.ts); a file
 * without a window of its own is shown from its smallest to its largest
 * value. WebGL takes such pixels as they are.
 */
function drawableGrey(image: Types.IImage): Types.IImage {
  if (image.color || !getShouldUseCPURendering()) return image;
  const stored = image.getPixelData();
  const narrowed = narrowGrey(stored);
  if (!narrowed) return image;
  // Values the loader scaled already are in their units; raw values go through the image's own slope.
  const [slope, intercept] = image.preScale?.scaled ? [1, 0] : [image.slope ?? 1, image.intercept ?? 0];
  const frame = image.imageFrame;
  if (frame) {
    frame.pixelData = narrowed.pixels;
    frame.pixelDataLength = narrowed.pixels.length;
  }
  image.getPixelData = () => narrowed.pixels;
  image.voxelManager = utilities.VoxelManager.createImageVoxelManager({ width: image.columns, height: image.rows, scalarData: narrowed.pixels, numberOfComponents: 1 });
  image.dataType = 'Uint16Array';
  image.sizeInBytes = narrowed.pixels.byteLength;
  image.slope = narrowed.slope * slope;
  image.intercept = narrowed.intercept * slope + intercept;
  image.preScale = { ...image.preScale, enabled: image.preScale?.enabled ?? false, scaled: false };
  const { min, max } = rangeOf(narrowed.pixels);
  image.minPixelValue = min;
  image.maxPixelValue = max;
  const voi = metaData.get(MetadataEnums.MetadataModules.VOI_LUT, image.imageId) as { windowWidth?: number[] } | undefined;
  if (!voi?.windowWidth?.length) {
    // In the terms of the DICOM linear function, which cornerstone turns back into this range
    // (a plain width of less than 1, as doses in Gy have, would come out turned over).
    const window = utilities.windowLevel.toWindowLevel(min * image.slope + image.intercept, max * image.slope + image.intercept);
    image.windowWidth = window.windowWidth;
    image.windowCenter = window.windowCenter;
  }
  return image;
}

const RLE = '1.2.840.10008.1.2.5';

/**
 * RLE colour with more than 8 bits a sample (colour-pixels.ts): decoded here
 * to 8-bit RGB and handed to the loader as an uncompressed data set.
 */
function narrowDeepRleColour(base: string) {
  const natural = metaData.get(MetadataEnums.MetadataModules.NATURALIZED, base) as Record<string, unknown> | undefined;
  const samples = Number(natural?.SamplesPerPixel);
  const bits = Number(natural?.BitsAllocated);
  if (!natural || natural.TransferSyntaxUID !== RLE || samples < 2 || !(bits > 8) || bits % 8) return;
  const pixels = Number(natural.Rows) * Number(natural.Columns);
  const frames = ((natural.PixelData ?? []) as (Fragment | Fragment[])[]).map((frame) => {
    const parts = (Array.isArray(frame) ? frame : [frame]).map(bytesOf);
    const whole = parts.length === 1 ? parts[0] : new Uint8Array(parts.flatMap((p) => [...p]));
    return rleColourToEightBits(whole, pixels, samples, bits / 8);
  });
  if (!frames.length || frames.some((f) => !f)) return;
  Object.assign(natural, { TransferSyntaxUID: EXPLICIT_LE, BitsAllocated: 8, BitsStored: 8, HighBit: 7, PixelRepresentation: 0, PlanarConfiguration: 0, PixelData: frames.map((f) => f!.buffer) });
  delete natural.SmallestImagePixelValue;
  delete natural.LargestImagePixelValue;
}

function loadImage(imageId: string, options?: Record<string, unknown>) {
  requested.get(parseImageId(imageId).sourceKey)?.add(imageId);
  const promise = ensureParsed(imageId)
    .then(() => wadouri.loadImageFromNaturalizedMetadata(imageId, options).promise)
    .then(drawableColour)
    .then((image) => drawableGrey(wholeImage(imageId, image)));
  return { promise };
}

/**
 * Registers a source under a fresh key. `forgetImages` drops its decoded
 * images from cornerstone's cache (they are decoded for one way of drawing:
 * colour as RGBA on the CPU, RGB for WebGL); `close` forgets the source too.
 */
export function openSource(source: ViewerSource): { key: string; forgetImages: () => void; close: () => void } {
  const key = crypto.randomUUID().slice(0, 8);
  sources.set(key, source);
  requested.set(key, new Set());
  const forgetImages = () => {
    for (const id of requested.get(key) ?? []) {
      if (cache.getImageLoadObject(id)) cache.removeImageLoadObject(id, { force: true });
    }
    requested.get(key)?.clear();
  };
  return {
    key,
    forgetImages,
    close: () => {
      sources.delete(key);
      forgetImages();
      requested.delete(key);
      for (const base of syntaxes.keys()) if (parseImageId(base).sourceKey === key) syntaxes.delete(base);
      // The parsed files (pixel data included) are held by the metadata cache; one
      // viewer is open at a time, so leaving it empties that cache.
      metadataUtilities.clearCacheData();
    },
  };
}

/** Whether drawing on the CPU was chosen by the rule (and may be left), not forced. */
let cpuByRule = false;

function decideDrawing() {
  let forced: string | null = null;
  try {
    forced = window.localStorage.getItem(DRAWING_KEY);
  } catch {}
  const gl = getRenderingCapabilities();
  const choice = chooseDrawing({ forced, webgl: gl.webgl, softwareRasterizer: gl.softwareRasterizer, devicePixelRatio: window.devicePixelRatio || 1 });
  setUseCPURendering(choice.drawing === 'cpu', false);
  cpuByRule = choice.drawing === 'cpu' && !choice.forced;
}

/**
 * Calls `then` once the device pixel ratio changes (the page zoomed, the
 * window moved to another screen) while drawing on the CPU by the rule in
 * drawing.ts: from then on the engine draws with WebGL, and a viewer builds
 * its engine anew. The change is noticed when the browser reports it, and at
 * the latest when the user next points, scrolls or resizes — before a tool
 * would read a position in the wrong pixels. Returns the unsubscribe.
 */
export function onCpuDrawingEnds(then: () => void): () => void {
  if (!cpuByRule || !getShouldUseCPURendering()) return () => {};
  const ratio = window.devicePixelRatio || 1;
  const query = window.matchMedia(`(resolution: ${ratio}dppx)`);
  const events = ['pointerdown', 'touchstart', 'wheel', 'keydown', 'resize'] as const;
  const stop = () => {
    query.removeEventListener('change', check);
    for (const e of events) window.removeEventListener(e, check, true);
  };
  function check() {
    if ((window.devicePixelRatio || 1) === ratio) return;
    stop();
    cpuByRule = false;
    setUseCPURendering(false, false);
    then();
  }
  query.addEventListener('change', check);
  for (const e of events) window.addEventListener(e, check, { capture: true, passive: true });
  return stop;
}

/** Images fetched and decoded ahead at the same time: enough to hide a request's latency, few enough to leave the main thread to scrolling. */
const PREFETCH_AT_ONCE = 4;

let ready: Promise<void> | null = null;

export function ensureEngine(): Promise<void> {
  ready ??= (async () => {
    await initCore();
    decideDrawing();
    // Decoding runs in web workers (from our own origin, see proxy.ts), two at most:
    // a phone has little memory, and the main thread stays free for scrolling.
    initLoader({ maxWebWorkers: Math.min(2, Math.max(1, Math.floor((navigator.hardwareConcurrency || 2) / 2))) });
    imageLoader.registerImageLoader(SCHEME, loadImage as Parameters<typeof imageLoader.registerImageLoader>[1]);
    initTools();
    // Fetching ahead: a few images at a time, nearest to the one shown first,
    // in both directions, the order renewed with every image scrolled to.
    // Cornerstone would start every image of a series at once (up to 1000),
    // which keeps the main thread busy parsing for seconds just as the user
    // starts scrolling, and lets duplicate requests pile up with every step.
    imageLoadPoolManager.setMaxSimultaneousRequests(Enums.RequestType.Prefetch, PREFETCH_AT_ONCE);
    toolUtilities.stackPrefetch.setConfiguration({ ...toolUtilities.stackPrefetch.getConfiguration(), preserveExistingPool: false });
    for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool, LengthTool, AngleTool, RectangleROITool, EllipticalROITool, PlanarRotateTool]) addTool(tool);
  })();
  return ready;
}

export function createEngine(id: string) {
  return new RenderingEngine(id);
}

/** Whether engines draw on the CPU (see drawing.ts); thumbnails are drawn the same way. */
export const drawsOnCpu = () => getShouldUseCPURendering();

export const ViewportType = Enums.ViewportType;
export const Events = Enums.Events;
