import { describe, it, expect, beforeAll } from 'vitest';
import {
  createOrgKeys,
  createUserKeyMaterial,
  derivePasswordSecrets,
  openBundleWithUserKey,
  sealOrgKeyTo,
  unwrapUserKeyWithPassword,
  type KeyBundle,
} from './account';
import { generateX25519 } from '@/lib/crypto/asymmetric';
import { toB64u, equalBytes } from '@/lib/crypto/encoding';
import { CryptoError } from '@/lib/crypto/types';
import { sealOrgPin } from './trust';

describe('account key hierarchy', () => {
  const orgId = crypto.randomUUID();
  const userId = crypto.randomUUID();
  const password = 'Lindenblüte-im-Juni-7';
  let bundle: KeyBundle;
  let orgKey: Uint8Array;

  beforeAll(async () => {
    const { material, keys } = await createUserKeyMaterial({ orgId, userId, password, masterPassword: 'ein ganz anderes Masterpasswort' });
    const org = createOrgKeys(orgId);
    orgKey = org.orgKey;
    bundle = {
      userId,
      orgId,
      kdfParams: material.kdfParams,
      kdfSalt: material.kdfSalt,
      wrappedUserKeyPw: material.wrappedUserKeyPw,
      x25519Public: material.x25519Public,
      encX25519Private: material.encX25519Private,
      encEd25519Private: material.encEd25519Private,
      sealedOrgKey: sealOrgKeyTo(org.orgKey, material.x25519Public, orgId, userId),
      orgPin: sealOrgPin(keys.userKey, { orgId, userId, orgPublicKey: org.payload.publicKey }),
      org: { ...org.payload, fingerprint: '' },
    };
  });

  async function open(b: KeyBundle) {
    const s = await derivePasswordSecrets(password, b.kdfParams, b.kdfSalt);
    return openBundleWithUserKey(b, unwrapUserKeyWithPassword(b, s.passwordWrapKey));
  }

  it('opens orgKey and the organisation private key with the password', async () => {
    const keys = await open(bundle);
    expect(keys.orgKey && equalBytes(keys.orgKey, orgKey)).toBe(true);
    expect(keys.orgPrivateKey).toHaveLength(32);
  });

  it('refuses a bundle whose organisation public key was swapped by the server', async () => {
    const swapped = { ...bundle, org: { ...bundle.org, publicKey: toB64u(generateX25519().publicKey) } };
    await expect(open(swapped)).rejects.toBeInstanceOf(CryptoError);
  });

  it('refuses an orgKey′ and key pair of the server\'s own making, sealed to the user (org_key_changed)', async () => {
    // The server knows the user's public key and can seal anything to it; it cannot make the pinned key's private half.
    const forged = createOrgKeys(orgId);
    const swapped = { ...bundle, sealedOrgKey: sealOrgKeyTo(forged.orgKey, bundle.x25519Public, orgId, userId), org: { ...forged.payload, fingerprint: '' } };
    await expect(open(swapped)).rejects.toMatchObject({ code: 'org_key_changed' });
    // Keeping the real public key but the forged private half does not help either.
    const half = { ...swapped, org: { ...swapped.org, publicKey: bundle.org.publicKey } };
    await expect(open(half)).rejects.toMatchObject({ code: 'org_key_changed' });
  });

  it('refuses a bundle without its pin, or with a pin of another user or organisation', async () => {
    await expect(open({ ...bundle, orgPin: null })).rejects.toMatchObject({ code: 'org_key_changed' });
    const strangerKey = createUserKeyMaterial({ orgId, userId: crypto.randomUUID(), password: 'x'.repeat(12), masterPassword: 'y'.repeat(12) });
    const { keys: other } = await strangerKey;
    const foreignPin = sealOrgPin(other.userKey, { orgId, userId, orgPublicKey: bundle.org.publicKey });
    await expect(open({ ...bundle, orgPin: foreignPin })).rejects.toMatchObject({ code: 'org_key_changed' });
  });

  it("refuses orgKey sealed for another user's row", async () => {
    const other = { ...bundle, sealedOrgKey: sealOrgKeyTo(orgKey as never, bundle.x25519Public, orgId, crypto.randomUUID()) };
    await expect(open(other)).rejects.toBeInstanceOf(CryptoError);
  });
});
