import 'server-only';
import { and, asc, eq, isNotNull, isNull, ne, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db/client';
import { appointments, callParticipants, outbox, patientContacts, users } from '@/lib/db/schema';
import { AppError } from '@/lib/core/errors';
import { requireAdmin, type SessionContext } from '@/lib/auth/sessions';
import { sha256Hex } from '@/lib/server/hash';
import { now } from '@/lib/core/clock';
import { channels, publish } from '@/lib/server/bus';
import { cancelPatientMessages } from '@/lib/messaging/patient';
import { CLOSES_AFTER_END_MIN } from '@/lib/video/window';
import { appointmentColumns } from './service';
import type { TNewCodes } from './schemas';

// Every member can read every appointment's codes (they sit in the record,
// under orgKey). When a member is removed, the codes of appointments still to
// come are theirs to misuse: an admin's browser gives those appointments new
// codes (lib/protocol/appointments.ts, renewCodes) and the practice sends
// the patients the new link.

/** The waiting room has not closed yet, by the app's clock. */
const stillToCome = () => sql`${appointments.startsAt} + make_interval(mins => ${appointments.durationMin} + ${CLOSES_AFTER_END_MIN}) > ${now().toISOString()}::timestamptz`;

/** Called in the removal's transaction: the organisation's appointments still to come need new codes. */
export async function markCodesStale(tx: DbOrTx, orgId: string): Promise<number> {
  const rows = await tx
    .update(appointments)
    .set({ codesStale: true })
    .where(and(eq(appointments.orgId, orgId), eq(appointments.state, 'scheduled'), isNotNull(appointments.patientLookup), stillToCome()))
    .returning({ id: appointments.id });
  return rows.length;
}

/** For an admin's browser: the appointments to re-key, with whether Konsil had messaged their patients. */
export async function listStaleAppointments(db: DbOrTx, session: SessionContext) {
  requireAdmin(session);
  return db
    .select({
      ...appointmentColumns,
      konsilMessaged: sql<boolean>`exists (select 1 from ${outbox} where ${outbox.appointmentId} = ${appointments.id} and ${outbox.template} like 'patient_%')`,
    })
    .from(appointments)
    .leftJoin(users, eq(users.id, appointments.holderId))
    .where(and(eq(appointments.orgId, session.orgId), eq(appointments.codesStale, true), eq(appointments.state, 'scheduled'), isNotNull(appointments.patientLookup)))
    .orderBy(asc(appointments.startsAt));
}

export type StaleAppointmentRow = Awaited<ReturnType<typeof listStaleAppointments>>[number];

/**
 * Replaces an appointment's codes with ones an admin's browser made. What
 * carried the old patient code goes: pending messages are withdrawn, the kept
 * contacts forgotten, and anyone in the room by an old code is let go.
 */
export async function replaceCodes(db: Db, session: SessionContext, id: string, input: TNewCodes): Promise<{ withdrawnMessages: number }> {
  requireAdmin(session);
  if (input.patientLookup === input.hostLookup) throw new AppError('validation', { fields: { hostLookup: 'bad_format' } });
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(appointments)
      .set({
        recordEnc: input.recordEnc,
        patientLookup: sha256Hex(input.patientLookup),
        hostLookup: sha256Hex(input.hostLookup),
        hostWrap: input.hostWrap,
        codesStale: false,
        updatedAt: now(),
      })
      .where(and(eq(appointments.id, id), eq(appointments.orgId, session.orgId), eq(appointments.state, 'scheduled'), isNotNull(appointments.patientLookup)))
      .returning({ id: appointments.id });
    if (!rows.length) throw new AppError('not_found');
    const withdrawnMessages = await cancelPatientMessages(tx, { orgId: session.orgId, appointmentId: id });
    await tx.delete(patientContacts).where(and(eq(patientContacts.orgId, session.orgId), eq(patientContacts.appointmentId, id)));
    const gone = await tx
      .update(callParticipants)
      .set({ state: 'left', leftAt: now() })
      .where(
        and(
          eq(callParticipants.appointmentId, id),
          ne(callParticipants.state, 'left'),
          or(eq(callParticipants.role, 'patient'), and(eq(callParticipants.role, 'host'), isNull(callParticipants.userId))),
        ),
      )
      .returning({ id: callParticipants.id, role: callParticipants.role });
    for (const p of gone) await publish(db, tx, channels.appointment(id), { kind: 'participant', role: p.role, participantId: p.id, state: 'left' });
    await publish(db, tx, channels.appointment(id), { kind: 'appointment', state: 'changed' });
    return { withdrawnMessages };
  });
}
