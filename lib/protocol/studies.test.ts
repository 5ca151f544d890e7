import { describe, expect, it } from 'vitest';
import { generateEd25519, generateX25519 } from '@/lib/crypto/asymmetric';
import { toB64u, utf8Encode } from '@/lib/crypto/encoding';
import { randomKey } from '@/lib/crypto/random';
import { encryptedSize } from '@/lib/crypto/seekable';
import { decryptFile, encryptFile } from '@/lib/crypto/stream';
import type { OrgKey } from '@/lib/crypto/types';
import { createOrgSigningKey, issueMemberCert } from './signing';
import {
  assertStudySigned,
  newStudyKey,
  openManifest,
  openStudyKey,
  receiptValid,
  sealManifest,
  sealStudyKey,
  signReceipt,
  signStudy,
  STUDY_FILE_CHUNK,
  studyFileBytes,
  studyFileChunk,
  studyFileKey,
  type StudyManifest,
  type StudyStatement,
} from './studies';

const senderOrg = '0b6f1c9e-4d1a-4a57-9a53-1c2f0e6d7a10';
const recipientOrg = '5d0e7b1a-8f7e-4a3c-9b21-6c4f2d9e8a01';
const studyId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

function certified(orgId: string, org = createOrgSigningKey(randomKey<OrgKey>(), orgId)) {
  const e = generateEd25519();
  const keys = { orgId, userId: crypto.randomUUID(), x25519Public: toB64u(generateX25519().publicKey), ed25519Public: toB64u(e.publicKey) };
  return { org, ed25519Private: e.privateKey, sealer: { ...keys, memberCert: issueMemberCert(org.signPrivate, keys) } };
}

const manifest: StudyManifest = {
  v: 1,
  studyId,
  message: 'Bitte um Zweitmeinung',
  patient: { name: 'Mustermann^Max', id: 'PID-1', birthDate: '19700101', sex: 'M' },
  study: { studyInstanceUid: '1.2.3', date: '20261201', description: 'CT Thorax', modalities: ['CT'] },
  series: [{ seriesInstanceUid: '1.2.3.4', modality: 'CT', description: 'Thorax', number: 1, images: 2 }],
  files: [
    { fileId: 'f1', path: 'DICOM/IM1', size: 5, sha256: 'x', kind: 'dicom' },
    { fileId: 'f2', path: 'DICOM/IM2', size: 5, sha256: 'y', kind: 'dicom' },
  ],
};

describe('study keys, files and manifest', () => {
  const key = newStudyKey();
  const mailbox = generateX25519();
  const to = { orgId: recipientOrg, mailboxId: crypto.randomUUID(), version: 2, publicKey: toB64u(mailbox.publicKey) };

  it('the study key opens only in the mailbox version it was sealed to', () => {
    const sealed = sealStudyKey(key, studyId, to);
    expect(openStudyKey(mailbox.privateKey, studyId, to, sealed)).toEqual(key);
    const refused = (f: () => unknown) => expect(f).toThrow(expect.objectContaining({ code: 'study_invalid' }));
    refused(() => openStudyKey(mailbox.privateKey, studyId, { ...to, version: 1 }, sealed));
    refused(() => openStudyKey(mailbox.privateKey, crypto.randomUUID(), to, sealed));
    refused(() => openStudyKey(generateX25519().privateKey, studyId, to, sealed));
  });

  it('each file has its own key: a blob moved to another file or study does not decrypt', async () => {
    const blob = await encryptFile(studyFileKey(key, studyId, 'f1'), utf8Encode('DICM1'));
    expect(await decryptFile(studyFileKey(key, studyId, 'f1'), blob)).toEqual(utf8Encode('DICM1'));
    await expect(decryptFile(studyFileKey(key, studyId, 'f2'), blob)).rejects.toThrow();
    await expect(decryptFile(studyFileKey(key, crypto.randomUUID(), 'f1'), blob)).rejects.toThrow();
  });

  it('the manifest opens for its study and recipient only', () => {
    const env = sealManifest(key, recipientOrg, manifest);
    expect(openManifest(key, recipientOrg, studyId, env)).toEqual(manifest);
    expect(() => openManifest(key, senderOrg, studyId, env)).toThrow(expect.objectContaining({ code: 'study_invalid' }));
    expect(() => openManifest(key, recipientOrg, crypto.randomUUID(), env)).toThrow(expect.objectContaining({ code: 'study_invalid' }));
    expect(() => openManifest(newStudyKey(), recipientOrg, studyId, env)).toThrow(expect.objectContaining({ code: 'study_invalid' }));
  });
});

