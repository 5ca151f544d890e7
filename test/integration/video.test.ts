// Appointments, the patient's way in, and the signalling relay (lib/appointments,
// lib/video), on PostgreSQL and PGlite. The browser side is in e2e/video*.spec.ts.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { BACKENDS, addMember, expectAppError, ip, nativeJoinLookup, registerWithSession, resetClock, sessionFor, uid, type Account } from './helpers';
import type { Db } from '@/lib/db/client';
import { openPostgres } from '@/lib/db/client';
import { appointments, callEvents, callParticipants, organisations, signalMessages } from '@/lib/db/schema';
import type { SessionContext } from '@/lib/auth/sessions';
import { cancelAppointment, createAppointment, forgetExpiredCodes, getAppointment, listAppointments, updateAppointment } from '@/lib/appointments/service';
import { removeMember } from '@/lib/members/service';
import { decideDevice } from '@/lib/devices/service';
import { newCodes, openRecord, sealRecord, type PatientRecord } from '@/lib/protocol/appointments';
import { joinLookup } from '@/lib/protocol/video';
import {
  admit,
  enterAsHost,
  enterByCode,
  leave,
  lookupCode,
  postSignal,
  reportConnected,
  requestScreenShare,
  roomState,
  signalsFor,
} from '@/lib/video/calls';
import { participantByToken } from '@/lib/video/participant';
import { channels, publish, subscribe, type BusEvent } from '@/lib/server/bus';
import { setClock } from '@/lib/core/clock';

function record(codes: Awaited<ReturnType<typeof newCodes>>, name = 'Erika Mustermann'): PatientRecord {
  return { patientName: name, birthDate: '1961-04-17', phone: '+49 171 2345678', email: 'erika@example.org', note: 'Kontrolle', doctorCode: codes.doctorCode, patientCode: codes.patientCode };
}

async function makeAppointment(db: Db, s: SessionContext, a: Account, opts: { startsAt?: Date; durationMin?: number } = {}) {
  const id = uid();
  const codes = await newCodes(id, nativeJoinLookup);
  await createAppointment(db, s, {
    id,
    startsAt: opts.startsAt ?? new Date(),
    durationMin: opts.durationMin ?? 30,
    holderId: s.userId,
    recordEnc: sealRecord(a.orgKey, a.orgId, id, record(codes)),
    patientLookup: codes.patientLookup,
    hostLookup: codes.hostLookup,
    hostWrap: codes.hostWrap,
  });
  return { id, codes };
}

