// The browser's crypto worker for studies: hashing the files a user picks,
// checking their DICOM headers and encrypting upload ranges happen here, off
// the main thread, so a study of thousands of files keeps the page responsive
// and never sits in memory as a whole. worker-client.ts is the only caller;
// the operations and the message loop are exported so they run in tests too.
// No React or Next.js here: this file is bundled as a worker of its own.
import { sha256 } from '@noble/hashes/sha2.js';
import { createSHA256 } from 'hash-wasm';
import { toHex } from '@/lib/crypto/encoding';
import { encryptedSize, rangeEncryptor, type RangeEncryptor } from '@/lib/crypto/seekable';
import { CryptoError, type FileKey } from '@/lib/crypto/types';
import { HEADER_BYTES, inspect, type Inspected } from '@/lib/dicom/inspect';
import { readBytes, readWhole, SequentialReader } from './blob-reads';
import { FileUploads, TUS_CHUNK, UploadRequestError, type UploadFileRequest } from './worker-uploads';

const MiB = 1048576;
/** Piece of a file read at a time while hashing. */
export const HASH_PIECE = 4 * MiB;
/** Range size of the throughput benchmark (an upload request's order of size). */
const BENCH_RANGE = TUS_CHUNK;
/** Upper bound of the benchmark's in-memory data. */
const BENCH_MAX_BYTES = 512 * MiB;

/** MB/s: the app's file encryption; raw AES-GCM reading the same Blob; raw AES-GCM on the bytes already in memory. */
export type Throughput = { ours: number; rawFile: number; rawMemory: number };

export type WorkerRequest =
  | { op: 'hashFile'; file: Blob }
  | { op: 'inspectFile'; file: Blob }
  | ({ op: 'uploadFile' } & UploadFileRequest)
  | { op: 'pauseUpload'; fileId: string }
  | { op: 'resumeUpload'; fileId: string }
  | { op: 'encryptThroughput'; bytes: number; chunkSize: number };

/** What each operation resolves to. Everything here is structured-clonable (Inspected is plain data). */
export type WorkerResults = {
  hashFile: string;
  inspectFile: Inspected;
  uploadFile: null;
  pauseUpload: null;
  resumeUpload: null;
  encryptThroughput: Throughput;
};

/** A coded error; an upload request the server refused has code 'api:<its code>' and the HTTP status. */
export type WorkerError = { code: string; message: string; status?: number };

export type WorkerMessage = { id: number } & WorkerRequest;

export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: WorkerError }
  | { id: number; progress: number };

/** The side of a MessagePort, Worker or worker scope this file needs. */
export type Port = {
  postMessage(message: unknown, options?: { transfer?: Transferable[] }): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
};

/**
 * SHA-256 (hex) of a file (WebAssembly, a few times the speed of SHA-256 in JavaScript), read through one reused
 * buffer where it can be (readWhole); onProgress gets the bytes hashed so far.
 */
export async function hashBlob(file: Blob, onProgress?: (done: number) => void, piece = HASH_PIECE, stallMs?: number): Promise<string> {
  const h = await createSHA256();
  h.init();
  let done = 0;
  await readWhole(
    file,
    piece,
    (bytes) => {
      h.update(bytes);
      done += bytes.length;
      onProgress?.(done);
    },
    stallMs,
  );
  return h.digest('hex');
}

export async function inspectBlob(file: Blob): Promise<Inspected> {
  return inspect(await readBytes(file, 0, HEADER_BYTES));
}

type OpenFile = { size: number; keyDigest: string; chunkSize: number; current: { file: Blob }; reader: SequentialReader; encryptor: Promise<RangeEncryptor> };

/**
 * One rangeEncryptor per file id, created on first use. Later calls may pass
 * another Blob of the same file (a re-pick whose SHA-256 the caller checked);
 * reads then come from the newest one. Another size or key for an open id is
 * a mistake of the caller and is refused, never encrypted.
 */
