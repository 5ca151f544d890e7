import { describe, expect, it } from 'vitest';
import { generateEd25519, generateX25519 } from '@/lib/crypto/asymmetric';
import { toB64u } from '@/lib/crypto/encoding';
import { randomKey } from '@/lib/crypto/random';
import type { OrgKey } from '@/lib/crypto/types';
import { assertSealedBy, createOrgSigningKey, issueMemberCert, openOrgSigningKey, signSealedKey, verifyMemberCert } from './signing';

const orgId = '0b6f1c9e-4d1a-4a57-9a53-1c2f0e6d7a10';
const ad = (row: string) => ({ table: 'users', row, org: orgId, field: 'sealed_org_key' });

function member() {
  const e = generateEd25519();
  return { keys: { orgId, userId: crypto.randomUUID(), x25519Public: toB64u(generateX25519().publicKey), ed25519Public: toB64u(e.publicKey) }, ed25519Private: e.privateKey };
}

describe('organisation signing key', () => {
  const orgKey = randomKey<OrgKey>();
  const k = createOrgSigningKey(orgKey, orgId);
  it('opens under orgKey when it is the pinned one', () => {
    expect(openOrgSigningKey(orgKey, orgId, k.encSignPrivate, k.signPublic)).toEqual(k.signPrivate);
  });
  it('refuses another organisation key, another pinned key, or none (org_key_changed)', () => {
    expect(() => openOrgSigningKey(randomKey<OrgKey>(), orgId, k.encSignPrivate, k.signPublic)).toThrow(expect.objectContaining({ code: 'org_key_changed' }));
    expect(() => openOrgSigningKey(orgKey, orgId, k.encSignPrivate, createOrgSigningKey(orgKey, orgId).signPublic)).toThrow(expect.objectContaining({ code: 'org_key_changed' }));
    expect(() => openOrgSigningKey(orgKey, orgId, null, k.signPublic)).toThrow(expect.objectContaining({ code: 'org_key_changed' }));
    // Bound to its organisation by the associated data.
    expect(() => openOrgSigningKey(orgKey, crypto.randomUUID(), k.encSignPrivate, k.signPublic)).toThrow(expect.objectContaining({ code: 'org_key_changed' }));
  });
});

describe('member certificates and signed sealed keys', () => {
  const org = createOrgSigningKey(randomKey<OrgKey>(), orgId);
  const admin = member();
  const adminCert = issueMemberCert(org.signPrivate, admin.keys);
  const recipient = member();
  const sealed = `s1.${'A'.repeat(43)}.${'B'.repeat(32)}.${'C'.repeat(40)}`;

  it('a certificate covers exactly the certified keys', () => {
    expect(verifyMemberCert(org.signPublic, admin.keys, adminCert)).toBe(true);
    for (const field of ['userId', 'x25519Public', 'ed25519Public', 'orgId'] as const) {
      const other = { ...admin.keys, [field]: field === 'userId' || field === 'orgId' ? crypto.randomUUID() : toB64u(generateX25519().publicKey) };
      expect(verifyMemberCert(org.signPublic, other, adminCert), field).toBe(false);
    }
    expect(verifyMemberCert(createOrgSigningKey(randomKey<OrgKey>(), orgId).signPublic, admin.keys, adminCert)).toBe(false);
    expect(verifyMemberCert(org.signPublic, admin.keys, null)).toBe(false);
    expect(verifyMemberCert(org.signPublic, admin.keys, 'not-base64!')).toBe(false);
  });

  it('a sealed key signed by a certified sealer passes; anything else is key_signature_invalid', () => {
    const sig = signSealedKey(admin.ed25519Private, ad(recipient.keys.userId), sealed);
    const sealer = { ...admin.keys, memberCert: adminCert };
    const ok: Parameters<typeof assertSealedBy>[0] = { orgSignPublic: org.signPublic, orgId, ad: ad(recipient.keys.userId), sealed, signature: sig, sealer };
    expect(() => assertSealedBy(ok)).not.toThrow();
    const bad = (over: Partial<typeof ok>) => expect(() => assertSealedBy({ ...ok, ...over })).toThrow(expect.objectContaining({ code: 'key_signature_invalid' }));
    bad({ signature: null });
    bad({ sealer: null });
    // Moved to another row: the signature names where the box lives.
    bad({ ad: ad(crypto.randomUUID()) });
    bad({ sealed: sealed.replace('C', 'D') });
    // A sealer whose certificate is its own making, or a real member who did not sign.
    const rogue = member();
    bad({ sealer: { ...rogue.keys, memberCert: issueMemberCert(rogue.ed25519Private, rogue.keys) }, signature: signSealedKey(rogue.ed25519Private, ad(recipient.keys.userId), sealed) });
    bad({ sealer: { ...recipient.keys, memberCert: issueMemberCert(org.signPrivate, recipient.keys) } });
    // A sealer of another organisation.
    bad({ sealer: { ...sealer, orgId: crypto.randomUUID() } });
  });
});
