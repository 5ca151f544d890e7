// The upload side of the studies crypto worker (worker.ts): each file of a
// study goes to the server with tus from here, its ranges encrypted in the
// same thread as tus asks for them. The page sends the requests and hears
// progress only. Why here and not in the page: the browser holds a Blob's
// bytes until every handle to it is collected. In the page, which allocates
// little, handles were collected so late that the tab grew by 250 MB and
// more, and Blobs made here but handed to the page filled the browser's blob
// store until uploads stalled. Here, the encryption's own buffers keep the
// collector busy, and each Blob has one handle.
// Why a Blob and not a typed array as the body: a typed array skips the
// browser's blob store and went faster (124–140 against about 105 MB/s for
// 1 GiB), but the tab grew by about 300 MB instead of 150 (docs/PERFORMANCE.md).
// With DevTools watching the network (as in the browser tests), Chromium sends
// typed-array bodies at about 13 MB/s, Blobs at about half their speed.
import { Upload, type DetailedError } from 'tus-js-client';
import type { FileEncryptors } from './worker';

/** Bytes per PATCH request: large enough for speed, small enough to lose little on a cut. */
export const TUS_CHUNK = 8 * 1024 * 1024;

export type UploadFileRequest = {
  fileId: string;
  file: Blob;
  fileKey: Uint8Array;
  /** Bytes of the encrypted file, as registered. */
  bytes: number;
  /** Plaintext bytes per sealed chunk, as registered (lib/protocol/studies.ts, studyFileChunk). */
  chunkSize: number;
  endpoint: string;
  uploadUrl: string;
  metadata: Record<string, string>;
};

/** A failed upload request: the server's coded error and status, or 'network' (status 0). */
export class UploadRequestError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
  ) {
    super(`upload failed: ${code}`);
    this.name = 'UploadRequestError';
  }
}

/** What a failed upload means: the server's coded error, a problem of the encryption (its own error), else the network. */
function failure(e: Error | DetailedError): Error {
  const detailed = e as DetailedError;
  const res = detailed.originalResponse;
  if (!res) {
    const cause = detailed.causingError ?? e;
    // The file could not be read or encrypted: that error as it is (its code tells the page).
    if (!(cause instanceof Error) || cause.name === 'Error' || cause instanceof TypeError) return new UploadRequestError('network', 0);
    return cause;
  }
  try {
    const body = JSON.parse(res.getBody()) as { error?: { code?: string } };
    if (body.error?.code) return new UploadRequestError(body.error.code, res.getStatus());
  } catch {
    /* a tus protocol answer, not one of ours */
  }
  return new UploadRequestError('internal', res.getStatus());
}

const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000];

/** The uploads running in this worker, by file id: started, paused and resumed by the page. */
export class FileUploads {
  private readonly running = new Map<string, Upload>();

  constructor(private readonly files: FileEncryptors) {}

  /** Uploads (or continues) one file; settles when the server has all of it. onProgress gets the bytes sent. */
  upload(r: UploadFileRequest, onProgress: (sent: number) => void): Promise<void> {
    if (this.running.has(r.fileId)) return Promise.reject(new UploadRequestError('conflict', 0));
    return new Promise<void>((resolve, reject) => {
      const upload = new Upload(r.file, {
        endpoint: r.endpoint,
        uploadUrl: r.uploadUrl,
        metadata: r.metadata,
        uploadSize: r.bytes,
        chunkSize: TUS_CHUNK,
        retryDelays: RETRY_DELAYS,
        storeFingerprintForResuming: false,
        fileReader: {
          openFile: async () => ({
            size: r.bytes,
            slice: async (start: number, end: number) => {
              const parts = await this.files.encrypt(r.fileId, r.file, r.fileKey, r.chunkSize, start, Math.min(end, r.bytes));
              return { value: new Blob(parts as BlobPart[]), done: end >= r.bytes };
            },
            close: () => this.files.release(r.fileId),
          }),
        },
        onProgress: (sent) => onProgress(sent),
        onSuccess: () => {
          this.running.delete(r.fileId);
          resolve();
        },
        onError: (e) => {
          this.running.delete(r.fileId);
          this.files.release(r.fileId);
          reject(failure(e));
        },
      });
      this.running.set(r.fileId, upload);
      upload.start();
    });
  }

  /** Stops sending (the request on the wire is cut); the file's upload stays pending until resumed. */
  pause(fileId: string): void {
    void this.running.get(fileId)?.abort();
  }

  /** Continues where the server stopped. */
  resume(fileId: string): void {
    this.running.get(fileId)?.start();
  }
}
