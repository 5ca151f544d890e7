import 'server-only';
import { and, asc, eq, gt, inArray, lt } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db/client';
import { conferenceGuests, conferenceParticipants, conferences, conferenceSignals, organisations, users } from '@/lib/db/schema';
import { AppError } from '@/lib/core/errors';
import { now } from '@/lib/core/clock';
import { publish } from '@/lib/server/bus';
import { randomToken, sha256Hex } from '@/lib/server/hash';
import { POLICIES, refundAttempt, takeAttempt } from '@/lib/server/rate-limit';
import { hasFeature } from '@/lib/plans/plans';
import { iceConfig } from '@/lib/video/ice';
import { PRESENCE_TIMEOUT_MS } from '@/lib/video/calls';
import { assertRoom, conferenceChannel, conferenceWindow, finishConference } from './service';
import { closeMediaRoom, evictFromMediaRoom, livekitEnabled } from './livekit';

/** One participant of a conference, as its token names it. */
export type Conferee = {
  id: string;
  conferenceId: string;
  orgId: string;
  userId: string | null;
  guestId: string | null;
  state: 'waiting' | 'admitted';
  /** The member who created the conference: admits, mutes, removes, ends. */
  isHost: boolean;
  createdAt: Date;
};

/** The token travels in the X-Conference-Token header, never in a URL. */
export function conferenceTokenOf(req: Request): string | null {
  return req.headers.get('x-conference-token');
}

/**
 * The participant a token belongs to while it is good: in the lobby or in
 * the room, the conference running, and a member still active.
 */
export async function confereeByToken(db: DbOrTx, token: string | null): Promise<Conferee> {
  if (!token || token.length > 200) throw new AppError('call_token_invalid');
  const [p] = await db
    .select({ p: conferenceParticipants, c: { state: conferences.state, startsAt: conferences.startsAt, durationMin: conferences.durationMin, hostId: conferences.hostId }, userStatus: users.status })
    .from(conferenceParticipants)
    .innerJoin(conferences, eq(conferences.id, conferenceParticipants.conferenceId))
    .leftJoin(users, eq(users.id, conferenceParticipants.userId))
    .where(eq(conferenceParticipants.tokenHash, sha256Hex(token)));
  if (!p || (p.p.state !== 'waiting' && p.p.state !== 'admitted')) throw new AppError('call_token_invalid');
  if (conferenceWindow(p.c).status !== 'open') throw new AppError('call_token_invalid');
  if (p.p.userId && p.userStatus !== 'active') throw new AppError('call_token_invalid');
  return {
    id: p.p.id,
    conferenceId: p.p.conferenceId,
    orgId: p.p.orgId,
    userId: p.p.userId,
    guestId: p.p.guestId,
    state: p.p.state,
    isHost: !!p.p.userId && p.p.userId === p.c.hostId,
    createdAt: p.p.createdAt,
  };
}

/**
 * A guest's code, after the consultation's look-up found no appointment for
 * it (that look-up already paid the attempt; a code that exists here pays it
 * back). Null when the code is unknown here too.
 */
export async function lookupConferenceCode(db: DbOrTx, clientIp: string, lookup: string) {
  const [row] = await db
    .select({
      guestId: conferenceGuests.id,
      keyWrap: conferenceGuests.keyWrap,
      conferenceId: conferences.id,
      startsAt: conferences.startsAt,
      durationMin: conferences.durationMin,
      state: conferences.state,
      practiceName: organisations.name,
      plan: organisations.plan,
    })
    .from(conferenceGuests)
    .innerJoin(conferences, eq(conferences.id, conferenceGuests.conferenceId))
    .innerJoin(organisations, eq(organisations.id, conferences.orgId))
    .where(eq(conferenceGuests.lookupHash, sha256Hex(lookup)));
  if (!row) return null;
  await refundAttempt(db, `join:ip:${clientIp}`);
  const w = conferenceWindow(row);
  return {
    kind: 'conference' as const,
    conferenceId: row.conferenceId,
    guestId: row.guestId,
    keyWrap: row.keyWrap,
    practiceName: row.practiceName,
    startsAt: row.startsAt,
    durationMin: row.durationMin,
    status: w.status,
    opensAt: w.opensAt,
    closesAt: w.closesAt,
    screenSharing: hasFeature(row.plan, 'screenSharing'),
  };
}

/**
 * A guest enters the lobby by code. A guest who reloads replaces their
 * earlier entry and keeps its place: admitted stays admitted.
 */
