import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { encodeAd, type AdContext } from './ad';
import { fromB64u, toB64u, utf8Decode, utf8Encode } from './encoding';
import { randomBytes } from './random';
import { CryptoError } from './types';

export type { AdContext } from './ad';

const KEY_LENGTH = 32;
// 24-byte nonces are large enough to pick at random for the lifetime of a
// key without a realistic collision risk, so no nonce state is needed.
const NONCE_LENGTH = 24;
const TAG_LENGTH = 16;
const VERSION = 'v1';

function assertKey(key: Uint8Array, what = 'key'): void {
  if (!(key instanceof Uint8Array) || key.length !== KEY_LENGTH) {
    throw new CryptoError('bad_params', `${what} must be 32 bytes`);
  }
}

export function encryptBytes(key: Uint8Array, plaintext: Uint8Array, ad: AdContext): string {
  assertKey(key);
  if (!(plaintext instanceof Uint8Array)) {
    throw new CryptoError('bad_params', 'plaintext must be a Uint8Array');
  }
  const aad = encodeAd(ad);
  const nonce = randomBytes(NONCE_LENGTH);
  const ct = xchacha20poly1305(key, nonce, aad).encrypt(plaintext);
  return `${VERSION}.${toB64u(nonce)}.${toB64u(ct)}`;
}

function parseEnvelope(envelope: string): { nonce: Uint8Array; ct: Uint8Array } {
  if (typeof envelope !== 'string') throw new CryptoError('bad_format', 'envelope must be a string');
  const parts = envelope.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) {
    throw new CryptoError('bad_format', 'unknown envelope format');
  }
  const nonce = fromB64u(parts[1]!);
  const ct = fromB64u(parts[2]!);
  if (nonce.length !== NONCE_LENGTH || ct.length < TAG_LENGTH) {
    throw new CryptoError('bad_format', 'malformed envelope');
  }
  return { nonce, ct };
}

export function decryptBytes(key: Uint8Array, envelope: string, ad: AdContext): Uint8Array {
  assertKey(key);
  const aad = encodeAd(ad);
  const { nonce, ct } = parseEnvelope(envelope);
  try {
    return xchacha20poly1305(key, nonce, aad).decrypt(ct);
  } catch (cause) {
    // One code for wrong key, wrong context and tampering alike: telling
    // them apart is neither possible nor useful to an attacker.
    throw new CryptoError('decrypt_failed', 'decryption failed', { cause });
  }
}

export function encryptText(key: Uint8Array, text: string, ad: AdContext): string {
  if (typeof text !== 'string') throw new CryptoError('bad_params', 'text must be a string');
  return encryptBytes(key, utf8Encode(text), ad);
}

export function decryptText(key: Uint8Array, env: string, ad: AdContext): string {
  return utf8Decode(decryptBytes(key, env, ad));
}

export function encryptJson(key: Uint8Array, value: unknown, ad: AdContext): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (cause) {
    throw new CryptoError('bad_params', 'value is not JSON-serialisable', { cause });
  }
  // JSON.stringify returns undefined for undefined, functions and symbols;
  // encrypting that would produce something decryptJson cannot read back.
  if (json === undefined) throw new CryptoError('bad_params', 'value is not JSON-serialisable');
  return encryptText(key, json, ad);
}

export function decryptJson<T>(key: Uint8Array, env: string, ad: AdContext): T {
  const text = decryptText(key, env, ad);
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new CryptoError('bad_format', 'decrypted payload is not JSON', { cause });
  }
}

export function wrapKey(wrappingKey: Uint8Array, keyToWrap: Uint8Array, ad: AdContext): string {
  assertKey(wrappingKey, 'wrapping key');
  assertKey(keyToWrap, 'key to wrap');
  return encryptBytes(wrappingKey, keyToWrap, ad);
}

export function unwrapKey<T extends Uint8Array = Uint8Array>(
  wrappingKey: Uint8Array,
  env: string,
  ad: AdContext,
): T {
  const key = decryptBytes(wrappingKey, env, ad);
  if (key.length !== KEY_LENGTH) {
    key.fill(0);
    throw new CryptoError('bad_format', 'unwrapped key has the wrong length');
  }
  return key as T;
}
