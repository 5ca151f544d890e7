import 'server-only';
import { and, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db/client';
import { mailboxes, mailboxMembers, organisations, studies, studyFiles, type StudySenderSnapshot } from '@/lib/db/schema';
import { AppError } from '@/lib/core/errors';
import { isUniqueViolation } from '@/lib/db/errors';
import { getConfig } from '@/lib/core/config';
import { now } from '@/lib/core/clock';
import type { SessionContext } from '@/lib/auth/sessions';
import { requireAdmin } from '@/lib/auth/sessions';
import { planOf } from '@/lib/plans/plans';
import { berlinMonth, zonedToUtc } from '@/lib/time/berlin';
import { signersByIds } from '@/lib/members/sealer';
import { channels, publish } from '@/lib/server/bus';
import { enqueueEmail } from '@/lib/messaging/outbox';
import { blobStore } from '@/lib/blobs/store';
import type { TReceipt, TStudyCreate, TStudySettings } from './schemas';
import { myMailboxes } from './access';
import { studyFor } from './views';

const s = studies;

// A study's encrypted files live in the blob store (lib/blobs) below the
// receiving organisation's prefix, which its contract deletion removes.
const studyPrefix = (recipientOrgId: string, studyId: string) => `${recipientOrgId}/studies/${studyId}/`;
/** The upload id (tus) of one file, which is also its key in the blob store. */
export const uploadIdOf = (recipientOrgId: string, studyId: string, fileId: string) => `${studyPrefix(recipientOrgId, studyId)}${fileId}`;

/** Encrypted bytes a mailbox holds (studies received and not deleted, complete or still arriving). */
export async function mailboxUsage(db: DbOrTx, mailboxIds: string[]): Promise<Map<string, { bytes: number; studies: number }>> {
  if (!mailboxIds.length) return new Map();
  const rows = await db
    .select({ id: s.recipientMailboxId, bytes: sql<string>`coalesce(sum(${s.bytes}), 0)`, n: sql<number>`count(*)::int` })
    .from(s)
    .where(and(inArray(s.recipientMailboxId, mailboxIds), isNull(s.recipientDeletedAt)))
    .groupBy(s.recipientMailboxId);
  return new Map(rows.map((r) => [r.id, { bytes: Number(r.bytes), studies: r.n }]));
}

const monthStart = (at: Date) => zonedToUtc(`${berlinMonth(at)}-01`, '00:00');

/** Studies the organisation sent this calendar month (Berlin), and what its plan allows. */
export async function monthlySends(db: DbOrTx, orgId: string): Promise<{ sent: number; limit: number | null }> {
  const [org] = await db.select({ plan: organisations.plan }).from(organisations).where(eq(organisations.id, orgId));
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(s)
    .where(and(eq(s.senderOrgId, orgId), gte(s.createdAt, monthStart(now()))));
  return { sent: row?.n ?? 0, limit: planOf(org?.plan ?? 'basis').studies.perMonth };
}

/**
 * Registers a study before its files are uploaded. Checked here, before a
 * single byte moves: the sender may use the sending mailbox, both key
 * versions are current, the recipient is listed in the directory (or is the
 * sender's own organisation), the plan's studies per month and the recipient
 * mailbox's space. The sender's public keys are kept with the study, so its
 * recipient can still check it after the sender left (member removed,
 * organisation deleted) — against its own pin of the sender, as before.
 */
export async function createStudy(db: Db, session: SessionContext, input: TStudyCreate): Promise<{ id: string }> {
  const bytes = input.files.reduce((a, f) => a + f.bytes, 0);
  await db
    .transaction(async (tx) => {
    // One sender at a time per organisation, so two tabs cannot both take the last study of the month.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`studies:${session.orgId}`}))`);
    const [own] = await tx
      .select({ version: mailboxes.keyVersion })
      .from(mailboxes)
      .innerJoin(mailboxMembers, and(eq(mailboxMembers.mailboxId, mailboxes.id), eq(mailboxMembers.userId, session.userId)))
      .where(and(eq(mailboxes.id, input.sender.mailboxId), eq(mailboxes.orgId, session.orgId)));
    if (!own) throw new AppError('not_found');
    const [to] = await tx
      .select({ orgId: mailboxes.orgId, version: mailboxes.keyVersion, listed: organisations.directoryVisible, plan: organisations.plan })
      .from(mailboxes)
      .innerJoin(organisations, eq(organisations.id, mailboxes.orgId))
      .where(and(eq(mailboxes.id, input.recipient.mailboxId), eq(mailboxes.orgId, input.recipient.orgId)));
    if (!to || (!to.listed && to.orgId !== session.orgId)) throw new AppError('not_found');
    // A key version that moved on since the browser read it: read again and seal to the new one.
    if (own.version !== input.sender.version || to.version !== input.recipient.version) throw new AppError('study_key_outdated');
    const { sent, limit } = await monthlySends(tx, session.orgId);
    if (limit !== null && sent >= limit) throw new AppError('studies_month_limit', { detail: String(limit) });
    const used = (await mailboxUsage(tx, [input.recipient.mailboxId])).get(input.recipient.mailboxId)?.bytes ?? 0;
    if (used + bytes > planOf(to.plan).studies.mailboxBytes) throw new AppError('mailbox_full');
    const [from] = await tx
      .select({ name: organisations.name, publicKey: organisations.publicKey, signPublic: organisations.signPublic })
      .from(organisations)
      .where(eq(organisations.id, session.orgId));
    if (!from) throw new AppError('not_found');
    const senderSnapshot: StudySenderSnapshot = {
      orgId: session.orgId,
      orgName: from.name,
      publicKey: from.publicKey,
      signPublic: from.signPublic,
      mailboxId: input.sender.mailboxId,
      user: (await signersByIds(tx, [session.userId])).get(session.userId) ?? null,
    };
    await tx.insert(s).values({
      id: input.id,
      senderOrgId: session.orgId,
      senderUserId: session.userId,
      senderMailboxId: input.sender.mailboxId,
      senderKeyVersion: input.sender.version,
      recipientOrgId: input.recipient.orgId,
      recipientMailboxId: input.recipient.mailboxId,
      recipientKeyVersion: input.recipient.version,
      manifestEnc: input.manifestEnc,
      keyForRecipient: input.keyForRecipient,
      keyForSender: input.keyForSender,
      signature: input.signature,
      senderSnapshot,
      fileCount: input.files.length,
      bytes,
    });
    await tx.insert(studyFiles).values(input.files.map((f) => ({ studyId: input.id, fileId: f.fileId, bytes: f.bytes })));
    })
    .catch((e: unknown) => {
      // The same study registered twice (a second click, a retried request).
      throw isUniqueViolation(e) ? new AppError('conflict') : e;
    });
  return { id: input.id };
}

/** The file of a study its sender is uploading: only the sending member, only while the study is incomplete. */
export async function uploadTarget(db: DbOrTx, session: SessionContext, studyId: string, fileId: string) {
  const [row] = await db
    .select({ recipientOrgId: s.recipientOrgId, senderUserId: s.senderUserId, complete: s.complete, bytes: studyFiles.bytes, fileComplete: studyFiles.complete })
    .from(s)
    .innerJoin(studyFiles, and(eq(studyFiles.studyId, s.id), eq(studyFiles.fileId, fileId)))
    .where(and(eq(s.id, studyId), eq(s.senderOrgId, session.orgId)));
  if (!row || row.senderUserId !== session.userId) throw new AppError('not_found');
  return { ...row, uploadId: uploadIdOf(row.recipientOrgId, studyId, fileId) };
}

/** A file arrived in full. The last one completes the study: the recipients see it live and get a notice without patient data. */
export async function fileUploaded(db: Db, studyId: string, fileId: string): Promise<void> {
  await db.transaction(async (tx) => {
    // Files finish in parallel: one at a time per study, so the last one sees all the others complete.
    await tx.select({ id: s.id }).from(s).where(eq(s.id, studyId)).for('update');
    await tx.update(studyFiles).set({ complete: true }).where(and(eq(studyFiles.studyId, studyId), eq(studyFiles.fileId, fileId)));
    const [left] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(studyFiles)
      .where(and(eq(studyFiles.studyId, studyId), eq(studyFiles.complete, false)));
    if (left.n > 0) return;
    const [done] = await tx
      .update(s)
      .set({ complete: true, completedAt: now() })
      .where(and(eq(s.id, studyId), eq(s.complete, false)))
      .returning();
    if (!done) return;
    await publish(db, tx, channels.org(done.recipientOrgId), { kind: 'study', studyId, mailboxId: done.recipientMailboxId });
    if (done.senderOrgId) await publish(db, tx, channels.org(done.senderOrgId), { kind: 'study', studyId, mailboxId: done.recipientMailboxId });
    const [info] = await tx
      .select({ to: sql<string>`coalesce(${mailboxes.noticeEmail}, ${organisations.email})`, orgName: organisations.name, mailboxName: mailboxes.name })
      .from(mailboxes)
      .innerJoin(organisations, eq(organisations.id, mailboxes.orgId))
      .where(eq(mailboxes.id, done.recipientMailboxId));
    const [live] = done.senderOrgId ? await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, done.senderOrgId)) : [];
    const from = live ?? (done.senderSnapshot ? { name: done.senderSnapshot.orgName } : undefined);
    if (info && from) {
      await enqueueEmail(tx, {
        orgId: done.recipientOrgId,
        to: info.to,
        locale: 'de',
        template: 'study_received',
        vars: { orgName: info.orgName, mailboxName: info.mailboxName, senderOrgName: from.name, studiesUrl: `${getConfig().appUrl}/app/studien` },
      });
    }
  });
}

