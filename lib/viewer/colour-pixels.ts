// Colour pixel data as both of cornerstone's ways of drawing take it (pure):
// 8-bit RGB, three bytes a pixel. The image loader leaves three kinds of real
// colour files in other shapes, and each was drawn black or wrongly:
// - uncompressed YBR_FULL_422 (two bytes a pixel: Y1 Y2 Cb Cr for two pixels;
//   the loader's test for "needs converting" expects another length),
// - samples of more than 8 bits (values up to 65535 against an 8-bit window;
//   RLE with more than one sample of more than 8 bits the loader does not
//   decode at all, so those frames are decoded here, see rleColourToEightBits),
// - an odd number of bytes padded to an even length (a 3 × 3 RGB image).

/** YBR_FULL to RGB (PS3.3 C.7.6.3.1.2), rounded and clamped to 0..255. */
const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** Uncompressed YBR_FULL_422 (Y1 Y2 Cb Cr per pair of pixels) as interleaved RGB. */
export function ybrFull422ToRgb(src: ArrayLike<number>, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels * 3);
  for (let p = 0, s = 0; p < pixels; p += 2, s += 4) {
    const cb = src[s + 2] - 128;
    const cr = src[s + 3] - 128;
    for (let k = 0; k < 2 && p + k < pixels; k++) {
      const y = src[s + k];
      const o = 3 * (p + k);
      out[o] = clamp(y + 1.402 * cr);
      out[o + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr);
      out[o + 2] = clamp(y + 1.772 * cb);
    }
  }
  return out;
}

/** Samples of `bitsStored` bits scaled to 0..255 (the whole range of the samples onto the whole range of the screen, as dcmtk does). */
export function toEightBits(src: ArrayLike<number>, bitsStored: number, length = src.length): Uint8Array {
  const out = new Uint8Array(length);
  const scale = 255 / (2 ** bitsStored - 1);
  for (let k = 0; k < length; k++) out[k] = clamp(src[k] * scale);
  return out;
}

export type ColourFrame = { rows: number; columns: number; photometricInterpretation: string; bitsStored: number; pixelData: ArrayLike<number> & { length: number } };

/**
 * The frame's pixels as 8-bit interleaved RGB when the loader left them in
 * another shape; null when they are fine as they are (8-bit RGB or RGBA of
 * the right length).
 */
export function normalisedColour(f: ColourFrame): Uint8Array | null {
  const pixels = f.rows * f.columns;
  const n = f.pixelData.length;
  if (f.bitsStored <= 8 && (n === 3 * pixels || n === 4 * pixels)) return null;
  if (f.photometricInterpretation.trim() === 'YBR_FULL_422' && n >= 2 * pixels && n < 3 * pixels) return ybrFull422ToRgb(f.pixelData, pixels);
  if (n < 3 * pixels) return null;
  if (f.bitsStored > 8) return toEightBits(f.pixelData, f.bitsStored, n === 4 * pixels ? n : 3 * pixels);
  // More than three bytes a pixel but not four: padding.
  return Uint8Array.from({ length: 3 * pixels }, (_, k) => f.pixelData[k]);
}

/**
 * An RLE frame (PS3.5 Annex G) of `samples` samples of `bytesPerSample` bytes
 * as interleaved 8-bit samples: of each sample only its most significant
 * byte's segment is decoded (segments go sample by sample, most significant
 * byte first), which is the sample scaled to 8 bits. Null when the frame is
 * not such a frame.
 */
export function rleColourToEightBits(frame: Uint8Array, pixels: number, samples: number, bytesPerSample: number): Uint8Array | null {
  if (frame.length < 64) return null;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  if (segments !== samples * bytesPerSample || segments > 15) return null;
  const offsets = Array.from({ length: segments }, (_, k) => view.getUint32(4 + 4 * k, true));
  const out = new Uint8Array(pixels * samples);
  for (let s = 0; s < samples; s++) {
    const segment = s * bytesPerSample;
    let at = offsets[segment];
    const end = segment + 1 < segments ? offsets[segment + 1] : frame.length;
    let o = s;
    const last = pixels * samples;
    // PackBits: n ≥ 0 copies n+1 bytes, n < 0 (but not −128) repeats the next byte 1−n times.
    while (at < end && o < last) {
      const n = (frame[at++] << 24) >> 24;
      if (n >= 0) {
        for (let k = 0; k <= n && o < last; k++, o += samples) out[o] = frame[at + k];
        at += n + 1;
      } else if (n !== -128) {
        const v = frame[at++];
        for (let k = 0; k < 1 - n && o < last; k++, o += samples) out[o] = v;
      }
    }
    if (o < last) return null;
  }
  return out;
}
