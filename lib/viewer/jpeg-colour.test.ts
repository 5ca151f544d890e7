import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { keepUntransformedRgb, keepUntransformedRgbFragments, readJpegHeader, statedColour } from './jpeg-colour';

// Real files from Debian's python3-pydicom.
const DIR = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
/** The JPEG stream of a single-frame file: from its start-of-image marker in the pixel data to the end-of-image marker. */
const jpegOf = (name: string) => {
  const b = fs.readFileSync(path.join(DIR, name));
  const soi = b.indexOf(Buffer.from([0xff, 0xd8, 0xff]), b.lastIndexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00])));
  const eoi = b.lastIndexOf(Buffer.from([0xff, 0xd9]));
  return new Uint8Array(b.subarray(soi, eoi + 2));
};
const ids = (frame: Uint8Array) => readJpegHeader(frame)!.components.map((c) => c.id);

describe('the colour space a JPEG stream states', () => {
  it.each([
    // A short Adobe marker (10 bytes, libjpeg ignores it) and ids 0,1,2: nothing said.
    ['SC_rgb_jpeg.dcm', null],
    ['SC_jpeg_no_color_transform.dcm', null],
    ['SC_jpeg_no_color_transform_2.dcm', 'rgb'], // Adobe, transform 0
    ['SC_rgb_dcmtk_+eb+cr.dcm', 'rgb'], // Adobe, transform 0, ids R,G,B
    ['SC_rgb_jpeg_dcmtk.dcm', 'ycbcr'], // JFIF
    ['SC_rgb_dcmtk_+eb+cy+np.dcm', 'ycbcr'],
    ['SC_rgb_jpeg_lossy_gdcm.dcm', 'ycbcr'], // ids 1,2,3, subsampled, labelled RGB
  ])('%s: %s', (name, colour) => {
    const h = readJpegHeader(jpegOf(name))!;
    expect(h.components).toHaveLength(3);
    expect(h.scanSelectors.length).toBeGreaterThanOrEqual(3);
    expect(statedColour(h)).toBe(colour);
  });
});

describe('an RGB stream that says nothing is marked RGB when its data set says so', () => {
  it('SC_rgb_jpeg.dcm: component ids become R,G,B in the frame and the scan, nothing else changes', () => {
    const frame = jpegOf('SC_rgb_jpeg.dcm');
    const before = frame.slice();
    expect(ids(frame)).toEqual([0, 1, 2]);
    expect(keepUntransformedRgb(frame, 'RGB')).toBe(true);
    expect(ids(frame)).toEqual([0x52, 0x47, 0x42]);
    expect(statedColour(readJpegHeader(frame)!)).toBe('rgb');
    const changed = [...frame].flatMap((v, k) => (v !== before[k] ? [k] : []));
    expect(changed).toHaveLength(6);
    // Once is enough: the stream now says RGB.
    expect(keepUntransformedRgb(frame, 'RGB')).toBe(false);
  });

  it('a stream labelled YBR, or one that says what it is, is left alone', () => {
    for (const [name, pi] of [
      ['SC_rgb_jpeg.dcm', 'YBR_FULL'],
      ['SC_rgb_jpeg_lossy_gdcm.dcm', 'RGB'],
      ['SC_jpeg_no_color_transform_2.dcm', 'RGB'],
      ['SC_rgb_jpeg_dcmtk.dcm', 'YBR_FULL'],
    ]) {
      const frame = jpegOf(name);
      const before = frame.slice();
      expect(keepUntransformedRgb(frame, pi), name).toBe(false);
      expect(frame).toEqual(before);
    }
  });

  it('every scan of a non-interleaved stream, across fragments', () => {
    // SOI, SOF0 (3 components 0,1,2 at 1x1), then one scan per component with
    // entropy-coded bytes holding a stuffed 0xFF00 and a restart marker, EOI.
    const sof = [0xff, 0xc0, 0x00, 0x11, 8, 0, 8, 0, 8, 3, 0, 0x11, 0, 1, 0x11, 0, 2, 0x11, 0];
    const scan = (id: number) => [0xff, 0xda, 0x00, 0x08, 1, id, 0x00, 0, 63, 0, 0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56];
    const stream = new Uint8Array([0xff, 0xd8, ...sof, ...scan(0), ...scan(1), ...scan(2), 0xff, 0xd9]);
    expect(readJpegHeader(stream)!.scanSelectors).toHaveLength(3);
    const parts = [stream.slice(0, 30), stream.slice(30, 41), stream.slice(41)];
    expect(keepUntransformedRgbFragments(parts, 'RGB')).toBe(true);
    const joined = new Uint8Array(parts.flatMap((p) => [...p]));
    const h = readJpegHeader(joined)!;
    expect(h.components.map((c) => c.id)).toEqual([0x52, 0x47, 0x42]);
    expect(h.scanSelectors.map((at) => joined[at])).toEqual([0x52, 0x47, 0x42]);
    // The entropy-coded bytes are as they were.
    expect([...joined].filter((_, k) => !h.scanSelectors.includes(k) && !h.components.some((c) => c.at === k))).toEqual([...stream].filter((_, k) => !h.scanSelectors.includes(k) && !h.components.some((c) => c.at === k)));
  });

  it('not a JPEG: nothing', () => {
    expect(readJpegHeader(new Uint8Array([1, 2, 3, 4]))).toBeNull();
    expect(keepUntransformedRgb(new Uint8Array([0xff, 0xd8, 0xff]), 'RGB')).toBe(false);
  });
});
