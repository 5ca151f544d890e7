import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  fingerprint,
  generateEd25519,
  generateX25519,
  openSealed,
  seal,
  sign,
  verify,
  x25519PublicFromPrivate,
} from './asymmetric';
import { concatBytes, equalBytes, fromB64u, fromHex, toB64u, toHex, utf8Decode, utf8Encode } from './encoding';
import type { AdContext } from './envelope';
import { randomBytes } from './random';
import {
  CryptoError,
  type Ed25519PrivateKey,
  type Ed25519PublicKey,
  type X25519PrivateKey,
  type X25519PublicKey,
} from './types';

const AD: AdContext = { table: 'org_members', row: 'm-1', org: 'org-1', field: 'org_key' };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof CryptoError ? e.code : `not a CryptoError: ${String(e)}`;
  }
  return undefined;
}

describe('X25519 (RFC 7748)', () => {
  it('§5.2 test vectors', () => {
    expect(
      toHex(
        x25519.getSharedSecret(
          fromHex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4'),
          fromHex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c'),
        ),
      ),
    ).toBe('c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552');
    expect(
      toHex(
        x25519.getSharedSecret(
          fromHex('4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d'),
          fromHex('e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493'),
        ),
      ),
    ).toBe('95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957');
  });

  it('§5.2 iterated test, 1 and 1000 iterations', () => {
    let k: Uint8Array = fromHex('0900000000000000000000000000000000000000000000000000000000000000');
    let u: Uint8Array = k.slice();
    for (let i = 1; i <= 1000; i++) {
      const next = x25519.getSharedSecret(k, u);
      u = k;
      k = next;
      if (i === 1) expect(toHex(k)).toBe('422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079');
    }
    expect(toHex(k)).toBe('684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51');
  });

  it('§6.1 Alice/Bob Diffie-Hellman', () => {
    const alice = fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a') as X25519PrivateKey;
    const bob = fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb') as X25519PrivateKey;
    const alicePub = x25519PublicFromPrivate(alice);
    const bobPub = x25519PublicFromPrivate(bob);
    expect(toHex(alicePub)).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(toHex(bobPub)).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(toHex(x25519.getSharedSecret(alice, bobPub))).toBe(shared);
    expect(toHex(x25519.getSharedSecret(bob, alicePub))).toBe(shared);
  });

  it('generateX25519 returns a consistent 32-byte key pair', () => {
    const a = generateX25519();
    const b = generateX25519();
    expect(a.privateKey).toHaveLength(32);
    expect(a.publicKey).toHaveLength(32);
    expect(toHex(x25519PublicFromPrivate(a.privateKey))).toBe(toHex(a.publicKey));
    expect(toHex(a.privateKey)).not.toBe(toHex(b.privateKey));
  });
});

describe('Ed25519 (RFC 8032 §7.1 test 1)', () => {
  const secret = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60') as Ed25519PrivateKey;
  const pub = fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a') as Ed25519PublicKey;
  const sig =
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

  it('signs the empty message to the published signature', () => {
    expect(toHex(sign(secret, new Uint8Array(0)))).toBe(sig);
  });

  it('verifies the published signature and rejects alterations', () => {
    expect(verify(pub, fromHex(sig), new Uint8Array(0))).toBe(true);
    expect(verify(pub, fromHex(sig), new Uint8Array([0]))).toBe(false);
    const bad = fromHex(sig);
    bad[0]! ^= 1;
    expect(verify(pub, bad, new Uint8Array(0))).toBe(false);
  });
});

describe('sign / verify', () => {
  it('round-trips and rejects an altered message, a foreign key and malformed inputs without throwing', () => {
    const { privateKey, publicKey } = generateEd25519();
    expect(privateKey).toHaveLength(32);
    expect(publicKey).toHaveLength(32);
    const msg = utf8Encode('transfer 10 EUR to Alice');
    const s = sign(privateKey, msg);
    expect(s).toHaveLength(64);
    expect(verify(publicKey, s, msg)).toBe(true);
    expect(verify(publicKey, s, utf8Encode('transfer 99 EUR to Alice'))).toBe(false);
    expect(verify(generateEd25519().publicKey, s, msg)).toBe(false);
    expect(verify(publicKey, s.subarray(0, 63), msg)).toBe(false);
    expect(verify(new Uint8Array(31) as Ed25519PublicKey, s, msg)).toBe(false);
    // y = 2 is not on the curve: decoding the point fails inside noble.
    const offCurve = new Uint8Array(32);
    offCurve[0] = 2;
    expect(verify(offCurve as Ed25519PublicKey, s, msg)).toBe(false);
    expect(verify(publicKey, new Uint8Array(64).fill(0xff), msg)).toBe(false);
    expect(verify(null as unknown as Ed25519PublicKey, s, msg)).toBe(false);
  });
});

