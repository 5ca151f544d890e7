import { describe, expect, it } from 'vitest';
import { createOrgKeys, createUserKeyMaterial } from './account';
import {
  acceptInvitationKeys,
  checkPendingMember,
  invitationLink,
  invitationTokenHash,
  openOrgPin,
  parseInvitationFragment,
  parseInvitationSecret,
  prepareInvitation,
} from './trust';
import { generateX25519 } from '@/lib/crypto/asymmetric';
import { toB64u } from '@/lib/crypto/encoding';
import { sha256Hex } from '@/lib/server/hash';

describe('the invitation secret', () => {
  const orgId = crypto.randomUUID();
  const org = createOrgKeys(orgId);
  const served = (p: ReturnType<typeof prepareInvitation>) => ({ orgId, orgPublicKey: org.payload.publicKey, orgSignPublic: org.payload.signPublic, introMac: p.introMac });

  async function invitee() {
    const userId = crypto.randomUUID();
    const { material, keys } = await createUserKeyMaterial({ orgId, userId, account: { orgShortName: 'praxis', userShortName: 'anna' }, password: 'Eichhörnchen-7', masterPassword: 'Buchenwald-19' });
    return { userId, material, keys };
  }

  it('links carry token and secret in the fragment; the token hash is the server\'s', () => {
    const p = prepareInvitation({ orgKey: org.orgKey, orgId, orgPublicKey: org.payload.publicKey, orgSignPublic: org.payload.signPublic });
    expect(invitationTokenHash(p.token)).toBe(sha256Hex(p.token));
    const link = invitationLink('https://konsil.example', p.token, p.secret);
    expect(parseInvitationFragment(new URL(link).hash)).toEqual({ token: p.token, secret: p.secret });
    expect(parseInvitationFragment(`#${p.token}`)).toEqual({ token: p.token, secret: null });
    // Typed by hand with spaces or dashes.
    expect(p.secret).toMatch(/^([2-9A-HJ-NP-Z]{5}-){4}[2-9A-HJ-NP-Z]{5}$/);
    expect(parseInvitationSecret(` ${p.secret.replace(/-/g, ' ').toLowerCase()} `)).toBe(p.secret);
    expect(parseInvitationSecret('zu kurz')).toBeNull();
  });

  it('an honest round: the invitee pins the real key, the admin accepts the proof', async () => {
    const p = prepareInvitation({ orgKey: org.orgKey, orgId, orgPublicKey: org.payload.publicKey, orgSignPublic: org.payload.signPublic });
    const m = await invitee();
    const t = acceptInvitationKeys({ token: p.token, secret: p.secret, served: served(p), userId: m.userId, userKey: m.keys.userKey, x25519Public: m.material.x25519Public, ed25519Public: m.material.ed25519Public });
    // The pin holds both organisation keys.
    expect(openOrgPin(m.keys.userKey, t.orgPin, orgId, m.userId)).toEqual({ v: 1, orgId, orgPublicKey: org.payload.publicKey, orgSignPublic: org.payload.signPublic });
    expect(() =>
      checkPendingMember(org.orgKey, orgId, {
        id: m.userId,
        x25519Public: m.material.x25519Public,
        ed25519Public: m.material.ed25519Public,
        invitation: { tokenHash: invitationTokenHash(p.token), secretEnc: p.secretEnc, keyProof: t.keyProof },
      }),
    ).not.toThrow();
  });

  it('a server that serves another organisation key to the invitee is caught before anything is pinned', async () => {
    const p = prepareInvitation({ orgKey: org.orgKey, orgId, orgPublicKey: org.payload.publicKey, orgSignPublic: org.payload.signPublic });
    const m = await invitee();
    const forged = { ...served(p), orgPublicKey: toB64u(generateX25519().publicKey) };
    expect(() =>
      acceptInvitationKeys({ token: p.token, secret: p.secret, served: forged, userId: m.userId, userKey: m.keys.userKey, x25519Public: m.material.x25519Public, ed25519Public: m.material.ed25519Public }),
    ).toThrow(expect.objectContaining({ code: 'org_key_changed' }));
    // Another signing key, or none (as if the organisation had never had one), likewise: the admin's MAC covers it.
    for (const orgSignPublic of [createOrgKeys(orgId).payload.signPublic, null]) {
      expect(() =>
        acceptInvitationKeys({ token: p.token, secret: p.secret, served: { ...served(p), orgSignPublic }, userId: m.userId, userKey: m.keys.userKey, x25519Public: m.material.x25519Public, ed25519Public: m.material.ed25519Public }),
      ).toThrow(expect.objectContaining({ code: 'org_key_changed' }));
    }
    // Without the admin's MAC, or with a wrong secret, likewise.
    const args = { token: p.token, userId: m.userId, userKey: m.keys.userKey, x25519Public: m.material.x25519Public, ed25519Public: m.material.ed25519Public };
    expect(() => acceptInvitationKeys({ ...args, secret: p.secret, served: { ...served(p), introMac: null } })).toThrow(expect.objectContaining({ code: 'org_key_changed' }));
    expect(() => acceptInvitationKeys({ ...args, secret: prepareInvitation({ orgKey: org.orgKey, orgId, orgPublicKey: '' }).secret, served: served(p) })).toThrow(
      expect.objectContaining({ code: 'org_key_changed' }),
    );
  });

  it('a server that substitutes its own key for the invitee\'s is caught before orgKey is sealed', async () => {
    const p = prepareInvitation({ orgKey: org.orgKey, orgId, orgPublicKey: org.payload.publicKey, orgSignPublic: org.payload.signPublic });
    const m = await invitee();
    const t = acceptInvitationKeys({ token: p.token, secret: p.secret, served: served(p), userId: m.userId, userKey: m.keys.userKey, x25519Public: m.material.x25519Public, ed25519Public: m.material.ed25519Public });
    const invitation = { tokenHash: invitationTokenHash(p.token), secretEnc: p.secretEnc, keyProof: t.keyProof };
    const swapped = { id: m.userId, x25519Public: toB64u(generateX25519().publicKey), ed25519Public: m.material.ed25519Public, invitation };
    expect(() => checkPendingMember(org.orgKey, orgId, swapped)).toThrow(expect.objectContaining({ code: 'member_keys_unproven' }));
    // Nor can it move the proof to another member id, drop it, or bring its own secret.
    const base = { id: m.userId, x25519Public: m.material.x25519Public, ed25519Public: m.material.ed25519Public };
    expect(() => checkPendingMember(org.orgKey, orgId, { ...base, id: crypto.randomUUID(), invitation })).toThrow(expect.objectContaining({ code: 'member_keys_unproven' }));
    expect(() => checkPendingMember(org.orgKey, orgId, { ...base, invitation: { ...invitation, keyProof: null } })).toThrow(expect.objectContaining({ code: 'member_keys_unproven' }));
    const other = prepareInvitation({ orgKey: createOrgKeys(orgId).orgKey, orgId, orgPublicKey: org.payload.publicKey });
    expect(() => checkPendingMember(org.orgKey, orgId, { ...base, invitation: { ...invitation, secretEnc: other.secretEnc } })).toThrow(
      expect.objectContaining({ code: 'member_keys_unproven' }),
    );
    expect(() => checkPendingMember(org.orgKey, orgId, { ...base, invitation: null })).toThrow(expect.objectContaining({ code: 'member_keys_unproven' }));
  });
});
