import { gcm } from '@noble/ciphers/aes.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { concatBytes, equalBytes, utf8Encode } from './encoding';
import { randomBytes, randomKey } from './random';
import { decryptFile, decryptStream, encryptFile, encryptStream, maxEncryptedLength } from './stream';
import { CryptoError, type FileKey } from './types';

const C = 65536; // smallest allowed chunk size keeps the tests fast
const HEADER = 32;
const TAG = 16;

// Deterministic pseudo-random plaintext so failures are reproducible.
function pattern(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

// Splits bytes into awkward, varying piece sizes (1 byte, primes, more than
// a chunk) to exercise the re-chunking on both sides.
function* oddPieces(data: Uint8Array): Generator<Uint8Array> {
  const sizes = [1, 7, 31, 1000, 4093, 65537, 3, 12345, 2];
  let off = 0;
  let i = 0;
  while (off < data.length) {
    const n = Math.min(sizes[i++ % sizes.length]!, data.length - off);
    yield data.subarray(off, off + n);
    off += n;
  }
}

async function* asAsync(it: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const x of it) {
    await Promise.resolve();
    yield x;
  }
}

async function collect(gen: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

async function failure(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return e instanceof CryptoError ? e.code : `not a CryptoError: ${String(e)}`;
  }
  return undefined;
}

// Splits an encrypted file into [header, chunk0, chunk1, ...].
function split(enc: Uint8Array, chunkSize = C): Uint8Array[] {
  const parts = [enc.subarray(0, HEADER)];
  for (let off = HEADER; off < enc.length; off += chunkSize + TAG) {
    parts.push(enc.subarray(off, Math.min(enc.length, off + chunkSize + TAG)));
  }
  return parts;
}

describe('stream round trips', () => {
  const key = randomKey<FileKey>();
  const sizes = [0, 1, C - 1, C, C + 1, Math.floor(3.5 * C)];

  it.each(sizes)('%i bytes, fed in odd-sized pieces, yields header then sealed chunks', async (n) => {
    const pt = pattern(n, n + 1);
    const out = await collect(encryptStream(key, asAsync(oddPieces(pt)), { chunkSize: C }));

    expect(out[0]).toHaveLength(HEADER);
    const chunks = out.slice(1);
    const expectedChunks = Math.max(1, Math.ceil(n / C));
    expect(chunks).toHaveLength(expectedChunks);
    for (const c of chunks.slice(0, -1)) expect(c).toHaveLength(C + TAG);
    expect(chunks[chunks.length - 1]).toHaveLength(n - (expectedChunks - 1) * C + TAG);

    const enc = concatBytes(...out);
    const back = concatBytes(...(await collect(decryptStream(key, asAsync(oddPieces(enc))))));
    expect(equalBytes(back, pt)).toBe(true);
    // Sync iterables work as sources too.
    expect(equalBytes(await decryptFile(key, enc), pt)).toBe(true);
  });

  it('decrypts when the ciphertext arrives one byte at a time', async () => {
    const pt = pattern(C + 100, 9);
    const enc = await encryptFile(key, pt, { chunkSize: C });
    function* bytewise() {
      for (let i = 0; i < enc.length; i++) yield enc.subarray(i, i + 1);
    }
    expect(equalBytes(concatBytes(...(await collect(decryptStream(key, bytewise())))), pt)).toBe(true);
  });

  it('uses a 1 MiB default chunk size', async () => {
    const pt = pattern(1048576 + 5, 3);
    const enc = await encryptFile(key, pt);
    expect(new DataView(enc.buffer, enc.byteOffset).getUint32(5, false)).toBe(1048576);
    expect(enc.length).toBe(HEADER + pt.length + 2 * TAG);
    expect(equalBytes(await decryptFile(key, enc), pt)).toBe(true);
  });

  it('encrypts the same plaintext differently each time', async () => {
    const pt = pattern(100);
    const a = await encryptFile(key, pt, { chunkSize: C });
    const b = await encryptFile(key, pt, { chunkSize: C });
    expect(equalBytes(a.subarray(9, HEADER), b.subarray(9, HEADER))).toBe(false);
    expect(equalBytes(a.subarray(HEADER), b.subarray(HEADER))).toBe(false);
  });

  it('follows the documented format', async () => {
    const pt = pattern(C + 10, 5);
    const enc = await encryptFile(key, pt, { chunkSize: C });
    const header = enc.subarray(0, HEADER);
    expect(Array.from(header.subarray(0, 4))).toEqual(Array.from(utf8Encode('KSF1')));
    expect(header[4]).toBe(1);
    expect(new DataView(enc.buffer, enc.byteOffset).getUint32(5, false)).toBe(C);
    const salt = header.subarray(9, 25);
    const prefix = header.subarray(25, 32);
    const chunkKey = hkdf(sha256, key, salt, utf8Encode('konsil/v1/file-chunk'), 32);
    const nonce = (counter: number, last: number) => {
      const n = new Uint8Array(12);
      n.set(prefix);
      new DataView(n.buffer).setUint32(7, counter, false);
      n[11] = last;
      return n;
    };
    const [, c0, c1] = split(enc);
    expect(equalBytes(gcm(chunkKey, nonce(0, 0), header).decrypt(c0!), pt.subarray(0, C))).toBe(true);
    expect(equalBytes(gcm(chunkKey, nonce(1, 1), header).decrypt(c1!), pt.subarray(C))).toBe(true);
  });

  it('rejects chunk sizes outside 64 KiB..16 MiB and non-byte input', async () => {
    for (const chunkSize of [65535, 16777217, 100000.5, 0]) {
      expect(await failure(encryptFile(key, pattern(10), { chunkSize }))).toBe('bad_params');
    }
    expect(await failure(encryptFile(new Uint8Array(16) as FileKey, pattern(10)))).toBe('bad_params');
    const bogus = encryptStream(key, ['text' as unknown as Uint8Array], { chunkSize: C });
    expect(await failure(collect(bogus))).toBe('bad_params');
  });
});

