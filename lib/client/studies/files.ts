// A received (or sent) study's files, decrypted in the browser: streamed from
// the server, decrypted chunk by chunk, and checked against the SHA-256 the
// sender signed in the manifest. A file that fails any of it is refused whole
// (stream_corrupt, stream_truncated, study_file_mismatch).
import { sha256 } from '@noble/hashes/sha2.js';
import { downloadZip } from 'client-zip';
import { toHex } from '@/lib/crypto/encoding';
import { decryptStream } from '@/lib/crypto/stream';
import { CryptoError } from '@/lib/crypto/types';
import { studyFileKey, type StudyFile } from '@/lib/protocol/studies';
import { ApiError } from '../api';
import type { OpenedStudy } from './open';

async function* bodyOf(res: Response): AsyncGenerator<Uint8Array> {
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

async function fetchEncrypted(study: OpenedStudy, fileId: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(`/api/studies/${study.view.id}/files/${fileId}`, { credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError('network', 0);
  }
  if (!res.ok || !res.body) throw new ApiError(res.status === 404 ? 'not_found' : 'internal', res.status);
  return res;
}

/** The first thing that went wrong while streaming (a ZIP or a file handle reports only that the stream broke). */
type Failure = { error?: unknown };

/**
 * One file's plaintext as a stream. The last piece is released only after the
 * whole file authenticated and its SHA-256 matched, so a consumer that stores
 * what it gets never completes a forged file.
 */
export function decryptedFile(study: OpenedStudy, file: StudyFile, failure: Failure = {}): ReadableStream<Uint8Array> {
  const key = studyFileKey(study.studyKey, study.view.id, file.fileId);
  let gen: AsyncGenerator<Uint8Array> | undefined;
  const hash = sha256.create();
  let held: Uint8Array | undefined;
  let size = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        await pump(controller);
      } catch (e) {
        failure.error ??= e;
        throw e;
      }
    },
    async cancel() {
      await gen?.return(undefined);
    },
  });

  async function pump(controller: ReadableStreamDefaultController<Uint8Array>) {
    gen ??= decryptStream(key, bodyOf(await fetchEncrypted(study, file.fileId)));
    for (;;) {
      const { done, value } = await gen.next();
      if (done) {
        if (size !== file.size || toHex(hash.digest()) !== file.sha256) throw new CryptoError('study_file_mismatch', 'the file differs from the one sent');
        if (held) controller.enqueue(held);
        controller.close();
        return;
      }
      if (!value.length) continue;
      hash.update(value);
      size += value.length;
      const out = held;
      held = value;
      if (out) {
        controller.enqueue(out);
        return;
      }
    }
  }
}

/** One file in memory (for the viewer): whole, authenticated and checked. */
export async function loadFile(study: OpenedStudy, fileId: string): Promise<ArrayBuffer> {
  const file = study.manifest.files.find((f) => f.fileId === fileId);
  if (!file) throw new CryptoError('study_invalid', 'no such file in the manifest');
  return new Response(decryptedFile(study, file)).arrayBuffer();
}

/** A safe relative path inside the ZIP: no absolute paths, no "..". */
export function zipPath(path: string): string {
  const parts = path.split(/[\\/]+/).filter((p) => p && p !== '.' && p !== '..');
  return parts.join('/') || 'datei';
}

/** The study as a ZIP of the original files (stored, not compressed), streamed. */
export function studyZip(study: OpenedStudy, failure: Failure = {}): ReadableStream<Uint8Array> {
  const files = study.manifest.files;
  async function* entries() {
    for (const f of files) yield { name: zipPath(f.path), input: decryptedFile(study, f, failure), size: f.size, lastModified: new Date(study.view.createdAt) };
  }
  return downloadZip(entries()).body!;
}

/** A file name for the ZIP: date and description, no patient name (the file list of a download folder is not private). */
export function zipName(study: OpenedStudy): string {
  const d = study.manifest.study.date || study.view.createdAt.slice(0, 10).replaceAll('-', '');
  const desc = study.manifest.study.description.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 40);
  return `Studie-${d}${desc ? `-${desc}` : ''}.zip`;
}

type SavePicker = (opts: { suggestedName: string; types?: unknown[] }) => Promise<{ createWritable: () => Promise<WritableStream<Uint8Array>> }>;

/**
 * Saves the ZIP: straight to a file the user picks where the browser can
 * (nothing held in memory), else as a download from memory.
 */
/** Runs a save; if a file failed on the way, that failure is what the caller sees. */
async function reporting<T>(failure: Failure, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw failure.error ?? e;
  }
}

export async function saveStudyZip(study: OpenedStudy): Promise<'saved' | 'cancelled'> {
  const failure: Failure = {};
  const picker = (globalThis as unknown as { showSaveFilePicker?: SavePicker }).showSaveFilePicker;
  if (picker) {
    let handle;
    try {
      handle = await picker({ suggestedName: zipName(study) });
    } catch {
      return 'cancelled';
    }
    await reporting(failure, async () => studyZip(study, failure).pipeTo(await handle.createWritable()));
    return 'saved';
  }
  const blob = await reporting(failure, () => new Response(studyZip(study, failure)).blob());
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = zipName(study);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return 'saved';
}

type DirectoryHandle = { getDirectoryHandle: (n: string, o: { create: boolean }) => Promise<DirectoryHandle>; getFileHandle: (n: string, o: { create: boolean }) => Promise<{ createWritable: () => Promise<WritableStream<Uint8Array>> }> };

export const canSaveToFolder = () => typeof (globalThis as { showDirectoryPicker?: unknown }).showDirectoryPicker === 'function';

/** Writes the original files into a folder the user picks, keeping their paths. */
export async function saveStudyToFolder(study: OpenedStudy): Promise<'saved' | 'cancelled'> {
  let root: DirectoryHandle;
  try {
    root = await (globalThis as unknown as { showDirectoryPicker: (o: { mode: 'readwrite' }) => Promise<DirectoryHandle> }).showDirectoryPicker({ mode: 'readwrite' });
  } catch {
    return 'cancelled';
  }
  for (const f of study.manifest.files) {
    const parts = zipPath(f.path).split('/');
    let dir = root;
    for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p, { create: true });
    const handle = await dir.getFileHandle(parts.at(-1)!, { create: true });
    const failure: Failure = {};
    await reporting(failure, async () => decryptedFile(study, f, failure).pipeTo(await handle.createWritable()));
  }
  return 'saved';
}
