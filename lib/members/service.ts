import 'server-only';
import { and, asc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db/client';
import { devices, invitations, organisations, users } from '@/lib/db/schema';
import { AppError } from '@/lib/core/errors';
import { normalizeShortName } from '@/lib/validation';
import { hashSecret, sha256Hex } from '@/lib/server/hash';
import { consume, POLICIES } from '@/lib/server/rate-limit';
import { now } from '@/lib/core/clock';
import { getConfig } from '@/lib/core/config';
import { enqueueEmail } from '@/lib/messaging/outbox';
import { deleteSessionsOfUser, requireAdmin, type SessionContext } from '@/lib/auth/sessions';
import { isValidDevicePublicKey } from '@/lib/accounts/verify-signature';
import type { TMemberConfirm, ZInvitationAccept } from '@/lib/accounts/schemas';
import type { z } from 'zod';

const INVITATION_DAYS = 7;
const b = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));

export async function listMembers(db: DbOrTx, session: SessionContext) {
  const rows = await db
    .select({
      id: users.id,
      shortName: users.shortName,
      role: users.role,
      status: users.status,
      x25519Public: users.x25519Public,
      ed25519Public: users.ed25519Public,
      memberCert: users.memberCert,
      mayMessagePatients: users.mayMessagePatients,
      createdAt: users.createdAt,
      confirmedAt: users.confirmedAt,
      // For a pending member: what the confirming admin's browser checks the keys with.
      invitation: { tokenHash: invitations.tokenHash, secretEnc: invitations.secretEnc, keyProof: invitations.keyProof },
    })
    .from(users)
    .leftJoin(invitations, and(eq(invitations.userId, users.id), eq(invitations.orgId, session.orgId)))
    .where(eq(users.orgId, session.orgId))
    .orderBy(asc(users.createdAt));
  return rows.map(({ invitation, ...m }) => ({ ...m, invitation: m.status === 'pending' ? invitation : null }));
}

/** A member as GET /api/members lists it, with what a pending member's keys are checked with. */
export type MemberRow = Awaited<ReturnType<typeof listMembers>>[number];

export async function listOpenInvitations(db: DbOrTx, session: SessionContext) {
  return db
    .select({ id: invitations.id, role: invitations.role, label: invitations.label, createdAt: invitations.createdAt, expiresAt: invitations.expiresAt })
    .from(invitations)
    .where(and(eq(invitations.orgId, session.orgId), isNull(invitations.usedAt), gt(invitations.expiresAt, now())))
    .orderBy(asc(invitations.createdAt));
}

export type OpenInvitationRow = Awaited<ReturnType<typeof listOpenInvitations>>[number];

export async function createInvitation(
  db: Db,
  session: SessionContext,
  input: { role: 'admin' | 'member'; label?: string; email?: string; locale: 'de' | 'en'; token: string; secretEnc: string; introMac: string },
) {
  requireAdmin(session);
  if (input.role === 'admin' && session.role !== 'owner') throw new AppError('forbidden');
  // The link Konsil sends carries the token only: the secret that authenticates
  // the keys is handed over by the admin (docs/SECURITY.md §8.1).
  const url = `${getConfig().appUrl}/invite#${input.token}`;
  const [row] = await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(invitations)
      .values({
        orgId: session.orgId,
        tokenHash: sha256Hex(input.token),
        role: input.role,
        label: input.label || null,
        createdBy: session.userId,
        expiresAt: new Date(now().getTime() + INVITATION_DAYS * 86400_000),
        secretEnc: input.secretEnc,
        introMac: input.introMac,
      })
      .returning({ id: invitations.id });
    if (input.email) {
      await enqueueEmail(tx, {
        orgId: session.orgId,
        to: input.email,
        locale: input.locale,
        template: 'member_invitation',
        vars: { orgName: session.orgName, inviteUrl: url },
      });
    }
    return inserted;
  });
  return { id: row!.id, expiresInDays: INVITATION_DAYS, emailed: Boolean(input.email) };
}

