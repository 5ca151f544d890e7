import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8Encode } from './encoding';
import {
  CHUNK_TAG_LENGTH,
  DEFAULT_CHUNK_SIZE,
  FILE_HEADER_LENGTH,
  FILE_SALT_LENGTH,
  MAX_CHUNK_COUNTER,
  NONCE_PREFIX_LENGTH,
  assertFileKey,
  chunkKey,
  chunkNonce,
  fileHeader,
  validChunkSize,
} from './stream';
import { CryptoError, type FileKey } from './types';

// The KSF1 format of stream.ts, produced for any byte range of the
// ciphertext without encrypting what comes before it. A resumable upload
// continues at whatever offset the server holds, possibly inside a chunk,
// after a reload or a server restart; the bytes it sends then must be the
// very bytes it would have sent the first time.

const HEADER_INFO = utf8Encode('konsil/v1/file-header');

function chunkCount(plainSize: number, chunkSize: number): number {
  // An empty file is one empty final chunk; a file of exactly n chunks ends
  // with a full final chunk (stream.ts holds the last chunk back).
  return Math.max(1, Math.ceil(plainSize / chunkSize));
}

function checkedChunkSize(chunkSize: number | undefined): number {
  const n = chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!validChunkSize(n)) {
    throw new CryptoError('bad_params', 'chunkSize must be an integer between 64 KiB and 16 MiB');
  }
  return n;
}

/** Bytes of the encrypted form of a plaintext of this size (header + one tag per chunk; an empty file has one empty chunk). */
export function encryptedSize(plainSize: number, chunkSize?: number): number {
  const c = checkedChunkSize(chunkSize);
  if (!Number.isSafeInteger(plainSize) || plainSize < 0) {
    throw new CryptoError('bad_params', 'plainSize must be a non-negative integer');
  }
  const chunks = chunkCount(plainSize, c);
  if (chunks - 1 > MAX_CHUNK_COUNTER) throw new CryptoError('bad_params', 'input too large for this chunk size');
  const size = FILE_HEADER_LENGTH + plainSize + chunks * CHUNK_TAG_LENGTH;
  if (!Number.isSafeInteger(size)) throw new CryptoError('bad_params', 'input too large');
  return size;
}

// Salt and nonce prefix as a function of the file key. The chunk size and
// the plaintext size are bound in as well, so that the same key used with
// another chunk size or another length (both mistakes) at least does not
// repeat a nonce with different data at the same position.
function headerParts(fileKey: Uint8Array, chunkSize: number, plainSize: number): { salt: Uint8Array; prefix: Uint8Array } {
  const context = new Uint8Array(12);
  const view = new DataView(context.buffer);
  view.setUint32(0, chunkSize, false);
  view.setBigUint64(4, BigInt(plainSize), false);
  const okm = hkdf(sha256, fileKey, context, HEADER_INFO, FILE_SALT_LENGTH + NONCE_PREFIX_LENGTH);
  return { salt: okm.slice(0, FILE_SALT_LENGTH), prefix: okm.slice(FILE_SALT_LENGTH) };
}

export type RangeEncryptor = {
  /** Bytes of the whole ciphertext, as encryptedSize gives them. */
  size: number;
  /** Ciphertext bytes [start, end), end clamped to size (Infinity for the rest). */
  range(start: number, end: number): Promise<Uint8Array>;
  /**
   * The same bytes as range(start, end), as consecutive views over the header and the sealed chunks, copied
   * nowhere: for a caller that copies them once anyway (into a Blob for a request), one copy less than range().
   * The caller must not modify them (the chunk a range ends in is kept for the next range).
   */
  parts(start: number, end: number): Promise<Uint8Array[]>;
  /** Forgets the chunk key; range() fails afterwards. */
  dispose(): void;
};

export type RangeEncryptorOptions = { chunkSize?: number };

/**
 * Encrypts ranges of one file's ciphertext on demand. The header (salt and nonce prefix) is derived from the
 * file key (HKDF-SHA256, info 'konsil/v1/file-header', salt = chunkSize u32be ‖ plainSize u64be), so the same
 * key and plaintext always give the same bytes, and the output is an ordinary KSF1 file that decryptStream and
 * decryptFile read unchanged.
 *
 * Deterministic encryption is SAFE ONLY because every file key is used for exactly one plaintext: a study file
 * key is derived from the study key, the study id and the file id, and the caller checks a re-picked file's
 * SHA-256 against the one recorded before encrypting again. Two different plaintexts under one key would reuse
 * GCM nonces — revealing the XOR of the plaintexts and allowing forgeries. Use encryptStream when the key is not
 * bound to one plaintext in this way.
 *
 * readPlain(start, end) must return exactly the plaintext bytes [start, end); it is asked only for chunks a range
 * overlaps, at chunk boundaries, and only once the bytes of its previous answer are handed to AES-GCM (which
 * copies them), so it may answer every time in the same buffer. The returned bytes are not modified or kept.
 */
