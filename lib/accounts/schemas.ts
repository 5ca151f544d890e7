import { z } from 'zod';
import { ZEnvelope, ZKey32, ZSalt, ZSealed, ZSig64, ZSignature, ZSpki } from '@/lib/protocol/wire';
import { ZRegistrationContract } from '@/lib/validation/registration';
import { isValidShortName, isValidPlz, isValidEmail } from '@/lib/validation/rules';

export const ZKdfParams = z
  .object({
    v: z.literal(2),
    alg: z.literal('argon2id'),
    m: z.number().int().max(1_048_576),
    t: z.number().int().min(1).max(10),
    p: z.number().int().min(1).max(4),
  })
  .refine((k) => (k.m >= 19456 && k.t >= 2) || (k.m >= 47104 && k.t >= 1), 'weak_kdf');

export const ZShortNameInput = z
  .string()
  .trim()
  .min(1, 'required')
  .max(60, 'tooLong')
  .refine((s) => isValidShortName(s), 'invalidShortName');

export const ZUserKeyMaterial = z.object({
  authKey: ZKey32,
  recoveryAuthKey: ZKey32,
  kdfParams: ZKdfParams,
  kdfSalt: ZSalt,
  masterKdfParams: ZKdfParams,
  masterKdfSalt: ZSalt,
  wrappedUserKeyPw: ZEnvelope,
  wrappedUserKeyMaster: ZEnvelope,
  x25519Public: ZKey32,
  ed25519Public: ZKey32,
  encX25519Private: ZEnvelope,
  encEd25519Private: ZEnvelope,
});
export type TUserKeyMaterial = z.infer<typeof ZUserKeyMaterial>;

export const ZDeviceRegistration = z.object({
  id: z.string().uuid(),
  name: z.string().trim().min(1, 'required').max(60, 'tooLong'),
  publicKey: ZSpki,
});

export const AVV_VERSION = '2026-11';

export const ZRegistrationRequest = z.object({
  orgId: z.string().uuid(),
  userId: z.string().uuid(),
  contract: ZRegistrationContract,
  user: ZUserKeyMaterial.extend({ sealedOrgKey: ZSealed, sealedOrgKeySig: ZSig64, memberCert: ZSig64, orgPin: ZEnvelope }),
  org: z.object({ publicKey: ZKey32, encPrivateKey: ZEnvelope, signPublic: ZKey32, encSignPrivate: ZEnvelope }),
  device: ZDeviceRegistration,
  avvVersion: z.literal(AVV_VERSION),
  locale: z.enum(['de', 'en']).default('de'),
});
export type TRegistrationRequest = z.infer<typeof ZRegistrationRequest>;

export const ZAccountRef = z.object({ orgShortName: ZShortNameInput, userShortName: ZShortNameInput });

export const ZLoginRequest = ZAccountRef.extend({
  authKey: ZKey32,
  challengeId: z.string().uuid(),
  deviceId: z.string().uuid(),
  signature: ZSignature,
});

export const ZDeviceRequest = ZAccountRef.extend({
  authKey: ZKey32,
  challengeId: z.string().uuid(),
  device: ZDeviceRegistration,
  signature: ZSignature,
});

export const ZRecoverVerify = ZAccountRef.extend({ recoveryAuthKey: ZKey32 });
export const ZRecoverComplete = ZRecoverVerify.extend({
  authKey: ZKey32,
  kdfParams: ZKdfParams,
  kdfSalt: ZSalt,
  wrappedUserKeyPw: ZEnvelope,
});

export const ZChangePassword = z.object({
  currentAuthKey: ZKey32,
  authKey: ZKey32,
  kdfParams: ZKdfParams,
  kdfSalt: ZSalt,
  wrappedUserKeyPw: ZEnvelope,
});

export const ZChangeMasterPassword = z.object({
  currentAuthKey: ZKey32,
  recoveryAuthKey: ZKey32,
  masterKdfParams: ZKdfParams,
  masterKdfSalt: ZSalt,
  wrappedUserKeyMaster: ZEnvelope,
});

/** An admin's browser gives a pending member orgKey: sealed, signed by the admin, the member's keys certified. */
export const ZMemberConfirm = z.object({ sealedOrgKey: ZSealed, sealedOrgKeySig: ZSig64, memberCert: ZSig64 });
export type TMemberConfirm = z.infer<typeof ZMemberConfirm>;

export const ZInvitationToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'bad_format');
export const ZMac = ZKey32;

export const ZInvitationCreate = z.object({
  role: z.enum(['admin', 'member']),
  label: z.string().trim().max(100, 'tooLong').optional(),
  email: z
    .string()
    .trim()
    .max(254)
    .refine((s) => s === '' || isValidEmail(s), 'invalidEmail')
    .optional(),
  locale: z.enum(['de', 'en']).default('de'),
  // Made in the admin's browser: the token (found by its hash), the secret under orgKey, the MAC over the organisation key.
  token: ZInvitationToken,
  secretEnc: ZEnvelope,
  introMac: ZMac,
});

export const ZInvitationAccept = z.object({
  token: ZInvitationToken,
  userId: z.string().uuid(),
  userShortName: ZShortNameInput,
  user: ZUserKeyMaterial.extend({ orgPin: ZEnvelope }),
  keyProof: ZMac,
  device: ZDeviceRegistration,
});

/** The live check of the registration wizard: is this organisation short name free? */
export const ZShortNameQuery = z.object({ name: z.string().max(100) });
export type TShortNameQuery = z.infer<typeof ZShortNameQuery>;

/** The token of the welcome mail's link that confirms the organisation's address. */
export const ZConfirmEmail = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'bad_format') });
export type TConfirmEmail = z.infer<typeof ZConfirmEmail>;

/** The password's authKey, to open a locked session again. */
export const ZUnlock = z.object({ authKey: ZKey32 });
export type TUnlock = z.infer<typeof ZUnlock>;

export { isValidPlz };
