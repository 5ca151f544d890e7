import 'server-only';
import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db/client';
import { mailboxes, mailboxKeyGrants, mailboxKeys, mailboxMembers, organisations, users } from '@/lib/db/schema';
import { AppError } from '@/lib/core/errors';
import { isUniqueViolation } from '@/lib/db/errors';
import { requireAdmin, type SessionContext } from '@/lib/auth/sessions';
import { requireFeature } from '@/lib/plans/gate';
import { planOf } from '@/lib/plans/plans';
import { refreshDirectoryEntry } from '@/lib/directory/service';
import { mailboxUsage } from '@/lib/studies/service';
import type { TMailboxAccess, TMailboxCreate, TMailboxNotice } from './schemas';

const m = mailboxes;

async function mailboxOf(tx: DbOrTx, session: SessionContext, id: string) {
  const [row] = await tx.select().from(m).where(and(eq(m.id, id), eq(m.orgId, session.orgId)));
  if (!row) throw new AppError('not_found');
  return row;
}

/** Members who can hold a mailbox key: active, of this organisation, with keys the organisation certified. */
async function assertCertifiedMembers(tx: DbOrTx, orgId: string, ids: string[]) {
  const unique = [...new Set(ids)];
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.orgId, orgId), inArray(users.id, unique), eq(users.status, 'active'), isNotNull(users.memberCert)));
  if (rows.length !== unique.length) throw new AppError('validation', { fields: { members: 'invalidChoice' } });
  return unique;
}

/** Everyone with access must hold every key version: a gap would be a member who cannot open part of the mailbox. */
async function assertGrantsComplete(tx: DbOrTx, mailboxId: string) {
  const members = await tx.select({ userId: mailboxMembers.userId }).from(mailboxMembers).where(eq(mailboxMembers.mailboxId, mailboxId));
  const versions = await tx.select({ version: mailboxKeys.version }).from(mailboxKeys).where(eq(mailboxKeys.mailboxId, mailboxId));
  const held = new Set(
    (await tx.select({ userId: mailboxKeyGrants.userId, version: mailboxKeyGrants.version }).from(mailboxKeyGrants).where(eq(mailboxKeyGrants.mailboxId, mailboxId))).map(
      (g) => `${g.userId}/${g.version}`,
    ),
  );
  if (members.some((mm) => versions.some((k) => !held.has(`${mm.userId}/${k.version}`)))) throw new AppError('mailbox_grants_incomplete');
}

async function writeGrants(tx: DbOrTx, session: SessionContext, mailboxId: string, grants: TMailboxCreate['grants'], members: string[]) {
  const allowed = new Set(members);
  if (grants.some((g) => !allowed.has(g.userId))) throw new AppError('validation', { fields: { grants: 'invalidChoice' } });
  if (!grants.length) return;
  await tx
    .insert(mailboxKeyGrants)
    .values(grants.map((g) => ({ mailboxId, version: g.version, userId: g.userId, sealedPrivate: g.sealedPrivate, signature: g.signature, sealedBy: session.userId })))
    .onConflictDoNothing();
}

export async function createMailbox(db: Db, session: SessionContext, input: TMailboxCreate): Promise<void> {
  requireAdmin(session);
  if (input.key.version !== 1 || input.grants.some((g) => g.version !== 1)) throw new AppError('validation', { fields: { key: 'invalid' } });
  await db.transaction(async (tx) => {
    const existing = await tx.select({ id: m.id, isMain: m.isMain }).from(m).where(eq(m.orgId, session.orgId));
    // The main mailbox comes with every plan; more of them are a plus feature.
    if (!input.isMain || existing.some((x) => x.isMain)) {
      if (input.isMain) throw new AppError('conflict');
      await requireFeature(tx, session.orgId, 'additionalMailboxes');
    }
    const members = await assertCertifiedMembers(tx, session.orgId, [...input.members, session.userId]);
    try {
      await tx.insert(m).values({ id: input.id, orgId: session.orgId, name: input.name, isMain: input.isMain, keyVersion: 1 });
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError('mailbox_name_taken', { fields: { name: 'mailboxNameTaken' } });
      throw e;
    }
    await tx.insert(mailboxKeys).values({ mailboxId: input.id, version: 1, publicKey: input.key.publicKey, cert: input.key.cert });
    await tx.insert(mailboxMembers).values(members.map((userId) => ({ mailboxId: input.id, userId })));
    await writeGrants(tx, session, input.id, input.grants, members);
    await assertGrantsComplete(tx, input.id);
    // Partners find the organisation by its mailboxes' names too.
    await refreshDirectoryEntry(tx, session.orgId);
  }).catch((e: unknown) => {
    // A second browser that made the main mailbox at the same moment: same outcome, one main mailbox.
    if (isUniqueViolation(e)) throw new AppError('conflict');
    throw e;
  });
}

