// Calls between colleagues (lib/colleague-calls) on PostgreSQL and PGlite:
// only members of one organisation call each other; only the two members of
// a call see it and its sealed messages; ringing ends in accepted, declined
// or missed (also by timeout); the keys the server serves carry the
// organisation's certificate, so both browsers derive one signalling key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toB64u } from '@/lib/crypto/encoding';
import type { Db } from '@/lib/db/client';
import type { SessionContext } from '@/lib/auth/sessions';
import { setClock } from '@/lib/core/clock';
import { removeMember } from '@/lib/members/service';
import {
  acceptColleagueCall,
  colleagueSignalsFor,
  declineColleagueCall,
  dismissMissedCall,
  getColleagueCall,
  hangUpColleagueCall,
  listMissedCalls,
  postColleagueSignal,
  ringingFor,
  RING_MS,
  startColleagueCall,
  stillInCall,
} from '@/lib/colleague-calls/service';
import { callChannel, subscribeCallEvents, userChannel, type ColleagueCallEvent } from '@/lib/colleague-calls/events';
import { colleagueCallKey, ColleagueSignalReceiver, ColleagueSignalSender } from '@/lib/protocol/colleague-call';
import { ed25519PublicFromPrivate } from '@/lib/crypto/asymmetric';
import { BACKENDS, addMember, expectAppError, inviteMember, registerWithSession, resetClock, sessionFor, uid, type Account, type Member } from './helpers';

