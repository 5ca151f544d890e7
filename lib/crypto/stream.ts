import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8Encode } from './encoding';
import { importAesGcmKey, type AesGcmKey } from './gcm';
import { randomBytes } from './random';
import { CryptoError, type FileKey } from './types';

// File format (STREAM construction, Hoang–Reyhanitabar–Rogaway–Vizár):
//
//   header = "KSF1" | version u8 | chunkSize u32be | salt[16] | noncePrefix[7]
//   then one or more chunks, each AES-256-GCM(plaintext[<= chunkSize]) || tag[16]
//
// Every chunk is authenticated with its position and with whether it is the
// last one, so chunks cannot be reordered, dropped, duplicated or followed
// by extra data, and a stream cut at a chunk boundary is detected. The
// header is the associated data of every chunk, so it cannot be altered.

const MAGIC = utf8Encode('KSF1');
const FORMAT_VERSION = 1;
const SALT_LENGTH = 16;
const PREFIX_LENGTH = 7;
const HEADER_LENGTH = MAGIC.length + 1 + 4 + SALT_LENGTH + PREFIX_LENGTH; // 32
const TAG_LENGTH = 16;
const KEY_LENGTH = 32;
const MAX_COUNTER = 0xffffffff;

const DEFAULT_CHUNK_SIZE = 1048576;
const MIN_CHUNK_SIZE = 65536;
const MAX_CHUNK_SIZE = 16777216;

const CHUNK_INFO = utf8Encode('konsil/v1/file-chunk');

type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

function assertFileKey(fileKey: Uint8Array): void {
  if (!(fileKey instanceof Uint8Array) || fileKey.length !== KEY_LENGTH) {
    throw new CryptoError('bad_params', 'file key must be 32 bytes');
  }
}

function assertPiece(piece: unknown): asserts piece is Uint8Array {
  if (!(piece instanceof Uint8Array)) {
    throw new CryptoError('bad_params', 'stream source must yield Uint8Array pieces');
  }
}

function validChunkSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= MIN_CHUNK_SIZE && n <= MAX_CHUNK_SIZE;
}

// A per-file salt gives every file its own chunk key even when the same
// FileKey is reused, so GCM nonces (prefix + counter) never repeat under a
// key and chunks cannot be transplanted between files.
async function chunkKey(fileKey: Uint8Array, salt: Uint8Array): Promise<AesGcmKey> {
  const raw = hkdf(sha256, fileKey, salt, CHUNK_INFO, KEY_LENGTH);
  try {
    return await importAesGcmKey(raw);
  } finally {
    raw.fill(0);
  }
}

function chunkNonce(prefix: Uint8Array, counter: number, last: boolean): Uint8Array {
  const nonce = new Uint8Array(PREFIX_LENGTH + 5);
  nonce.set(prefix, 0);
  new DataView(nonce.buffer).setUint32(PREFIX_LENGTH, counter, false);
  nonce[PREFIX_LENGTH + 4] = last ? 1 : 0;
  return nonce;
}

function fileHeader(chunkSize: number, salt: Uint8Array, prefix: Uint8Array): Uint8Array {
  const header = new Uint8Array(HEADER_LENGTH);
  header.set(MAGIC, 0);
  header[4] = FORMAT_VERSION;
  new DataView(header.buffer).setUint32(5, chunkSize, false);
  header.set(salt, 9);
  header.set(prefix, 9 + SALT_LENGTH);
  return header;
}

export async function* encryptStream(
  fileKey: FileKey,
  source: ByteSource,
  opts: { chunkSize?: number } = {},
): AsyncGenerator<Uint8Array> {
  assertFileKey(fileKey);
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!validChunkSize(chunkSize)) {
    throw new CryptoError('bad_params', 'chunkSize must be an integer between 64 KiB and 16 MiB');
  }

  const salt = randomBytes(SALT_LENGTH);
  const prefix = randomBytes(PREFIX_LENGTH);
  const header = fileHeader(chunkSize, salt, prefix);

  const key = await chunkKey(fileKey, salt);
  // One plaintext chunk is held back until at least one more byte arrives:
  // only then is it known not to be the last, which decides its nonce.
  const pending = new Uint8Array(chunkSize);
  let fill = 0;
  let counter = 0;

  const sealChunk = async (data: Uint8Array, last: boolean): Promise<Uint8Array> => {
    if (counter > MAX_COUNTER) throw new CryptoError('bad_params', 'input too large for this chunk size');
    const out = await key.seal(chunkNonce(prefix, counter, last), data, header);
    counter++;
    return out;
  };

  try {
    yield header.slice();
    for await (const piece of source) {
      assertPiece(piece);
      let off = 0;
      while (off < piece.length) {
        if (fill === chunkSize) {
          yield await sealChunk(pending, false);
          fill = 0;
        }
        const n = Math.min(chunkSize - fill, piece.length - off);
        pending.set(piece.subarray(off, off + n), fill);
        fill += n;
        off += n;
      }
    }
    // Empty input still gets one (empty) final chunk, so "nothing" is an
    // authenticated statement rather than indistinguishable from truncation.
    yield await sealChunk(pending.subarray(0, fill), true);
  } finally {
    pending.fill(0);
    key.dispose();
  }
}