export class FileEncryptors {
  private readonly open = new Map<string, OpenFile>();

  /** Ciphertext bytes [start, end) of the file, as consecutive views not to be modified (RangeEncryptor.parts). */
  async encrypt(fileId: string, file: Blob, fileKey: Uint8Array, chunkSize: number, start: number, end: number): Promise<Uint8Array[]> {
    const keyDigest = toHex(sha256(fileKey));
    let entry = this.open.get(fileId);
    if (entry && (entry.size !== file.size || entry.keyDigest !== keyDigest || entry.chunkSize !== chunkSize)) {
      throw new CryptoError('bad_params', 'this file is already being encrypted with another key, size or chunk size');
    }
    if (!entry) {
      const current = { file };
      // Consecutive spans through one reused buffer (blob-reads.ts). Nothing is sealed ahead: with four files
      // under way the next range of one is sealed while the others are on the wire anyway, and sealing ahead kept
      // two ranges per file in memory (about 30 MB more for the tab, no faster: PERFORMANCE.md).
      const reader = new SequentialReader();
      const encryptor = rangeEncryptor(fileKey as FileKey, file.size, (s, e) => reader.read(current.file, s, e), { chunkSize });
      const created: OpenFile = { size: file.size, keyDigest, chunkSize, current, reader, encryptor };
      // A failed start is not kept, so the next call can try again.
      encryptor.catch(() => {
        if (this.open.get(fileId) === created) this.open.delete(fileId);
      });
      this.open.set(fileId, created);
      entry = created;
    }
    entry.current.file = file;
    return (await entry.encryptor).parts(start, end);
  }

  release(fileId: string): void {
    const entry = this.open.get(fileId);
    if (!entry) return;
    this.open.delete(fileId);
    entry.reader.close();
    entry.encryptor.then((e) => e.dispose(), () => {});
  }

  releaseAll(): void {
    for (const id of [...this.open.keys()]) this.release(id);
  }
}

const mbPerSecond = (bytes: number, ms: number) => bytes / 1e6 / (Math.max(ms, 0.001) / 1000);

/**
 * MB/s of the encryptors an upload uses (FileEncryptors: ranges of 8 MiB one after the other, sealed in chunks of
 * `chunkSize`) over a Blob of random bytes, against raw WebCrypto AES-GCM over the same bytes in calls of the same
 * size — once reading them from the same
 * Blob as a file must be read (the straightforward loop: read a piece, encrypt it), once on the bytes already in
 * memory (what AES-GCM alone costs here).
 */
export async function measureThroughput(bytes: number, chunkSize: number): Promise<Throughput> {
  const BENCH_RAW_CHUNK = chunkSize;
  if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > BENCH_MAX_BYTES) {
    throw new CryptoError('bad_params', `benchmark size must be between 1 byte and ${BENCH_MAX_BYTES} bytes`);
  }
  const subtle = globalThis.crypto.subtle;
  const data = new Uint8Array(bytes);
  for (let off = 0; off < bytes; off += 65536) crypto.getRandomValues(data.subarray(off, off + 65536));
  const blob = new Blob([data]);
  const rawKey = new Uint8Array(32);
  crypto.getRandomValues(rawKey);
  const key = await subtle.importKey('raw', rawKey, { name: 'AES-GCM' }, false, ['encrypt']);
  const iv = new Uint8Array(12);
  const rawSeal = (n: number, plain: BufferSource) => {
    new DataView(iv.buffer).setUint32(8, n, false);
    return subtle.encrypt({ name: 'AES-GCM', iv }, key, plain);
  };

  const files = new FileEncryptors();
  // Untimed first calls: the first calls into a fresh worker are much
  // slower than the steady state an upload runs in.
  await files.encrypt('warm-up', blob, rawKey, chunkSize, 0, BENCH_RANGE);
  files.release('warm-up');
  await rawSeal(0, await blob.slice(0, BENCH_RAW_CHUNK).arrayBuffer());
  const size = encryptedSize(bytes, chunkSize);
  let t0 = performance.now();
  // As an upload request's body is made: the range's pieces into a Blob.
  for (let off = 0; off < size; off += BENCH_RANGE) new Blob((await files.encrypt('bench', blob, rawKey, chunkSize, off, Math.min(size, off + BENCH_RANGE))) as BlobPart[]);
  const ours = mbPerSecond(bytes, performance.now() - t0);
  t0 = performance.now();
  for (let off = 0; off < bytes; off += BENCH_RAW_CHUNK) await rawSeal(off / BENCH_RAW_CHUNK, await blob.slice(off, off + BENCH_RAW_CHUNK).arrayBuffer());
  const rawFile = mbPerSecond(bytes, performance.now() - t0);
  t0 = performance.now();
  for (let off = 0; off < bytes; off += BENCH_RAW_CHUNK) await rawSeal(off / BENCH_RAW_CHUNK, data.subarray(off, off + BENCH_RAW_CHUNK));
  const rawMemory = mbPerSecond(bytes, performance.now() - t0);
  files.releaseAll();
  rawKey.fill(0);
  return { ours, rawFile, rawMemory };
}

