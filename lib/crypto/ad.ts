import { utf8Encode } from './encoding';
import { CryptoError } from './types';

export type AdContext = { table: string; row: string; org: string; field: string };

const AD_PREFIX = 'konsil/v1';

// TextEncoder turns lone surrogates into U+FFFD, which would let two
// different strings produce the same associated data.
function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return true;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return true;
    }
  }
  return false;
}

// Binding every ciphertext to where it lives stops a server (or an attacker
// with database access) from copying a valid ciphertext into another row,
// column or organisation. NUL is the separator, so it may not occur inside a
// component: otherwise two different contexts could encode identically.
export function encodeAd(ad: AdContext): Uint8Array {
  if (typeof ad !== 'object' || ad === null) {
    throw new CryptoError('bad_params', 'associated data must be an object');
  }
  const parts = [ad.table, ad.row, ad.org, ad.field];
  for (const part of parts) {
    if (typeof part !== 'string') {
      throw new CryptoError('bad_params', 'associated data fields must be strings');
    }
    if (part.includes('\u0000')) {
      throw new CryptoError('bad_params', 'associated data fields must not contain NUL');
    }
    if (hasLoneSurrogate(part)) {
      throw new CryptoError('bad_params', 'associated data fields must be well-formed Unicode');
    }
  }
  return utf8Encode(`${AD_PREFIX}\u0000${ad.table}\u0000${ad.row}\u0000${ad.org}\u0000${ad.field}`);
}
