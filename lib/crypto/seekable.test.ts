import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { concatBytes, equalBytes, fromHex, utf8Encode } from './encoding';
import { randomBytes, randomKey } from './random';
import { encryptedSize, rangeEncryptor } from './seekable';
import { decryptFile, decryptStream, encryptFile } from './stream';
import { CryptoError, type FileKey } from './types';

const C = 65536; // smallest allowed chunk size keeps the tests fast
const HEADER = 32;
const TAG = 16;
const STRIDE = C + TAG;

// Deterministic pseudo-random numbers so failures are reproducible.
function rng(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

function pattern(n: number, seed = 1): Uint8Array {
  const next = rng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = next(256);
  return out;
}

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

type Read = { start: number; end: number };

// An encryptor over bytes in memory that records what it was asked to read.
// With `reuse`, every answer comes in the same buffer, overwritten by the next read.
async function over(key: FileKey, plain: Uint8Array, opts: { reuse?: boolean; fail?: (r: Read) => boolean } = {}) {
  const reads: Read[] = [];
  let shared = new Uint8Array(0);
  const enc = await rangeEncryptor(
    key,
    plain.length,
    async (start, end) => {
      reads.push({ start, end });
      if (opts.fail?.({ start, end })) throw new Error('unreadable');
      if (!opts.reuse) return plain.slice(start, end);
      if (shared.length < end - start) shared = new Uint8Array(end - start);
      shared.set(plain.subarray(start, end));
      return shared.subarray(0, end - start);
    },
    { chunkSize: C },
  );
  return { enc, reads };
}

async function failure(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return e instanceof CryptoError ? e.code : `not a CryptoError: ${String(e)}`;
  }
  return undefined;
}

const SIZES = [0, 1, C - 1, C, C + 1, 3 * C, 200_003];

describe('encryptedSize', () => {
  it('matches what encryptFile produces', async () => {
    const key = randomKey<FileKey>();
    for (const n of SIZES) {
      const ct = await encryptFile(key, pattern(n), { chunkSize: C });
      expect(encryptedSize(n, C), `size ${n}`).toBe(ct.length);
    }
  });

  it('counts one tag per chunk and one empty chunk for an empty file', () => {
    expect(encryptedSize(0, C)).toBe(HEADER + TAG);
    expect(encryptedSize(C, C)).toBe(HEADER + C + TAG);
    expect(encryptedSize(C + 1, C)).toBe(HEADER + C + 1 + 2 * TAG);
    expect(encryptedSize(5 * 1048576)).toBe(HEADER + 5 * 1048576 + 5 * TAG);
  });

  it('refuses sizes and chunk sizes outside the format', () => {
    expect(() => encryptedSize(-1)).toThrow(CryptoError);
    expect(() => encryptedSize(1.5)).toThrow(CryptoError);
    expect(() => encryptedSize(10, 1000)).toThrow(CryptoError);
    expect(() => encryptedSize(C * 2 ** 32 + 1, C)).toThrow(CryptoError);
  });
});

