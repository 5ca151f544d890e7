// Studies sent between organisations (docs/SECURITY.md §3.11). Pure and isomorphic.
//
// Every study has a fresh 256-bit study key. Each file is encrypted in the
// STREAM format (lib/crypto/stream.ts) under its own key derived from the study
// key, the study and the file id — a blob the server moves to another file or
// study does not decrypt. The manifest (patient and study details, message,
// file list with each original's SHA-256) is an envelope under a key derived
// the same way. The study key is sealed to the recipient mailbox's certified
// key and to the sender's own mailbox. The sending member signs a statement
// naming sender, recipient mailbox and key version and the hashes of manifest
// and sealed keys: the recipient knows who sent it, and the server can neither
// read a study, nor forge one in a partner's name, nor re-address it.
//
// Receipts ("zugestellt", "geöffnet") are signed by the recipient member's
// browser, so the sender's log shows only what a certified member of the
// pinned partner really said.
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { openSealed, seal, sign, verify } from '@/lib/crypto/asymmetric';
import type { AdContext } from '@/lib/crypto/ad';
import { fromB64u, toB64u, toHex, utf8Encode } from '@/lib/crypto/encoding';
import { decryptJson, encryptJson } from '@/lib/crypto/envelope';
import { encryptedSize } from '@/lib/crypto/seekable';
import { randomKey } from '@/lib/crypto/random';
import { CryptoError, type Ed25519PrivateKey, type Ed25519PublicKey, type FileKey, type X25519PrivateKey, type X25519PublicKey } from '@/lib/crypto/types';
import { statement, verifyMemberCert, type Sealer } from './signing';

export type StudyKey = FileKey;

/** Where a study's files are uploaded (tus); a file's upload URL names its recipient organisation, study and file. */
export const UPLOAD_PATH = '/api/studies/uploads';
export const uploadUrl = (recipientOrgId: string, studyId: string, fileId: string) => `${UPLOAD_PATH}/${recipientOrgId}.${studyId}.${fileId}`;

/**
 * Plaintext bytes per sealed chunk of a study file larger than 1 MiB (the stream format allows 64 KiB to 16 MiB
 * and names the size in each file's header). 512 KiB: WebCrypto in Chromium seals 512 KiB pieces about twice as
 * fast as 1 MiB ones, which the browser allocates differently (docs/PERFORMANCE.md, "Studies"). A file of up to
 * 1 MiB (most DICOM images) stays one chunk, as all files were before: the viewer decrypts it with one call and
 * takes WebCrypto's output as it is, and an upload registered before continues with the very bytes it began with.
 */
export const STUDY_FILE_CHUNK = 512 * 1024;
const ONE_CHUNK = 1024 * 1024;

const chunkFor = (plainSize: number) => (plainSize <= ONE_CHUNK ? ONE_CHUNK : STUDY_FILE_CHUNK);

/** Bytes of a study file's encrypted form, as registered. */
export const studyFileBytes = (plainSize: number) => encryptedSize(plainSize, chunkFor(plainSize));

/** The chunk size a file was registered with: as now, or (a file over 1 MiB registered before) 1 MiB; its registered size tells. */
export function studyFileChunk(plainSize: number, registeredBytes: number): number {
  const size = [chunkFor(plainSize), ONE_CHUNK].find((c) => encryptedSize(plainSize, c) === registeredBytes);
  if (size === undefined) throw new CryptoError('bad_params', 'the registered size does not fit this file');
  return size;
}

export const newStudyKey = (): StudyKey => randomKey<StudyKey>();

function derive(studyKey: StudyKey, studyId: string, purpose: string): Uint8Array {
  return hkdf(sha256, studyKey, utf8Encode(studyId), utf8Encode(`konsil/v1/study/${purpose}`), 32);
}

/** The key one file is encrypted under (STREAM format): bound to its study and its id. */
export const studyFileKey = (studyKey: StudyKey, studyId: string, fileId: string) => derive(studyKey, studyId, `file/${fileId}`) as FileKey;

export type StudyFile = {
  fileId: string;
  /** The path as picked (folder or CD), for the download's ZIP. */
  path: string;
  size: number;
  /** SHA-256 of the original bytes: a download must match it. */
  sha256: string;
  kind: 'dicom' | 'pdf' | 'jpeg';
  sopInstanceUid?: string;
  seriesInstanceUid?: string;
  instanceNumber?: number | null;
  transferSyntaxUid?: string;
  frames?: number;
  /** A DICOM object without pixel data (report, waveform, …): sent and downloaded like the rest, not an image. Absent in manifests before it. */
  noImage?: true;
};

/**
 * images: frames of its image files (before noImage existed: of all its DICOM
 * files); objects: its files without an image (absent when none, and before).
 */
export type StudySeries = { seriesInstanceUid: string; modality: string; description: string; number: number | null; images: number; objects?: number };

export type StudyManifest = {
  v: 1;
  studyId: string;
  message: string;
  patient: { name: string; id: string; birthDate: string; sex: string };
  study: { studyInstanceUid: string; date: string; description: string; modalities: string[] };
  series: StudySeries[];
  files: StudyFile[];
};

export const manifestAd = (recipientOrgId: string, studyId: string): AdContext => ({ table: 'studies', row: studyId, org: recipientOrgId, field: 'manifest_enc' });

