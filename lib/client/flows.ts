// Browser flows that combine the protocol with our routes. Passwords and
// derived keys stay in this tab; the server gets authKeys and ciphertext.
import { partnerFingerprint } from '@/lib/protocol/directory';
import { api, ApiError, type Json } from './api';
import { createDevice, getDevice, saveDevice, signWithDevice, type DeviceEntry } from './device-store';
import { setKeys } from './key-store';
import {
  createOrgKeys,
  createUserKeyMaterial,
  deriveMasterSecrets,
  derivePasswordSecrets,
  newMasterSecrets,
  newPasswordSecrets,
  openBundleWithUserKey,
  rewrapUserKey,
  rewrapUserKeyForMaster,
  grantOrgKey,
  unwrapUserKeyWithMaster,
  unwrapUserKeyWithPassword,
  type AccountRef,
  type KeyBundle,
} from '@/lib/protocol/account';
import { AVV_VERSION } from '@/lib/accounts/schemas';
import { loginSigningMessage } from '@/lib/protocol/login';
import { normalizeShortName } from '@/lib/validation/rules';
import type { TRegistrationContractInput } from '@/lib/validation/registration';
import type { PreloginAnswer, RecoverParamsAnswer, RecoverVerifyAnswer } from '@/lib/accounts/service';
import type { CreatedInvitation, InvitationInfo as ServedInvitation } from '@/lib/members/service';
import { toB64u } from '@/lib/crypto/encoding';
import { ed25519PublicFromPrivate, x25519PublicFromPrivate } from '@/lib/crypto/asymmetric';
import { CryptoError, type Ed25519PrivateKey, type OrgKey, type X25519PrivateKey } from '@/lib/crypto/types';
import { acceptInvitationKeys, invitationLink, prepareInvitation, sealOrgPin } from '@/lib/protocol/trust';
import { randomBytes } from '@/lib/crypto/random';

type Progress = (f: number) => void;

async function prelogin(orgShortName: string, userShortName: string) {
  return api<Json<PreloginAnswer>>('/api/session/prelogin', { body: { orgShortName, userShortName } });
}

async function signedLogin(orgShortName: string, userShortName: string, authKey: string, device: DeviceEntry | null) {
  const pre = await prelogin(orgShortName, userShortName);
  // Without a device of our own we still ask, so that a wrong password is
  // reported as such before the device question comes up.
  const deviceId = device?.deviceId ?? crypto.randomUUID();
  const signature = device
    ? await signWithDevice(
        device,
        loginSigningMessage({
          purpose: 'login',
          challenge: pre.challenge,
          orgShortName: normalizeShortName(orgShortName),
          userShortName: normalizeShortName(userShortName),
          deviceId,
        }),
      )
    : toB64u(randomBytes(64));
  await api('/api/session/login', { body: { orgShortName, userShortName, authKey, challengeId: pre.challengeId, deviceId, signature } });
}

async function fetchBundle(): Promise<KeyBundle> {
  return api<KeyBundle>('/api/keys');
}

