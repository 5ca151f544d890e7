// Studies on an S3-compatible store (lib/blobs/s3.ts) on PostgreSQL and PGlite,
// against s3rver on a loopback port: resumable uploads through the tus handler
// as multipart uploads (an interrupted PATCH resumes at the offset HEAD gives),
// the object byte for byte as sent, downloads streamed from the bucket,
// completion of an upload whose last step failed, deletion of a study's
// objects, and the contract deletion's removal of one organisation's prefix.
//
// s3rver 3.7.1 implements CreateMultipartUpload, UploadPart,
// CompleteMultipartUpload, Head/Get/Put/DeleteObject, DeleteObjects and
// ListObjectsV2, but not ListParts (GET ?uploadId: 405),
// AbortMultipartUpload (DELETE ?uploadId: 405) nor ListMultipartUploads
// (GET ?uploads: 501), and it stores an aws-chunked body (what the AWS SDK
// sends for a streamed body with a checksum) as it comes, framing included.
// The harness below stands in front of it and supplies these from s3rver's
// own upload folder; the app talks S3 as it would to any service.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { CreateMultipartUploadCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BACKENDS, addMember, expectAppError, registerAccount, loginAsOwner, sessionFor, uid, type Account } from './helpers';
import type { Db } from '@/lib/db/client';
import { studies, studyFiles, users } from '@/lib/db/schema';
import type { SessionContext } from '@/lib/auth/sessions';
import { createMailbox } from '@/lib/mailboxes/service';
import { setDirectoryVisibility } from '@/lib/directory/service';
import { grantMailboxKey, newMailboxKey } from '@/lib/protocol/mailboxes';
import { newStudyKey, sealManifest, sealStudyKey, signStudy, studyFileKey, type StudyKey, type StudyManifest } from '@/lib/protocol/studies';
import { decryptFile, encryptFile } from '@/lib/crypto/stream';
import { encryptedSize } from '@/lib/crypto/seekable';
import { randomBytes } from '@/lib/crypto/random';
import { createStudy, deleteStudy, openStudyFile } from '@/lib/studies/service';
import { handleUpload, UPLOAD_PATH } from '@/lib/studies/uploads';
import { deleteOrganisation } from '@/lib/contracts/service';
import type { TStudyCreate } from '@/lib/studies/schemas';

const BUCKET = 'konsil-studies';
const PREFIX = 'konsil/';
const MiB = 1024 * 1024;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'konsil-studies-s3-'));
process.env.KONSIL_DATA_DIR = path.join(root, 'data');

// ---------------------------------------------------------------------------
// The S3-compatible server: s3rver, and in front of it what it lacks.

const s3rverDir = path.join(root, 's3rver');
const uploadsDir = path.join(s3rverDir, BUCKET, '._S3rver_uploads');
const harness = { requests: 0, failCompletion: false };
let s3rver: S3rver;
let front: http.Server;
let bucket: S3Client;

