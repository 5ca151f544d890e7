import 'server-only';
import path from 'node:path';
import { getConfig } from '@/lib/core/config';
import { folderBlobStore } from './folder';
import type { BlobStore } from './types';

export type { BlobStore } from './types';

/** The data folder's blob root (the default store): <data>/blobs. */
export const blobFolder = () => path.join(getConfig().dataDir, 'blobs');

/** Everything an organisation keeps in the blob store lies below this prefix. */
export const orgPrefix = (orgId: string) => `${orgId}/`;

let store: Promise<BlobStore> | undefined;

/** This process's blob store: the S3-compatible bucket when one is configured, else the data folder. */
export function blobStore(): Promise<BlobStore> {
  store ??= (async () => {
    const s3 = getConfig().s3;
    // The AWS SDK is loaded only by a deployment that uses it.
    if (s3) return (await import('./s3')).s3BlobStore(s3);
    return folderBlobStore(blobFolder());
  })();
  return store;
}
