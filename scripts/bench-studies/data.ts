// The studies the studies benchmark sends and views, written to a scratch
// folder: a 1 GiB study (a real DICOM file of Debian's pydicom test data and
// large PDF attachments of random bytes) and a CT series of 200 slices
// synthesised with dcmjs (512 × 512, 16 bit, explicit VR little endian).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import dcmjs from 'dcmjs';

export const PYDICOM_FILES = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const GiB = 2 ** 30;

export type BenchFile = { path: string; rel: string; size: number };
export type BenchStudy = { dir: string; files: BenchFile[]; bytes: number };

const uid = () => `2.25.${BigInt(`0x${crypto.randomBytes(15).toString('hex')}`).toString()}`;

function listed(dir: string): BenchStudy {
  const files: BenchFile[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      // The folder picker names files relative to the parent of the picked folder.
      else files.push({ path: p, rel: path.relative(path.dirname(dir), p), size: fs.statSync(p).size });
    }
  };
  walk(dir);
  return { dir, files, bytes: files.reduce((a, f) => a + f.size, 0) };
}

/**
 * 1 GiB in total: CT_small.dcm (one real CT image) and `parts` attachments
 * that start with "%PDF-" (so the check takes them as PDF findings) and are
 * random bytes after it — as large as an exported CT or a video of an
 * examination, and incompressible.
 */
export function makeLargeStudy(root: string, parts = 4, total = GiB): BenchStudy {
  const dir = path.join(root, 'GROSSE-STUDIE');
  fs.mkdirSync(path.join(dir, 'DICOM'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'ANHANG'), { recursive: true });
  const dcm = path.join(dir, 'DICOM', 'IM0001');
  fs.copyFileSync(path.join(PYDICOM_FILES, 'CT_small.dcm'), dcm);
  const rest = total - fs.statSync(dcm).size;
  const piece = 8 * 2 ** 20;
  for (let k = 0; k < parts; k++) {
    const size = k < parts - 1 ? Math.floor(rest / parts) : rest - Math.floor(rest / parts) * (parts - 1);
    const fd = fs.openSync(path.join(dir, 'ANHANG', `Teil${k + 1}.pdf`), 'w');
    try {
      const head = Buffer.from('%PDF-1.7\n');
      fs.writeSync(fd, head);
      for (let done = head.length; done < size; ) {
        const n = Math.min(piece, size - done);
        fs.writeSync(fd, crypto.randomBytes(n));
        done += n;
      }
    } finally {
      fs.closeSync(fd);
    }
  }
  return listed(dir);
}

type Dcmjs = {
  DicomDict: new (meta: unknown) => { dict: Record<string, { vr: string; Value?: unknown[] }>; write(): ArrayBuffer };
  DicomMetaDictionary: { denaturalizeDataset(ds: Record<string, unknown>): Record<string, { vr: string; Value?: unknown[] }> };
};

/** Deterministic noise, so every run views the same images. */
function gaussian(seed: number) {
  let s = seed >>> 0;
  const u = () => ((s = (s * 1664525 + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/**
 * One slice of a thorax-like phantom in stored values (HU + 1024): air
 * outside, soft tissue, two lungs that change size along the stack, a spine
 * and a vessel, with noise (σ ≈ 12 HU), as a CT would show it.
 */
function slice(z: number, n: number, size: number, noise: () => number): Int16Array {
  const px = new Int16Array(size * size);
  const t = z / (n - 1);
  const c = size / 2;
  const inEllipse = (x: number, y: number, cx: number, cy: number, rx: number, ry: number) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
  const lung = 0.55 + 0.4 * Math.sin(Math.PI * t);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let hu = -1000;
      if (inEllipse(x, y, c, c + 10, size * 0.42, size * 0.3)) {
        hu = 40 + 15 * Math.sin(x / 23) * Math.cos(y / 31);
        if (inEllipse(x, y, c - size * 0.17, c, size * 0.12 * lung, size * 0.2 * lung) || inEllipse(x, y, c + size * 0.17, c, size * 0.12 * lung, size * 0.2 * lung)) hu = -820;
        if (inEllipse(x, y, c, c + size * 0.2, size * 0.05, size * 0.045)) hu = 700;
        if (inEllipse(x, y, c + 12, c - size * 0.05 + 20 * t, size * 0.035, size * 0.035)) hu = 180;
      }
      px[y * size + x] = Math.max(0, Math.round(hu + 1024 + 12 * noise()));
    }
  }
  return px;
}

/** A CT series of `n` slices, 512 × 512, 16 bit, explicit VR little endian, InstanceNumber 1..n, one file each. */
export function makeCtSeries(root: string, n = 200, size = 512): BenchStudy {
  const { DicomDict, DicomMetaDictionary } = (dcmjs as unknown as { data: Dcmjs }).data;
  const dir = path.join(root, 'CT-SERIE');
  fs.mkdirSync(dir, { recursive: true });
  const studyUid = uid();
  const seriesUid = uid();
  const noise = gaussian(7);
  const CT = '1.2.840.10008.5.1.4.1.1.2';
  for (let i = 1; i <= n; i++) {
    const sop = uid();
    const meta = {
      FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
      MediaStorageSOPClassUID: CT,
      MediaStorageSOPInstanceUID: sop,
      TransferSyntaxUID: '1.2.840.10008.1.2.1',
      ImplementationClassUID: '2.25.1234567890',
    };
    const px = slice(i - 1, n, size, noise);
    const ds = {
      SOPClassUID: CT,
      SOPInstanceUID: sop,
      StudyInstanceUID: studyUid,
      SeriesInstanceUID: seriesUid,
      Modality: 'CT',
      PatientName: 'Benchmark^Thorax',
      PatientID: 'BENCH-0001',
      PatientBirthDate: '19600101',
      PatientSex: 'O',
      StudyDate: '20261201',
      StudyDescription: 'CT Thorax',
      SeriesDescription: 'Thorax 1 mm',
      SeriesNumber: 2,
      InstanceNumber: i,
      ImagePositionPatient: [-179.6, -179.6, -(i - 1)],
      ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
      PixelSpacing: [0.7, 0.7],
      SliceThickness: 1,
      Rows: size,
      Columns: size,
      SamplesPerPixel: 1,
      PhotometricInterpretation: 'MONOCHROME2',
      BitsAllocated: 16,
      BitsStored: 12,
      HighBit: 11,
      PixelRepresentation: 0,
      RescaleIntercept: -1024,
      RescaleSlope: 1,
      WindowCenter: 40,
      WindowWidth: 400,
      PixelData: [px.buffer],
      _vrMap: { PixelData: 'OW' },
    };
    const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
    dict.dict = DicomMetaDictionary.denaturalizeDataset(ds);
    fs.writeFileSync(path.join(dir, `IM${String(i).padStart(4, '0')}.dcm`), Buffer.from(dict.write()));
  }
  return listed(dir);
}
