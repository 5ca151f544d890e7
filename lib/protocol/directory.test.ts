import { describe, expect, it } from 'vitest';
import { generateEd25519, generateX25519 } from '@/lib/crypto/asymmetric';
import { toB64u } from '@/lib/crypto/encoding';
import { randomKey } from '@/lib/crypto/random';
import type { OrgKey } from '@/lib/crypto/types';
import { fingerprintQrText, openPartnerPin, partnerFingerprint, partnerTrust, sealPartnerPin, type PartnerKeys } from './directory';
import { createOrgSigningKey, issueMemberCert } from './signing';

const orgId = '0b6f1c9e-4d1a-4a57-9a53-1c2f0e6d7a10';
const partner: PartnerKeys = { orgId: '5d0e7b1a-8f7e-4a3c-9b21-6c4f2d9e8a01', publicKey: toB64u(new Uint8Array(32).fill(7)), signPublic: toB64u(new Uint8Array(32).fill(9)) };

describe('partner fingerprint', () => {
  it('is six groups of five digits, stable for the same keys', () => {
    const fp = partnerFingerprint(partner);
    expect(fp).toMatch(/^\d{5}( \d{5}){5}$/);
    expect(partnerFingerprint({ ...partner })).toBe(fp);
    // Known answer: a change of the derivation would change every fingerprint partners compared on paper.
    expect(fp).toBe('64708 48371 03153 27633 11931 98547');
    expect(fingerprintQrText(partner)).toBe(`konsil-partner:v1:${partner.orgId}:${fp.replaceAll(' ', '')}`);
  });
  it('changes with the organisation, either key, or a dropped signing key', () => {
    const fp = partnerFingerprint(partner);
    expect(partnerFingerprint({ ...partner, orgId })).not.toBe(fp);
    expect(partnerFingerprint({ ...partner, publicKey: toB64u(generateX25519().publicKey) })).not.toBe(fp);
    expect(partnerFingerprint({ ...partner, signPublic: toB64u(generateEd25519().publicKey) })).not.toBe(fp);
    expect(partnerFingerprint({ ...partner, signPublic: null })).not.toBe(fp);
  });
});

describe('partner pins', () => {
  const orgKey = randomKey<OrgKey>();
  const org = createOrgSigningKey(orgKey, orgId);
  const e = generateEd25519();
  const member = { orgId, userId: crypto.randomUUID(), x25519Public: toB64u(generateX25519().publicKey), ed25519Public: toB64u(e.publicKey) };
  const signer = { ...member, memberCert: issueMemberCert(org.signPrivate, member) };
  const at = new Date('2026-12-07T10:00:00Z');
  const sealed = sealPartnerPin({ orgKey, orgId, signer: e.privateKey, keys: partner, compared: false, at });
  const open = (over: Partial<Parameters<typeof openPartnerPin>[0]> = {}) =>
    openPartnerPin({ orgKey, orgId, orgSignPublic: org.signPublic, partnerId: partner.orgId, pinEnc: sealed.pinEnc, signature: sealed.signature, signer, ...over });

  it('opens what a certified member stored', () => {
    expect(open()).toEqual({ v: 1, ...partner, pinnedAt: at.toISOString(), comparedAt: null });
  });
  it('refuses a pin moved to another partner, another organisation key, a forged or missing signature', () => {
    const refused = (over: Partial<Parameters<typeof openPartnerPin>[0]>) => expect(() => open(over)).toThrow(expect.objectContaining({ code: 'partner_pin_invalid' }));
    refused({ partnerId: crypto.randomUUID() });
    refused({ orgKey: randomKey<OrgKey>() });
    refused({ signature: null });
    refused({ signer: null });
    // The server's own key pair claiming to be the member: the certificate does not verify.
    const intruder = generateEd25519();
    const forged = sealPartnerPin({ orgKey, orgId, signer: intruder.privateKey, keys: partner, compared: true, at });
    refused({ pinEnc: forged.pinEnc, signature: forged.signature });
    refused({ pinEnc: forged.pinEnc, signature: forged.signature, signer: { ...member, ed25519Public: toB64u(intruder.publicKey), memberCert: signer.memberCert } });
  });
  it('trust: new without a pin, pinned or compared while equal, changed when the directory serves other keys', () => {
    const pin = open();
    expect(partnerTrust(partner, null).state).toBe('new');
    expect(partnerTrust(partner, pin).state).toBe('pinned');
    expect(partnerTrust(partner, { ...pin, comparedAt: at.toISOString() }).state).toBe('compared');
    expect(partnerTrust({ ...partner, publicKey: toB64u(generateX25519().publicKey) }, pin).state).toBe('changed');
    expect(partnerTrust({ ...partner, signPublic: null }, pin).state).toBe('changed');
  });
});
