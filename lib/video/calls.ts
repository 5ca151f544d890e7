import 'server-only';
import { and, asc, eq, gt, gte, inArray, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db/client';
import { appointments, callParticipants, organisations, signalMessages, users } from '@/lib/db/schema';
import { AppError } from '@/lib/core/errors';
import type { SessionContext } from '@/lib/auth/sessions';
import { randomToken, sha256Hex } from '@/lib/server/hash';
import { POLICIES, refundAttempt, takeAttempt } from '@/lib/server/rate-limit';
import { now } from '@/lib/core/clock';
import { hasFeature } from '@/lib/plans/plans';
import { joinWindow } from './window';
import { retentionCutoff } from '@/lib/stats/months';
import { recordCallEnded, recordCallStarted } from '@/lib/stats/service';
import { channels, publish } from '@/lib/server/bus';
import { iceConfig } from './ice';
import type { Participant, Role } from './participant';

/** What a code holder learns before entering: the practice, the time, whether the room is open. */
export async function lookupCode(db: DbOrTx, clientIp: string, lookup: string) {
  const limitKey = `join:ip:${clientIp}`;
  // Paid before the look-up (parallel guesses get no more than the budget), paid back when the code exists.
  await takeAttempt(db, limitKey, POLICIES.joinClient);
  const hash = sha256Hex(lookup);
  const [row] = await db
    .select({
      id: appointments.id,
      orgId: appointments.orgId,
      startsAt: appointments.startsAt,
      durationMin: appointments.durationMin,
      state: appointments.state,
      patientLookup: appointments.patientLookup,
      hostWrap: appointments.hostWrap,
      practiceName: organisations.name,
      plan: organisations.plan,
    })
    .from(appointments)
    .innerJoin(organisations, eq(organisations.id, appointments.orgId))
    .where(sql`${appointments.patientLookup} = ${hash} or ${appointments.hostLookup} = ${hash}`);
  if (!row) throw new AppError('code_unknown');
  await refundAttempt(db, limitKey);
  const role: Role = row.patientLookup === hash ? 'patient' : 'host';
  const w = joinWindow(row, now());
  return {
    role,
    appointmentId: row.id,
    orgId: row.orgId,
    practiceName: row.practiceName,
    startsAt: row.startsAt,
    durationMin: row.durationMin,
    status: w.status,
    opensAt: w.opensAt,
    closesAt: w.closesAt,
    screenSharing: hasFeature(row.plan, 'screenSharing'),
    // Only a doctor-code holder gets the wrapped patient code; it opens only with that code.
    hostWrap: role === 'host' ? row.hostWrap : undefined,
  };
}

function windowError(status: string): AppError {
  return new AppError(status === 'cancelled' ? 'appointment_cancelled' : status === 'past' ? 'appointment_past' : 'appointment_early');
}

async function issueToken(db: Db, args: { appointmentId: string; orgId: string; role: Role; userId: string | null; deviceId?: string | null }) {
  const token = randomToken();
  const state = args.role === 'host' ? 'admitted' : 'waiting';
  const [p] = await db.transaction(async (tx) => {
    // The doctor code is a bearer pass: it never takes the room from a signed-in member.
    if (args.role === 'host' && !args.userId) {
      const [member] = await tx
        .select({ id: callParticipants.id })
        .from(callParticipants)
        .where(
          and(
            eq(callParticipants.appointmentId, args.appointmentId),
            eq(callParticipants.role, 'host'),
            isNotNull(callParticipants.userId),
            ne(callParticipants.state, 'left'),
          ),
        );
      if (member) throw new AppError('room_occupied');
    }
    // One patient in the room at a time: a new entry (another tab, a reload)
    // replaces the previous one, which is told it has left.
    const replaced = await tx
      .update(callParticipants)
      .set({ state: 'left', leftAt: now() })
      .where(
        and(
          eq(callParticipants.appointmentId, args.appointmentId),
          eq(callParticipants.role, args.role),
          ne(callParticipants.state, 'left'),
          // A member replaces their own earlier entry and anyone in by the doctor code (a
          // signed-in member can always take the room back); the doctor code replaces only
          // the doctor code's earlier entry.
          ...(args.role === 'host'
            ? [args.userId ? or(eq(callParticipants.userId, args.userId), isNull(callParticipants.userId))! : isNull(callParticipants.userId)]
            : []),
        ),
      )
      .returning({ id: callParticipants.id });
    for (const r of replaced) {
      await publish(db, tx, channels.appointment(args.appointmentId), { kind: 'participant', role: args.role, participantId: r.id, state: 'left' });
    }
    const rows = await tx
      .insert(callParticipants)
      .values({ ...args, tokenHash: sha256Hex(token), state, createdAt: now(), lastSeenAt: now() })
      .returning();
    const [member] = args.userId ? await tx.select({ shortName: users.shortName }).from(users).where(eq(users.id, args.userId)) : [];
    const how = args.role === 'host' ? { via: args.userId ? ('member' as const) : ('code' as const), hostShortName: member?.shortName ?? null } : {};
    await publish(db, tx, channels.appointment(args.appointmentId), { kind: 'participant', role: args.role, participantId: rows[0]!.id, state, ...how });
    if (args.role === 'patient') await publish(db, tx, channels.org(args.orgId), { kind: 'waiting', appointmentId: args.appointmentId });
    return rows;
  });
  return { token, participantId: p!.id, ...iceConfig() };
}

/** A patient (or a doctor by doctor code) enters: the room must be open. */
export async function enterByCode(db: Db, clientIp: string, lookup: string) {
  const info = await lookupCode(db, clientIp, lookup);
  if (info.status !== 'open') throw windowError(info.status);
  const t = await issueToken(db, { appointmentId: info.appointmentId, orgId: info.orgId, role: info.role, userId: null });
  return { ...t, role: info.role, appointmentId: info.appointmentId, screenSharing: info.screenSharing };
}

/** A signed-in member hosts one of the organisation's appointments. */
export async function enterAsHost(db: Db, session: SessionContext, appointmentId: string) {
  const [a] = await db
    .select({ id: appointments.id, state: appointments.state, startsAt: appointments.startsAt, durationMin: appointments.durationMin, plan: organisations.plan })
    .from(appointments)
    .innerJoin(organisations, eq(organisations.id, appointments.orgId))
    .where(and(eq(appointments.id, appointmentId), eq(appointments.orgId, session.orgId)));
  if (!a) throw new AppError('not_found');
  if (a.state === 'cancelled') throw new AppError('appointment_cancelled');
  // Hosts may open the room early, but not after it has closed: the token would be void at once.
  if (joinWindow({ ...a, state: a.state }, now()).status === 'past') throw new AppError('appointment_past');
  const t = await issueToken(db, { appointmentId, orgId: session.orgId, role: 'host', userId: session.userId, deviceId: session.deviceId });
  return { ...t, role: 'host' as const, appointmentId, screenSharing: hasFeature(a.plan, 'screenSharing') };
}

/** Current room state as a participant sees it. */
export async function roomState(db: DbOrTx, appointmentId: string) {
  const found = await db
    .select({
      id: callParticipants.id,
      role: callParticipants.role,
      state: callParticipants.state,
      createdAt: callParticipants.createdAt,
      userId: callParticipants.userId,
      hostShortName: users.shortName,
    })
    .from(callParticipants)
    .leftJoin(users, eq(users.id, callParticipants.userId))
    .where(and(eq(callParticipants.appointmentId, appointmentId), ne(callParticipants.state, 'left')))
    .orderBy(asc(callParticipants.createdAt));
  // How each host entered: as a signed-in member (named), or by the doctor code.
  const rows = found.map(({ userId, hostShortName, ...r }) => ({
    ...r,
    via: r.role === 'host' ? (userId ? ('member' as const) : ('code' as const)) : null,
    hostShortName: r.role === 'host' ? (hostShortName ?? null) : null,
  }));
  const [a] = await db.select({ state: appointments.state }).from(appointments).where(eq(appointments.id, appointmentId));
  return { participants: rows, appointment: a?.state ?? 'cancelled' };
}

/** An open event stream touches its participant this often… */
export const HEARTBEAT_MS = 20_000;
/** …and a participant not seen for this long counts as gone. */
export const PRESENCE_TIMEOUT_MS = 60_000;

/** Relays one sealed message to the other side. The server cannot read or forge it. */
export async function postSignal(db: Db, p: Participant, payload: string) {
  if (p.role === 'patient' && p.state !== 'admitted') throw new AppError('forbidden');
  const to: Role = p.role === 'host' ? 'patient' : 'host';
  await db.transaction(async (tx) => {
    const [m] = await tx
      .insert(signalMessages)
      .values({ appointmentId: p.appointmentId, fromRole: p.role, toRole: to, payload, createdAt: now() })
      .returning({ id: signalMessages.id });
    await publish(db, tx, channels.appointment(p.appointmentId), { kind: 'signal', id: m!.id, to });
  });
}

export async function signalsFor(db: DbOrTx, appointmentId: string, to: Role, afterId: number, since: Date) {
  return db
    .select({ id: signalMessages.id, payload: signalMessages.payload })
    .from(signalMessages)
    .where(
      and(
        eq(signalMessages.appointmentId, appointmentId),
        eq(signalMessages.toRole, to),
        gt(signalMessages.id, afterId),
        gte(signalMessages.createdAt, since),
      ),
    )
    .orderBy(asc(signalMessages.id))
    .limit(500);
}

/** "Hereinbitten": the host admits the waiting patient. */
export async function admit(db: Db, host: Participant, participantId: string) {
  if (host.role !== 'host') throw new AppError('forbidden');
  await db.transaction(async (tx) => {
    const rows = await tx
      .update(callParticipants)
      .set({ state: 'admitted', admittedAt: now() })
      .where(
        and(
          eq(callParticipants.id, participantId),
          eq(callParticipants.appointmentId, host.appointmentId),
          eq(callParticipants.role, 'patient'),
          eq(callParticipants.state, 'waiting'),
        ),
      )
      .returning({ id: callParticipants.id });
    if (!rows.length) throw new AppError('not_found');
    await publish(db, tx, channels.appointment(host.appointmentId), { kind: 'participant', role: 'patient', participantId, state: 'admitted' });
    await publish(db, tx, channels.org(host.orgId), { kind: 'waiting', appointmentId: host.appointmentId });
  });
}

async function holderOf(db: DbOrTx, appointmentId: string): Promise<string | null> {
  const [a] = await db.select({ holderId: appointments.holderId }).from(appointments).where(eq(appointments.id, appointmentId));
  return a?.holderId ?? null;
}

/** The admitted patient's participant id names the call: one admission, one call. */
async function currentCallId(db: DbOrTx, appointmentId: string): Promise<string | null> {
  const [p] = await db
    .select({ id: callParticipants.id })
    .from(callParticipants)
    .where(and(eq(callParticipants.appointmentId, appointmentId), eq(callParticipants.role, 'patient'), eq(callParticipants.state, 'admitted')))
    .orderBy(asc(callParticipants.admittedAt))
    .limit(1);
  return p?.id ?? null;
}

/** Both browsers report when their media connection is up; the first report starts the call. */
export async function reportConnected(db: Db, p: Participant) {
  const callId = await currentCallId(db, p.appointmentId);
  if (!callId) return { started: false };
  const started = await recordCallStarted(db, {
    orgId: p.orgId,
    userId: (await holderOf(db, p.appointmentId)) ?? p.userId,
    callId,
    kind: 'consultation',
    participants: 2,
  });
  return { started };
}

/** Leaving (hang-up, closing the tab): the other side is told; a running call ends. */
export async function leave(db: Db, p: Participant) {
  const callId = p.role === 'patient' ? (p.state === 'admitted' ? p.id : null) : await currentCallId(db, p.appointmentId);
  await db.transaction(async (tx) => {
    await tx.update(callParticipants).set({ state: 'left', leftAt: now() }).where(eq(callParticipants.id, p.id));
    await publish(db, tx, channels.appointment(p.appointmentId), { kind: 'participant', role: p.role, participantId: p.id, state: 'left' });
    if (p.role === 'patient') await publish(db, tx, channels.org(p.orgId), { kind: 'waiting', appointmentId: p.appointmentId });
  });
  if (callId) {
    await recordCallEnded(db, {
      orgId: p.orgId,
      userId: (await holderOf(db, p.appointmentId)) ?? p.userId,
      callId,
      kind: 'consultation',
      participants: 2,
    });
  }
}

export async function touch(db: DbOrTx, p: Participant) {
  await db.update(callParticipants).set({ lastSeenAt: now() }).where(eq(callParticipants.id, p.id));
}

/** Screen sharing is a plus feature; the browser asks before it offers a screen track. */
export async function requestScreenShare(db: DbOrTx, p: Participant) {
  const [o] = await db.select({ plan: organisations.plan }).from(organisations).where(eq(organisations.id, p.orgId));
  if (!o || !hasFeature(o.plan, 'screenSharing')) throw new AppError('plan_required', { detail: 'screenSharing' });
  return { allowed: true };
}

/** Appointments of the organisation with a patient in the waiting room (for the dashboard). */
export async function waitingRoomsOf(db: DbOrTx, session: SessionContext) {
  const rows = await db
    .select({ appointmentId: callParticipants.appointmentId, participantId: callParticipants.id, since: callParticipants.createdAt, state: callParticipants.state })
    .from(callParticipants)
    .where(
      and(
        eq(callParticipants.orgId, session.orgId),
        eq(callParticipants.role, 'patient'),
        inArray(callParticipants.state, ['waiting', 'admitted']),
        // Present means: the browser's event stream touched the row recently.
        gt(callParticipants.lastSeenAt, new Date(now().getTime() - PRESENCE_TIMEOUT_MS)),
      ),
    )
    .orderBy(asc(callParticipants.createdAt));
  return rows;
}

/** Signalling messages are only needed while a call is being set up. */
/** Participants (who was in which call, from which device) go with the call events: after three months (KBV Anlage 31b). */
export async function purgeCallParticipants(db: DbOrTx, at: Date = now()): Promise<number> {
  const rows = await db.delete(callParticipants).where(lt(callParticipants.createdAt, retentionCutoff(at))).returning({ id: callParticipants.id });
  return rows.length;
}

export async function purgeSignalling(db: DbOrTx) {
  const cutoff = new Date(now().getTime() - 60 * 60_000);
  await db.delete(signalMessages).where(lt(signalMessages.createdAt, cutoff));
  // Participants that vanished without leaving (closed laptop): after 12 hours they are gone.
  await db
    .update(callParticipants)
    .set({ state: 'left', leftAt: now() })
    .where(and(ne(callParticipants.state, 'left'), lt(callParticipants.lastSeenAt, new Date(now().getTime() - 12 * 3600_000))));
}
