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

export type KdfParams = { v: 1; alg: 'argon2id'; m: number /* KiB */; t: number; p: number };

export const KDF_V1: KdfParams = { v: 1, alg: 'argon2id', m: 32768, t: 3, p: 1 };

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
  if (r.v !== 1 || r.alg !== 'argon2id') {
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
  return { v: 1, alg: 'argon2id', m, t, p: par };
}

export async function derivePasswordKey(
  password: string,
  salt: Uint8Array,
  params: KdfParams,
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
