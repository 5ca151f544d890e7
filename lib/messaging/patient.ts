import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, eq, gte, inArray, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { organisations, outbox } from '@/lib/db/schema';
import { now } from '@/lib/core/clock';
import { AppError } from '@/lib/core/errors';
import { requireFeature } from '@/lib/plans/gate';
import { planOf } from '@/lib/plans/plans';
import { berlinMonth, zonedToUtc } from '@/lib/time/berlin';
import { sealString } from '@/lib/server/seal';
import { getConfig } from '@/lib/core/config';
import { isValidEmail } from '@/lib/validation';
import { normalizePhone } from '@/lib/validation/phone';
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
 * 'validation' with { to: 'invalidEmail' | 'invalidPhone' | 'invalidMobile' | 'phoneCountry' | 'required' }.
 */
export async function enqueuePatientMessage(db: DbOrTx, args: PatientMessageInput): Promise<string> {
  let to: string;
  if (args.channel === 'sms') {
    const p = normalizePhone(args.to, { countries: getConfig().smsCountries });
    if (!p.ok) throw new AppError('validation', { fields: { to: p.error } });
    to = p.e164;
  } else {
    to = (args.to ?? '').trim();
    if (!isValidEmail(to)) throw new AppError('validation', { fields: { to: to ? 'invalidEmail' : 'required' } });
  }
  if (!(args.vars.startsAt instanceof Date) || Number.isNaN(args.vars.startsAt.getTime())) throw new AppError('bad_request');
  await requireFeature(db, args.orgId, args.channel === 'sms' ? 'smsInvitation' : 'emailInvitation');
  if (args.kind === 'reminder') await requireFeature(db, args.orgId, 'reminders');

  if (!getConfig().patientSending) throw new AppError('sending_paused');

  const rendered =
    args.channel === 'sms'
      ? { subject: '', text: renderPatientSms(args.kind, args.locale, args.vars) }
      : renderPatientEmail(args.kind, args.locale, args.vars);
  // The id is chosen here because it is part of each field's associated data.
  const id = randomUUID();
  await db.transaction(async (tx) => {
    // One organisation's sends are counted one after another (its row is the lock), so parallel requests cannot overrun the quota.
    await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, args.orgId)).for('update');
    await assertSendingQuota(tx, args.orgId, args.channel, 1);
    await insertSealed(tx, id, args, to, rendered);
  });
  return id;
}

async function insertSealed(db: DbOrTx, id: string, args: PatientMessageInput, to: string, rendered: { subject: string; text: string }) {
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
}

export type SendingUsage = { perHour: number; perMonth: number; usedHour: number; usedMonth: number };

/** Patient messages of one channel the organisation had queued in the last hour and in this Berlin month, against its plan's quota. */
export async function patientSendingUsage(db: DbOrTx, orgId: string, channel: 'sms' | 'email', at: Date = now()): Promise<SendingUsage> {
  const [org] = await db.select({ plan: organisations.plan }).from(organisations).where(eq(organisations.id, orgId));
  const quota = planOf(org?.plan ?? 'basis').sending[channel];
  const monthStart = zonedToUtc(`${berlinMonth(at)}-01`, '00:00');
  const hourAgo = new Date(at.getTime() - 3600_000);
  const [row] = await db
    .select({
      hour: sql<number>`count(*) filter (where ${outbox.createdAt} >= ${hourAgo.toISOString()}::timestamptz)::int`,
      month: sql<number>`count(*)::int`,
    })
    .from(outbox)
    .where(and(eq(outbox.orgId, orgId), eq(outbox.channel, channel), like(outbox.template, 'patient_%'), gte(outbox.createdAt, monthStart)));
  return { perHour: quota.perHour, perMonth: quota.perMonth, usedHour: Number(row?.hour ?? 0), usedMonth: Number(row?.month ?? 0) };
}

/** Refuses (quota_exceeded, nothing queued) when n more messages would pass the hour's or the month's quota. */
export async function assertSendingQuota(db: DbOrTx, orgId: string, channel: 'sms' | 'email', n: number): Promise<void> {
  const u = await patientSendingUsage(db, orgId, channel);
  if (u.usedHour + n > u.perHour) throw new AppError('quota_exceeded', { detail: `${channel}PerHour`, retryAfterSeconds: 3600 });
  if (u.usedMonth + n > u.perMonth) throw new AppError('quota_exceeded', { detail: `${channel}PerMonth` });
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
