import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { outbox } from '@/lib/db/schema';
import { now } from '@/lib/clock';
import { AppError } from '@/lib/errors';
import { requireFeature } from '@/lib/plans/gate';
import { sealString } from '@/lib/server/seal';
import { normalizePhone } from '@/lib/sms/phone';
import { isValidEmail } from '@/lib/validation';
import { outboxAd, redactedColumns } from './outbox';
import { renderPatientEmail, renderPatientSms, type PatientMessageKind, type PatientVars } from './patient-templates';
import type { Locale } from './templates';

export type { PatientMessageKind, PatientVars } from './patient-templates';

export type PatientMessageInput = {
  orgId: string;
  appointmentId: string;
  channel: 'email' | 'sms';
  /** E-mail address, or a mobile number in international format (+49 …). */
  to: string;
  locale: Locale;
  kind: PatientMessageKind;
  vars: PatientVars;
  /** When to send (a reminder); default now. */
  sendAt?: Date;
};

/**
 * Puts an invitation or reminder to a patient into the outbox. The recipient,
 * subject and text (which holds the link and access code) are stored only
 * sealed under the server key, bound to the row; once the message is sent,
 * fails for good or is cancelled, they are replaced by "[redacted]".
 *
 * Plan gate: SMS need 'smsInvitation', e-mails 'emailInvitation', reminders
 * also 'reminders' (Konsil plus). Throws AppError 'plan_required', or
 * 'validation' with { to: 'invalidEmail' | 'phoneInternational' | 'invalidPhone' | 'required' }.
 */
export async function enqueuePatientMessage(db: DbOrTx, args: PatientMessageInput): Promise<string> {
  let to: string;
  if (args.channel === 'sms') {
    const p = normalizePhone(args.to);
    if (!p.ok) throw new AppError('validation', { fields: { to: p.error } });
    to = p.e164;
  } else {
    to = (args.to ?? '').trim();
    if (!isValidEmail(to)) throw new AppError('validation', { fields: { to: to ? 'invalidEmail' : 'required' } });
  }
  if (!(args.vars.startsAt instanceof Date) || Number.isNaN(args.vars.startsAt.getTime())) throw new AppError('bad_request');
  await requireFeature(db, args.orgId, args.channel === 'sms' ? 'smsInvitation' : 'emailInvitation');
  if (args.kind === 'reminder') await requireFeature(db, args.orgId, 'reminders');

  const rendered =
    args.channel === 'sms'
      ? { subject: '', text: renderPatientSms(args.kind, args.locale, args.vars) }
      : renderPatientEmail(args.kind, args.locale, args.vars);
  // The id is chosen here because it is part of each field's associated data.
  const id = randomUUID();
  await db.insert(outbox).values({
    id,
    orgId: args.orgId,
    appointmentId: args.appointmentId,
    channel: args.channel,
    template: `patient_${args.kind}`,
    sealed: true,
    recipient: sealString(to, outboxAd(id, 'recipient')),
    subject: sealString(rendered.subject, outboxAd(id, 'subject')),
    bodyText: sealString(rendered.text, outboxAd(id, 'body')),
    nextAttemptAt: args.sendAt ?? now(),
  });
  return id;
}

/**
 * Withdraws an appointment's messages that have not gone out yet: they become
 * 'cancelled' and their sealed contents are erased. A message being handed to
 * a provider at this very moment is not stopped. Returns how many were cancelled.
 */
export async function cancelPatientMessages(db: DbOrTx, args: { orgId: string; appointmentId: string }): Promise<number> {
  return cancelWhere(db, args.orgId, eq(outbox.appointmentId, args.appointmentId));
}

/** Cancels single messages of an organisation (Versandprotokoll); same rules as above. */
export async function cancelOutboxMessages(db: DbOrTx, args: { orgId: string; ids: string[] }): Promise<number> {
  if (args.ids.length === 0) return 0;
  return cancelWhere(db, args.orgId, inArray(outbox.id, args.ids));
}

async function cancelWhere(db: DbOrTx, orgId: string, which: SQL): Promise<number> {
  const rows = await db
    .update(outbox)
    .set({ status: 'cancelled', lockedUntil: null, ...redactedColumns })
    .where(
      and(
        eq(outbox.orgId, orgId),
        which,
        or(eq(outbox.status, 'pending'), and(eq(outbox.status, 'sending'), lt(outbox.lockedUntil, now()))),
      ),
    )
    .returning({ id: outbox.id });
  return rows.length;
}
