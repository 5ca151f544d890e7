import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes, equalBytes } from '@/lib/crypto/encoding';
import { randomBytes, randomKey } from '@/lib/crypto/random';
import { encryptedSize } from '@/lib/crypto/seekable';
import { decryptFile } from '@/lib/crypto/stream';
import type { FileKey } from '@/lib/crypto/types';
import { STUDY_FILE_CHUNK } from '@/lib/protocol/studies';
import { connect } from './worker-client';
import { FileEncryptors, hashBlob, serve, type Port } from './worker';

const MiB = 1048576;
const sha256Hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const joined = (parts: Uint8Array[]) => concatBytes(...parts);

describe('hashBlob', () => {
  it('gives the SHA-256 of files of every size, across piece boundaries', async () => {
    const piece = 65536;
    for (const n of [0, 1, piece - 1, piece, piece + 1, 3 * piece + 17]) {
      const bytes = randomBytes(n);
      const seen: number[] = [];
      expect(await hashBlob(new Blob([bytes as BlobPart]), (d) => seen.push(d), piece)).toBe(sha256Hex(bytes));
      if (n) expect(seen.at(-1)).toBe(n);
    }
  });

  it('reads through the byte stream where the Blob has one, not in pieces', async () => {
    const bytes = randomBytes(5 * 65536 + 3);
    let slices = 0;
    class CountingBlob extends Blob {
      slice(...args: Parameters<Blob['slice']>) {
        slices++;
        return super.slice(...args);
      }
    }
    const seen: number[] = [];
    expect(await hashBlob(new CountingBlob([bytes as BlobPart]), (d) => seen.push(d), 65536, 50)).toBe(sha256Hex(bytes));
    expect(slices).toBe(0);
    expect(seen.at(-1)).toBe(bytes.length);
  });

  it('reads the rest in pieces where the byte stream stalls', async () => {
    const bytes = randomBytes(4 * 65536 + 11);
    const head = bytes.subarray(0, 65536 + 5);
    class StallingBlob extends Blob {
      stream() {
        let sent = false;
        return new ReadableStream({
          type: 'bytes',
          pull(c) {
            if (sent) return new Promise<void>(() => {});
            sent = true;
            const view = c.byobRequest!.view as Uint8Array;
            const n = Math.min(view.byteLength, head.length);
            view.set(head.subarray(0, n));
            c.byobRequest!.respond(n);
          },
        }) as ReturnType<Blob['stream']>;
      }
    }
    const seen: number[] = [];
    expect(await hashBlob(new StallingBlob([bytes as BlobPart]), (d) => seen.push(d), 65536, 50)).toBe(sha256Hex(bytes));
    expect(seen[0]).toBe(65536);
    expect(seen.at(-1)).toBe(bytes.length);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('reads in pieces where a Blob has no byte stream', async () => {
    const bytes = randomBytes(200_001);
    class PlainStreamBlob extends Blob {
      stream() {
        return new ReadableStream<Uint8Array>({ start: (c) => c.close() }) as ReturnType<Blob['stream']>;
      }
    }
    const seen: number[] = [];
    expect(await hashBlob(new PlainStreamBlob([bytes as BlobPart]), (d) => seen.push(d), 65536)).toBe(sha256Hex(bytes));
    expect(seen).toEqual([65536, 131072, 196608, 200001]);
  });

  it('refuses a file that is longer than it said when picked (changed since)', async () => {
    const file = new Blob([randomBytes(1000) as BlobPart]);
    const grown = { stream: () => new Blob([randomBytes(1200) as BlobPart]).stream(), slice: file.slice.bind(file), size: 1000 } as Blob;
    await expect(hashBlob(grown, undefined, 400)).rejects.toMatchObject({ code: 'bad_params' });
  });

  it('refuses a file that is shorter than it said when picked (changed since)', async () => {
    const file = new Blob([randomBytes(1000) as BlobPart]);
    // A Blob's slice clamps to its size, as a file that shrank on disk reads short.
    const shrunk = { slice: (a: number, b: number) => file.slice(a, Math.min(b, 500)), size: 1000 } as Blob;
    await expect(hashBlob(shrunk, undefined, 400)).rejects.toMatchObject({ code: 'bad_params' });
  });
});

describe('FileEncryptors', () => {
  it('encrypts a file request by request as an upload asks, giving a file that decrypts', async () => {
    const plain = randomBytes(3 * MiB + 4321);
    const file = new Blob([plain as BlobPart]);
    const key = randomKey<FileKey>();
    const files = new FileEncryptors();
    const size = encryptedSize(plain.length, STUDY_FILE_CHUNK);
    const step = 1_000_003;
    const parts: Uint8Array[] = [];
    for (let off = 0; off < size; off += step) parts.push(joined(await files.encrypt('f', file, key, STUDY_FILE_CHUNK, off, Math.min(size, off + step))));
    files.release('f');
    expect(equalBytes(await decryptFile(key, concatBytes(...parts)), plain)).toBe(true);
    // Encryption is reproducible: a new encryptor gives the same bytes for any range.
    const again = joined(await new FileEncryptors().encrypt('f', file, key, STUDY_FILE_CHUNK, step, 2 * step));
    expect(equalBytes(again, parts[1]!)).toBe(true);
  });

  it('refuses another key, size or chunk size for an open file', async () => {
    const files = new FileEncryptors();
    const file = new Blob([randomBytes(1000) as BlobPart]);
    const key = randomKey<FileKey>();
    await files.encrypt('f', file, key, STUDY_FILE_CHUNK, 0, 100);
    await expect(files.encrypt('f', file, randomKey<FileKey>(), STUDY_FILE_CHUNK, 100, 200)).rejects.toMatchObject({ code: 'bad_params' });
    await expect(files.encrypt('f', file, key, 2 * STUDY_FILE_CHUNK, 100, 200)).rejects.toMatchObject({ code: 'bad_params' });
    await expect(files.encrypt('f', new Blob([randomBytes(999) as BlobPart]), key, STUDY_FILE_CHUNK, 100, 200)).rejects.toMatchObject({ code: 'bad_params' });
  });
});

describe('serve', () => {
  it('answers numbered requests over a port with values and coded errors', async () => {
    const { port1, port2 } = new MessageChannel();
    serve(port2 as unknown as Port);
    port2.start();
    const rpc = connect(port1 as unknown as Port);
    port1.start();
    const bytes = randomBytes(70_000);
    expect(await rpc.call({ op: 'hashFile', file: new Blob([bytes as BlobPart]) })).toBe(sha256Hex(bytes));
    expect(await rpc.call({ op: 'pauseUpload', fileId: 'not uploading' })).toBeNull();
    const inspected = await rpc.call({ op: 'inspectFile', file: new Blob([bytes as BlobPart]) });
    expect(inspected).toMatchObject({ kind: expect.any(String) });
    await expect(rpc.call({ op: 'nonsense' } as never)).rejects.toMatchObject({ code: 'bad_params' });
    port1.close();
  });
});