describe('stream memory stays bounded', () => {
  it('pulls input lazily while encrypting and decrypting', async () => {
    const key = randomKey<FileKey>();
    const total = 40;
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < total; i++) {
        pulled++;
        yield pattern(C, i + 1);
      }
    }
    let emitted = 0;
    let maxLead = 0;
    const encChunks: Uint8Array[] = [];
    for await (const c of encryptStream(key, source(), { chunkSize: C })) {
      if (emitted > 0) maxLead = Math.max(maxLead, pulled - emitted);
      emitted++;
      encChunks.push(c);
    }
    expect(emitted).toBe(total + 1);
    // Only the one look-ahead chunk is held back.
    expect(maxLead).toBeLessThanOrEqual(1);

    let fed = 0;
    async function* encSource() {
      for (const c of encChunks) {
        fed++;
        yield c;
      }
    }
    let got = 0;
    let maxDecLead = 0;
    for await (const p of decryptStream(key, encSource())) {
      got++;
      maxDecLead = Math.max(maxDecLead, fed - got);
      expect(equalBytes(p, pattern(C, got))).toBe(true);
    }
    expect(got).toBe(total);
    // fed includes the header piece, so a lead of 2 means one chunk of look-ahead.
    expect(maxDecLead).toBeLessThanOrEqual(2);
  });
});

// Every check holds alike for a file decrypted whole in memory (decryptFile)
// and one streamed in awkward pieces (decryptStream).
const decoders = {
  whole: decryptFile,
  streamed: async (key: FileKey, data: Uint8Array) => concatBytes(...(await collect(decryptStream(key, asAsync(oddPieces(data)))))),
};

