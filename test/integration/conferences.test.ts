// Conferences (lib/conferences) on PostgreSQL and PGlite: the plan gate; who
// sees a conference; guests by code into the lobby, admitted by a member; a
// guest in the lobby learns and does nothing; the mesh holds four; removal
// and the end take every token; the statistics count what happened; the
// sealed signalling is relayed only between two admitted participants.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { AccessToken, TokenVerifier, WebhookEvent } from 'livekit-server-sdk';
import type { Db } from '@/lib/db/client';
import type { SessionContext } from '@/lib/auth/sessions';
import { callEvents, conferenceGuests, conferenceParticipants } from '@/lib/db/schema';
import { setClock } from '@/lib/core/clock';
import { livekitTokenFor, onLivekitWebhook } from '@/lib/conferences/media';
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
import { subscribe } from '@/lib/server/bus';
import { PRESENCE_TIMEOUT_MS } from '@/lib/video/calls';
import { newConferenceKey, newGuest, sealConferenceRecord, sealGuestName, unwrapKeyForGuest } from '@/lib/protocol/conference';
import { BACKENDS, addMember, expectAppError, ip, loginAsOwner, nativeJoinLookup, registerAccount, resetClock, sessionFor, uid, type Account } from './helpers';

// A LiveKit server's settings (none runs here: its tokens and webhooks are made and read with its SDK).
const LK = vi.hoisted(() => {
  const v = { url: 'wss://livekit.example.org', key: 'APIkonsil', secret: 'a-livekit-secret-of-more-than-32-characters' };
  Object.assign(process.env, { LIVEKIT_URL: v.url, LIVEKIT_API_KEY: v.key, LIVEKIT_API_SECRET: v.secret });
  return v;
});

async function webhook(kind: 'participant_joined' | 'participant_left', conferenceId: string, identity: string, id = `EV_${uid()}`) {
  const e = new WebhookEvent({
    id,
    createdAt: BigInt(Math.floor(Date.now() / 1000)),
    room: { sid: 'RM_x', name: `konsil-conf-${conferenceId}` },
    participant: { sid: 'PA_x', identity },
  });
  e.event = kind;
  const body = e.toJsonString();
  const at = new AccessToken(LK.key, LK.secret, { ttl: '5m' });
  at.sha256 = createHash('sha256').update(body).digest('base64');
  return { body, authorization: await at.toJwt() };
}