export async function registerFlow(args: {
  contract: TRegistrationContractInput;
  password: string;
  masterPassword: string;
  locale: 'de' | 'en';
  onProgress?: Progress;
}): Promise<void> {
  const orgId = crypto.randomUUID();
  const userId = crypto.randomUUID();
  const { material, keys } = await createUserKeyMaterial({
    orgId,
    userId,
    account: { orgShortName: args.contract.orgShortName, userShortName: args.contract.userShortName },
    password: args.password,
    masterPassword: args.masterPassword,
    onProgress: args.onProgress,
  });
  const org = createOrgKeys(orgId);
  // The owner gives orgKey to themself: sealed, signed, and their keys certified by the new organisation signing key.
  const grant = grantOrgKey({
    orgKey: org.orgKey,
    orgId,
    orgSignPrivate: org.orgSignPrivate,
    sealerEd25519Private: keys.ed25519Private,
    member: { userId, x25519Public: material.x25519Public, ed25519Public: material.ed25519Public },
  });
  // The organisation keys this user will trust from now on, under their own userKey.
  const orgPin = sealOrgPin(keys.userKey, { orgId, userId, orgPublicKey: org.payload.publicKey, orgSignPublic: org.payload.signPublic });
  const device = await createDevice(args.contract.deviceName);
  await api('/api/register', {
    body: {
      orgId,
      userId,
      contract: args.contract,
      user: { ...material, ...grant, orgPin },
      org: org.payload,
      device: { id: device.deviceId, name: device.name, publicKey: device.publicKey },
      avvVersion: AVV_VERSION,
      locale: args.locale,
    },
  });
  await saveDevice(args.contract.orgShortName, args.contract.userShortName, device);
  await signedLogin(args.contract.orgShortName, args.contract.userShortName, material.authKey, device);
  setKeys({ ...keys, orgKey: org.orgKey, orgPrivateKey: org.orgPrivateKey, orgSignPrivate: org.orgSignPrivate });
}

export type LoginOutcome =
  | { status: 'ok' }
  | { status: 'device_needed' | 'device_pending' | 'device_revoked' | 'member_pending'; authKey: string };

export async function loginFlow(args: { orgShortName: string; userShortName: string; password: string; onProgress?: Progress }): Promise<LoginOutcome> {
  const { orgShortName, userShortName } = args;
  const pre = await prelogin(orgShortName, userShortName);
  // Bound to the names typed here, not to anything the server says.
  const secrets = await derivePasswordSecrets(args.password, pre.kdfParams, pre.kdfSalt, { orgShortName, userShortName }, args.onProgress);
  const device = await getDevice(orgShortName, userShortName);
  try {
    await signedLogin(orgShortName, userShortName, secrets.authKey, device);
  } catch (e) {
    if (e instanceof ApiError) {
      if (e.code === 'device_unknown') return { status: 'device_needed', authKey: secrets.authKey };
      if (e.code === 'device_not_approved') return { status: 'device_pending', authKey: secrets.authKey };
      if (e.code === 'device_revoked') return { status: 'device_revoked', authKey: secrets.authKey };
      if (e.code === 'member_pending') return { status: 'member_pending', authKey: secrets.authKey };
    }
    throw e;
  }
  const bundle = await fetchBundle();
  const userKey = unwrapUserKeyWithPassword(bundle, secrets.passwordWrapKey);
  setKeys(openBundleWithUserKey(bundle, userKey));
  return { status: 'ok' };
}

export async function requestDeviceFlow(args: { orgShortName: string; userShortName: string; authKey: string; deviceName: string }) {
  const device = await createDevice(args.deviceName);
  const pre = await prelogin(args.orgShortName, args.userShortName);
  const signature = await signWithDevice(
    device,
    loginSigningMessage({
      purpose: 'device',
      challenge: pre.challenge,
      orgShortName: normalizeShortName(args.orgShortName),
      userShortName: normalizeShortName(args.userShortName),
      deviceId: device.deviceId,
    }),
  );
  await api('/api/devices/request', {
    body: {
      orgShortName: args.orgShortName,
      userShortName: args.userShortName,
      authKey: args.authKey,
      challengeId: pre.challengeId,
      device: { id: device.deviceId, name: device.name, publicKey: device.publicKey },
      signature,
    },
  });
  await saveDevice(args.orgShortName, args.userShortName, device);
}

/** After a reload the session may still be valid while the keys are gone. */
export async function unlockFlow(password: string, onProgress?: Progress): Promise<void> {
  const bundle = await fetchBundle();
  const secrets = await derivePasswordSecrets(password, bundle.kdfParams, bundle.kdfSalt, await localAccount(bundle), onProgress);
  const userKey = unwrapUserKeyWithPassword(bundle, secrets.passwordWrapKey);
  const keys = openBundleWithUserKey(bundle, userKey);
  // The server lifts the session's lock only for the password.
  await api('/api/session/unlock', { body: { authKey: secrets.authKey } });
  setKeys(keys);
}