export async function enterAsGuest(db: Db, clientIp: string, lookup: string, nameEnc: string) {
  const token = randomToken();
  // As every code look-up: paid first, paid back when the code exists (the patients' budget per client).
  const limitKey = `join:ip:${clientIp}`;
  await takeAttempt(db, limitKey, POLICIES.joinClient);
  const p = await db.transaction(async (tx) => {
    const [g] = await tx
      .select({ id: conferenceGuests.id, c: conferences })
      .from(conferenceGuests)
      .innerJoin(conferences, eq(conferences.id, conferenceGuests.conferenceId))
      .where(eq(conferenceGuests.lookupHash, sha256Hex(lookup)));
    if (!g) throw new AppError('code_unknown');
    await refundAttempt(tx, limitKey);
    const w = conferenceWindow(g.c);
    if (w.status === 'early') throw new AppError('appointment_early');
    if (w.status !== 'open') throw new AppError('conference_ended');
    // Removed by the host is final for this invitation: the code opens the lobby no more.
    const [removed] = await tx
      .select({ id: conferenceParticipants.id })
      .from(conferenceParticipants)
      .where(and(eq(conferenceParticipants.guestId, g.id), eq(conferenceParticipants.state, 'removed')))
      .limit(1);
    if (removed) throw new AppError('conference_removed');
    const replaced = await tx
      .update(conferenceParticipants)
      .set({ state: 'left', leftAt: now() })
      .where(and(eq(conferenceParticipants.guestId, g.id), inArray(conferenceParticipants.state, ['waiting', 'admitted'])))
      .returning({ id: conferenceParticipants.id, admittedAt: conferenceParticipants.admittedAt });
    const admitted = replaced.some((r) => r.admittedAt !== null);
    if (admitted) await assertRoom(tx, g.c.id);
    const [row] = await tx
      .insert(conferenceParticipants)
      .values({ conferenceId: g.c.id, orgId: g.c.orgId, guestId: g.id, nameEnc, tokenHash: sha256Hex(token), state: admitted ? 'admitted' : 'waiting', admittedAt: admitted ? now() : null })
      .returning();
    for (const r of replaced) await publish(db, tx, conferenceChannel(g.c.id), { kind: 'conference-participant', conferenceId: g.c.id, participantId: r.id, state: 'left' });
    await publish(db, tx, conferenceChannel(g.c.id), { kind: 'conference-participant', conferenceId: g.c.id, participantId: row!.id, state: row!.state });
    return row!;
  });
  return { token, participantId: p.id, conferenceId: p.conferenceId, state: p.state, ...iceConfig(), media: livekitEnabled() ? ('livekit' as const) : ('mesh' as const) };
}

/** Who is in the lobby and in the room: ids, states, members' short names, guests' sealed names. */
export async function roomState(db: DbOrTx, conferenceId: string) {
  const [c] = await db.select({ hostId: conferences.hostId, state: conferences.state, startsAt: conferences.startsAt, durationMin: conferences.durationMin }).from(conferences).where(eq(conferences.id, conferenceId));
  const participants = await db
    .select({
      id: conferenceParticipants.id,
      state: conferenceParticipants.state,
      userId: conferenceParticipants.userId,
      shortName: users.shortName,
      nameEnc: conferenceParticipants.nameEnc,
      createdAt: conferenceParticipants.createdAt,
    })
    .from(conferenceParticipants)
    .leftJoin(users, eq(users.id, conferenceParticipants.userId))
    .where(and(eq(conferenceParticipants.conferenceId, conferenceId), inArray(conferenceParticipants.state, ['waiting', 'admitted'])))
    .orderBy(asc(conferenceParticipants.createdAt));
  return {
    conferenceId,
    state: c?.state ?? 'ended',
    startsAt: c?.startsAt,
    durationMin: c?.durationMin,
    participants: participants.map((p) => ({ ...p, isHost: !!p.userId && p.userId === c?.hostId, guest: !p.userId })),
  };
}
export type ConferenceRoomState = Awaited<ReturnType<typeof roomState>>;

/** What the participant's browser needs on (re)entering the room. */
export async function roomInfo(db: Db, p: Conferee) {
  return { me: p.id, isHost: p.isHost, guest: !p.userId, ...visibleTo(p, await roomState(db, p.conferenceId)), ...iceConfig() };
}

/** Someone in the lobby learns nobody else's presence: only their own entry. */
export function visibleTo(p: Pick<Conferee, 'id' | 'state'>, s: ConferenceRoomState): ConferenceRoomState {
  return p.state === 'admitted' ? s : { ...s, participants: s.participants.filter((x) => x.id === p.id) };
}

async function target(tx: DbOrTx, p: Conferee, participantId: string) {
  const [t] = await tx
    .select()
    .from(conferenceParticipants)
    .where(and(eq(conferenceParticipants.id, participantId), eq(conferenceParticipants.conferenceId, p.conferenceId), inArray(conferenceParticipants.state, ['waiting', 'admitted'])));
  if (!t) throw new AppError('not_found');
  return t;
}

/** Relays a sealed message to one admitted participant of the same conference, from an admitted one. */
export async function postConferenceSignal(db: Db, p: Conferee, to: string, payload: string) {
  if (p.state !== 'admitted') throw new AppError('forbidden');
  await db.transaction(async (tx) => {
    const t = await target(tx, p, to);
    if (t.state !== 'admitted' || t.id === p.id) throw new AppError('conflict');
    const [row] = await tx.insert(conferenceSignals).values({ conferenceId: p.conferenceId, fromParticipant: p.id, toParticipant: t.id, payload }).returning({ id: conferenceSignals.id });
    await publish(db, tx, conferenceChannel(p.conferenceId), { kind: 'conference-signal', conferenceId: p.conferenceId, to: t.id, id: row!.id });
  });
  return { ok: true };
}

