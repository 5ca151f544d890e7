// Sending a study (lib/protocol/studies.ts): the recipient mailbox is checked
// against the organisation's pin of the partner, the manifest and keys are
// sealed and signed here, the study is registered (quotas are checked before
// any upload), and then the worker uploads each file with tus, encrypting it
// range by range as it goes (worker-uploads.ts). Encryption is reproducible (lib/crypto/seekable.ts),
// so an upload cut by a reload or a server restart continues where the server
// stopped, once the user has picked the same files again (checked by SHA-256).
import { CryptoError } from '@/lib/crypto/types';
import type { UnlockedKeys } from '@/lib/protocol/account';
import { verifyMailboxCert } from '@/lib/protocol/mailboxes';
import { newStudyKey, sealManifest, sealStudyKey, signStudy, studyFileBytes, studyFileChunk, studyFileKey, UPLOAD_PATH, uploadUrl, type StudyKey, type StudyManifest } from '@/lib/protocol/studies';
import { api, ApiError } from '../api';
import { pinPartner, servedPartnerTrust, type DirectoryEntry } from '../partners';
import type { MailboxView } from '../mailboxes';
import { pauseUpload, resumeUpload, StudyWorkerError, uploadFile } from './worker-client';

export type ListedMailbox = DirectoryEntry['mailboxes'][number];

/** A file to send: the picked file and what the manifest says of it (sha256 computed in the worker). */
export type OutgoingFile = Omit<StudyManifest['files'][number], 'fileId'> & { file: Blob };

export type SendTarget = { entry: DirectoryEntry; mailbox: ListedMailbox };

/**
 * The recipient mailbox as this organisation trusts it: the partner's keys as
 * pinned (pinned now on first use), and the mailbox key certified by the
 * pinned signing key. A changed key stops here until someone compares it.
 */
export async function checkRecipient(keys: UnlockedKeys, target: SendTarget): Promise<void> {
  const served = { orgId: target.entry.id, publicKey: target.entry.publicKey, signPublic: target.entry.signPublic };
  if (served.orgId !== keys.orgId) {
    const trust = await servedPartnerTrust(keys, served);
    if (trust.state === 'changed') throw new CryptoError('partner_key_changed', 'the partner keys differ from the pinned ones');
    if (trust.state === 'new') await pinPartner(keys, served, false);
  }
  const m = target.mailbox;
  const ok = verifyMailboxCert(served.signPublic, { orgId: served.orgId, mailboxId: m.id, name: m.name, version: m.version, publicKey: m.publicKey }, m.cert);
  if (!ok) throw new CryptoError('key_signature_invalid', 'the mailbox key is not certified by the partner');
}

export type Registered = { studyId: string; studyKey: StudyKey; recipientOrgId: string; files: { fileId: string; file: Blob; bytes: number }[] };

/** Seals and signs the study and registers it with the server; nothing is uploaded yet. */
export async function registerStudy(
  keys: UnlockedKeys,
  args: { target: SendTarget; from: MailboxView; message: string; details: Omit<StudyManifest, 'v' | 'studyId' | 'message' | 'files'>; files: OutgoingFile[] },
): Promise<Registered> {
  await checkRecipient(keys, args.target);
  const fromKey = args.from.keys.find((k) => k.version === args.from.keyVersion);
  if (!fromKey) throw new CryptoError('key_signature_invalid', 'no current key of the sending mailbox');
  const studyId = crypto.randomUUID();
  const studyKey = newStudyKey();
  const files = args.files.map((f) => ({ ...f, fileId: crypto.randomUUID() }));
  const manifest: StudyManifest = {
    v: 1,
    studyId,
    message: args.message,
    ...args.details,
    files: files.map(({ file: _file, ...f }) => f),
  };
  const to = { orgId: args.target.entry.id, mailboxId: args.target.mailbox.id, version: args.target.mailbox.version };
  const manifestEnc = sealManifest(studyKey, to.orgId, manifest);
  const keyForRecipient = sealStudyKey(studyKey, studyId, { ...to, publicKey: args.target.mailbox.publicKey });
  const keyForSender = sealStudyKey(studyKey, studyId, { orgId: keys.orgId, mailboxId: args.from.id, version: fromKey.version, publicKey: fromKey.publicKey });
  const signature = signStudy(keys.ed25519Private, {
    studyId,
    sender: { orgId: keys.orgId, userId: keys.userId, mailboxId: args.from.id },
    recipient: to,
    manifestEnc,
    keyForRecipient,
    keyForSender,
    files: files.length,
  });
  const sized = files.map((f) => ({ fileId: f.fileId, file: f.file, bytes: studyFileBytes(f.size) }));
  await api('/api/studies', {
    body: {
      id: studyId,
      sender: { mailboxId: args.from.id, version: fromKey.version },
      recipient: to,
      manifestEnc,
      keyForRecipient,
      keyForSender,
      signature,
      files: sized.map((f) => ({ fileId: f.fileId, bytes: f.bytes })),
    },
  });
  return { studyId, studyKey, recipientOrgId: to.orgId, files: sized };
}

