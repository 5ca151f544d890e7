// The colour space of a colour JPEG's samples (pure). The image loader hands
// 8-bit colour JPEG Baseline frames to the browser's JPEG decoder, which like
// every libjpeg decoder converts YCbCr to RGB when the stream says or seems to
// be YCbCr, and never looks at the data set's Photometric Interpretation. A
// stream that says nothing (no JFIF or Adobe marker libjpeg accepts, component
// ids other than 1,2,3 or 'R','G','B') is taken for YCbCr — so an RGB image
// compressed without a colour transform, labelled RGB in its data set, comes
// out in wrong colours (pydicom's SC_rgb_jpeg.dcm: a short Adobe marker
// libjpeg ignores, ids 0,1,2; white tissue shown magenta). For such a stream
// the data set decides: labelled RGB, its component ids are rewritten to
// 'R','G','B' in place (same length, nothing else moves), which every libjpeg
// reads as "RGB, no transform". A stream that does say (JFIF, a whole Adobe
// marker, ids 1,2,3 or 'R','G','B', subsampled chroma) is left to its word,
// as libjpeg and dcmtk's "guess" mode do: a YCbCr stream mislabelled RGB
// (pydicom's SC_rgb_jpeg_lossy_gdcm.dcm) is still converted.

export type JpegColour = 'ycbcr' | 'rgb';

type Header = {
  jfif: boolean;
  /** The Adobe marker's transform (0 none, 1 YCbCr), null without a whole marker. */
  adobeTransform: number | null;
  components: { id: number; h: number; v: number; at: number }[];
  /** Offsets of every component selector in every scan header. */
  scanSelectors: number[];
};

const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const ascii = (b: Uint8Array, at: number, s: string) => [...s].every((c, k) => b[at + k] === c.charCodeAt(0));
/** Payload lengths below which libjpeg ignores an APP0 JFIF / APP14 Adobe marker (jdmarker.c). */
const JFIF_LENGTH = 14;
const ADOBE_LENGTH = 12;
const R = 0x52;
const G = 0x47;
const B = 0x42;

/** The markers of a JPEG stream up to its end; null when it is not one. */
export function readJpegHeader(frame: Uint8Array): Header | null {
  if (frame[0] !== 0xff || frame[1] !== 0xd8) return null;
  const h: Header = { jfif: false, adobeTransform: null, components: [], scanSelectors: [] };
  let at = 2;
  while (at + 4 <= frame.length) {
    if (frame[at] !== 0xff) return null;
    const marker = frame[at + 1];
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd9) break;
    const length = (frame[at + 2] << 8) | frame[at + 3];
    const payload = at + 4;
    const end = at + 2 + length;
    if (length < 2 || end > frame.length) return null;
    if (marker === 0xe0 && length - 2 >= JFIF_LENGTH && ascii(frame, payload, 'JFIF\0')) h.jfif = true;
    if (marker === 0xee && length - 2 >= ADOBE_LENGTH && ascii(frame, payload, 'Adobe')) h.adobeTransform = frame[payload + 11];
    if (SOF.has(marker)) {
      const n = frame[payload + 5];
      for (let k = 0; k < n; k++) {
        const c = payload + 6 + 3 * k;
        h.components.push({ id: frame[c], h: frame[c + 1] >> 4, v: frame[c + 1] & 15, at: c });
      }
    }
    at = end;
    if (marker === 0xda) {
      const n = frame[payload];
      for (let k = 0; k < n; k++) h.scanSelectors.push(payload + 1 + 2 * k);
      // Entropy-coded data runs to the next marker that is neither a stuffed
      // 0xFF00 nor a restart marker.
      while (at + 1 < frame.length && !(frame[at] === 0xff && frame[at + 1] !== 0x00 && (frame[at + 1] < 0xd0 || frame[at + 1] > 0xd7))) at++;
    }
  }
  return h;
}

/** What the stream itself says of its three components; null when it says nothing and a decoder would guess. */
export function statedColour(h: Header): JpegColour | null {
  if (h.components.length !== 3) return null;
  if (h.jfif) return 'ycbcr';
  if (h.adobeTransform !== null) return h.adobeTransform === 0 ? 'rgb' : 'ycbcr';
  const ids = h.components.map((c) => c.id).join(',');
  if (ids === '1,2,3') return 'ycbcr';
  if (ids === `${R},${G},${B}`) return 'rgb';
  // Only chroma is ever subsampled.
  if (h.components.some((c) => c.h !== h.components[0].h || c.v !== h.components[0].v)) return 'ycbcr';
  return null;
}

/**
 * Makes a JPEG decoder keep the samples of an RGB stream that says nothing of
 * its colour space, when its data set's Photometric Interpretation is RGB:
 * the component ids become 'R','G','B' in the frame itself. True when the
 * frame was changed.
 */
export function keepUntransformedRgb(frame: Uint8Array, photometricInterpretation: string): boolean {
  if (photometricInterpretation.trim() !== 'RGB') return false;
  const h = readJpegHeader(frame);
  if (!h || statedColour(h) !== null || h.components.length !== 3) return false;
  const rgb = [R, G, B];
  const byId = new Map(h.components.map((c, k) => [c.id, rgb[k]]));
  const scans = h.scanSelectors.map((at) => ({ at, id: byId.get(frame[at]) }));
  if (!scans.length || scans.some((s) => s.id === undefined)) return false;
  for (const s of scans) frame[s.at] = s.id!;
  h.components.forEach((c, k) => (frame[c.at] = rgb[k]));
  return true;
}

/** The same for a frame stored in fragments (PS3.5 A.4): changed where it lies. */
export function keepUntransformedRgbFragments(fragments: Uint8Array[], photometricInterpretation: string): boolean {
  if (fragments.length === 1) return keepUntransformedRgb(fragments[0], photometricInterpretation);
  const whole = new Uint8Array(fragments.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of fragments) {
    whole.set(f, at);
    at += f.length;
  }
  if (!keepUntransformedRgb(whole, photometricInterpretation)) return false;
  at = 0;
  for (const f of fragments) {
    f.set(whole.subarray(at, at + f.length));
    at += f.length;
  }
  return true;
}