export type CreatedInvitation = Awaited<ReturnType<typeof createInvitation>>;

export async function revokeInvitation(db: DbOrTx, session: SessionContext, id: string) {
  requireAdmin(session);
  const rows = await db
    .delete(invitations)
    .where(and(eq(invitations.id, id), eq(invitations.orgId, session.orgId), isNull(invitations.usedAt)))
    .returning({ id: invitations.id });
  if (!rows.length) throw new AppError('not_found');
}

async function findOpenInvitation(db: DbOrTx, token: string) {
  const [row] = await db
    .select({ inv: invitations, org: organisations })
    .from(invitations)
    .innerJoin(organisations, eq(organisations.id, invitations.orgId))
    .where(and(eq(invitations.tokenHash, sha256Hex(token)), isNull(invitations.usedAt), gt(invitations.expiresAt, now())));
  return row ?? null;
}

export async function inspectInvitation(db: Db, token: string, clientIp: string) {
  await consume(db, `invite:ip:${clientIp}`, POLICIES.invitationClient);
  const row = await findOpenInvitation(db, token);
  if (!row) throw new AppError('invitation_invalid');
  // The public key as the server serves it; the invitee's browser checks it against the inviting admin's MAC.
  return { orgId: row.org.id, orgName: row.org.name, orgShortName: row.org.shortName, role: row.inv.role, orgPublicKey: row.org.publicKey, orgSignPublic: row.org.signPublic, introMac: row.inv.introMac };
}

/** The organisation an invitation token belongs to, with the keys the invitee's browser checks before pinning them. */
export type InvitationInfo = Awaited<ReturnType<typeof inspectInvitation>>;

export async function acceptInvitation(db: Db, input: z.output<typeof ZInvitationAccept>, clientIp: string) {
  await consume(db, `invite:ip:${clientIp}`, POLICIES.invitationClient);
  if (!(await isValidDevicePublicKey(input.device.publicKey))) throw new AppError('validation', { fields: { 'device.publicKey': 'bad_format' } });
  const [authHash, recoveryHash] = await Promise.all([hashSecret(b(input.user.authKey)), hashSecret(b(input.user.recoveryAuthKey))]);
  return db.transaction(async (tx) => {
    const row = await findOpenInvitation(tx, input.token);
    if (!row) throw new AppError('invitation_invalid');
    const norm = normalizeShortName(input.userShortName);
    const taken = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.orgId, row.org.id), eq(users.shortNameNorm, norm)));
    if (taken.length) throw new AppError('user_short_name_taken', { fields: { userShortName: 'userShortNameTaken' } });
    const used = await tx
      .update(invitations)
      .set({ usedAt: now(), userId: input.userId, keyProof: input.keyProof })
      .where(and(eq(invitations.id, row.inv.id), isNull(invitations.usedAt)))
      .returning({ id: invitations.id });
    if (!used.length) throw new AppError('invitation_invalid');
    await tx.insert(users).values({
      id: input.userId,
      orgId: row.org.id,
      shortName: input.userShortName.trim(),
      shortNameNorm: norm,
      role: row.inv.role,
      status: 'pending',
      authHash,
      recoveryHash,
      kdfParams: input.user.kdfParams,
      kdfSalt: input.user.kdfSalt,
      masterKdfParams: input.user.masterKdfParams,
      masterKdfSalt: input.user.masterKdfSalt,
      wrappedUserKeyPw: input.user.wrappedUserKeyPw,
      wrappedUserKeyMaster: input.user.wrappedUserKeyMaster,
      x25519Public: input.user.x25519Public,
      ed25519Public: input.user.ed25519Public,
      encX25519Private: input.user.encX25519Private,
      encEd25519Private: input.user.encEd25519Private,
      orgPin: input.user.orgPin,
    });
    // The device the member set up on is theirs from the start, as at
    // registration; the member still cannot log in until an admin confirms.
    await tx.insert(devices).values({
      id: input.device.id,
      orgId: row.org.id,
      userId: input.userId,
      name: input.device.name,
      publicKey: input.device.publicKey,
      status: 'approved',
      decidedAt: now(),
    });
    await enqueueEmail(tx, {
      orgId: row.org.id,
      to: row.org.email,
      locale: row.org.locale === 'en' ? 'en' : 'de',
      template: 'member_pending',
      vars: { orgName: row.org.name, userShortName: input.userShortName.trim(), membersUrl: `${getConfig().appUrl}/app/stammdaten/benutzer` },
    });
    return { orgId: row.org.id, userId: input.userId, orgShortName: row.org.shortName };
  });
}

