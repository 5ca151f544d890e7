import 'server-only';
import { Readable } from 'node:stream';
import { MemoryLocker, Server, type Upload } from '@tus/server';
import { AppError } from '@/lib/core/errors';
import type { Db } from '@/lib/db/client';
import type { SessionContext } from '@/lib/auth/sessions';
import { blobStore, type BlobStore } from '@/lib/blobs/store';
import { UPLOAD_PATH } from '@/lib/protocol/studies';
import { fileUploaded, uploadTarget } from './service';

// Resumable uploads of encrypted study files (the tus protocol, @tus/server
// with the blob store's data store: files in the data folder, or multipart
// uploads to an S3-compatible bucket). Every request is authorised before tus
// sees it: only the member who registered the study uploads its files, each
// exactly as long as registered, each created once. Offsets live in the store
// beside the blob, so an upload resumes where it stopped after a reload or a
// server restart.
//
// Upload ids are the blob's key in the store:
// <recipient org>/studies/<study>/<file>; in URLs the slashes become dots.

export { UPLOAD_PATH } from '@/lib/protocol/studies';
const ID_HEADER = 'x-konsil-upload-id';
const ID_PART = /^[0-9a-f-]{36}$/;

const toUrlId = (id: string) => id.replace('/studies/', '.').replace('/', '.');

/** "<org>.<study>.<file>" → the three ids, or null. */
export function parseUrlId(part: string | undefined): { orgId: string; studyId: string; fileId: string } | null {
  const [orgId, studyId, fileId, ...rest] = (part ?? '').split('.');
  if (rest.length || ![orgId, studyId, fileId].every((x) => x && ID_PART.test(x))) return null;
  return { orgId: orgId!, studyId: studyId!, fileId: fileId! };
}

function metadataOf(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (header ?? '').split(',')) {
    const [k, v] = pair.trim().split(' ');
    if (k) out[k] = v ? Buffer.from(v, 'base64').toString('utf8') : '';
  }
  return out;
}

let server: Server | undefined;
let serverDb: Db | undefined;
// tus's only lock: it serialises the requests on one upload within this process, not across instances (SECURITY.md, gap 24).
const locker = new MemoryLocker();

function tus(db: Db, blobs: BlobStore): Server {
  serverDb = db;
  server ??= new Server({
    path: UPLOAD_PATH,
    datastore: blobs.uploads,
    locker,
    relativeLocation: true,
    // The id was checked and fixed before the request reached tus.
    namingFunction: (req) => {
      const id = req.headers.get(ID_HEADER);
      if (!id) throw { status_code: 400, body: 'bad_request' };
      return id;
    },
    generateUrl: (_req, { path, id }) => `${path}/${toUrlId(id)}`,
    getFileIdFromRequest: (_req, last) => {
      const p = parseUrlId(last);
      return p ? `${p.orgId}/studies/${p.studyId}/${p.fileId}` : undefined;
    },
    onUploadFinish: async (_req, upload: Upload) => {
      const [, , studyId, fileId] = upload.id.split('/');
      await fileUploaded(serverDb!, studyId!, fileId!);
      return {};
    },
  });
  return server;
}

/**
 * Checks who uploads what, then hands the request to tus. POST creates the
 * upload of one registered file (metadata studyId, fileId); HEAD and PATCH
 * continue it. Ending an upload early is not offered: a study is withdrawn by
 * deleting it.
 */
export async function handleUpload(db: Db, session: SessionContext, req: Request, urlId: string | undefined): Promise<Response> {
  const method = req.method.toUpperCase();
  let ids: { studyId: string; fileId: string };
  if (method === 'POST') {
    if (urlId) throw new AppError('bad_request');
    const meta = metadataOf(req.headers.get('upload-metadata'));
    if (!ID_PART.test(meta.studyId ?? '') || !ID_PART.test(meta.fileId ?? '')) throw new AppError('bad_request');
    ids = { studyId: meta.studyId!, fileId: meta.fileId! };
  } else if (method === 'HEAD' || method === 'PATCH') {
    const p = parseUrlId(urlId);
    if (!p) throw new AppError('not_found');
    ids = p;
  } else {
    throw new AppError('forbidden');
  }
  const target = await uploadTarget(db, session, ids.studyId, ids.fileId);
  const blobs = await blobStore();
  const store = tus(db, blobs);
  if (method === 'POST') {
    if (Number(req.headers.get('upload-length')) !== target.bytes) throw new AppError('validation', { fields: { size: 'invalid' } });
    // Created once: a second creation would start the file over.
    const existing = await store.datastore.getUpload(target.uploadId).catch(() => null);
    if (existing) throw new AppError('conflict');
  } else if (method === 'PATCH' && target.fileComplete) {
    throw new AppError('conflict');
  }
  const headers = new Headers(req.headers);
  headers.set(ID_HEADER, target.uploadId);
  const forwarded = new Request(req.url, { method, headers, body: method === 'PATCH' ? keptOnBreak(req.body) : null, duplex: 'half' } as RequestInit);
  const res = await store.handleWeb(forwarded);
  // A file the store has in full but the database does not know as complete (the
  // server stopped between the two): completed when its sender's browser checks on it.
  if (method === 'HEAD' && res.ok && !target.fileComplete && res.headers.get('upload-offset') === String(target.bytes)) {
    if (await finished(blobs, target.uploadId, target.bytes)) await fileUploaded(db, ids.studyId, ids.fileId);
  }
  return res;
}

/**
 * The body of a PATCH, ended where it broke off (the connection lost) rather
 * than failing: tus then stores what arrived, as its protocol asks ("as much
 * of the received data as possible"). The file store would keep it anyway;
 * the S3 store would drop everything since its last whole part.
 */
function keptOnBreak(body: ReadableStream<Uint8Array> | null): ReadableStream<Uint8Array> | null {
  if (!body) return null;
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      const next = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (next.done) c.close();
      else c.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/**
 * Whether the store holds the whole file. On S3 all bytes may have arrived
 * as parts while the multipart upload was never completed (the server
 * stopped between the last part and the completion); an empty write at the
 * end completes it. In the data folder the file is whole once all its bytes
 * are there.
 */
async function finished(blobs: BlobStore, key: string, bytes: number): Promise<boolean> {
  if ((await blobs.size(key)) === bytes) return true;
  // After a PATCH that may still be completing it.
  const lock = locker.newLock(key);
  await lock.lock(new AbortController().signal, () => undefined);
  try {
    if ((await blobs.size(key)) !== bytes) await blobs.uploads.write(Readable.from([]), key, bytes);
  } finally {
    await lock.unlock();
  }
  return (await blobs.size(key)) === bytes;
}
