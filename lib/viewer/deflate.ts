// Deflated Explicit VR Little Endian (PS3.5 A.5): everything after the file
// meta group is one raw deflate stream. The image loader does not inflate it,
// so such a file is turned into the ordinary Explicit VR Little Endian file it
// stands for before the loader sees it: the data set inflated, the meta
// group's transfer syntax rewritten and its group length recomputed. The byte
// work here is pure; inflating is passed in (the browser's DecompressionStream
// by default, zlib in tests).
import { EXPLICIT_LE, readFileMeta, withTransferSyntax } from '@/lib/dicom/inspect';

export const DEFLATED_EXPLICIT_LE = '1.2.840.10008.1.2.1.99';

export type InflateRaw = (compressed: Uint8Array) => Promise<Uint8Array>;

/** Raw deflate in the browser; it refuses bytes after the end of the stream. */
export const inflateRawInBrowser: InflateRaw = async (compressed) => {
  const stream = new Blob([compressed as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
};

/**
 * Writers pad the stream to an even length, and some append a gzip-style
 * trailer (CRC-32 and size, as pydicom's test file has): a strict inflater
 * refuses those bytes, so up to this many are cut from the end in turn.
 */
const MAX_TRAILING = 16;

async function inflateTolerant(compressed: Uint8Array, inflateRaw: InflateRaw): Promise<Uint8Array> {
  let first: unknown;
  for (let cut = 0; cut <= Math.min(MAX_TRAILING, compressed.length - 1); cut++) {
    try {
      return await inflateRaw(compressed.subarray(0, compressed.length - cut));
    } catch (e) {
      first ??= e;
    }
  }
  throw first;
}

/**
 * A deflated file as the ordinary Explicit VR Little Endian file it stands
 * for; any other file is given back as it is.
 */
export async function inflateDeflatedFile(buffer: ArrayBuffer, inflateRaw: InflateRaw = inflateRawInBrowser): Promise<ArrayBuffer> {
  const bytes = new Uint8Array(buffer);
  const meta = readFileMeta(bytes);
  if (!meta || meta.transferSyntaxUid !== DEFLATED_EXPLICIT_LE) return buffer;
  const dataSet = await inflateTolerant(bytes.subarray(meta.end), inflateRaw);
  return withTransferSyntax(bytes, meta, EXPLICIT_LE, dataSet).buffer as ArrayBuffer;
}
