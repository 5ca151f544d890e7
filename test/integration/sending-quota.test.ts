// Everything Konsil pays for has limits: patient SMS and e-mails per hour and
// per month from the plan's data (lib/messaging/patient.ts), counted one after
// another per organisation, all or nothing for an invitation with reminders.
import { BACKENDS, addMember, confirmTokenFromOutbox, createTestAppointment, expectAppError, loginAsOwner, registerAccount, resetClock, sessionFor, uid } from './helpers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { appointments, outbox } from '@/lib/db/schema';
import { setClock } from '@/lib/core/clock';
import { PLANS } from '@/lib/plans/plans';
import { enqueuePatientMessage, patientSendingUsage } from '@/lib/messaging/patient';
import { inviteForAppointment } from '@/lib/appointments/invite';
import { updateAppointment } from '@/lib/appointments/service';
import { deliverDue } from '@/lib/messaging/outbox';
import { createTransportResolver } from '@/lib/messaging/routing';
import { setMayMessagePatients } from '@/lib/members/service';
import { loadSessionContext } from '@/lib/auth/sessions';
import { confirmOrgEmail, resendOrgEmailConfirmation } from '@/lib/accounts/service';
import { requireFeature } from '@/lib/plans/gate';

const VARS = { practiceName: 'Praxis Dr. Quote', startsAt: new Date(Date.UTC(2031, 5, 9, 13, 30)), link: 'https://konsil.example/join#X', code: 'ABCD-EFGH-JKLM' };
const SMS = PLANS.plus.sending.sms;

