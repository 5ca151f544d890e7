import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import dcmjs from 'dcmjs';
import { mismatchedVrEncoding, readFileMeta } from '@/lib/dicom/inspect';
import { loadableFile, withMatchingVrEncoding } from './loadable';

// Real files from Debian's python3-pydicom.
const DIR = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const read = (name: string) => {
  const b = fs.readFileSync(path.join(DIR, name));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
const natural = (buffer: ArrayBuffer) => {
  const parsed = dcmjs.data.DicomMessage.readFile(buffer);
  return { meta: dcmjs.data.DicomMetaDictionary.naturalizeDataset(parsed.meta), ds: dcmjs.data.DicomMetaDictionary.naturalizeDataset(parsed.dict) };
};
const inflate = async (b: Uint8Array) => new Uint8Array(zlib.inflateRawSync(b));

describe('files made readable for the image loader', () => {
  it('an implicit VR data set behind JPEG Baseline is written again with explicit VRs, the JPEG untouched', () => {
    const original = read('SC_rgb_jpeg.dcm');
    expect(mismatchedVrEncoding(new Uint8Array(original), readFileMeta(new Uint8Array(original))!)).toBe('1.2.840.10008.1.2');
    const out = withMatchingVrEncoding(original);
    const meta = readFileMeta(new Uint8Array(out))!;
    expect(meta.transferSyntaxUid).toBe('1.2.840.10008.1.2.4.50');
    expect(mismatchedVrEncoding(new Uint8Array(out), meta)).toBeNull();
    const { meta: m, ds } = natural(out);
    expect(m.TransferSyntaxUID).toBe('1.2.840.10008.1.2.4.50');
    expect(ds).toMatchObject({ Rows: 256, Columns: 256, SamplesPerPixel: 3, Modality: 'OT', StudyInstanceUID: expect.stringMatching(/^[\d.]+$/) });
    // The JPEG stream is the one in the file: found whole in the original bytes.
    const frame = Buffer.from((ds.PixelData as ArrayBuffer[])[0]);
    expect(frame.subarray(0, 2).toString('hex')).toBe('ffd8');
    expect(Buffer.from(original).indexOf(frame)).toBeGreaterThan(0);
    // The uncompressed twin (decoded by dcmtk) has the same size of image.
    const twin = natural(read('SC_rgb_jpeg_dcmd.dcm')).ds;
    expect([twin.Rows, twin.Columns]).toEqual([ds.Rows, ds.Columns]);
  });

  it('files that agree with their syntax are handed on as they are', async () => {
    for (const name of ['MR_small.dcm', 'MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'JPEG2000.dcm', 'SC_rgb_jpeg_dcmtk.dcm']) {
      const b = read(name);
      expect(await loadableFile(b, inflate)).toBe(b);
    }
  });

  it('a deflated file comes out inflated', async () => {
    const out = await loadableFile(read('image_dfl.dcm'), inflate);
    expect(readFileMeta(new Uint8Array(out))?.transferSyntaxUid).toBe('1.2.840.10008.1.2.1');
  });
});
