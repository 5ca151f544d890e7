import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { HEADER_BYTES, inspect } from '@/lib/dicom/inspect';
import { groupLocalFiles, readInstanceNumber, type LocalEntry } from './local-study';

// Real files from Debian's python3-pydicom.
const DIR = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const entry = (name: string, as = name): LocalEntry => {
  const b = new Uint8Array(fs.readFileSync(path.join(DIR, name))).subarray(0, HEADER_BYTES);
  return { id: `id-${as}`, path: as, size: b.byteLength, inspected: inspect(b), instanceNumber: readInstanceNumber(b) };
};

describe('grouping picked files', () => {
  it('reads the instance number, or none', () => {
    expect(entry('JPEG2000.dcm').instanceNumber).toBe(3);
    expect(entry('JPGExtended.dcm').instanceNumber).toBe(5);
    expect(entry('SC_jpeg_no_color_transform.dcm').instanceNumber).toBeNull();
  });

  it('puts images of one series in instance order, attachments after, and says what it left out', () => {
    const study = groupLocalFiles([
      entry('JPGExtended.dcm', 'cd/IM5'),
      entry('JPEG2000.dcm', 'cd/IM3'),
      entry('MR_small.dcm', 'cd/MR'),
      entry('CT_small.dcm', 'cd/CT'),
      entry('MR_small_RLE.dcm', 'cd/MR-again'),
      { id: 'id-pdf', path: 'befund.pdf', size: 10, inspected: { kind: 'pdf' }, instanceNumber: null },
      entry('dicomdirtests/DICOMDIR', 'cd/DICOMDIR'),
      { id: 'id-txt', path: 'liesmich.txt', size: 10, inspected: { kind: 'other' }, instanceNumber: null },
    ]);
    const nm = study.files.filter((f) => f.kind === 'dicom' && f.path.startsWith('cd/IM'));
    expect(nm.map((f) => f.path)).toEqual(['cd/IM3', 'cd/IM5']);
    expect(nm[0].seriesInstanceUid).toBe(nm[1].seriesInstanceUid);
    // MR_small_RLE is the same SOP instance as MR_small: shown once.
    expect(study.skipped).toEqual(
      expect.arrayContaining([
        { path: 'cd/MR-again', reason: 'duplicate' },
        { path: 'cd/DICOMDIR', reason: 'cd_index' },
        { path: 'liesmich.txt', reason: 'not_dicom' },
      ]),
    );
    expect(study.files.at(-1)).toMatchObject({ kind: 'pdf', fileId: 'id-pdf' });
    const nmSeries = study.series.find((s) => s.seriesInstanceUid === nm[0].seriesInstanceUid && s.modality === 'NM');
    expect(nmSeries?.images).toBe(2);
    expect(study.studies.length).toBeGreaterThanOrEqual(2);
    expect(study.onlyIndex).toBe(false);
  });

  it('notices a CD index picked without its images', () => {
    const study = groupLocalFiles([entry('dicomdirtests/DICOMDIR', 'DICOMDIR')]);
    expect(study).toMatchObject({ series: [], files: [], onlyIndex: true });
  });
});