export async function rangeEncryptor(
  fileKey: FileKey,
  plainSize: number,
  readPlain: (start: number, end: number) => Promise<Uint8Array>,
  opts: RangeEncryptorOptions = {},
): Promise<RangeEncryptor> {
  assertFileKey(fileKey);
  const chunkSize = checkedChunkSize(opts.chunkSize);
  const size = encryptedSize(plainSize, chunkSize);
  const chunks = chunkCount(plainSize, chunkSize);
  const stride = chunkSize + CHUNK_TAG_LENGTH;
  const { salt, prefix } = headerParts(fileKey, chunkSize, plainSize);
  const header = fileHeader(chunkSize, salt, prefix);
  const key = await chunkKey(fileKey, salt);
  let disposed = false;
  // Sealed chunks by index, done or under way: the chunk a range ends in
  // (upload pieces rarely end on a chunk boundary, so the next range starts
  // there).
  const sealed = new Map<number, Promise<Uint8Array>>();

  const plainEnd = (index: number) => Math.min((index + 1) * chunkSize, plainSize);
  const checkOpen = () => {
    if (disposed) throw new CryptoError('bad_params', 'range encryptor is disposed');
  };

  /** Reads chunks [from, to] in one piece and hands every chunk to AES-GCM at once (WebCrypto seals them in parallel). */
  function sealSpan(from: number, to: number): void {
    const plainStart = from * chunkSize;
    const read = readPlain(plainStart, plainEnd(to)).then((plain) => {
      checkOpen();
      if (!(plain instanceof Uint8Array) || plain.length !== plainEnd(to) - plainStart) {
        throw new CryptoError('bad_params', 'plaintext source returned the wrong number of bytes');
      }
      const out: Promise<Uint8Array>[] = [];
      for (let i = from; i <= to; i++) {
        const piece = plain.subarray(i * chunkSize - plainStart, plainEnd(i) - plainStart);
        out.push(key.seal(chunkNonce(prefix, i, i === chunks - 1), piece, header));
      }
      return out;
    });
    for (let i = from; i <= to; i++) {
      const one = read.then((out) => out[i - from]!);
      // A failure is reported to whoever waits for the chunk; the entry goes, so the next request tries again.
      one.catch(() => {
        if (sealed.get(i) === one) sealed.delete(i);
      });
      sealed.set(i, one);
    }
  }

  /** Makes sure chunks [first, last] are sealed or under way, reading the missing ones in runs. */
  function want(first: number, last: number): void {
    let i = first;
    while (i <= last) {
      if (sealed.has(i)) {
        i++;
        continue;
      }
      let j = i;
      while (j < last && !sealed.has(j + 1)) j++;
      sealSpan(i, j);
      i = j + 1;
    }
  }

  async function parts(start: number, end: number): Promise<Uint8Array[]> {
    checkOpen();
    if (!Number.isSafeInteger(start) || !(Number.isSafeInteger(end) || end === Infinity) || start < 0 || end < start) {
      throw new CryptoError('bad_params', 'range must be integers with 0 <= start <= end (end may be Infinity)');
    }
    const stop = Math.min(end, size);
    if (start >= stop) return [];
    const out: Uint8Array[] = [];
    if (start < FILE_HEADER_LENGTH) out.push(header.subarray(start, Math.min(stop, FILE_HEADER_LENGTH)));
    if (stop <= FILE_HEADER_LENGTH) return out;

    const first = Math.floor((Math.max(start, FILE_HEADER_LENGTH) - FILE_HEADER_LENGTH) / stride);
    const last = Math.min(chunks - 1, Math.floor((stop - 1 - FILE_HEADER_LENGTH) / stride));
    want(first, last);
    const sealedParts = await Promise.all(Array.from({ length: last - first + 1 }, (_, k) => sealed.get(first + k)!));
    checkOpen();
    for (let i = first; i <= last; i++) {
      const bytes = sealedParts[i - first]!;
      const pos = FILE_HEADER_LENGTH + i * stride;
      out.push(bytes.subarray(Math.max(start, pos) - pos, Math.min(stop, pos + bytes.length) - pos));
    }
    // Keep the last chunk (the next range usually starts in it); forget the rest.
    for (const i of sealed.keys()) if (i !== last) sealed.delete(i);
    return out;
  }

  async function range(start: number, end: number): Promise<Uint8Array> {
    const pieces = await parts(start, end);
    const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of pieces) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  return {
    size,
    range,
    parts,
    dispose() {
      disposed = true;
      sealed.clear();
      key.dispose();
    },
  };
}