describe.each(Object.entries(decoders))('stream tampering (%s)', (_name, decryptFile) => {
  const key = randomKey<FileKey>();
  const pt = pattern(Math.floor(3.5 * C), 42);
  const encP = encryptFile(key, pt, { chunkSize: C });

  it('wrong key', async () => {
    expect(await failure(decryptFile(randomKey<FileKey>(), await encP))).toBe('stream_corrupt');
  });

  it('dropping the final chunk is detected as truncation', async () => {
    const parts = split(await encP);
    expect(parts).toHaveLength(5);
    expect(await failure(decryptFile(key, concatBytes(...parts.slice(0, -1))))).toBe('stream_truncated');
    expect(await failure(decryptFile(key, concatBytes(...parts.slice(0, 2))))).toBe('stream_truncated');
    // Header only, part of the header, or nothing at all.
    expect(await failure(decryptFile(key, parts[0]!))).toBe('stream_truncated');
    expect(await failure(decryptFile(key, parts[0]!.subarray(0, 20)))).toBe('stream_truncated');
    expect(await failure(decryptFile(key, new Uint8Array(0)))).toBe('stream_truncated');
  });

  it('dropping the final chunk is detected when the final chunk is full-size', async () => {
    const enc = await encryptFile(key, pattern(2 * C), { chunkSize: C });
    const parts = split(enc);
    expect(parts).toHaveLength(3);
    expect(await failure(decryptFile(key, concatBytes(...parts.slice(0, 2))))).toBe('stream_truncated');
  });

  it('dropping bytes from the end is detected', async () => {
    const enc = await encP;
    const finalChunk = C / 2 + TAG;
    for (const cut of [1, 15, 16, 17, C / 2, finalChunk - TAG]) {
      // The remaining tail of the final chunk cannot authenticate, and it is
      // too short to be a complete non-final chunk.
      expect(await failure(decryptFile(key, enc.subarray(0, enc.length - cut))), `cut ${cut}`).toBe(
        'stream_corrupt',
      );
    }
    // Fewer bytes than a tag left after the last complete chunk: the final
    // chunk is missing rather than damaged.
    for (const cut of [finalChunk - TAG + 1, finalChunk - 1]) {
      expect(await failure(decryptFile(key, enc.subarray(0, enc.length - cut))), `cut ${cut}`).toBe(
        'stream_truncated',
      );
    }
    const empty = await encryptFile(key, new Uint8Array(0), { chunkSize: C });
    expect(empty).toHaveLength(HEADER + TAG);
    for (const cut of [1, 8, 16]) {
      expect(await failure(decryptFile(key, empty.subarray(0, empty.length - cut))), `cut ${cut}`).toBe(
        'stream_truncated',
      );
    }
  });

  it('a file smaller than a chunk, and one of exactly a chunk', async () => {
    for (const n of [0, 1, 100, C - 1, C]) {
      const enc = await encryptFile(key, pattern(n, n + 3), { chunkSize: C });
      expect(equalBytes(await decryptFile(key, enc), pattern(n, n + 3)), `${n} bytes`).toBe(true);
      const c = enc.slice();
      c[c.length - 1]! ^= 1;
      expect(await failure(decryptFile(key, c)), `${n} bytes`).toBe('stream_corrupt');
    }
  });

  it('no plaintext from the damaged part is released', async () => {
    const enc = (await encP).slice();
    enc[HEADER + 2 * (C + TAG) + 5]! ^= 1; // inside chunk 2
    const released: Uint8Array[] = [];
    let code: string | undefined;
    try {
      for await (const p of decryptStream(key, oddPieces(enc))) released.push(p);
    } catch (e) {
      code = e instanceof CryptoError ? e.code : String(e);
    }
    expect(code).toBe('stream_corrupt');
    expect(released).toHaveLength(2);
    expect(equalBytes(concatBytes(...released), pt.subarray(0, 2 * C))).toBe(true);
  });

  it('reordered chunks', async () => {
    const p = split(await encP);
    expect(await failure(decryptFile(key, concatBytes(p[0]!, p[2]!, p[1]!, p[3]!, p[4]!)))).toBe(
      'stream_corrupt',
    );
  });

  it('duplicated chunk', async () => {
    const p = split(await encP);
    expect(await failure(decryptFile(key, concatBytes(p[0]!, p[1]!, p[1]!, p[2]!, p[3]!, p[4]!)))).toBe(
      'stream_corrupt',
    );
  });

  it('a chunk swapped in from another file under the same key', async () => {
    const other = split(await encryptFile(key, pt, { chunkSize: C }));
    const p = split(await encP);
    expect(await failure(decryptFile(key, concatBytes(p[0]!, p[1]!, other[2]!, p[3]!, p[4]!)))).toBe(
      'stream_corrupt',
    );
    // Same for a whole header transplant.
    expect(await failure(decryptFile(key, concatBytes(other[0]!, ...p.slice(1))))).toBe('stream_corrupt');
  });

  it('flipped bits in the header', async () => {
    const enc = await encP;
    const flip = (i: number, mask: number) => {
      const c = enc.slice();
      c[i]! ^= mask;
      return c;
    };
    expect(await failure(decryptFile(key, flip(0, 0x01)))).toBe('bad_format'); // magic
    expect(await failure(decryptFile(key, flip(4, 0x01)))).toBe('bad_format'); // version
    expect(await failure(decryptFile(key, flip(5, 0x80)))).toBe('bad_format'); // chunk size out of range
    expect(await failure(decryptFile(key, flip(8, 0x01)))).toBe('stream_corrupt'); // chunk size still in range
    for (const i of [9, 17, 24]) expect(await failure(decryptFile(key, flip(i, 0x10)))).toBe('stream_corrupt'); // salt
    for (const i of [25, 31]) expect(await failure(decryptFile(key, flip(i, 0x02)))).toBe('stream_corrupt'); // nonce prefix
  });

  it('flipped bits in ciphertext and tags', async () => {
    const enc = await encP;
    for (const i of [HEADER, HEADER + C + TAG - 1, enc.length - TAG - 1, enc.length - 1]) {
      const c = enc.slice();
      c[i]! ^= 0x40;
      expect(await failure(decryptFile(key, c)), `byte ${i}`).toBe('stream_corrupt');
    }
  });

  it('extra data after the final chunk', async () => {
    const enc = await encP;
    const p = split(enc);
    expect(await failure(decryptFile(key, concatBytes(enc, new Uint8Array([0]))))).toBe('stream_corrupt');
    expect(await failure(decryptFile(key, concatBytes(enc, p[4]!)))).toBe('stream_corrupt');
    expect(await failure(decryptFile(key, concatBytes(enc, randomBytes(C + TAG + 1))))).toBe('stream_corrupt');
    // Also when the final chunk is full-size, so the extra bytes start a new buffer.
    const full = await encryptFile(key, pattern(C), { chunkSize: C });
    expect(await failure(decryptFile(key, concatBytes(full, new Uint8Array(1))))).toBe('stream_corrupt');
    // And an empty file with trailing bytes.
    const empty = await encryptFile(key, new Uint8Array(0), { chunkSize: C });
    expect(await failure(decryptFile(key, concatBytes(empty, new Uint8Array(1))))).toBe('stream_corrupt');
  });
});