const xml = (status: number, body: string) => ({ status, body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` });
const noSuchUpload = () => xml(404, '<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>');

/** s3rver's multipart uploads in progress: id → key. */
function uploadsInProgress(): Map<string, string> {
  const ids = fs.existsSync(uploadsDir) ? fs.readdirSync(uploadsDir) : [];
  return new Map(ids.map((id) => [id, fs.readFileSync(path.join(uploadsDir, id, 'key'), 'utf8')]));
}

/** ListParts, AbortMultipartUpload and ListMultipartUploads, from s3rver's upload folder. */
function multipartAnswer(method: string, url: URL): { status: number; body: string } | null {
  const uploadId = url.searchParams.get('uploadId');
  const [bucketName, ...key] = url.pathname.slice(1).split('/').filter(Boolean).map(decodeURIComponent);
  if (bucketName !== BUCKET) return null;
  if (uploadId !== null && key.length && (method === 'GET' || method === 'DELETE')) {
    const dir = path.join(uploadsDir, path.basename(uploadId));
    if (!fs.existsSync(dir) || fs.readFileSync(path.join(dir, 'key'), 'utf8') !== key.join('/')) return noSuchUpload();
    if (method === 'DELETE') {
      fs.rmSync(dir, { recursive: true, force: true });
      return { status: 204, body: '' };
    }
    const parts = fs
      .readdirSync(dir)
      .filter((f) => /^\d+$/.test(f))
      .map(Number)
      .sort((a, b) => a - b)
      .map((n) => `<Part><PartNumber>${n}</PartNumber><ETag>"${fs.readFileSync(path.join(dir, `${n}.md5`), 'utf8')}"</ETag><Size>${fs.statSync(path.join(dir, String(n))).size}</Size></Part>`);
    return xml(200, `<ListPartsResult><Bucket>${BUCKET}</Bucket><Key>${key.join('/')}</Key><UploadId>${uploadId}</UploadId><IsTruncated>false</IsTruncated>${parts.join('')}</ListPartsResult>`);
  }
  if (method === 'GET' && !key.length && url.searchParams.has('uploads')) {
    const prefix = url.searchParams.get('prefix') ?? '';
    const listed = [...uploadsInProgress()].filter(([, k]) => k.startsWith(prefix)).map(([id, k]) => `<Upload><Key>${k}</Key><UploadId>${id}</UploadId></Upload>`);
    return xml(200, `<ListMultipartUploadsResult><Bucket>${BUCKET}</Bucket><IsTruncated>false</IsTruncated>${listed.join('')}</ListMultipartUploadsResult>`);
  }
  return null;
}

/** The payload of an aws-chunked body: "<hex size>[;ext]\r\n<bytes>\r\n" … "0\r\n<trailers>\r\n\r\n". */
function awsUnchunked(body: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    const size = parseInt(body.subarray(at, eol).toString('latin1').split(';')[0]!, 16);
    if (!(size > 0)) return Buffer.concat(out);
    out.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

async function startS3(): Promise<string> {
  s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3rverDir, allowMismatchedSignatures: true, configureBuckets: [{ name: BUCKET, configs: [] }] });
  const { port } = await s3rver.run();
  front = http.createServer(async (req, res) => {
    harness.requests++;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: Buffer = Buffer.concat(chunks);
    const url = new URL(req.url!, 'http://s3');
    const answer = multipartAnswer(req.method!, url);
    if (answer) return res.writeHead(answer.status, { 'content-type': 'application/xml' }).end(answer.body);
    if (req.method === 'POST' && url.searchParams.has('uploadId') && harness.failCompletion) {
      return res.writeHead(500, { 'content-type': 'application/xml' }).end('<Error><Code>InternalError</Code><Message>injected</Message></Error>');
    }
    const headers = { ...req.headers };
    if (String(headers['content-encoding'] ?? '').includes('aws-chunked')) {
      body = awsUnchunked(body);
      headers['content-encoding'] = String(headers['content-encoding']).replace(/,?\s*aws-chunked/, '') || undefined;
      if (!headers['content-encoding']) delete headers['content-encoding'];
      delete headers['x-amz-decoded-content-length'];
      delete headers['x-amz-trailer'];
    }
    delete headers['transfer-encoding'];
    delete headers.expect;
    headers['content-length'] = String(body.length);
    const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers }, (r) => {
      res.writeHead(r.statusCode!, r.headers);
      r.pipe(res);
    });
    upstream.on('error', (e) => res.destroy(e));
    upstream.end(body);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const endpoint = await startS3();
  Object.assign(process.env, {
    KONSIL_S3_BUCKET: BUCKET,
    KONSIL_S3_PREFIX: PREFIX,
    KONSIL_S3_ENDPOINT: endpoint,
    KONSIL_S3_REGION: 'eu-central-1',
    KONSIL_S3_FORCE_PATH_STYLE: '1',
    KONSIL_S3_ACCESS_KEY_ID: 'S3RVER',
    KONSIL_S3_SECRET_ACCESS_KEY: 'S3RVER',
  });
  bucket = new S3Client({ endpoint, region: 'eu-central-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
});
afterAll(async () => {
  bucket?.destroy();
  await new Promise((resolve) => front?.close(resolve));
  await s3rver?.close().catch(() => undefined);
  fs.rmSync(root, { recursive: true, force: true });
});

async function keysBelow(prefix: string): Promise<string[]> {
  const page = await bucket.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (page.Contents ?? []).map((o) => o.Key!).sort();
}

async function object(key: string): Promise<Uint8Array> {
  const got = await bucket.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return got.Body!.transformToByteArray();
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(body).arrayBuffer());
}

// ---------------------------------------------------------------------------

type Box = { id: string; version: number; publicKey: string };

describe.each(BACKENDS)('studies on S3 on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;
  let sender: Account, radiology: Account, other: Account;
  let senderSession: SessionContext, radiologySession: SessionContext, colleague: SessionContext, outsider: SessionContext;
  let senderBox: Box, radiologyBox: Box, otherBox: Box;

  async function mailbox(a: Account, s: SessionContext): Promise<Box> {
    const id = uid();
    const made = newMailboxKey({ orgSignPrivate: a.orgSignPrivate, orgId: a.orgId, mailboxId: id, name: 'Hauptpostfach', version: 1 });
    const [u] = await db.select().from(users).where(eq(users.id, a.userId));
    const member = { orgId: a.orgId, userId: a.userId, x25519Public: u.x25519Public, ed25519Public: u.ed25519Public, memberCert: u.memberCert };
    const grant = grantMailboxKey({ orgSignPublic: a.request.org.signPublic!, sealerEd25519Private: a.user.ed25519Private, mailboxPrivate: made.privateKey, orgId: a.orgId, mailboxId: id, version: 1, member });
    await createMailbox(db, s, { id, name: 'Hauptpostfach', isMain: true, members: [a.userId], key: { version: 1, publicKey: made.key.publicKey, cert: made.cert }, grants: [{ version: 1, ...grant }] });
    return { id, version: 1, publicKey: made.key.publicKey };
  }

  /** A study as a sender's browser makes it, with its files encrypted (KSF1) from the given plaintexts. */
  async function study(plain: Uint8Array[], to: { orgId: string; box: Box } = { orgId: radiology.orgId, box: radiologyBox }) {
    const id = uid();
    const key: StudyKey = newStudyKey();
    const files = plain.map((p) => ({ fileId: uid(), plain: p, bytes: encryptedSize(p.length) }));
    const manifest: StudyManifest = {
      v: 1, studyId: id, message: 'Bitte um Befund', series: [], patient: { name: 'Muster Erika', id: 'P1', birthDate: '19700101', sex: 'F' },
      study: { studyInstanceUid: '1.2.3', date: '20261201', description: 'Knie', modalities: ['MR'] },
      files: files.map((f, i) => ({ fileId: f.fileId, path: `IM${i}`, size: f.plain.length, sha256: '00'.repeat(32), kind: 'dicom' })),
    };
    const recipient = { orgId: to.orgId, mailboxId: to.box.id, version: to.box.version };
    const manifestEnc = sealManifest(key, to.orgId, manifest);
    const keyForRecipient = sealStudyKey(key, id, { ...recipient, publicKey: to.box.publicKey });
    const keyForSender = sealStudyKey(key, id, { orgId: sender.orgId, mailboxId: senderBox.id, version: 1, publicKey: senderBox.publicKey });
    const signature = signStudy(sender.user.ed25519Private, { studyId: id, sender: { orgId: sender.orgId, userId: sender.userId, mailboxId: senderBox.id }, recipient, manifestEnc, keyForRecipient, keyForSender, files: files.length });
    const create: TStudyCreate = { id, sender: { mailboxId: senderBox.id, version: 1 }, recipient, manifestEnc, keyForRecipient, keyForSender, signature, files: files.map((f) => ({ fileId: f.fileId, bytes: f.bytes })) };
    await createStudy(db, senderSession, create);
    const encrypted = await Promise.all(files.map(async (f) => ({ ...f, fileKey: studyFileKey(key, id, f.fileId), data: await encryptFile(studyFileKey(key, id, f.fileId), f.plain) })));
    return { id, files: encrypted, objectKey: (fileId: string) => `${PREFIX}${to.orgId}/studies/${id}/${fileId}` };
  }

  const tus = (method: string, s: SessionContext, url: string, headers: Record<string, string>, body?: Uint8Array | ReadableStream<Uint8Array>) =>
    handleUpload(db, s, new Request(`http://127.0.0.1${url}`, { method, headers: { 'tus-resumable': '1.0.0', ...headers }, body: body as BodyInit | undefined, duplex: 'half' } as RequestInit), url.split('/').at(-1) === 'uploads' ? undefined : url.split('/').at(-1));
  const meta = (studyId: string, fileId: string) => `studyId ${Buffer.from(studyId).toString('base64')},fileId ${Buffer.from(fileId).toString('base64')}`;
  const create = async (s: { id: string }, f: { fileId: string; bytes: number }) => {
    const res = await tus('POST', senderSession, UPLOAD_PATH, { 'upload-length': String(f.bytes), 'upload-metadata': meta(s.id, f.fileId) });
    expect(res.status).toBe(201);
    return res.headers.get('location')!;
  };
  const patch = (url: string, offset: number, body: Uint8Array | ReadableStream<Uint8Array>) => tus('PATCH', senderSession, url, { 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' }, body);
  const offsetOf = async (url: string) => Number((await tus('HEAD', senderSession, url, {})).headers.get('upload-offset'));
  const fileDone = async (studyId: string, fileId: string) => (await db.select().from(studyFiles).where(eq(studyFiles.studyId, studyId))).find((f) => f.fileId === fileId)!.complete;

  beforeAll(async () => {
    ({ db, close } = await open());
    sender = await registerAccount(db, { plan: 'plus' });
    senderSession = await sessionFor(db, loginAsOwner(sender));
    senderBox = await mailbox(sender, senderSession);
    radiology = await registerAccount(db, { plan: 'plus' });
    radiologySession = await sessionFor(db, loginAsOwner(radiology));
    radiologyBox = await mailbox(radiology, radiologySession);
    await setDirectoryVisibility(db, radiologySession, { directoryVisible: true });
    colleague = await sessionFor(db, await addMember(db, { session: radiologySession, user: radiology.user }));
    outsider = await sessionFor(db, loginAsOwner(await registerAccount(db, { plan: 'basis' })));
    other = await registerAccount(db, { plan: 'plus' });
    const otherSession = await sessionFor(db, loginAsOwner(other));
    otherBox = await mailbox(other, otherSession);
    await setDirectoryVisibility(db, otherSession, { directoryVisible: true });
  });
  afterAll(() => close?.());

  it('refuses before tus and before a request reaches the bucket: wrong length, another member, a second creation', async () => {
    const s = await study([randomBytes(100)]);
    const f = s.files[0]!;
    const before = harness.requests;
    await expectAppError(tus('POST', senderSession, UPLOAD_PATH, { 'upload-length': String(f.bytes - 1), 'upload-metadata': meta(s.id, f.fileId) }), 'validation');
    await expectAppError(tus('POST', radiologySession, UPLOAD_PATH, { 'upload-length': String(f.bytes), 'upload-metadata': meta(s.id, f.fileId) }), 'not_found');
    await expectAppError(tus('POST', outsider, UPLOAD_PATH, { 'upload-length': String(f.bytes), 'upload-metadata': meta(s.id, f.fileId) }), 'not_found');
    const url = `${UPLOAD_PATH}/${radiology.orgId}.${s.id}.${f.fileId}`;
    await expectAppError(tus('HEAD', outsider, url, {}), 'not_found');
    await expectAppError(tus('PATCH', radiologySession, url, { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, new Uint8Array(1)), 'not_found');
    expect(harness.requests).toBe(before);
    expect(await create(s, f)).toBe(url);
    await expectAppError(tus('POST', senderSession, UPLOAD_PATH, { 'upload-length': String(f.bytes), 'upload-metadata': meta(s.id, f.fileId) }), 'conflict');
  });

  it('uploads in several PATCHes as a multipart upload; an interrupted one resumes at the offset HEAD gives; the object is what was sent', async () => {
    const s = await study([randomBytes(11 * MiB)]);
    const f = s.files[0]!;
    const url = await create(s, f);
    expect(await offsetOf(url)).toBe(0);
    // 6 MiB: one part of the multipart upload.
    expect((await patch(url, 0, f.data.slice(0, 6 * MiB))).status).toBe(204);
    expect(await offsetOf(url)).toBe(6 * MiB);
    // The connection drops after 2 MiB more: what arrived is kept (shorter than S3's smallest part: as a .part object).
    let sent = false;
    const cut = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent) return c.error(new Error('connection lost'));
        sent = true;
        c.enqueue(f.data.slice(6 * MiB, 8 * MiB));
      },
    });
    const broken = await patch(url, 6 * MiB, cut);
    expect([broken.status, broken.headers.get('upload-offset')]).toEqual([204, String(8 * MiB)]);
    const resumeAt = await offsetOf(url);
    expect(resumeAt).toBe(8 * MiB);
    expect(await keysBelow(s.objectKey(f.fileId))).toEqual([`${s.objectKey(f.fileId)}.info`, `${s.objectKey(f.fileId)}.part`]);
    expect((await patch(url, 0, f.data.slice(0, 10))).status).toBe(409);
    expect(await fileDone(s.id, f.fileId)).toBe(false);
    expect((await patch(url, resumeAt, f.data.slice(resumeAt))).status).toBe(204);
    expect(await fileDone(s.id, f.fileId)).toBe(true);
    const [row] = await db.select().from(studies).where(eq(studies.id, s.id));
    expect(row.complete).toBe(true);

    const stored = await object(s.objectKey(f.fileId));
    expect(Buffer.from(stored).equals(Buffer.from(f.data))).toBe(true);
    expect(Buffer.from(stored.subarray(0, 4)).toString('latin1')).toBe('KSF1');
    expect(await keysBelow(s.objectKey(f.fileId))).toEqual([s.objectKey(f.fileId), `${s.objectKey(f.fileId)}.info`]);
    expect([...uploadsInProgress().values()]).not.toContain(s.objectKey(f.fileId));
    await expectAppError(patch(url, f.bytes, new Uint8Array(1)), 'conflict');

    // Downloads stream the object back; the recipient's browser opens it.
    const file = await openStudyFile(db, radiologySession, s.id, f.fileId);
    expect(file.bytes).toBe(f.bytes);
    const downloaded = await readAll(file.body);
    expect(Buffer.from(await decryptFile(f.fileKey, downloaded)).equals(Buffer.from(f.plain))).toBe(true);
    expect((await readAll((await openStudyFile(db, senderSession, s.id, f.fileId)).body)).length).toBe(f.bytes);
    await expectAppError(openStudyFile(db, colleague, s.id, f.fileId), 'not_found');
    await expectAppError(openStudyFile(db, outsider, s.id, f.fileId), 'not_found');
    await expectAppError(openStudyFile(db, radiologySession, s.id, uid()), 'not_found');

    // The recipient deletes it: its objects go.
    await deleteStudy(db, radiologySession, s.id);
    expect(await keysBelow(`${PREFIX}${radiology.orgId}/studies/${s.id}/`)).toEqual([]);
    await expectAppError(openStudyFile(db, senderSession, s.id, f.fileId), 'not_found');
  });

  it('completes a file whose bytes all arrived but whose multipart upload was not completed, when the sender checks on it', async () => {
    const s = await study([randomBytes(3000)]);
    const f = s.files[0]!;
    const url = await create(s, f);
    harness.failCompletion = true;
    expect((await patch(url, 0, f.data)).status).toBe(500);
    harness.failCompletion = false;
    expect(await fileDone(s.id, f.fileId)).toBe(false);
    expect(await keysBelow(s.objectKey(f.fileId))).toEqual([`${s.objectKey(f.fileId)}.info`]);
    expect(await offsetOf(url)).toBe(f.bytes);
    expect(await fileDone(s.id, f.fileId)).toBe(true);
    expect(Buffer.from(await object(s.objectKey(f.fileId))).equals(Buffer.from(f.data))).toBe(true);
    expect(Buffer.from(await readAll((await openStudyFile(db, radiologySession, s.id, f.fileId)).body)).equals(Buffer.from(f.data))).toBe(true);
  });

  it('withdrawing a study that is still uploading removes its objects and aborts its multipart uploads', async () => {
    const s = await study([randomBytes(7 * MiB), randomBytes(1000)]);
    const [big, small] = s.files;
    const bigUrl = await create(s, big!);
    expect((await patch(bigUrl, 0, big!.data.slice(0, 6 * MiB))).status).toBe(204);
    await create(s, small!);
    const below = `${PREFIX}${radiology.orgId}/studies/${s.id}/`;
    expect((await keysBelow(below)).length).toBe(2);
    expect([...uploadsInProgress().values()].filter((k) => k.startsWith(below)).length).toBe(2);
    await deleteStudy(db, senderSession, s.id);
    expect(await keysBelow(below)).toEqual([]);
    expect([...uploadsInProgress().values()].filter((k) => k.startsWith(below))).toEqual([]);
  });

  it('the contract deletion removes the organisation’s prefix, uploads in progress included, and leaves everything else', async () => {
    const mine = await study([randomBytes(2000)]);
    await patch(await create(mine, mine.files[0]!), 0, mine.files[0]!.data);
    const partial = await study([randomBytes(2000)]);
    await create(partial, partial.files[0]!);
    const theirs = await study([randomBytes(2000)], { orgId: other.orgId, box: otherBox });
    await patch(await create(theirs, theirs.files[0]!), 0, theirs.files[0]!.data);
    // Someone else's object in the same bucket, outside Konsil's prefix.
    await bucket.send(new PutObjectCommand({ Bucket: BUCKET, Key: `elsewhere/${radiology.orgId}/keep`, Body: 'x' }));
    await bucket.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: `elsewhere/${radiology.orgId}/upload` }));
    const orgPrefix = `${PREFIX}${radiology.orgId}/`;
    const objects = (await keysBelow(orgPrefix)).length;
    expect(objects).toBeGreaterThanOrEqual(3);

    const counts = await deleteOrganisation(db, radiology.orgId);
    expect(counts.organisations).toBe(1);
    expect(counts.blobs).toBe(objects);
    expect(await keysBelow(orgPrefix)).toEqual([]);
    expect([...uploadsInProgress().values()].filter((k) => k.startsWith(orgPrefix))).toEqual([]);
    expect(await keysBelow(theirs.objectKey(theirs.files[0]!.fileId))).toContain(theirs.objectKey(theirs.files[0]!.fileId));
    expect(await keysBelow(`elsewhere/${radiology.orgId}/`)).toEqual([`elsewhere/${radiology.orgId}/keep`]);
    expect([...uploadsInProgress().values()]).toContain(`elsewhere/${radiology.orgId}/upload`);
    expect((await deleteOrganisation(db, radiology.orgId)).blobs).toBe(0);
  });
});

