import { describe, expect, it } from 'vitest';
import { encodeAd } from '@/lib/crypto/ad';
import { utf8Encode } from '@/lib/crypto/encoding';
import { randomKey } from '@/lib/crypto/random';
import type { OrgKey } from '@/lib/crypto/types';
import { noteAd, openNote, sealNote } from './notes';

const ORG = '0b6f1c9e-4d1a-4a57-9a53-1c2f0e6d7a10';
const NOTE = '3f2a1b0c-5d6e-4f70-8a9b-0c1d2e3f4a5b';

describe('team notes', () => {
  it('bind a body to table notes, the note, the organisation and field body', () => {
    expect(encodeAd(noteAd(ORG, NOTE))).toEqual(utf8Encode(`konsil/v1\u0000notes\u0000${NOTE}\u0000${ORG}\u0000body`));
  });

  it('open under orgKey for their own row only', () => {
    const orgKey = randomKey<OrgKey>();
    const bodyEnc = sealNote(orgKey, ORG, NOTE, 'Befund folgt morgen');
    expect(openNote(orgKey, ORG, { id: NOTE, bodyEnc })).toBe('Befund folgt morgen');
    expect(() => openNote(orgKey, ORG, { id: crypto.randomUUID(), bodyEnc })).toThrow(expect.objectContaining({ code: 'decrypt_failed' }));
    expect(() => openNote(orgKey, crypto.randomUUID(), { id: NOTE, bodyEnc })).toThrow(expect.objectContaining({ code: 'decrypt_failed' }));
  });
});
