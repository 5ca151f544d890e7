import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { randomBytes } from '@/lib/crypto/random';
import { fromHex, toHex } from '@/lib/crypto/encoding';
import { CONFERENCE_DATA_MAX_AGE_MS, MAX_CHAT_LENGTH, conferenceMediaKey, openConferenceData, sealConferenceData } from './conference-media';
import { sealGuestName } from './conference';

const conf = '00000000-0000-4000-8000-0000000000c1';
const other = '00000000-0000-4000-8000-0000000000c2';
const alice = '00000000-0000-4000-8000-0000000000a1';
const bob = '00000000-0000-4000-8000-0000000000b2';
const K = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');

describe('conference media key', () => {
  it('is HKDF-SHA256 of K with the published salt and info (Node computes the same)', () => {
    const expected = new Uint8Array(hkdfSync('sha256', K, 'konsil/v1/conference-media', `livekit-e2ee/${conf}`, 32));
    expect(toHex(conferenceMediaKey(K, conf))).toBe(toHex(expected));
    expect(conferenceMediaKey(K, conf)).toHaveLength(32);
  });

  it('is deterministic: every participant derives the same key from K', () => {
    expect(toHex(conferenceMediaKey(K, conf))).toBe(toHex(conferenceMediaKey(Uint8Array.from(K), conf)));
  });

  it('differs per conference key and per conference, and is never K itself', () => {
    const k = conferenceMediaKey(K, conf);
    expect(toHex(k)).not.toBe(toHex(K));
    expect(toHex(conferenceMediaKey(randomBytes(32), conf))).not.toBe(toHex(k));
    expect(toHex(conferenceMediaKey(K, other))).not.toBe(toHex(k));
  });

  it('is separated from the other keys derived from K (another info string gives another key)', () => {
    const guestWrapLike = new Uint8Array(hkdfSync('sha256', K, 'konsil/v1/conference-guest', `livekit-e2ee/${conf}`, 32));
    expect(toHex(conferenceMediaKey(K, conf))).not.toBe(toHex(guestWrapLike));
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => conferenceMediaKey(K.slice(0, 16), conf)).toThrow();
  });
});

describe('sealed room data', () => {
  const at = 1_800_000_000_000;

  it('a chat line and a raised hand open for the sender and conference they were sealed for', () => {
    const chat = sealConferenceData(K, conf, alice, { t: 'chat', id: 'm1', text: 'Befund' }, at);
    expect(chat).not.toContain('Befund');
    expect(openConferenceData(K, conf, alice, chat, at + 1000)).toEqual({ t: 'chat', id: 'm1', text: 'Befund' });
    const hand = sealConferenceData(K, conf, bob, { t: 'hand', up: true }, at);
    expect(openConferenceData(K, conf, bob, hand, at)).toEqual({ t: 'hand', up: true });
  });

  it('refuses another sender, another conference, another key', () => {
    const chat = sealConferenceData(K, conf, alice, { t: 'chat', id: 'm1', text: 'x' }, at);
    expect(openConferenceData(K, conf, bob, chat, at)).toBeNull();
    expect(openConferenceData(K, other, alice, chat, at)).toBeNull();
    expect(openConferenceData(randomBytes(32), conf, alice, chat, at)).toBeNull();
    expect(openConferenceData(K, conf, alice, 'not an envelope', at)).toBeNull();
  });

  it('refuses stale messages, other sealed things under K, and malformed bodies', () => {
    const chat = sealConferenceData(K, conf, alice, { t: 'chat', id: 'm1', text: 'x' }, at);
    expect(openConferenceData(K, conf, alice, chat, at + CONFERENCE_DATA_MAX_AGE_MS + 1)).toBeNull();
    expect(openConferenceData(K, conf, alice, sealGuestName(K, conf, 'Gast'), at)).toBeNull();
    const odd = sealConferenceData(K, conf, alice, { t: 'hand', up: 'yes' } as never, at);
    expect(openConferenceData(K, conf, alice, odd, at)).toBeNull();
  });

  it('cuts an overlong chat line to the limit', () => {
    const long = sealConferenceData(K, conf, alice, { t: 'chat', id: 'm2', text: 'a'.repeat(MAX_CHAT_LENGTH + 50) }, at);
    const m = openConferenceData(K, conf, alice, long, at);
    expect(m?.t === 'chat' && m.text.length).toBe(MAX_CHAT_LENGTH);
  });
});
