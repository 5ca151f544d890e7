import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import { checkedKey, type BlobStore } from './types';

/** Counts the files (not the folders) below a folder; 0 when it is not there. */
async function countFiles(dir: string): Promise<number> {
  const entries = await fs.promises.readdir(dir, { recursive: true, withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  return entries.filter((e) => e.isFile()).length;
}

/**
 * Blobs as files in the data folder (<data>/blobs/<key>), with tus's file
 * store: each upload's offset is its file's length, its metadata a .json file
 * beside it.
 */
export function folderBlobStore(root: string): BlobStore {
  const at = (key: string) => path.join(root, key);
  return {
    kind: 'folder',
    uploads: new FileStore({ directory: root }),
    async size(key) {
      const stat = await fs.promises.stat(at(checkedKey(key, 'key'))).catch(() => null);
      return stat?.isFile() ? stat.size : null;
    },
    async read(key) {
      const file = at(checkedKey(key, 'key'));
      const handle = await fs.promises.open(file, 'r').catch(() => null);
      if (!handle) return null;
      const stat = await handle.stat();
      // The stream owns the handle from here and closes it at its end.
      const body = Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
      return { body, bytes: stat.size };
    },
    async removePrefix(prefix) {
      const dir = at(checkedKey(prefix, 'prefix'));
      const n = await countFiles(dir);
      await fs.promises.rm(dir, { recursive: true, force: true });
      return n;
    },
  };
}
