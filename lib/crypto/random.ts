import { CryptoError } from './types';

// getRandomValues rejects requests above 65536 bytes.
const MAX_RANDOM_REQUEST = 65536;

export function randomBytes(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new CryptoError('bad_params', 'randomBytes: length must be a non-negative integer');
  }
  const c = globalThis.crypto;
  if (!c || typeof c.getRandomValues !== 'function') {
    // No insecure fallback: failing is better than weak keys.
    throw new CryptoError('bad_params', 'crypto.getRandomValues is not available');
  }
  const out = new Uint8Array(n);
  for (let off = 0; off < n; off += MAX_RANDOM_REQUEST) {
    c.getRandomValues(out.subarray(off, Math.min(n, off + MAX_RANDOM_REQUEST)));
  }
  return out;
}

export function randomKey<T extends Uint8Array>(): T {
  return randomBytes(32) as T;
}
