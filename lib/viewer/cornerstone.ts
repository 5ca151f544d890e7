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
import { Enums, RenderingEngine, cache, imageLoader, init as initCore, metaData } from '@cornerstonejs/core';
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
} from '@cornerstonejs/tools';
import { readFileMeta } from '@/lib/dicom/inspect';
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
      .then(() => undefined)
      .finally(() => loading.delete(base));
    loading.set(base, pending);
  }
  await pending;
}

function loadImage(imageId: string, options?: Record<string, unknown>) {
  requested.get(parseImageId(imageId).sourceKey)?.add(imageId);
  const promise = ensureParsed(imageId).then(() => wadouri.loadImageFromNaturalizedMetadata(imageId, options).promise);
  return { promise };
}

/** Registers a source under a fresh key; the returned function forgets it and its cached images. */
export function openSource(source: ViewerSource): { key: string; close: () => void } {
  const key = crypto.randomUUID().slice(0, 8);
  sources.set(key, source);
  requested.set(key, new Set());
  return {
    key,
    close: () => {
      sources.delete(key);
      for (const id of requested.get(key) ?? []) {
        if (cache.getImageLoadObject(id)) cache.removeImageLoadObject(id, { force: true });
      }
      requested.delete(key);
      for (const base of syntaxes.keys()) if (parseImageId(base).sourceKey === key) syntaxes.delete(base);
      // The parsed files (pixel data included) are held by the metadata cache; one
      // viewer is open at a time, so leaving it empties that cache.
      metadataUtilities.clearCacheData();
    },
  };
}

let ready: Promise<void> | null = null;

export function ensureEngine(): Promise<void> {
  ready ??= (async () => {
    await initCore();
    // Decoding runs in web workers (from our own origin, see proxy.ts), two at most:
    // a phone has little memory, and the main thread stays free for scrolling.
    initLoader({ maxWebWorkers: Math.min(2, Math.max(1, Math.floor((navigator.hardwareConcurrency || 2) / 2))) });
    imageLoader.registerImageLoader(SCHEME, loadImage as Parameters<typeof imageLoader.registerImageLoader>[1]);
    initTools();
    for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool, LengthTool, AngleTool, RectangleROITool, EllipticalROITool, PlanarRotateTool]) addTool(tool);
  })();
  return ready;
}

export function createEngine(id: string) {
  return new RenderingEngine(id);
}

export const ViewportType = Enums.ViewportType;
export const Events = Enums.Events;
