import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { encodeAd, type AdContext } from './ad';
import { concatBytes, fromB64u, toB64u, toHex, utf8Encode } from './encoding';
import { randomBytes } from './random';
import {
  CryptoError,
  type Ed25519PrivateKey,
  type Ed25519PublicKey,
  type X25519PrivateKey,
  type X25519PublicKey,
} from './types';

const KEY_LENGTH = 32;
const SIG_LENGTH = 64;
const NONCE_LENGTH = 24;
const TAG_LENGTH = 16;
const SEAL_VERSION = 's1';
const SEAL_INFO = utf8Encode('konsil/v1/seal');

function assertLen(b: Uint8Array, len: number, what: string): void {
  if (!(b instanceof Uint8Array) || b.length !== len) {
    throw new CryptoError('bad_params', `${what} must be ${len} bytes`);
  }
}

function isAllZero(b: Uint8Array): boolean {
  let acc = 0;
  for (let i = 0; i < b.length; i++) acc |= b[i]!;
  return acc === 0;
}

// Private keys come straight from getRandomValues: X25519 clamps and
// Ed25519 hashes the seed, so any 32 random bytes are a valid key.
export function generateX25519(): { privateKey: X25519PrivateKey; publicKey: X25519PublicKey } {
  const privateKey = randomBytes(KEY_LENGTH) as X25519PrivateKey;
  return { privateKey, publicKey: x25519PublicFromPrivate(privateKey) };
}

export function x25519PublicFromPrivate(privateKey: X25519PrivateKey): X25519PublicKey {
  assertLen(privateKey, KEY_LENGTH, 'X25519 private key');
  return x25519.getPublicKey(privateKey) as X25519PublicKey;
}

export function generateEd25519(): { privateKey: Ed25519PrivateKey; publicKey: Ed25519PublicKey } {
  const privateKey = randomBytes(KEY_LENGTH) as Ed25519PrivateKey;
  return { privateKey, publicKey: ed25519PublicFromPrivate(privateKey) };
}

export function ed25519PublicFromPrivate(privateKey: Ed25519PrivateKey): Ed25519PublicKey {
  assertLen(privateKey, KEY_LENGTH, 'Ed25519 private key');
  return ed25519.getPublicKey(privateKey) as Ed25519PublicKey;
}

export function sign(privateKey: Ed25519PrivateKey, msg: Uint8Array): Uint8Array {
  assertLen(privateKey, KEY_LENGTH, 'Ed25519 private key');
  if (!(msg instanceof Uint8Array)) throw new CryptoError('bad_params', 'message must be a Uint8Array');
  return ed25519.sign(msg, privateKey);
}

// Never throws so that a malformed key or signature from the network is
// simply "not valid" and cannot be mistaken for a crash path.
export function verify(publicKey: Ed25519PublicKey, sig: Uint8Array, msg: Uint8Array): boolean {
  try {
    if (
      !(publicKey instanceof Uint8Array) ||
      publicKey.length !== KEY_LENGTH ||
      !(sig instanceof Uint8Array) ||
      sig.length !== SIG_LENGTH ||
      !(msg instanceof Uint8Array)
    ) {
      return false;
    }
    // zip215: false = strict RFC 8032 / FIPS 186-5 rules, so each message
    // has no malleable alternative encodings of a valid signature.
    return ed25519.verify(sig, msg, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

// Both public keys go into the HKDF salt so the derived key is bound to
// this exact sender/recipient pair and a ciphertext cannot be re-targeted.
function sealKey(shared: Uint8Array, ephPub: Uint8Array, recipientPub: Uint8Array): Uint8Array {
  return hkdf(sha256, shared, concatBytes(ephPub, recipientPub), SEAL_INFO, KEY_LENGTH);
}

export function seal(recipientPublic: X25519PublicKey, plaintext: Uint8Array, ad: AdContext): string {
  assertLen(recipientPublic, KEY_LENGTH, 'X25519 public key');
  if (!(plaintext instanceof Uint8Array)) {
    throw new CryptoError('bad_params', 'plaintext must be a Uint8Array');
  }
  const aad = encodeAd(ad);
  const eph = randomBytes(KEY_LENGTH);
  let shared: Uint8Array | undefined;
  let key: Uint8Array | undefined;
  try {
    const ephPub = x25519.getPublicKey(eph);
    try {
      shared = x25519.getSharedSecret(eph, recipientPublic);
    } catch (cause) {
      throw new CryptoError('bad_params', 'invalid recipient public key', { cause });
    }
    // A low-order recipient key yields an all-zero secret that anyone can
    // compute; noble already refuses those, this is defence in depth.
    if (isAllZero(shared)) throw new CryptoError('bad_params', 'invalid recipient public key');
    key = sealKey(shared, ephPub, recipientPublic);
    const nonce = randomBytes(NONCE_LENGTH);
    const ct = xchacha20poly1305(key, nonce, aad).encrypt(plaintext);
    return `${SEAL_VERSION}.${toB64u(ephPub)}.${toB64u(nonce)}.${toB64u(ct)}`;
  } finally {
    eph.fill(0);
    shared?.fill(0);
    key?.fill(0);
  }
}

export function openSealed(
  recipientPrivate: X25519PrivateKey,
  sealed: string,
  ad: AdContext,
): Uint8Array {
  assertLen(recipientPrivate, KEY_LENGTH, 'X25519 private key');
  const aad = encodeAd(ad);
  if (typeof sealed !== 'string') throw new CryptoError('bad_format', 'sealed box must be a string');
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== SEAL_VERSION) {
    throw new CryptoError('bad_format', 'unknown sealed box format');
  }
  const ephPub = fromB64u(parts[1]!);
  const nonce = fromB64u(parts[2]!);
  const ct = fromB64u(parts[3]!);
  if (ephPub.length !== KEY_LENGTH || nonce.length !== NONCE_LENGTH || ct.length < TAG_LENGTH) {
    throw new CryptoError('bad_format', 'malformed sealed box');
  }
  let shared: Uint8Array | undefined;
  let key: Uint8Array | undefined;
  try {
    try {
      shared = x25519.getSharedSecret(recipientPrivate, ephPub);
    } catch (cause) {
      throw new CryptoError('decrypt_failed', 'decryption failed', { cause });
    }
    if (isAllZero(shared)) throw new CryptoError('decrypt_failed', 'decryption failed');
    key = sealKey(shared, ephPub, x25519.getPublicKey(recipientPrivate));
    try {
      return xchacha20poly1305(key, nonce, aad).decrypt(ct);
    } catch (cause) {
      throw new CryptoError('decrypt_failed', 'decryption failed', { cause });
    }
  } finally {
    shared?.fill(0);
    key?.fill(0);
  }
}

// 128 bits of SHA-256 is plenty for humans comparing keys out of band,
// while staying short enough to read aloud.
export function fingerprint(publicKey: Uint8Array): string {
  if (!(publicKey instanceof Uint8Array)) {
    throw new CryptoError('bad_params', 'public key must be a Uint8Array');
  }
  const hex = toHex(sha256(publicKey).subarray(0, 16)).toUpperCase();
  return hex.match(/.{4}/g)!.join(' ');
}
