// Partners from the directory (docs/SECURITY.md §3.9). Pure and isomorphic.
//
// The directory is served by the server, so every key in it is only a claim.
// A partner's keys are pinned on first use in the organisation's own partner
// list: an envelope under orgKey (the server cannot read or forge it), signed
// by the member who stored it (the organisation knows who accepted a key).
// Before anything is sealed to a partner, the browser compares what the
// directory serves now with the pin; a difference stops the sending until a
// member has compared fingerprints with the partner and accepted the change.
import { sha256 } from '@noble/hashes/sha2.js';
import type { AdContext } from '@/lib/crypto/ad';
import { decryptJson, encryptJson } from '@/lib/crypto/envelope';
import { CryptoError, type Ed25519PrivateKey, type OrgKey } from '@/lib/crypto/types';
import { assertSealedBy, signSealedKey, statement, type Sealer } from './signing';

/** The keys a directory entry claims for an organisation. */
export type PartnerKeys = { orgId: string; publicKey: string; signPublic: string | null };

export type PartnerPin = PartnerKeys & { v: 1; pinnedAt: string; comparedAt: string | null };

const GROUPS = 6;

/**
 * The partner's fingerprint as 6 groups of 5 digits (≈ 100 bits), to be read
 * aloud on the phone or compared on paper. It covers the organisation id and
 * both public keys, so neither can be swapped without changing it.
 */
export function partnerFingerprint(k: PartnerKeys): string {
  const digest = sha256(statement('konsil/v1/partner-fingerprint', [k.orgId, k.publicKey, k.signPublic ?? '']));
  const groups: string[] = [];
  for (let i = 0; i < GROUPS; i++) {
    let n = 0;
    for (let j = 0; j < 5; j++) n = n * 256 + digest[i * 5 + j];
    groups.push(String(n % 100000).padStart(5, '0'));
  }
  return groups.join(' ');
}

/** What the QR code carries: enough to compare with a phone's camera app. */
export function fingerprintQrText(k: PartnerKeys): string {
  return `konsil-partner:v1:${k.orgId}:${partnerFingerprint(k).replaceAll(' ', '')}`;
}

export const samePartnerKeys = (a: PartnerKeys, b: PartnerKeys) => a.orgId === b.orgId && a.publicKey === b.publicKey && (a.signPublic ?? null) === (b.signPublic ?? null);

export const partnerPinAd = (orgId: string, partnerId: string): AdContext => ({ table: 'partner_pins', row: partnerId, org: orgId, field: 'pin_enc' });

export function sealPartnerPin(args: {
  orgKey: OrgKey;
  orgId: string;
  signer: Ed25519PrivateKey;
  keys: PartnerKeys;
  compared: boolean;
  at: Date;
}): { pinEnc: string; signature: string } {
  const pin: PartnerPin = {
    v: 1,
    orgId: args.keys.orgId,
    publicKey: args.keys.publicKey,
    signPublic: args.keys.signPublic ?? null,
    pinnedAt: args.at.toISOString(),
    comparedAt: args.compared ? args.at.toISOString() : null,
  };
  const ad = partnerPinAd(args.orgId, args.keys.orgId);
  const pinEnc = encryptJson(args.orgKey, pin, ad);
  return { pinEnc, signature: signSealedKey(args.signer, ad, pinEnc) };
}

/**
 * Opens a stored pin. Refuses ('partner_pin_invalid') a pin that does not
 * open under orgKey for this partner, or that no certified member signed.
 */
export function openPartnerPin(args: {
  orgKey: OrgKey;
  orgId: string;
  orgSignPublic: string;
  partnerId: string;
  pinEnc: string;
  signature: string | null;
  signer: Sealer | null;
}): PartnerPin {
  const ad = partnerPinAd(args.orgId, args.partnerId);
  try {
    assertSealedBy({ orgSignPublic: args.orgSignPublic, orgId: args.orgId, ad, sealed: args.pinEnc, signature: args.signature, sealer: args.signer });
  } catch (cause) {
    throw new CryptoError('partner_pin_invalid', 'the partner pin carries no valid member signature', { cause });
  }
  let pin: PartnerPin;
  try {
    pin = decryptJson<PartnerPin>(args.orgKey, args.pinEnc, ad);
  } catch (cause) {
    throw new CryptoError('partner_pin_invalid', 'the partner pin does not open', { cause });
  }
  if (pin?.v !== 1 || pin.orgId !== args.partnerId || typeof pin.publicKey !== 'string') throw new CryptoError('partner_pin_invalid', 'the partner pin is malformed');
  return pin;
}

export type PartnerTrust =
  | { state: 'new' }
  | { state: 'pinned'; pin: PartnerPin }
  | { state: 'compared'; pin: PartnerPin }
  | { state: 'changed'; pin: PartnerPin };

/** What the directory serves now, held against the organisation's pin. */
export function partnerTrust(served: PartnerKeys, pin: PartnerPin | null): PartnerTrust {
  if (!pin) return { state: 'new' };
  if (!samePartnerKeys(served, pin)) return { state: 'changed', pin };
  return pin.comparedAt ? { state: 'compared', pin } : { state: 'pinned', pin };
}
