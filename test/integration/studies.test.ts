// Studies (lib/studies) on PostgreSQL and PGlite: what the server checks before
// a byte is uploaded (mailbox access, current key versions, directory listing,
// the plan's studies per month, the mailbox's space), resumable uploads through
// the tus handler, completion when files finish in parallel, who lists and
// fetches what, receipts, deletion and retention, and a received study that
// outlives its sender (member removed, organisation deleted) — still checkable
// against the recipient's pin, and refused if the server rewrites what it kept.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { BACKENDS, addMember, expectAppError, registerAccount, loginAsOwner, sessionFor, uid, type Account } from './helpers';
import type { Db } from '@/lib/db/client';
import { outbox, studies, studyFiles } from '@/lib/db/schema';
import type { SessionContext } from '@/lib/auth/sessions';
import { createMailbox, listMailboxes, setMailboxNotice } from '@/lib/mailboxes/service';
import { setDirectoryVisibility } from '@/lib/directory/service';
import { grantMailboxKey, newMailboxKey } from '@/lib/protocol/mailboxes';
import { newStudyKey, receiptValid, sealManifest, sealStudyKey, signReceipt, signStudy, type Receipt, type StudyManifest } from '@/lib/protocol/studies';
import { toB64u } from '@/lib/crypto/encoding';
import { randomBytes } from '@/lib/crypto/random';
import { removeMember } from '@/lib/members/service';
import { cancelContract, runContractJobs } from '@/lib/contracts/service';
import { endInstant } from '@/lib/contracts/notice';
import { partnerTrust, type PartnerKeys, type PartnerPin } from '@/lib/protocol/directory';
import { issueMemberCert } from '@/lib/protocol/signing';
import { assertStudySigned } from '@/lib/protocol/studies';
import { generateEd25519 } from '@/lib/crypto/asymmetric';
import { CryptoError } from '@/lib/crypto/types';
import { addReceipt, createStudy, deleteStudy, fileUploaded, mailboxUsage, openStudyFile, purgeExpiredStudies, readableStudyFile, setStudySettings, uploadIdOf } from '@/lib/studies/service';
import { handleUpload, UPLOAD_PATH } from '@/lib/studies/uploads';
import type { TStudyCreate } from '@/lib/studies/schemas';
import type { TStudyView } from '@/lib/studies/views';
import { listInbox, listSent, studyFor } from '@/lib/studies/views';
import { users } from '@/lib/db/schema';
import type { BuiltUser } from './helpers';

type Box = { id: string; version: number; publicKey: string };

