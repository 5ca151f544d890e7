import { describe, expect, it } from 'vitest';
import {
  concatBytes,
  equalBytes,
  fromB64u,
  fromHex,
  toB64u,
  toHex,
  utf8Decode,
  utf8Encode,
} from './encoding';
import { randomBytes, randomKey } from './random';
import { CryptoError, type UserKey } from './types';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof CryptoError ? e.code : `not a CryptoError: ${String(e)}`;
  }
  return undefined;
}

describe('base64url', () => {
  it('matches the RFC 4648 §10 vectors without padding', () => {
    const vectors: Array<[string, string]> = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(toB64u(utf8Encode(plain))).toBe(encoded);
      expect(utf8Decode(fromB64u(encoded))).toBe(plain);
    }
  });

  it('uses the URL-safe alphabet', () => {
    expect(toB64u(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect(toB64u(new Uint8Array([0xfb, 0xef, 0xbe]))).toBe('----');
    expect(toB64u(new Uint8Array([0xff, 0xff, 0xff]))).toBe('____');
    expect(fromB64u('-_8')).toEqual(new Uint8Array([0xfb, 0xff]));
  });

  it('round-trips every length from 0 to 100', () => {
    for (let n = 0; n <= 100; n++) {
      const b = randomBytes(n);
      const s = toB64u(b);
      expect(s).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(fromB64u(s)).toEqual(b);
    }
  });

  it('rejects invalid and non-canonical input with bad_format', () => {
    for (const bad of ['Zg==', 'Zm9v+', 'ab/c', 'Z', 'Zm9vY', 'Zh', 'Zm9=', ' Zm9v', 'Zm9v\n', 'Zé']) {
      expect(codeOf(() => fromB64u(bad)), bad).toBe('bad_format');
    }
  });
});

describe('utf8', () => {
  it('round-trips non-ASCII text and keeps a leading BOM', () => {
    const s = '\uFEFFGrüße 👋 – 日本';
    expect(utf8Decode(utf8Encode(s))).toBe(s);
  });

  it('refuses invalid UTF-8 instead of substituting U+FFFD', () => {
    expect(codeOf(() => utf8Decode(new Uint8Array([0x61, 0xff, 0x62])))).toBe('bad_format');
    expect(codeOf(() => utf8Decode(new Uint8Array([0xc3])))).toBe('bad_format');
    expect(codeOf(() => utf8Decode(new Uint8Array([0xed, 0xa0, 0x80])))).toBe('bad_format');
  });
});

describe('byte helpers', () => {
  it('concatenates in order', () => {
    expect(concatBytes()).toEqual(new Uint8Array(0));
    expect(concatBytes(new Uint8Array([1, 2]), new Uint8Array(0), new Uint8Array([3]))).toEqual(
      new Uint8Array([1, 2, 3]),
    );
  });

  it('compares bytes', () => {
    expect(equalBytes(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(equalBytes(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(equalBytes(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2]))).toBe(false);
    expect(equalBytes(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it('encodes and decodes hex', () => {
    expect(toHex(new Uint8Array([0, 1, 0xab, 0xff]))).toBe('0001abff');
    expect(fromHex('0001ABff')).toEqual(new Uint8Array([0, 1, 0xab, 0xff]));
    expect(fromHex('')).toEqual(new Uint8Array(0));
    expect(codeOf(() => fromHex('abc'))).toBe('bad_format');
    expect(codeOf(() => fromHex('zz'))).toBe('bad_format');
    expect(codeOf(() => fromHex('0x00'))).toBe('bad_format');
  });
});

describe('random', () => {
  it('returns the requested number of bytes, including beyond the 64 KiB getRandomValues limit', () => {
    expect(randomBytes(0)).toHaveLength(0);
    const big = randomBytes(200_000);
    expect(big).toHaveLength(200_000);
    // The tail must be filled too, not left as zeros.
    expect(big.subarray(150_000).some((b) => b !== 0)).toBe(true);
  });

  it('produces distinct 32-byte keys', () => {
    const a = randomKey<UserKey>();
    const b = randomKey<UserKey>();
    expect(a).toHaveLength(32);
    expect(b).toHaveLength(32);
    expect(equalBytes(a, b)).toBe(false);
  });

  it('rejects invalid lengths', () => {
    expect(codeOf(() => randomBytes(-1))).toBe('bad_params');
    expect(codeOf(() => randomBytes(1.5))).toBe('bad_params');
  });
});
