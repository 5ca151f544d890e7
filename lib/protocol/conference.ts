// Conferences' part of the E2E protocol (docs/SECURITY.md §3.8b). Pure and
// isomorphic: runs in the browser and in tests.
//
// The host's browser makes a conference key K (32 random bytes). It travels
// to members inside the conference record, sealed under orgKey; to each guest
// wrapped under a key derived from that guest's access code, which only the
// link or the printed code carries (the server holds a memory-hard lookup of
// it, as for patients). Every signalling message between two participants is
// sealed under K and bound to the conference and to the pair (from → to) the
// relay claims; guests' display names are sealed under K too. The server
// relays envelopes it cannot open and cannot forge.
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@/lib/crypto/random';
import { fromB64u, toB64u, toHex, utf8Encode } from '@/lib/crypto/encoding';
import { decryptJson, encryptJson, type AdContext } from '@/lib/crypto/envelope';
import { CryptoError, type OrgKey } from '@/lib/crypto/types';
import { generateAccessCode, joinLookup, normaliseCode } from './video';
import type { SignalBody } from './video';

/** Peer-to-peer mesh: each participant sends its video to every other; beyond four, phones and upload links give up. */
export const MESH_MAX_PARTICIPANTS = 4;

export type ConferenceGuest = { id: string; name: string; code: string };

/** What members' browsers read of a conference: sealed under orgKey, bound to its row. */
export type ConferenceRecord = {
  title: string;
  note: string;
  guests: ConferenceGuest[];
  /** The conference key, base64url. */
  key: string;
};

const recordAd = (orgId: string, id: string): AdContext => ({ table: 'conferences', row: id, org: orgId, field: 'record' });

export function sealConferenceRecord(orgKey: OrgKey, orgId: string, id: string, record: ConferenceRecord): string {
  return encryptJson(orgKey, record, recordAd(orgId, id));
}

export function openConferenceRecord(orgKey: OrgKey, orgId: string, row: { id: string; recordEnc: string }): ConferenceRecord | null {
  try {
    const r = decryptJson<ConferenceRecord>(orgKey, row.recordEnc, recordAd(orgId, row.id));
    if (fromB64u(r.key).length !== 32) return null;
    return r;
  } catch {
    return null;
  }
}

export function newConferenceKey(): string {
  return toB64u(randomBytes(32));
}

const GUEST_SALT = utf8Encode('konsil/v1/conference-guest');

function guestWrapKey(code: string, conferenceId: string, guestId: string): Uint8Array {
  const n = normaliseCode(code);
  if (!n) throw new CryptoError('bad_params', 'malformed access code');
  return hkdf(sha256, utf8Encode(n), GUEST_SALT, utf8Encode(`key-wrap/${conferenceId}/${guestId}`), 32);
}

const wrapAd = (conferenceId: string, guestId: string): AdContext => ({ table: 'conference_guests', row: guestId, org: conferenceId, field: 'key_wrap' });

/** The conference key as the server keeps it for one guest: opens only with that guest's code. */
export function wrapKeyForGuest(code: string, conferenceId: string, guestId: string, key: string): string {
  return encryptJson(guestWrapKey(code, conferenceId, guestId), { key }, wrapAd(conferenceId, guestId));
}

export function unwrapKeyForGuest(code: string, conferenceId: string, guestId: string, wrap: string): Uint8Array {
  const { key } = decryptJson<{ key: string }>(guestWrapKey(code, conferenceId, guestId), wrap, wrapAd(conferenceId, guestId));
  const k = fromB64u(key);
  if (k.length !== 32) throw new CryptoError('decrypt_failed', 'not a conference key');
  return k;
}

/** A guest's invitation: its code, and what the server may hold (lookup and wrapped key). */
export async function newGuest(conferenceId: string, name: string, key: string, lookup: (code: string) => Promise<string> = joinLookup) {
  const id = crypto.randomUUID();
  const code = generateAccessCode();
  return { guest: { id, name, code } satisfies ConferenceGuest, wire: { id, lookup: await lookup(code), keyWrap: wrapKeyForGuest(code, conferenceId, id, key) } };
}

