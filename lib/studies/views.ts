import 'server-only';
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { mailboxes, organisations, studies, studyFiles } from '@/lib/db/schema';
import { AppError } from '@/lib/core/errors';
import type { SessionContext } from '@/lib/auth/sessions';
import { signersByIds, type TSigner } from '@/lib/members/sealer';
import { myMailboxIds } from './access';

// Studies as a member's browser receives them: the inbox, the send log and
// one study, with everything needed to check and open each (lib/client/studies/open.ts).

const s = studies;

export type TStudyReceipt = { at: string; by: TSigner | null; signature: string } | null;

/**
 * What a browser needs to check and open a study: addresses, sealed keys,
 * signature, and the signers to check them against. The sender's keys and
 * member are those kept at registration (what was signed then; the live ones
 * for older rows), its name the live one while it exists (`gone` once it was
 * deleted).
 */
export type TStudyView = {
  id: string;
  box: 'inbox' | 'sent';
  complete: boolean;
  createdAt: Date;
  completedAt: Date | null;
  fileCount: number;
  bytes: number;
  manifestEnc: string;
  keyForRecipient: string;
  keyForSender: string;
  signature: string;
  sender: { orgId: string; orgName: string; gone: boolean; publicKey: string; signPublic: string | null; mailboxId: string | null; mailboxName: string | null; version: number; user: TSigner | null };
  recipient: { orgId: string; orgName: string; publicKey: string; signPublic: string | null; mailboxId: string; mailboxName: string; version: number };
  delivered: TStudyReceipt;
  opened: TStudyReceipt;
  recipientDeleted: boolean;
};

async function views(db: DbOrTx, rows: (typeof s.$inferSelect)[], box: 'inbox' | 'sent'): Promise<TStudyView[]> {
  if (!rows.length) return [];
  const orgIds = [...new Set(rows.flatMap((r) => [r.senderOrgId, r.recipientOrgId]).filter((x): x is string => !!x))];
  const orgs = new Map(
    (
      await db
        .select({ id: organisations.id, name: organisations.name, publicKey: organisations.publicKey, signPublic: organisations.signPublic })
        .from(organisations)
        .where(inArray(organisations.id, orgIds))
    ).map((o) => [o.id, o]),
  );
  const boxIds = [...new Set(rows.flatMap((r) => [r.senderMailboxId, r.recipientMailboxId]).filter((x): x is string => !!x))];
  const boxes = new Map((await db.select({ id: mailboxes.id, name: mailboxes.name }).from(mailboxes).where(inArray(mailboxes.id, boxIds))).map((b) => [b.id, b.name]));
  const signers = await signersByIds(
    db,
    rows.flatMap((r) => [r.senderSnapshot ? null : r.senderUserId, r.deliveredSigner ? null : r.deliveredBy, r.openedSigner ? null : r.openedBy]),
  );
  // The signer kept with the receipt; the live member for receipts from before that was kept.
  const receipt = (at: string | null, by: string | null, sig: string | null, kept: TSigner | null): TStudyReceipt =>
    at && sig ? { at, by: kept ?? ((by && signers.get(by)) || null), signature: sig } : null;
  return rows.map((r) => {
    const live = r.senderOrgId ? orgs.get(r.senderOrgId) : undefined;
    // Rows from before the snapshot: the live keys, as before (nothing for a sender gone since).
    const kept = r.senderSnapshot ?? {
      orgId: live?.id ?? '',
      orgName: live?.name ?? '',
      publicKey: live?.publicKey ?? '',
      signPublic: live?.signPublic ?? null,
      mailboxId: r.senderMailboxId ?? '',
      user: (r.senderUserId && signers.get(r.senderUserId)) || null,
    };
    const ro = orgs.get(r.recipientOrgId)!;
    return {
      id: r.id,
      box,
      complete: r.complete,
      createdAt: r.createdAt,
      completedAt: r.completedAt,
      fileCount: r.fileCount,
      bytes: r.bytes,
      manifestEnc: r.manifestEnc,
      keyForRecipient: r.keyForRecipient,
      keyForSender: r.keyForSender,
      signature: r.signature,
      sender: {
        orgId: kept.orgId,
        orgName: live?.name ?? kept.orgName,
        gone: !live,
        publicKey: kept.publicKey,
        signPublic: kept.signPublic,
        mailboxId: kept.mailboxId,
        mailboxName: r.senderMailboxId ? (boxes.get(r.senderMailboxId) ?? null) : null,
        version: r.senderKeyVersion,
        user: kept.user,
      },
      recipient: {
        orgId: ro.id,
        orgName: ro.name,
        publicKey: ro.publicKey,
        signPublic: ro.signPublic,
        mailboxId: r.recipientMailboxId,
        mailboxName: boxes.get(r.recipientMailboxId) ?? '',
        version: r.recipientKeyVersion,
      },
      delivered: receipt(r.deliveredAt, r.deliveredBy, r.deliveredSig, r.deliveredSigner),
      opened: receipt(r.openedAt, r.openedBy, r.openedSig, r.openedSigner),
      recipientDeleted: !!r.recipientDeletedAt,
    };
  });
}

const LIST_LIMIT = 500;

/** Received studies, complete, in the mailboxes this member may use. */
export async function listInbox(db: DbOrTx, session: SessionContext): Promise<TStudyView[]> {
  const ids = await myMailboxIds(db, session);
  if (!ids.length) return [];
  const rows = await db
    .select()
    .from(s)
    .where(and(inArray(s.recipientMailboxId, ids), eq(s.complete, true), isNull(s.recipientDeletedAt)))
    .orderBy(desc(s.completedAt))
    .limit(LIST_LIMIT);
  return views(db, rows, 'inbox');
}

/** The send log: studies sent from the mailboxes this member may use, complete or still uploading. */
export async function listSent(db: DbOrTx, session: SessionContext): Promise<TStudyView[]> {
  const ids = await myMailboxIds(db, session);
  if (!ids.length) return [];
  const rows = await db
    .select()
    .from(s)
    .where(and(eq(s.senderOrgId, session.orgId), inArray(s.senderMailboxId, ids), isNull(s.senderDeletedAt)))
    .orderBy(desc(s.createdAt))
    .limit(LIST_LIMIT);
  return views(db, rows, 'sent');
}

/** One study as its recipient or its sender sees it; anyone else gets not_found. */
export async function studyFor(db: DbOrTx, session: SessionContext, id: string): Promise<TStudyView & { files: { fileId: string; bytes: number; complete: boolean }[] }> {
  const ids = await myMailboxIds(db, session);
  const [row] = await db.select().from(s).where(eq(s.id, id));
  if (!row) throw new AppError('not_found');
  const asRecipient = ids.includes(row.recipientMailboxId) && row.complete && !row.recipientDeletedAt;
  const asSender = row.senderOrgId === session.orgId && !!row.senderMailboxId && ids.includes(row.senderMailboxId) && !row.senderDeletedAt;
  if (!asRecipient && !asSender) throw new AppError('not_found');
  const [view] = await views(db, [row], asRecipient ? 'inbox' : 'sent');
  const files = await db.select({ fileId: studyFiles.fileId, bytes: studyFiles.bytes, complete: studyFiles.complete }).from(studyFiles).where(eq(studyFiles.studyId, id));
  return { ...view, files };
}
