// Main-thread side of the studies crypto worker (worker.ts): one worker per
// tab, started on first use, spoken to with numbered requests that resolve as
// promises. Files travel as Blobs (a reference, not a copy); their ciphertext
// goes from the worker to the server, the page hears progress only. Errors
// arrive as { code, message } and are thrown again as StudyWorkerError, so
// callers branch on `code`.
import type { Inspected } from '@/lib/dicom/inspect';
import type { Port, Throughput, WorkerReply, WorkerRequest, WorkerResults } from './worker';
import type { UploadFileRequest } from './worker-uploads';

export type { Throughput };

export class StudyWorkerError extends Error {
  constructor(
    readonly code: string,
    message?: string,
    /** The HTTP status of an upload request the server refused (code 'api:…'). */
    readonly status?: number,
  ) {
    super(message ?? code);
    this.name = 'StudyWorkerError';
  }
}

type Pending = {
  resolve: (value: unknown) => void;
  reject: (error: StudyWorkerError) => void;
  onProgress?: (done: number) => void;
};

export type Rpc = {
  call<K extends WorkerRequest['op']>(
    request: Extract<WorkerRequest, { op: K }>,
    onProgress?: (done: number) => void,
  ): Promise<WorkerResults[K]>;
  /** Rejects every request still waiting (the worker failed or was stopped). */
  failAll(code: string, message: string): void;
};

/** Request bookkeeping over any port (a Worker, or a MessagePort in tests). */
export function connect(port: Port): Rpc {
  const pending = new Map<number, Pending>();
  let nextId = 1;

  port.addEventListener('message', (event: MessageEvent<WorkerReply>) => {
    const reply = event.data;
    const p = pending.get(reply.id);
    if (!p) return;
    if ('progress' in reply) {
      p.onProgress?.(reply.progress);
      return;
    }
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.value);
    else p.reject(new StudyWorkerError(reply.error.code, reply.error.message, reply.error.status));
  });

  return {
    call(request, onProgress) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onProgress });
        try {
          port.postMessage({ id, ...request });
        } catch (e) {
          pending.delete(id);
          reject(new StudyWorkerError('worker_failed', e instanceof Error ? e.message : String(e)));
        }
      });
    },
    failAll(code, message) {
      const waiting = [...pending.values()];
      pending.clear();
      for (const p of waiting) p.reject(new StudyWorkerError(code, message));
    },
  };
}

let current: { worker: Worker; rpc: Rpc } | undefined;

function rpc(): Rpc {
  if (current) return current.rpc;
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  const started = { worker, rpc: connect(worker) };
  // A worker that fails to load or crashes takes its requests with it; the
  // next call starts a fresh one (which knows no open files).
  const fail = (message: string) => {
    if (current === started) current = undefined;
    worker.terminate();
    started.rpc.failAll('worker_failed', message);
  };
  worker.addEventListener('error', (e) => fail(e.message || 'the crypto worker failed'));
  worker.addEventListener('messageerror', () => fail('a reply of the crypto worker could not be read'));
  current = started;
  return started.rpc;
}

/** Stops the worker; requests still waiting fail with code 'worker_terminated'. */
export function terminate(): void {
  const stopping = current;
  if (!stopping) return;
  current = undefined;
  stopping.worker.terminate();
  stopping.rpc.failAll('worker_terminated', 'the crypto worker was stopped');
}

/** SHA-256 (hex) of a file, read through one 4 MiB buffer (worker.ts, hashBlob); onProgress gets the bytes hashed so far. */
export function hashFile(file: Blob, onProgress?: (done: number) => void): Promise<string> {
  return rpc().call({ op: 'hashFile', file }, onProgress);
}

/** What the file's first bytes say it is (lib/dicom/inspect.ts). */
export function inspectFile(file: Blob): Promise<Inspected> {
  return rpc().call({ op: 'inspectFile', file });
}

/**
 * Uploads (or continues uploading) one registered file, encrypted in the
 * worker as tus asks for each range (worker-uploads.ts); onProgress gets the
 * bytes sent. Settles once the server holds the whole file; stays pending while
 * paused. The key is copied to the worker, the caller's array stays as it is.
 */
export function uploadFile(request: UploadFileRequest, onProgress: (sent: number) => void): Promise<null> {
  return rpc().call({ op: 'uploadFile', ...request }, onProgress);
}

export async function pauseUpload(fileId: string): Promise<void> {
  await rpc().call({ op: 'pauseUpload', fileId });
}

export async function resumeUpload(fileId: string): Promise<void> {
  await rpc().call({ op: 'resumeUpload', fileId });
}