/** Files uploaded at the same time. */
const PARALLEL = 4;
/** At most this often the page hears of the bytes sent (besides each file's end). */
const PROGRESS_MS = 250;

/** A refused upload request as the rest of the app knows errors (ApiError); other worker errors as they are. */
function uploadError(e: unknown): unknown {
  if (!(e instanceof StudyWorkerError) || !e.code.startsWith('api:')) return e;
  return new ApiError(e.code.slice(4) as ApiError['code'], e.status ?? 0);
}

export type UploadProgress = { sent: number; total: number; filesDone: number; files: number };

/** A running upload of a study's files: pause, resume, and a promise that settles when all are in. */
export type StudyUpload = { done: Promise<void>; pause: () => void; resume: () => void };

/** Uploads (or continues uploading) a registered study's files, encrypting each range in the worker as tus asks for it. */
export function uploadStudy(reg: Registered, onProgress: (p: UploadProgress) => void): StudyUpload {
  const total = reg.files.reduce((a, f) => a + f.bytes, 0);
  const sent = new Map<string, number>();
  let filesDone = 0;
  const report = () => onProgress({ sent: [...sent.values()].reduce((a, b) => a + b, 0), total, filesDone, files: reg.files.length });
  // Requests report their bytes many times a second each; the page is told a few times a second (each report
  // renders it anew, and a busy page answers the next request late).
  let reportLater: ReturnType<typeof setTimeout> | null = null;
  const reportSoon = () => {
    reportLater ??= setTimeout(() => {
      reportLater = null;
      report();
    }, PROGRESS_MS);
  };
  const running = new Set<string>();
  // While paused, no further file starts either.
  let paused: { until: Promise<void>; resume: () => void } | null = null;
  const queue = [...reg.files];

  const one = async (f: Registered['files'][number]) => {
    while (paused) await paused.until;
    running.add(f.fileId);
    try {
      await uploadFile(
        {
          fileId: f.fileId,
          file: f.file,
          fileKey: studyFileKey(reg.studyKey, reg.studyId, f.fileId),
          bytes: f.bytes,
          chunkSize: studyFileChunk(f.file.size, f.bytes),
          endpoint: UPLOAD_PATH,
          uploadUrl: uploadUrl(reg.recipientOrgId, reg.studyId, f.fileId),
          metadata: { studyId: reg.studyId, fileId: f.fileId },
        },
        (bytes) => {
          sent.set(f.fileId, bytes);
          reportSoon();
        },
      );
    } catch (e) {
      throw uploadError(e);
    } finally {
      running.delete(f.fileId);
    }
    sent.set(f.fileId, f.bytes);
    filesDone++;
    report();
  };

  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) await one(f);
  };
  report();
  const done = Promise.all(Array.from({ length: Math.min(PARALLEL, reg.files.length) }, worker)).then(() => undefined);
  return {
    done,
    pause: () => {
      if (!paused) {
        let resume = () => {};
        const until = new Promise<void>((r) => (resume = r));
        paused = { until, resume };
      }
      for (const id of running) void pauseUpload(id);
    },
    resume: () => {
      paused?.resume();
      paused = null;
      for (const id of running) void resumeUpload(id);
    },
  };
}
