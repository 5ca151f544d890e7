import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { describe, expect, it } from 'vitest';
import { equalBytes, fromB64u, fromHex, toB64u, toHex, utf8Decode, utf8Encode } from './encoding';
import {
  decryptBytes,
  decryptJson,
  decryptText,
  encryptBytes,
  encryptJson,
  encryptText,
  unwrapKey,
  wrapKey,
  type AdContext,
} from './envelope';
import { randomBytes, randomKey } from './random';
import { CryptoError, type OrgKey, type UserKey } from './types';

const AD: AdContext = { table: 'notes', row: 'row-1', org: 'org-1', field: 'body' };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof CryptoError ? e.code : `not a CryptoError: ${String(e)}`;
  }
  return undefined;
}

function parts(env: string): { nonce: Uint8Array; ct: Uint8Array } {
  const [, n, c] = env.split('.');
  return { nonce: fromB64u(n!), ct: fromB64u(c!) };
}

function build(nonce: Uint8Array, ct: Uint8Array): string {
  return `v1.${toB64u(nonce)}.${toB64u(ct)}`;
}

function flipBit(b: Uint8Array, index: number, bit = 0): Uint8Array {
  const c = b.slice();
  c[index]! ^= 1 << bit;
  return c;
}

describe('XChaCha20-Poly1305 known answer (draft-irtf-cfrg-xchacha-03 §A.3.1)', () => {
  const key = fromHex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
  const nonce = fromHex('404142434445464748494a4b4c4d4e4f5051525354555657');
  const aad = fromHex('50515253c0c1c2c3c4c5c6c7');
  const plaintext = utf8Encode(
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
  );
  const expected =
    'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb' +
    '731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452' +
    '2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9' +
    '21f9664c97637da9768812f615c68b13b52e' +
    'c0875924c1c7987947deafd8780acf49';

  it('encrypts to the published ciphertext and tag', () => {
    expect(plaintext).toHaveLength(114);
    expect(toHex(xchacha20poly1305(key, nonce, aad).encrypt(plaintext))).toBe(expected);
  });

  it('decrypts the published ciphertext', () => {
    const pt = xchacha20poly1305(key, nonce, aad).decrypt(fromHex(expected));
    expect(utf8Decode(pt)).toBe(utf8Decode(plaintext));
  });
});

describe('envelope format', () => {
  it('is v1.<nonce>.<ciphertext> with a 24-byte nonce and the documented associated data', () => {
    const key = randomKey<UserKey>();
    const env = encryptText(key, 'hello', AD);
    expect(env).toMatch(/^v1\.[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]+$/);
    const { nonce, ct } = parts(env);
    expect(nonce).toHaveLength(24);
    expect(ct).toHaveLength(5 + 16);
    const aad = utf8Encode('konsil/v1\u0000notes\u0000row-1\u0000org-1\u0000body');
    expect(utf8Decode(xchacha20poly1305(key, nonce, aad).decrypt(ct))).toBe('hello');
  });

  it('opens an envelope built independently from the format description', () => {
    const key = randomKey<OrgKey>();
    const nonce = randomBytes(24);
    const aad = utf8Encode('konsil/v1\u0000t\u0000r\u0000o\u0000f');
    const ct = xchacha20poly1305(key, nonce, aad).encrypt(utf8Encode('interop'));
    expect(decryptText(key, build(nonce, ct), { table: 't', row: 'r', org: 'o', field: 'f' })).toBe(
      'interop',
    );
  });

  it('uses a fresh nonce every time', () => {
    const key = randomKey<UserKey>();
    const a = encryptText(key, 'same', AD);
    const b = encryptText(key, 'same', AD);
    expect(a).not.toBe(b);
    expect(toHex(parts(a).nonce)).not.toBe(toHex(parts(b).nonce));
  });
});

describe('round trips', () => {
  const key = randomKey<UserKey>();

  it('bytes, including empty and large', () => {
    for (const n of [0, 1, 16, 1000, 100_000]) {
      const pt = randomBytes(n);
      expect(equalBytes(decryptBytes(key, encryptBytes(key, pt, AD), AD), pt)).toBe(true);
    }
  });

  it('text', () => {
    for (const s of ['', 'plain', '\uFEFFBOM first', 'Grüße 👋 日本語', 'a\u0000b']) {
      expect(decryptText(key, encryptText(key, s, AD), AD)).toBe(s);
    }
  });

  it('json', () => {
    const value = { a: 1, b: [true, null, 'x'], c: { d: 'ü' } };
    expect(decryptJson<typeof value>(key, encryptJson(key, value, AD), AD)).toEqual(value);
    expect(decryptJson<number>(key, encryptJson(key, 42, AD), AD)).toBe(42);
    expect(decryptJson<null>(key, encryptJson(key, null, AD), AD)).toBeNull();
  });

  it('wrapped keys', () => {
    const orgKey = randomKey<OrgKey>();
    const wrapped = wrapKey(key, orgKey, AD);
    const unwrapped: OrgKey = unwrapKey<OrgKey>(key, wrapped, AD);
    expect(unwrapped).toEqual(orgKey);
  });

  it('accepts an empty string in any context component', () => {
    const ad = { table: '', row: '', org: '', field: '' };
    expect(decryptText(key, encryptText(key, 'x', ad), ad)).toBe('x');
  });
});

