// Reading picked files in the crypto worker without leaving a trail of
// buffers. A new ArrayBuffer per piece (Blob.slice().arrayBuffer()) is given
// back only at the next garbage collection, which V8 times by how much outside
// memory was allocated since the last one, not by how much is still in use: a
// 1 GiB study read that way grew the tab by 150–180 MB. A byte-stream (BYOB)
// reader fills one buffer again and again instead. In Chromium 156 a read of
// such a stream now and then never settles (seen once, partway through a study
// of a few hundred files picked after large uploads in the same tab), so every
// stream read has a deadline; past it, the bytes are read piece by piece.
import { CryptoError } from '@/lib/crypto/types';

/** A stream read that has not settled after this long is taken as stalled. */
const STREAM_STALL_MS = 5000;

const STALLED = Symbol('stalled');

function within<T>(p: Promise<T>, ms: number): Promise<T | typeof STALLED> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof STALLED>((resolve) => (timer = setTimeout(() => resolve(STALLED), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

function byteReader(blob: Blob): ReadableStreamBYOBReader | null {
  try {
    return blob.stream().getReader({ mode: 'byob' });
  } catch {
    return null;
  }
}

const changed = () => new CryptoError('bad_params', 'the file changed while it was read');

/** Bytes [start, end) of a file, in a new buffer; shorter than asked if the file is shorter. */
export async function readBytes(file: Blob, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(start, end).arrayBuffer());
}

/**
 * Feeds `take` the whole file from its start, through one reused buffer of up to `piece` bytes where the file
 * has a byte stream, else (and after a stalled read, from where it stalled) in pieces. A file that reads
 * shorter or longer than its size is refused as changed. The bytes given to `take` are valid until it returns.
 */
export async function readWhole(file: Blob, piece: number, take: (bytes: Uint8Array) => void, stallMs = STREAM_STALL_MS): Promise<void> {
  let done = 0;
  const reader = byteReader(file);
  if (reader) {
    let buffer = new ArrayBuffer(Math.max(1, Math.min(piece, file.size)));
    for (;;) {
      const r = await within(reader.read(new Uint8Array(buffer)), stallMs);
      if (r === STALLED) {
        // The pending read keeps the buffer; the rest comes in new ones.
        reader.cancel().catch(() => {});
        break;
      }
      if (r.done || !r.value) break;
      buffer = r.value.buffer as ArrayBuffer;
      done += r.value.byteLength;
      if (done > file.size) throw changed();
      take(r.value);
    }
  }
  for (; done < file.size; ) {
    const bytes = await readBytes(file, done, Math.min(file.size, done + piece));
    if (bytes.length !== Math.min(piece, file.size - done)) throw changed();
    done += bytes.length;
    take(bytes);
  }
}

/**
 * Reads ranges of one file for an upload, which asks for them one after the other: consecutive ranges come
 * through one byte-stream reader into one reused buffer, so each answer is valid only until the next read (as
 * rangeEncryptor's readPlain may answer). A range elsewhere or from another Blob of the file starts a new
 * stream there; after a stalled read, ranges are read piece by piece into new buffers.
 */
export class SequentialReader {
  private reader: ReadableStreamBYOBReader | null = null;
  private of: Blob | null = null;
  private at = 0;
  private buffer: ArrayBuffer | null = null;
  private stalled = false;
  /** Reads run one at a time (a paused request's read may still be under way when the next one starts). */
  private last: Promise<unknown> = Promise.resolve();

  constructor(private readonly stallMs = STREAM_STALL_MS) {}

  read(file: Blob, start: number, end: number): Promise<Uint8Array> {
    const next = this.last.then(() => this.readNow(file, start, end));
    this.last = next.catch(() => {});
    return next;
  }

  private async readNow(file: Blob, start: number, end: number): Promise<Uint8Array> {
    if (this.stalled) return readBytes(file, start, end);
    if (this.reader && (this.of !== file || this.at !== start)) this.close();
    this.reader ??= byteReader(file.slice(start));
    if (!this.reader) return readBytes(file, start, end);
    this.of = file;
    this.at = start;
    const n = end - start;
    let buffer = this.buffer && this.buffer.byteLength >= n ? this.buffer : new ArrayBuffer(n);
    this.buffer = null;
    let filled = 0;
    while (filled < n) {
      const r = await within(this.reader.read(new Uint8Array(buffer, filled, n - filled)), this.stallMs);
      if (r === STALLED) {
        this.stalled = true;
        this.close();
        return readBytes(file, start, end);
      }
      // At the end the buffer comes back as an empty view.
      if (r.value) buffer = r.value.buffer as ArrayBuffer;
      if (r.done || !r.value) {
        // The file ends early (it changed since it was picked): the caller sees the short answer.
        this.close();
        return new Uint8Array(buffer, 0, filled);
      }
      filled += r.value.byteLength;
    }
    this.buffer = buffer;
    this.at = end;
    return new Uint8Array(buffer, 0, n);
  }

  close(): void {
    this.reader?.cancel().catch(() => {});
    this.reader = null;
    this.of = null;
  }
}