/**
 * Sets who may use a mailbox. Someone removed is cut off from what comes
 * after by a new key version; everyone who keeps access must be handed every
 * version (grants), which the server checks but cannot open.
 */
export async function setMailboxAccess(db: Db, session: SessionContext, mailboxId: string, input: TMailboxAccess): Promise<void> {
  requireAdmin(session);
  await db.transaction(async (tx) => {
    const box = await mailboxOf(tx, session, mailboxId);
    const members = await assertCertifiedMembers(tx, session.orgId, [...input.members, session.userId]);
    const before = (await tx.select({ userId: mailboxMembers.userId }).from(mailboxMembers).where(eq(mailboxMembers.mailboxId, mailboxId))).map((r) => r.userId);
    const removed = before.filter((u) => !members.includes(u));
    if ((removed.length || box.rekeyNeeded) && input.newKey?.version !== box.keyVersion + 1) throw new AppError('mailbox_grants_incomplete');
    if (input.newKey) {
      if (input.newKey.version !== box.keyVersion + 1) throw new AppError('conflict');
      await tx.insert(mailboxKeys).values({ mailboxId, version: input.newKey.version, publicKey: input.newKey.publicKey, cert: input.newKey.cert });
      await tx.update(m).set({ keyVersion: input.newKey.version, rekeyNeeded: false }).where(eq(m.id, mailboxId));
    }
    if (removed.length) {
      await tx.delete(mailboxMembers).where(and(eq(mailboxMembers.mailboxId, mailboxId), inArray(mailboxMembers.userId, removed)));
      await tx.delete(mailboxKeyGrants).where(and(eq(mailboxKeyGrants.mailboxId, mailboxId), inArray(mailboxKeyGrants.userId, removed)));
    }
    const added = members.filter((u) => !before.includes(u));
    if (added.length) await tx.insert(mailboxMembers).values(added.map((userId) => ({ mailboxId, userId })));
    await writeGrants(tx, session, mailboxId, input.grants, members);
    await assertGrantsComplete(tx, mailboxId);
  });
}

/** Sets where the notice of a new study in this mailbox goes (an empty address: the organisation's). */
export async function setMailboxNotice(db: Db, session: SessionContext, mailboxId: string, input: TMailboxNotice): Promise<void> {
  requireAdmin(session);
  await mailboxOf(db, session, mailboxId);
  await db
    .update(m)
    .set({ noticeEmail: input.email || null })
    .where(eq(m.id, mailboxId));
}

/**
 * A member leaves the organisation: out of every mailbox at once, and the
 * mailboxes they could open get a new key from an admin's browser.
 */
export async function onMemberRemoved(tx: DbOrTx, orgId: string, userId: string): Promise<number> {
  const had = await tx
    .select({ id: mailboxMembers.mailboxId })
    .from(mailboxMembers)
    .innerJoin(m, eq(m.id, mailboxMembers.mailboxId))
    .where(and(eq(m.orgId, orgId), eq(mailboxMembers.userId, userId)));
  if (!had.length) return 0;
  const ids = had.map((r) => r.id);
  await tx.delete(mailboxMembers).where(and(inArray(mailboxMembers.mailboxId, ids), eq(mailboxMembers.userId, userId)));
  await tx.delete(mailboxKeyGrants).where(and(inArray(mailboxKeyGrants.mailboxId, ids), eq(mailboxKeyGrants.userId, userId)));
  await tx.update(m).set({ rekeyNeeded: true }).where(inArray(m.id, ids));
  return ids.length;
}

