// What the browser checks in every file a user picks before anything is sent
// (pure; runs in a Web Worker, and in Node for tests). Only the header is
// parsed — pixel data is never decoded here — so a study of thousands of files
// is checked quickly and never held in memory as a whole.
import dcmjs from 'dcmjs';

/** Bytes read per file for the check: headers end long before this in practice. */
export const HEADER_BYTES = 256 * 1024;

/** Transfer syntaxes the viewer decodes in the browser; others are sent, with a warning. */
export const VIEWABLE_SYNTAXES = new Map<string, string>([
  ['1.2.840.10008.1.2', 'Implicit VR Little Endian'],
  ['1.2.840.10008.1.2.1', 'Explicit VR Little Endian'],
  ['1.2.840.10008.1.2.1.99', 'Deflated Explicit VR Little Endian'],
  ['1.2.840.10008.1.2.2', 'Explicit VR Big Endian'],
  ['1.2.840.10008.1.2.5', 'RLE Lossless'],
  ['1.2.840.10008.1.2.4.50', 'JPEG Baseline'],
  ['1.2.840.10008.1.2.4.51', 'JPEG Extended'],
  ['1.2.840.10008.1.2.4.57', 'JPEG Lossless'],
  ['1.2.840.10008.1.2.4.70', 'JPEG Lossless SV1'],
  ['1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless'],
  ['1.2.840.10008.1.2.4.81', 'JPEG-LS Near-Lossless'],
  ['1.2.840.10008.1.2.4.90', 'JPEG 2000 Lossless'],
  ['1.2.840.10008.1.2.4.91', 'JPEG 2000'],
]);

const DIRECTORY_STORAGE = '1.2.840.10008.1.3.10';
/** What a study cannot do without: the file would not file into a study, series and image. */
export const REQUIRED_TAGS = ['StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID', 'SOPClassUID', 'Modality'] as const;

export type DicomHeader = {
  patientName: string;
  patientId: string;
  birthDate: string;
  sex: string;
  studyInstanceUid: string;
  studyDate: string;
  studyDescription: string;
  seriesInstanceUid: string;
  seriesNumber: number | null;
  seriesDescription: string;
  modality: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  frames: number;
};

export type Inspected =
  | { kind: 'dicom'; header: DicomHeader; missing: string[] }
  | { kind: 'dicomdir' }
  | { kind: 'pdf' | 'jpeg' }
  /** DICOM without the Part-10 preamble and meta header, or not DICOM at all. */
  | { kind: 'not-part10' | 'other' | 'unreadable'; reason?: string };

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((x, i) => b[at + i] === x);

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map(text).filter(Boolean).join('\\');
  if (typeof v === 'object') {
    // Person names come as { Alphabetic, Ideographic, Phonetic }.
    const pn = v as { Alphabetic?: string };
    return pn.Alphabetic ?? '';
  }
  return String(v).trim();
}

/**
 * Inspects the first bytes of a file (HEADER_BYTES, or all of a smaller one).
 * A header cut off by the limit still yields what was read before it.
 */
export function inspect(head: Uint8Array): Inspected {
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { kind: 'pdf' };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { kind: 'jpeg' };
  if (!startsWith(head, [0x44, 0x49, 0x43, 0x4d], 128)) return looksLikeRawDicom(head) ? { kind: 'not-part10' } : { kind: 'other' };
  let parsed;
  try {
    const buffer = head.buffer.slice(head.byteOffset, head.byteOffset + head.byteLength) as ArrayBuffer;
    parsed = dcmjs.data.DicomMessage.readFile(buffer, { untilTag: '7FE00010', includeUntilTagValue: false, ignoreErrors: true });
  } catch (e) {
    return { kind: 'unreadable', reason: e instanceof Error ? e.message : String(e) };
  }
  const meta = dcmjs.data.DicomMetaDictionary.naturalizeDataset(parsed.meta);
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(parsed.dict);
  const mediaClass = text(meta.MediaStorageSOPClassUID) || text(ds.SOPClassUID);
  if (mediaClass === DIRECTORY_STORAGE) return { kind: 'dicomdir' };
  const seriesNumber = Number(text(ds.SeriesNumber));
  const header: DicomHeader = {
    patientName: text(ds.PatientName).replaceAll('^', ' ').trim(),
    patientId: text(ds.PatientID),
    birthDate: text(ds.PatientBirthDate),
    sex: text(ds.PatientSex),
    studyInstanceUid: text(ds.StudyInstanceUID),
    studyDate: text(ds.StudyDate),
    studyDescription: text(ds.StudyDescription),
    seriesInstanceUid: text(ds.SeriesInstanceUID),
    seriesNumber: Number.isFinite(seriesNumber) && text(ds.SeriesNumber) !== '' ? seriesNumber : null,
    seriesDescription: text(ds.SeriesDescription),
    modality: text(ds.Modality),
    sopInstanceUid: text(ds.SOPInstanceUID) || text(meta.MediaStorageSOPInstanceUID),
    transferSyntaxUid: text(meta.TransferSyntaxUID),
    frames: Math.max(1, Number(text(ds.NumberOfFrames)) || 1),
  };
  const missing = REQUIRED_TAGS.filter((t) => !text(ds[t]) && !(t === 'SOPInstanceUID' && header.sopInstanceUid));
  return { kind: 'dicom', header, missing };
}

/** A data set without preamble starts with a group 0008 (or 0002) element, little or big endian. */
function looksLikeRawDicom(b: Uint8Array): boolean {
  return b.length >= 8 && ((b[0] === 0x08 && b[1] === 0x00) || (b[0] === 0x00 && b[1] === 0x08) || (b[0] === 0x02 && b[1] === 0x00));
}