function parseHeader(header: Uint8Array): { chunkSize: number; salt: Uint8Array; prefix: Uint8Array } {
  for (let i = 0; i < MAGIC.length; i++) {
    if (header[i] !== MAGIC[i]) throw new CryptoError('bad_format', 'not an encrypted file');
  }
  if (header[4] !== FORMAT_VERSION) throw new CryptoError('bad_format', 'unsupported file version');
  const chunkSize = new DataView(header.buffer, header.byteOffset, header.length).getUint32(5, false);
  if (!validChunkSize(chunkSize)) throw new CryptoError('bad_format', 'invalid chunk size');
  return {
    chunkSize,
    salt: header.slice(9, 9 + SALT_LENGTH),
    prefix: header.slice(9 + SALT_LENGTH, HEADER_LENGTH),
  };
}

// Plaintext of non-final chunks is released before the whole stream has
// been checked (that is the point of streaming). Consumers must treat the
// output as provisional until the generator finishes without throwing.
export async function* decryptStream(fileKey: FileKey, source: ByteSource): AsyncGenerator<Uint8Array> {
  assertFileKey(fileKey);
  const header = new Uint8Array(HEADER_LENGTH);
  let headerFill = 0;
  let key: AesGcmKey | undefined;
  let prefix: Uint8Array = new Uint8Array(0);
  let chunkLength = 0;
  // Grows with the input up to one sealed chunk: a file smaller than a chunk
  // costs a buffer of its own size, not of the chunk size.
  let pending: Uint8Array = new Uint8Array(0);
  let fill = 0;
  let counter = 0;

  const hold = (needed: number) => {
    if (needed <= pending.length) return;
    const grown = new Uint8Array(Math.min(chunkLength, Math.max(needed, 2 * pending.length)));
    grown.set(pending.subarray(0, fill));
    pending.fill(0);
    pending = grown;
  };

  const openChunk = async (data: Uint8Array, last: boolean): Promise<Uint8Array> => {
    if (counter > MAX_COUNTER) throw new CryptoError('stream_corrupt', 'too many chunks');
    try {
      const out = await key!.open(chunkNonce(prefix, counter, last), data, header);
      counter++;
      return out;
    } catch (cause) {
      throw new CryptoError('stream_corrupt', 'file chunk failed authentication', { cause });
    }
  };

  try {
    for await (const piece of source) {
      assertPiece(piece);
      let off = 0;
      if (!key) {
        const n = Math.min(HEADER_LENGTH - headerFill, piece.length);
        header.set(piece.subarray(0, n), headerFill);
        headerFill += n;
        off = n;
        if (headerFill < HEADER_LENGTH) continue;
        const parsed = parseHeader(header);
        prefix = parsed.prefix;
        chunkLength = parsed.chunkSize + TAG_LENGTH;
        key = await chunkKey(fileKey, parsed.salt);
      }
      while (off < piece.length) {
        // A full chunk followed by more bytes must be a non-final chunk;
        // if it was really the final one, the extra data makes it fail here.
        if (fill === chunkLength) {
          yield await openChunk(pending, false);
          fill = 0;
        }
        const n = Math.min(chunkLength - fill, piece.length - off);
        hold(fill + n);
        pending.set(piece.subarray(off, off + n), fill);
        fill += n;
        off += n;
      }
    }

    if (!key || fill < TAG_LENGTH) throw new CryptoError('stream_truncated', 'encrypted file is incomplete');
    const tail = pending.subarray(0, fill);
    let plain: Uint8Array;
    try {
      plain = await openChunk(tail, true);
    } catch (err) {
      // A full-size tail that authenticates as a non-final chunk means the
      // stream was cut exactly at a chunk boundary. A shorter tail cannot be
      // told apart from tampering, so it stays "corrupt".
      if (fill === chunkLength) {
        const probe = await key
          .open(chunkNonce(prefix, counter, false), tail, header)
          .catch(() => undefined);
        if (probe) {
          probe.fill(0);
          throw new CryptoError('stream_truncated', 'encrypted file is incomplete');
        }
      }
      throw err;
    }
    yield plain;
  } finally {
    pending.fill(0);
    key?.dispose();
  }
}

