// Reading files the user picked or dropped (browser only): the whole tree of
// a dropped folder, and the first bytes of each file for the header check.
import { HEADER_BYTES, inspect } from '@/lib/dicom/inspect';
import type { LocalEntry } from './local-study';

export type PickedLocal = { file: File; path: string };

/** Files of a drop, folders walked recursively (a CD dragged in as a whole). */
export async function filesFromDrop(items: DataTransferItemList): Promise<PickedLocal[]> {
  const entries = [...items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  const out: PickedLocal[] = [];
  const walk = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      out.push({ file, path: entry.fullPath.replace(/^\//, '') });
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries answers in batches until it answers with none.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
      if (!batch.length) break;
      for (const e of batch) await walk(e);
    }
  };
  for (const e of entries) await walk(e);
  return out;
}

export const filesFromInput = (list: FileList): PickedLocal[] => [...list].map((file) => ({ file, path: file.webkitRelativePath || file.name }));

/** Header check of every file, a few at a time, reporting progress. */
export async function readPicked(picked: PickedLocal[], onProgress: (done: number) => void): Promise<{ entries: LocalEntry[]; files: Map<string, File> }> {
  const files = new Map<string, File>();
  const entries: LocalEntry[] = [];
  const seenPaths = new Set<string>();
  let done = 0;
  const one = async (p: PickedLocal, k: number) => {
    const head = new Uint8Array(await p.file.slice(0, HEADER_BYTES).arrayBuffer());
    const inspected = inspect(head);
    let path = p.path;
    if (seenPaths.has(path)) path = `${path} (${k + 1})`;
    seenPaths.add(path);
    const id = `f${k}`;
    files.set(id, p.file);
    entries.push({ id, path, size: p.file.size, inspected, instanceNumber: inspected.kind === 'dicom' ? inspected.header.instanceNumber : null });
    done++;
    if (done % 25 === 0) onProgress(done);
  };
  for (let k = 0; k < picked.length; k += 8) await Promise.all(picked.slice(k, k + 8).map((p, j) => one(p, k + j)));
  onProgress(done);
  entries.sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
  return { entries, files };
}
