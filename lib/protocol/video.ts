// The video consultation's part of the E2E protocol: access codes, what the
// server may learn from them, and the authenticated signalling channel.
// Pure and isomorphic: runs in the browser and in tests.
import { hkdf } from '@noble/hashes/hkdf.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@/lib/crypto/random';
import { toHex, utf8Encode } from '@/lib/crypto/encoding';
import { decryptJson, encryptJson, type AdContext } from '@/lib/crypto/envelope';
import { CryptoError } from '@/lib/crypto/types';

/** 32 symbols, none of 0/O/1/I, so a code read aloud or off paper is typed right. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const CODE_LENGTH = 16; // 16 × 5 bits = 80 bits
export const CODE_BITS = CODE_LENGTH * 5;
/**
 * Codes made before the lookup became memory-hard had 12 symbols (60 bits) and
 * a plain HKDF lookup. They still open their appointments until those end; the
 * server forgets their lookups a day later, after which none can remain.
 */
export const LEGACY_CODE_LENGTH = 12;

/**
 * The lookup a browser sends is scrypt of the code: a database dump then costs
 * an attacker one 32 MiB scrypt per guessed code (80 bits to search), instead
 * of one fast hash. The salt is fixed because the browser must find the row
 * from the code alone; the length of the code is what keeps a search over
 * every stored lookup at once out of reach (docs/SECURITY.md §9).
 */
export const LOOKUP_KDF = { N: 2 ** 15, r: 8, p: 1, dkLen: 32, salt: 'konsil/v2/access-code-lookup' } as const;

/** A fresh access code, formatted "ABCD-EFGH-JKLM-NPQR". */
export function generateAccessCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  let s = '';
  // 256 is a multiple of 32, so the low five bits are uniform.
  for (const b of bytes) s += CODE_ALPHABET[b & 31];
  return formatCode(s);
}

export function formatCode(normalised: string): string {
  return normalised.match(/.{1,4}/g)!.join('-');
}

/**
 * Upper-cases and strips spaces and dashes; returns null unless the rest is a
 * well-formed code. Letters people confuse are not guessed at: a code with
 * 0, O, 1 or I cannot exist, and saying so is clearer than a silent fix.
 */
export function normaliseCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s\-–.]/g, '');
  if (s.length !== CODE_LENGTH && s.length !== LEGACY_CODE_LENGTH) return null;
  for (const c of s) if (!CODE_ALPHABET.includes(c)) return null;
  return s;
}

const SALT = utf8Encode('konsil/v1/access-code');

function derive(code: string, info: string, salt: Uint8Array = SALT): Uint8Array {
  const n = normaliseCode(code);
  if (!n) throw new CryptoError('bad_params', 'malformed access code');
  return hkdf(sha256, utf8Encode(n), salt, utf8Encode(info), 32);
}

/**
 * What a browser sends to find its appointment. The server stores only
 * SHA-256 of it and never sees the code, so it cannot derive the keys below
 * without searching the 2^80 codes, at one scrypt per guess.
 */
export async function joinLookup(code: string): Promise<string> {
  const n = normaliseCode(code);
  if (!n) throw new CryptoError('bad_params', 'malformed access code');
  if (n.length === LEGACY_CODE_LENGTH) return toHex(derive(n, 'join-lookup'));
  const { N, r, p, dkLen, salt } = LOOKUP_KDF;
  return toHex(await scryptAsync(utf8Encode(n), utf8Encode(salt), { N, r, p, dkLen }));
}

/** The key both browsers seal signalling messages with: from the patient's code and the appointment. */
export function signalKey(patientCode: string, appointmentId: string): Uint8Array {
  return derive(patientCode, `signal/${appointmentId}`);
}

/** Key under which the patient code is kept for whoever holds the doctor code. */
export function hostWrapKey(doctorCode: string, appointmentId: string): Uint8Array {
  return derive(doctorCode, `host-wrap/${appointmentId}`);
}

const hostWrapAd = (appointmentId: string): AdContext => ({ table: 'appointments', row: appointmentId, org: '-', field: 'host_wrap' });

export function wrapPatientCode(doctorCode: string, patientCode: string, appointmentId: string): string {
  return encryptJson(hostWrapKey(doctorCode, appointmentId), { patientCode }, hostWrapAd(appointmentId));
}

export function unwrapPatientCode(doctorCode: string, wrap: string, appointmentId: string): string {
  const { patientCode } = decryptJson<{ patientCode: string }>(hostWrapKey(doctorCode, appointmentId), wrap, hostWrapAd(appointmentId));
  return patientCode;
}

/** SHA-256 (hex) of a lookup value: the only form in which codes are stored. */
export function lookupHash(lookup: string): string {
  return toHex(sha256(utf8Encode(lookup)));
}

// ---------------------------------------------------------------------------
// Signalling

export type SignalRole = 'host' | 'patient';
export type SignalBody =
  | { type: 'hello' }
  | { type: 'offer'; sdp: string; restart?: boolean }
  | { type: 'answer'; sdp: string }
  | { type: 'candidate'; candidate: RTCIceCandidateInit | null }
  | { type: 'bye' }
  | { type: 'media'; camera: boolean; microphone: boolean; screen: boolean };

export type SignalMessage = { from: SignalRole; sid: string; seq: number; ts: number; body: SignalBody };

const signalAd = (appointmentId: string, from: SignalRole): AdContext => ({ table: 'signal', row: appointmentId, org: '-', field: from });

/** Messages older than this are refused, so a stored message cannot be replayed into a later call. */
export const SIGNAL_MAX_AGE_MS = 10 * 60_000;

export function sealSignal(key: Uint8Array, appointmentId: string, msg: SignalMessage): string {
  return encryptJson(key, msg, signalAd(appointmentId, msg.from));
}

export type SignalCheck = { ok: true; msg: SignalMessage } | { ok: false; reason: 'forged' | 'stale' | 'replayed' | 'own' };

/**
 * Opens a sealed message from the other side and checks it. Anything that
 * does not open under the code-derived key is 'forged': the server, which
 * relays these, cannot make one that does.
 */
export class SignalReceiver {
  private lastSeq = new Map<string, number>();
  constructor(
    private readonly key: Uint8Array,
    private readonly appointmentId: string,
    private readonly me: SignalRole,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  open(sealed: string): SignalCheck {
    const from: SignalRole = this.me === 'host' ? 'patient' : 'host';
    let msg: SignalMessage;
    try {
      msg = decryptJson<SignalMessage>(this.key, sealed, signalAd(this.appointmentId, from));
    } catch {
      return { ok: false, reason: 'forged' };
    }
    if (msg.from !== from) return { ok: false, reason: 'own' };
    if (typeof msg.ts !== 'number' || Math.abs(this.clock() - msg.ts) > SIGNAL_MAX_AGE_MS) return { ok: false, reason: 'stale' };
    const last = this.lastSeq.get(msg.sid) ?? -1;
    if (!(msg.seq > last)) return { ok: false, reason: 'replayed' };
    this.lastSeq.set(msg.sid, msg.seq);
    return { ok: true, msg };
  }
}

export class SignalSender {
  readonly sid = toHex(randomBytes(8));
  private seq = 0;
  constructor(
    private readonly key: Uint8Array,
    private readonly appointmentId: string,
    private readonly me: SignalRole,
  ) {}
  seal(body: SignalBody): string {
    return sealSignal(this.key, this.appointmentId, { from: this.me, sid: this.sid, seq: this.seq++, ts: Date.now(), body });
  }
}
