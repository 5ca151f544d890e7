import 'server-only';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromB64u, toB64u, utf8Decode, utf8Encode } from '@/lib/crypto/encoding';
import { randomBytes } from '@/lib/crypto/random';
import { getAuthSecret } from './secret';

// Server-side sealing of values the server must be able to use again itself
// (a patient's address until the reminder is sent, the SMTP password until
// it expires, an SMS gateway key). It protects them in a database dump or
// backup that does not come with AUTH_SECRET; it does not protect them from
// the running server, which holds the key. Patient content end-to-end
// encrypted in the browser never passes through here.
//
// Format: "ss1.<b64u nonce[24]>.<b64u ciphertext‖tag[16]>", XChaCha20-Poly1305
// under HKDF-SHA256(AUTH_SECRET, salt "konsil/v1/server-seal/salt",
// info "konsil/v1/server-seal"), associated data "konsil/v1/server-seal\0<ad>".

const PREFIX = 'ss1';
const NONCE_LENGTH = 24;
const TAG_LENGTH = 16;
const SALT = utf8Encode('konsil/v1/server-seal/salt');
const INFO = utf8Encode('konsil/v1/server-seal');
const AD_PREFIX = 'konsil/v1/server-seal\u0000';

export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

/** The sealing key for a given server secret (exported for tests). */
export function deriveSealKey(secret: string): Uint8Array {
  return hkdf(sha256, utf8Encode(secret), SALT, INFO, 32);
}

let cached: { secret: string; key: Uint8Array } | undefined;
function currentKey(): Uint8Array {
  const secret = getAuthSecret();
  if (!cached || cached.secret !== secret) cached = { secret, key: deriveSealKey(secret) };
  return cached.key;
}

function adBytes(ad: string): Uint8Array {
  if (typeof ad !== 'string' || ad.length === 0) throw new SealError('associated data must be a non-empty string');
  return utf8Encode(AD_PREFIX + ad);
}

export function sealWithKey(key: Uint8Array, plaintext: string, ad: string): string {
  if (typeof plaintext !== 'string') throw new SealError('plaintext must be a string');
  const nonce = randomBytes(NONCE_LENGTH);
  const ct = xchacha20poly1305(key, nonce, adBytes(ad)).encrypt(utf8Encode(plaintext));
  return `${PREFIX}.${toB64u(nonce)}.${toB64u(ct)}`;
}

export function openWithKey(key: Uint8Array, sealed: string, ad: string): string {
  const aad = adBytes(ad);
  if (typeof sealed !== 'string') throw new SealError('sealed value must be a string');
  const parts = sealed.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) throw new SealError('not a sealed value');
  let nonce: Uint8Array;
  let ct: Uint8Array;
  try {
    nonce = fromB64u(parts[1]!);
    ct = fromB64u(parts[2]!);
  } catch {
    throw new SealError('not a sealed value');
  }
  if (nonce.length !== NONCE_LENGTH || ct.length < TAG_LENGTH) throw new SealError('not a sealed value');
  try {
    return utf8Decode(xchacha20poly1305(key, nonce, aad).decrypt(ct));
  } catch {
    // Wrong key (AUTH_SECRET changed), wrong context or tampering: one error.
    throw new SealError('cannot open sealed value');
  }
}

/** Seals a string under the server key, bound to `ad` (e.g. `outbox:<id>:recipient`). */
export function sealString(plaintext: string, ad: string): string {
  return sealWithKey(currentKey(), plaintext, ad);
}

/** Opens what sealString made with the same `ad`; throws SealError otherwise. */
export function openString(sealed: string, ad: string): string {
  return openWithKey(currentKey(), sealed, ad);
}

export function isSealed(value: string | null | undefined): boolean {
  return typeof value === 'string' && value.startsWith(`${PREFIX}.`);
}