export function errorInfo(e: unknown): WorkerError {
  if (e instanceof UploadRequestError) return { code: `api:${e.code}`, message: e.message, status: e.status };
  if (e instanceof CryptoError) return { code: e.code, message: e.message };
  if (e instanceof DOMException) {
    // A picked file that was moved, changed or deleted since can no longer be read.
    const unreadable = e.name === 'NotReadableError' || e.name === 'NotFoundError';
    return { code: unreadable ? 'file_unreadable' : e.name, message: e.message };
  }
  return { code: 'worker_failed', message: e instanceof Error ? e.message : String(e) };
}

/** Runs one request; the value and the buffers to transfer with it. */
export async function handle(
  request: WorkerRequest,
  files: FileEncryptors,
  uploads: FileUploads,
  onProgress: (done: number) => void,
): Promise<{ value: WorkerResults[WorkerRequest['op']]; transfer: Transferable[] }> {
  switch (request.op) {
    case 'hashFile':
      return { value: await hashBlob(request.file, onProgress), transfer: [] };
    case 'inspectFile':
      return { value: await inspectBlob(request.file), transfer: [] };
    case 'uploadFile': {
      const { op: _op, ...upload } = request;
      await uploads.upload(upload, onProgress);
      return { value: null, transfer: [] };
    }
    case 'pauseUpload':
      uploads.pause(request.fileId);
      return { value: null, transfer: [] };
    case 'resumeUpload':
      uploads.resume(request.fileId);
      return { value: null, transfer: [] };
    case 'encryptThroughput':
      return { value: await measureThroughput(request.bytes, request.chunkSize), transfer: [] };
    default:
      throw new CryptoError('bad_params', `unknown operation ${(request as { op: unknown }).op}`);
  }
}

/** Answers requests arriving on a port, each with its id; requests run concurrently. */
export function serve(port: Port, files = new FileEncryptors(), uploads = new FileUploads(files)): void {
  port.addEventListener('message', (event: MessageEvent<WorkerMessage>) => {
    const { id, ...request } = event.data;
    handle(request, files, uploads, (done) => port.postMessage({ id, progress: done } satisfies WorkerReply))
      .then(({ value, transfer }) => port.postMessage({ id, ok: true, value } satisfies WorkerReply, { transfer }))
      .catch((e: unknown) => port.postMessage({ id, ok: false, error: errorInfo(e) } satisfies WorkerReply))
      .finally(() => {
        // The worker's copy of the key is no longer needed once the file is uploaded (or has failed).
        if (request.op === 'uploadFile') request.fileKey.fill(0);
      });
  });
}

if ('WorkerGlobalScope' in globalThis) serve(globalThis as unknown as Port);