describe('the S3 settings', () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = { ...saved };
  });
  async function configWith(env: Record<string, string>) {
    vi.resetModules();
    for (const k of Object.keys(process.env)) if (k.startsWith('KONSIL_S3_')) delete process.env[k];
    Object.assign(process.env, env);
    return (await import('@/lib/core/config')).getConfig();
  }

  it('keep study files in the data folder unless a bucket is named', async () => {
    expect((await configWith({})).s3).toBeUndefined();
    // As a copy of .env.example leaves them: empty.
    expect((await configWith({ KONSIL_S3_BUCKET: '', KONSIL_S3_ENDPOINT: '', KONSIL_S3_ACCESS_KEY_ID: '' })).s3).toBeUndefined();
    expect((await configWith({ KONSIL_S3_BUCKET: 'studies', KONSIL_S3_PREFIX: 'a/b' })).s3).toEqual({ bucket: 'studies', prefix: 'a/b/', region: 'us-east-1', forcePathStyle: false, endpoint: undefined, credentials: undefined });
  });

  it('refuse half a configuration with a message that names the variables', async () => {
    await expect(configWith({ KONSIL_S3_ENDPOINT: 'http://127.0.0.1:9000' })).rejects.toThrow(/KONSIL_S3_ENDPOINT set without KONSIL_S3_BUCKET/);
    await expect(configWith({ KONSIL_S3_BUCKET: 'studies', KONSIL_S3_ACCESS_KEY_ID: 'id' })).rejects.toThrow(/KONSIL_S3_SECRET_ACCESS_KEY/);
    await expect(configWith({ KONSIL_S3_BUCKET: 'studies', KONSIL_S3_PREFIX: '../x' })).rejects.toThrow(/KONSIL_S3_PREFIX/);
    await expect(configWith({ KONSIL_S3_BUCKET: 'studies', KONSIL_S3_FORCE_PATH_STYLE: 'yes' })).rejects.toThrow(/KONSIL_S3_FORCE_PATH_STYLE/);
  });
});
