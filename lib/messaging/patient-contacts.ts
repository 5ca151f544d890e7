import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { appointments, organisations, outbox, patientContacts } from '@/lib/db/schema';
import { now } from '@/lib/core/clock';
import { AppError } from '@/lib/core/errors';
import { getConfig } from '@/lib/core/config';
import { openString, sealString } from '@/lib/server/seal';
import { assertSendingQuota, enqueuePatientMessage, type PatientMessageKind } from './patient';
import type { Locale } from './templates';

// Whom Konsil messaged about an appointment, kept (sealed under the server
// key, like a pending outbox row) so that a moved appointment's reminders
// follow it and the patient hears of a cancellation. The server already had
// all of this to send the invitation; it keeps it until the appointment's
// codes are forgotten.

type Contact = { to: string; locale: Locale; code: string; reminders: number[]; invitation: boolean };

const contactAd = (id: string) => `patient_contacts:${id}`;

/** Remembers an invitation Konsil queued; a second one on the same channel replaces the first. */
export async function rememberPatientContact(db: DbOrTx, args: { orgId: string; appointmentId: string; channel: 'email' | 'sms'; contact: Contact }) {
  await db
    .delete(patientContacts)
    .where(and(eq(patientContacts.orgId, args.orgId), eq(patientContacts.appointmentId, args.appointmentId), eq(patientContacts.channel, args.channel)));
  const id = randomUUID();
  await db.insert(patientContacts).values({ id, orgId: args.orgId, appointmentId: args.appointmentId, channel: args.channel, sealed: sealString(JSON.stringify(args.contact), contactAd(id)) });
}

async function contactsOf(db: DbOrTx, orgId: string, appointmentId: string) {
  const rows = await db.select().from(patientContacts).where(and(eq(patientContacts.orgId, orgId), eq(patientContacts.appointmentId, appointmentId)));
  return rows.map((r) => ({ channel: r.channel, ...(JSON.parse(openString(r.sealed, contactAd(r.id))) as Contact) }));
}

/** Whether Konsil has handed anything about this appointment to the provider on this channel (the patient may have it). */
async function patientHeard(db: DbOrTx, appointmentId: string, channel: 'email' | 'sms', templates?: string[]): Promise<boolean> {
  const rows = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.appointmentId, appointmentId),
        eq(outbox.channel, channel),
        inArray(outbox.status, ['sent', 'sending']),
        ...(templates ? [inArray(outbox.template, templates)] : []),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

async function practiceName(db: DbOrTx, orgId: string): Promise<string> {
  const [o] = await db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, orgId));
  return o?.name ?? '';
}

/** Refusals that leave the appointment change standing: the practice is told the patient was not messaged. */
function isSendingRefusal(e: unknown): boolean {
  return e instanceof AppError && ['quota_exceeded', 'plan_required', 'sending_paused', 'validation'].includes(e.code);
}

export type FollowUp = { queued: number; notQueued: number };

/**
 * After an appointment moved (its pending messages already withdrawn): the
 * patient gets the invitation with the new time if the first one had not gone
 * out yet, else a notice of the new time; reminders are queued again for the
 * new time. Over quota or without the plan, nothing is queued for that
 * contact and it is counted in notQueued.
 */
export async function followMovedAppointment(db: DbOrTx, args: { orgId: string; appointmentId: string; startsAt: Date }): Promise<FollowUp> {
  const out: FollowUp = { queued: 0, notQueued: 0 };
  const contacts = await contactsOf(db, args.orgId, args.appointmentId);
  if (!contacts.length) return out;
  const name = await practiceName(db, args.orgId);
  for (const c of contacts) {
    const vars = { practiceName: name, startsAt: args.startsAt, link: `${getConfig().appUrl}/join#${c.code}`, code: c.code };
    const messages: { kind: PatientMessageKind; sendAt?: Date }[] = [];
    if (c.invitation) messages.push({ kind: (await patientHeard(db, args.appointmentId, c.channel, ['patient_invitation', 'patient_moved'])) ? 'moved' : 'invitation' });
    for (const h of c.reminders) {
      const sendAt = new Date(args.startsAt.getTime() - h * 3600_000);
      if (sendAt > now()) messages.push({ kind: 'reminder', sendAt });
    }
    let done = 0;
    try {
      await assertSendingQuota(db, args.orgId, c.channel, messages.length);
      for (const m of messages) {
        await enqueuePatientMessage(db, { orgId: args.orgId, appointmentId: args.appointmentId, channel: c.channel, to: c.to, locale: c.locale, kind: m.kind, vars, sendAt: m.sendAt });
        done++;
      }
    } catch (e) {
      if (!isSendingRefusal(e)) throw e;
    }
    out.queued += done;
    out.notQueued += messages.length - done;
  }
  return out;
}

/**
 * After a cancellation (pending messages already withdrawn): every patient
 * Konsil had already messaged is told, unless the appointment is over. The
 * contacts are forgotten at once.
 */
export async function noticeCancelledAppointment(db: DbOrTx, args: { orgId: string; appointmentId: string }): Promise<FollowUp> {
  const out: FollowUp = { queued: 0, notQueued: 0 };
  const contacts = await contactsOf(db, args.orgId, args.appointmentId);
  if (!contacts.length) return out;
  const [a] = await db.select({ startsAt: appointments.startsAt, durationMin: appointments.durationMin }).from(appointments).where(eq(appointments.id, args.appointmentId));
  const over = !a || a.startsAt.getTime() + a.durationMin * 60_000 < now().getTime();
  const name = await practiceName(db, args.orgId);
  for (const c of contacts) {
    if (over || !(await patientHeard(db, args.appointmentId, c.channel))) continue;
    try {
      await enqueuePatientMessage(db, {
        orgId: args.orgId,
        appointmentId: args.appointmentId,
        channel: c.channel,
        to: c.to,
        locale: c.locale,
        kind: 'cancelled',
        vars: { practiceName: name, startsAt: a!.startsAt, link: '', code: '' },
      });
      out.queued++;
    } catch (e) {
      if (!isSendingRefusal(e)) throw e;
      out.notQueued++;
    }
  }
  await db.delete(patientContacts).where(and(eq(patientContacts.orgId, args.orgId), eq(patientContacts.appointmentId, args.appointmentId)));
  return out;
}

/** With the codes, the contacts go: for appointments whose lookups were forgotten (job forget-codes). */
export async function forgetPatientContacts(db: DbOrTx): Promise<number> {
  const gone = db.select({ id: appointments.id }).from(appointments).where(or(isNull(appointments.patientLookup), eq(appointments.state, 'cancelled')));
  const rows = await db.delete(patientContacts).where(inArray(patientContacts.appointmentId, gone)).returning({ id: patientContacts.id });
  return rows.length;
}
