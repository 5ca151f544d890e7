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
/**
 * What a study cannot do without: the file would not file into a study and a
 * series, or could not be told apart from another (duplicates, the manifest).
 * Everything else the viewer copes without: a missing Modality is read as
 * "OT" (scanned documents, img2dcm output, many CDs), a missing SOP Class UID
 * is taken from the meta group or left empty.
 */
export const REQUIRED_TAGS = ['StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID'] as const;
/** The modality a file without one is filed under ("other", PS3.3 C.7.3.1.1.1). */
export const UNKNOWN_MODALITY = 'OT';

export type DicomHeader = {
  /**
   * The person name as the file has it (PN, alphabetic group: "Family^Given^Middle^Prefix^Suffix");
   * shown everywhere through personName() (lib/studies/format.ts) as "Family, Given".
   */
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
  /** As the file names it, or UNKNOWN_MODALITY when it names none (see `assumed`). */
  modality: string;
  sopClassUid: string;
  sopInstanceUid: string;
  /** The image's place in its series (slices are shown in this order). */
  instanceNumber: number | null;
  transferSyntaxUid: string;
  frames: number;
  /**
   * False for objects without pixel data (structured reports, waveforms,
   * presentation states, key object selections, encapsulated PDF, RT plans):
   * sent with the study, but not images.
   */
  image: boolean;
};

export type Inspected =
  /** missing: required tags it lacks (refused); assumed: tags it lacks that were filled in (sent, with a warning). */
  | { kind: 'dicom'; header: DicomHeader; missing: string[]; assumed: string[] }
  | { kind: 'dicomdir' }
  | { kind: 'pdf' | 'jpeg' }
  /** DICOM without the Part-10 preamble and meta header, or not DICOM at all. */
  | { kind: 'not-part10' | 'other' | 'unreadable'; reason?: string };

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((x, i) => b[at + i] === x);