/**
 * Which file a download may read: recipients of the complete study (and its
 * sender, while the recipient keeps it), a file of this study that arrived in
 * full. One query on the rows; nothing of the study is assembled.
 */
export async function readableStudyFile(db: DbOrTx, session: SessionContext, id: string, fileId: string): Promise<{ key: string; bytes: number }> {
  const mine = myMailboxes(db, session);
  const [row] = await db
    .select({ recipientOrgId: s.recipientOrgId, bytes: studyFiles.bytes })
    .from(s)
    .innerJoin(studyFiles, and(eq(studyFiles.studyId, s.id), eq(studyFiles.fileId, fileId), eq(studyFiles.complete, true)))
    .where(
      and(
        eq(s.id, id),
        isNull(s.recipientDeletedAt),
        or(
          and(eq(s.complete, true), inArray(s.recipientMailboxId, mine)),
          and(eq(s.senderOrgId, session.orgId), isNull(s.senderDeletedAt), inArray(s.senderMailboxId, mine)),
        ),
      ),
    );
  if (!row) throw new AppError('not_found');
  return { key: uploadIdOf(row.recipientOrgId, id, fileId), bytes: row.bytes };
}

/** The encrypted file for a download, streamed from the blob store as it was uploaded. */
export async function openStudyFile(db: DbOrTx, session: SessionContext, id: string, fileId: string): Promise<{ body: ReadableStream<Uint8Array>; bytes: number }> {
  const file = await readableStudyFile(db, session, id, fileId);
  const blob = await (await blobStore()).read(file.key);
  if (blob && blob.bytes === file.bytes) return blob;
  await blob?.body.cancel();
  throw new AppError('not_found');
}

