import 'server-only';
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { getDb, type DbOrTx } from '@/lib/db/client';
import { devices, organisations, userSessions, users } from '@/lib/db/schema';
import { randomToken, sha256Hex } from '@/lib/server/hash';
import { now } from '@/lib/core/clock';
import { AppError } from '@/lib/core/errors';

export const SESSION_HOURS = 12;

export type SessionContext = {
  sessionId: string;
  userId: string;
  orgId: string;
  deviceId: string;
  role: 'owner' | 'admin' | 'member';
  userShortName: string;
  orgShortName: string;
  orgName: string;
  plan: string;
  deviceName: string;
  /** The tab holds no keys: only the key bundle and unlocking are allowed. */
  locked: boolean;
  /** May have Konsil send messages to patients (owner and admins always; members if allowed). */
  mayMessagePatients: boolean;
};

export function isAdmin(s: Pick<SessionContext, 'role'>): boolean {
  return s.role === 'owner' || s.role === 'admin';
}

/** The second authorisation check, inside the service, behind the route's role check. */
export function requireAdmin(s: Pick<SessionContext, 'role'>): void {
  if (!isAdmin(s)) throw new AppError('forbidden');
}

/** Creates a session row and a single-use ticket that Auth.js exchanges for its cookie. */
export async function createSessionWithTicket(
  db: DbOrTx,
  args: { userId: string; orgId: string; deviceId: string },
): Promise<string> {
  const ticket = randomToken();
  await db.insert(userSessions).values({
    userId: args.userId,
    orgId: args.orgId,
    deviceId: args.deviceId,
    ticketHash: sha256Hex(ticket),
    expiresAt: new Date(now().getTime() + SESSION_HOURS * 3600 * 1000),
  });
  return ticket;
}

export async function consumeLoginTicket(ticket: string): Promise<string | null> {
  const db = await getDb();
  // The ticket is handed to Auth.js within the same request; two minutes is ample.
  const fresh = new Date(now().getTime() - 120 * 1000);
  const [row] = await db
    .update(userSessions)
    .set({ ticketHash: null })
    .where(and(eq(userSessions.ticketHash, sha256Hex(ticket)), gt(userSessions.createdAt, fresh)))
    .returning({ id: userSessions.id });
  return row?.id ?? null;
}

/** Resolves a session id to a live context; fails closed for anything revoked. */
export async function loadSessionContext(db: DbOrTx, sessionId: string): Promise<SessionContext | null> {
  if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return null;
  const t = now();
  const [row] = await db
    .select({
      sessionId: userSessions.id,
      userId: users.id,
      orgId: organisations.id,
      deviceId: devices.id,
      role: users.role,
      userShortName: users.shortName,
      orgShortName: organisations.shortName,
      orgName: organisations.name,
      plan: organisations.plan,
      deviceName: devices.name,
      lastSeenAt: userSessions.lastSeenAt,
      lockedAt: userSessions.lockedAt,
      mayMessage: users.mayMessagePatients,
    })
    .from(userSessions)
    .innerJoin(users, and(eq(users.id, userSessions.userId), eq(users.orgId, userSessions.orgId)))
    .innerJoin(devices, and(eq(devices.id, userSessions.deviceId), eq(devices.userId, users.id)))
    .innerJoin(organisations, eq(organisations.id, users.orgId))
    .where(
      and(
        eq(userSessions.id, sessionId),
        isNull(userSessions.ticketHash),
        gt(userSessions.expiresAt, t),
        eq(users.status, 'active'),
        eq(devices.status, 'approved'),
      ),
    );
  if (!row) return null;
  if (t.getTime() - row.lastSeenAt.getTime() > 60_000) {
    await db.update(userSessions).set({ lastSeenAt: t }).where(eq(userSessions.id, sessionId));
  }
  const { lastSeenAt: _ignored, lockedAt, mayMessage, ...ctx } = row;
  return { ...ctx, locked: lockedAt !== null, mayMessagePatients: ctx.role !== 'member' || mayMessage };
}

/** The tab dropped its keys: from now on the session needs the password again for anything but its key bundle. */
export async function lockSession(db: DbOrTx, sessionId: string): Promise<void> {
  await db.update(userSessions).set({ lockedAt: now() }).where(and(eq(userSessions.id, sessionId), isNull(userSessions.lockedAt)));
}

export async function unlockSessionRow(db: DbOrTx, sessionId: string): Promise<void> {
  await db.update(userSessions).set({ lockedAt: null }).where(eq(userSessions.id, sessionId));
}

export async function deleteSession(db: DbOrTx, sessionId: string): Promise<void> {
  await db.delete(userSessions).where(eq(userSessions.id, sessionId));
}

export async function deleteSessionsOfUser(db: DbOrTx, userId: string): Promise<void> {
  await db.delete(userSessions).where(eq(userSessions.userId, userId));
}

export async function deleteSessionsOfDevice(db: DbOrTx, deviceId: string): Promise<void> {
  await db.delete(userSessions).where(eq(userSessions.deviceId, deviceId));
}

export async function purgeExpiredSessions(db: DbOrTx): Promise<void> {
  await db.delete(userSessions).where(lt(userSessions.expiresAt, now()));
}
