import 'server-only';
import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, DbOrTx } from '@/lib/db/client';
import { colleagueCalls, colleagueCallSignals, users } from '@/lib/db/schema';
import { AppError } from '@/lib/core/errors';
import type { SessionContext } from '@/lib/auth/sessions';
import { now } from '@/lib/core/clock';
import { iceConfig } from '@/lib/video/ice';
import { consume, POLICIES } from '@/lib/server/rate-limit';
import { publishCallEvent, userChannel, callChannel, type CallState } from './events';

/** How long a call rings before it counts as missed. */
export const RING_MS = 45_000;
/** How far back the missed-calls list reaches. */
const MISSED_DAYS = 14;

type CallRow = typeof colleagueCalls.$inferSelect;

/**
 * Calls that rang out become missed. Run before every read and change, so
 * a caller who closed the tab while it rang leaves a missed call, not a
 * ringing one; both members' tabs are told.
 */
export async function expireRinging(db: Db): Promise<void> {
  const cutoff = new Date(now().getTime() - RING_MS);
  await db.transaction(async (tx) => {
    const gone = await tx
      .update(colleagueCalls)
      .set({ state: 'missed', endedAt: now() })
      .where(and(eq(colleagueCalls.state, 'ringing'), lt(colleagueCalls.createdAt, cutoff)))
      .returning();
    for (const c of gone) await announce(db, tx, c);
  });
}

/** Tells both members' tabs (the ring listener) and the call's own stream how the call stands. */
async function announce(db: Db, tx: DbOrTx, c: CallRow) {
  const e = { kind: 'colleague-call', callId: c.id, state: c.state } as const;
  await publishCallEvent(db, tx, userChannel(c.calleeId), e);
  await publishCallEvent(db, tx, userChannel(c.callerId), e);
  await publishCallEvent(db, tx, callChannel(c.id), e);
  if (c.state !== 'ringing' && c.state !== 'accepted') await tx.delete(colleagueCallSignals).where(eq(colleagueCallSignals.callId, c.id));
}

/** A member of the session's organisation who can be called: active and certified by the organisation. */
async function callableMember(db: DbOrTx, session: SessionContext, userId: string) {
  const [u] = await db
    .select({ id: users.id, status: users.status, memberCert: users.memberCert })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.orgId, session.orgId)));
  if (!u || u.status !== 'active' || !u.memberCert) throw new AppError('not_found');
  return u;
}

export async function startColleagueCall(db: Db, session: SessionContext, calleeId: string) {
  if (calleeId === session.userId) throw new AppError('bad_request');
  await expireRinging(db);
  await callableMember(db, session, calleeId);
  // The caller's keys must be certified too, or the callee's browser refuses them.
  await callableMember(db, session, session.userId);
  // Calling again while it still rings is the same call, not a second ring.
  const [already] = await db
    .select({ id: colleagueCalls.id })
    .from(colleagueCalls)
    .where(
      and(
        eq(colleagueCalls.callerId, session.userId),
        eq(colleagueCalls.calleeId, calleeId),
        eq(colleagueCalls.state, 'ringing'),
        gt(colleagueCalls.createdAt, new Date(now().getTime() - RING_MS)),
      ),
    );
  if (already) return { id: already.id };
  await consume(db, `colleague-call:${session.userId}`, POLICIES.colleagueCall);
  return db.transaction(async (tx) => {
    const [c] = await tx.insert(colleagueCalls).values({ orgId: session.orgId, callerId: session.userId, calleeId, state: 'ringing' }).returning();
    await publishCallEvent(db, tx, userChannel(calleeId), { kind: 'colleague-call', callId: c.id, state: 'ringing' });
    return { id: c.id };
  });
}

/** The call as one of its two members may see it; anyone else — another member, another organisation — gets not_found. */
async function callFor(db: DbOrTx, session: SessionContext, callId: string): Promise<CallRow & { side: 'caller' | 'callee'; peerId: string }> {
  const [c] = await db
    .select()
    .from(colleagueCalls)
    .where(and(eq(colleagueCalls.id, callId), eq(colleagueCalls.orgId, session.orgId), or(eq(colleagueCalls.callerId, session.userId), eq(colleagueCalls.calleeId, session.userId))));
  if (!c) throw new AppError('not_found');
  const side = c.callerId === session.userId ? 'caller' : 'callee';
  return { ...c, side, peerId: side === 'caller' ? c.calleeId : c.callerId };
}

/**
 * What a member's browser needs to take part: the state, its side, the other
 * member's public keys with the organisation's certificate (the browser checks
 * it, the server's word counts for nothing) and ICE servers.
 */
export async function getColleagueCall(db: Db, session: SessionContext, callId: string) {
  await expireRinging(db);
  const c = await callFor(db, session, callId);
  const [peer] = await db
    .select({ userId: users.id, shortName: users.shortName, x25519Public: users.x25519Public, ed25519Public: users.ed25519Public, memberCert: users.memberCert })
    .from(users)
    .where(eq(users.id, c.peerId));
  return {
    id: c.id,
    orgId: c.orgId,
    callerId: c.callerId,
    calleeId: c.calleeId,
    side: c.side,
    state: c.state as CallState,
    createdAt: c.createdAt,
    ringsUntil: new Date(c.createdAt.getTime() + RING_MS),
    peer,
    ice: iceConfig(),
  };
}
export type ColleagueCallInfo = Awaited<ReturnType<typeof getColleagueCall>>;