describe.each(BACKENDS)('conferences on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;
  let org: Account;
  let host: SessionContext;
  let anna: SessionContext;
  let ben: SessionContext;
  let basis: SessionContext;

  beforeAll(async () => {
    ({ db, close } = await open());
    org = await registerAccount(db, { plan: 'plus' });
    host = await sessionFor(db, loginAsOwner(org));
    anna = await sessionFor(db, await addMember(db, { session: host, user: org.user }));
    ben = await sessionFor(db, await addMember(db, { session: host, user: org.user }));
    basis = await sessionFor(db, loginAsOwner(await registerAccount(db)));
  }, 120_000);

  afterAll(async () => {
    resetClock();
    await close();
  });

  async function newConference(guestNames: string[], memberIds: string[] = [anna.userId]) {
    const id = uid();
    const key = newConferenceKey();
    const guests = await Promise.all(guestNames.map((n) => newGuest(id, n, key, nativeJoinLookup)));
    const recordEnc = sealConferenceRecord(org.orgKey, org.orgId, id, { title: 'Fallbesprechung', note: '', guests: guests.map((g) => g.guest), key });
    await createConference(db, host, { id, startsAt: new Date(), durationMin: 60, recordEnc, memberIds, guests: guests.map((g) => g.wire) });
    return { id, key, guests };
  }

  async function guestEnters(c: Awaited<ReturnType<typeof newConference>>, i: number) {
    const lookup = await nativeJoinLookup(c.guests[i]!.guest.code);
    const found = await lookupConferenceCode(db, ip(), lookup);
    expect(found?.kind).toBe('conference');
    const key = unwrapKeyForGuest(c.guests[i]!.guest.code, found!.conferenceId, found!.guestId, found!.keyWrap);
    return enterAsGuest(db, ip(), lookup, sealGuestName(key, c.id, c.guests[i]!.guest.name));
  }

  it('the basis plan refuses; a member with no invitation and another organisation see nothing', async () => {
    const id = uid();
    await expectAppError(
      createConference(db, basis, { id, startsAt: new Date(), durationMin: 30, recordEnc: 'v1.x', memberIds: [], guests: [] }),
      'plan_required',
    );
    const c = await newConference([]);
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
    const c = await newConference(['Dr. Gast']);
    const h = await enterAsMember(db, host, c.id);
    const g = await guestEnters(c, 0);
    expect(g.state).toBe('waiting');
    // This file configures a LiveKit server (LK): both browsers are told to take it.
    expect([h.media, g.media]).toEqual(['livekit', 'livekit']);
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
    const c = await newConference(['Gast 1', 'Gast 2', 'Gast 3']);
    const h = await enterAsMember(db, host, c.id);
    const hp = await confereeByToken(db, h.token);
    const a = await enterAsMember(db, anna, c.id);
    const g = await Promise.all([0, 1, 2].map((i) => guestEnters(c, i)));
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
    const c = await newConference(['Stört', 'Geht kurz']);
    const hp = await confereeByToken(db, (await enterAsMember(db, host, c.id)).token);
    const troll = await guestEnters(c, 0);
    await removeParticipant(db, hp, troll.participantId);
    await expectAppError(guestEnters(c, 0), 'conference_removed');
    const leaving = await guestEnters(c, 1);
    await leaveConference(db, await confereeByToken(db, leaving.token));
    expect((await guestEnters(c, 1)).state).toBe('waiting');
  });

  it('someone whose browser is gone without a word is let go after the presence timeout, and holds no place', async () => {
    const c = await newConference(['Gast 1', 'Gast 2', 'Gast 3', 'Gast 4']);
    const h = await enterAsMember(db, host, c.id);
    const hp = await confereeByToken(db, h.token);
    const g = await Promise.all([0, 1, 2, 3].map((i) => guestEnters(c, i)));
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

  it('LiveKit: a token only for someone in the room; verified webhooks record who was in the media room and how long', async () => {
    const c = await newConference(['Gast']);
    const h = await enterAsMember(db, host, c.id);
    const hp = await confereeByToken(db, h.token);
    const g = await guestEnters(c, 0);
    await expectAppError(livekitTokenFor(await confereeByToken(db, g.token)), 'forbidden');
    const { token } = await livekitTokenFor(hp);
    const claims = await new TokenVerifier(LK.key, LK.secret).verify(token);
    expect(claims.sub).toBe(h.participantId);
    expect(claims.video?.room).toBe(`konsil-conf-${c.id}`);
    expect(claims.name ?? '').toBe('');

    const joined = await webhook('participant_joined', c.id, h.participantId);
    expect(await onLivekitWebhook(db, joined.body, joined.authorization)).toEqual({ ok: true });
    // The same event again (a replay) changes nothing.
    expect(await onLivekitWebhook(db, joined.body, joined.authorization)).toEqual({ ok: true, replay: true });
    // Tampered after signing: refused.
    await expectAppError(onLivekitWebhook(db, joined.body.replace(h.participantId, g.participantId), joined.authorization), 'webhook_invalid');
    setClock({ fixed: null, offsetMs: 90_000 });
    const left = await webhook('participant_left', c.id, h.participantId);
    await onLivekitWebhook(db, left.body, left.authorization);
    setClock({ fixed: null, offsetMs: 0 });
    const [row] = await db.select().from(conferenceParticipants).where(eq(conferenceParticipants.id, h.participantId));
    expect(row!.mediaJoinedAt).toBeNull();
    expect(row!.mediaSeconds).toBeGreaterThanOrEqual(89);
    expect(row!.mediaSeconds).toBeLessThanOrEqual(95);
    // An identity of another conference's room is not taken for this one.
    const other = await webhook('participant_joined', uid(), g.participantId);
    await onLivekitWebhook(db, other.body, other.authorization);
    const [guestRow] = await db.select().from(conferenceParticipants).where(eq(conferenceParticipants.id, g.participantId));
    expect(guestRow!.mediaJoinedAt).toBeNull();
  });

  it('a day after the room closed, the guests\' lookups and the participants are forgotten', async () => {
    const c = await newConference(['Gast']);
    await enterAsMember(db, host, c.id);
    await purgeConferences(db);
    expect(await db.select().from(conferenceGuests).where(eq(conferenceGuests.conferenceId, c.id))).toHaveLength(1);
    await purgeConferences(db, new Date(Date.now() + (60 + 60) * 60_000 + 86_400_000 + 60_000));
    expect(await db.select().from(conferenceGuests).where(eq(conferenceGuests.conferenceId, c.id))).toEqual([]);
    expect(await db.select().from(conferenceParticipants).where(eq(conferenceParticipants.conferenceId, c.id))).toEqual([]);
  });
});
