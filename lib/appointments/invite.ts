import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { appointments, organisations } from '@/lib/db/schema';
import { AppError } from '@/lib/core/errors';
import type { SessionContext } from '@/lib/auth/sessions';
import { requireFeature } from '@/lib/plans/gate';
import { joinLookup, normaliseCode, formatCode, LEGACY_CODE_LENGTH, LOOKUP_KDF } from '@/lib/protocol/video';
import { scryptHex, sha256Hex } from '@/lib/server/hash';
import { getConfig } from '@/lib/core/config';
import { now } from '@/lib/core/clock';
import { assertSendingQuota, enqueuePatientMessage } from '@/lib/messaging/patient';
import { recordInvitation } from '@/lib/stats/service';
import { rememberPatientContact } from '@/lib/messaging/patient-contacts';
import type { TInvite } from './schemas';

/** The browser's joinLookup with Node's native scrypt (off the event loop): the same value (lib/protocol/video.test.ts). */
export function joinLookupNative(code: string): Promise<string> {
  const n = normaliseCode(code);
  if (!n) throw new AppError('validation', { fields: { code: 'invalid' } });
  if (n.length === LEGACY_CODE_LENGTH) return joinLookup(n);
  const { N, r, p, dkLen, salt } = LOOKUP_KDF;
  return scryptHex(n, salt, { N, r, p, dkLen });
}

/**
 * Invitations for the patient. 'manual' only counts the event: the practice
 * sent the prepared text itself and the server saw nothing. For 'email' and
 * 'sms' (plan plus) the address or number and the patient code pass through
 * the server for the send; they are sealed in the outbox until then and
 * erased after (see lib/messaging/patient).
 */
export async function inviteForAppointment(db: Db, session: SessionContext, appointmentId: string, input: TInvite) {
  const [a] = await db
    .select({ id: appointments.id, startsAt: appointments.startsAt, state: appointments.state, patientLookup: appointments.patientLookup, practiceName: organisations.name })
    .from(appointments)
    .innerJoin(organisations, eq(organisations.id, appointments.orgId))
    .where(and(eq(appointments.id, appointmentId), eq(appointments.orgId, session.orgId)));
  if (!a) throw new AppError('not_found');
  if (a.state === 'cancelled') throw new AppError('appointment_cancelled');
  if (input.channel === 'manual') {
    await recordInvitation(db, { orgId: session.orgId, userId: session.userId, type: 'invitation_manual' });
    return { queued: 0 };
  }
  // Messages Konsil sends cost money: members need an admin's permission.
  if (!session.mayMessagePatients) throw new AppError('messaging_not_allowed');
  await requireFeature(db, session.orgId, input.channel === 'sms' ? 'smsInvitation' : 'emailInvitation');
  if (input.reminders.length) await requireFeature(db, session.orgId, 'reminders');
  const code = normaliseCode(input.code);
  // The code must be this appointment's: nobody can use the sender for other texts.
  if (!code || sha256Hex(await joinLookupNative(code)) !== a.patientLookup) throw new AppError('validation', { fields: { code: 'invalid' } });
  const vars = { practiceName: a.practiceName, startsAt: a.startsAt, link: `${getConfig().appUrl}/join#${formatCode(code)}`, code: formatCode(code) };
  const reminderTimes = [...new Set(input.reminders)].map((h) => new Date(a.startsAt.getTime() - h * 3600_000)).filter((t) => t > now());
  // All or nothing: an invitation whose reminders would pass the quota is refused whole, before anything is queued.
  await assertSendingQuota(db, session.orgId, input.channel, (input.invitation ? 1 : 0) + reminderTimes.length);
  let queued = 0;
  if (input.invitation) {
    await enqueuePatientMessage(db, { orgId: session.orgId, appointmentId, channel: input.channel, to: input.to, locale: input.locale, kind: 'invitation', vars });
    await recordInvitation(db, { orgId: session.orgId, userId: session.userId, type: input.channel === 'sms' ? 'invitation_sms' : 'invitation_email' });
    queued++;
  }
  // A reminder that would already be late is not sent at all.
  for (const sendAt of reminderTimes) {
    await enqueuePatientMessage(db, { orgId: session.orgId, appointmentId, channel: input.channel, to: input.to, locale: input.locale, kind: 'reminder', vars, sendAt });
    queued++;
  }
  // Kept (sealed) so reminders follow a moved appointment and the patient hears of a cancellation.
  await rememberPatientContact(db, {
    orgId: session.orgId,
    appointmentId,
    channel: input.channel,
    contact: { to: input.to, locale: input.locale, code: formatCode(code), reminders: [...new Set(input.reminders)], invitation: input.invitation },
  });
  return { queued };
}