/** A receipt from a recipient member's browser; each kind once. The sender's browser checks the signature. */
export async function addReceipt(db: Db, session: SessionContext, id: string, input: TReceipt): Promise<void> {
  const study = await studyFor(db, session, id);
  if (study.box !== 'inbox') throw new AppError('not_found');
  // The signer as now certified, kept with the receipt (the live row loses its certificate when the member is removed).
  const signer = (await signersByIds(db, [session.userId])).get(session.userId) ?? null;
  const cols =
    input.kind === 'delivered'
      ? { deliveredAt: input.at, deliveredBy: session.userId, deliveredSig: input.signature, deliveredSigner: signer }
      : { openedAt: input.at, openedBy: session.userId, openedSig: input.signature, openedSigner: signer };
  const already = input.kind === 'delivered' ? s.deliveredAt : s.openedAt;
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(s)
      .set(cols)
      .where(and(eq(s.id, id), isNull(already)))
      .returning({ senderOrgId: s.senderOrgId, mailboxId: s.recipientMailboxId });
    if (row?.senderOrgId) await publish(db, tx, channels.org(row.senderOrgId), { kind: 'study', studyId: id, mailboxId: row.mailboxId });
  });
}

/** A study's files, partial uploads included. */
async function removeBlobs(recipientOrgId: string, studyId: string) {
  await (await blobStore()).removePrefix(studyPrefix(recipientOrgId, studyId));
}