// One data folder for both backends: the configuration (and the upload server) are read once per file.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'konsil-studies-'));
process.env.KONSIL_DATA_DIR = dataDir;
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe.each(BACKENDS)('studies on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;
  let sender: Account;
  let senderSession: SessionContext;
  let senderBox: Box;
  let radiology: Account;
  let radiologySession: SessionContext;
  let department: Box;
  let outsider: SessionContext;
  let colleague: SessionContext;

  async function mailbox(a: Account, s: SessionContext, name: string, isMain: boolean, alsoFor: string[] = []): Promise<Box> {
    const id = uid();
    const made = newMailboxKey({ orgSignPrivate: a.orgSignPrivate, orgId: a.orgId, mailboxId: id, name, version: 1 });
    const members = [a.userId, ...alsoFor];
    const grants = [];
    for (const userId of members) {
      const [u] = await db.select().from(users).where(eq(users.id, userId));
      const grant = grantMailboxKey({
        orgSignPublic: a.request.org.signPublic!,
        sealerEd25519Private: a.user.ed25519Private,
        mailboxPrivate: made.privateKey,
        orgId: a.orgId,
        mailboxId: id,
        version: 1,
        member: { orgId: a.orgId, userId, x25519Public: u.x25519Public, ed25519Public: u.ed25519Public, memberCert: u.memberCert },
      });
      grants.push({ version: 1, ...grant });
    }
    await createMailbox(db, s, { id, name, isMain, members, key: { version: 1, publicKey: made.key.publicKey, cert: made.cert }, grants });
    return { id, version: 1, publicKey: made.key.publicKey };
  }

  /** A study as a sender's browser makes it. */
  function study(opts: { to?: { orgId: string; box: Box }; files?: number[]; from?: Box; by?: { orgId: string; userId: string; user: BuiltUser } } = {}): TStudyCreate {
    const to = opts.to ?? { orgId: radiology.orgId, box: department };
    const from = opts.from ?? senderBox;
    const by = opts.by ?? sender;
    const id = uid();
    const key = newStudyKey();
    const sizes = opts.files ?? [1000, 2000];
    const manifest: StudyManifest = {
      v: 1,
      studyId: id,
      message: 'Bitte um Befund',
      patient: { name: 'Muster Erika', id: 'P1', birthDate: '19700101', sex: 'F' },
      study: { studyInstanceUid: '1.2.3', date: '20261201', description: 'Knie', modalities: ['MR'] },
      series: [],
      files: sizes.map((size, i) => ({ fileId: uid(), path: `IM${i}`, size, sha256: '00'.repeat(32), kind: 'dicom' })),
    };
    const recipient = { orgId: to.orgId, mailboxId: to.box.id, version: to.box.version };
    const manifestEnc = sealManifest(key, to.orgId, manifest);
    const keyForRecipient = sealStudyKey(key, id, { ...recipient, publicKey: to.box.publicKey });
    const keyForSender = sealStudyKey(key, id, { orgId: by.orgId, mailboxId: from.id, version: from.version, publicKey: from.publicKey });
    const signature = signStudy(by.user.ed25519Private, { studyId: id, sender: { orgId: by.orgId, userId: by.userId, mailboxId: from.id }, recipient, manifestEnc, keyForRecipient, keyForSender, files: sizes.length });
    return { id, sender: { mailboxId: from.id, version: from.version }, recipient, manifestEnc, keyForRecipient, keyForSender, signature, files: manifest.files.map((f) => ({ fileId: f.fileId, bytes: f.size })) };
  }

  const tus = (method: string, s: SessionContext, url: string, headers: Record<string, string>, body?: Uint8Array) =>
    handleUpload(db, s, new Request(`http://127.0.0.1${url}`, { method, headers: { 'tus-resumable': '1.0.0', ...headers }, body: body as BodyInit | undefined, duplex: 'half' } as RequestInit), url.split('/').at(-1) === 'uploads' ? undefined : url.split('/').at(-1));
  const meta = (studyId: string, fileId: string) => `studyId ${Buffer.from(studyId).toString('base64')},fileId ${Buffer.from(fileId).toString('base64')}`;

  beforeAll(async () => {
    ({ db, close } = await open());
    sender = await registerAccount(db, { plan: 'basis' });
    senderSession = await sessionFor(db, loginAsOwner(sender));
    senderBox = await mailbox(sender, senderSession, 'Hauptpostfach', true);
    radiology = await registerAccount(db, { plan: 'plus' });
    radiologySession = await sessionFor(db, loginAsOwner(radiology));
    await mailbox(radiology, radiologySession, 'Hauptpostfach', true);
    department = await mailbox(radiology, radiologySession, 'Unfallchirurgie', false);
    await setDirectoryVisibility(db, radiologySession, { directoryVisible: true });
    colleague = await sessionFor(db, await addMember(db, { session: radiologySession, user: radiology.user }));
    const third = await registerAccount(db, { plan: 'basis' });
    outsider = await sessionFor(db, loginAsOwner(third));
  });
  afterAll(async () => {
    await close?.();
  });

  it('registers a study only from a mailbox the sender may use, to a listed organisation, with current key versions', async () => {
    await expectAppError(createStudy(db, outsider, study()), 'not_found');
    const unlisted = await registerAccount(db, { plan: 'basis' });
    const us = await sessionFor(db, loginAsOwner(unlisted));
    const theirBox = await mailbox(unlisted, us, 'Hauptpostfach', true);
    await expectAppError(createStudy(db, senderSession, study({ to: { orgId: unlisted.orgId, box: theirBox } })), 'not_found');
    await expectAppError(createStudy(db, senderSession, study({ to: { orgId: sender.orgId, box: department } })), 'not_found');
    await expectAppError(createStudy(db, senderSession, study({ to: { orgId: radiology.orgId, box: { ...department, version: 2 } } })), 'study_key_outdated');
    const ok = study();
    await createStudy(db, senderSession, ok);
    await expectAppError(createStudy(db, senderSession, ok), 'conflict');
    // Still uploading: the recipients see nothing, the sender's log shows it.
    expect(await listInbox(db, radiologySession)).toEqual([]);
    expect((await listSent(db, senderSession)).map((s) => [s.id, s.complete])).toEqual([[ok.id, false]]);
  });

  it('refuses a study the recipient mailbox has no room for, before any upload', async () => {
    await expectAppError(createStudy(db, senderSession, study({ files: [25e9 - 10, 100] })), 'mailbox_full');
  });

  it('uploads resumably through tus: exact length, created once, only by the sender, continued at the offset', async () => {
    const s = study({ files: [3000] });
    await createStudy(db, senderSession, s);
    const fileId = s.files[0]!.fileId;
    const bytes = randomBytes(3000);
    await expectAppError(tus('POST', senderSession, UPLOAD_PATH, { 'upload-length': '2999', 'upload-metadata': meta(s.id, fileId) }), 'validation');
    await expectAppError(tus('POST', radiologySession, UPLOAD_PATH, { 'upload-length': '3000', 'upload-metadata': meta(s.id, fileId) }), 'not_found');
    const created = await tus('POST', senderSession, UPLOAD_PATH, { 'upload-length': '3000', 'upload-metadata': meta(s.id, fileId) });
    expect(created.status).toBe(201);
    const url = created.headers.get('location')!;
    expect(url).toBe(`${UPLOAD_PATH}/${radiology.orgId}.${s.id}.${fileId}`);
    await expectAppError(tus('POST', senderSession, UPLOAD_PATH, { 'upload-length': '3000', 'upload-metadata': meta(s.id, fileId) }), 'conflict');
    const patch = (from: number, to: number) => tus('PATCH', senderSession, url, { 'upload-offset': String(from), 'content-type': 'application/offset+octet-stream' }, bytes.slice(from, to));
    expect((await patch(0, 1200)).status).toBe(204);
    const head = await tus('HEAD', senderSession, url, {});
    expect(head.headers.get('upload-offset')).toBe('1200');
    await expectAppError(tus('HEAD', outsider, url, {}), 'not_found');
    expect((await patch(0, 100)).status).toBe(409);
    expect((await patch(1200, 3000)).status).toBe(204);
    const [row] = await db.select().from(studies).where(eq(studies.id, s.id));
    expect(row.complete).toBe(true);
    const stored = fs.readFileSync(path.join(dataDir, 'blobs', radiology.orgId, 'studies', s.id, fileId));
    expect(Buffer.compare(stored, Buffer.from(bytes))).toBe(0);
    await expectAppError(tus('PATCH', senderSession, url, { 'upload-offset': '3000', 'content-type': 'application/offset+octet-stream' }, new Uint8Array(1)), 'conflict');
    expect((await readableStudyFile(db, radiologySession, s.id, fileId)).bytes).toBe(3000);
    const downloaded = await new Response((await openStudyFile(db, radiologySession, s.id, fileId)).body).arrayBuffer();
    expect(Buffer.compare(Buffer.from(downloaded), Buffer.from(bytes))).toBe(0);
  });

  it('completes a study once when its files finish at the same time; the notice names no patient', async () => {
    const s = study({ files: [10, 20, 30, 40, 50] });
    await createStudy(db, senderSession, s);
    await Promise.all(s.files.map((f) => fileUploaded(db, s.id, f.fileId)));
    const [row] = await db.select().from(studies).where(eq(studies.id, s.id));
    expect(row.complete).toBe(true);
    const mails = await db.select().from(outbox).where(eq(outbox.template, 'study_received'));
    const mine = mails.filter((m) => m.orgId === radiology.orgId);
    expect(mine.length).toBeGreaterThanOrEqual(1);
    expect(mine.at(-1)!.subject).toContain('Unfallchirurgie');
    expect(mine.at(-1)!.recipient).toBe(radiology.email);
    expect(JSON.stringify(mine)).not.toMatch(/Muster|Erika|Knie|Befund/);
  });

  it('lists and serves a study to the recipient mailbox’s members and the sender only', async () => {
    const inbox = await listInbox(db, radiologySession);
    expect(inbox.length).toBe(2);
    const id = inbox[0]!.id;
    expect(await listInbox(db, colleague)).toEqual([]);
    await expectAppError(studyFor(db, colleague, id), 'not_found');
    await expectAppError(studyFor(db, outsider, id), 'not_found');
    expect((await studyFor(db, senderSession, id)).box).toBe('sent');
    const usage = await mailboxUsage(db, [department.id]);
    expect(usage.get(department.id)!.studies).toBe(3);
    const listed = (await listMailboxes(db, radiologySession)).find((b) => b.id === department.id)!;
    expect(listed.usedBytes).toBe(usage.get(department.id)!.bytes);
  });

  it('lets a file be downloaded by whoever may see its study: the recipient mailbox’s members, the sending mailbox’s, and nobody else', async () => {
    const s = study({ files: [10, 20] });
    await createStudy(db, senderSession, s);
    const [a, b] = s.files;
    const other = study({ files: [30] });
    await createStudy(db, senderSession, other);
    await fileUploaded(db, other.id, other.files[0]!.fileId);
    const senderColleague = await sessionFor(db, await addMember(db, { session: senderSession, user: sender.user }));
    const refused = async (who: SessionContext, fileId: string, studyId = s.id) => expectAppError(readableStudyFile(db, who, studyId, fileId), 'not_found');

    // Still uploading: the sender reads a file that arrived in full, the recipient nothing yet.
    await fileUploaded(db, s.id, a!.fileId);
    expect(await readableStudyFile(db, senderSession, s.id, a!.fileId)).toEqual({ key: uploadIdOf(radiology.orgId, s.id, a!.fileId), bytes: 10 });
    await refused(senderSession, b!.fileId);
    await refused(radiologySession, a!.fileId);

    await fileUploaded(db, s.id, b!.fileId);
    for (const who of [radiologySession, senderSession]) {
      expect((await readableStudyFile(db, who, s.id, b!.fileId)).bytes).toBe(20);
    }
    // Members without access to either mailbox, other organisations, files of another study or none.
    for (const who of [colleague, senderColleague, outsider]) await refused(who, a!.fileId);
    await refused(radiologySession, other.files[0]!.fileId);
    await refused(radiologySession, a!.fileId, other.id);
    await refused(radiologySession, uid());
    await refused(radiologySession, a!.fileId, uid());

    // The sender hid it from its log: only the recipient still reads; once the recipient deleted it, nobody.
    await deleteStudy(db, senderSession, s.id);
    await refused(senderSession, a!.fileId);
    expect((await readableStudyFile(db, radiologySession, s.id, a!.fileId)).bytes).toBe(10);
    await deleteStudy(db, radiologySession, s.id);
    await refused(radiologySession, a!.fileId);
    await deleteStudy(db, radiologySession, other.id);
    await deleteStudy(db, senderSession, other.id);
  });

  it('takes each receipt once, from a member of the recipient mailbox', async () => {
    const [first] = await listInbox(db, radiologySession);
    const r = { kind: 'opened' as const, at: new Date().toISOString(), signature: toB64u(randomBytes(64)) };
    await expectAppError(addReceipt(db, colleague, first!.id, r), 'not_found');
    await expectAppError(addReceipt(db, senderSession, first!.id, r), 'not_found');
    await addReceipt(db, radiologySession, first!.id, r);
    await addReceipt(db, radiologySession, first!.id, { ...r, at: new Date(Date.now() + 1000).toISOString() });
    expect((await studyFor(db, senderSession, first!.id)).opened?.at).toBe(r.at);
  });

  it('counts the studies per month of the plan (basis: 9)', async () => {
    const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(studies).where(eq(studies.senderOrgId, sender.orgId));
    for (let i = n; i < 9; i++) await createStudy(db, senderSession, study());
    await expectAppError(createStudy(db, senderSession, study()), 'studies_month_limit');
  });

  it('deleting: the recipient removes the files, the sender’s log keeps the entry; the row goes when both did', async () => {
    const [first] = await listInbox(db, radiologySession);
    const dir = path.join(dataDir, 'blobs', radiology.orgId, 'studies', first!.id);
    fs.mkdirSync(dir, { recursive: true });
    await deleteStudy(db, radiologySession, first!.id);
    expect(fs.existsSync(dir)).toBe(false);
    expect((await listInbox(db, radiologySession)).map((s) => s.id)).not.toContain(first!.id);
    expect((await studyFor(db, senderSession, first!.id)).recipientDeleted).toBe(true);
    await deleteStudy(db, senderSession, first!.id);
    expect(await db.select().from(studies).where(eq(studies.id, first!.id))).toEqual([]);
  });

  it('retention: received studies older than the setting go, and uploads abandoned for two weeks', async () => {
    await expectAppError(setStudySettings(db, colleague, { retentionDays: 30 }), 'forbidden');
    await setStudySettings(db, radiologySession, { retentionDays: 30 });
    const [kept] = await listInbox(db, radiologySession);
    const stale = (await listSent(db, senderSession)).find((s) => !s.complete)!;
    const later = new Date(Date.now() + 31 * 86400_000);
    expect(await purgeExpiredStudies(db, later)).toBeGreaterThanOrEqual(2);
    expect(await listInbox(db, radiologySession)).toEqual([]);
    expect((await studyFor(db, senderSession, kept!.id)).recipientDeleted).toBe(true);
    expect(await db.select().from(studyFiles).where(eq(studyFiles.studyId, stale.id))).toEqual([]);
  });

  // What the recipient's browser does with a served study (lib/client/studies/open.ts): the
  // sender keys served held against its pin, then the signature under the pinned signing key.
  function checkAsRecipient(view: TStudyView, pin: PartnerPin | null): void {
    const served: PartnerKeys = { orgId: view.sender.orgId, publicKey: view.sender.publicKey, signPublic: view.sender.signPublic };
    const trust = partnerTrust(served, pin);
    if (trust.state === 'changed') throw new CryptoError('partner_key_changed', 'the partner keys differ from the pinned ones');
    const signPublic = trust.state === 'new' ? served.signPublic : trust.pin.signPublic;
    if (!signPublic) throw new CryptoError('study_signature_invalid', 'the sending organisation has no signing key');
    assertStudySigned({
      senderOrgSignPublic: signPublic,
      signature: view.signature,
      sender: view.sender.user,
      statement: {
        studyId: view.id,
        sender: { orgId: view.sender.orgId, userId: view.sender.user?.userId ?? '', mailboxId: view.sender.mailboxId ?? '' },
        recipient: { orgId: view.recipient.orgId, mailboxId: view.recipient.mailboxId, version: view.recipient.version },
        manifestEnc: view.manifestEnc,
        keyForRecipient: view.keyForRecipient,
        keyForSender: view.keyForSender,
        files: view.fileCount,
      },
    });
  }
  /** The sender's keys as the recipient pinned them (from the sender's own registration, not from the server). */
  const pinOf = (a: Account): PartnerPin => ({ v: 1, orgId: a.orgId, publicKey: a.request.org.publicKey, signPublic: a.request.org.signPublic, pinnedAt: new Date().toISOString(), comparedAt: null });
  const refusal = (f: () => void): string | null => {
    try {
      f();
      return null;
    } catch (e) {
      if (e instanceof CryptoError) return e.code;
      throw e;
    }
  };

  /** A whole study uploaded through tus by its sender, as the browser does. */
  async function upload(session: SessionContext, s: TStudyCreate): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    for (const f of s.files) {
      const bytes = randomBytes(f.bytes);
      const created = await tus('POST', session, UPLOAD_PATH, { 'upload-length': String(f.bytes), 'upload-metadata': meta(s.id, f.fileId) });
      const res = await tus('PATCH', session, created.headers.get('location')!, { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, bytes);
      expect(res.status).toBe(204);
      out.push(bytes);
    }
    return out;
  }

  it('keeps a received study, checkable and with its files, when the sending organisation is deleted at the end of its contract', async () => {
    const leaving = await registerAccount(db, { plan: 'basis' });
    const leavingSession = await sessionFor(db, loginAsOwner(leaving));
    const leavingBox = await mailbox(leaving, leavingSession, 'Hauptpostfach', true);
    const kept = study({ from: leavingBox, by: leaving, files: [1500] });
    await createStudy(db, leavingSession, kept);
    const [bytes] = await upload(leavingSession, kept);
    // One still uploading when the sender goes: nobody can finish it, the job withdraws it.
    const halfway = study({ from: leavingBox, by: leaving, files: [100, 200] });
    await createStudy(db, leavingSession, halfway);
    await upload(leavingSession, { ...halfway, files: halfway.files.slice(0, 1) });
    expect((await listSent(db, leavingSession)).map((v) => v.id).sort()).toEqual([kept.id, halfway.id].sort());
    const before = await studyFor(db, radiologySession, kept.id);
    expect(before.sender).toMatchObject({ orgId: leaving.orgId, gone: false });

    const { endsOn } = await cancelContract(db, leavingSession);
    expect((await runContractJobs(db, endInstant(endsOn))).deletedOrganisations).toBe(1);

    // The sender's side went with it: no row names the organisation as a live sender any more.
    expect(await db.select({ id: studies.id }).from(studies).where(eq(studies.senderOrgId, leaving.orgId))).toEqual([]);
    // The recipient's side stays: listed, the sender as it was at registration, the signature checkable, the files readable.
    const listed = (await listInbox(db, radiologySession)).find((v) => v.id === kept.id)!;
    expect(listed.sender).toMatchObject({ orgId: leaving.orgId, orgName: before.sender.orgName, gone: true, mailboxId: leavingBox.id, publicKey: leaving.request.org.publicKey });
    expect(listed.sender.user).toMatchObject({ userId: leaving.userId, orgId: leaving.orgId });
    const view = await studyFor(db, radiologySession, kept.id);
    expect(refusal(() => checkAsRecipient(view, pinOf(leaving)))).toBeNull();
    const fileId = kept.files[0]!.fileId;
    expect((await readableStudyFile(db, radiologySession, kept.id, fileId)).bytes).toBe(1500);
    const downloaded = await new Response((await openStudyFile(db, radiologySession, kept.id, fileId)).body).arrayBuffer();
    expect(Buffer.compare(Buffer.from(downloaded), Buffer.from(bytes!))).toBe(0);

    // The half-sent one is withdrawn at the next run, with its partial files.
    const partial = path.join(dataDir, 'blobs', radiology.orgId, 'studies', halfway.id);
    expect(fs.existsSync(partial)).toBe(true);
    await purgeExpiredStudies(db);
    expect(await db.select({ id: studies.id }).from(studies).where(eq(studies.id, halfway.id))).toEqual([]);
    expect(fs.existsSync(partial)).toBe(false);
    expect((await listInbox(db, radiologySession)).map((v) => v.id)).toContain(kept.id);

    // Deleting it as recipient removes the row and the files: nobody else holds it.
    const dir = path.join(dataDir, 'blobs', radiology.orgId, 'studies', kept.id);
    expect(fs.existsSync(dir)).toBe(true);
    await deleteStudy(db, radiologySession, kept.id);
    expect(await db.select({ id: studies.id }).from(studies).where(eq(studies.id, kept.id))).toEqual([]);
    expect(await db.select().from(studyFiles).where(eq(studyFiles.studyId, kept.id))).toEqual([]);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('keeps the signer of a study whose sending member was removed; a snapshot the server rewrites is refused', async () => {
    const clinic = await registerAccount(db, { plan: 'basis' });
    const clinicSession = await sessionFor(db, loginAsOwner(clinic));
    const doc = await addMember(db, { session: clinicSession, user: clinic.user });
    const box = await mailbox(clinic, clinicSession, 'Hauptpostfach', true, [doc.userId]);
    const sent = study({ from: box, by: doc, files: [10, 20] });
    await createStudy(db, await sessionFor(db, doc), sent);
    for (const f of sent.files) await fileUploaded(db, sent.id, f.fileId);
    const pin = pinOf(clinic);
    const before = await studyFor(db, radiologySession, sent.id);
    expect(refusal(() => checkAsRecipient(before, pin))).toBeNull();

    await removeMember(db, clinicSession, doc.userId);
    // The live row no longer certifies the member (the removal drops the certificate) …
    const [live] = await db.select({ memberCert: users.memberCert }).from(users).where(eq(users.id, doc.userId));
    expect(live.memberCert).toBeNull();
    // … the study still carries the signer as it signed, checkable under the pinned signing key.
    const view = await studyFor(db, radiologySession, sent.id);
    expect(view.sender.user).toMatchObject({ userId: doc.userId, orgId: clinic.orgId, memberCert: expect.any(String) });
    expect(view.sender.gone).toBe(false);
    expect(refusal(() => checkAsRecipient(view, pin))).toBeNull();
    // Trust on first use (no pin yet) accepts what is served, as for any first study.
    expect(refusal(() => checkAsRecipient(view, null))).toBeNull();

    const [{ snapshot }] = await db.select({ snapshot: studies.senderSnapshot }).from(studies).where(eq(studies.id, sent.id));
    const rewrite = async (patch: Record<string, unknown>, signature?: string) => {
      await db.execute(sql`update studies set sender_snapshot = ${JSON.stringify({ ...snapshot, ...patch })}::jsonb, signature = ${signature ?? sent.signature} where id = ${sent.id}`);
      return studyFor(db, radiologySession, sent.id);
    };
    // A server that puts its own signing key and a member it certified itself in place, and signs the study anew.
    const forgedOrg = generateEd25519();
    const forgedMember = generateEd25519();
    const forgedUser = { ...snapshot!.user!, ed25519Public: toB64u(forgedMember.publicKey) };
    forgedUser.memberCert = issueMemberCert(forgedOrg.privateKey, forgedUser);
    const resigned = signStudy(forgedMember.privateKey, {
      studyId: sent.id,
      sender: { orgId: clinic.orgId, userId: doc.userId, mailboxId: box.id },
      recipient: { orgId: radiology.orgId, mailboxId: department.id, version: department.version },
      manifestEnc: sent.manifestEnc,
      keyForRecipient: sent.keyForRecipient,
      keyForSender: sent.keyForSender,
      files: sent.files.length,
    });
    const forged = await rewrite({ signPublic: toB64u(forgedOrg.publicKey), user: forgedUser }, resigned);
    expect(refusal(() => checkAsRecipient(forged, pin))).toBe('partner_key_changed');
    // The same member certificate under the real (pinned) key served: the certificate does not verify.
    const sameKey = await rewrite({ user: forgedUser }, resigned);
    expect(refusal(() => checkAsRecipient(sameKey, pin))).toBe('study_signature_invalid');
    // Another member's certificate (the organisation's owner's) for the signer.
    const [owner] = await db.select().from(users).where(eq(users.id, clinic.userId));
    const otherCert = await rewrite({ user: { ...snapshot!.user!, memberCert: owner.memberCert } });
    expect(refusal(() => checkAsRecipient(otherCert, pin))).toBe('study_signature_invalid');
    // Another signer altogether (the owner, who did not sign).
    const otherSigner = await rewrite({ user: { userId: owner.id, orgId: owner.orgId, x25519Public: owner.x25519Public, ed25519Public: owner.ed25519Public, memberCert: owner.memberCert, shortName: owner.shortName } });
    expect(refusal(() => checkAsRecipient(otherSigner, pin))).toBe('study_signature_invalid');
    // Put back as kept, it checks again.
    const restored = await rewrite({});
    expect(refusal(() => checkAsRecipient(restored, pin))).toBeNull();
  });
  it('keeps a receipt checkable after the recipient member who signed it was removed; a signer the server swaps is refused', async () => {
    const reader = await addMember(db, { session: radiologySession, user: radiology.user });
    const ward = await mailbox(radiology, radiologySession, 'Station', false, [reader.userId]);
    const sent = study({ to: { orgId: radiology.orgId, box: ward }, files: [10] });
    await createStudy(db, senderSession, sent);
    await fileUploaded(db, sent.id, sent.files[0]!.fileId);
    const receipt: Receipt = { studyId: sent.id, kind: 'opened', orgId: radiology.orgId, userId: reader.userId, at: new Date().toISOString() };
    await addReceipt(db, await sessionFor(db, reader), sent.id, { kind: 'opened', at: receipt.at, signature: signReceipt(reader.user.ed25519Private, receipt) });
    // What the sender's browser checks: the signer served, against the recipient's signing key as pinned.
    const valid = async () => {
      const { opened } = await studyFor(db, senderSession, sent.id);
      return receiptValid({ recipientOrgSignPublic: radiology.request.org.signPublic!, receipt, signature: opened?.signature, signer: opened?.by });
    };
    expect(await valid()).toBe(true);

    await removeMember(db, radiologySession, reader.userId);
    const [live] = await db.select({ memberCert: users.memberCert }).from(users).where(eq(users.id, reader.userId));
    expect(live.memberCert).toBeNull();
    expect((await studyFor(db, senderSession, sent.id)).opened?.by).toMatchObject({ userId: reader.userId, memberCert: expect.any(String) });
    expect(await valid()).toBe(true);

    const [{ kept }] = await db.select({ kept: studies.openedSigner }).from(studies).where(eq(studies.id, sent.id));
    const swap = (signer: unknown) => db.execute(sql`update studies set opened_signer = ${JSON.stringify(signer)}::jsonb where id = ${sent.id}`);
    // A key of the server's making, certified by a signing key of its own.
    const forgedOrg = generateEd25519();
    const forged = { ...kept!, ed25519Public: toB64u(generateEd25519().publicKey) };
    await swap({ ...forged, memberCert: issueMemberCert(forgedOrg.privateKey, forged) });
    expect(await valid()).toBe(false);
    // Another member (the owner, who signed nothing) for the signer.
    const [owner] = await db.select().from(users).where(eq(users.id, radiology.userId));
    await swap({ userId: owner.id, orgId: owner.orgId, x25519Public: owner.x25519Public, ed25519Public: owner.ed25519Public, memberCert: owner.memberCert, shortName: owner.shortName });
    expect(await valid()).toBe(false);
    await swap(kept);
    expect(await valid()).toBe(true);
  });
  it('sends the notice to the mailbox’s own address once an admin set one; only an admin of its organisation may', async () => {
    await expectAppError(setMailboxNotice(db, colleague, department.id, { email: 'unfall@radiologie.example' }), 'forbidden');
    await expectAppError(setMailboxNotice(db, outsider, department.id, { email: 'unfall@radiologie.example' }), 'not_found');
    await setMailboxNotice(db, radiologySession, department.id, { email: 'unfall@radiologie.example' });
    expect((await listMailboxes(db, radiologySession)).find((b) => b.id === department.id)!.noticeEmail).toBe('unfall@radiologie.example');
    // The notices a completed study adds (by id: rows the outbox worker updates change their order on disk).
    const seen = new Set<string>();
    const newNotices = async () => {
      const rows = (await db.select().from(outbox).where(eq(outbox.template, 'study_received'))).filter((m) => m.orgId === radiology.orgId && !seen.has(m.id));
      for (const m of rows) seen.add(m.id);
      return rows.map((m) => m.recipient);
    };
    await newNotices();
    const s = study({ files: [10] });
    await createStudy(db, senderSession, s);
    await fileUploaded(db, s.id, s.files[0]!.fileId);
    expect(await newNotices()).toEqual(['unfall@radiologie.example']);
    // Emptied: the organisation's address again.
    await setMailboxNotice(db, radiologySession, department.id, { email: '' });
    const t = study({ files: [10] });
    await createStudy(db, senderSession, t);
    await fileUploaded(db, t.id, t.files[0]!.fileId);
    expect(await newNotices()).toEqual([radiology.email]);
  });
});
