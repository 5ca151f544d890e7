// From the files a user picked to what is sent: every file checked in the
// worker (header only), grouped into studies (lib/dicom/summary.ts), and for
// the chosen study the manifest's details and file list, hashed in the worker.
import { summarise, type PickedFile, type StudySummary, type Summary } from '@/lib/dicom/summary';
import type { StudyManifest } from '@/lib/protocol/studies';
import { hashFile, inspectFile } from './worker-client';
import type { OutgoingFile } from './send';

/** A file as picked: from a file input, a folder input or a drop (path relative to what was picked). */
export type Picked = { file: File; path: string };

const pathOf = (f: File) => (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
export const fromFileList = (list: FileList | File[]): Picked[] => Array.from(list).map((file) => ({ file, path: pathOf(file) }));

async function walk(entry: FileSystemEntry, out: Picked[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((ok, err) => (entry as FileSystemFileEntry).file(ok, err));
    out.push({ file, path: entry.fullPath.replace(/^\//, '') });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns at most 100 entries per call: read until empty.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((ok, err) => reader.readEntries(ok, err));
    if (!batch.length) break;
    for (const e of batch) await walk(e, out);
  }
}

/** Files and folders dropped on the page, folders walked recursively. */
export async function fromDrop(items: DataTransferItemList): Promise<Picked[]> {
  const entries = Array.from(items)
    .map((i) => i.webkitGetAsEntry())
    .filter((e): e is FileSystemEntry => !!e);
  const out: Picked[] = [];
  for (const e of entries) await walk(e, out);
  return out;
}

/** Checks every picked file in the worker, a few at a time, and groups them. */
export async function inspectPicked(picked: Picked[], onProgress: (done: number) => void): Promise<{ summary: Summary; byPath: Map<string, Picked> }> {
  const byPath = new Map<string, Picked>();
  for (const p of picked) if (!byPath.has(p.path)) byPath.set(p.path, p);
  const files = [...byPath.values()];
  const out: PickedFile[] = new Array(files.length);
  let next = 0;
  let done = 0;
  const lane = async () => {
    for (let i = next++; i < files.length; i = next++) {
      const f = files[i]!;
      out[i] = { path: f.path, size: f.file.size, inspected: await inspectFile(f.file).catch(() => ({ kind: 'unreadable' as const })) };
      onProgress(++done);
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  return { summary: summarise(out), byPath };
}

export type Details = Omit<StudyManifest, 'v' | 'studyId' | 'message' | 'files'>;

export function detailsOf(s: StudySummary): Details {
  return {
    patient: s.patient,
    study: { studyInstanceUid: s.studyInstanceUid, date: s.date, description: s.description, modalities: s.modalities },
    series: s.series.map((x) => ({
      seriesInstanceUid: x.seriesInstanceUid,
      modality: x.modality,
      description: x.description,
      number: x.number,
      images: x.images,
      ...(x.objects ? { objects: x.objects } : {}),
    })),
  };
}

/** The chosen study's files and attachments, each with its SHA-256 (computed in the worker, streaming). */
export async function outgoingFiles(
  s: StudySummary,
  attachments: Summary['attachments'],
  byPath: Map<string, Picked>,
  onProgress: (bytes: number) => void,
): Promise<OutgoingFile[]> {
  const out: OutgoingFile[] = [];
  let base = 0;
  const hashed = async (path: string) => {
    const p = byPath.get(path)!;
    const sha256 = await hashFile(p.file, (d) => onProgress(base + d));
    base += p.file.size;
    return { p, sha256 };
  };
  for (const path of s.paths) {
    const h = s.headers[path]!;
    const { p, sha256 } = await hashed(path);
    out.push({ file: p.file, path, size: p.file.size, sha256, kind: 'dicom', sopInstanceUid: h.sopInstanceUid, seriesInstanceUid: h.seriesInstanceUid, instanceNumber: h.instanceNumber, transferSyntaxUid: h.transferSyntaxUid, frames: h.frames, ...(h.image ? {} : { noImage: true as const }) });
  }
  for (const a of attachments) {
    const { p, sha256 } = await hashed(a.path);
    out.push({ file: p.file, path: a.path, size: p.file.size, sha256, kind: a.kind });
  }
  return out;
}

/**
 * For an upload to continue: the picked file for each manifest entry, by path
 * (or by name and size, if the folder was picked from another level), its
 * SHA-256 checked before a byte of it is encrypted again.
 */
export async function matchForResume(
  files: StudyManifest['files'],
  picked: Picked[],
  onProgress: (done: number) => void,
): Promise<{ matched: Map<string, File>; missing: string[] }> {
  const byPath = new Map(picked.map((p) => [p.path, p.file]));
  const byName = new Map(picked.map((p) => [`${p.file.name}/${p.file.size}`, p.file]));
  const matched = new Map<string, File>();
  const missing: string[] = [];
  let done = 0;
  for (const f of files) {
    const name = f.path.split('/').at(-1);
    const cand = byPath.get(f.path) ?? byName.get(`${name}/${f.size}`);
    if (cand && cand.size === f.size && (await hashFile(cand)) === f.sha256) matched.set(f.fileId, cand);
    else missing.push(f.path);
    onProgress(++done);
  }
  return { matched, missing };
}
