// Conferences (lib/conferences) on PostgreSQL and PGlite: the plan gate; who
// sees a conference; guests by code into the lobby, admitted by a member; a
// guest in the lobby learns and does nothing; the mesh holds four; removal
// and the end take every token; the statistics count what happened; the
// sealed signalling is relayed only between two admitted participants; no
// LiveKit server here, so the mesh (conferences-livekit.test.ts has one).
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import type { SessionContext } from '@/lib/auth/sessions';
import { callEvents, conferenceGuests, conferenceParticipants } from '@/lib/db/schema';
import { setClock } from '@/lib/core/clock';
import { livekitTokenFor } from '@/lib/conferences/media';
import { purgeConferences } from '@/lib/conferences/retention';
import { conferenceChannel, createConference, endConference, enterAsMember, getConference, listConferences } from '@/lib/conferences/service';
import {
  admitGuest,
  confereeByToken,
  conferenceSignalsFor,
  enterAsGuest,
  leaveConference,
  lookupConferenceCode,
  postConferenceSignal,
  removeParticipant,
  roomInfo,
  sweepAbsent,
  touchConferee,
} from '@/lib/conferences/room';
import { SweepThrottle, SWEEP_PERIOD_MS } from '@/lib/conferences/sweep-throttle';
import { subscribe } from '@/lib/server/bus';
import { PRESENCE_TIMEOUT_MS } from '@/lib/video/calls';
import { BACKENDS, expectAppError, ip, loginAsOwner, nativeJoinLookup, registerAccount, resetClock, sessionFor, uid } from './helpers';
import { useConferenceOrg } from './conference-fixture';

