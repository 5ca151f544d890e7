import { argon2id } from '@noble/hashes/argon2.js';
import { extract, hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { equalBytes, fromHex, toHex, utf8Encode } from './encoding';
import {
  KDF_DEFAULT,
  bindSalt,
  assertKdfParams,
  derivePasswordKey,
  splitMasterKey,
  splitPasswordKey,
  type KdfParams,
} from './kdf';
import { CryptoError } from './types';

// Cheapest parameter set the validator accepts; keeps the suite fast while
// still exercising the real code path.
const MIN_PARAMS: KdfParams = { v: 2, alg: 'argon2id', m: 19456, t: 2, p: 1 };

function range(from: number, to: number): Uint8Array {
  const out = new Uint8Array(to - from + 1);
  for (let i = 0; i < out.length; i++) out[i] = from + i;
  return out;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof CryptoError ? e.code : `not a CryptoError: ${String(e)}`;
  }
  return undefined;
}

async function asyncCodeOf(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn();
  } catch (e) {
    return e instanceof CryptoError ? e.code : `not a CryptoError: ${String(e)}`;
  }
  return undefined;
}

describe('HKDF-SHA256 (RFC 5869 Appendix A)', () => {
  it('test case 1', () => {
    const ikm = new Uint8Array(22).fill(0x0b);
    const salt = range(0x00, 0x0c);
    const info = range(0xf0, 0xf9);
    expect(toHex(extract(sha256, ikm, salt))).toBe(
      '077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5',
    );
    expect(toHex(hkdf(sha256, ikm, salt, info, 42))).toBe(
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    );
  });

  it('test case 2 (long inputs and output)', () => {
    const ikm = range(0x00, 0x4f);
    const salt = range(0x60, 0xaf);
    const info = range(0xb0, 0xff);
    expect(toHex(extract(sha256, ikm, salt))).toBe(
      '06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244',
    );
    expect(toHex(hkdf(sha256, ikm, salt, info, 82))).toBe(
      'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c' +
        '59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71' +
        'cc30c58179ec3e87c14c01d5c1f3434f1d87',
    );
  });

  it('test case 3 (no salt, no info) — the form splitPasswordKey/splitMasterKey use', () => {
    const ikm = new Uint8Array(22).fill(0x0b);
    expect(toHex(extract(sha256, ikm, undefined))).toBe(
      '19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04',
    );
    expect(toHex(hkdf(sha256, ikm, undefined, undefined, 42))).toBe(
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    );
  });
});

describe('Argon2id (RFC 9106 §5.3)', () => {
  it('matches the reference tag', () => {
    const tag = argon2id(new Uint8Array(32).fill(0x01), new Uint8Array(16).fill(0x02), {
      m: 32,
      t: 3,
      p: 4,
      dkLen: 32,
      key: new Uint8Array(8).fill(0x03),
      personalization: new Uint8Array(12).fill(0x04),
    });
    expect(toHex(tag)).toBe('0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659');
  });
});

describe('assertKdfParams', () => {
  it('accepts KDF_DEFAULT and both OWASP floor configurations', () => {
    expect(assertKdfParams(KDF_DEFAULT)).toEqual(KDF_DEFAULT);
    expect(assertKdfParams({ v: 2, alg: 'argon2id', m: 19456, t: 2, p: 1 })).toEqual(MIN_PARAMS);
    expect(assertKdfParams({ v: 2, alg: 'argon2id', m: 47104, t: 1, p: 1 }).m).toBe(47104);
    expect(assertKdfParams({ v: 2, alg: 'argon2id', m: 1048576, t: 10, p: 4 }).p).toBe(4);
  });

  it('strips unknown fields', () => {
    expect(assertKdfParams({ ...KDF_DEFAULT, extra: 'x' })).toEqual(KDF_DEFAULT);
  });

  it('rejects weak, oversized or malformed parameters with bad_params', () => {
    const base = { v: 2, alg: 'argon2id', m: 19456, t: 2, p: 1 };
    const bad: unknown[] = [
      { ...base, m: 19455 }, // below the m=19456/t=2 floor
      { ...base, t: 1 }, // t=1 requires m >= 47104
      { ...base, m: 47103, t: 1 },
      { ...base, m: 8, t: 3 },
      { ...base, t: 0 },
      { ...base, p: 0 },
      { ...base, p: 5 },
      { ...base, m: 1048577 },
      { ...base, t: 11 },
      { ...base, m: 32768.5 },
      { ...base, m: '32768' },
      { ...base, t: Number.NaN },
      { ...base, v: 1 }, // the earlier, unbound derivation: a server must not be able to ask for it
      { ...base, alg: 'argon2i' },
      { m: 32768, t: 3, p: 1 },
      null,
      undefined,
      'argon2id',
      [],
    ];
    for (const p of bad) expect(codeOf(() => assertKdfParams(p)), JSON.stringify(p)).toBe('bad_params');
  });
});

