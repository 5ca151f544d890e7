import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import dcmjs from 'dcmjs';
import { fitsLookupTable, narrowGrey, rangeOf } from './grey-pixels';

describe('narrowGrey', () => {
  it('leaves whole numbers within a 16-bit table alone', () => {
    expect(narrowGrey(Int16Array.of(-1024, 0, 3071))).toBeNull();
    expect(narrowGrey(Uint16Array.of(0, 65535))).toBeNull();
    expect(narrowGrey(Uint32Array.of(0, 65535))).toBeNull();
  });

  it('maps fractions onto 16 bits, and back through slope and intercept', () => {
    const values = Float32Array.of(0.795, 1.0, 1.254);
    const n = narrowGrey(values)!;
    expect(n.min).toBeCloseTo(0.795, 6);
    expect(n.max).toBeCloseTo(1.254, 6);
    expect([...n.pixels]).toEqual([0, Math.round((1.0 - values[0]) / n.slope), 65535]);
    n.pixels.forEach((p, k) => expect(p * n.slope + n.intercept).toBeCloseTo(values[k], 4));
  });

  it('maps a 32-bit range onto 16 bits', () => {
    const n = narrowGrey(Uint32Array.of(795000, 1254000, 4_000_000_000))!;
    expect([n.pixels[0], n.pixels[2]]).toEqual([0, 65535]);
    expect(n.pixels[1] * n.slope + n.intercept).toBeCloseTo(1254000, -5);
  });

  it('keeps a flat image flat', () => {
    const n = narrowGrey(Float32Array.of(0.5, 0.5))!;
    expect([...n.pixels]).toEqual([0, 0]);
    expect(n.pixels[0] * n.slope + n.intercept).toBe(0.5);
  });

  it('ranges and table fit', () => {
    expect(rangeOf(Float32Array.of(3, NaN, -2))).toEqual({ min: -2, max: 3 });
    expect(rangeOf(new Float32Array(0))).toEqual({ min: 0, max: 0 });
    expect(fitsLookupTable(Int32Array.of(-70000, 0), -70000, 0)).toBe(false);
  });

  it("pydicom's RT dose (32-bit unsigned): every frame, its Dose Grid Scaling applied", () => {
    const b = fs.readFileSync('/usr/lib/python3/dist-packages/pydicom/data/test_files/rtdose.dcm');
    const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer).dict) as Record<string, unknown>;
    const raw = new Uint32Array((ds.PixelData as ArrayBuffer[])[0]);
    expect(raw.length).toBe(15 * 10 * 10);
    const scaled = Float32Array.from(raw, (v) => v * Number(ds.DoseGridScaling));
    const n = narrowGrey(scaled)!;
    expect(n.max - n.min).toBeGreaterThan(0.1);
    expect(new Set(n.pixels).size).toBeGreaterThan(100);
  });
});
