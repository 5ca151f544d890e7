import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './encoding';
import { importAesGcmKey } from './gcm';
import { CryptoError } from './types';

// McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 15/16
// (AES-256, 96-bit IV), also in NIST's gcmEncryptExtIV256 set.
const KEY = fromHex('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308');
const IV = fromHex('cafebabefacedbaddecaf888');
const PT64 = fromHex(
  'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72' +
    '1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255',
);
const CT64 =
  '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa' +
  '8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad';
const TAG15 = 'b094dac5d93471bdec1a502270e3cc6c';
const AAD16 = fromHex('feedfacedeadbeeffeedfacedeadbeefabaddad2');
const TAG16 = '76fc6ece0f4e1768cddf8853bb2d551b';

async function rejectsWith(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return e instanceof CryptoError ? e.code : `not a CryptoError: ${String(e)}`;
  }
  return undefined;
}

describe.each([
  { name: 'WebCrypto (the path stream.ts uses)', forceFallback: false, backend: 'webcrypto' },
  { name: '@noble/ciphers fallback', forceFallback: true, backend: 'noble' },
])('AES-256-GCM known answers via $name', ({ forceFallback, backend }) => {
  it('selects the expected backend', async () => {
    const key = await importAesGcmKey(KEY, { forceFallback });
    expect(key.backend).toBe(backend);
  });

  it('test case 15 (no AAD)', async () => {
    const key = await importAesGcmKey(KEY, { forceFallback });
    const out = await key.seal(IV, PT64, new Uint8Array(0));
    expect(toHex(out)).toBe(CT64 + TAG15);
    expect(await key.open(IV, out, new Uint8Array(0))).toEqual(PT64);
  });

  it('test case 16 (60-byte plaintext with AAD)', async () => {
    const key = await importAesGcmKey(KEY, { forceFallback });
    const pt = PT64.subarray(0, 60);
    const out = await key.seal(IV, pt, AAD16);
    expect(toHex(out)).toBe(CT64.slice(0, 120) + TAG16);
    expect(await key.open(IV, out, AAD16)).toEqual(pt);
  });

  it('rejects a modified tag, ciphertext or AAD with decrypt_failed', async () => {
    const key = await importAesGcmKey(KEY, { forceFallback });
    const good = fromHex(CT64.slice(0, 120) + TAG16);
    const badTag = good.slice();
    badTag[badTag.length - 1]! ^= 1;
    const badCt = good.slice();
    badCt[0]! ^= 0x80;
    expect(await rejectsWith(key.open(IV, badTag, AAD16))).toBe('decrypt_failed');
    expect(await rejectsWith(key.open(IV, badCt, AAD16))).toBe('decrypt_failed');
    expect(await rejectsWith(key.open(IV, good, AAD16.subarray(1)))).toBe('decrypt_failed');
    expect(await rejectsWith(key.open(IV, good.subarray(0, 15), AAD16))).toBe('decrypt_failed');
  });
});

it('rejects keys that are not 32 bytes', async () => {
  expect(await rejectsWith(importAesGcmKey(new Uint8Array(16)))).toBe('bad_params');
});
