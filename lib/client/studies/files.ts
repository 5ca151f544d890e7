// A received (or sent) study's files, decrypted in the browser and checked
// against the SHA-256 the sender signed in the manifest. A file that fails any
// of it is refused whole (stream_corrupt, stream_truncated, study_file_mismatch).
// Files up to WHOLE_FILE_BYTES are read into one buffer, decrypted where they
// lie and hashed by WebCrypto (which hashes whole buffers only) — a fraction of
// the page's time the streaming path costs, which the viewer pays for every
// image; larger ones are streamed, decrypted chunk by chunk and hashed in
// JavaScript, so memory stays bounded.
import { sha256 } from '@noble/hashes/sha2.js';
import { downloadZip } from 'client-zip';
import { concatBytes, toHex } from '@/lib/crypto/encoding';
import { decryptFile, decryptStream, maxEncryptedLength } from '@/lib/crypto/stream';
import { CryptoError, type FileKey } from '@/lib/crypto/types';
import { studyFileKey, type StudyFile } from '@/lib/protocol/studies';
import { ApiError } from '../api';
import type { OpenedStudy } from './open';

/** Files up to this size are held whole in memory (encrypted and decrypted) while they are opened. */
const WHOLE_FILE_BYTES = 64 * 1024 * 1024;

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

const mismatch = () => new CryptoError('study_file_mismatch', 'the file differs from the one sent');

/**
 * A small file's encrypted bytes in one buffer, copied in as they arrive (the
 * server's answer carries no length). It holds no more than the manifest's
 * size can take encrypted: a longer answer is refused as the stream would
 * refuse it, before it costs the tab more memory.
 */
async function encryptedWhole(res: Response, file: StudyFile): Promise<Uint8Array> {
  const buf = new Uint8Array(maxEncryptedLength(file.size));
  let fill = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return buf.subarray(0, fill);
    if (value.length > buf.length - fill) {
      await reader.cancel().catch(() => {});
      throw new CryptoError('stream_corrupt', 'more bytes than the file can have encrypted');
    }
    buf.set(value, fill);
    fill += value.length;
  }
}

async function sha256Hex(data: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  // crypto.subtle is absent in insecure contexts (plain http on a non-localhost origin).
  if (!subtle) return toHex(sha256(data));
  // Decrypted bytes are WebCrypto's (or concatBytes') output: ArrayBuffer-backed.
  return toHex(new Uint8Array(await subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>)));
}

/** One small file: decrypted whole, authenticated and matched before anything is returned. */
async function wholeFile(key: FileKey, file: StudyFile, res: Response): Promise<Uint8Array> {
  const plain = await decryptFile(key, await encryptedWhole(res, file));
  if (plain.length !== file.size || (await sha256Hex(plain)) !== file.sha256) throw mismatch();
  return plain;
}

/**
 * One file's plaintext from the server's answer: in one piece when small,
 * else in pieces. The last piece is released only after the whole file
 * authenticated and its SHA-256 matched, so a consumer that stores what it
 * gets never completes a forged file.
 */
async function* plaintextOf(study: OpenedStudy, file: StudyFile, res: Response): AsyncGenerator<Uint8Array> {
  const key = studyFileKey(study.studyKey, study.view.id, file.fileId);
  if (file.size <= WHOLE_FILE_BYTES) {
    yield await wholeFile(key, file, res);
    return;
  }
  const hash = sha256.create();
  let held: Uint8Array | undefined;
  let size = 0;
  for await (const value of decryptStream(key, bodyOf(res))) {
    if (!value.length) continue;
    hash.update(value);
    size += value.length;
    if (held) yield held;
    held = value;
  }
  if (size !== file.size || toHex(hash.digest()) !== file.sha256) throw mismatch();
  if (held) yield held;
}

/** One file's plaintext as a stream, checked as plaintextOf checks it. */
export function decryptedFile(study: OpenedStudy, file: StudyFile, failure: Failure = {}): ReadableStream<Uint8Array> {
  let gen: AsyncGenerator<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        gen ??= plaintextOf(study, file, await fetchEncrypted(study, file.fileId));
        const { done, value } = await gen.next();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (e) {
        failure.error ??= e;
        throw e;
      }
    },
    async cancel() {
      await gen?.return(undefined);
    },
  });
}

/** One file in memory (for the viewer): whole, authenticated and checked. */
export async function loadFile(study: OpenedStudy, fileId: string): Promise<ArrayBuffer> {
  const file = study.manifest.files.find((f) => f.fileId === fileId);
  if (!file) throw new CryptoError('study_invalid', 'no such file in the manifest');
  const parts: Uint8Array[] = [];
  for await (const part of plaintextOf(study, file, await fetchEncrypted(study, file.fileId))) parts.push(part);
  const whole = parts.length === 1 ? parts[0]! : concatBytes(...parts);
  // A small file arrives as WebCrypto's own buffer: handed on without a copy.
  return whole.byteOffset === 0 && whole.byteLength === whole.buffer.byteLength ? (whole.buffer as ArrayBuffer) : whole.slice().buffer;
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