const waitFor = async (cond: () => boolean, ms = 3000) => {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe.each(BACKENDS)('appointments and calls on %s', (backend, open) => {
  let db: Db;
  let close: () => Promise<void>;
  let a: Account;
  let sA: SessionContext;
  let sB: SessionContext;

  beforeAll(async () => {
    ({ db, close } = await open());
    ({ account: a, session: sA } = await registerWithSession(db));
    ({ session: sB } = await registerWithSession(db));
  });
  afterAll(async () => {
    resetClock();
    await close?.();
  });

  it('stores start, length, state and holder in clear and the patient only encrypted', async () => {
    const { id, codes } = await makeAppointment(db, sA, a);
    const [row] = await db.select().from(appointments).where(eq(appointments.id, id));
    const dump = JSON.stringify(row);
    for (const secret of ['Erika', '2345678', 'erika@example.org', 'Kontrolle', codes.patientCode, codes.doctorCode, codes.patientCode.replace(/-/g, '')]) {
      expect(dump).not.toContain(secret);
    }
    // The lookups are stored only hashed: what the browser sends does not match the column.
    expect(row!.patientLookup).not.toBe(codes.patientLookup);
    const listed = await listAppointments(db, sA, {});
    const mine = listed.find((x) => x.id === id)!;
    expect(openRecord(a.orgKey, a.orgId, mine)!.patientName).toBe('Erika Mustermann');
    // Bound to its row: the same ciphertext under another id does not open.
    expect(openRecord(a.orgKey, a.orgId, { id: uid(), recordEnc: mine.recordEnc })).toBeNull();
  });

  it("another organisation can neither read, change nor cancel it", async () => {
    const { id } = await makeAppointment(db, sA, a);
    expect((await listAppointments(db, sB, {})).map((x) => x.id)).not.toContain(id);
    await expectAppError(getAppointment(db, sB, id), 'not_found');
    const [row] = await db.select().from(appointments).where(eq(appointments.id, id));
    await expectAppError(updateAppointment(db, sB, id, { startsAt: new Date(), durationMin: 10, holderId: sB.userId, recordEnc: row!.recordEnc }), 'not_found');
    await expectAppError(cancelAppointment(db, sB, id), 'not_found');
    await expectAppError(enterAsHost(db, sB, id), 'not_found');
    // …nor hand it to one of its own members.
    await expectAppError(updateAppointment(db, sA, id, { startsAt: new Date(), durationMin: 10, holderId: sB.userId, recordEnc: row!.recordEnc }), 'holder_invalid');
  });

  it('a member may hold an appointment; edits keep the codes; a cancelled one cannot be edited', async () => {
    const m = await addMember(db, { session: sA, user: a.user });
    const { id, codes } = await makeAppointment(db, sA, a);
    const rec = sealRecord(a.orgKey, a.orgId, id, { ...record(codes), note: 'verschoben' });
    await updateAppointment(db, sA, id, { startsAt: new Date(Date.now() + 3600_000), durationMin: 20, holderId: m.userId, recordEnc: rec });
    const got = await getAppointment(db, sA, id);
    expect(got.holderId).toBe(m.userId);
    expect(openRecord(a.orgKey, a.orgId, got)!.patientCode).toBe(codes.patientCode);
    await cancelAppointment(db, sA, id);
    await expectAppError(updateAppointment(db, sA, id, { startsAt: new Date(), durationMin: 20, holderId: sA.userId, recordEnc: rec }), 'appointment_cancelled');
    await expectAppError(cancelAppointment(db, sA, id), 'appointment_cancelled');
  });

  it('the waiting room opens 15 minutes before and closes an hour after the end; says which', async () => {
    const start = new Date('2030-03-01T09:00:00Z');
    const { codes, id } = await makeAppointment(db, sA, a, { startsAt: start, durationMin: 20 });
    const lookup = codes.patientLookup;
    setClock({ fixed: new Date('2030-03-01T08:40:00Z') });
    expect((await lookupCode(db, ip(), lookup)).status).toBe('early');
    await expectAppError(enterByCode(db, ip(), lookup), 'appointment_early');
    setClock({ fixed: new Date('2030-03-01T08:46:00Z') });
    const info = await lookupCode(db, ip(), lookup);
    expect(info).toMatchObject({ status: 'open', role: 'patient', practiceName: expect.any(String), appointmentId: id });
    expect(info.hostWrap).toBeUndefined();
    setClock({ fixed: new Date('2030-03-01T10:21:00Z') });
    await expectAppError(enterByCode(db, ip(), lookup), 'appointment_past');
    resetClock();
    const later = await makeAppointment(db, sA, a);
    await cancelAppointment(db, sA, later.id);
    expect((await lookupCode(db, ip(), later.codes.patientLookup)).status).toBe('cancelled');
    await expectAppError(enterByCode(db, ip(), later.codes.patientLookup), 'appointment_cancelled');
    // The doctor code finds the same appointment as host and carries the wrapped patient code.
    const host = await lookupCode(db, ip(), codes.hostLookup);
    expect(host.role).toBe('host');
    expect(host.hostWrap).toBeTruthy();
  });

  it('unknown codes: "code_unknown", and guessing is limited per client', async () => {
    const client = ip();
    for (let i = 0; i < 20; i++) await expectAppError(lookupCode(db, client, await joinLookup('ABCD-EFGH-JKLM'.replace('A', String((i % 8) + 2)))), 'code_unknown');
    await expectAppError(lookupCode(db, client, await joinLookup('ZZZZ-ZZZZ-ZZZZ')), 'rate_limited');
    // Another client is not affected.
    await expectAppError(lookupCode(db, ip(), await joinLookup('ZZZZ-ZZZZ-ZZZZ')), 'code_unknown');
  });

  it('waiting, admitting, relaying sealed messages, call events', async () => {
    const { id, codes } = await makeAppointment(db, sA, a);
    const pat = await enterByCode(db, ip(), codes.patientLookup);
    expect(pat.role).toBe('patient');
    const patP = await participantByToken(db, pat.token);
    expect(patP.state).toBe('waiting');
    // Waiting patients cannot signal (nothing reaches the practice before it admits).
    await expectAppError(postSignal(db, patP, 'v1.x.y'), 'forbidden');

    const host = await enterAsHost(db, sA, id);
    const hostP = await participantByToken(db, host.token);
    await expectAppError(admit(db, patP, patP.id), 'forbidden');
    await admit(db, hostP, pat.participantId);
    await expectAppError(admit(db, hostP, pat.participantId), 'not_found');

    await postSignal(db, hostP, 'v1.offer.sealed');
    const admitted = await participantByToken(db, pat.token);
    await postSignal(db, admitted, 'v1.answer.sealed');
    const toPatient = await signalsFor(db, id, 'patient', 0, patP.createdAt);
    expect(toPatient.map((m) => m.payload)).toEqual(['v1.offer.sealed']);
    const toHost = await signalsFor(db, id, 'host', 0, hostP.createdAt);
    expect(toHost.map((m) => m.payload)).toEqual(['v1.answer.sealed']);
    // A participant who enters later does not get the earlier call's messages.
    expect(await signalsFor(db, id, 'host', 0, new Date(Date.now() + 60_000))).toEqual([]);

    expect((await reportConnected(db, admitted)).started).toBe(true);
    expect((await reportConnected(db, hostP)).started).toBe(false); // the second report is the same call
    await leave(db, admitted);
    await expectAppError(participantByToken(db, pat.token), 'call_token_invalid');
    const events = await db.select().from(callEvents).where(eq(callEvents.callId, pat.participantId));
    expect(events.map((e) => e.type).sort()).toEqual(['call_ended', 'call_started']);
    expect(events.every((e) => e.orgId === a.orgId && e.userId === sA.userId && e.kind === 'consultation' && e.participants === 2)).toBe(true);
  });

  it('a second entry with the patient code replaces the first (one patient at a time)', async () => {
    const { codes } = await makeAppointment(db, sA, a);
    const first = await enterByCode(db, ip(), codes.patientLookup);
    const second = await enterByCode(db, ip(), codes.patientLookup);
    await expectAppError(participantByToken(db, first.token), 'call_token_invalid');
    expect((await participantByToken(db, second.token)).state).toBe('waiting');
  });

  it('the doctor code never evicts a signed-in member; a member takes the room back; the room says how each host entered', async () => {
    const { id, codes } = await makeAppointment(db, sA, a);
    const byCode = await enterByCode(db, ip(), codes.hostLookup);
    expect(byCode.role).toBe('host');
    expect((await roomState(db, id)).participants.find((p) => p.role === 'host')?.via).toBe('code');
    // A second code entry replaces the first code entry.
    const again = await enterByCode(db, ip(), codes.hostLookup);
    await expectAppError(participantByToken(db, byCode.token), 'call_token_invalid');
    // A signed-in member takes the room from the code holder…
    const member = await enterAsHost(db, sA, id);
    await expectAppError(participantByToken(db, again.token), 'call_token_invalid');
    const room = await roomState(db, id);
    expect(room.participants.filter((p) => p.role === 'host').map((p) => [p.via, p.hostShortName])).toEqual([['member', a.userShortName]]);
    // …and the code cannot take it back while the member is in.
    await expectAppError(enterByCode(db, ip(), codes.hostLookup), 'room_occupied');
    expect((await participantByToken(db, member.token)).state).toBe('admitted');
    await leave(db, await participantByToken(db, member.token));
    expect((await enterByCode(db, ip(), codes.hostLookup)).role).toBe('host');
  });

  it('call tokens end with the window, with the cancellation, with the member\'s removal and with the device\'s revocation', async () => {
    try {
      // The window: valid until an hour after the planned end, void after.
      const { id, codes } = await makeAppointment(db, sA, a, { startsAt: new Date(Date.now() + 5 * 60_000), durationMin: 30 });
      const pat = await enterByCode(db, ip(), codes.patientLookup);
      const host = await enterAsHost(db, sA, id);
      setClock({ offsetMs: (5 + 30 + 59) * 60_000 });
      await participantByToken(db, pat.token);
      await participantByToken(db, host.token);
      setClock({ offsetMs: (5 + 30 + 61) * 60_000 });
      await expectAppError(participantByToken(db, pat.token), 'call_token_invalid');
      await expectAppError(participantByToken(db, host.token), 'call_token_invalid');
      await expectAppError(enterAsHost(db, sA, id), 'appointment_past');
      resetClock();

      // The cancellation.
      const c = await makeAppointment(db, sA, a);
      const cPat = await enterByCode(db, ip(), c.codes.patientLookup);
      const cHost = await enterByCode(db, ip(), c.codes.hostLookup);
      await cancelAppointment(db, sA, c.id);
      await expectAppError(participantByToken(db, cPat.token), 'call_token_invalid');
      await expectAppError(participantByToken(db, cHost.token), 'call_token_invalid');

      // The member's removal, and the revocation of the device a member entered from.
      const m = await addMember(db, { session: sA, user: a.user });
      const mSession = await sessionFor(db, m);
      const r = await makeAppointment(db, sA, a);
      const mHost = await enterAsHost(db, mSession, r.id);
      const ownerHost = await enterAsHost(db, sA, r.id);
      await removeMember(db, sA, m.userId);
      await expectAppError(participantByToken(db, mHost.token), 'call_token_invalid');
      expect((await participantByToken(db, ownerHost.token)).role).toBe('host');
      const m2 = await addMember(db, { session: sA, user: a.user });
      const m2Session = await sessionFor(db, m2);
      const m2Host = await enterAsHost(db, m2Session, r.id);
      await decideDevice(db, sA, m2.device.id, 'revoke');
      await expectAppError(participantByToken(db, m2Host.token), 'call_token_invalid');
    } finally {
      resetClock();
    }
  });

  it('codes are forgotten a day after the waiting room closed or the appointment was cancelled', async () => {
    try {
      const past = await makeAppointment(db, sA, a, { startsAt: new Date(Date.now() - 2 * 3600_000), durationMin: 30 });
      const cancelled = await makeAppointment(db, sA, a, { startsAt: new Date(Date.now() + 86400_000) });
      await cancelAppointment(db, sA, cancelled.id);
      const current = await makeAppointment(db, sA, a);
      // Right after: the patient still learns what became of the appointment.
      expect((await lookupCode(db, ip(), past.codes.patientLookup)).status).toBe('past');
      expect((await lookupCode(db, ip(), cancelled.codes.patientLookup)).status).toBe('cancelled');
      setClock({ offsetMs: 25 * 3600_000 });
      expect(await forgetExpiredCodes(db)).toBeGreaterThanOrEqual(2);
      for (const x of [past, cancelled]) {
        const [row] = await db.select().from(appointments).where(eq(appointments.id, x.id));
        expect({ p: row!.patientLookup, h: row!.hostLookup, w: row!.hostWrap }).toEqual({ p: null, h: null, w: null });
        await expectAppError(lookupCode(db, ip(), x.codes.patientLookup), 'code_unknown');
        await expectAppError(lookupCode(db, ip(), x.codes.hostLookup), 'code_unknown');
      }
      // Not yet due: today's appointment keeps its codes (its room closed less than a day ago).
      const [kept] = await db.select().from(appointments).where(eq(appointments.id, current.id));
      expect(kept!.patientLookup).not.toBeNull();
      // A forgotten appointment cannot be moved to a new date (it would have no codes).
      const [row] = await db.select().from(appointments).where(eq(appointments.id, past.id));
      await expectAppError(
        updateAppointment(db, sA, past.id, { startsAt: new Date(Date.now() + 86400_000 * 3), durationMin: 30, holderId: sA.userId, recordEnc: row!.recordEnc }),
        'appointment_past',
      );
    } finally {
      resetClock();
    }
  });

  it('screen sharing: refused on basis, allowed on plus (the server decides)', async () => {
    const { id } = await makeAppointment(db, sA, a);
    const host = await participantByToken(db, (await enterAsHost(db, sA, id)).token);
    await expectAppError(requestScreenShare(db, host), 'plan_required');
    await db.update(organisations).set({ plan: 'plus' }).where(eq(organisations.id, a.orgId));
    try {
      expect(await requestScreenShare(db, host)).toEqual({ allowed: true });
    } finally {
      await db.update(organisations).set({ plan: 'basis' }).where(eq(organisations.id, a.orgId));
    }
  });

  it('cancelling publishes to the appointment channel; the bus delivers in order', async () => {
    const { id } = await makeAppointment(db, sA, a);
    const got: BusEvent[] = [];
    const off = await subscribe(db, channels.appointment(id), (e) => got.push(e));
    await publish(db, db, channels.appointment(id), { kind: 'signal', id: 1, to: 'host' });
    await cancelAppointment(db, sA, id);
    await waitFor(() => got.length === 2);
    expect(got).toEqual([{ kind: 'signal', id: 1, to: 'host' }, { kind: 'appointment', state: 'cancelled' }]);
    off();
  });

  if (backend === 'postgres') {
    it('two instances on one database: an event published by one reaches a subscriber of the other (LISTEN/NOTIFY)', async () => {
      const other = await openPostgres(inject('konsilPgUrl')!, { migrate: false, max: 2 });
      try {
        const { id, codes } = await makeAppointment(db, sA, a);
        const seen: BusEvent[] = [];
        const off = await subscribe(other.db, channels.appointment(id), (e) => seen.push(e));
        const orgSeen: BusEvent[] = [];
        const offOrg = await subscribe(other.db, channels.org(a.orgId), (e) => orgSeen.push(e));
        // The patient enters through instance 1 …
        const pat = await enterByCode(db, ip(), codes.patientLookup);
        // … the host, on instance 2, admits and sends a message.
        const host = await participantByToken(other.db, (await enterAsHost(other.db, sA, id)).token);
        await admit(other.db, host, pat.participantId);
        await postSignal(other.db, host, 'v1.cross.instance');
        await waitFor(() => seen.some((e) => e.kind === 'signal'));
        expect(seen.filter((e) => e.kind === 'participant').map((e) => (e as { state: string }).state)).toEqual(['waiting', 'admitted', 'admitted']);
        expect(orgSeen.filter((e) => e.kind === 'waiting').length).toBeGreaterThanOrEqual(2);
        const [msg] = await db.select().from(signalMessages).where(and(eq(signalMessages.appointmentId, id), eq(signalMessages.toRole, 'patient')));
        expect(msg!.payload).toBe('v1.cross.instance');
        off();
        offOrg();
      } finally {
        await other.close();
      }
    });
  }

  it('deleting an appointment takes its participants and messages with it', async () => {
    const { id, codes } = await makeAppointment(db, sA, a);
    await enterByCode(db, ip(), codes.patientLookup);
    await db.delete(appointments).where(eq(appointments.id, id));
    expect(await db.select().from(callParticipants).where(eq(callParticipants.appointmentId, id))).toEqual([]);
  });
});
