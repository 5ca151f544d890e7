// A removed member could read every appointment's codes: the appointments still
// to come are marked, and an admin's browser gives them new ones
// (lib/appointments/rekey.ts, renewCodes in lib/protocol/appointments.ts).
import { BACKENDS, addMember, createTestAppointment, expectAppError, ip, loginAsOwner, registerAccount, resetClock, sessionFor } from './helpers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { appointments, outbox, patientContacts } from '@/lib/db/schema';
import { removeMember } from '@/lib/members/service';
import { listStaleAppointments, markCodesStale, replaceCodes } from '@/lib/appointments/rekey';
import { inviteForAppointment } from '@/lib/appointments/invite';
import { cancelAppointment } from '@/lib/appointments/service';
import { renewCodes, openRecord } from '@/lib/protocol/appointments';
import { enterByCode, lookupCode } from '@/lib/video/calls';
import { participantByToken } from '@/lib/video/participant';
import { setClock } from '@/lib/core/clock';

describe.each(BACKENDS)('new codes after a member left on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await open());
  });
  afterEach(() => resetClock());
  afterAll(async () => {
    await close?.();
  });

  it('removal marks the appointments still to come; new codes from the admin replace the old ones everywhere', async () => {
    const a = await registerAccount(db, { plan: 'plus' });
    const owner = await sessionFor(db, loginAsOwner(a));
    const m = await addMember(db, { session: owner, user: a.user });
    const soon = await createTestAppointment(db, owner, a, { startsAt: new Date(Date.now() + 10 * 60_000), patientName: 'Frau Adler' });
    const later = await createTestAppointment(db, owner, a, { startsAt: new Date(Date.now() + 5 * 86400_000), patientName: 'Herr Birke' });
    const past = await createTestAppointment(db, owner, a, { startsAt: new Date(Date.now() - 5 * 86400_000) });
    const cancelled = await createTestAppointment(db, owner, a, { startsAt: new Date(Date.now() + 86400_000) });
    await cancelAppointment(db, owner, cancelled.id);
    await inviteForAppointment(db, owner, later.id, { channel: 'email', to: 'birke@example.org', code: later.codes.patientCode, locale: 'de', invitation: false, reminders: [24] });
    // Someone is in the waiting room by the old patient code.
    const waiting = await enterByCode(db, ip(), soon.codes.patientLookup);

    await removeMember(db, owner, m.userId, (tx) => markCodesStale(tx, owner.orgId));
    const stale = await listStaleAppointments(db, owner);
    expect(stale.map((s) => s.id).sort()).toEqual([soon.id, later.id].sort());
    expect(stale.find((s) => s.id === later.id)!.konsilMessaged).toBe(true);
    expect(stale.find((s) => s.id === soon.id)!.konsilMessaged).toBe(false);

    // The admin's browser: the record opened, new codes made, sealed again.
    for (const s of stale) {
      const r = (await renewCodes(a.orgKey, a.orgId, s))!;
      expect(r.record.patientCode).not.toBe(s.id === soon.id ? soon.codes.patientCode : later.codes.patientCode);
      const res = await replaceCodes(db, owner, s.id, r.body);
      expect(res.withdrawnMessages).toBe(s.id === later.id ? 1 : 0);
      const [row] = await db.select().from(appointments).where(eq(appointments.id, s.id));
      expect(openRecord(a.orgKey, a.orgId, row!)!.patientCode).toBe(r.record.patientCode);
      expect(row!.codesStale).toBe(false);
      // The new codes open the room, the old ones are unknown.
      expect((await lookupCode(db, ip(), r.body.patientLookup)).appointmentId).toBe(s.id);
      expect((await lookupCode(db, ip(), r.body.hostLookup)).role).toBe('host');
    }
    for (const old of [soon, later]) {
      await expectAppError(lookupCode(db, ip(), old.codes.patientLookup), 'code_unknown');
      await expectAppError(lookupCode(db, ip(), old.codes.hostLookup), 'code_unknown');
    }
    // Whoever waited with the old code is let go; the reminder with the old code is withdrawn and its contact forgotten.
    await expectAppError(participantByToken(db, waiting.token), 'call_token_invalid');
    expect((await db.select().from(outbox).where(eq(outbox.appointmentId, later.id))).map((o) => o.status)).toEqual(['cancelled']);
    expect(await db.select().from(patientContacts).where(eq(patientContacts.appointmentId, later.id))).toEqual([]);
    expect(await listStaleAppointments(db, owner)).toEqual([]);
    // Past and cancelled appointments were never marked.
    for (const id of [past.id, cancelled.id]) expect((await db.select().from(appointments).where(eq(appointments.id, id)))[0]!.codesStale).toBe(false);
    expect(await db.select().from(appointments).where(and(eq(appointments.orgId, a.orgId), eq(appointments.codesStale, true)))).toEqual([]);
  });

  it('only admins of the organisation, only scheduled appointments with codes', async () => {
    const a = await registerAccount(db);
    const owner = await sessionFor(db, loginAsOwner(a));
    const plain = await addMember(db, { session: owner, user: a.user });
    const plainSession = await sessionFor(db, plain);
    const other = await registerAccount(db);
    const otherOwner = await sessionFor(db, loginAsOwner(other));
    const appt = await createTestAppointment(db, owner, a, { startsAt: new Date(Date.now() + 86400_000) });
    const body = (await renewCodes(a.orgKey, a.orgId, (await db.select().from(appointments).where(eq(appointments.id, appt.id)))[0]!))!.body;
    await expectAppError(replaceCodes(db, plainSession, appt.id, body), 'forbidden');
    await expectAppError(listStaleAppointments(db, plainSession), 'forbidden');
    await expectAppError(replaceCodes(db, otherOwner, appt.id, body), 'not_found');
    await expectAppError(replaceCodes(db, owner, appt.id, { ...body, hostLookup: body.patientLookup }), 'validation');
    await cancelAppointment(db, owner, appt.id);
    await expectAppError(replaceCodes(db, owner, appt.id, body), 'not_found');
    // After the waiting room closed, nothing is marked any more.
    const old = await createTestAppointment(db, owner, a, { startsAt: new Date(Date.now() + 3600_000) });
    setClock({ offsetMs: 3 * 3600_000 });
    expect(await markCodesStale(db, a.orgId)).toBe(0);
    expect((await db.select().from(appointments).where(eq(appointments.id, old.id)))[0]!.codesStale).toBe(false);
  });
});