describe('failures', () => {
  const key = randomKey<UserKey>();
  const env = encryptText(key, 'secret message', AD);

  it('wrong key', () => {
    expect(codeOf(() => decryptText(randomKey<UserKey>(), env, AD))).toBe('decrypt_failed');
  });

  it('wrong associated data, for each component', () => {
    for (const k of ['table', 'row', 'org', 'field'] as const) {
      expect(codeOf(() => decryptText(key, env, { ...AD, [k]: `${AD[k]}x` })), k).toBe('decrypt_failed');
    }
  });

  it('context components cannot be shifted across the separator', () => {
    const e = encryptText(key, 'x', { table: 'ab', row: 'c', org: 'o', field: 'f' });
    expect(codeOf(() => decryptText(key, e, { table: 'a', row: 'bc', org: 'o', field: 'f' }))).toBe(
      'decrypt_failed',
    );
  });

  it('flipped bits in the nonce', () => {
    const { nonce, ct } = parts(env);
    for (const i of [0, 11, 23]) {
      expect(codeOf(() => decryptText(key, build(flipBit(nonce, i), ct), AD))).toBe('decrypt_failed');
    }
  });

  it('flipped bits in the ciphertext and in the tag', () => {
    const { nonce, ct } = parts(env);
    for (const i of [0, 5, ct.length - 17, ct.length - 16, ct.length - 1]) {
      expect(codeOf(() => decryptText(key, build(nonce, flipBit(ct, i, 7)), AD))).toBe('decrypt_failed');
    }
  });

  it('truncated or extended ciphertext', () => {
    const { nonce, ct } = parts(env);
    expect(codeOf(() => decryptText(key, build(nonce, ct.subarray(0, ct.length - 1)), AD))).toBe(
      'decrypt_failed',
    );
    const longer = new Uint8Array(ct.length + 1);
    longer.set(ct);
    expect(codeOf(() => decryptText(key, build(nonce, longer), AD))).toBe('decrypt_failed');
  });

  it('malformed envelopes are bad_format', () => {
    const { nonce, ct } = parts(env);
    const [, n, c] = env.split('.');
    const malformed = [
      '',
      'v1',
      'v1..',
      `v2.${n}.${c}`,
      `V1.${n}.${c}`,
      `v1.${n}`,
      `v1.${n}.${c}.x`,
      `v1.${n}.${c}=`,
      `v1.${n}.${c}!`,
      `v1.${n}+.${c}`,
      build(nonce.subarray(0, 23), ct),
      build(new Uint8Array(25), ct),
      build(nonce, ct.subarray(0, 15)),
    ];
    for (const m of malformed) expect(codeOf(() => decryptText(key, m, AD)), m).toBe('bad_format');
    expect(codeOf(() => decryptText(key, 42 as unknown as string, AD))).toBe('bad_format');
  });

  it('rejects NUL and lone surrogates in the context, and invalid keys', () => {
    expect(codeOf(() => encryptText(key, 'x', { ...AD, row: 'a\u0000b' }))).toBe('bad_params');
    expect(codeOf(() => decryptText(key, env, { ...AD, field: '\u0000' }))).toBe('bad_params');
    expect(codeOf(() => encryptText(key, 'x', { ...AD, org: '\ud800' }))).toBe('bad_params');
    expect(codeOf(() => encryptText(new Uint8Array(16), 'x', AD))).toBe('bad_params');
    expect(codeOf(() => decryptText(new Uint8Array(31), env, AD))).toBe('bad_params');
  });

  it('json that cannot be serialised is rejected', () => {
    expect(codeOf(() => encryptJson(key, undefined, AD))).toBe('bad_params');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(codeOf(() => encryptJson(key, cyclic, AD))).toBe('bad_params');
    expect(codeOf(() => decryptJson(key, encryptText(key, '{not json', AD), AD))).toBe('bad_format');
  });

  it('wrapKey only wraps 32-byte keys and unwrapKey only returns 32-byte keys', () => {
    expect(codeOf(() => wrapKey(key, new Uint8Array(16), AD))).toBe('bad_params');
    expect(codeOf(() => wrapKey(new Uint8Array(16), randomKey(), AD))).toBe('bad_params');
    const notAKey = encryptBytes(key, new Uint8Array(16), AD);
    expect(codeOf(() => unwrapKey(key, notAKey, AD))).toBe('bad_format');
    const wrapped = wrapKey(key, randomKey(), AD);
    expect(codeOf(() => unwrapKey(randomKey(), wrapped, AD))).toBe('decrypt_failed');
    expect(codeOf(() => unwrapKey(key, wrapped, { ...AD, field: 'other' }))).toBe('decrypt_failed');
  });
});
