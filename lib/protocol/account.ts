// The account key hierarchy (DESIGN §4), as the browser builds and opens it.
// Pure and isomorphic: the same code runs in Chromium and in the tests.
import {
  KDF_DEFAULT,
  bindSalt,
  derivePasswordKey,
  splitMasterKey,
  splitPasswordKey,
  assertKdfParams,
  type KdfParams,
  type ServedKdfParams,
} from '@/lib/crypto/kdf';
import { randomBytes, randomKey } from '@/lib/crypto/random';
import { toB64u, fromB64u, equalBytes } from '@/lib/crypto/encoding';
import { CryptoError } from '@/lib/crypto/types';
import { openOrgPin } from './trust';
import { assertSealedBy, createOrgSigningKey, issueMemberCert, openOrgSigningKey, signSealedKey, type Sealer } from './signing';
import { normalizeShortName } from '@/lib/validation/rules';
import { wrapKey, unwrapKey, type AdContext } from '@/lib/crypto/envelope';
import { generateEd25519, generateX25519, openSealed, seal, x25519PublicFromPrivate } from '@/lib/crypto/asymmetric';
import type {
  Ed25519PrivateKey,
  OrgKey,
  PasswordWrapKey,
  MasterWrapKey,
  UserKey,
  X25519PrivateKey,
  X25519PublicKey,
} from '@/lib/crypto/types';

export const ad = {
  wrappedUserKeyPw: (orgId: string, userId: string): AdContext => ({ table: 'users', row: userId, org: orgId, field: 'wrapped_user_key_pw' }),
  wrappedUserKeyMaster: (orgId: string, userId: string): AdContext => ({ table: 'users', row: userId, org: orgId, field: 'wrapped_user_key_master' }),
  encX25519Private: (orgId: string, userId: string): AdContext => ({ table: 'users', row: userId, org: orgId, field: 'enc_x25519_private' }),
  encEd25519Private: (orgId: string, userId: string): AdContext => ({ table: 'users', row: userId, org: orgId, field: 'enc_ed25519_private' }),
  sealedOrgKey: (orgId: string, userId: string): AdContext => ({ table: 'users', row: userId, org: orgId, field: 'sealed_org_key' }),
  orgPrivateKey: (orgId: string): AdContext => ({ table: 'organisations', row: orgId, org: orgId, field: 'enc_private_key' }),
};

export type UnlockedKeys = {
  orgId: string;
  userId: string;
  userKey: UserKey;
  x25519Private: X25519PrivateKey;
  x25519Public: X25519PublicKey;
  ed25519Private: Ed25519PrivateKey;
  orgKey: OrgKey | null;
  orgPrivateKey: X25519PrivateKey | null;
  /** The organisation signing key (signing.ts); null before orgKey is held, or for an organisation registered without one. */
  orgSignPrivate: Ed25519PrivateKey | null;
};

export type PasswordSecrets = { authKey: string; passwordWrapKey: PasswordWrapKey; kdfParams: KdfParams; kdfSalt: string };

/** The account a password belongs to, by the short names people type at login. */
export type AccountRef = { orgShortName: string; userShortName: string };

function boundSalt(kdfSalt: string, account: AccountRef): Uint8Array {
  return bindSalt(fromB64u(kdfSalt), { org: normalizeShortName(account.orgShortName), user: normalizeShortName(account.userShortName) });
}

export async function derivePasswordSecrets(
  password: string,
  served: ServedKdfParams,
  kdfSalt: string,
  account: AccountRef,
  onProgress?: (f: number) => void,
): Promise<PasswordSecrets> {
  const kdfParams = assertKdfParams(served);
  const pk = await derivePasswordKey(password, boundSalt(kdfSalt, account), kdfParams, onProgress);
  const { authKey, passwordWrapKey } = splitPasswordKey(pk);
  pk.fill(0);
  return { authKey: toB64u(authKey), passwordWrapKey, kdfParams, kdfSalt };
}

export async function deriveMasterSecrets(masterPassword: string, kdfParams: ServedKdfParams, kdfSalt: string, account: AccountRef, onProgress?: (f: number) => void) {
  const mk = await derivePasswordKey(masterPassword, boundSalt(kdfSalt, account), kdfParams, onProgress);
  const { recoveryAuthKey, masterWrapKey } = splitMasterKey(mk);
  mk.fill(0);
  return { recoveryAuthKey: toB64u(recoveryAuthKey), masterWrapKey };
}

export async function newPasswordSecrets(password: string, account: AccountRef, onProgress?: (f: number) => void): Promise<PasswordSecrets> {
  return derivePasswordSecrets(password, KDF_DEFAULT, toB64u(randomBytes(16)), account, onProgress);
}

