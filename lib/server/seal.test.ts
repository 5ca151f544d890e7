import { describe, expect, it } from 'vitest';
import { hkdfSync } from 'node:crypto';
import { fromB64u, toB64u } from '@/lib/crypto/encoding';
import { deriveSealKey, isSealed, openString, openWithKey, SealError, sealString, sealWithKey } from './seal';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

describe('server sealing', () => {
  it('derives the key with HKDF-SHA256 exactly as node:crypto does', () => {
    const expected = new Uint8Array(hkdfSync('sha256', SECRET, 'konsil/v1/server-seal/salt', 'konsil/v1/server-seal', 32));
    expect(toB64u(deriveSealKey(SECRET))).toBe(toB64u(expected));
    expect(toB64u(deriveSealKey(`${SECRET}x`))).not.toBe(toB64u(expected));
  });

  it('round-trips text, including empty and non-ASCII strings', () => {
    const key = deriveSealKey(SECRET);
    for (const s of ['', '+49 171 2345678', 'patientin@example.de', 'Grüße – 🩺\n\u0000x']) {
      const sealed = sealWithKey(key, s, 'outbox:1:recipient');
      expect(isSealed(sealed)).toBe(true);
      expect(sealed).not.toContain(s || '\u0001');
      expect(openWithKey(key, sealed, 'outbox:1:recipient')).toBe(s);
    }
  });

  it('uses a fresh nonce every time', () => {
    const key = deriveSealKey(SECRET);
    const a = sealWithKey(key, 'same', 'ad');
    const b = sealWithKey(key, 'same', 'ad');
    expect(a).not.toBe(b);
    expect(fromB64u(a.split('.')[1]!)).toHaveLength(24);
  });

  it('refuses another context, another key, tampering and foreign formats', () => {
    const key = deriveSealKey(SECRET);
    const sealed = sealWithKey(key, '+491712345678', 'outbox:1:recipient');
    expect(() => openWithKey(key, sealed, 'outbox:2:recipient')).toThrow(SealError);
    expect(() => openWithKey(key, sealed, 'outbox:1:body')).toThrow(SealError);
    expect(() => openWithKey(deriveSealKey(`${SECRET}!`), sealed, 'outbox:1:recipient')).toThrow(SealError);
    const [p, n, c] = sealed.split('.');
    const ct = fromB64u(c!);
    ct[0] ^= 1;
    expect(() => openWithKey(key, `${p}.${n}.${toB64u(ct)}`, 'outbox:1:recipient')).toThrow(SealError);
    expect(() => openWithKey(key, `${p}.${n}`, 'outbox:1:recipient')).toThrow(SealError);
    expect(() => openWithKey(key, `v1.${n}.${c}`, 'outbox:1:recipient')).toThrow(SealError);
    expect(() => openWithKey(key, `${p}.!!.${c}`, 'outbox:1:recipient')).toThrow(SealError);
    expect(() => openWithKey(key, '+491712345678', 'outbox:1:recipient')).toThrow(SealError);
    expect(() => sealWithKey(key, 'x', '')).toThrow(SealError);
  });

  it('seals under the key derived from AUTH_SECRET', () => {
    // vitest's global setup sets AUTH_SECRET for every worker.
    const secret = process.env.AUTH_SECRET!;
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const sealed = sealString('praxis-smtp-passwort', 'mail_settings:org:password');
    expect(openString(sealed, 'mail_settings:org:password')).toBe('praxis-smtp-passwort');
    expect(openWithKey(deriveSealKey(secret), sealed, 'mail_settings:org:password')).toBe('praxis-smtp-passwort');
    expect(isSealed('praxis-smtp-passwort')).toBe(false);
    expect(isSealed(null)).toBe(false);
  });
});