export async function recoverFlow(args: {
  orgShortName: string;
  userShortName: string;
  masterPassword: string;
  newPassword: string;
  onProgress?: Progress;
}): Promise<void> {
  const ref = { orgShortName: args.orgShortName, userShortName: args.userShortName };
  const params = await api<Json<RecoverParamsAnswer>>('/api/recover/params', { body: ref });
  const master = await deriveMasterSecrets(args.masterPassword, params.masterKdfParams, params.masterKdfSalt, ref, (f) => args.onProgress?.(f / 2));
  const v = await api<Json<RecoverVerifyAnswer>>('/api/recover/verify', {
    body: { ...ref, recoveryAuthKey: master.recoveryAuthKey },
  });
  const userKey = unwrapUserKeyWithMaster(v, master.masterWrapKey);
  const pw = await newPasswordSecrets(args.newPassword, ref, (f) => args.onProgress?.(0.5 + f / 2));
  await api('/api/recover/complete', {
    body: {
      ...ref,
      recoveryAuthKey: master.recoveryAuthKey,
      authKey: pw.authKey,
      kdfParams: pw.kdfParams,
      kdfSalt: pw.kdfSalt,
      wrappedUserKeyPw: rewrapUserKey(userKey, pw.passwordWrapKey, v.orgId, v.userId),
    },
  });
  userKey.fill(0);
}

export type InvitationInfo = Json<ServedInvitation>;

export async function acceptInvitationFlow(args: {
  token: string;
  /** The invitation secret, from the link's fragment or typed in. */
  secret: string;
  info: InvitationInfo;
  userShortName: string;
  password: string;
  masterPassword: string;
  deviceName: string;
  onProgress?: Progress;
}): Promise<{ x25519Public: string; orgFingerprint: string }> {
  const userId = crypto.randomUUID();
  const { material, keys } = await createUserKeyMaterial({
    orgId: args.info.orgId,
    userId,
    // The organisation's short name as the invitation names it: the salts are fresh ones this browser draws.
    account: { orgShortName: args.info.orgShortName, userShortName: args.userShortName },
    password: args.password,
    masterPassword: args.masterPassword,
    onProgress: args.onProgress,
  });
  // Refuses (org_key_changed) unless the inviting admin vouched for this organisation key.
  const trust = acceptInvitationKeys({
    token: args.token,
    secret: args.secret,
    served: args.info,
    userId,
    userKey: keys.userKey,
    x25519Public: material.x25519Public,
    ed25519Public: material.ed25519Public,
  });
  const device = await createDevice(args.deviceName);
  await api('/api/invitations/accept', {
    body: {
      token: args.token,
      userId,
      userShortName: args.userShortName,
      user: { ...material, orgPin: trust.orgPin },
      keyProof: trust.keyProof,
      device: { id: device.deviceId, name: device.name, publicKey: device.publicKey },
    },
  });
  await saveDevice(args.info.orgShortName, args.userShortName, device);
  // The fingerprint partners and the inviting admin see for the organisation (lib/protocol/directory.ts).
  return { x25519Public: material.x25519Public, orgFingerprint: partnerFingerprint({ orgId: args.info.orgId, publicKey: args.info.orgPublicKey, signPublic: args.info.orgSignPublic }) };
}