/** Everything a new user hands the server: derived auth keys, wrapped keys, public keys. */
export async function createUserKeyMaterial(args: {
  orgId: string;
  userId: string;
  account: AccountRef;
  password: string;
  masterPassword: string;
  onProgress?: (f: number) => void;
}) {
  const pw = await newPasswordSecrets(args.password, args.account, (f) => args.onProgress?.(f / 2));
  const masterSalt = toB64u(randomBytes(16));
  const master = await deriveMasterSecrets(args.masterPassword, KDF_DEFAULT, masterSalt, args.account, (f) => args.onProgress?.(0.5 + f / 2));
  const userKey = randomKey<UserKey>();
  const x = generateX25519();
  const e = generateEd25519();
  const material = {
    authKey: pw.authKey,
    recoveryAuthKey: master.recoveryAuthKey,
    kdfParams: pw.kdfParams,
    kdfSalt: pw.kdfSalt,
    masterKdfParams: KDF_DEFAULT,
    masterKdfSalt: masterSalt,
    wrappedUserKeyPw: wrapKey(pw.passwordWrapKey, userKey, ad.wrappedUserKeyPw(args.orgId, args.userId)),
    wrappedUserKeyMaster: wrapKey(master.masterWrapKey, userKey, ad.wrappedUserKeyMaster(args.orgId, args.userId)),
    x25519Public: toB64u(x.publicKey),
    ed25519Public: toB64u(e.publicKey),
    encX25519Private: wrapKey(userKey, x.privateKey, ad.encX25519Private(args.orgId, args.userId)),
    encEd25519Private: wrapKey(userKey, e.privateKey, ad.encEd25519Private(args.orgId, args.userId)),
  };
  const keys: UnlockedKeys = {
    orgId: args.orgId,
    userId: args.userId,
    userKey,
    x25519Private: x.privateKey,
    x25519Public: x.publicKey,
    ed25519Private: e.privateKey,
    orgKey: null,
    orgPrivateKey: null,
    orgSignPrivate: null,
  };
  return { material, keys, passwordWrapKey: pw.passwordWrapKey };
}

/** A new organisation's orgKey, X25519 pair and signing pair; the private halves go to the server only under orgKey. */
export function createOrgKeys(orgId: string) {
  const orgKey = randomKey<OrgKey>();
  const pair = generateX25519();
  const signing = createOrgSigningKey(orgKey, orgId);
  return {
    orgKey,
    orgPrivateKey: pair.privateKey,
    orgSignPrivate: signing.signPrivate,
    payload: {
      publicKey: toB64u(pair.publicKey),
      encPrivateKey: wrapKey(orgKey, pair.privateKey, ad.orgPrivateKey(orgId)),
      signPublic: signing.signPublic,
      encSignPrivate: signing.encSignPrivate,
    },
  };
}

/** The bare sealed box; grantOrgKey is what browsers send (signed, with the member's certificate). */
export function sealOrgKeyTo(orgKey: OrgKey, recipientX25519Public: string, orgId: string, userId: string): string {
  return seal(fromB64u(recipientX25519Public) as X25519PublicKey, orgKey, ad.sealedOrgKey(orgId, userId));
}

/**
 * Gives orgKey to a member whose keys are known to be theirs (the owner's own
 * at registration; an invitee's after the invitation's proof): sealed to
 * their X25519 key, signed by the sealer, and their keys certified by the
 * organisation signing key.
 */
export function grantOrgKey(args: {
  orgKey: OrgKey;
  orgId: string;
  orgSignPrivate: Ed25519PrivateKey;
  sealerEd25519Private: Ed25519PrivateKey;
  member: { userId: string; x25519Public: string; ed25519Public: string };
}): { sealedOrgKey: string; sealedOrgKeySig: string; memberCert: string } {
  const { orgId, member } = args;
  const sealedOrgKey = sealOrgKeyTo(args.orgKey, member.x25519Public, orgId, member.userId);
  return {
    sealedOrgKey,
    sealedOrgKeySig: signSealedKey(args.sealerEd25519Private, ad.sealedOrgKey(orgId, member.userId), sealedOrgKey),
    memberCert: issueMemberCert(args.orgSignPrivate, { orgId, ...member }),
  };
}

export type KeyBundle = {
  userId: string;
  orgId: string;
  /** As the server serves them: a browser uses them for the KDF only for an account it holds a device key for. */
  orgShortName: string;
  userShortName: string;
  kdfParams: ServedKdfParams;
  kdfSalt: string;
  wrappedUserKeyPw: string;
  x25519Public: string;
  encX25519Private: string;
  encEd25519Private: string;
  sealedOrgKey: string | null;
  /** The sealer's signature over sealedOrgKey, and the sealer's keys with their certificate (signing.ts). */
  sealedOrgKeySig: string | null;
  sealer: Sealer | null;
  /** The organisation this user pinned, under userKey (lib/protocol/trust.ts). */
  orgPin: string | null;
  org: { publicKey: string; encPrivateKey: string; fingerprint: string; signPublic: string | null; encSignPrivate: string | null };
};