describe.each(BACKENDS)('colleague calls on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;
  let org: Account;
  let owner: SessionContext;
  let anna: Member;
  let annaS: SessionContext;
  let ben: Member;
  let benS: SessionContext;
  let otherOwner: SessionContext;

  beforeAll(async () => {
    ({ db, close } = await open());
    const a = await registerWithSession(db);
    org = a.account;
    owner = a.session;
    anna = await addMember(db, { session: owner, user: org.user });
    annaS = await sessionFor(db, anna);
    ben = await addMember(db, { session: owner, user: org.user });
    benS = await sessionFor(db, ben);
    otherOwner = (await registerWithSession(db)).session;
  }, 120_000);

  afterAll(async () => {
    resetClock();
    await close();
  });

  const events = async (channel: string) => {
    const seen: ColleagueCallEvent[] = [];
    const stop = await subscribeCallEvents(db, channel, (e) => seen.push(e));
    return { seen, stop };
  };
  const settle = () => new Promise((r) => setTimeout(r, 150));

  it('calls only active, certified members of the own organisation, never oneself', async () => {
    await expectAppError(startColleagueCall(db, owner, owner.userId), 'bad_request');
    await expectAppError(startColleagueCall(db, owner, uid()), 'not_found');
    await expectAppError(startColleagueCall(db, otherOwner, anna.userId), 'not_found');
    const pending = await inviteMember(db, owner);
    await expectAppError(startColleagueCall(db, owner, pending.userId), 'not_found');
  });

  it('rings for the callee, is accepted, relays sealed messages between exactly the two, and ends', async () => {
    const ring = await events(userChannel(anna.userId));
    const { id } = await startColleagueCall(db, owner, anna.userId);
    await settle();
    expect(ring.seen).toContainEqual({ kind: 'colleague-call', callId: id, state: 'ringing' });
    expect((await ringingFor(db, annaS)).map((c) => c.id)).toContain(id);
    expect(await ringingFor(db, benS)).toEqual([]);

    // Nobody else sees the call: another member, another organisation.
    for (const s of [benS, otherOwner]) {
      await expectAppError(getColleagueCall(db, s, id), 'not_found');
      await expectAppError(acceptColleagueCall(db, s, id), 'not_found');
      await expectAppError(postColleagueSignal(db, s, id, 'x'), 'not_found');
    }
    // Only the callee accepts; nothing is relayed before.
    await expectAppError(acceptColleagueCall(db, owner, id), 'conflict');
    await expectAppError(postColleagueSignal(db, owner, id, 'early'), 'conflict');
    const seenByCall = await events(callChannel(id));
    expect(await acceptColleagueCall(db, annaS, id)).toEqual({ state: 'accepted' });
    await expectAppError(acceptColleagueCall(db, annaS, id), 'conflict');

    // Both browsers derive the same key from what the server serves, after checking the certificates.
    const orgSignPublic = toB64u(ed25519PublicFromPrivate(org.orgSignPrivate));
    const asCaller = await getColleagueCall(db, owner, id);
    const asCallee = await getColleagueCall(db, annaS, id);
    expect(asCaller).toMatchObject({ side: 'caller', state: 'accepted', peer: { userId: anna.userId } });
    expect(asCallee).toMatchObject({ side: 'callee', peer: { userId: owner.userId } });
    const parties = { orgId: asCaller.orgId, callId: id, callerId: asCaller.callerId, calleeId: asCaller.calleeId };
    const kOwner = colleagueCallKey({
      orgSignPublic,
      parties,
      me: { side: 'caller', userId: owner.userId, x25519Private: org.user.x25519Private, x25519Public: org.user.material.x25519Public },
      peer: { orgId: org.orgId, ...asCaller.peer, memberCert: asCaller.peer.memberCert },
    });
    const kAnna = colleagueCallKey({
      orgSignPublic,
      parties,
      me: { side: 'callee', userId: anna.userId, x25519Private: anna.user.x25519Private, x25519Public: anna.user.material.x25519Public },
      peer: { orgId: org.orgId, ...asCallee.peer },
    });
    expect(toB64u(kOwner)).toBe(toB64u(kAnna));

    const sealed = new ColleagueSignalSender(kOwner, parties, 'caller').seal({ type: 'offer', sdp: 'v=0' });
    await postColleagueSignal(db, owner, id, sealed);
    await postColleagueSignal(db, annaS, id, 'from-anna');
    await settle();
    const toAnna = await colleagueSignalsFor(db, id, anna.userId, 0);
    expect(toAnna.map((r) => r.payload)).toEqual([sealed]);
    expect((await colleagueSignalsFor(db, id, owner.userId, 0)).map((r) => r.payload)).toEqual(['from-anna']);
    expect(await colleagueSignalsFor(db, id, ben.userId, 0)).toEqual([]);
    expect(new ColleagueSignalReceiver(kAnna, parties, 'callee').open(toAnna[0]!.payload)).toMatchObject({ ok: true, msg: { body: { type: 'offer' } } });
    expect(seenByCall.seen.filter((e) => e.kind === 'colleague-signal').map((e) => (e as { to: string }).to)).toEqual([anna.userId, owner.userId]);

    expect(await stillInCall(db, annaS, id)).toBe('accepted');
    expect(await stillInCall(db, benS, id)).toBeNull();
    await expectAppError(hangUpColleagueCall(db, benS, id), 'not_found');
    expect(await hangUpColleagueCall(db, owner, id)).toEqual({ state: 'ended' });
    // The sealed messages go with the call.
    expect(await colleagueSignalsFor(db, id, anna.userId, 0)).toEqual([]);
    await expectAppError(postColleagueSignal(db, annaS, id, 'late'), 'conflict');
    expect((await listMissedCalls(db, annaS)).calls.map((c) => c.id)).not.toContain(id);
    ring.stop();
    seenByCall.stop();
  });

  it('a declined call, a cancelled one and one that rang out are listed as missed for the callee only', async () => {
    const declined = (await startColleagueCall(db, owner, ben.userId)).id;
    await expectAppError(declineColleagueCall(db, owner, declined), 'conflict');
    expect(await declineColleagueCall(db, benS, declined)).toEqual({ state: 'declined' });
    const cancelled = (await startColleagueCall(db, owner, ben.userId)).id;
    expect(await hangUpColleagueCall(db, owner, cancelled)).toEqual({ state: 'missed' });

    const ringing = (await startColleagueCall(db, annaS, ben.userId)).id;
    setClock({ offsetMs: RING_MS + 1000 });
    try {
      expect(await ringingFor(db, benS)).toEqual([]);
      await expectAppError(acceptColleagueCall(db, benS, ringing), 'conflict');
      expect((await getColleagueCall(db, annaS, ringing)).state).toBe('missed');
      const missed = (await listMissedCalls(db, benS)).calls;
      expect(missed.map((c) => c.id)).toEqual(expect.arrayContaining([declined, cancelled, ringing]));
      expect(missed.find((c) => c.id === ringing)).toMatchObject({ callerId: anna.userId, callerShortName: anna.userShortName, state: 'missed' });
      expect((await listMissedCalls(db, owner)).calls.map((c) => c.id)).not.toContain(declined);
      expect((await listMissedCalls(db, otherOwner)).calls).toEqual([]);
    } finally {
      resetClock();
    }
  });

  it('a removed member can neither be called nor call', async () => {
    const m = await addMember(db, { session: owner, user: org.user });
    const mS = await sessionFor(db, m);
    await removeMember(db, owner, m.userId);
    await expectAppError(startColleagueCall(db, owner, m.userId), 'not_found');
    await expectAppError(startColleagueCall(db, { ...mS }, anna.userId), 'not_found');
  });
  it('the callee marks a missed call as done; nobody else can, and a call still ringing cannot be', async () => {
    const call = (await startColleagueCall(db, annaS, ben.userId)).id;
    // Calling again while it rings is the same call.
    expect((await startColleagueCall(db, annaS, ben.userId)).id).toBe(call);
    await expectAppError(dismissMissedCall(db, benS, call), 'not_found');
    await declineColleagueCall(db, benS, call);
    await expectAppError(dismissMissedCall(db, annaS, call), 'not_found');
    await expectAppError(dismissMissedCall(db, otherOwner, call), 'not_found');
    expect((await listMissedCalls(db, benS)).calls.map((c) => c.id)).toContain(call);
    await dismissMissedCall(db, benS, call);
    expect((await listMissedCalls(db, benS)).calls.map((c) => c.id)).not.toContain(call);
  });

  it('a member starts at most 20 calls in ten minutes', async () => {
    const m = await addMember(db, { session: owner, user: org.user });
    const mS = await sessionFor(db, m);
    for (let i = 0; i < 20; i++) await hangUpColleagueCall(db, mS, (await startColleagueCall(db, mS, anna.userId)).id);
    await expectAppError(startColleagueCall(db, mS, anna.userId), 'rate_limited');
    // Someone else still can.
    await hangUpColleagueCall(db, benS, (await startColleagueCall(db, benS, anna.userId)).id);
  });
});
