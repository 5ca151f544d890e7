// A file as the image loader can read it (pure but for the inflating passed
// in). Two kinds of real files would otherwise fail to parse in the loader:
// a deflated data set (see deflate.ts), and a data set whose VR encoding is
// not the one its transfer syntax names — an implicit VR data set behind an
// explicit (often compressed) syntax, as pydicom's SC_rgb_jpeg.dcm has. That
// one is read as implicit and written again as its syntax says; the pixel
// data, compressed or not, is carried over byte for byte.
import dcmjs from 'dcmjs';
import { mismatchedVrEncoding, readFileMeta, withTransferSyntax } from '@/lib/dicom/inspect';
import { inflateDeflatedFile, inflateRawInBrowser, type InflateRaw } from './deflate';

type Elements = Record<string, { vr: string; Value?: unknown[] }>;
// Writing is only needed here; the shipped type declaration covers reading, so
// the one extra class is typed at this spot.
const DicomDict = (dcmjs.data as unknown as { DicomDict: new (meta: Elements) => { dict: Elements; write(): ArrayBuffer } }).DicomDict;

/** The file re-encoded in the VRs its transfer syntax names; unchanged when it already is. */
export function withMatchingVrEncoding(buffer: ArrayBuffer): ArrayBuffer {
  const bytes = new Uint8Array(buffer);
  const meta = readFileMeta(bytes);
  const actual = meta && mismatchedVrEncoding(bytes, meta);
  if (!meta || !actual) return buffer;
  const read = withTransferSyntax(bytes, meta, actual);
  const parsed = dcmjs.data.DicomMessage.readFile(read.buffer as ArrayBuffer);
  const out = new DicomDict({ ...parsed.meta, '00020010': { vr: 'UI', Value: [meta.transferSyntaxUid] } });
  const pixels = parsed.dict['7FE00010'];
  // Read without VRs, pixel data has none the dictionary can settle (OB or OW);
  // an encapsulated one is OB (PS3.5 A.4).
  if (pixels && pixels.vr !== 'OB' && pixels.vr !== 'OW') pixels.vr = 'OW';
  if (pixels && !['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2'].includes(meta.transferSyntaxUid)) pixels.vr = 'OB';
  out.dict = parsed.dict;
  return out.write();
}

/** What the loader is handed for a file's bytes. */
export async function loadableFile(buffer: ArrayBuffer, inflateRaw: InflateRaw = inflateRawInBrowser): Promise<ArrayBuffer> {
  return withMatchingVrEncoding(await inflateDeflatedFile(buffer, inflateRaw));
}