describe.each(BACKENDS)('conferences on %s', (_backend, open) => {
  let db: Db;
  let host: SessionContext;
  let anna: SessionContext;
  let ben: SessionContext;
  let basis: SessionContext;
  const { conference, enters } = useConferenceOrg(open, (s) => ({ db, host, anna, ben } = s));

  beforeAll(async () => {
    basis = await sessionFor(db, loginAsOwner(await registerAccount(db)));
  });

  it('the basis plan refuses; a member with no invitation and another organisation see nothing', async () => {
    const id = uid();
    await expectAppError(
      createConference(db, basis, { id, startsAt: new Date(), durationMin: 30, recordEnc: 'v1.x', memberIds: [], guests: [] }),
      'plan_required',
    );
    const c = await conference([]);
    expect((await listConferences(db, anna)).conferences.map((x) => x.id)).toContain(c.id);
    expect((await listConferences(db, ben)).conferences.map((x) => x.id)).not.toContain(c.id);
    await expectAppError(getConference(db, ben, c.id), 'not_found');
    await expectAppError(enterAsMember(db, ben, c.id), 'not_found');
    await expectAppError(getConference(db, basis, c.id), 'not_found');
    await expectAppError(endConference(db, anna, c.id), 'forbidden');
  });

  it('guessing guest codes at the lobby door costs the same budget as any code look-up', async () => {
    const from = ip();
    const unknown = () => enterAsGuest(db, from, 'f'.repeat(64), 'v1.x');
    for (let i = 0; i < 20; i++) await expectAppError(unknown(), 'code_unknown');
    await expectAppError(unknown(), 'rate_limited');
  });

  it('a guest waits in the lobby, learns nobody and may do nothing until a member lets them in', async () => {
    const c = await conference(['Dr. Gast']);
    const h = await enterAsMember(db, host, c.id);
    const g = await enters(c, 0);
    expect(g.state).toBe('waiting');
    // No LiveKit server is configured here: both browsers are told to take the mesh.
    expect([h.media, g.media]).toEqual(['mesh', 'mesh']);
    await expectAppError(livekitTokenFor(await confereeByToken(db, h.token)), 'livekit_not_configured');
    const gp = await confereeByToken(db, g.token);
    expect((await roomInfo(db, gp)).participants.map((p) => p.id)).toEqual([g.participantId]);
    await expectAppError(postConferenceSignal(db, gp, h.participantId, 'v1.sealed'), 'forbidden');
    await expectAppError(admitGuest(db, gp, g.participantId), 'forbidden');
    const hp = await confereeByToken(db, h.token);
    // Nothing is relayed to someone still in the lobby.
    await expectAppError(postConferenceSignal(db, hp, g.participantId, 'v1.sealed'), 'conflict');
    await admitGuest(db, hp, g.participantId);
    const admitted = await confereeByToken(db, g.token);
    expect(admitted.state).toBe('admitted');
    expect((await roomInfo(db, admitted)).participants).toHaveLength(2);
    // A guest cannot admit, remove or end even when in.
    await expectAppError(removeParticipant(db, admitted, h.participantId), 'forbidden');
    await postConferenceSignal(db, hp, g.participantId, 'v1.for-the-guest');
    expect((await conferenceSignalsFor(db, c.id, g.participantId, 0)).map((r) => [r.from, r.payload])).toEqual([[h.participantId, 'v1.for-the-guest']]);
    expect(await conferenceSignalsFor(db, c.id, h.participantId, 0)).toEqual([]);
  });

  it('the mesh holds four; removal and the end take every token; the statistics count it', async () => {
    const c = await conference(['Gast 1', 'Gast 2', 'Gast 3']);
    const h = await enterAsMember(db, host, c.id);
    const hp = await confereeByToken(db, h.token);
    const a = await enterAsMember(db, anna, c.id);
    const g = await Promise.all([0, 1, 2].map((i) => enters(c, i)));
    await admitGuest(db, hp, g[0]!.participantId);
    await admitGuest(db, hp, g[1]!.participantId);
    await expectAppError(admitGuest(db, hp, g[2]!.participantId), 'conference_full');
    // Anna reloads: her new entry replaces the old one, which no longer counts nor works.
    const a2 = await enterAsMember(db, anna, c.id);
    await expectAppError(confereeByToken(db, a.token), 'call_token_invalid');
    await removeParticipant(db, hp, g[1]!.participantId);
    await expectAppError(confereeByToken(db, g[1]!.token), 'call_token_invalid');
    await admitGuest(db, hp, g[2]!.participantId);

    await endConference(db, host, c.id);
    for (const t of [h.token, a2.token, g[0]!.token, g[2]!.token]) await expectAppError(confereeByToken(db, t), 'call_token_invalid');
    // The guests' lookups and wrapped keys are gone; their codes open nothing.
    expect(await db.select().from(conferenceGuests).where(eq(conferenceGuests.conferenceId, c.id))).toEqual([]);
    expect(await lookupConferenceCode(db, ip(), await nativeJoinLookup(c.guests[0]!.guest.code))).toBeNull();
    await expectAppError(enterAsMember(db, host, c.id), 'conference_ended');
    const [ended] = await db.select().from(callEvents).where(and(eq(callEvents.callId, c.id), eq(callEvents.type, 'call_ended')));
    expect(ended?.kind).toBe('conference');
    // Host, Anna, guests 1, 2 and 3 were in at some point.
    expect(ended?.participants).toBe(5);
  });

  it('a guest the host removed cannot come back with the same code; one who left can', async () => {
    const c = await conference(['Stört', 'Geht kurz']);
    const hp = await confereeByToken(db, (await enterAsMember(db, host, c.id)).token);
    const troll = await enters(c, 0);
    await removeParticipant(db, hp, troll.participantId);
    await expectAppError(enters(c, 0), 'conference_removed');
    const leaving = await enters(c, 1);
    await leaveConference(db, await confereeByToken(db, leaving.token));
    expect((await enters(c, 1)).state).toBe('waiting');
  });

  it('someone whose browser is gone without a word is let go after the presence timeout, and holds no place', async () => {
    const c = await conference(['Gast 1', 'Gast 2', 'Gast 3', 'Gast 4']);
    const h = await enterAsMember(db, host, c.id);
    const hp = await confereeByToken(db, h.token);
    const g = await Promise.all([0, 1, 2, 3].map((i) => enters(c, i)));
    for (const x of g.slice(0, 3)) await admitGuest(db, hp, x.participantId);
    await expectAppError(admitGuest(db, hp, g[3]!.participantId), 'conference_full');
    const heard: string[] = [];
    const unsubscribe = await subscribe(db, conferenceChannel(c.id), (e) => {
      if (e.kind === 'conference-participant' && e.state === 'left') heard.push(e.participantId);
    });
    try {
      // Guest 1's browser crashed: its stream stopped touching the row. The others' streams go on.
      setClock({ offsetMs: PRESENCE_TIMEOUT_MS + 5_000 });
      for (const x of [h, g[1]!, g[2]!, g[3]!]) await touchConferee(db, x.participantId);
      expect(await sweepAbsent(db, c.id)).toEqual([g[0]!.participantId]);
      await expectAppError(confereeByToken(db, g[0]!.token), 'call_token_invalid');
      expect((await roomInfo(db, hp)).participants.map((p) => p.id)).not.toContain(g[0]!.participantId);
      await admitGuest(db, hp, g[3]!.participantId);
      // Nobody else is absent: a second sweep lets nobody go.
      expect(await sweepAbsent(db, c.id)).toEqual([]);
      await vi.waitFor(() => expect(heard).toEqual([g[0]!.participantId]));
    } finally {
      unsubscribe();
      resetClock();
    }
  });

  it('the streams of a conference sweep once a period between them, and the absent still go', async () => {
    const c = await conference(['Gast 1', 'Gast 2']);
    const h = await enterAsMember(db, host, c.id);
    const hp = await confereeByToken(db, h.token);
    const g = await Promise.all([0, 1].map((i) => enters(c, i)));
    for (const x of g) await admitGuest(db, hp, x.participantId);
    const heard: string[] = [];
    const unsubscribe = await subscribe(db, conferenceChannel(c.id), (e) => {
      if (e.kind === 'conference-participant' && e.state === 'left') heard.push(e.participantId);
    });
    let t = 0;
    const sweeps = new SweepThrottle(() => t);
    const sweep = () => sweepAbsent(db, c.id);
    try {
      // Guest 1 is gone a minute; the host's stream beats and sweeps.
      setClock({ offsetMs: PRESENCE_TIMEOUT_MS + 5_000 });
      for (const x of [h, g[1]!]) await touchConferee(db, x.participantId);
      expect(await sweeps.beat(c.id, sweep)).toBe(true);
      await expectAppError(confereeByToken(db, g[0]!.token), 'call_token_invalid');
      // A minute on, guest 2 is gone too; another stream of the conference beats 5 s after that
      // sweep, within the period: no sweep, guest 2 still holds the place for now.
      setClock({ offsetMs: 2 * PRESENCE_TIMEOUT_MS + 10_000 });
      await touchConferee(db, h.participantId);
      t = 5_000;
      expect(await sweeps.beat(c.id, sweep)).toBe(false);
      expect((await confereeByToken(db, g[1]!.token)).id).toBe(g[1]!.participantId);
      // The next beat after the period sweeps, and guest 2 goes.
      t = SWEEP_PERIOD_MS;
      expect(await sweeps.beat(c.id, sweep)).toBe(true);
      await expectAppError(confereeByToken(db, g[1]!.token), 'call_token_invalid');
      await vi.waitFor(() => expect(heard).toEqual([g[0]!.participantId, g[1]!.participantId]));
    } finally {
      unsubscribe();
      resetClock();
    }
  });

  it('a day after the room closed, the guests\' lookups and the participants are forgotten', async () => {
    const c = await conference(['Gast']);
    await enterAsMember(db, host, c.id);
    await purgeConferences(db);
    expect(await db.select().from(conferenceGuests).where(eq(conferenceGuests.conferenceId, c.id))).toHaveLength(1);
    await purgeConferences(db, new Date(Date.now() + (60 + 60) * 60_000 + 86_400_000 + 60_000));
    expect(await db.select().from(conferenceGuests).where(eq(conferenceGuests.conferenceId, c.id))).toEqual([]);
    expect(await db.select().from(conferenceParticipants).where(eq(conferenceParticipants.conferenceId, c.id))).toEqual([]);
  });
});