export type TMailboxView = {
  id: string;
  name: string;
  isMain: boolean;
  keyVersion: number;
  rekeyNeeded: boolean;
  /** Where the notice of a new study goes; null: the organisation's address. */
  noticeEmail: string | null;
  quotaBytes: number;
  usedBytes: number;
  /** Who may use it (everyone sees the list of the mailboxes they are in; admins see all). */
  members: string[];
  keys: { version: number; publicKey: string; cert: string }[];
  /** This member's sealed copies of each key version, with who sealed them. */
  grants: {
    version: number;
    sealedPrivate: string;
    signature: string;
    sealer: { userId: string; orgId: string; x25519Public: string; ed25519Public: string; memberCert: string | null } | null;
  }[];
};

/** The mailboxes this member may use (admins: all of the organisation's), with what their browser needs to open them. */
export async function listMailboxes(db: DbOrTx, session: SessionContext): Promise<TMailboxView[]> {
  const isAdmin = session.role !== 'member';
  const boxes = isAdmin
    ? await db.select().from(m).where(eq(m.orgId, session.orgId)).orderBy(sql`${m.isMain} desc`, asc(m.name))
    : await db
        .select({ box: m })
        .from(m)
        .innerJoin(mailboxMembers, and(eq(mailboxMembers.mailboxId, m.id), eq(mailboxMembers.userId, session.userId)))
        .where(eq(m.orgId, session.orgId))
        .orderBy(sql`${m.isMain} desc`, asc(m.name))
        .then((r) => r.map((x) => x.box));
  if (!boxes.length) return [];
  const ids = boxes.map((b) => b.id);
  const [org] = await db.select({ plan: organisations.plan }).from(organisations).where(eq(organisations.id, session.orgId));
  const keys = await db.select().from(mailboxKeys).where(inArray(mailboxKeys.mailboxId, ids)).orderBy(asc(mailboxKeys.version));
  const members = await db.select().from(mailboxMembers).where(inArray(mailboxMembers.mailboxId, ids));
  const usage = await mailboxUsage(db, ids);
  const grants = await db
    .select({
      mailboxId: mailboxKeyGrants.mailboxId,
      version: mailboxKeyGrants.version,
      sealedPrivate: mailboxKeyGrants.sealedPrivate,
      signature: mailboxKeyGrants.signature,
      sealerId: users.id,
      sealerOrgId: users.orgId,
      x25519Public: users.x25519Public,
      ed25519Public: users.ed25519Public,
      memberCert: users.memberCert,
    })
    .from(mailboxKeyGrants)
    .leftJoin(users, and(eq(users.id, mailboxKeyGrants.sealedBy), eq(users.orgId, session.orgId)))
    .where(and(inArray(mailboxKeyGrants.mailboxId, ids), eq(mailboxKeyGrants.userId, session.userId)));
  return boxes.map((b) => ({
    id: b.id,
    name: b.name,
    isMain: b.isMain,
    keyVersion: b.keyVersion,
    rekeyNeeded: b.rekeyNeeded,
    noticeEmail: b.noticeEmail,
    quotaBytes: planOf(org?.plan ?? 'basis').studies.mailboxBytes,
    usedBytes: usage.get(b.id)?.bytes ?? 0,
    members: members.filter((x) => x.mailboxId === b.id).map((x) => x.userId),
    keys: keys.filter((k) => k.mailboxId === b.id).map((k) => ({ version: k.version, publicKey: k.publicKey, cert: k.cert })),
    grants: grants
      .filter((g) => g.mailboxId === b.id)
      .map((g) => ({
        version: g.version,
        sealedPrivate: g.sealedPrivate,
        signature: g.signature,
        sealer: g.sealerId && g.sealerOrgId && g.x25519Public && g.ed25519Public ? { userId: g.sealerId, orgId: g.sealerOrgId, x25519Public: g.x25519Public, ed25519Public: g.ed25519Public, memberCert: g.memberCert } : null,
      })),
  }));
}
