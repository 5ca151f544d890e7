import type { DataStore } from '@tus/server';

/**
 * Where encrypted files live, in one of two places: the data folder or an
 * S3-compatible bucket. Keys are paths below the store's root,
 * "<org id>/studies/<study>/<file>", so everything of one organisation sits
 * under the prefix "<org id>/" and goes with one prefix removal.
 */
export interface BlobStore {
  readonly kind: 'folder' | 's3';
  /** The tus data store that receives resumable uploads, with the keys as upload ids. */
  readonly uploads: DataStore;
  /** The size of a finished object, or null when there is none (an upload still in progress has none on S3). */
  size(key: string): Promise<number | null>;
  /** A finished object from its first byte, or null when there is none. */
  read(key: string): Promise<{ body: ReadableStream<Uint8Array>; bytes: number } | null>;
  /**
   * Removes everything below a prefix ("<org>/" or "<org>/studies/<study>/"):
   * objects, the upload bookkeeping beside them and, on S3, multipart uploads
   * still in progress. Returns the number of objects removed.
   */
  removePrefix(prefix: string): Promise<number>;
}

// Ids are uuids; the check keeps a key from ever leaving the store's root.
const SEGMENT = /^[0-9A-Za-z_-][0-9A-Za-z_.-]*$/;

/** A key ("a/b/c") or, with the trailing slash, a prefix ("a/b/"); anything else throws. */
export function checkedKey(key: string, kind: 'key' | 'prefix'): string {
  const parts = key.split('/');
  if (kind === 'prefix' && parts.pop() !== '') throw new Error(`blob prefix must end in /: ${key}`);
  if (!parts.length || !parts.every((p) => SEGMENT.test(p))) throw new Error(`not a blob ${kind}: ${key}`);
  return key;
}