/** The guest's link: the code sits in the fragment, which browsers never send. */
export function guestLink(origin: string, code: string): string {
  return `${origin}/join#${code}`;
}

const nameAd = (conferenceId: string): AdContext => ({ table: 'conference_participants', row: conferenceId, org: '-', field: 'name' });

/** A guest's display name as the others read it (sealed under K; the server holds only this). */
export function sealGuestName(key: Uint8Array, conferenceId: string, name: string): string {
  return encryptJson(key, { name }, nameAd(conferenceId));
}

export function openGuestName(key: Uint8Array, conferenceId: string, sealed: string | null): string | null {
  if (!sealed) return null;
  try {
    const { name } = decryptJson<{ name: string }>(key, sealed, nameAd(conferenceId));
    return typeof name === 'string' ? name.slice(0, 80) : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------
// Signalling between two participants

export type ConferenceSignalBody = SignalBody | { type: 'mute' };

export type ConferenceSignal = { from: string; to: string; sid: string; seq: number; ts: number; body: ConferenceSignalBody };

/** Messages older than this are refused, so a stored message cannot be replayed into a later connection. */
export const CONFERENCE_SIGNAL_MAX_AGE_MS = 10 * 60_000;

const signalAd = (conferenceId: string, from: string, to: string): AdContext => ({ table: 'conference_signal', row: conferenceId, org: from, field: to });

export function sealConferenceSignal(key: Uint8Array, conferenceId: string, msg: ConferenceSignal): string {
  return encryptJson(key, msg, signalAd(conferenceId, msg.from, msg.to));
}

export type ConferenceSignalCheck = { ok: true; msg: ConferenceSignal } | { ok: false; reason: 'forged' | 'stale' | 'replayed' };

/**
 * Opens a message the relay says came from `from` for this participant. It
 * opens only under K with exactly that pair bound in: the server cannot make
 * one, nor re-address one meant for someone else or claim another sender.
 */
export class ConferenceSignalReceiver {
  private lastSeq = new Map<string, number>();
  constructor(
    private readonly key: Uint8Array,
    private readonly conferenceId: string,
    private readonly me: string,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  open(from: string, sealed: string): ConferenceSignalCheck {
    let msg: ConferenceSignal;
    try {
      msg = decryptJson<ConferenceSignal>(this.key, sealed, signalAd(this.conferenceId, from, this.me));
    } catch {
      return { ok: false, reason: 'forged' };
    }
    if (msg.from !== from || msg.to !== this.me || from === this.me) return { ok: false, reason: 'forged' };
    if (typeof msg.ts !== 'number' || Math.abs(this.clock() - msg.ts) > CONFERENCE_SIGNAL_MAX_AGE_MS) return { ok: false, reason: 'stale' };
    if (typeof msg.sid !== 'string' || !Number.isSafeInteger(msg.seq)) return { ok: false, reason: 'forged' };
    const k = `${from}/${msg.sid}`;
    const last = this.lastSeq.get(k) ?? -1;
    if (!(msg.seq > last)) return { ok: false, reason: 'replayed' };
    this.lastSeq.set(k, msg.seq);
    return { ok: true, msg };
  }
}

export class ConferenceSignalSender {
  readonly sid = toHex(randomBytes(8));
  private seq = 0;
  constructor(
    private readonly key: Uint8Array,
    private readonly conferenceId: string,
    private readonly me: string,
    private readonly clock: () => number = () => Date.now(),
  ) {}
  seal(to: string, body: ConferenceSignalBody): string {
    return sealConferenceSignal(this.key, this.conferenceId, { from: this.me, to, sid: this.sid, seq: this.seq++, ts: this.clock(), body });
  }
}

/** For a pair, the participant whose id sorts first makes the offers; the other answers. */
export function offersTo(me: string, peer: string): boolean {
  return me < peer;
}
