import { describe, expect, it } from 'vitest';
import { generateEd25519, generateX25519 } from '@/lib/crypto/asymmetric';
import { toB64u } from '@/lib/crypto/encoding';
import { randomKey } from '@/lib/crypto/random';
import type { OrgKey } from '@/lib/crypto/types';
import { grantMailboxKey, newMailboxKey, openMailboxKey, verifyMailboxCert } from './mailboxes';
import { createOrgSigningKey, issueMemberCert } from './signing';

const orgId = '0b6f1c9e-4d1a-4a57-9a53-1c2f0e6d7a10';
const mailboxId = '7f3e2d1c-0b9a-4876-8543-210fedcba987';
const org = createOrgSigningKey(randomKey<OrgKey>(), orgId);

function member() {
  const x = generateX25519();
  const e = generateEd25519();
  const keys = { orgId, userId: crypto.randomUUID(), x25519Public: toB64u(x.publicKey), ed25519Public: toB64u(e.publicKey) };
  return { keys, x25519Private: x.privateKey, ed25519Private: e.privateKey, certified: { ...keys, memberCert: issueMemberCert(org.signPrivate, keys) } };
}

describe('mailbox keys', () => {
  const made = newMailboxKey({ orgSignPrivate: org.signPrivate, orgId, mailboxId, name: 'Radiologie', version: 1 });
  const admin = member();
  const reader = member();
  const grant = grantMailboxKey({ orgSignPublic: org.signPublic, sealerEd25519Private: admin.ed25519Private, mailboxPrivate: made.privateKey, orgId, mailboxId, version: 1, member: reader.certified });
  const open = (over: Partial<Parameters<typeof openMailboxKey>[0]> = {}) =>
    openMailboxKey({ orgSignPublic: org.signPublic, userId: reader.keys.userId, x25519Private: reader.x25519Private, key: made.key, cert: made.cert, sealedPrivate: grant.sealedPrivate, signature: grant.signature, sealer: admin.certified, ...over });
  const refused = (over: Partial<Parameters<typeof openMailboxKey>[0]>) => expect(() => open(over)).toThrow(expect.objectContaining({ code: 'key_signature_invalid' }));

  it('the certificate binds organisation, mailbox, name, version and key', () => {
    expect(verifyMailboxCert(org.signPublic, made.key, made.cert)).toBe(true);
    expect(verifyMailboxCert(org.signPublic, { ...made.key, name: 'Unfallchirurgie' }, made.cert)).toBe(false);
    expect(verifyMailboxCert(org.signPublic, { ...made.key, version: 2 }, made.cert)).toBe(false);
    expect(verifyMailboxCert(org.signPublic, { ...made.key, mailboxId: crypto.randomUUID() }, made.cert)).toBe(false);
    expect(verifyMailboxCert(org.signPublic, { ...made.key, publicKey: toB64u(generateX25519().publicKey) }, made.cert)).toBe(false);
    expect(verifyMailboxCert(createOrgSigningKey(randomKey<OrgKey>(), orgId).signPublic, made.key, made.cert)).toBe(false);
    expect(verifyMailboxCert(null, made.key, made.cert)).toBe(false);
  });

  it('a member with a grant opens the private key of the certified public key', () => {
    expect(open()).toEqual(made.privateKey);
  });

  it('refuses a grant for someone else, unsigned, by an uncertified sealer, or for a key the organisation did not certify', () => {
    refused({ userId: admin.keys.userId, x25519Private: admin.x25519Private });
    refused({ signature: null });
    refused({ sealer: null });
    refused({ sealer: { ...member().keys, memberCert: 'A'.repeat(86) } });
    // The server's own key pair for the mailbox: no organisation certificate.
    const server = newMailboxKey({ orgSignPrivate: generateEd25519().privateKey, orgId, mailboxId, name: 'Radiologie', version: 1 });
    const serverGrant = grantMailboxKey({ orgSignPublic: org.signPublic, sealerEd25519Private: admin.ed25519Private, mailboxPrivate: server.privateKey, orgId, mailboxId, version: 1, member: reader.certified });
    refused({ key: server.key, cert: server.cert, sealedPrivate: serverGrant.sealedPrivate, signature: serverGrant.signature });
    // A grant of another version moved into this one.
    refused({ key: { ...made.key, version: 2 } });
  });

  it('a member whose keys the organisation did not certify gets no grant', () => {
    const stranger = member();
    expect(() =>
      grantMailboxKey({ orgSignPublic: org.signPublic, sealerEd25519Private: admin.ed25519Private, mailboxPrivate: made.privateKey, orgId, mailboxId, version: 1, member: { ...stranger.keys, memberCert: null } }),
    ).toThrow(expect.objectContaining({ code: 'member_keys_unproven' }));
    expect(() =>
      grantMailboxKey({ orgSignPublic: org.signPublic, sealerEd25519Private: admin.ed25519Private, mailboxPrivate: made.privateKey, orgId, mailboxId, version: 1, member: { ...reader.certified, x25519Public: stranger.keys.x25519Public } }),
    ).toThrow(expect.objectContaining({ code: 'member_keys_unproven' }));
  });
});