describe('bindSalt', () => {
  const salt = new Uint8Array(16).fill(7);
  it('gives each account its own salt from one served salt, and is stable', () => {
    const a = bindSalt(salt, { org: 'praxis-müller', user: 'anna' });
    expect(a).toHaveLength(16);
    expect(toHex(a)).toBe(toHex(bindSalt(salt, { org: 'praxis-müller', user: 'anna' })));
    expect(toHex(a)).not.toBe(toHex(bindSalt(salt, { org: 'praxis-müller', user: 'ben' })));
    expect(toHex(a)).not.toBe(toHex(bindSalt(salt, { org: 'praxis-mülle', user: 'ranna' })));
    expect(toHex(a)).not.toBe(toHex(salt));
  });
  it('refuses missing identifiers or a malformed salt', () => {
    expect(codeOf(() => bindSalt(salt, { org: '', user: 'anna' }))).toBe('bad_params');
    expect(codeOf(() => bindSalt(new Uint8Array(15), { org: 'a', user: 'b' }))).toBe('bad_params');
  });
});

describe('derivePasswordKey', () => {
  const salt = range(1, 16);
  const otherSalt = range(2, 17);

  it('is deterministic with the production parameters and reports progress', async () => {
    const progress: number[] = [];
    const a = await derivePasswordKey('correct horse battery staple', salt, KDF_DEFAULT, (f) =>
      progress.push(f),
    );
    const b = await derivePasswordKey('correct horse battery staple', salt, KDF_DEFAULT);
    expect(a).toHaveLength(32);
    expect(toHex(a)).toBe(toHex(b));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[progress.length - 1]).toBe(1);
    expect(progress.every((f) => f >= 0 && f <= 1)).toBe(true);
  });

  it('equals Argon2id over the UTF-8 password and differs for another salt', async () => {
    const pw = 'pässwörd';
    const a = await derivePasswordKey(pw, salt, MIN_PARAMS);
    const expected = argon2id(utf8Encode(pw), salt, { m: 19456, t: 2, p: 1, dkLen: 32 });
    expect(toHex(a)).toBe(toHex(expected));
    const c = await derivePasswordKey(pw, otherSalt, MIN_PARAMS);
    expect(equalBytes(a, c)).toBe(false);
  });

  it('normalises to NFC so composed and decomposed ü give the same key', async () => {
    const composed = 'gr\u00fcn';
    const decomposed = 'gru\u0308n';
    expect(composed).not.toBe(decomposed);
    const a = await derivePasswordKey(composed, salt, MIN_PARAMS);
    const b = await derivePasswordKey(decomposed, salt, MIN_PARAMS);
    expect(toHex(a)).toBe(toHex(b));
  });

  it('rejects a salt that is not 16 bytes and weak parameters before doing any work', async () => {
    expect(await asyncCodeOf(() => derivePasswordKey('pw', new Uint8Array(15), KDF_DEFAULT))).toBe('bad_params');
    expect(await asyncCodeOf(() => derivePasswordKey('pw', new Uint8Array(32), KDF_DEFAULT))).toBe('bad_params');
    expect(
      await asyncCodeOf(() => derivePasswordKey('pw', salt, { ...KDF_DEFAULT, m: 1024, t: 1 })),
    ).toBe('bad_params');
  });
});

describe('key splitting', () => {
  const k = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');

  it('produces four distinct 32-byte keys bound to their info strings', () => {
    const { authKey, passwordWrapKey } = splitPasswordKey(k);
    const { recoveryAuthKey, masterWrapKey } = splitMasterKey(k);
    const all = [authKey, passwordWrapKey, recoveryAuthKey, masterWrapKey];
    for (const key of all) expect(key).toHaveLength(32);
    expect(new Set(all.map(toHex)).size).toBe(4);
    for (const key of all) expect(equalBytes(key, k)).toBe(false);

    const expand = (info: string) => toHex(hkdf(sha256, k, undefined, utf8Encode(info), 32));
    expect(toHex(authKey)).toBe(expand('konsil/v1/auth-key'));
    expect(toHex(passwordWrapKey)).toBe(expand('konsil/v1/password-wrap-key'));
    expect(toHex(recoveryAuthKey)).toBe(expand('konsil/v1/recovery-auth-key'));
    expect(toHex(masterWrapKey)).toBe(expand('konsil/v1/master-wrap-key'));
  });

  it('is deterministic', () => {
    expect(toHex(splitPasswordKey(k).authKey)).toBe(toHex(splitPasswordKey(k).authKey));
  });

  it('rejects inputs that are not 32 bytes', () => {
    expect(codeOf(() => splitPasswordKey(new Uint8Array(31)))).toBe('bad_params');
    expect(codeOf(() => splitMasterKey(new Uint8Array(33)))).toBe('bad_params');
  });
});
