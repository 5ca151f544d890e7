import 'server-only';
import { and, asc, eq, gte, isNotNull, lt, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db/client';
import { appointments, users } from '@/lib/db/schema';
import { AppError } from '@/lib/core/errors';
import type { SessionContext } from '@/lib/auth/sessions';
import { sha256Hex } from '@/lib/server/hash';
import { now } from '@/lib/core/clock';
import { channels, publish } from '@/lib/server/bus';
import { CLOSES_AFTER_END_MIN } from '@/lib/video/window';
import { cancelPatientMessages } from '@/lib/messaging/patient';
import { followMovedAppointment } from '@/lib/messaging/patient-contacts';

export type AppointmentInput = { startsAt: Date; durationMin: number; holderId: string; recordEnc: string };

/** An appointment as the API serves it (the record encrypted). */
export const appointmentColumns = {
  id: appointments.id,
  holderId: appointments.holderId,
  holderShortName: users.shortName,
  startsAt: appointments.startsAt,
  durationMin: appointments.durationMin,
  state: appointments.state,
  recordEnc: appointments.recordEnc,
  createdAt: appointments.createdAt,
  updatedAt: appointments.updatedAt,
};

async function assertHolder(db: DbOrTx, session: SessionContext, holderId: string): Promise<void> {
  const [u] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, holderId), eq(users.orgId, session.orgId), eq(users.status, 'active')));
  if (!u) throw new AppError('holder_invalid', { fields: { holderId: 'invalidChoice' } });
}

export async function listAppointments(db: DbOrTx, session: SessionContext, range: { from?: Date; to?: Date }) {
  const from = range.from ?? new Date(now().getTime() - 31 * 86400_000);
  const to = range.to ?? new Date(from.getTime() + 400 * 86400_000);
  return db
    .select(appointmentColumns)
    .from(appointments)
    .leftJoin(users, eq(users.id, appointments.holderId))
    .where(and(eq(appointments.orgId, session.orgId), gte(appointments.startsAt, from), lt(appointments.startsAt, to)))
    .orderBy(asc(appointments.startsAt))
    .limit(2000);
}

export async function getAppointment(db: DbOrTx, session: SessionContext, id: string) {
  const [row] = await db
    .select(appointmentColumns)
    .from(appointments)
    .leftJoin(users, eq(users.id, appointments.holderId))
    .where(and(eq(appointments.id, id), eq(appointments.orgId, session.orgId)));
  if (!row) throw new AppError('not_found');
  return row;
}

/** An appointment as the API serves it (appointmentColumns). */
export type AppointmentRow = Awaited<ReturnType<typeof getAppointment>>;

export async function createAppointment(
  db: DbOrTx,
  session: SessionContext,
  input: AppointmentInput & { id: string; patientLookup: string; hostLookup: string; hostWrap: string },
) {
  if (input.patientLookup === input.hostLookup) throw new AppError('validation', { fields: { hostLookup: 'bad_format' } });
  await assertHolder(db, session, input.holderId);
  await db.insert(appointments).values({
    id: input.id,
    orgId: session.orgId,
    holderId: input.holderId,
    startsAt: input.startsAt,
    durationMin: input.durationMin,
    recordEnc: input.recordEnc,
    patientLookup: sha256Hex(input.patientLookup),
    hostLookup: sha256Hex(input.hostLookup),
    hostWrap: input.hostWrap,
    createdBy: session.userId,
    createdAt: now(),
    updatedAt: now(),
  });
  return { id: input.id };
}

/**
 * Changes an appointment. Moved to another time, its pending invitations and
 * reminders (rendered with the old time) are withdrawn and, for patients
 * Konsil messages, follow the new time (lib/messaging/patient-contacts):
 * followedMessages were queued anew; withdrawnMessages could not be (quota,
 * plan), so the practice should invite again.
 */
export async function updateAppointment(
  db: Db,
  session: SessionContext,
  id: string,
  input: AppointmentInput,
): Promise<{ withdrawnMessages: number; followedMessages: number }> {
  const before = await getAppointment(db, session, id); // not_found for another organisation's row, before anything else
  await assertHolder(db, session, input.holderId);
  const rows = await db
    .update(appointments)
    .set({ startsAt: input.startsAt, durationMin: input.durationMin, holderId: input.holderId, recordEnc: input.recordEnc, updatedAt: now() })
    .where(and(eq(appointments.id, id), eq(appointments.orgId, session.orgId), eq(appointments.state, 'scheduled'), isNotNull(appointments.patientLookup)))
    .returning({ id: appointments.id, patientLookup: appointments.patientLookup });
  if (!rows.length) {
    // Cancelled, or so long over that its codes are forgotten: a new appointment gets new codes.
    const [a] = await db.select({ state: appointments.state }).from(appointments).where(eq(appointments.id, id));
    throw new AppError(a?.state === 'cancelled' ? 'appointment_cancelled' : 'appointment_past');
  }
  const moved = new Date(before.startsAt).getTime() !== input.startsAt.getTime();
  let result = { withdrawnMessages: 0, followedMessages: 0 };
  if (moved) {
    const withdrawn = await cancelPatientMessages(db, { orgId: session.orgId, appointmentId: id });
    const follow = await followMovedAppointment(db, { orgId: session.orgId, appointmentId: id, startsAt: input.startsAt });
    // Without anything to follow (no contact kept), what was withdrawn stays withdrawn.
    const followed = follow.queued + follow.notQueued > 0;
    result = { withdrawnMessages: followed ? follow.notQueued : withdrawn, followedMessages: follow.queued };
  }
  await publish(db, db, channels.appointment(id), { kind: 'appointment', state: 'changed' });
  return result;
}

export async function cancelAppointment(db: Db, session: SessionContext, id: string, onCancel?: (tx: DbOrTx) => Promise<unknown>) {
  await db.transaction(async (tx) => {
    const rows = await tx
      .update(appointments)
      .set({ state: 'cancelled', cancelledAt: now(), updatedAt: now() })
      .where(and(eq(appointments.id, id), eq(appointments.orgId, session.orgId), eq(appointments.state, 'scheduled')))
      .returning({ id: appointments.id });
    if (!rows.length) {
      await getAppointment(tx, session, id);
      throw new AppError('appointment_cancelled');
    }
    if (onCancel) await onCancel(tx);
    await publish(db, tx, channels.appointment(id), { kind: 'appointment', state: 'cancelled' });
  });
}

/** How long after the waiting room closed, or the cancellation, a code still says what became of it. */
export const CODES_KEPT_HOURS = 24;

/**
 * Forgets the access codes' lookup values and the wrapped patient code of
 * appointments whose waiting room closed, or that were cancelled, more than
 * CODES_KEPT_HOURS ago: the codes are then unknown to the server for good.
 */
export async function forgetExpiredCodes(db: DbOrTx, at: Date = now()): Promise<number> {
  const cutoff = new Date(at.getTime() - CODES_KEPT_HOURS * 3600_000);
  const rows = await db
    .update(appointments)
    .set({ patientLookup: null, hostLookup: null, hostWrap: null })
    .where(
      and(
        isNotNull(appointments.patientLookup),
        or(
          and(eq(appointments.state, 'cancelled'), lt(appointments.cancelledAt, cutoff)),
          sql`${appointments.startsAt} + make_interval(mins => ${appointments.durationMin} + ${CLOSES_AFTER_END_MIN}) < ${cutoff.toISOString()}::timestamptz`,
        ),
      ),
    )
    .returning({ id: appointments.id });
  return rows.length;
}