/**
 * A whole encrypted file already in memory, decrypted without copying it into
 * a chunk buffer: each chunk is opened where it lies, all at once (WebCrypto
 * works on them in parallel; a failure settles as a value, so none goes
 * unhandled), and the first failure in file order is the one thrown — the
 * same checks and error codes as decryptStream. Nothing is returned unless
 * every chunk authenticated; a file of one chunk is returned as WebCrypto
 * gave it, without a copy.
 */
export async function decryptFile(fileKey: FileKey, data: Uint8Array): Promise<Uint8Array> {
  assertFileKey(fileKey);
  if (!(data instanceof Uint8Array)) throw new CryptoError('bad_params', 'encrypted file must be a Uint8Array');
  if (data.length < HEADER_LENGTH) throw new CryptoError('stream_truncated', 'encrypted file is incomplete');
  const header = data.slice(0, HEADER_LENGTH);
  const { chunkSize, salt, prefix } = parseHeader(header);
  const chunkLength = chunkSize + TAG_LENGTH;
  const body = data.subarray(HEADER_LENGTH);
  // As decryptStream: every chunk but the last is full, and the last holds at least a tag.
  const count = Math.max(1, Math.ceil(body.length / chunkLength));
  if (count - 1 > MAX_COUNTER) throw new CryptoError('stream_corrupt', 'too many chunks');
  const tail = body.subarray((count - 1) * chunkLength);
  const key = await chunkKey(fileKey, salt);
  try {
    const opened = Array.from({ length: count }, (_, i) => {
      const last = i === count - 1;
      if (last && tail.length < TAG_LENGTH) return Promise.resolve(new CryptoError('stream_truncated', 'encrypted file is incomplete'));
      const chunk = last ? tail : body.subarray(i * chunkLength, (i + 1) * chunkLength);
      return key.open(chunkNonce(prefix, i, last), chunk, header).then(
        (plain) => plain,
        (cause: unknown) => new CryptoError('stream_corrupt', 'file chunk failed authentication', { cause }),
      );
    });
    const parts: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const part = await opened[i]!;
      if (part instanceof CryptoError) {
        // A full-size last chunk that opens as a non-final one: cut at a chunk boundary.
        if (i === count - 1 && part.code === 'stream_corrupt' && tail.length === chunkLength) {
          const probe = await key.open(chunkNonce(prefix, i, false), tail, header).catch(() => undefined);
          if (probe) {
            probe.fill(0);
            throw new CryptoError('stream_truncated', 'encrypted file is incomplete');
          }
        }
        throw part;
      }
      parts.push(part);
    }
    return parts.length === 1 ? parts[0]! : concatBytes(...parts);
  } finally {
    key.dispose();
  }
}

/** The most bytes a file of this many bytes can take encrypted (at the smallest chunk size). */
export function maxEncryptedLength(plainLength: number): number {
  return HEADER_LENGTH + plainLength + TAG_LENGTH * (Math.ceil(plainLength / MIN_CHUNK_SIZE) + 1);
}

async function collect(gen: AsyncGenerator<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of gen) parts.push(part);
  return concatBytes(...parts);
}

export function encryptFile(
  fileKey: FileKey,
  data: Uint8Array,
  opts?: { chunkSize?: number },
): Promise<Uint8Array> {
  return collect(encryptStream(fileKey, [data], opts));
}

// The parts of the format that seekable.ts needs to produce the same bytes
// for any range of a file; renamed where a bare name would be ambiguous
// next to the other primitives of lib/crypto.
export {
  DEFAULT_CHUNK_SIZE,
  HEADER_LENGTH as FILE_HEADER_LENGTH,
  TAG_LENGTH as CHUNK_TAG_LENGTH,
  SALT_LENGTH as FILE_SALT_LENGTH,
  PREFIX_LENGTH as NONCE_PREFIX_LENGTH,
  MAX_COUNTER as MAX_CHUNK_COUNTER,
  assertFileKey,
  validChunkSize,
  chunkKey,
  chunkNonce,
  fileHeader,
};
