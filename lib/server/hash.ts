import 'server-only';
import { randomBytes, scrypt as scryptCb, timingSafeEqual, createHmac, createHash } from 'node:crypto';

// authKey and recoveryAuthKey are already 256-bit outputs of a memory-hard KDF,
// so this second, server-side hash only has to make a stolen database useless
// for logging in; scrypt at N=2^14 keeps a login under ~50 ms of server time.
const N = 16384;
const R = 8;
const P = 1;

function scrypt(secret: Buffer, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(secret, salt, 32, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** scrypt as hex, for values the browser derives with published parameters. */
export function scryptHex(secret: string, salt: string, o: { N: number; r: number; p: number; dkLen: number }): Promise<string> {
  return new Promise((resolve, reject) =>
    scryptCb(secret, salt, o.dkLen, { N: o.N, r: o.r, p: o.p, maxmem: 128 * o.N * o.r * 2 }, (err, key) => (err ? reject(err) : resolve(key.toString('hex')))),
  );
}

export async function hashSecret(secret: Uint8Array): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(Buffer.from(secret), salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifySecret(secret: Uint8Array, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map((x) => Number.parseInt(x, 10));
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  const key = await scrypt(Buffer.from(secret), salt, n, r, p);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

// Spends the same time as a real verification so unknown accounts are not
// distinguishable by timing.
const DUMMY = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(32).toString('base64url')}`;
export async function verifyDummy(secret: Uint8Array): Promise<false> {
  await verifySecret(secret, DUMMY);
  return false;
}

export function hmac(key: string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
