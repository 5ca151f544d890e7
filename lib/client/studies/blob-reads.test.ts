import { describe, expect, it } from 'vitest';
import { equalBytes } from '@/lib/crypto/encoding';
import { randomBytes } from '@/lib/crypto/random';
import { SequentialReader } from './blob-reads';

/** A Blob that counts the streams opened on it and its slices (a slice with a stream opened on it counts once in each). */
function counted(bytes: Uint8Array, opts: { stallAfter?: number } = {}) {
  const seen = { streams: 0, slices: 0 };
  class Counted extends Blob {
    slice(...args: Parameters<Blob['slice']>): Blob {
      seen.slices++;
      const part = super.slice(...args);
      if (opts.stallAfter === undefined) return new Counted([part]);
      return new Stalling([part]);
    }
    stream() {
      seen.streams++;
      return super.stream();
    }
  }
  // Its stream answers once and then never again, as Chromium's now and then does.
  class Stalling extends Blob {
    stream() {
      seen.streams++;
      const inner = super.stream().getReader({ mode: 'byob' });
      let reads = 0;
      return new ReadableStream({
        type: 'bytes',
        async pull(c) {
          if (reads++ >= opts.stallAfter!) return new Promise<void>(() => {});
          const view = c.byobRequest!.view as Uint8Array;
          const r = await inner.read(new Uint8Array(view.byteLength));
          if (r.done) {
            c.close();
            c.byobRequest!.respond(0);
            return;
          }
          view.set(r.value);
          c.byobRequest!.respond(r.value.byteLength);
        },
      }) as ReturnType<Blob['stream']>;
    }
    slice(...args: Parameters<Blob['slice']>): Blob {
      return new Blob([super.slice(...args)]);
    }
  }
  return { file: new Counted([bytes as BlobPart]), seen };
}

describe('SequentialReader', () => {
  it('reads consecutive ranges through one stream into one reused buffer', async () => {
    const bytes = randomBytes(1_000_000);
    const { file, seen } = counted(bytes);
    const r = new SequentialReader();
    const buffers = new Set<number>();
    for (let at = 0; at < bytes.length; at += 300_000) {
      const end = Math.min(bytes.length, at + 300_000);
      const got = await r.read(file, at, end);
      expect(equalBytes(got, bytes.subarray(at, end)), `[${at}, ${end})`).toBe(true);
      buffers.add(got.buffer.byteLength);
    }
    // One slice from the start, one stream on it; every answer in a buffer of the first range's size.
    expect(seen.slices).toBe(1);
    expect(seen.streams).toBe(1);
    expect([...buffers]).toEqual([300_000]);
    r.close();
  });

  it('starts a new stream for a range elsewhere or in another Blob of the file', async () => {
    const bytes = randomBytes(100_000);
    const { file, seen } = counted(bytes);
    const r = new SequentialReader();
    expect(equalBytes(await r.read(file, 0, 10_000), bytes.subarray(0, 10_000))).toBe(true);
    expect(equalBytes(await r.read(file, 50_000, 60_000), bytes.subarray(50_000, 60_000))).toBe(true);
    const again = counted(bytes);
    expect(equalBytes(await r.read(again.file, 60_000, 70_000), bytes.subarray(60_000, 70_000))).toBe(true);
    expect(seen.slices).toBe(2);
    expect(again.seen.slices).toBe(1);
  });

  it('reads in pieces after a stream read stalls, and from then on', async () => {
    const bytes = randomBytes(200_000);
    const { file } = counted(bytes, { stallAfter: 1 });
    const r = new SequentialReader(30);
    // The first stream read answers; the second stalls, so the range is read again as a piece.
    for (let at = 0; at < bytes.length; at += 40_000) {
      expect(equalBytes(await r.read(file, at, at + 40_000), bytes.subarray(at, at + 40_000)), `at ${at}`).toBe(true);
    }
  });

  it('runs reads one at a time, each answer intact until the next read starts', async () => {
    const bytes = randomBytes(90_000);
    const { file } = counted(bytes);
    const r = new SequentialReader();
    const copies = await Promise.all([0, 30_000, 60_000].map((at) => r.read(file, at, at + 30_000).then((b) => b.slice())));
    copies.forEach((c, i) => expect(equalBytes(c, bytes.subarray(i * 30_000, (i + 1) * 30_000))).toBe(true));
  });

  it('gives a short answer where the file ends early (it changed since it was picked)', async () => {
    const bytes = randomBytes(10_000);
    const { file } = counted(bytes);
    const r = new SequentialReader();
    expect((await r.read(file, 8_000, 12_000)).length).toBe(2_000);
  });
});
