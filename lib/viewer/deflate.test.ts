import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import dcmjs from 'dcmjs';
import { EXPLICIT_LE, readFileMeta } from '@/lib/dicom/inspect';
import { DEFLATED_EXPLICIT_LE, inflateDeflatedFile, type InflateRaw } from './deflate';

// Real files from Debian's python3-pydicom.
const DIR = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const read = (name: string) => {
  const b = fs.readFileSync(path.join(DIR, name));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
const parse = (buffer: ArrayBuffer) => {
  const parsed = dcmjs.data.DicomMessage.readFile(buffer);
  return {
    meta: dcmjs.data.DicomMetaDictionary.naturalizeDataset(parsed.meta) as Record<string, unknown>,
    ds: dcmjs.data.DicomMetaDictionary.naturalizeDataset(parsed.dict) as Record<string, unknown>,
  };
};

/** zlib, strict as a browser's DecompressionStream: bytes after the end of the stream are an error. */
const strictZlib: InflateRaw = async (compressed) => {
  const { buffer, engine } = zlib.inflateRawSync(compressed, { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
  if (engine.bytesWritten !== compressed.length) throw new TypeError('Junk found after end of compressed data.');
  return new Uint8Array(buffer);
};

describe('a deflated file turned into explicit VR little endian', () => {
  const original = read('image_dfl.dcm');

  it.each([
    ['zlib (strict about trailing bytes)', strictZlib],
    ['DecompressionStream', undefined],
  ])('with %s: the loader sees an ordinary file with the same data set', async (_, inflate) => {
    expect(readFileMeta(new Uint8Array(original))?.transferSyntaxUid).toBe(DEFLATED_EXPLICIT_LE);
    const out = await inflateDeflatedFile(original, inflate);
    const bytes = new Uint8Array(out);
    const meta = readFileMeta(bytes)!;
    expect(meta.transferSyntaxUid).toBe(EXPLICIT_LE);
    // (0002,0000) counts exactly the bytes of the group after it.
    const groupLength = new DataView(out).getUint32(132 + 8, true);
    expect(meta.elements[0].element).toBe(0x0000);
    expect(132 + 12 + groupLength).toBe(meta.end);

    // dcmjs inflates the original itself (its own pako), so the two are read independently.
    const before = parse(original);
    const after = parse(out);
    expect(after.meta.TransferSyntaxUID).toBe(EXPLICIT_LE);
    expect(after.meta.MediaStorageSOPInstanceUID).toBe(before.meta.MediaStorageSOPInstanceUID);
    const { Rows: rows, Columns: columns, BitsAllocated: bits, SamplesPerPixel: samples } = after.ds as Record<string, number>;
    expect([rows, columns, bits]).toEqual([512, 512, 8]);
    const pixels = new Uint8Array((after.ds.PixelData as ArrayBuffer[])[0]);
    expect(pixels.length).toBe((rows * columns * (bits / 8) * (samples ?? 1) + 1) & ~1);
    expect(Buffer.from(pixels).equals(Buffer.from(new Uint8Array((before.ds.PixelData as ArrayBuffer[])[0])))).toBe(true);
    // Not a blank image.
    expect(new Set(pixels).size).toBeGreaterThan(16);
    const { PixelData: _a, ...restAfter } = after.ds;
    const { PixelData: _b, ...restBefore } = before.ds;
    expect(restAfter).toEqual(restBefore);
  });

  it('gives any other file back unchanged', async () => {
    const other = read('MR_small.dcm');
    expect(await inflateDeflatedFile(other, strictZlib)).toBe(other);
    const notPart10 = new TextEncoder().encode('not DICOM').buffer as ArrayBuffer;
    expect(await inflateDeflatedFile(notPart10, strictZlib)).toBe(notPart10);
  });

  it('a damaged stream is an error, not a half image', async () => {
    const cut = original.slice(0, original.byteLength - 200);
    await expect(inflateDeflatedFile(cut, strictZlib)).rejects.toThrow();
    await expect(inflateDeflatedFile(cut)).rejects.toThrow();
  });
});