describe('decryptFile', () => {
  it('refuses input that is not bytes, like decryptStream', async () => {
    const key = randomKey<FileKey>();
    expect(await failure(decryptFile(key, 'text' as unknown as Uint8Array))).toBe('bad_params');
    expect(await failure(decryptFile(new Uint8Array(16) as FileKey, new Uint8Array(64)))).toBe('bad_params');
  });

  it('returns one chunk as it was opened, without copying it into a new buffer', async () => {
    const key = randomKey<FileKey>();
    const pt = pattern(1000, 8);
    const out = await decryptFile(key, await encryptFile(key, pt, { chunkSize: C }));
    expect(out.byteOffset).toBe(0);
    expect(out.buffer.byteLength).toBe(pt.length);
    expect(equalBytes(out, pt)).toBe(true);
  });
});

describe('maxEncryptedLength', () => {
  it('bounds the encrypted length of every size at every chunk size', async () => {
    const key = randomKey<FileKey>();
    for (const chunkSize of [C, 2 * C + 1, 1048576]) {
      for (const n of [0, 1, C - 1, C, C + 1, 3 * C, 3 * C + 7]) {
        const enc = await encryptFile(key, new Uint8Array(n), { chunkSize });
        expect(enc.length, `${n} bytes, chunks of ${chunkSize}`).toBeLessThanOrEqual(maxEncryptedLength(n));
      }
    }
    expect(maxEncryptedLength(C)).toBe(HEADER + C + 2 * TAG);
  });
});

describe('without crypto.subtle', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('falls back to @noble/ciphers and stays compatible with the WebCrypto path', async () => {
    const key = randomKey<FileKey>();
    const pt = pattern(C + 333, 77);
    const viaSubtle = await encryptFile(key, pt, { chunkSize: C });

    const real = globalThis.crypto;
    vi.stubGlobal('crypto', { getRandomValues: real.getRandomValues.bind(real) });
    expect(globalThis.crypto.subtle).toBeUndefined();
    const viaNoble = await encryptFile(key, pt, { chunkSize: C });
    expect(equalBytes(await decryptFile(key, viaSubtle), pt)).toBe(true);
    const tampered = viaSubtle.slice();
    tampered[HEADER + 1]! ^= 1;
    expect(await failure(decryptFile(key, tampered))).toBe('stream_corrupt');
    vi.unstubAllGlobals();

    expect(globalThis.crypto.subtle).toBeDefined();
    expect(equalBytes(await decryptFile(key, viaNoble), pt)).toBe(true);
  });
});
