import { describe, expect, it } from 'vitest';
import { generateEd25519, generateX25519 } from '@/lib/crypto/asymmetric';
import { toB64u } from '@/lib/crypto/encoding';
import { CryptoError, type X25519PrivateKey } from '@/lib/crypto/types';
import { issueMemberCert } from './signing';
import { colleagueCallKey, ColleagueSignalReceiver, ColleagueSignalSender, COLLEAGUE_SIGNAL_MAX_AGE_MS, type CallParties, type PeerKeys } from './colleague-call';

const orgId = '00000000-0000-4000-8000-00000000000a';
const org = generateEd25519();
const orgSignPublic = toB64u(org.publicKey);

function member(userId: string, signer = org.privateKey) {
  const x = generateX25519();
  const e = generateEd25519();
  const keys = { orgId, userId, x25519Public: toB64u(x.publicKey), ed25519Public: toB64u(e.publicKey) };
  return { x25519Private: x.privateKey as X25519PrivateKey, served: { ...keys, memberCert: issueMemberCert(signer, keys) } as PeerKeys };
}

const alice = member('00000000-0000-4000-8000-0000000000a1');
const bob = member('00000000-0000-4000-8000-0000000000b2');
const call: CallParties = { orgId, callId: '00000000-0000-4000-8000-0000000000c1', callerId: alice.served.userId, calleeId: bob.served.userId };

const keyOf = (who: typeof alice, side: 'caller' | 'callee', peer: PeerKeys, parties = call) =>
  colleagueCallKey({ orgSignPublic, parties, me: { side, userId: who.served.userId, x25519Private: who.x25519Private, x25519Public: who.served.x25519Public }, peer });

const refused = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CryptoError);
    expect((e as CryptoError).code).toBe('key_signature_invalid');
    return;
  }
  throw new Error('accepted');
};

describe('colleague call signalling', () => {
  it('both sides derive the same key and talk in both directions', () => {
    const kA = keyOf(alice, 'caller', bob.served);
    const kB = keyOf(bob, 'callee', alice.served);
    expect(toB64u(kA)).toBe(toB64u(kB));
    const aOut = new ColleagueSignalSender(kA, call, 'caller');
    const bIn = new ColleagueSignalReceiver(kB, call, 'callee');
    const bOut = new ColleagueSignalSender(kB, call, 'callee');
    const aIn = new ColleagueSignalReceiver(kA, call, 'caller');
    const offer = bIn.open(aOut.seal({ type: 'offer', sdp: 'v=0' }));
    expect(offer).toMatchObject({ ok: true, msg: { from: 'caller', body: { type: 'offer', sdp: 'v=0' } } });
    expect(aIn.open(bOut.seal({ type: 'accept' }))).toMatchObject({ ok: true, msg: { body: { type: 'accept' } } });
  });

  it('refuses a peer whose certificate the organisation did not sign (forged certificate)', () => {
    const rogue = generateEd25519();
    const mallory = member(bob.served.userId, rogue.privateKey);
    refused(() => keyOf(alice, 'caller', mallory.served));
    refused(() => keyOf(alice, 'caller', { ...bob.served, memberCert: null }));
  });

  it('refuses a public key the server swapped under a real certificate', () => {
    const swapped = { ...bob.served, x25519Public: toB64u(generateX25519().publicKey) };
    refused(() => keyOf(alice, 'caller', swapped));
    // Another member's keys and certificate served as the callee's.
    const carol = member('00000000-0000-4000-8000-0000000000c3');
    refused(() => keyOf(alice, 'caller', carol.served));
    // A member of another organisation.
    refused(() => keyOf(alice, 'caller', { ...bob.served, orgId: '00000000-0000-4000-8000-00000000000b' }));
  });

  it('refuses to call oneself or to act as someone else', () => {
    refused(() => keyOf(alice, 'caller', alice.served, { ...call, calleeId: alice.served.userId }));
    refused(() => keyOf(alice, 'callee', bob.served));
  });

  it('refuses a replayed message and one sent back to its sender (reflection)', () => {
    const kA = keyOf(alice, 'caller', bob.served);
    const kB = keyOf(bob, 'callee', alice.served);
    const aOut = new ColleagueSignalSender(kA, call, 'caller');
    const bIn = new ColleagueSignalReceiver(kB, call, 'callee');
    const aIn = new ColleagueSignalReceiver(kA, call, 'caller');
    const m0 = aOut.seal({ type: 'candidate', candidate: null });
    const m1 = aOut.seal({ type: 'bye' });
    expect(bIn.open(m0).ok).toBe(true);
    expect(bIn.open(m1).ok).toBe(true);
    expect(bIn.open(m0)).toEqual({ ok: false, reason: 'replayed' });
    expect(bIn.open(m1)).toEqual({ ok: false, reason: 'replayed' });
    expect(aIn.open(m0)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses a message sealed for another call, altered or stale', () => {
    const other: CallParties = { ...call, callId: '00000000-0000-4000-8000-0000000000c2' };
    const kOther = keyOf(alice, 'caller', bob.served, other);
    const kB = keyOf(bob, 'callee', alice.served);
    expect(toB64u(kOther)).not.toBe(toB64u(kB));
    const bIn = new ColleagueSignalReceiver(kB, call, 'callee');
    expect(bIn.open(new ColleagueSignalSender(kOther, other, 'caller').seal({ type: 'bye' }))).toEqual({ ok: false, reason: 'forged' });
    // Same key, other call's associated data.
    const kA = keyOf(alice, 'caller', bob.served);
    expect(bIn.open(new ColleagueSignalSender(kA, other, 'caller').seal({ type: 'bye' }))).toEqual({ ok: false, reason: 'forged' });
    const sealed = new ColleagueSignalSender(kA, call, 'caller').seal({ type: 'bye' });
    const altered = sealed.slice(0, -3) + (sealed.endsWith('A') ? 'B' : 'A') + sealed.slice(-2);
    expect(bIn.open(altered)).toEqual({ ok: false, reason: 'forged' });
    const old = new ColleagueSignalSender(kA, call, 'caller', () => Date.now() - COLLEAGUE_SIGNAL_MAX_AGE_MS - 1000).seal({ type: 'bye' });
    expect(bIn.open(old)).toEqual({ ok: false, reason: 'stale' });
  });
});
