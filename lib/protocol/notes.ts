// Team notes: each body is an envelope under orgKey, bound to the note's row.
// The browser draws the note's id before sealing, so the server never picks
// the row a body is bound to. Pure and isomorphic.
import { decryptText, encryptText, type AdContext } from '@/lib/crypto/envelope';
import type { OrgKey } from '@/lib/crypto/types';

export const noteAd = (orgId: string, id: string): AdContext => ({ table: 'notes', row: id, org: orgId, field: 'body' });

export function sealNote(orgKey: OrgKey, orgId: string, id: string, body: string): string {
  return encryptText(orgKey, body, noteAd(orgId, id));
}

/** Throws (decrypt_failed) for a body of another row or organisation, or one altered. */
export function openNote(orgKey: OrgKey, orgId: string, note: { id: string; bodyEnc: string }): string {
  return decryptText(orgKey, note.bodyEnc, noteAd(orgId, note.id));
}
