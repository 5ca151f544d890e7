import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import dcmjs from 'dcmjs';
import { normalisedColour, rleColourToEightBits, toEightBits, ybrFull422ToRgb } from './colour-pixels';

// Real files from Debian's python3-pydicom, against dcmtk's decoding (dcmj2pnm, installed by the test command).
const DIR = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const pixelsOf = (name: string) => {
  const b = fs.readFileSync(path.join(DIR, name));
  const parsed = dcmjs.data.DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(parsed.dict) as Record<string, unknown>;
  return { rows: Number(ds.Rows), columns: Number(ds.Columns), pi: String(ds.PhotometricInterpretation), data: new Uint8Array((ds.PixelData as ArrayBuffer[])[0]) };
};
const dcmtk = (name: string) => {
  const ppm = execFileSync('dcmj2pnm', ['--write-raw-pnm', path.join(DIR, name)]);
  const header = /^P6\s+\d+\s+\d+\s+255\s/.exec(ppm.subarray(0, 64).toString('latin1'))!;
  return new Uint8Array(ppm.subarray(header[0].length));
};
const meanAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += Math.abs(a[k] - b[k]);
  return sum / a.length;
};

describe('colour pixels as 8-bit RGB', () => {
  it('uncompressed YBR_FULL_422 (SC_ybr_full_422_uncompressed.dcm) as dcmtk converts it', () => {
    const f = pixelsOf('SC_ybr_full_422_uncompressed.dcm');
    expect(f.pi).toBe('YBR_FULL_422');
    expect(f.data.length).toBe(2 * f.rows * f.columns);
    const rgb = normalisedColour({ rows: f.rows, columns: f.columns, photometricInterpretation: f.pi, bitsStored: 8, pixelData: f.data })!;
    expect(meanAbs(rgb, dcmtk('SC_ybr_full_422_uncompressed.dcm'))).toBeLessThan(1);
  });

  it('a pair of pixels: two lumas, one chroma', () => {
    // Y 76/29, Cb 85, Cr 255 (pure red's chroma).
    expect([...ybrFull422ToRgb([76, 29, 85, 255], 2)]).toEqual([254, 0, 0, 207, 0, 0]);
  });

  it('16 bits a sample scaled onto 0..255', () => {
    expect([...toEightBits(new Uint16Array([0, 257, 32896, 65535]), 16)]).toEqual([0, 1, 128, 255]);
    expect(normalisedColour({ rows: 1, columns: 1, photometricInterpretation: 'RGB', bitsStored: 16, pixelData: new Uint16Array([65535, 0, 32896]) })).toEqual(new Uint8Array([255, 0, 128]));
  });

  it('an odd 3 × 3 RGB image padded to 28 bytes (SC_rgb_small_odd.dcm) loses the pad', () => {
    const f = pixelsOf('SC_rgb_small_odd.dcm');
    expect(f.data.length).toBe(28);
    const rgb = normalisedColour({ rows: f.rows, columns: f.columns, photometricInterpretation: f.pi, bitsStored: 8, pixelData: f.data })!;
    expect([...rgb]).toEqual([...dcmtk('SC_rgb_small_odd.dcm')]);
  });

  it.each([
    ['SC_rgb_rle_16bit.dcm', 2],
    ['SC_rgb_rle_32bit.dcm', 4],
  ])('RLE RGB with more than 8 bits a sample (%s) decoded to 8 bits as dcmtk shows it', (name, bytes) => {
    const f = pixelsOf(name);
    const rgb = rleColourToEightBits(f.data, f.rows * f.columns, 3, bytes)!;
    expect(meanAbs(rgb, dcmtk(name))).toBeLessThan(1);
    // And the same as the 8-bit RLE file of that image.
    const eight = rleColourToEightBits(pixelsOf('SC_rgb_rle.dcm').data, f.rows * f.columns, 3, 1)!;
    expect(meanAbs(rgb, eight)).toBeLessThan(1);
  });

  it('not an RLE frame of that shape: null', () => {
    expect(rleColourToEightBits(pixelsOf('SC_rgb_rle.dcm').data, 100 * 100, 3, 2)).toBeNull();
    expect(rleColourToEightBits(new Uint8Array(10), 1, 3, 2)).toBeNull();
  });

  it('8-bit RGB or RGBA of the right length is left as it is', () => {
    expect(normalisedColour({ rows: 1, columns: 2, photometricInterpretation: 'RGB', bitsStored: 8, pixelData: new Uint8Array(6) })).toBeNull();
    expect(normalisedColour({ rows: 1, columns: 2, photometricInterpretation: 'YBR_FULL', bitsStored: 8, pixelData: new Uint8Array(8) })).toBeNull();
  });
});
