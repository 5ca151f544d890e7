import { z } from 'zod';
import { ZRegistrationContract } from '@/lib/validation/registration';
import { isValidShortName, isValidPlz, isValidEmail } from '@/lib/validation/rules';

// Wire formats of the key material. The server can check shapes only; it
// cannot open any of it.
export const ZB64u = z.string().regex(/^[A-Za-z0-9_-]+$/, 'bad_format');
const b64uBytes = (n: number) =>
  z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((n * 4) / 3)}}$`), 'bad_format');
export const ZKey32 = b64uBytes(32);
export const ZSalt = b64uBytes(16);
/** An Ed25519 signature (lib/protocol/signing.ts). */
export const ZSig64 = b64uBytes(64);
export const ZEnvelope = z
  .string()
  .max(200_000)
  .regex(/^v1\.[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{22,}$/, 'bad_format');
export const ZSealed = z
  .string()
  .max(10_000)
  .regex(/^s1\.[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{22,}$/, 'bad_format');
export const ZSpki = z.string().min(40).max(400).regex(/^[A-Za-z0-9_-]+$/, 'bad_format');
export const ZSignature = z.string().min(40).max(200).regex(/^[A-Za-z0-9_-]+$/, 'bad_format');

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
export const ZMac = b64uBytes(32);

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

/** What a device signs at login: bound to the challenge, the account and itself. */
export function loginSigningMessage(args: {
  purpose: 'login' | 'device';
  challenge: string;
  orgShortName: string;
  userShortName: string;
  deviceId: string;
}): string {
  return ['konsil-v1', args.purpose, args.challenge, args.orgShortName, args.userShortName, args.deviceId].join('\n');
}

export { isValidPlz };
