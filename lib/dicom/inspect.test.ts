import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { personName } from '@/lib/studies/format';
import { HEADER_BYTES, VIEWABLE_SYNTAXES, inspect, mismatchedVrEncoding, readFileMeta, withTransferSyntax } from './inspect';

// Real files from Debian's python3-pydicom (the test command installs it).
const DIR = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const head = (name: string) => {
  const fd = fs.openSync(path.join(DIR, name), 'r');
  const buf = Buffer.alloc(HEADER_BYTES);
  const n = fs.readSync(fd, buf, 0, HEADER_BYTES, 0);
  fs.closeSync(fd);
  return new Uint8Array(buf.subarray(0, n));
};

/** The file with its (0010,0010) PatientName replaced (explicit VR little endian; no element before it is long). */
function withPatientName(bytes: Uint8Array, name: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = readFileMeta(bytes)!.end;
  while (!(view.getUint16(at, true) === 0x0010 && view.getUint16(at + 2, true) === 0x0010)) at += 8 + view.getUint16(at + 6, true);
  const end = at + 8 + view.getUint16(at + 6, true);
  let value = new TextEncoder().encode(name);
  if (value.length % 2) value = new Uint8Array([...value, 0x20]);
  const element = new Uint8Array([0x10, 0x00, 0x10, 0x00, 0x50, 0x4e, value.length & 0xff, value.length >> 8, ...value]);
  return new Uint8Array([...bytes.subarray(0, at), ...element, ...bytes.subarray(end)]);
}

