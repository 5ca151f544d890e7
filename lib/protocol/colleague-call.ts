// Calls between two members of one organisation (docs/SECURITY.md §3.8a).
// Pure and isomorphic: runs in the browser and in tests.
//
// No code is shared by the two: each browser derives the call's signalling
// key from its own X25519 member key and the other member's certified public
// key — after checking that certificate under the organisation's pinned
// signing key, so a public key the server swapped is refused before any
// message is sealed to it. The key is bound to the organisation, the call and
// both members; every message carries its direction (caller → callee or back),
// a per-connection sender id and a counter, so a message of another call, one
// sent back to its sender or one seen before is refused.
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@/lib/crypto/random';
import { fromB64u, toHex, utf8Encode } from '@/lib/crypto/encoding';
import { decryptJson, encryptJson, type AdContext } from '@/lib/crypto/envelope';
import { CryptoError, type X25519PrivateKey } from '@/lib/crypto/types';
import { statement, verifyMemberCert, type CertifiedKeys } from './signing';
import type { SignalBody } from './video';

export type CallSide = 'caller' | 'callee';

/** Who is in the call, as the server names them; the keys count only with the organisation's certificate. */
export type CallParties = { orgId: string; callId: string; callerId: string; calleeId: string };

/** The other member's keys as served, with the certificate the organisation signed over them. */
export type PeerKeys = CertifiedKeys & { memberCert: string | null };

/** Messages older than this are refused, so a stored message cannot be replayed into a later connection. */
export const COLLEAGUE_SIGNAL_MAX_AGE_MS = 10 * 60_000;

const SALT = utf8Encode('konsil/v1/colleague-call');

/**
 * The call's signalling key, as one side computes it: ECDH of its own private
 * key and the peer's certified public key, HKDF over the organisation, the
 * call, both members and both public keys. Throws 'key_signature_invalid'
 * unless the peer is the other member of this call and the organisation (its
 * pinned signing key) certified exactly these keys for them.
 */
export function colleagueCallKey(args: {
  orgSignPublic: string;
  parties: CallParties;
  me: { side: CallSide; userId: string; x25519Private: X25519PrivateKey; x25519Public: string };
  peer: PeerKeys;
}): Uint8Array {
  const { parties, me, peer } = args;
  const mine = me.side === 'caller' ? parties.callerId : parties.calleeId;
  const theirs = me.side === 'caller' ? parties.calleeId : parties.callerId;
  if (me.userId !== mine || peer.userId !== theirs || mine === theirs) throw new CryptoError('key_signature_invalid', 'not the members of this call');
  if (peer.orgId !== parties.orgId) throw new CryptoError('key_signature_invalid', 'the peer is not of this organisation');
  if (!verifyMemberCert(args.orgSignPublic, peer, peer.memberCert)) throw new CryptoError('key_signature_invalid', 'the peer is not certified by the organisation');
  let peerPublic: Uint8Array;
  let shared: Uint8Array;
  try {
    peerPublic = fromB64u(peer.x25519Public);
    shared = x25519.getSharedSecret(me.x25519Private, peerPublic);
  } catch (cause) {
    throw new CryptoError('key_signature_invalid', 'the peer key is unusable', { cause });
  }
  if (shared.every((b) => b === 0)) throw new CryptoError('key_signature_invalid', 'the peer key is of low order');
  const callerPublic = me.side === 'caller' ? me.x25519Public : peer.x25519Public;
  const calleePublic = me.side === 'caller' ? peer.x25519Public : me.x25519Public;
  const info = statement('konsil/v1/colleague-call-signal', [parties.orgId, parties.callId, parties.callerId, parties.calleeId, callerPublic, calleePublic]);
  const key = hkdf(sha256, shared, SALT, info, 32);
  shared.fill(0);
  return key;
}

export type ColleagueSignalBody = SignalBody | { type: 'accept' };

export type ColleagueSignal = { from: CallSide; sid: string; seq: number; ts: number; body: ColleagueSignalBody };

const signalAd = (p: CallParties, from: CallSide): AdContext => ({ table: 'colleague_call_signal', row: p.callId, org: p.orgId, field: from });

export function sealColleagueSignal(key: Uint8Array, parties: CallParties, msg: ColleagueSignal): string {
  return encryptJson(key, msg, signalAd(parties, msg.from));
}

export type ColleagueSignalCheck = { ok: true; msg: ColleagueSignal } | { ok: false; reason: 'forged' | 'stale' | 'replayed' | 'own' };

/**
 * Opens messages from the other side. 'forged': does not open under this
 * call's key in the peer's direction (the server, another call, or our own
 * message sent back); 'own': claims our direction inside; 'replayed': a
 * counter already seen for its sender id; 'stale': older than ten minutes.
 */
export class ColleagueSignalReceiver {
  private lastSeq = new Map<string, number>();
  constructor(
    private readonly key: Uint8Array,
    private readonly parties: CallParties,
    private readonly me: CallSide,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  open(sealed: string): ColleagueSignalCheck {
    const from: CallSide = this.me === 'caller' ? 'callee' : 'caller';
    let msg: ColleagueSignal;
    try {
      msg = decryptJson<ColleagueSignal>(this.key, sealed, signalAd(this.parties, from));
    } catch {
      return { ok: false, reason: 'forged' };
    }
    if (msg.from !== from) return { ok: false, reason: 'own' };
    if (typeof msg.ts !== 'number' || Math.abs(this.clock() - msg.ts) > COLLEAGUE_SIGNAL_MAX_AGE_MS) return { ok: false, reason: 'stale' };
    if (typeof msg.sid !== 'string' || !Number.isSafeInteger(msg.seq)) return { ok: false, reason: 'forged' };
    const last = this.lastSeq.get(msg.sid) ?? -1;
    if (!(msg.seq > last)) return { ok: false, reason: 'replayed' };
    this.lastSeq.set(msg.sid, msg.seq);
    return { ok: true, msg };
  }
}

export class ColleagueSignalSender {
  readonly sid = toHex(randomBytes(8));
  private seq = 0;
  constructor(
    private readonly key: Uint8Array,
    private readonly parties: CallParties,
    private readonly me: CallSide,
    private readonly clock: () => number = () => Date.now(),
  ) {}
  seal(body: ColleagueSignalBody): string {
    return sealColleagueSignal(this.key, this.parties, { from: this.me, sid: this.sid, seq: this.seq++, ts: this.clock(), body });
  }
}