export async function confirmMember(db: DbOrTx, session: SessionContext, memberId: string, grant: TMemberConfirm) {
  requireAdmin(session);
  const rows = await db
    .update(users)
    .set({ status: 'active', sealedOrgKey: grant.sealedOrgKey, sealedOrgKeySig: grant.sealedOrgKeySig, sealedOrgKeyBy: session.userId, memberCert: grant.memberCert, confirmedAt: now() })
    .where(and(eq(users.id, memberId), eq(users.orgId, session.orgId), eq(users.status, 'pending')))
    .returning({ id: users.id });
  if (!rows.length) throw new AppError('not_found');
}

/** An admin allows a member to have Konsil send invitations and reminders to patients, or takes it back. */
export async function setMayMessagePatients(db: DbOrTx, session: SessionContext, memberId: string, allowed: boolean) {
  requireAdmin(session);
  const rows = await db
    .update(users)
    .set({ mayMessagePatients: allowed })
    .where(and(eq(users.id, memberId), eq(users.orgId, session.orgId), eq(users.role, 'member')))
    .returning({ id: users.id });
  if (!rows.length) throw new AppError('not_found');
}

/** `onRemoved` runs in the removal's transaction (the route marks the codes the member could read as stale). */
export async function removeMember(db: Db, session: SessionContext, memberId: string, onRemoved?: (tx: DbOrTx) => Promise<unknown>) {
  requireAdmin(session);
  if (memberId === session.userId) throw new AppError('forbidden');
  await db.transaction(async (tx) => {
    const [target] = await tx.select().from(users).where(and(eq(users.id, memberId), eq(users.orgId, session.orgId)));
    if (!target || target.status === 'removed') throw new AppError('not_found');
    if (target.role === 'owner') throw new AppError('forbidden');
    if (target.role === 'admin' && session.role !== 'owner') throw new AppError('forbidden');
    // The sealed orgKey is dropped with the membership; a removed member keeps
    // nothing on the server that opens the organisation's data.
    await tx
      .update(users)
      .set({ status: 'removed', removedAt: now(), sealedOrgKey: null, sealedOrgKeySig: null, memberCert: null })
      .where(and(eq(users.id, memberId), eq(users.orgId, session.orgId)));
    await tx
      .update(devices)
      .set({ status: 'revoked', decidedAt: now(), decidedBy: session.userId })
      .where(and(eq(devices.userId, memberId), eq(devices.orgId, session.orgId)));
    await deleteSessionsOfUser(tx, memberId);
    if (onRemoved) await onRemoved(tx);
  });
}

/**
 * Invitations that ran out a month ago, unless a member still waits for
 * confirmation with them (the admin's browser needs the invitation's secret).
 */
export async function purgeExpiredInvitations(db: DbOrTx, at: Date = now()): Promise<number> {
  const cutoff = new Date(at.getTime() - 30 * 86400_000);
  const rows = await db
    .delete(invitations)
    .where(
      and(
        lt(invitations.expiresAt, cutoff),
        sql`not exists (select 1 from ${users} where ${users.id} = ${invitations.userId} and ${users.status} = 'pending')`,
      ),
    )
    .returning({ id: invitations.id });
  return rows.length;
}