export async function conferenceSignalsFor(db: DbOrTx, conferenceId: string, to: string, afterId: number) {
  return db
    .select({ id: conferenceSignals.id, from: conferenceSignals.fromParticipant, payload: conferenceSignals.payload })
    .from(conferenceSignals)
    .where(and(eq(conferenceSignals.conferenceId, conferenceId), eq(conferenceSignals.toParticipant, to), gt(conferenceSignals.id, afterId)))
    .orderBy(asc(conferenceSignals.id));
}

/** A member in the room lets a guest in from the lobby, while the mesh has room. */
export async function admitGuest(db: Db, p: Conferee, participantId: string) {
  if (p.state !== 'admitted' || !p.userId) throw new AppError('forbidden');
  await db.transaction(async (tx) => {
    const t = await target(tx, p, participantId);
    if (t.state !== 'waiting') throw new AppError('conflict');
    await assertRoom(tx, p.conferenceId);
    await tx.update(conferenceParticipants).set({ state: 'admitted', admittedAt: now() }).where(eq(conferenceParticipants.id, t.id));
    await publish(db, tx, conferenceChannel(p.conferenceId), { kind: 'conference-participant', conferenceId: p.conferenceId, participantId: t.id, state: 'admitted' });
  });
  return { ok: true };
}

/** The host removes someone from the lobby or the room; their token is no good any more. */
export async function removeParticipant(db: Db, p: Conferee, participantId: string) {
  if (!p.isHost || p.state !== 'admitted') throw new AppError('forbidden');
  if (participantId === p.id) throw new AppError('bad_request');
  await db.transaction(async (tx) => {
    const t = await target(tx, p, participantId);
    await tx.update(conferenceParticipants).set({ state: 'removed', leftAt: now() }).where(eq(conferenceParticipants.id, t.id));
    await publish(db, tx, conferenceChannel(p.conferenceId), { kind: 'conference-participant', conferenceId: p.conferenceId, participantId: t.id, state: 'removed' });
  });
  // Not awaited: the host's page need not wait for the media server.
  void evictFromMediaRoom(p.conferenceId, participantId);
  return { ok: true };
}

export async function leaveConference(db: Db, p: Conferee) {
  await db.transaction(async (tx) => {
    await tx.update(conferenceParticipants).set({ state: 'left', leftAt: now() }).where(eq(conferenceParticipants.id, p.id));
    await publish(db, tx, conferenceChannel(p.conferenceId), { kind: 'conference-participant', conferenceId: p.conferenceId, participantId: p.id, state: 'left' });
  });
  return { ok: true };
}

/** The host ends the conference for everyone. */
export async function endFromRoom(db: Db, p: Conferee) {
  if (!p.isHost) throw new AppError('forbidden');
  await db.transaction(async (tx) => {
    const [c] = await tx.select().from(conferences).where(eq(conferences.id, p.conferenceId));
    if (!c || c.state !== 'scheduled') throw new AppError('conflict');
    await finishConference(db, tx, c);
  });
  void closeMediaRoom(p.conferenceId);
  return { ok: true };
}

/** The participant's event stream is open: they are present (see sweepAbsent). */
export async function touchConferee(db: DbOrTx, id: string): Promise<void> {
  await db.update(conferenceParticipants).set({ lastSeenAt: now() }).where(eq(conferenceParticipants.id, id));
}

/**
 * Participants whose stream has not been seen for PRESENCE_TIMEOUT_MS left
 * without saying so (a crashed browser, a lost network): they leave now, and
 * everyone in the room hears it. Run by the conference's streams: on opening,
 * and on their heartbeats at most once a period between them (SweepThrottle).
 */
export async function sweepAbsent(db: Db, conferenceId: string): Promise<string[]> {
  return db.transaction(async (tx) => {
    const gone = await tx
      .update(conferenceParticipants)
      .set({ state: 'left', leftAt: now() })
      .where(
        and(
          eq(conferenceParticipants.conferenceId, conferenceId),
          inArray(conferenceParticipants.state, ['waiting', 'admitted']),
          lt(conferenceParticipants.lastSeenAt, new Date(now().getTime() - PRESENCE_TIMEOUT_MS)),
        ),
      )
      .returning({ id: conferenceParticipants.id });
    for (const r of gone) await publish(db, tx, conferenceChannel(conferenceId), { kind: 'conference-participant', conferenceId, participantId: r.id, state: 'left' });
    return gone.map((r) => r.id);
  });
}

/** Whether the participant still takes part (heartbeat of the stream). */
export async function stillIn(db: DbOrTx, token: string): Promise<Conferee | null> {
  try {
    return await confereeByToken(db, token);
  } catch {
    return null;
  }
}