/** Both sides are done with a study: each deleted it, or the recipient did and the sender organisation is gone. */
const bothDone = sql`${s.recipientDeletedAt} is not null and (${s.senderDeletedAt} is not null or ${s.senderOrgId} is null)`;

/** Deleting a received study removes its files; the sender's log keeps the entry. Hiding a sent one only hides it. The row goes when both did (or the sender is gone). */
export async function deleteStudy(db: Db, session: SessionContext, id: string): Promise<void> {
  const study = await studyFor(db, session, id);
  const at = now();
  if (study.box === 'inbox') {
    await db.update(s).set({ recipientDeletedAt: at }).where(eq(s.id, id));
    await removeBlobs(study.recipient.orgId, id);
  } else {
    await db.update(s).set({ senderDeletedAt: at }).where(eq(s.id, id));
    // A study that never arrived in full is withdrawn: its partial files go too.
    if (!study.complete) {
      await db.update(s).set({ recipientDeletedAt: at }).where(eq(s.id, id));
      await removeBlobs(study.recipient.orgId, id);
    }
  }
  await db.delete(s).where(and(eq(s.id, id), bothDone));
}

export async function studySettings(db: DbOrTx, session: SessionContext): Promise<TStudySettings> {
  const [org] = await db.select({ days: organisations.studyRetentionDays }).from(organisations).where(eq(organisations.id, session.orgId));
  return { retentionDays: org?.days ?? null };
}

export async function setStudySettings(db: DbOrTx, session: SessionContext, input: TStudySettings): Promise<void> {
  requireAdmin(session);
  await db.update(organisations).set({ studyRetentionDays: input.retentionDays }).where(eq(organisations.id, session.orgId));
}

/** An upload nobody resumed for this long is withdrawn with its partial files. */
export const ABANDONED_UPLOAD_DAYS = 14;

/**
 * The retention job: received studies older than their organisation's
 * setting are deleted with their files, and so are uploads abandoned halfway
 * or whose sender organisation was deleted before they were complete. Rows
 * both sides are done with go (a sent study the recipient deleted, once its
 * sender is gone).
 */
export async function purgeExpiredStudies(db: Db, at: Date = now()): Promise<number> {
  const expired = sql`${organisations.studyRetentionDays} is not null and ${s.createdAt} < ${at.toISOString()}::timestamptz - make_interval(days => ${organisations.studyRetentionDays})`;
  const abandoned = sql`not ${s.complete} and (${s.senderOrgId} is null or ${s.createdAt} < ${at.toISOString()}::timestamptz - make_interval(days => ${ABANDONED_UPLOAD_DAYS}))`;
  const due = await db
    .select({ id: s.id, recipientOrgId: s.recipientOrgId, complete: s.complete })
    .from(s)
    .innerJoin(organisations, eq(organisations.id, s.recipientOrgId))
    .where(and(isNull(s.recipientDeletedAt), sql`((${expired}) or (${abandoned}))`));
  for (const d of due) {
    await db
      .update(s)
      .set(d.complete ? { recipientDeletedAt: at } : { recipientDeletedAt: at, senderDeletedAt: at })
      .where(eq(s.id, d.id));
    await removeBlobs(d.recipientOrgId, d.id);
  }
  await db.delete(s).where(bothDone);
  return due.length;
}
