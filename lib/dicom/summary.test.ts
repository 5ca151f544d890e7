import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { HEADER_BYTES, inspect } from './inspect';
import { summarise, type PickedFile } from './summary';

const DIR = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

function pick(rel: string, as = rel): PickedFile {
  const full = path.join(DIR, rel);
  const fd = fs.openSync(full, 'r');
  const buf = Buffer.alloc(HEADER_BYTES);
  const n = fs.readSync(fd, buf, 0, HEADER_BYTES, 0);
  fs.closeSync(fd);
  return { path: as, size: fs.statSync(full).size, inspected: inspect(new Uint8Array(buf.subarray(0, n))) };
}

function walk(rel: string): string[] {
  return fs.readdirSync(path.join(DIR, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(rel, e.name)) : [path.join(rel, e.name)]));
}

describe('the summary before sending', () => {
  it('a CD: its index is recognised, its studies listed per patient with series and image counts', () => {
    const s = summarise(walk('dicomdirtests').map((p) => pick(p)));
    expect(s.skipped.filter((x) => x.reason === 'cd_index').length).toBeGreaterThan(0);
    expect(s.studies.length).toBeGreaterThan(1);
    for (const st of s.studies) {
      expect(st.patient.name).not.toBe('');
      expect(st.images).toBe(st.series.reduce((n, x) => n + x.images, 0));
      expect(st.bytes).toBeGreaterThan(0);
      expect(st.patientsDiffer).toBe(false);
    }
    const all = s.studies.flatMap((st) => st.paths);
    expect(new Set(all).size).toBe(all.length);
  });

  it('two studies are listed separately; the same image twice is sent once; PDF and JPEG ride along; the rest is named', () => {
    const s = summarise([
      pick('CT_small.dcm'),
      pick('MR_small.dcm'),
      pick('CT_small.dcm', 'Kopie/CT_small.dcm'),
      pick('README.txt'),
      pick('ExplVR_LitEndNoMeta.dcm'),
      { path: 'Befund.pdf', size: 10, inspected: { kind: 'pdf' } },
      { path: 'Foto.jpg', size: 10, inspected: { kind: 'jpeg' } },
    ]);
    expect(s.studies.map((x) => x.modalities)).toEqual([['CT'], ['MR']]);
    expect(s.studies.map((x) => x.paths)).toEqual([['CT_small.dcm'], ['MR_small.dcm']]);
    expect(s.attachments.map((a) => a.kind)).toEqual(['pdf', 'jpeg']);
    expect(s.skipped).toEqual([
      { path: 'Kopie/CT_small.dcm', reason: 'duplicate' },
      { path: 'README.txt', reason: 'not_dicom' },
      { path: 'ExplVR_LitEndNoMeta.dcm', reason: 'not_part10' },
    ]);
  });

  it('a study whose files name different patients is flagged', () => {
    const a = pick('CT_small.dcm');
    if (a.inspected.kind !== 'dicom') throw new Error('fixture');
    const b: PickedFile = { ...a, path: 'b.dcm', inspected: { ...a.inspected, header: { ...a.inspected.header, sopInstanceUid: '1.2.3.999', patientId: 'anderer' } } };
    expect(summarise([a, b]).studies[0].patientsDiffer).toBe(true);
  });

  it('a file without Modality is sent, filed under "OT", and counted for the warning', () => {
    const s = summarise([pick('SC_rgb_jpeg_app14_dcmd.dcm')]);
    expect(s.skipped).toEqual([]);
    expect(s.studies.map((x) => [x.modalities, x.withoutModality, x.series.map((y) => y.modality)])).toEqual([[['OT'], 1, ['OT']]]);
  });

  it('counts frames as images, reports and waveforms as objects, and files without Modality as "OT" with a warning', () => {
    const ct = pick('CT_small.dcm');
    if (ct.inspected.kind !== 'dicom') throw new Error('fixture');
    const { studyInstanceUid, patientName, patientId, birthDate } = ct.inspected.header;
    // Real files of other studies, moved into the CT's study as a CD of one patient would have them.
    const into = (name: string): PickedFile => {
      const f = pick(name);
      if (f.inspected.kind !== 'dicom') throw new Error('fixture');
      return { ...f, inspected: { ...f.inspected, header: { ...f.inspected.header, studyInstanceUid, patientName, patientId, birthDate } } };
    };
    const s = summarise([ct, into('SC_rgb_rle_2frame.dcm'), into('SC_rgb_jpeg_app14_dcmd.dcm'), into('test-SR.dcm'), into('waveform_ecg.dcm')]);
    expect(s.skipped).toEqual([]);
    expect(s.studies).toHaveLength(1);
    const st = s.studies[0];
    expect(st.paths).toHaveLength(5);
    expect(st.images).toBe(1 + 2 + 1);
    expect(st.objects).toBe(2);
    expect(st.withoutModality).toBe(1);
    expect(st.modalities).toEqual(['CT', 'OT', 'SR', 'ECG']);
    expect(st.series.map((x) => [x.modality, x.images, x.objects])).toEqual(
      expect.arrayContaining([
        ['CT', 1, 0],
        ['OT', 2, 0],
        ['OT', 1, 0],
        ['SR', 0, 1],
        ['ECG', 0, 1],
      ]),
    );
    expect(st.images).toBe(st.series.reduce((n, x) => n + x.images, 0));
    expect(st.notViewable).toEqual([]);
  });
});