describe.each(BACKENDS)('sending quotas on %s', (backend, open) => {
  let db: Db;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, close } = await open());
  });
  afterEach(() => resetClock());
  afterAll(async () => {
    await close?.();
  });

  /** Messages already queued, as the outbox holds them (status and contents do not matter for the count). */
  async function fill(orgId: string, n: number, createdAt: Date) {
    if (n <= 0) return;
    await db.insert(outbox).values(
      Array.from({ length: n }, () => ({ orgId, channel: 'sms' as const, template: 'patient_reminder', sealed: true, recipient: 'x', subject: '', bodyText: 'x', status: 'sent' as const, createdAt })),
    );
  }
  const queued = async (orgId: string) => (await db.select().from(outbox).where(and(eq(outbox.orgId, orgId), like(outbox.template, 'patient_%')))).length;
  const sms = (orgId: string) => ({ orgId, appointmentId: uid(), channel: 'sms' as const, to: '0171 2345678', locale: 'de' as const, kind: 'invitation' as const, vars: VARS });

  it('refuses the message over the hour\'s quota, then again when the month\'s is spent; nothing is queued by a refusal', async () => {
    const a = await registerAccount(db, { plan: 'plus' });
    setClock({ fixed: new Date('2031-06-20T10:00:00Z') });
    await fill(a.orgId, SMS.perHour - 1, new Date('2031-06-20T09:30:00Z'));
    await enqueuePatientMessage(db, sms(a.orgId));
    const over = await expectAppError(enqueuePatientMessage(db, sms(a.orgId)), 'quota_exceeded');
    expect(over.detail).toBe('smsPerHour');
    expect(await queued(a.orgId)).toBe(SMS.perHour);
    // An hour later there is room again, until the month is full.
    setClock({ fixed: new Date('2031-06-20T11:00:01Z') });
    await enqueuePatientMessage(db, sms(a.orgId));
    await fill(a.orgId, SMS.perMonth - SMS.perHour - 1, new Date('2031-06-02T08:00:00Z'));
    expect(await patientSendingUsage(db, a.orgId, 'sms')).toEqual({ ...SMS, usedHour: 1, usedMonth: SMS.perMonth });
    expect((await expectAppError(enqueuePatientMessage(db, sms(a.orgId)), 'quota_exceeded')).detail).toBe('smsPerMonth');
    // A new Berlin month: room again.
    setClock({ fixed: new Date('2031-06-30T22:00:01Z') });
    await enqueuePatientMessage(db, sms(a.orgId));
    // E-mails have a quota of their own.
    expect((await patientSendingUsage(db, a.orgId, 'email')).usedMonth).toBe(0);
  });

  it('parallel sends never overrun the quota', async () => {
    const a = await registerAccount(db, { plan: 'plus' });
    await fill(a.orgId, SMS.perHour - 3, new Date(Date.now() - 60_000));
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => enqueuePatientMessage(db, sms(a.orgId))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(await queued(a.orgId)).toBe(SMS.perHour);
  }, backend === 'pglite' ? 60_000 : 30_000);

  it('an invitation with reminders is refused whole when it would pass the quota', async () => {
    const a = await registerAccount(db, { plan: 'plus' });
    const session = await sessionFor(db, loginAsOwner(a));
    const { id, codes } = await createTestAppointment(db, session, a, { startsAt: new Date(Date.now() + 3 * 86400_000), durationMin: 30 });
    await fill(a.orgId, SMS.perHour - 2, new Date(Date.now() - 60_000));
    const invite = { channel: 'sms' as const, to: '0171 2345678', code: codes.patientCode, locale: 'de' as const, invitation: true, reminders: [24, 1] };
    await expectAppError(inviteForAppointment(db, session, id, invite), 'quota_exceeded');
    expect(await queued(a.orgId)).toBe(SMS.perHour - 2);
    expect((await inviteForAppointment(db, session, id, { ...invite, reminders: [24] })).queued).toBe(2);
  });

  it('members need an admin\'s permission to have Konsil send; owner and admins always may', async () => {
    const a = await registerAccount(db, { plan: 'plus' });
    const owner = await sessionFor(db, loginAsOwner(a));
    const { id, codes } = await createTestAppointment(db, owner, a, { startsAt: new Date(Date.now() + 3 * 86400_000) });
    const m = await addMember(db, { session: owner, user: a.user });
    const member = await sessionFor(db, m);
    expect(member.mayMessagePatients).toBe(false);
    expect(owner.mayMessagePatients).toBe(true);
    const invite = { channel: 'email' as const, to: 'patient@example.org', code: codes.patientCode, locale: 'de' as const, invitation: true, reminders: [] };
    await expectAppError(inviteForAppointment(db, member, id, invite), 'messaging_not_allowed');
    expect(await queued(a.orgId)).toBe(0);
    // The manual invitation is always theirs.
    expect((await inviteForAppointment(db, member, id, { channel: 'manual' })).queued).toBe(0);
    // Another organisation's admin cannot allow it; a member cannot allow it for themselves.
    const b = await registerAccount(db, { plan: 'plus' });
    await expectAppError(setMayMessagePatients(db, await sessionFor(db, loginAsOwner(b)), m.userId, true), 'not_found');
    await expectAppError(setMayMessagePatients(db, member, m.userId, true), 'forbidden');
    await setMayMessagePatients(db, owner, m.userId, true);
    const allowed = (await loadSessionContext(db, member.sessionId))!;
    expect((await inviteForAppointment(db, allowed, id, invite)).queued).toBe(1);
    await setMayMessagePatients(db, owner, m.userId, false);
    await expectAppError(inviteForAppointment(db, (await loadSessionContext(db, member.sessionId))!, id, invite), 'messaging_not_allowed');
  });

  it('paid sending waits for the organisation\'s confirmed e-mail address; the link works once; a new one can be sent', async () => {
    const a = await registerAccount(db, { plan: 'plus', confirmEmail: false });
    const owner = await sessionFor(db, loginAsOwner(a));
    await expectAppError(enqueuePatientMessage(db, sms(a.orgId)), 'email_unconfirmed');
    await expectAppError(requireFeature(db, a.orgId, 'reminders'), 'email_unconfirmed');
    // Screen sharing costs nothing per use: not held back.
    await requireFeature(db, a.orgId, 'screenSharing');
    await expectAppError(confirmOrgEmail(db, 'x'.repeat(43)), 'confirmation_invalid');
    // A new link replaces the first.
    const first = await confirmTokenFromOutbox(db, a.orgId);
    await resendOrgEmailConfirmation(db, owner);
    const second = await confirmTokenFromOutbox(db, a.orgId);
    expect(second).not.toBe(first);
    await expectAppError(confirmOrgEmail(db, first), 'confirmation_invalid');
    expect(await confirmOrgEmail(db, second)).toEqual({ orgName: a.request.contract.orgName });
    await expectAppError(confirmOrgEmail(db, second), 'confirmation_invalid');
    await enqueuePatientMessage(db, sms(a.orgId));
    // Nothing left to confirm.
    await expectAppError(resendOrgEmailConfirmation(db, owner), 'conflict');
  });

  it('moving an appointment withdraws what was queued with the old time and queues it for the new one; a reminder is never sent once the appointment has begun', async () => {
    const a = await registerAccount(db, { plan: 'plus' });
    const owner = await sessionFor(db, loginAsOwner(a));
    const startsAt = new Date(Date.now() + 3 * 86400_000);
    const { id, codes } = await createTestAppointment(db, owner, a, { startsAt });
    const invite = { channel: 'email' as const, to: 'patient@example.org', code: codes.patientCode, locale: 'de' as const, invitation: false, reminders: [24, 1] };
    expect((await inviteForAppointment(db, owner, id, invite)).queued).toBe(2);
    const [row] = await db.select().from(appointments).where(eq(appointments.id, id));
    // Another note, same time: nothing withdrawn.
    expect(await updateAppointment(db, owner, id, { startsAt, durationMin: 30, holderId: owner.userId, recordEnc: row!.recordEnc })).toEqual({ withdrawnMessages: 0, followedMessages: 0 });
    // Moved by a day: both reminders with the old time are cancelled and erased; two new ones follow the new time.
    const later = new Date(startsAt.getTime() + 86400_000);
    expect(await updateAppointment(db, owner, id, { startsAt: later, durationMin: 30, holderId: owner.userId, recordEnc: row!.recordEnc })).toEqual({
      withdrawnMessages: 0,
      followedMessages: 2,
    });
    const rows = await db.select().from(outbox).where(eq(outbox.appointmentId, id));
    expect(rows.filter((r) => r.status === 'cancelled').map((r) => r.recipient)).toEqual(['[redacted]', '[redacted]']);
    expect(rows.filter((r) => r.status === 'pending').map((r) => r.nextAttemptAt.getTime()).sort()).toEqual([later.getTime() - 24 * 3600_000, later.getTime() - 3600_000]);

    // A reminder still queued when its appointment begins is cancelled by the worker, not sent late.
    const soon = await createTestAppointment(db, owner, a, { startsAt: new Date(Date.now() + 2 * 3600_000) });
    expect((await inviteForAppointment(db, owner, soon.id, { ...invite, code: soon.codes.patientCode, reminders: [1] })).queued).toBe(1);
    setClock({ offsetMs: 2 * 3600_000 + 60_000 });
    await deliverDue(db, createTransportResolver(), 1000);
    const [late] = await db.select().from(outbox).where(eq(outbox.appointmentId, soon.id));
    expect(late).toMatchObject({ status: 'cancelled', lastError: 'appointment_over', recipient: '[redacted]' });
  });
});
