// Patients Konsil messaged follow their appointment (lib/messaging/patient-contacts.ts):
// a moved appointment sends the new time and re-queues the reminders, a
// cancellation tells everyone who had heard from Konsil, and what is kept for
// this goes with the appointment's codes.
import { BACKENDS, createTestAppointment, loginAsOwner, registerAccount, resetClock, sessionFor } from './helpers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { appointments, outbox, patientContacts } from '@/lib/db/schema';
import { setClock } from '@/lib/core/clock';
import { inviteForAppointment } from '@/lib/appointments/invite';
import { cancelAppointment, updateAppointment } from '@/lib/appointments/service';
import { cancelPatientMessages } from '@/lib/messaging/patient';
import { noticeCancelledAppointment } from '@/lib/messaging/patient-contacts';
import { deliverDue } from '@/lib/messaging/outbox';
import { createTransportResolver } from '@/lib/messaging/routing';
import { runScheduledJobs } from '@/lib/jobs';
import { openString } from '@/lib/server/seal';
import { PLANS } from '@/lib/plans/plans';

const berlinTime = (d: Date) => new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);

describe.each(BACKENDS)('patient messages follow the appointment on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, close } = await open());
  });
  afterEach(() => resetClock());
  afterAll(async () => {
    await close?.();
  });

  async function practice() {
    const a = await registerAccount(db, { plan: 'plus' });
    return { a, owner: await sessionFor(db, loginAsOwner(a)) };
  }
  async function messages(appointmentId: string) {
    const rows = await db.select().from(outbox).where(eq(outbox.appointmentId, appointmentId));
    return rows.map((r) => ({
      template: r.template,
      status: r.status,
      channel: r.channel,
      at: r.nextAttemptAt.getTime(),
      text: r.status === 'pending' ? openString(r.bodyText, `outbox:${r.id}:body`) : r.bodyText,
    }));
  }
  const move = async (owner: Awaited<ReturnType<typeof practice>>['owner'], id: string, startsAt: Date) => {
    const [row] = await db.select().from(appointments).where(eq(appointments.id, id));
    return updateAppointment(db, owner, id, { startsAt, durationMin: 30, holderId: owner.userId, recordEnc: row!.recordEnc });
  };
  const cancel = async (owner: Awaited<ReturnType<typeof practice>>['owner'], id: string) => {
    let notice = { queued: 0, notQueued: 0 };
    await cancelAppointment(db, owner, id, async (tx) => {
      await cancelPatientMessages(tx, { orgId: owner.orgId, appointmentId: id });
      notice = await noticeCancelledAppointment(tx, { orgId: owner.orgId, appointmentId: id });
    });
    return notice;
  };

  it('an invitation not yet sent goes out anew with the new time; once sent, the patient gets a notice of the new time; reminders follow', async () => {
    const { a, owner } = await practice();
    const startsAt = new Date(Date.now() + 3 * 86400_000);
    startsAt.setUTCHours(9, 0, 0, 0);
    const { id, codes } = await createTestAppointment(db, owner, a, { startsAt });
    await inviteForAppointment(db, owner, id, { channel: 'email', to: 'patient@example.org', code: codes.patientCode, locale: 'de', invitation: true, reminders: [24] });
    await inviteForAppointment(db, owner, id, { channel: 'sms', to: '0171 2345678', code: codes.patientCode, locale: 'de', invitation: true, reminders: [] });

    // Moved before anything went out: the invitations themselves carry the new time.
    const t1 = new Date(startsAt.getTime() + 2 * 3600_000);
    expect(await move(owner, id, t1)).toEqual({ withdrawnMessages: 0, followedMessages: 3 });
    let pending = (await messages(id)).filter((m) => m.status === 'pending');
    expect(pending.map((m) => [m.channel, m.template]).sort()).toEqual([
      ['email', 'patient_invitation'],
      ['email', 'patient_reminder'],
      ['sms', 'patient_invitation'],
    ]);
    const inv = pending.find((m) => m.channel === 'email' && m.template === 'patient_invitation')!;
    expect(inv.text).toContain(`${berlinTime(t1)} Uhr`);
    expect(inv.text).toContain(codes.patientCode);
    expect(pending.find((m) => m.template === 'patient_reminder')!.at).toBe(t1.getTime() - 24 * 3600_000);

    // The invitations go out; moved again, the patient gets the new time as a notice (not a second invitation).
    // The shared database holds other tests' mail too: deliver all that is due, not a first batch.
    await deliverDue(db, createTransportResolver(), 100_000);
    const t2 = new Date(t1.getTime() + 86400_000);
    expect(await move(owner, id, t2)).toEqual({ withdrawnMessages: 0, followedMessages: 3 });
    pending = (await messages(id)).filter((m) => m.status === 'pending');
    expect(pending.map((m) => [m.channel, m.template]).sort()).toEqual([
      ['email', 'patient_moved'],
      ['email', 'patient_reminder'],
      ['sms', 'patient_moved'],
    ]);
    const sms = pending.find((m) => m.channel === 'sms')!;
    expect(sms.text).toContain(`verlegt auf ${new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: '2-digit', month: '2-digit', year: 'numeric' }).format(t2)} um ${berlinTime(t2)} Uhr`);
    expect(sms.text).toContain(`Code: ${codes.patientCode}`);
    // Nothing with an old time is left to go out.
    expect(pending.every((m) => m.template !== 'patient_reminder' || m.at === t2.getTime() - 24 * 3600_000)).toBe(true);
  });

  it('over quota, what cannot follow is reported as withdrawn, so the practice invites by hand', async () => {
    const { a, owner } = await practice();
    const startsAt = new Date(Date.now() + 3 * 86400_000);
    const { id, codes } = await createTestAppointment(db, owner, a, { startsAt });
    await inviteForAppointment(db, owner, id, { channel: 'sms', to: '0171 2345678', code: codes.patientCode, locale: 'de', invitation: false, reminders: [24, 1] });
    // The hour's SMS are used up by other messages meanwhile.
    const perHour = PLANS.plus.sending.sms.perHour;
    await db.insert(outbox).values(
      Array.from({ length: perHour - 2 }, () => ({ orgId: a.orgId, channel: 'sms' as const, template: 'patient_reminder', sealed: true, recipient: 'x', subject: '', bodyText: 'x', status: 'sent' as const })),
    );
    expect(await move(owner, id, new Date(startsAt.getTime() + 3600_000))).toEqual({ withdrawnMessages: 2, followedMessages: 0 });
    expect((await messages(id)).filter((m) => m.status === 'pending')).toEqual([]);
  });

  it('a cancellation tells the patients who had heard from Konsil, not those whose invitation never went out; the contacts are forgotten', async () => {
    const { a, owner } = await practice();
    const startsAt = new Date(Date.now() + 2 * 86400_000);
    const heard = await createTestAppointment(db, owner, a, { startsAt });
    await inviteForAppointment(db, owner, heard.id, { channel: 'email', to: 'patient@example.org', code: heard.codes.patientCode, locale: 'en', invitation: true, reminders: [1] });
    // The shared database holds other tests' mail too: deliver all that is due, not a first batch.
    await deliverDue(db, createTransportResolver(), 100_000);
    const notYet = await createTestAppointment(db, owner, a, { startsAt });
    await inviteForAppointment(db, owner, notYet.id, { channel: 'email', to: 'other@example.org', code: notYet.codes.patientCode, locale: 'de', invitation: true, reminders: [1] });
    // The second one's invitation is held back (as if sent later): make it due tomorrow.
    await db.update(outbox).set({ nextAttemptAt: new Date(Date.now() + 86400_000) }).where(and(eq(outbox.appointmentId, notYet.id), eq(outbox.status, 'pending')));

    expect(await cancel(owner, heard.id)).toEqual({ queued: 1, notQueued: 0 });
    const after = await messages(heard.id);
    const notice = after.find((m) => m.template === 'patient_cancelled')!;
    expect(notice.status).toBe('pending');
    expect(notice.text).toContain('has cancelled your video consultation');
    expect(notice.text).not.toContain(heard.codes.patientCode);
    expect(after.filter((m) => m.template === 'patient_reminder').map((m) => m.status)).toEqual(['cancelled']);

    expect(await cancel(owner, notYet.id)).toEqual({ queued: 0, notQueued: 0 });
    expect((await messages(notYet.id)).map((m) => m.status)).toEqual(['cancelled', 'cancelled']);
    expect(await db.select().from(patientContacts).where(eq(patientContacts.orgId, a.orgId))).toEqual([]);
  });

  it('the contacts kept for this are sealed, and go with the codes a day after the waiting room closed', async () => {
    const { a, owner } = await practice();
    const { id, codes } = await createTestAppointment(db, owner, a, { startsAt: new Date(Date.now() + 3600_000) });
    await inviteForAppointment(db, owner, id, { channel: 'sms', to: '+49 171 2345678', code: codes.patientCode, locale: 'de', invitation: true, reminders: [] });
    const [c] = await db.select().from(patientContacts).where(eq(patientContacts.appointmentId, id));
    expect(c!.sealed).not.toContain('2345678');
    expect(c!.sealed).not.toContain(codes.patientCode);
    await runScheduledJobs(db);
    expect(await db.select().from(patientContacts).where(eq(patientContacts.appointmentId, id))).toHaveLength(1);
    setClock({ offsetMs: 3 * 86400_000 });
    await runScheduledJobs(db);
    expect(await db.select().from(patientContacts).where(eq(patientContacts.appointmentId, id))).toEqual([]);
  });
});