describe('rangeEncryptor', () => {
  it.each(SIZES)('full range of %i bytes decrypts to the plaintext', async (n) => {
    const key = randomKey<FileKey>();
    const plain = pattern(n, n + 1);
    const { enc } = await over(key, plain);
    expect(enc.size).toBe(encryptedSize(n, C));
    const ct = await enc.range(0, enc.size);
    expect(ct.length).toBe(enc.size);
    expect(equalBytes(await decryptFile(key, ct), plain)).toBe(true);
    enc.dispose();
  });

  it.each(SIZES)('random ranges of %i bytes concatenate to the full range', async (n) => {
    const key = randomKey<FileKey>();
    const plain = pattern(n, 7);
    const full = await (await over(key, plain)).enc.range(0, Infinity);
    const next = rng(n + 3);
    for (let round = 0; round < 3; round++) {
      const { enc } = await over(key, plain);
      const parts: Uint8Array[] = [];
      let off = 0;
      while (off < enc.size) {
        // Mostly small steps so ranges start inside the header and inside chunks.
        const step = 1 + (next(4) === 0 ? next(3 * STRIDE) : next(2 * HEADER + 100));
        parts.push(await enc.range(off, off + step));
        off += step;
      }
      expect(equalBytes(concatBytes(...parts), full)).toBe(true);
    }
  });

  it('gives any range out of order, across and inside chunks', async () => {
    const key = randomKey<FileKey>();
    const plain = pattern(3 * C + 17, 5);
    const full = await (await over(key, plain)).enc.range(0, Infinity);
    const { enc } = await over(key, plain);
    const next = rng(11);
    const edges = [0, 1, HEADER - 1, HEADER, HEADER + 1, HEADER + STRIDE - 1, HEADER + STRIDE, HEADER + STRIDE + 5, enc.size - 1, enc.size];
    for (let i = 0; i < 60; i++) {
      const a = i < edges.length ? edges[i]! : next(enc.size + 1);
      const b = Math.min(enc.size, a + (i % 2 ? next(3 * STRIDE) : next(200)));
      expect(equalBytes(await enc.range(a, b), full.subarray(a, b)), `[${a}, ${b})`).toBe(true);
    }
  });

  it('gives the same bytes as views over the sealed chunks (parts), copied nowhere', async () => {
    const key = randomKey<FileKey>();
    const plain = pattern(6 * C + 17, 9);
    const full = await (await over(key, plain)).enc.range(0, Infinity);
    const { enc } = await over(key, plain);
    const step = 2 * STRIDE + 5;
    const got: Uint8Array[] = [];
    let viewsOverSealed = 0;
    for (let off = 0; off < enc.size; off += step) {
      const parts = await enc.parts(off, off + step);
      viewsOverSealed += parts.filter((p) => p.buffer.byteLength === STRIDE && p.byteLength < STRIDE).length;
      got.push(concatBytes(...parts));
    }
    expect(equalBytes(concatBytes(...got), full)).toBe(true);
    // Chunks come as views over what was sealed, not as copies of it.
    expect(viewsOverSealed).toBeGreaterThan(0);
    expect(concatBytes(...(await enc.parts(7, 7)))).toHaveLength(0);
  });

  it('clamps the end, returns nothing for empty ranges and refuses bad ones', async () => {
    const { enc } = await over(randomKey<FileKey>(), pattern(100));
    expect((await enc.range(enc.size - 3, enc.size + 1000)).length).toBe(3);
    expect((await enc.range(10, 10)).length).toBe(0);
    expect((await enc.range(enc.size + 5, enc.size + 10)).length).toBe(0);
    expect(await failure(enc.range(-1, 5))).toBe('bad_params');
    expect(await failure(enc.range(5, 4))).toBe('bad_params');
    expect(await failure(enc.range(0.5, 4))).toBe('bad_params');
    enc.dispose();
    expect(await failure(enc.range(0, 5))).toBe('bad_params');
  });

  it('gives identical bytes for the same key, different bytes for another key', async () => {
    const key = randomKey<FileKey>();
    const plain = pattern(2 * C + 99, 3);
    const a = await (await over(key, plain)).enc.range(0, Infinity);
    const b = await (await over(new Uint8Array(key) as FileKey, plain)).enc.range(0, Infinity);
    const c = await (await over(randomKey<FileKey>(), plain)).enc.range(0, Infinity);
    expect(equalBytes(a, b)).toBe(true);
    expect(a.length).toBe(c.length);
    expect(equalBytes(a.subarray(0, 9), c.subarray(0, 9))).toBe(true); // magic, version, chunk size
    expect(equalBytes(a.subarray(9, HEADER), c.subarray(9, HEADER))).toBe(false); // salt, prefix
    expect(equalBytes(a.subarray(HEADER), c.subarray(HEADER))).toBe(false);
  });

  it('derives salt and nonce prefix from the key, the chunk size and the length as documented', async () => {
    const key = fromHex('00'.repeat(31) + '01') as FileKey;
    const plain = pattern(C + 3);
    const head = await (await over(key, plain)).enc.range(0, HEADER);
    const context = fromHex('00010000' + '0000000000010003'); // chunkSize u32be, plainSize u64be
    const okm = hkdf(sha256, key, context, utf8Encode('konsil/v1/file-header'), 23);
    expect(equalBytes(head.subarray(0, 9), concatBytes(utf8Encode('KSF1'), fromHex('0100010000')))).toBe(true);
    expect(equalBytes(head.subarray(9), okm)).toBe(true);
  });

  it('derives another header for another chunk size or length under the same key', async () => {
    const key = randomKey<FileKey>();
    const plain = pattern(1000);
    const header = async (p: Uint8Array, chunkSize: number) =>
      (await rangeEncryptor(key, p.length, async (s, e) => p.slice(s, e), { chunkSize })).range(9, HEADER);
    const base = await header(plain, C);
    expect(equalBytes(base, await header(plain, C))).toBe(true);
    expect(equalBytes(base, await header(plain, 2 * C))).toBe(false);
    expect(equalBytes(base, await header(plain.subarray(0, 999), C))).toBe(false);
  });

  it('uses the default chunk size of stream.ts', async () => {
    const plain = pattern(1048576 + 1);
    const enc = await rangeEncryptor(randomKey<FileKey>(), plain.length, async (s, e) => plain.slice(s, e));
    expect(enc.size).toBe(encryptedSize(plain.length));
    expect(enc.size).toBe(HEADER + plain.length + 2 * TAG);
    const head = await enc.range(5, 9);
    expect(new DataView(head.buffer).getUint32(0, false)).toBe(1048576);
  });

  it('fails decryption when any byte is flipped', async () => {
    const key = randomKey<FileKey>();
    const plain = pattern(2 * C + 5, 9);
    const ct = await (await over(key, plain)).enc.range(0, Infinity);
    for (const at of [0, 5, 12, HEADER - 1, HEADER, HEADER + 100, HEADER + C + 3, HEADER + STRIDE + 1, ct.length - 1]) {
      const bad = ct.slice();
      bad[at]! ^= 0x01;
      const code = await failure(decryptFile(key, bad));
      expect(code, `byte ${at}`).toMatch(/^(bad_format|stream_corrupt)$/);
    }
  });

  it('decrypts with decryptStream fed in odd-sized pieces', async () => {
    const key = randomKey<FileKey>();
    const plain = randomBytes(3 * C + 12345);
    const ct = await (await over(key, plain)).enc.range(0, Infinity);
    const out: Uint8Array[] = [];
    for await (const part of decryptStream(key, oddPieces(ct))) out.push(part);
    expect(equalBytes(concatBytes(...out), plain)).toBe(true);
  });

  it('reads only the plaintext of the chunks a range overlaps', async () => {
    const key = randomKey<FileKey>();
    const plain = pattern(5 * C + 10, 2);
    const chunkAt = (i: number) => HEADER + i * STRIDE;

    // Header only: nothing read.
    let t = await over(key, plain);
    await t.enc.range(0, HEADER);
    expect(t.reads).toEqual([]);

    // Inside one chunk, and its tag only.
    t = await over(key, plain);
    await t.enc.range(chunkAt(2) + 10, chunkAt(2) + 20);
    expect(t.reads).toEqual([{ start: 2 * C, end: 3 * C }]);
    t = await over(key, plain);
    await t.enc.range(chunkAt(3) - 4, chunkAt(3));
    expect(t.reads).toEqual([{ start: 2 * C, end: 3 * C }]);

    // From the header into the second chunk: chunks 0 and 1, in one read.
    t = await over(key, plain);
    await t.enc.range(HEADER - 1, chunkAt(1) + 1);
    expect(t.reads).toEqual([{ start: 0, end: 2 * C }]);

    // The short last chunk.
    t = await over(key, plain);
    await t.enc.range(t.enc.size - 1, t.enc.size);
    expect(t.reads).toEqual([{ start: 5 * C, end: 5 * C + 10 }]);

    // Sequential ranges that end inside a chunk do not read that chunk twice.
    t = await over(key, plain);
    const pieces: Uint8Array[] = [];
    for (let off = 0; off < t.enc.size; off += 100_000) pieces.push(await t.enc.range(off, off + 100_000));
    const bytesRead = t.reads.reduce((sum, r) => sum + (r.end - r.start), 0);
    expect(bytesRead).toBe(plain.length);
    expect(equalBytes(await decryptFile(key, concatBytes(...pieces)), plain)).toBe(true);
  });

  it('refuses a plaintext source that returns the wrong length', async () => {
    const plain = pattern(C + 5);
    const enc = await rangeEncryptor(randomKey<FileKey>(), plain.length, async (s, e) => plain.slice(s, e - 1), { chunkSize: C });
    expect(await failure(enc.range(0, enc.size))).toBe('bad_params');
  });

  it('refuses a key that is not 32 bytes and an unusable chunk size', async () => {
    const read = async () => new Uint8Array(0);
    expect(await failure(rangeEncryptor(new Uint8Array(16) as FileKey, 0, read))).toBe('bad_params');
    expect(await failure(rangeEncryptor(randomKey<FileKey>(), 0, read, { chunkSize: 100 }))).toBe('bad_params');
    expect(await failure(rangeEncryptor(randomKey<FileKey>(), -1, read))).toBe('bad_params');
  });

  it('reads each chunk once, in consecutive spans, and gives the same bytes when every read answers in one reused buffer', async () => {
    const key = randomKey<FileKey>();
    const plain = pattern(9 * C + 123, 7);
    const full = await (await over(key, plain)).enc.range(0, Infinity);
    const t = await over(key, plain, { reuse: true });
    const step = 2 * STRIDE + 500;
    const got: Uint8Array[] = [];
    for (let off = 0; off < t.enc.size; off += step) got.push(concatBytes(...(await t.enc.parts(off, off + step))));
    expect(equalBytes(concatBytes(...got), full)).toBe(true);
    for (let i = 1; i < t.reads.length; i++) expect(t.reads[i]!.start).toBe(t.reads[i - 1]!.end);
    expect(t.reads.at(-1)!.end).toBe(plain.length);
  });

  it('reports a failed read and reads again when the range is asked for again', async () => {
    const key = randomKey<FileKey>();
    const plain = pattern(6 * C, 3);
    let failOnce = true;
    const t = await over(key, plain, {
      fail: (r) => {
        if (r.start === 2 * C && failOnce) {
          failOnce = false;
          return true;
        }
        return false;
      },
    });
    const a = await t.enc.range(0, 2 * STRIDE);
    await expect(t.enc.range(2 * STRIDE, t.enc.size)).rejects.toThrow('unreadable');
    const b = await t.enc.range(2 * STRIDE, t.enc.size);
    expect(t.reads.filter((r) => r.start === 2 * C).length).toBe(2);
    expect(equalBytes(await decryptFile(key, concatBytes(a, b)), plain)).toBe(true);
  });

  it('after dispose, no range gives ciphertext', async () => {
    const t = await over(randomKey<FileKey>(), pattern(4 * C));
    await t.enc.range(0, STRIDE);
    t.enc.dispose();
    expect(await failure(t.enc.range(STRIDE, 2 * STRIDE))).toBe('bad_params');
  });
});
