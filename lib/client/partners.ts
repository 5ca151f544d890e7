// The browser's side of the partner list (lib/protocol/directory.ts): what the
// directory serves for a partner, held against the organisation's own pin.
import { ed25519PublicFromPrivate, x25519PublicFromPrivate } from '@/lib/crypto/asymmetric';
import { toB64u } from '@/lib/crypto/encoding';
import { CryptoError } from '@/lib/crypto/types';
import type { UnlockedKeys } from '@/lib/protocol/account';
import { openPartnerPin, partnerTrust, sealPartnerPin, type PartnerKeys, type PartnerTrust } from '@/lib/protocol/directory';
import type { TDirectoryEntry, TPartnerPinRow } from '@/lib/directory/service';
import { api, type Json } from './api';

export type DirectoryEntry = Json<TDirectoryEntry>;
export type Partner = { entry: DirectoryEntry; keys: PartnerKeys; trust: PartnerTrust };

export const entryKeys = (e: Pick<DirectoryEntry, 'id' | 'publicKey' | 'signPublic'>): PartnerKeys => ({ orgId: e.id, publicKey: e.publicKey, signPublic: e.signPublic });

/** Our own organisation's keys as partners are served them, from the private keys this tab holds — not from the server. */
export function ownPartnerKeys(keys: UnlockedKeys | null): PartnerKeys | null {
  if (!keys?.orgPrivateKey) return null;
  return { orgId: keys.orgId, publicKey: toB64u(x25519PublicFromPrivate(keys.orgPrivateKey)), signPublic: keys.orgSignPrivate ? toB64u(ed25519PublicFromPrivate(keys.orgSignPrivate)) : null };
}

function orgKeys(keys: UnlockedKeys) {
  if (!keys.orgKey || !keys.orgSignPrivate) throw new CryptoError('key_signature_invalid', 'the organisation keys are not held');
  return { orgKey: keys.orgKey, orgSignPublic: toB64u(ed25519PublicFromPrivate(keys.orgSignPrivate)) };
}

function trustOf(keys: UnlockedKeys, served: PartnerKeys, pin: Json<TPartnerPinRow> | null): PartnerTrust {
  if (!pin) return partnerTrust(served, null);
  const { orgKey, orgSignPublic } = orgKeys(keys);
  const opened = openPartnerPin({ orgKey, orgId: keys.orgId, orgSignPublic, partnerId: served.orgId, pinEnc: pin.pinEnc, signature: pin.signature, signer: pin.signer });
  return partnerTrust(served, opened);
}

/** Loads a partner and checks the organisation's pin of it; a pin that does not verify throws partner_pin_invalid. */
export async function loadPartner(keys: UnlockedKeys, id: string): Promise<Partner> {
  const { entry, pin } = await api<{ entry: DirectoryEntry; pin: Json<TPartnerPinRow> | null }>(`/api/directory/${id}`);
  const served = entryKeys(entry);
  return { entry, keys: served, trust: trustOf(keys, served, pin) };
}

/** Keys served with something a partner sent (it may not be listed), held against the pin. */
export async function servedPartnerTrust(keys: UnlockedKeys, served: PartnerKeys): Promise<PartnerTrust> {
  const { pin } = await api<{ pin: Json<TPartnerPinRow> | null }>(`/api/directory/${served.orgId}/pin`);
  return trustOf(keys, served, pin);
}

/** Stores the keys the directory serves now in the partner list, signed by this member. */
export async function pinPartner(keys: UnlockedKeys, partner: PartnerKeys, compared: boolean): Promise<void> {
  const { orgKey } = orgKeys(keys);
  const sealed = sealPartnerPin({ orgKey, orgId: keys.orgId, signer: keys.ed25519Private, keys: partner, compared, at: new Date() });
  await api(`/api/directory/${partner.orgId}/pin`, { method: 'PUT', body: sealed });
}