describe('the sender’s signature', () => {
  const sender = certified(senderOrg);
  const key = newStudyKey();
  const to = { orgId: recipientOrg, mailboxId: crypto.randomUUID(), version: 1, publicKey: toB64u(generateX25519().publicKey) };
  const own = { orgId: senderOrg, mailboxId: crypto.randomUUID(), version: 1, publicKey: toB64u(generateX25519().publicKey) };
  const s: StudyStatement = {
    studyId,
    sender: { orgId: senderOrg, userId: sender.sealer.userId, mailboxId: own.mailboxId },
    recipient: { orgId: to.orgId, mailboxId: to.mailboxId, version: to.version },
    manifestEnc: sealManifest(key, recipientOrg, manifest),
    keyForRecipient: sealStudyKey(key, studyId, to),
    keyForSender: sealStudyKey(key, studyId, own),
    files: 2,
  };
  const signature = signStudy(sender.ed25519Private, s);
  const check = (over: Partial<Parameters<typeof assertStudySigned>[0]>) => () => assertStudySigned({ senderOrgSignPublic: sender.org.signPublic, statement: s, signature, sender: sender.sealer, ...over });

  it('verifies for exactly what was sent', () => {
    expect(check({})).not.toThrow();
  });
  it('refuses a study the server made, re-addressed, or changed — and a sender the organisation did not certify', () => {
    const refused = (f: () => void) => expect(f).toThrow(expect.objectContaining({ code: 'study_signature_invalid' }));
    refused(check({ statement: { ...s, recipient: { ...s.recipient, mailboxId: crypto.randomUUID() } } }));
    refused(check({ statement: { ...s, recipient: { ...s.recipient, version: 2 } } }));
    refused(check({ statement: { ...s, manifestEnc: sealManifest(key, recipientOrg, { ...manifest, message: 'anders' }) } }));
    refused(check({ statement: { ...s, keyForRecipient: sealStudyKey(newStudyKey(), studyId, to) } }));
    refused(check({ statement: { ...s, files: 1 } }));
    refused(check({ signature: null }));
    refused(check({ sender: null }));
    // The server's own key pair named as a member of the sending organisation.
    const intruder = certified(senderOrg, createOrgSigningKey(randomKey<OrgKey>(), senderOrg));
    refused(check({ sender: { ...intruder.sealer, userId: sender.sealer.userId }, signature: signStudy(intruder.ed25519Private, s) }));
    // Another organisation's signing key as the one pinned.
    refused(check({ senderOrgSignPublic: createOrgSigningKey(randomKey<OrgKey>(), senderOrg).signPublic }));
  });
});

describe('receipts', () => {
  const recipient = certified(recipientOrg);
  const receipt = { studyId, kind: 'opened' as const, orgId: recipientOrg, userId: recipient.sealer.userId, at: '2026-12-07T10:00:00.000Z' };
  const signature = signReceipt(recipient.ed25519Private, receipt);
  const valid = (over: Partial<Parameters<typeof receiptValid>[0]>) => receiptValid({ recipientOrgSignPublic: recipient.org.signPublic, receipt, signature, signer: recipient.sealer, ...over });
  it('count only when a certified member of the recipient signed them', () => {
    expect(valid({})).toBe(true);
    expect(valid({ receipt: { ...receipt, kind: 'delivered' } })).toBe(false);
    expect(valid({ receipt: { ...receipt, studyId: crypto.randomUUID() } })).toBe(false);
    expect(valid({ signature: null })).toBe(false);
    expect(valid({ recipientOrgSignPublic: createOrgSigningKey(randomKey<OrgKey>(), recipientOrg).signPublic })).toBe(false);
    const forger = certified(recipientOrg, createOrgSigningKey(randomKey<OrgKey>(), recipientOrg));
    expect(valid({ signer: forger.sealer, receipt: { ...receipt, userId: forger.sealer.userId }, signature: signReceipt(forger.ed25519Private, { ...receipt, userId: forger.sealer.userId }) })).toBe(false);
  });
});

describe('study file chunks', () => {
  const MiB = 1024 * 1024;
  it('seals files over 1 MiB in 512 KiB chunks and keeps smaller ones one chunk', () => {
    expect(STUDY_FILE_CHUNK).toBe(512 * 1024);
    for (const plain of [MiB + 1, 3 * MiB + 17]) {
      expect(studyFileBytes(plain)).toBe(encryptedSize(plain, STUDY_FILE_CHUNK));
      expect(studyFileChunk(plain, studyFileBytes(plain))).toBe(STUDY_FILE_CHUNK);
    }
    for (const plain of [0, 1, 512 * 1024 + 1, MiB]) {
      expect(studyFileBytes(plain)).toBe(encryptedSize(plain, MiB));
      expect(studyFileChunk(plain, studyFileBytes(plain))).toBe(MiB);
    }
  });

  it('tells the chunk size of a file registered before (1 MiB) and refuses a size that fits none', () => {
    const plain = 3 * MiB + 17;
    const earlier = encryptedSize(plain, MiB);
    expect(earlier).not.toBe(studyFileBytes(plain));
    expect(studyFileChunk(plain, earlier)).toBe(MiB);
    expect(() => studyFileChunk(1000, studyFileBytes(1000) + 1)).toThrow(/registered size/);
  });
});
