import { CryptoError } from './types';

const B64U_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64U_LOOKUP: Int16Array = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < B64U_ALPHABET.length; i++) table[B64U_ALPHABET.charCodeAt(i)] = i;
  return table;
})();

// Hand-rolled rather than btoa/atob or Buffer: identical behaviour in the
// browser and Node, no binary-string detour, and strict decoding.
export function toB64u(bytes: Uint8Array): string {
  let out = '';
  const len = bytes.length;
  let i = 0;
  for (; i + 2 < len; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out +=
      B64U_ALPHABET[(n >>> 18) & 63]! +
      B64U_ALPHABET[(n >>> 12) & 63]! +
      B64U_ALPHABET[(n >>> 6) & 63]! +
      B64U_ALPHABET[n & 63]!;
  }
  const rest = len - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64U_ALPHABET[(n >>> 18) & 63]! + B64U_ALPHABET[(n >>> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out +=
      B64U_ALPHABET[(n >>> 18) & 63]! +
      B64U_ALPHABET[(n >>> 12) & 63]! +
      B64U_ALPHABET[(n >>> 6) & 63]!;
  }
  return out;
}

// Only the canonical encoding is accepted (no padding, no whitespace, unused
// trailing bits must be zero) so every byte string has exactly one textual
// form and stored envelopes cannot be altered without changing their bytes.
export function fromB64u(s: string): Uint8Array {
  if (typeof s !== 'string') throw new CryptoError('bad_format', 'base64url: expected string');
  const len = s.length;
  if (len % 4 === 1) throw new CryptoError('bad_format', 'base64url: invalid length');
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64U_LOOKUP[c]! : -1;
    if (v < 0) throw new CryptoError('bad_format', 'base64url: invalid character');
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) {
    throw new CryptoError('bad_format', 'base64url: non-canonical encoding');
  }
  return out;
}

const encoder = new TextEncoder();
// fatal: corrupted text must surface as an error rather than U+FFFD.
// ignoreBOM: a leading U+FEFF is content and must survive a round trip.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8Encode(s: string): Uint8Array {
  return encoder.encode(s);
}

export function utf8Decode(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new CryptoError('bad_format', 'invalid UTF-8', { cause });
  }
}

export function concatBytes(...arrs: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const a of arrs) total += a.length;
  const out = new Uint8Array(total);
  let off = 0;
  for (const a of arrs) {
    out.set(a, off);
    off += a.length;
  }
  return out;
}

// Runs in time independent of where the inputs differ, so it is safe for
// comparing MACs, hashes and keys. Lengths are treated as public.
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

const HEX = '0123456789abcdef';

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    out += HEX[b >>> 4]! + HEX[b & 15]!;
  }
  return out;
}

function hexNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

export function fromHex(s: string): Uint8Array {
  if (typeof s !== 'string' || s.length % 2 !== 0) {
    throw new CryptoError('bad_format', 'hex: invalid length');
  }
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexNibble(s.charCodeAt(2 * i));
    const lo = hexNibble(s.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new CryptoError('bad_format', 'hex: invalid character');
    out[i] = (hi << 4) | lo;
  }
  return out;
}