export const IMPLICIT_LE = '1.2.840.10008.1.2';
export const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const EXPLICIT_BE = '1.2.840.10008.1.2.2';
const DEFLATED_LE = '1.2.840.10008.1.2.1.99';
const PREAMBLE = 128;
const DICM = [0x44, 0x49, 0x43, 0x4d];
/** VRs whose explicit length is 32 bits after two reserved bytes (PS3.5 7.1.2). */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const VRS = new Set([...LONG_VRS, 'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'PN', 'SH', 'SL', 'SS', 'ST', 'TM', 'UI', 'UL', 'US']);

export type FileMeta = { elements: { element: number; start: number; end: number }[]; end: number; transferSyntaxUid: string };

/** The file meta group (always explicit VR little endian): its elements, where it ends, its transfer syntax. */
export function readFileMeta(bytes: Uint8Array): FileMeta | null {
  if (!startsWith(bytes, DICM, PREAMBLE)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const elements: FileMeta['elements'] = [];
  let at = PREAMBLE + 4;
  let transferSyntaxUid = '';
  // The group length is not trusted: the group ends where group 0002 does.
  while (at + 8 <= bytes.length && view.getUint16(at, true) === 0x0002) {
    const element = view.getUint16(at + 2, true);
    const long = LONG_VRS.has(String.fromCharCode(bytes[at + 4], bytes[at + 5]));
    const valueStart = at + (long ? 12 : 8);
    if (valueStart > bytes.length) return null;
    const end = valueStart + (long ? view.getUint32(at + 8, true) : view.getUint16(at + 6, true));
    if (end > bytes.length) return null;
    elements.push({ element, start: at, end });
    if (element === 0x0010) transferSyntaxUid = new TextDecoder().decode(bytes.subarray(valueStart, end)).replace(/[\0 ]+$/, '');
    at = end;
  }
  return { elements, end: at, transferSyntaxUid };
}

/**
 * The file with another transfer syntax in its meta group, (0002,0000)
 * recomputed, followed by the given data set (by default its own).
 */
export function withTransferSyntax(bytes: Uint8Array, meta: FileMeta, uid: string, dataSet = bytes.subarray(meta.end)): Uint8Array {
  const value = uid.length % 2 ? `${uid}\0` : uid;
  const syntax = new Uint8Array(8 + value.length);
  new DataView(syntax.buffer).setUint32(0, 0x00100002, true);
  syntax.set([0x55, 0x49, value.length & 0xff, value.length >> 8], 4); // UI
  for (let k = 0; k < value.length; k++) syntax[8 + k] = value.charCodeAt(k);
  const parts = meta.elements.filter((el) => el.element !== 0x0000).map((el) => (el.element === 0x0010 ? syntax : bytes.subarray(el.start, el.end)));
  const groupLength = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(PREAMBLE + 16 + groupLength + dataSet.length);
  out.set(bytes.subarray(0, PREAMBLE + 4));
  out.set([0x02, 0x00, 0x00, 0x00, 0x55, 0x4c, 0x04, 0x00], PREAMBLE + 4); // (0002,0000) UL 4
  new DataView(out.buffer).setUint32(PREAMBLE + 12, groupLength, true);
  let at = PREAMBLE + 16;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  out.set(dataSet, at);
  return out;
}

/**
 * The little-endian syntax a data set is really written in, when it is not
 * the one its meta group names: some writers put an implicit VR data set
 * behind an explicit transfer syntax (pydicom's SC_rgb_jpeg.dcm), or the other
 * way round. Told from the first element, as other toolkits do; null when the
 * data set agrees with its syntax (or is big endian or deflated).
 */
export function mismatchedVrEncoding(bytes: Uint8Array, meta: FileMeta): typeof IMPLICIT_LE | typeof EXPLICIT_LE | null {
  const ts = meta.transferSyntaxUid;
  if (ts === EXPLICIT_BE || ts === DEFLATED_LE || meta.end + 8 > bytes.length) return null;
  const explicit = VRS.has(String.fromCharCode(bytes[meta.end + 4], bytes[meta.end + 5]));
  if (ts === IMPLICIT_LE) return explicit ? EXPLICIT_LE : null;
  return explicit ? null : IMPLICIT_LE;
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map(text).filter(Boolean).join('\\');
  if (typeof v === 'object') {
    // Person names come as { Alphabetic, Ideographic, Phonetic }; the alphabetic group is the name.
    const pn = v as { Alphabetic?: string };
    return (pn.Alphabetic ?? '').trim();
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
  const fileMeta = readFileMeta(head);
  const actual = fileMeta && mismatchedVrEncoding(head, fileMeta);
  let parsed;
  try {
    // Read as what it is; the syntax reported stays the one the file names.
    const bytes = fileMeta && actual ? withTransferSyntax(head, fileMeta, actual) : head;
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    parsed = dcmjs.data.DicomMessage.readFile(buffer, { untilTag: '7FE00010', includeUntilTagValue: false, ignoreErrors: true });
  } catch (e) {
    return { kind: 'unreadable', reason: e instanceof Error ? e.message : String(e) };
  }
  const meta = dcmjs.data.DicomMetaDictionary.naturalizeDataset(parsed.meta);
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(parsed.dict);
  const mediaClass = text(meta.MediaStorageSOPClassUID) || text(ds.SOPClassUID);
  if (mediaClass === DIRECTORY_STORAGE) return { kind: 'dicomdir' };
  const seriesNumber = Number(text(ds.SeriesNumber));
  const instanceNumber = Number(text(ds.InstanceNumber));
  const header: DicomHeader = {
    patientName: text(ds.PatientName),
    patientId: text(ds.PatientID),
    birthDate: text(ds.PatientBirthDate),
    sex: text(ds.PatientSex),
    studyInstanceUid: text(ds.StudyInstanceUID),
    studyDate: text(ds.StudyDate),
    studyDescription: text(ds.StudyDescription),
    seriesInstanceUid: text(ds.SeriesInstanceUID),
    seriesNumber: Number.isFinite(seriesNumber) && text(ds.SeriesNumber) !== '' ? seriesNumber : null,
    seriesDescription: text(ds.SeriesDescription),
    modality: text(ds.Modality) || UNKNOWN_MODALITY,
    sopClassUid: text(ds.SOPClassUID) || text(meta.MediaStorageSOPClassUID),
    sopInstanceUid: text(ds.SOPInstanceUID) || text(meta.MediaStorageSOPInstanceUID),
    instanceNumber: Number.isFinite(instanceNumber) && text(ds.InstanceNumber) !== '' ? instanceNumber : null,
    transferSyntaxUid: fileMeta?.transferSyntaxUid || text(meta.TransferSyntaxUID),
    frames: Math.max(1, Number(text(ds.NumberOfFrames)) || 1),
    image: hasImage(parsed.dict, ds),
  };
  const missing = REQUIRED_TAGS.filter((t) => !text(ds[t]) && !(t === 'SOPInstanceUID' && header.sopInstanceUid));
  return { kind: 'dicom', header, missing, assumed: text(ds.Modality) ? [] : ['Modality'] };
}

/**
 * Whether the file holds an image. Told from Rows (0028,0010), which every
 * image has and no report, waveform or presentation state does — but only once
 * the header was read past group 0028: a header cut off by the read limit
 * before it (large private tags) counts as an image, as before.
 */
function hasImage(dict: Record<string, unknown>, ds: Record<string, unknown>): boolean {
  if (Number(text(ds.Rows)) > 0 || '7FE00010' in dict) return true;
  return !Object.keys(dict).some((tag) => parseInt(tag.slice(0, 4), 16) > 0x0028);
}

/** A data set without preamble starts with a group 0008 (or 0002) element, little or big endian. */
function looksLikeRawDicom(b: Uint8Array): boolean {
  return b.length >= 8 && ((b[0] === 0x08 && b[1] === 0x00) || (b[0] === 0x00 && b[1] === 0x08) || (b[0] === 0x02 && b[1] === 0x00));
}