describe('inspecting real files', () => {
  it('reads patient, study, series and image from a CT', () => {
    const r = inspect(head('CT_small.dcm'));
    expect(r.kind).toBe('dicom');
    if (r.kind !== 'dicom') return;
    expect(r.header).toMatchObject({ patientName: 'CompressedSamples^CT1', modality: 'CT', transferSyntaxUid: '1.2.840.10008.1.2.1' });
    // Shown as the send summary, the study list and the viewer show every person name.
    expect(personName(r.header.patientName)).toBe('CompressedSamples, CT1');
    expect(r.header.studyInstanceUid).toMatch(/^[\d.]+$/);
    expect(r.header.sopInstanceUid).toMatch(/^[\d.]+$/);
    expect(r.missing).toEqual([]);
  });

  it.each([
    ['MR_small_implicit.dcm', '1.2.840.10008.1.2'],
    ['MR_small_bigendian.dcm', '1.2.840.10008.1.2.2'],
    ['image_dfl.dcm', '1.2.840.10008.1.2.1.99'],
    ['MR_small_RLE.dcm', '1.2.840.10008.1.2.5'],
    ['SC_rgb_jpeg_dcmtk.dcm', '1.2.840.10008.1.2.4.50'],
    ['JPGExtended.dcm', '1.2.840.10008.1.2.4.51'],
    ['MR_small_jpeg_ls_lossless.dcm', '1.2.840.10008.1.2.4.80'],
    ['MR_small_jp2klossless.dcm', '1.2.840.10008.1.2.4.90'],
    ['JPEG2000.dcm', '1.2.840.10008.1.2.4.91'],
  ])('%s: transfer syntax %s, one the viewer shows', (name, ts) => {
    const r = inspect(head(name));
    expect(r.kind).toBe('dicom');
    if (r.kind === 'dicom') expect(r.header.transferSyntaxUid).toBe(ts);
    expect(VIEWABLE_SYNTAXES.has(ts)).toBe(true);
  });

  it('reads a file whose data set is implicit VR behind an explicit syntax (SC_rgb_jpeg.dcm)', () => {
    const bytes = head('SC_rgb_jpeg.dcm');
    const meta = readFileMeta(bytes)!;
    expect(meta.transferSyntaxUid).toBe('1.2.840.10008.1.2.4.50');
    expect(mismatchedVrEncoding(bytes, meta)).toBe('1.2.840.10008.1.2');
    const r = inspect(bytes);
    expect(r.kind).toBe('dicom');
    if (r.kind !== 'dicom') return;
    expect(r.missing).toEqual([]);
    expect(r.header).toMatchObject({ modality: 'OT', transferSyntaxUid: '1.2.840.10008.1.2.4.50', seriesNumber: 1, instanceNumber: 1 });
    expect(r.header.studyInstanceUid).toMatch(/^[\d.]+$/);
    expect(r.header.seriesInstanceUid).toMatch(/^[\d.]+$/);
  });

  it.each(['CT_small.dcm', 'MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'image_dfl.dcm', 'JPEG2000.dcm', 'SC_rgb_jpeg_dcmtk.dcm'])('%s agrees with its own syntax', (name) => {
    const bytes = head(name);
    expect(mismatchedVrEncoding(bytes, readFileMeta(bytes)!)).toBeNull();
  });

  it('rewrites the transfer syntax of the meta group with a correct group length', () => {
    const bytes = head('MR_small.dcm');
    const meta = readFileMeta(bytes)!;
    const out = withTransferSyntax(bytes, meta, '1.2.840.10008.1.2.4.50');
    const again = readFileMeta(out)!;
    expect(again.transferSyntaxUid).toBe('1.2.840.10008.1.2.4.50');
    expect(new DataView(out.buffer).getUint32(140, true)).toBe(again.end - 144);
    expect(Buffer.from(out.subarray(again.end)).equals(Buffer.from(bytes.subarray(meta.end)))).toBe(true);
    expect(inspect(out)).toMatchObject({ kind: 'dicom', header: { transferSyntaxUid: '1.2.840.10008.1.2.4.50', modality: 'MR' } });
  });

  it('tells a CD index, raw DICOM without Part-10 header, and other files apart', () => {
    expect(inspect(head('dicomdirtests/DICOMDIR')).kind).toBe('dicomdir');
    expect(inspect(head('ExplVR_LitEndNoMeta.dcm')).kind).toBe('not-part10');
    expect(inspect(head('README.txt')).kind).toBe('other');
    expect(inspect(new TextEncoder().encode('%PDF-1.7\n…')).kind).toBe('pdf');
    expect(inspect(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])).kind).toBe('jpeg');
  });

  it('keeps the alphabetic group of a person name with its components; ideographic and phonetic groups are left out', () => {
    const r = inspect(withPatientName(head('CT_small.dcm'), 'Yamada^Tarou^^Dr.=山田^太郎=やまだ^たろう'));
    expect(r.kind).toBe('dicom');
    if (r.kind !== 'dicom') return;
    expect(r.header.patientName).toBe('Yamada^Tarou^^Dr.');
    expect(personName(r.header.patientName)).toBe('Yamada, Dr. Tarou');
  });

  it('a secondary capture without Modality (pydicom SC_rgb_jpeg_app14_dcmd.dcm) is sent as "OT", with the tag named as assumed', () => {
    const r = inspect(head('SC_rgb_jpeg_app14_dcmd.dcm'));
    expect(r).toMatchObject({ kind: 'dicom', missing: [], assumed: ['Modality'], header: { modality: 'OT', image: true, sopClassUid: '1.2.840.10008.5.1.4.1.1.7' } });
  });

  it('a JPEG turned into DICOM by dcmtk img2dcm (no Modality, no patient) is sent as "OT"', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'img2dcm-'));
    try {
      execFileSync('dcmj2pnm', ['+oj', path.join(DIR, 'CT_small.dcm'), path.join(dir, 'foto.jpg')]);
      execFileSync('img2dcm', [path.join(dir, 'foto.jpg'), path.join(dir, 'foto.dcm')]);
      const r = inspect(new Uint8Array(fs.readFileSync(path.join(dir, 'foto.dcm'))));
      expect(r).toMatchObject({ kind: 'dicom', missing: [], assumed: ['Modality'], header: { modality: 'OT', image: true, patientName: '', transferSyntaxUid: '1.2.840.10008.1.2.4.50' } });
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  it('still refuses a file that does not say which study and series it belongs to (priv_SQ.dcm)', () => {
    expect(inspect(head('priv_SQ.dcm'))).toMatchObject({ kind: 'dicom', missing: ['StudyInstanceUID', 'SeriesInstanceUID'] });
  });

  it.each([
    ['test-SR.dcm', 'SR'],
    ['waveform_ecg.dcm', 'ECG'],
    ['rtplan.dcm', 'RTPLAN'],
  ])('%s has no image (%s): sent, not counted as one', (name, modality) => {
    expect(inspect(head(name))).toMatchObject({ kind: 'dicom', missing: [], assumed: [], header: { modality, image: false } });
  });

  it.each(['CT_small.dcm', 'MR_small_RLE.dcm', 'SC_rgb_jpeg.dcm', 'SC_rgb_rle_2frame.dcm', 'JPEG2000.dcm'])('%s is an image', (name) => {
    const r = inspect(head(name));
    expect(r).toMatchObject({ kind: 'dicom', header: { image: true } });
  });

  it('an image whose header is cut off before its image tags still counts as an image', () => {
    expect(inspect(head('CT_small.dcm').subarray(0, 600))).toMatchObject({ kind: 'dicom', header: { image: true } });
  });

  it('a header cut off by the read limit still gives what came before it', () => {
    const r = inspect(head('CT_small.dcm').subarray(0, 1200));
    expect(['dicom', 'unreadable']).toContain(r.kind);
  });
});