/** An admin's browser: a new invitation whose secret the server never sees; the link carries it unless Konsil e-mails the link. */
export async function createInvitationFlow(args: {
  orgKey: OrgKey;
  orgPrivateKey: X25519PrivateKey;
  orgSignPrivate: Ed25519PrivateKey | null;
  orgId: string;
  input: { role: string; label: string; email: string; locale: 'de' | 'en' };
}): Promise<{ link: string; secret: string; emailed: boolean; expiresInDays: number }> {
  // The admin vouches for the key pair its own unlock verified against its pin, not for what the server serves.
  const orgPublicKey = toB64u(x25519PublicFromPrivate(args.orgPrivateKey));
  const orgSignPublic = args.orgSignPrivate ? toB64u(ed25519PublicFromPrivate(args.orgSignPrivate)) : null;
  const prepared = prepareInvitation({ orgKey: args.orgKey, orgId: args.orgId, orgPublicKey, orgSignPublic });
  const r = await api<Json<CreatedInvitation>>('/api/members/invitations', {
    body: { ...args.input, token: prepared.token, secretEnc: prepared.secretEnc, introMac: prepared.introMac },
  });
  const base = window.location.origin;
  return {
    link: invitationLink(base, prepared.token, r.emailed ? undefined : prepared.secret),
    secret: prepared.secret,
    emailed: r.emailed,
    expiresInDays: r.expiresInDays,
  };
}

/** Proves the current password locally (it must open userKey) before the server sees anything. */
async function currentSecrets(currentPassword: string, onProgress?: Progress) {
  const bundle = await fetchBundle();
  const account = await localAccount(bundle);
  const secrets = await derivePasswordSecrets(currentPassword, bundle.kdfParams, bundle.kdfSalt, account, onProgress);
  const userKey = unwrapUserKeyWithPassword(bundle, secrets.passwordWrapKey);
  return { bundle, account, secrets, userKey };
}

/**
 * The signed-in account's names for the KDF. They come with the bundle, so
 * they are used only if this browser holds a device key for that account (a
 * server cannot put one here): a server serving everyone the same names gets
 * nothing from it.
 */
async function localAccount(bundle: KeyBundle): Promise<AccountRef> {
  const account = { orgShortName: bundle.orgShortName, userShortName: bundle.userShortName };
  if (!(await getDevice(account.orgShortName, account.userShortName))) throw new CryptoError('account_not_on_device', 'no device of this browser for the served account');
  return account;
}

/** Both changes: the current password proves the user (first half of the progress), then the new secret is derived (second half). */
async function withCurrentSecrets<T>(currentPassword: string, onProgress: Progress | undefined, derive: (account: AccountRef, progress: Progress) => Promise<T>) {
  const current = await currentSecrets(currentPassword, (f) => onProgress?.(f / 2));
  return { ...current, next: await derive(current.account, (f) => onProgress?.(0.5 + f / 2)) };
}

export async function changePasswordFlow(args: { currentPassword: string; newPassword: string; onProgress?: Progress }) {
  const { bundle, secrets, userKey, next } = await withCurrentSecrets(args.currentPassword, args.onProgress, (account, p) => newPasswordSecrets(args.newPassword, account, p));
  await api('/api/account/password', {
    body: {
      currentAuthKey: secrets.authKey,
      authKey: next.authKey,
      kdfParams: next.kdfParams,
      kdfSalt: next.kdfSalt,
      wrappedUserKeyPw: rewrapUserKey(userKey, next.passwordWrapKey, bundle.orgId, bundle.userId),
    },
  });
}

export async function changeMasterPasswordFlow(args: { currentPassword: string; newMasterPassword: string; onProgress?: Progress }) {
  const { bundle, secrets, userKey, next: master } = await withCurrentSecrets(args.currentPassword, args.onProgress, (account, p) => newMasterSecrets(args.newMasterPassword, account, p));
  await api('/api/account/master-password', {
    body: {
      currentAuthKey: secrets.authKey,
      recoveryAuthKey: master.recoveryAuthKey,
      masterKdfParams: master.masterKdfParams,
      masterKdfSalt: master.masterKdfSalt,
      wrappedUserKeyMaster: rewrapUserKeyForMaster(userKey, master.masterWrapKey, bundle.orgId, bundle.userId),
    },
  });
}
