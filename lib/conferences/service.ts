import 'server-only';
import { and, desc, eq, gt, inArray, ne, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db/client';
import { conferenceGuests, conferenceMembers, conferenceParticipants, conferences, conferenceSignals, users } from '@/lib/db/schema';
import { AppError } from '@/lib/core/errors';
import type { SessionContext } from '@/lib/auth/sessions';
import { now } from '@/lib/core/clock';
import { requireFeature } from '@/lib/plans/gate';
import { publish } from '@/lib/server/bus';
import { randomToken, sha256Hex } from '@/lib/server/hash';
import { recordCallEnded, recordCallStarted, recordInvitation } from '@/lib/stats/service';
import { joinWindow } from '@/lib/video/window';
import { iceConfig } from '@/lib/video/ice';
import { PRESENCE_TIMEOUT_MS } from '@/lib/video/calls';
import { MESH_MAX_PARTICIPANTS } from '@/lib/protocol/conference';
import type { TCreateConference } from './schemas';
import { closeMediaRoom, livekitEnabled } from './livekit';

type ConferenceRow = typeof conferences.$inferSelect;

/** The bus channel of one conference's room. */
export const conferenceChannel = (id: string) => `conf:${id}`;

/** When a conference may be entered: as for a consultation, from 15 minutes before until an hour after its end. */
export function conferenceWindow(c: Pick<ConferenceRow, 'startsAt' | 'durationMin' | 'state'>, at = now()) {
  const w = joinWindow({ startsAt: c.startsAt, durationMin: c.durationMin, state: c.state === 'cancelled' ? 'cancelled' : 'scheduled' }, at);
  return c.state === 'ended' ? { ...w, status: 'past' as const } : w;
}

export async function createConference(db: Db, session: SessionContext, input: TCreateConference) {
  await requireFeature(db, session.orgId, 'conferences');
  const invited = [...new Set(input.memberIds.filter((id) => id !== session.userId))];
  if (invited.length) {
    const found = await db
      .select({ id: users.id })
      .from(users)
      .where(and(inArray(users.id, invited), eq(users.orgId, session.orgId), eq(users.status, 'active')));
    if (found.length !== invited.length) throw new AppError('validation', { fields: { memberIds: 'invalidChoice' } });
  }
  await db.transaction(async (tx) => {
    await tx.insert(conferences).values({
      id: input.id,
      orgId: session.orgId,
      hostId: session.userId,
      startsAt: input.startsAt,
      durationMin: input.durationMin,
      recordEnc: input.recordEnc,
    });
    await tx.insert(conferenceMembers).values([session.userId, ...invited].map((userId) => ({ conferenceId: input.id, userId })));
    if (input.guests.length) {
      await tx.insert(conferenceGuests).values(input.guests.map((g) => ({ id: g.id, conferenceId: input.id, lookupHash: sha256Hex(g.lookup), keyWrap: g.keyWrap })));
    }
    // Invitations count for the statistics: one per invited member and guest.
    for (let i = 0; i < invited.length + input.guests.length; i++) {
      await recordInvitation(tx, { orgId: session.orgId, userId: session.userId, type: 'meeting_invitation', kind: 'conference' });
    }
  });
  return { id: input.id };
}

/** Conferences of the organisation the member hosts or is invited to: upcoming and of the last 30 days. */
export async function listConferences(db: Db, session: SessionContext) {
  const since = new Date(now().getTime() - 30 * 86_400_000);
  const rows = await db
    .select({
      id: conferences.id,
      hostId: conferences.hostId,
      startsAt: conferences.startsAt,
      durationMin: conferences.durationMin,
      state: conferences.state,
      recordEnc: conferences.recordEnc,
      inRoom: sql<number>`(select count(*)::int from ${conferenceParticipants} p where p.conference_id = ${conferences.id} and p.state = 'admitted')`,
    })
    .from(conferences)
    .innerJoin(conferenceMembers, and(eq(conferenceMembers.conferenceId, conferences.id), eq(conferenceMembers.userId, session.userId)))
    .where(and(eq(conferences.orgId, session.orgId), gt(conferences.startsAt, since)))
    .orderBy(desc(conferences.startsAt))
    .limit(100);
  return { conferences: rows.map((r) => ({ ...r, status: conferenceWindow(r).status })), meshMax: MESH_MAX_PARTICIPANTS };
}
export type ConferenceListRow = Awaited<ReturnType<typeof listConferences>>['conferences'][number];

/** One conference as a host or invited member sees it; anyone else gets not_found. */
async function conferenceFor(db: DbOrTx, session: SessionContext, id: string): Promise<ConferenceRow> {
  const [c] = await db
    .select({ c: conferences })
    .from(conferences)
    .innerJoin(conferenceMembers, and(eq(conferenceMembers.conferenceId, conferences.id), eq(conferenceMembers.userId, session.userId)))
    .where(and(eq(conferences.id, id), eq(conferences.orgId, session.orgId)));
  if (!c) throw new AppError('not_found');
  return c.c;
}

export async function getConference(db: Db, session: SessionContext, id: string) {
  const c = await conferenceFor(db, session, id);
  const members = await db
    .select({ userId: users.id, shortName: users.shortName })
    .from(conferenceMembers)
    .innerJoin(users, eq(users.id, conferenceMembers.userId))
    .where(eq(conferenceMembers.conferenceId, id));
  const w = conferenceWindow(c);
  return {
    id: c.id,
    orgId: c.orgId,
    hostId: c.hostId,
    startsAt: c.startsAt,
    durationMin: c.durationMin,
    state: c.state,
    status: w.status,
    opensAt: w.opensAt,
    recordEnc: c.recordEnc,
    members,
    meshMax: MESH_MAX_PARTICIPANTS,
  };
}
export type ConferenceInfo = Awaited<ReturnType<typeof getConference>>;

/**
 * Ends a conference for everyone (the host), or cancels one nobody entered:
 * every participant is out, signalling in transit and the guests' lookups
 * and wrapped keys are deleted, and the room is told.
 */
export async function finishConference(db: Db, tx: DbOrTx, c: ConferenceRow): Promise<void> {
  const [{ admitted }] = await tx
    .select({ admitted: sql<number>`count(*)::int` })
    .from(conferenceParticipants)
    .where(and(eq(conferenceParticipants.conferenceId, c.id), ne(conferenceParticipants.state, 'waiting')));
  const state = admitted > 0 || c.state === 'ended' ? 'ended' : 'cancelled';
  await tx.update(conferences).set({ state, endedAt: now() }).where(eq(conferences.id, c.id));
  await tx
    .update(conferenceParticipants)
    .set({ state: 'left', leftAt: now() })
    .where(and(eq(conferenceParticipants.conferenceId, c.id), inArray(conferenceParticipants.state, ['waiting', 'admitted'])));
  await tx.delete(conferenceSignals).where(eq(conferenceSignals.conferenceId, c.id));
  await tx.delete(conferenceGuests).where(eq(conferenceGuests.conferenceId, c.id));
  if (state === 'ended') {
    const [{ n }] = await tx
      .select({ n: sql<number>`count(distinct coalesce(${conferenceParticipants.userId}, ${conferenceParticipants.guestId}))::int` })
      .from(conferenceParticipants)
      .where(and(eq(conferenceParticipants.conferenceId, c.id), sql`${conferenceParticipants.admittedAt} is not null`));
    await recordCallEnded(tx, { orgId: c.orgId, userId: c.hostId, callId: c.id, kind: 'conference', participants: n });
  }
  await publish(db, tx, conferenceChannel(c.id), { kind: 'conference', conferenceId: c.id, state: 'ended' });
}

/** The host ends (or cancels) the conference from the list. */
export async function endConference(db: Db, session: SessionContext, id: string) {
  await db.transaction(async (tx) => {
    const c = await conferenceFor(tx, session, id);
    if (c.hostId !== session.userId) throw new AppError('forbidden');
    if (c.state !== 'scheduled') throw new AppError('conflict');
    await finishConference(db, tx, c);
  });
  void closeMediaRoom(id);
  return { ok: true };
}

/**
 * A host or invited member enters: straight into the room (no lobby), as
 * long as the mesh has room. A member's earlier entry (another tab, a
 * reload) is replaced.
 */
export async function enterAsMember(db: Db, session: SessionContext, id: string) {
  const token = randomToken();
  const p = await db.transaction(async (tx) => {
    const c = await conferenceFor(tx, session, id);
    const w = conferenceWindow(c);
    if (w.status === 'cancelled' || w.status === 'past') throw new AppError('conference_ended');
    if (w.status === 'early') throw new AppError('appointment_early');
    const replaced = await tx
      .update(conferenceParticipants)
      .set({ state: 'left', leftAt: now() })
      .where(
        and(
          eq(conferenceParticipants.conferenceId, c.id),
          eq(conferenceParticipants.userId, session.userId),
          or(eq(conferenceParticipants.state, 'admitted'), eq(conferenceParticipants.state, 'waiting')),
        ),
      )
      .returning({ id: conferenceParticipants.id });
    await assertRoom(tx, c.id);
    const [row] = await tx
      .insert(conferenceParticipants)
      .values({ conferenceId: c.id, orgId: c.orgId, userId: session.userId, tokenHash: sha256Hex(token), state: 'admitted', admittedAt: now() })
      .returning();
    for (const r of replaced) await publish(db, tx, conferenceChannel(c.id), { kind: 'conference-participant', conferenceId: c.id, participantId: r.id, state: 'left' });
    await publish(db, tx, conferenceChannel(c.id), { kind: 'conference-participant', conferenceId: c.id, participantId: row!.id, state: 'admitted' });
    await startedOnce(tx, c);
    return row!;
  });
  return { token, participantId: p.id, conferenceId: id, ...iceConfig(), media: livekitEnabled() ? ('livekit' as const) : ('mesh' as const) };
}

/**
 * Refuses a fifth participant in the mesh; one whose browser is gone (see
 * sweepAbsent) holds no place. Through a LiveKit server every browser sends
 * once, whatever the number: no limit here.
 */
export async function assertRoom(tx: DbOrTx, conferenceId: string): Promise<void> {
  if (livekitEnabled()) return;
  const [{ n }] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(conferenceParticipants)
    .where(
      and(
        eq(conferenceParticipants.conferenceId, conferenceId),
        eq(conferenceParticipants.state, 'admitted'),
        gt(conferenceParticipants.lastSeenAt, new Date(now().getTime() - PRESENCE_TIMEOUT_MS)),
      ),
    );
  if (n >= MESH_MAX_PARTICIPANTS) throw new AppError('conference_full', { detail: String(MESH_MAX_PARTICIPANTS) });
}

/** The conference counts as started when its first participant is in (for the statistics; idempotent). */
export async function startedOnce(tx: DbOrTx, c: Pick<ConferenceRow, 'id' | 'orgId' | 'hostId'>): Promise<void> {
  await recordCallStarted(tx, { orgId: c.orgId, userId: c.hostId, callId: c.id, kind: 'conference', participants: 1 });
}