/**
 * Opens the bundle with userKey; throws CryptoError if anything was swapped or
 * altered: 'org_key_changed' when the organisation key the server serves is not
 * the one this user pinned (a sealed orgKey′ and key pair of the server's own
 * making), anything else when an envelope does not open.
 */
export function openBundleWithUserKey(bundle: KeyBundle, userKey: UserKey): UnlockedKeys {
  const { orgId, userId } = bundle;
  const x25519Private = unwrapKey<X25519PrivateKey>(userKey, bundle.encX25519Private, ad.encX25519Private(orgId, userId));
  const ed25519Private = unwrapKey<Ed25519PrivateKey>(userKey, bundle.encEd25519Private, ad.encEd25519Private(orgId, userId));
  const pin = openOrgPin(userKey, bundle.orgPin, orgId, userId);
  // What the server serves as the organisation's public key must be the pinned one…
  if (bundle.org.publicKey !== pin.orgPublicKey) throw new CryptoError('org_key_changed', 'organisation public key differs from the pinned one');
  // An organisation with a signing key (pinned, so the server can neither swap nor drop it) signs what it seals.
  const orgSignPublic = pin.orgSignPublic ?? null;
  if (orgSignPublic && bundle.org.signPublic !== orgSignPublic) throw new CryptoError('org_key_changed', 'organisation signing key differs from the pinned one');
  let orgKey: OrgKey | null = null;
  let orgPrivateKey: X25519PrivateKey | null = null;
  let orgSignPrivate: Ed25519PrivateKey | null = null;
  if (bundle.sealedOrgKey) {
    // Who sealed it must be a member the organisation certified — checked before the box is opened.
    if (orgSignPublic) {
      assertSealedBy({ orgSignPublic, orgId, ad: ad.sealedOrgKey(orgId, userId), sealed: bundle.sealedOrgKey, signature: bundle.sealedOrgKeySig, sealer: bundle.sealer });
    }
    const opened = openSealed(x25519Private, bundle.sealedOrgKey, ad.sealedOrgKey(orgId, userId));
    if (opened.length !== 32) throw new CryptoError('org_key_changed', 'orgKey has the wrong length');
    orgKey = opened as OrgKey;
    // …and orgKey must open that key's private half: only the real orgKey can,
    // so a server that sealed a key of its own choosing is caught here.
    try {
      orgPrivateKey = unwrapKey<X25519PrivateKey>(orgKey, bundle.org.encPrivateKey, ad.orgPrivateKey(orgId));
    } catch (cause) {
      throw new CryptoError('org_key_changed', 'orgKey does not open the organisation private key', { cause });
    }
    if (!equalBytes(x25519PublicFromPrivate(orgPrivateKey), fromB64u(pin.orgPublicKey))) {
      throw new CryptoError('org_key_changed', 'organisation private key does not belong to the pinned public key');
    }
    if (orgSignPublic) orgSignPrivate = openOrgSigningKey(orgKey, orgId, bundle.org.encSignPrivate, orgSignPublic);
  }
  return {
    orgId,
    userId,
    userKey,
    x25519Private,
    x25519Public: x25519PublicFromPrivate(x25519Private),
    ed25519Private,
    orgKey,
    orgPrivateKey,
    orgSignPrivate,
  };
}

export function unwrapUserKeyWithPassword(bundle: Pick<KeyBundle, 'orgId' | 'userId' | 'wrappedUserKeyPw'>, passwordWrapKey: PasswordWrapKey): UserKey {
  return unwrapKey<UserKey>(passwordWrapKey, bundle.wrappedUserKeyPw, ad.wrappedUserKeyPw(bundle.orgId, bundle.userId));
}

export function unwrapUserKeyWithMaster(args: { orgId: string; userId: string; wrappedUserKeyMaster: string }, masterWrapKey: MasterWrapKey): UserKey {
  return unwrapKey<UserKey>(masterWrapKey, args.wrappedUserKeyMaster, ad.wrappedUserKeyMaster(args.orgId, args.userId));
}

export async function newMasterSecrets(masterPassword: string, account: AccountRef, onProgress?: (f: number) => void) {
  const masterKdfSalt = toB64u(randomBytes(16));
  const m = await deriveMasterSecrets(masterPassword, KDF_DEFAULT, masterKdfSalt, account, onProgress);
  return { ...m, masterKdfParams: KDF_DEFAULT, masterKdfSalt };
}

export function rewrapUserKeyForMaster(userKey: UserKey, masterWrapKey: MasterWrapKey, orgId: string, userId: string): string {
  return wrapKey(masterWrapKey, userKey, ad.wrappedUserKeyMaster(orgId, userId));
}

export function rewrapUserKey(userKey: UserKey, passwordWrapKey: PasswordWrapKey, orgId: string, userId: string): string {
  return wrapKey(passwordWrapKey, userKey, ad.wrappedUserKeyPw(orgId, userId));
}
