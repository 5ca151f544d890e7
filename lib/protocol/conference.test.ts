import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { randomBytes } from '@/lib/crypto/random';
import { fromB64u, toHex, utf8Encode } from '@/lib/crypto/encoding';
import type { OrgKey } from '@/lib/crypto/types';
import {
  CONFERENCE_SIGNAL_MAX_AGE_MS,
  ConferenceSignalReceiver,
  ConferenceSignalSender,
  newConferenceKey,
  newGuest,
  offersTo,
  openConferenceRecord,
  openGuestName,
  sealConferenceRecord,
  sealGuestName,
  unwrapKeyForGuest,
  wrapKeyForGuest,
} from './conference';
import { LOOKUP_KDF, normaliseCode } from './video';

const orgId = '00000000-0000-4000-8000-00000000000a';
const conf = '00000000-0000-4000-8000-0000000000c1';
const other = '00000000-0000-4000-8000-0000000000c2';
const host = '00000000-0000-4000-8000-0000000000a1';
const guest = '00000000-0000-4000-8000-0000000000b2';
const third = '00000000-0000-4000-8000-0000000000d3';
const orgKey = randomBytes(32) as OrgKey;
// Node's native scrypt with the published parameters: what the browser computes.
const nodeLookup = async (code: string) => {
  const { N, r, p, dkLen, salt } = LOOKUP_KDF;
  return toHex(scryptSync(utf8Encode(normaliseCode(code)!), salt, dkLen, { N, r, p, maxmem: 128 * N * r * 2 }));
};

describe('conference record and guests', () => {
  it('the record opens under orgKey for its own row only', () => {
    const key = newConferenceKey();
    const sealed = sealConferenceRecord(orgKey, orgId, conf, { title: 'Tumorboard', note: '', guests: [], key });
    expect(openConferenceRecord(orgKey, orgId, { id: conf, recordEnc: sealed })?.key).toBe(key);
    // Moved to another conference's row by the server: refused.
    expect(openConferenceRecord(orgKey, orgId, { id: other, recordEnc: sealed })).toBeNull();
    expect(openConferenceRecord(randomBytes(32) as OrgKey, orgId, { id: conf, recordEnc: sealed })).toBeNull();
  });

  it("a guest's code opens the conference key; another guest's wrap, conference or code does not", async () => {
    const key = newConferenceKey();
    const a = await newGuest(conf, 'Dr. Gast', key, nodeLookup);
    const b = await newGuest(conf, 'Dolmetscherin', key, nodeLookup);
    expect(unwrapKeyForGuest(a.guest.code, conf, a.guest.id, a.wire.keyWrap)).toEqual(fromB64u(key));
    expect(a.wire.lookup).not.toBe(b.wire.lookup);
    expect(a.wire.lookup).toMatch(/^[0-9a-f]{64}$/);
    expect(() => unwrapKeyForGuest(b.guest.code, conf, a.guest.id, a.wire.keyWrap)).toThrow();
    expect(() => unwrapKeyForGuest(a.guest.code, conf, b.guest.id, a.wire.keyWrap)).toThrow();
    expect(() => unwrapKeyForGuest(a.guest.code, other, a.guest.id, a.wire.keyWrap)).toThrow();
    // A wrap the server made under a key of its own choosing does not open with the code.
    const forged = wrapKeyForGuest(b.guest.code, conf, a.guest.id, newConferenceKey());
    expect(() => unwrapKeyForGuest(a.guest.code, conf, a.guest.id, forged)).toThrow();
  });

  it('guest names open under the conference key of their conference only', () => {
    const k = randomBytes(32);
    const sealed = sealGuestName(k, conf, 'Dr. Gast');
    expect(openGuestName(k, conf, sealed)).toBe('Dr. Gast');
    expect(openGuestName(k, other, sealed)).toBeNull();
    expect(openGuestName(randomBytes(32), conf, sealed)).toBeNull();
    expect(openGuestName(k, conf, 'v1.forged')).toBeNull();
  });
});

describe('conference signalling', () => {
  const k = randomBytes(32);
  it('delivers a message from its sender to its addressee', () => {
    const s = new ConferenceSignalSender(k, conf, host);
    const r = new ConferenceSignalReceiver(k, conf, guest);
    const m = s.seal(guest, { type: 'hello' });
    const got = r.open(host, m);
    expect(got.ok && got.msg.body).toEqual({ type: 'hello' });
  });

  it('refuses what the relay could do: forge, re-address, claim another sender, replay, keep it for later', () => {
    const s = new ConferenceSignalSender(k, conf, host);
    const m = s.seal(guest, { type: 'bye' });
    // Another key (the server's own): forged.
    expect(new ConferenceSignalReceiver(randomBytes(32), conf, guest).open(host, m)).toEqual({ ok: false, reason: 'forged' });
    // Handed to a third participant: forged (the pair is bound in).
    expect(new ConferenceSignalReceiver(k, conf, third).open(host, m)).toEqual({ ok: false, reason: 'forged' });
    // Said to come from someone else: forged.
    expect(new ConferenceSignalReceiver(k, conf, guest).open(third, m)).toEqual({ ok: false, reason: 'forged' });
    // Into another conference: forged.
    expect(new ConferenceSignalReceiver(k, other, guest).open(host, m)).toEqual({ ok: false, reason: 'forged' });
    // Twice: replayed.
    const r = new ConferenceSignalReceiver(k, conf, guest);
    expect(r.open(host, m).ok).toBe(true);
    expect(r.open(host, m)).toEqual({ ok: false, reason: 'replayed' });
    // Kept and delivered later: stale.
    const late = new ConferenceSignalReceiver(k, conf, guest, () => Date.now() + CONFERENCE_SIGNAL_MAX_AGE_MS + 1000);
    expect(late.open(host, s.seal(guest, { type: 'hello' }))).toEqual({ ok: false, reason: 'stale' });
  });

  it('one side of each pair offers', () => {
    expect(offersTo(host, guest)).toBe(!offersTo(guest, host));
  });
});