export function sealManifest(studyKey: StudyKey, recipientOrgId: string, manifest: StudyManifest): string {
  return encryptJson(derive(studyKey, manifest.studyId, 'manifest'), manifest, manifestAd(recipientOrgId, manifest.studyId));
}

export function openManifest(studyKey: StudyKey, recipientOrgId: string, studyId: string, env: string): StudyManifest {
  let m: StudyManifest;
  try {
    m = decryptJson<StudyManifest>(derive(studyKey, studyId, 'manifest'), env, manifestAd(recipientOrgId, studyId));
  } catch (cause) {
    throw new CryptoError('study_invalid', 'the manifest does not open', { cause });
  }
  if (m?.v !== 1 || m.studyId !== studyId || !Array.isArray(m.files)) throw new CryptoError('study_invalid', 'the manifest is malformed');
  return m;
}

/** Where a sealed study key lives: a mailbox of an organisation, in one key version. */
export type MailboxAddress = { orgId: string; mailboxId: string; version: number; publicKey: string };

export const studyKeyAd = (studyId: string, to: Omit<MailboxAddress, 'publicKey'>): AdContext => ({
  table: 'study_keys',
  row: `${studyId}/${to.mailboxId}/${to.version}`,
  org: to.orgId,
  field: 'sealed_key',
});

export function sealStudyKey(studyKey: StudyKey, studyId: string, to: MailboxAddress): string {
  return seal(fromB64u(to.publicKey) as X25519PublicKey, studyKey, studyKeyAd(studyId, to));
}

export function openStudyKey(mailboxPrivate: X25519PrivateKey, studyId: string, at: Omit<MailboxAddress, 'publicKey'>, sealed: string): StudyKey {
  try {
    const k = openSealed(mailboxPrivate, sealed, studyKeyAd(studyId, at));
    if (k.length !== 32) throw new Error('length');
    return k as StudyKey;
  } catch (cause) {
    throw new CryptoError('study_invalid', 'the study key does not open', { cause });
  }
}

const h = (s: string) => toHex(sha256(utf8Encode(s)));

/** What the sender signs: who sends what to which mailbox version, by the hashes of what the server stores. */
export type StudyStatement = {
  studyId: string;
  sender: { orgId: string; userId: string; mailboxId: string };
  recipient: Omit<MailboxAddress, 'publicKey'>;
  manifestEnc: string;
  keyForRecipient: string;
  keyForSender: string;
  /** How many files the study has: the server cannot drop one unnoticed (each is also in the manifest). */
  files: number;
};

const studyStatement = (s: StudyStatement) =>
  statement('konsil/v1/study', [
    s.studyId,
    s.sender.orgId,
    s.sender.userId,
    s.sender.mailboxId,
    s.recipient.orgId,
    s.recipient.mailboxId,
    String(s.recipient.version),
    h(s.manifestEnc),
    h(s.keyForRecipient),
    h(s.keyForSender),
    String(s.files),
  ]);

export function signStudy(senderEd25519Private: Ed25519PrivateKey, s: StudyStatement): string {
  return toB64u(sign(senderEd25519Private, studyStatement(s)));
}

function sigOk(publicKey: string, signature: string | null | undefined, msg: Uint8Array): boolean {
  if (!signature) return false;
  try {
    return verify(fromB64u(publicKey) as Ed25519PublicKey, fromB64u(signature), msg);
  } catch {
    return false;
  }
}

/**
 * Throws 'study_signature_invalid' unless a member certified by the sending
 * organisation (under its signing key as the recipient pinned it) signed this
 * study, to this mailbox, with exactly this manifest and these sealed keys.
 */
export function assertStudySigned(args: { senderOrgSignPublic: string; statement: StudyStatement; signature: string | null | undefined; sender: Sealer | null | undefined }): void {
  const { sender, statement: s } = args;
  if (!sender || sender.orgId !== s.sender.orgId || sender.userId !== s.sender.userId) throw new CryptoError('study_signature_invalid', 'no sender of that organisation');
  if (!verifyMemberCert(args.senderOrgSignPublic, sender, sender.memberCert)) throw new CryptoError('study_signature_invalid', 'the sender is not certified by the sending organisation');
  if (!sigOk(sender.ed25519Public, args.signature, studyStatement(s))) throw new CryptoError('study_signature_invalid', 'the study is not signed by its sender');
}

export type ReceiptKind = 'delivered' | 'opened';
export type Receipt = { studyId: string; kind: ReceiptKind; orgId: string; userId: string; at: string };

const receiptStatement = (r: Receipt) => statement('konsil/v1/study-receipt', [r.studyId, r.kind, r.orgId, r.userId, r.at]);

export function signReceipt(recipientEd25519Private: Ed25519PrivateKey, r: Receipt): string {
  return toB64u(sign(recipientEd25519Private, receiptStatement(r)));
}

/** A receipt counts only if a member certified by the recipient organisation (as the sender pinned it) signed it. */
export function receiptValid(args: { recipientOrgSignPublic: string; receipt: Receipt; signature: string | null | undefined; signer: Sealer | null | undefined }): boolean {
  const { signer, receipt } = args;
  if (!signer || signer.orgId !== receipt.orgId || signer.userId !== receipt.userId) return false;
  if (!verifyMemberCert(args.recipientOrgSignPublic, signer, signer.memberCert)) return false;
  return sigOk(signer.ed25519Public, args.signature, receiptStatement(receipt));
}