async function transition(db: Db, session: SessionContext, callId: string, allowed: (c: Awaited<ReturnType<typeof callFor>>) => CallState | null) {
  await expireRinging(db);
  return db.transaction(async (tx) => {
    const c = await callFor(tx, session, callId);
    const next = allowed(c);
    if (!next) throw new AppError('conflict');
    const at = now();
    const [row] = await tx
      .update(colleagueCalls)
      .set({ state: next, ...(next === 'accepted' ? { answeredAt: at } : { endedAt: at }) })
      .where(and(eq(colleagueCalls.id, c.id), eq(colleagueCalls.state, c.state)))
      .returning();
    if (!row) throw new AppError('conflict');
    await announce(db, tx, row);
    return { state: row.state as CallState };
  });
}

/** The callee takes the call (from any of their tabs; the others stop ringing). */
export const acceptColleagueCall = (db: Db, session: SessionContext, callId: string) =>
  transition(db, session, callId, (c) => (c.side === 'callee' && c.state === 'ringing' ? 'accepted' : null));

/** The callee declines: the call is listed as missed for them. */
export const declineColleagueCall = (db: Db, session: SessionContext, callId: string) =>
  transition(db, session, callId, (c) => (c.side === 'callee' && c.state === 'ringing' ? 'declined' : null));

/** Either side hangs up. While it rings, the caller's cancel leaves a missed call, the callee's a declined one. */
export const hangUpColleagueCall = (db: Db, session: SessionContext, callId: string) =>
  transition(db, session, callId, (c) => (c.state === 'accepted' ? 'ended' : c.state === 'ringing' ? (c.side === 'caller' ? 'missed' : 'declined') : null));

/** Relays a sealed message to the other member of an accepted call, and to no one else. */
export async function postColleagueSignal(db: Db, session: SessionContext, callId: string, payload: string) {
  await db.transaction(async (tx) => {
    const c = await callFor(tx, session, callId);
    if (c.state !== 'accepted') throw new AppError('conflict');
    const [row] = await tx.insert(colleagueCallSignals).values({ callId: c.id, toUserId: c.peerId, payload }).returning({ id: colleagueCallSignals.id });
    await publishCallEvent(db, tx, callChannel(c.id), { kind: 'colleague-signal', callId: c.id, to: c.peerId, id: row.id });
  });
}

/** Sealed messages for this member in this call after a given id (a reconnecting stream resumes there). */
export async function colleagueSignalsFor(db: DbOrTx, callId: string, userId: string, afterId: number) {
  return db
    .select({ id: colleagueCallSignals.id, payload: colleagueCallSignals.payload })
    .from(colleagueCallSignals)
    .where(and(eq(colleagueCallSignals.callId, callId), eq(colleagueCallSignals.toUserId, userId), gt(colleagueCallSignals.id, afterId)))
    .orderBy(asc(colleagueCallSignals.id));
}

/** Calls ringing for this member now (a tab opened while one rings rings too). */
export async function ringingFor(db: Db, session: SessionContext) {
  await expireRinging(db);
  return incoming(db, session, ['ringing'], new Date(now().getTime() - RING_MS));
}

async function incoming(db: DbOrTx, session: SessionContext, states: CallState[], since: Date) {
  const caller = alias(users, 'caller');
  return db
    .select({ id: colleagueCalls.id, state: colleagueCalls.state, createdAt: colleagueCalls.createdAt, callerId: colleagueCalls.callerId, callerShortName: caller.shortName })
    .from(colleagueCalls)
    .innerJoin(caller, eq(caller.id, colleagueCalls.callerId))
    .where(
      and(
        eq(colleagueCalls.orgId, session.orgId),
        eq(colleagueCalls.calleeId, session.userId),
        inArray(colleagueCalls.state, states),
        gt(colleagueCalls.createdAt, since),
        isNull(colleagueCalls.dismissedAt),
      ),
    )
    .orderBy(desc(colleagueCalls.createdAt))
    .limit(20);
}
export type IncomingCallRow = Awaited<ReturnType<typeof incoming>>[number];

/** "Verpasste Anrufe": declined and unanswered calls to this member of the last two weeks. */
export async function listMissedCalls(db: Db, session: SessionContext) {
  await expireRinging(db);
  const calls = await incoming(db, session, ['missed', 'declined'], new Date(now().getTime() - MISSED_DAYS * 86_400_000));
  return { calls };
}

/** The callee marks a missed call as done; it is no longer listed. Only missed or declined calls to this member. */
export async function dismissMissedCall(db: Db, session: SessionContext, callId: string): Promise<void> {
  const c = await callFor(db, session, callId);
  if (c.side !== 'callee' || (c.state !== 'missed' && c.state !== 'declined')) throw new AppError('not_found');
  await db.update(colleagueCalls).set({ dismissedAt: now() }).where(eq(colleagueCalls.id, callId));
}

/** The name of a caller, for the ringing dialog. */
export async function callerOf(db: DbOrTx, session: SessionContext, callId: string) {
  const c = await callFor(db, session, callId);
  const [u] = await db.select({ shortName: users.shortName }).from(users).where(eq(users.id, c.callerId));
  return { callId: c.id, callerId: c.callerId, callerShortName: u?.shortName ?? '', side: c.side, state: c.state as CallState, createdAt: c.createdAt };
}

/** Whether the session's member still takes part (heartbeat of the streams); false once the call ended. */
export async function stillInCall(db: DbOrTx, session: SessionContext, callId: string): Promise<CallState | null> {
  const [c] = await db
    .select({ state: colleagueCalls.state })
    .from(colleagueCalls)
    .innerJoin(users, eq(users.id, session.userId))
    .where(and(eq(colleagueCalls.id, callId), eq(users.status, 'active'), sql`${session.userId} in (${colleagueCalls.callerId}, ${colleagueCalls.calleeId})`));
  return c ? (c.state as CallState) : null;
}
