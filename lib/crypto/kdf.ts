import { argon2idAsync } from '@noble/hashes/argon2.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8Encode } from './encoding';
import {
  CryptoError,
  type AuthKey,
  type MasterWrapKey,
  type PasswordWrapKey,
  type RecoveryAuthKey,
} from './types';

/**
 * v2: the salt is bound to the account before use (bindSalt), so a server that
 * hands everyone the same salt still gets a different derivation per account.
 * v1 (the salt as served) is no longer accepted: a server could otherwise
 * downgrade an account to it.
 */
export type KdfParams = { v: 2; alg: 'argon2id'; m: number /* KiB */; t: number; p: number };

/** Parameters as a server serves them: checked by assertKdfParams before any use. */
export type ServedKdfParams = { v: number; alg: string; m: number; t: number; p: number };

export const KDF_DEFAULT: KdfParams = { v: 2, alg: 'argon2id', m: 32768, t: 3, p: 1 };

const SALT_LENGTH = 16;
const KEY_LENGTH = 32;

// Upper bounds keep a tampered parameter record from turning a login into a
// denial of service (1 GiB of memory or minutes of CPU in the browser).
const MAX_M = 1048576;
const MAX_T = 10;
const MAX_P = 4;

function isInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x);
}

// Parameters are stored next to the ciphertext and come back from the
// server, so they are untrusted input: a server must not be able to talk a
// client into a weak derivation. Floors follow the OWASP Argon2id guidance.
export function assertKdfParams(p: unknown): KdfParams {
  if (typeof p !== 'object' || p === null) {
    throw new CryptoError('bad_params', 'KDF params must be an object');
  }
  const r = p as Record<string, unknown>;
  if (r.v !== 2 || r.alg !== 'argon2id') {
    throw new CryptoError('bad_params', 'unsupported KDF version or algorithm');
  }
  const { m, t } = r;
  const par = r.p;
  if (!isInt(m) || !isInt(t) || !isInt(par)) {
    throw new CryptoError('bad_params', 'KDF cost parameters must be integers');
  }
  if (par < 1 || par > MAX_P) throw new CryptoError('bad_params', 'KDF parallelism out of range');
  if (m > MAX_M || t > MAX_T) throw new CryptoError('bad_params', 'KDF cost above maximum');
  const strongEnough = (m >= 19456 && t >= 2) || (m >= 47104 && t >= 1);
  if (!strongEnough) throw new CryptoError('bad_params', 'KDF cost below minimum');
  // A fresh object drops unknown fields so they cannot ride along into storage.
  return { v: 2, alg: 'argon2id', m, t, p: par };
}

const SALT_CONTEXT = utf8Encode('konsil/v2/kdf-salt');

/**
 * The salt Argon2id actually gets: SHA-256 over a label, the account's two
 * identifiers (already normalised by the caller) and the stored salt, cut to
 * 16 bytes. The identifiers come from what the user typed or, once signed in,
 * from an account this browser holds a device key for — never from the server
 * alone — so a server cannot make two accounts share a derivation and crack
 * their passwords with one dictionary pass.
 */
export function bindSalt(salt: Uint8Array, account: { org: string; user: string }): Uint8Array {
  if (!(salt instanceof Uint8Array) || salt.length !== SALT_LENGTH) throw new CryptoError('bad_params', 'salt must be 16 bytes');
  if (!account.org || !account.user) throw new CryptoError('bad_params', 'account identifiers are required');
  const parts = [SALT_CONTEXT, utf8Encode(account.org), utf8Encode(account.user), salt];
  // Length-prefixed, so ("ab","c") and ("a","bc") bind differently.
  const buf = new Uint8Array(parts.reduce((n, x) => n + 4 + x.length, 0));
  let o = 0;
  for (const x of parts) {
    new DataView(buf.buffer).setUint32(o, x.length);
    buf.set(x, o + 4);
    o += 4 + x.length;
  }
  return sha256(buf).slice(0, SALT_LENGTH);
}

export async function derivePasswordKey(
  password: string,
  salt: Uint8Array,
  params: KdfParams | ServedKdfParams,
  onProgress?: (f: number) => void,
): Promise<Uint8Array> {
  if (typeof password !== 'string') throw new CryptoError('bad_params', 'password must be a string');
  if (!(salt instanceof Uint8Array) || salt.length !== SALT_LENGTH) {
    throw new CryptoError('bad_params', 'salt must be 16 bytes');
  }
  const { m, t, p } = assertKdfParams(params);
  // NFC so the same password typed on different keyboards or OSes
  // (precomposed vs combining accents) derives the same key.
  const pw = utf8Encode(password.normalize('NFC'));
  try {
    return await argon2idAsync(pw, salt, {
      m,
      t,
      p,
      dkLen: KEY_LENGTH,
      ...(onProgress ? { onProgress } : {}),
    });
  } finally {
    pw.fill(0);
  }
}

const INFO_AUTH = utf8Encode('konsil/v1/auth-key');
const INFO_PASSWORD_WRAP = utf8Encode('konsil/v1/password-wrap-key');
const INFO_RECOVERY_AUTH = utf8Encode('konsil/v1/recovery-auth-key');
const INFO_MASTER_WRAP = utf8Encode('konsil/v1/master-wrap-key');

function assertKey(k: Uint8Array): void {
  if (!(k instanceof Uint8Array) || k.length !== KEY_LENGTH) {
    throw new CryptoError('bad_params', 'key must be 32 bytes');
  }
}

// The input is already uniformly random (Argon2 output or a random master
// key), so HKDF needs no salt; distinct info strings give independent keys,
// which lets the server hold the auth key without learning the wrap key.
function expand(k: Uint8Array, info: Uint8Array): Uint8Array {
  return hkdf(sha256, k, undefined, info, KEY_LENGTH);
}

export function splitPasswordKey(k: Uint8Array): {
  authKey: AuthKey;
  passwordWrapKey: PasswordWrapKey;
} {
  assertKey(k);
  return {
    authKey: expand(k, INFO_AUTH) as AuthKey,
    passwordWrapKey: expand(k, INFO_PASSWORD_WRAP) as PasswordWrapKey,
  };
}

export function splitMasterKey(k: Uint8Array): {
  recoveryAuthKey: RecoveryAuthKey;
  masterWrapKey: MasterWrapKey;
} {
  assertKey(k);
  return {
    recoveryAuthKey: expand(k, INFO_RECOVERY_AUTH) as RecoveryAuthKey,
    masterWrapKey: expand(k, INFO_MASTER_WRAP) as MasterWrapKey,
  };
}
