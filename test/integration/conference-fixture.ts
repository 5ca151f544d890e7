// A plus organisation with a host and two members, and conferences made the
// way the browser makes them (key, guests' codes, the record sealed under
// orgKey), with guests entering the lobby by code — shared by the conference
// tests with and without a LiveKit server.
import { afterAll, beforeAll, expect } from 'vitest';
import type { Db } from '@/lib/db/client';
import type { SessionContext } from '@/lib/auth/sessions';
import { createConference } from '@/lib/conferences/service';
import { enterAsGuest, lookupConferenceCode } from '@/lib/conferences/room';
import { newConferenceKey, newGuest, sealConferenceRecord, sealGuestName, unwrapKeyForGuest } from '@/lib/protocol/conference';
import { addMember, ip, loginAsOwner, nativeJoinLookup, registerAccount, resetClock, sessionFor, uid, type Account, type Opened } from './helpers';

export type ConferenceOrg = { org: Account; host: SessionContext; anna: SessionContext; ben: SessionContext };

export async function conferenceOrg(db: Db): Promise<ConferenceOrg> {
  const org = await registerAccount(db, { plan: 'plus' });
  const host = await sessionFor(db, loginAsOwner(org));
  const anna = await sessionFor(db, await addMember(db, { session: host, user: org.user }));
  const ben = await sessionFor(db, await addMember(db, { session: host, user: org.user }));
  return { org, host, anna, ben };
}

export async function newConference(db: Db, o: ConferenceOrg, guestNames: string[], memberIds: string[] = [o.anna.userId]) {
  const id = uid();
  const key = newConferenceKey();
  const guests = await Promise.all(guestNames.map((n) => newGuest(id, n, key, nativeJoinLookup)));
  const recordEnc = sealConferenceRecord(o.org.orgKey, o.org.orgId, id, { title: 'Fallbesprechung', note: '', guests: guests.map((g) => g.guest), key });
  await createConference(db, o.host, { id, startsAt: new Date(), durationMin: 60, recordEnc, memberIds, guests: guests.map((g) => g.wire) });
  return { id, key, guests };
}

export type TestConference = Awaited<ReturnType<typeof newConference>>;

/** Guest i finds the conference by their code, unwraps its key and enters the lobby under their sealed name. */
export async function guestEnters(db: Db, c: TestConference, i: number) {
  const lookup = await nativeJoinLookup(c.guests[i]!.guest.code);
  const found = await lookupConferenceCode(db, ip(), lookup);
  expect(found?.kind).toBe('conference');
  const key = unwrapKeyForGuest(c.guests[i]!.guest.code, found!.conferenceId, found!.guestId, found!.keyWrap);
  return enterAsGuest(db, ip(), lookup, sealGuestName(key, c.id, c.guests[i]!.guest.name));
}

/** A suite's backend and organisation. */
export type ConferenceSuite = ConferenceOrg & { db: Db };

/**
 * Opens the backend and makes the organisation before the suite's tests
 * (handed to `ready`), puts the clock back and closes after. Returns the
 * suite's ways to make a conference and let a guest in.
 */
export function useConferenceOrg(open: () => Promise<Opened>, ready: (s: ConferenceSuite) => void) {
  let s: ConferenceSuite;
  let close = async () => {};
  beforeAll(async () => {
    const opened = await open();
    close = opened.close;
    s = { db: opened.db, ...(await conferenceOrg(opened.db)) };
    ready(s);
  }, 120_000);
  afterAll(async () => {
    resetClock();
    await close();
  });
  return {
    /** A conference of the host's for these guests (Anna invited unless other members are named). */
    conference: (guestNames: string[], memberIds?: string[]) => newConference(s.db, s, guestNames, memberIds),
    enters: (c: TestConference, i: number) => guestEnters(s.db, c, i),
  };
}
