import { describe, it, expect, beforeAll } from 'vitest';
import {
  createOrgKeys,
  createUserKeyMaterial,
  derivePasswordSecrets,
  grantOrgKey,
  openBundleWithUserKey,
  sealOrgKeyTo,
  unwrapUserKeyWithPassword,
  type KeyBundle,
} from './account';
import { generateEd25519, generateX25519 } from '@/lib/crypto/asymmetric';
import { issueMemberCert, signSealedKey } from './signing';
import { toB64u, equalBytes } from '@/lib/crypto/encoding';
import { CryptoError } from '@/lib/crypto/types';
import { sealOrgPin } from './trust';

describe('account key hierarchy', () => {
  const orgId = crypto.randomUUID();
  const userId = crypto.randomUUID();
  const password = 'Lindenblüte-im-Juni-7';
  const account = { orgShortName: 'Praxis-Linde', userShortName: 'anna' };
  let bundle: KeyBundle;
  let orgKey: Uint8Array;
  let org: ReturnType<typeof createOrgKeys>;
  let legacyPin: string;

  beforeAll(async () => {
    const { material, keys } = await createUserKeyMaterial({ orgId, userId, account, password, masterPassword: 'ein ganz anderes Masterpasswort' });
    org = createOrgKeys(orgId);
    orgKey = org.orgKey;
    const member = { userId, x25519Public: material.x25519Public, ed25519Public: material.ed25519Public };
    const grant = grantOrgKey({ orgKey: org.orgKey, orgId, orgSignPrivate: org.orgSignPrivate, sealerEd25519Private: keys.ed25519Private, member });
    legacyPin = sealOrgPin(keys.userKey, { orgId, userId, orgPublicKey: org.payload.publicKey });
    bundle = {
      userId,
      orgId,
      ...account,
      kdfParams: material.kdfParams,
      kdfSalt: material.kdfSalt,
      wrappedUserKeyPw: material.wrappedUserKeyPw,
      x25519Public: material.x25519Public,
      encX25519Private: material.encX25519Private,
      encEd25519Private: material.encEd25519Private,
      sealedOrgKey: grant.sealedOrgKey,
      sealedOrgKeySig: grant.sealedOrgKeySig,
      sealer: { orgId, ...member, memberCert: grant.memberCert },
      orgPin: sealOrgPin(keys.userKey, { orgId, userId, orgPublicKey: org.payload.publicKey, orgSignPublic: org.payload.signPublic }),
      org: { ...org.payload, fingerprint: '' },
    };
  });

  async function open(b: KeyBundle) {
    const s = await derivePasswordSecrets(password, b.kdfParams, b.kdfSalt, account);
    return openBundleWithUserKey(b, unwrapUserKeyWithPassword(b, s.passwordWrapKey));
  }

  it('one salt served to two accounts still gives each its own keys (the salt is bound to the account)', async () => {
    const a = await derivePasswordSecrets(password, bundle.kdfParams, bundle.kdfSalt, account);
    const b = await derivePasswordSecrets(password, bundle.kdfParams, bundle.kdfSalt, { ...account, userShortName: 'ben' });
    expect(a.authKey).not.toBe(b.authKey);
    // Case and Unicode form of the typed names do not matter, as at login.
    const c = await derivePasswordSecrets(password, bundle.kdfParams, bundle.kdfSalt, { orgShortName: ' praxis-LINDE', userShortName: 'Anna' });
    expect(c.authKey).toBe(a.authKey);
    // A server cannot ask for the earlier derivation that used the salt as served.
    await expect(derivePasswordSecrets(password, { ...bundle.kdfParams, v: 1 }, bundle.kdfSalt, account)).rejects.toMatchObject({ code: 'bad_params' });
  });

  it('opens orgKey, the organisation private key and its signing key with the password', async () => {
    const keys = await open(bundle);
    expect(keys.orgKey && equalBytes(keys.orgKey, orgKey)).toBe(true);
    expect(keys.orgPrivateKey).toHaveLength(32);
    expect(keys.orgSignPrivate && equalBytes(keys.orgSignPrivate, org.orgSignPrivate)).toBe(true);
  });

  it('refuses a sealed orgKey without its sealer\'s valid signature, before opening it (key_signature_invalid)', async () => {
    await expect(open({ ...bundle, sealedOrgKeySig: null })).rejects.toMatchObject({ code: 'key_signature_invalid' });
    await expect(open({ ...bundle, sealer: null })).rejects.toMatchObject({ code: 'key_signature_invalid' });
    // The server attributes the key to a sealer of its own making: its certificate does not verify under the organisation's signing key.
    const intruder = generateEd25519();
    const intruderKeys = { orgId, userId: crypto.randomUUID(), x25519Public: toB64u(generateX25519().publicKey), ed25519Public: toB64u(intruder.publicKey) };
    const selfCert = issueMemberCert(intruder.privateKey, intruderKeys);
    const resigned = signSealedKey(intruder.privateKey, { table: 'users', row: userId, org: orgId, field: 'sealed_org_key' }, bundle.sealedOrgKey!);
    await expect(open({ ...bundle, sealedOrgKeySig: resigned, sealer: { ...intruderKeys, memberCert: selfCert } })).rejects.toMatchObject({ code: 'key_signature_invalid' });
    // A real sealer's signature does not carry over to another box (here a fresh sealing of the same key).
    const otherBox = sealOrgKeyTo(org.orgKey, bundle.x25519Public, orgId, userId);
    await expect(open({ ...bundle, sealedOrgKey: otherBox })).rejects.toMatchObject({ code: 'key_signature_invalid' });
  });

  it('refuses a served organisation signing key that is not the pinned one, or one dropped to look unsigned', async () => {
    const forged = createOrgKeys(orgId);
    await expect(open({ ...bundle, org: { ...bundle.org, signPublic: forged.payload.signPublic, encSignPrivate: forged.payload.encSignPrivate } })).rejects.toMatchObject({
      code: 'org_key_changed',
    });
    await expect(open({ ...bundle, org: { ...bundle.org, signPublic: null, encSignPrivate: null } })).rejects.toMatchObject({ code: 'org_key_changed' });
    // The right public key with a private half that does not open under orgKey.
    await expect(open({ ...bundle, org: { ...bundle.org, encSignPrivate: forged.payload.encSignPrivate } })).rejects.toMatchObject({ code: 'org_key_changed' });
  });

  it('an organisation pinned before signing keys existed opens without signatures', async () => {
    const keys = await open({ ...bundle, orgPin: legacyPin, sealedOrgKeySig: null, sealer: null, org: { ...bundle.org, signPublic: null, encSignPrivate: null } });
    expect(keys.orgKey && equalBytes(keys.orgKey, orgKey)).toBe(true);
    expect(keys.orgSignPrivate).toBeNull();
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
    const strangerKey = createUserKeyMaterial({ orgId, userId: crypto.randomUUID(), account: { ...account, userShortName: 'ben' }, password: 'x'.repeat(12), masterPassword: 'y'.repeat(12) });
    const { keys: other } = await strangerKey;
    const foreignPin = sealOrgPin(other.userKey, { orgId, userId, orgPublicKey: bundle.org.publicKey });
    await expect(open({ ...bundle, orgPin: foreignPin })).rejects.toMatchObject({ code: 'org_key_changed' });
  });

  it("refuses orgKey sealed for another user's row", async () => {
    const other = { ...bundle, sealedOrgKey: sealOrgKeyTo(orgKey as never, bundle.x25519Public, orgId, crypto.randomUUID()) };
    await expect(open(other)).rejects.toBeInstanceOf(CryptoError);
  });
});