describe('sealed box', () => {
  it('round-trips', () => {
    const { privateKey, publicKey } = generateX25519();
    for (const n of [0, 1, 32, 5000]) {
      const pt = randomBytes(n);
      const sealed = seal(publicKey, pt, AD);
      expect(sealed).toMatch(/^s1\.[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]+$/);
      expect(equalBytes(openSealed(privateKey, sealed, AD), pt)).toBe(true);
    }
  });

  it('follows the documented construction', () => {
    const { privateKey, publicKey } = generateX25519();
    const sealed = seal(publicKey, utf8Encode('pinned'), AD);
    const [, e, n, c] = sealed.split('.');
    const ephPub = fromB64u(e!);
    const shared = x25519.getSharedSecret(privateKey, ephPub);
    const key = hkdf(sha256, shared, concatBytes(ephPub, publicKey), utf8Encode('konsil/v1/seal'), 32);
    const aad = utf8Encode('konsil/v1\u0000org_members\u0000m-1\u0000org-1\u0000org_key');
    expect(utf8Decode(xchacha20poly1305(key, fromB64u(n!), aad).decrypt(fromB64u(c!)))).toBe('pinned');
  });

  it('uses a fresh ephemeral key each time', () => {
    const { publicKey } = generateX25519();
    const a = seal(publicKey, utf8Encode('x'), AD).split('.')[1];
    const b = seal(publicKey, utf8Encode('x'), AD).split('.')[1];
    expect(a).not.toBe(b);
  });

  it('cannot be opened by the wrong recipient or under other associated data', () => {
    const alice = generateX25519();
    const mallory = generateX25519();
    const sealed = seal(alice.publicKey, utf8Encode('for alice'), AD);
    expect(codeOf(() => openSealed(mallory.privateKey, sealed, AD))).toBe('decrypt_failed');
    for (const k of ['table', 'row', 'org', 'field'] as const) {
      expect(codeOf(() => openSealed(alice.privateKey, sealed, { ...AD, [k]: 'other' })), k).toBe(
        'decrypt_failed',
      );
    }
  });

  it('detects tampering with the ephemeral key, nonce or ciphertext', () => {
    const { privateKey, publicKey } = generateX25519();
    const sealed = seal(publicKey, utf8Encode('tamper me'), AD);
    const segs = sealed.split('.');
    for (const idx of [1, 2, 3]) {
      const bytes = fromB64u(segs[idx]!);
      bytes[0]! ^= 0x01;
      const copy = [...segs];
      copy[idx] = toB64u(bytes);
      expect(codeOf(() => openSealed(privateKey, copy.join('.'), AD)), `segment ${idx}`).toBe(
        'decrypt_failed',
      );
    }
    // A low-order ephemeral key would give a predictable secret.
    const lowOrder = [...segs];
    lowOrder[1] = toB64u(new Uint8Array(32));
    expect(codeOf(() => openSealed(privateKey, lowOrder.join('.'), AD))).toBe('decrypt_failed');
  });

  it('rejects malformed boxes with bad_format', () => {
    const { privateKey, publicKey } = generateX25519();
    const [, e, n, c] = seal(publicKey, utf8Encode('x'), AD).split('.');
    const malformed = [
      '',
      `s2.${e}.${n}.${c}`,
      `v1.${n}.${c}`,
      `s1.${e}.${n}`,
      `s1.${e}.${n}.${c}.x`,
      `s1.${toB64u(new Uint8Array(31))}.${n}.${c}`,
      `s1.${e}.${toB64u(new Uint8Array(12))}.${c}`,
      `s1.${e}.${n}.${toB64u(new Uint8Array(15))}`,
      `s1.${e}.${n}.${c}=`,
    ];
    for (const m of malformed) expect(codeOf(() => openSealed(privateKey, m, AD)), m).toBe('bad_format');
  });

  it('refuses low-order or malformed recipient keys', () => {
    expect(codeOf(() => seal(new Uint8Array(32) as X25519PublicKey, utf8Encode('x'), AD))).toBe('bad_params');
    const one = new Uint8Array(32);
    one[0] = 1;
    expect(codeOf(() => seal(one as X25519PublicKey, utf8Encode('x'), AD))).toBe('bad_params');
    // An order-8 point from the libsodium blocklist.
    const order8 = fromHex('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800');
    expect(codeOf(() => seal(order8 as X25519PublicKey, utf8Encode('x'), AD))).toBe('bad_params');
    expect(codeOf(() => seal(new Uint8Array(31) as X25519PublicKey, utf8Encode('x'), AD))).toBe('bad_params');
  });
});

describe('fingerprint', () => {
  it('is the first 16 bytes of SHA-256 as 8 upper-case hex groups', () => {
    expect(fingerprint(new Uint8Array(32))).toBe('6668 7AAD F862 BD77 6C8F C18B 8E9F 8E20');
    expect(
      fingerprint(fromHex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a')),
    ).toBe('300C 9C96 03B9 2A4B 39ED 3958 BF92 4011');
  });

  it('differs between keys', () => {
    const fp = fingerprint(generateX25519().publicKey);
    expect(fp).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
    expect(fp).not.toBe(fingerprint(generateX25519().publicKey));
  });
});
