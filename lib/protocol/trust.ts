// What a browser trusts without trusting the server (docs/SECURITY.md §8.1):
//
// The organisation pin. Each user keeps, under their own userKey (which only
// their password or master password opens), the organisation's id and public
// key. orgKey is accepted only if it opens the organisation private key that
// belongs to the pinned public key: a server that seals an orgKey′ of its own
// choosing to a member cannot also produce the private key of the real
// organisation key pair, so the swap is seen at the next unlock.
//
// The invitation secret. An invitation link carries, in its fragment, a
// secret the server never sees. The inviting admin's browser authenticates
// the organisation's public key to the invitee with it (so the invitee pins
// the real one), and the invitee's browser proves its own public keys with it
// (so the confirming admin seals orgKey to the invitee, not to the server).
// The admin's browser keeps the secret under orgKey for whichever admin
// confirms.
//
// Pure and isomorphic: runs in the browser and in tests.
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { decryptJson, decryptText, encryptJson, encryptText, type AdContext } from '@/lib/crypto/envelope';
import { equalBytes, fromB64u, toB64u, utf8Encode } from '@/lib/crypto/encoding';
import { randomBytes } from '@/lib/crypto/random';
import { CryptoError, type OrgKey, type UserKey } from '@/lib/crypto/types';

// ---------------------------------------------------------------------------
// The organisation pin
// ---------------------------------------------------------------------------

/** orgSignPublic: the organisation signing key (signing.ts); absent only for organisations registered before it existed. */
export type OrgPin = { v: 1; orgId: string; orgPublicKey: string; orgSignPublic?: string };

export const pinAd = (orgId: string, userId: string): AdContext => ({ table: 'users', row: userId, org: orgId, field: 'org_pin' });

export function sealOrgPin(userKey: UserKey, pin: { orgId: string; userId: string; orgPublicKey: string; orgSignPublic?: string | null }): string {
  const value: OrgPin = { v: 1, orgId: pin.orgId, orgPublicKey: pin.orgPublicKey, ...(pin.orgSignPublic ? { orgSignPublic: pin.orgSignPublic } : {}) };
  return encryptJson(userKey, value, pinAd(pin.orgId, pin.userId));
}

/**
 * Opens the pin; a missing, altered or foreign one is a changed organisation
 * key as far as the user is concerned: nothing is to be trusted.
 */
export function openOrgPin(userKey: UserKey, env: string | null | undefined, orgId: string, userId: string): OrgPin {
  if (!env) throw new CryptoError('org_key_changed', 'no organisation pin');
  let pin: OrgPin;
  try {
    pin = decryptJson<OrgPin>(userKey, env, pinAd(orgId, userId));
  } catch (cause) {
    throw new CryptoError('org_key_changed', 'organisation pin does not open', { cause });
  }
  if (pin?.v !== 1 || pin.orgId !== orgId || typeof pin.orgPublicKey !== 'string' || (pin.orgSignPublic !== undefined && typeof pin.orgSignPublic !== 'string')) throw new CryptoError('org_key_changed', 'organisation pin is malformed');
  return pin;
}

// ---------------------------------------------------------------------------
// The invitation secret
// ---------------------------------------------------------------------------

/** Secrets use the access codes' alphabet (no 0/O/1/I), so one read out on the phone is typed right. */
const SECRET_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const SECRET_LENGTH = 25; // 25 × 5 bits = 125 bits

/** A fresh secret, grouped "ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2". */
export function newInvitationSecret(): string {
  // 256 is a multiple of 32, so the low five bits are uniform.
  const s = Array.from(randomBytes(SECRET_LENGTH), (b) => SECRET_ALPHABET[b & 31]).join('');
  return s.match(/.{5}/g)!.join('-');
}

/** Reads a secret as typed (any case, spaces and dashes anywhere); the grouped form, or null. */
export function parseInvitationSecret(s: string): string | null {
  const t = s.toUpperCase().replace(/[\s-]/g, '');
  if (t.length !== SECRET_LENGTH || [...t].some((c) => !SECRET_ALPHABET.includes(c))) return null;
  return t.match(/.{5}/g)!.join('-');
}

/** The invitation link: token (the server finds the invitation by its hash) and, if handed over with it, the secret. */
export function invitationLink(base: string, token: string, secret?: string): string {
  return `${base}/invite#${secret ? `${token}.${secret}` : token}`;
}

export function parseInvitationFragment(fragment: string): { token: string; secret: string | null } {
  const [token = '', secret = ''] = decodeURIComponent(fragment.replace(/^#/, '')).split('.');
  return { token, secret: secret ? parseInvitationSecret(secret) : null };
}

function macKey(secret: string, invitationTokenHash: string): Uint8Array {
  const canonical = parseInvitationSecret(secret);
  if (!canonical) throw new CryptoError('bad_params', 'not an invitation secret');
  return hkdf(sha256, utf8Encode(canonical), utf8Encode(invitationTokenHash), utf8Encode('konsil/v1 invitation mac'), 32);
}

function mac(key: Uint8Array, parts: string[]): string {
  return toB64u(hmac(sha256, key, utf8Encode(parts.join('\u0000'))));
}

function macEquals(a: string, b: string): boolean {
  try {
    return equalBytes(fromB64u(a), fromB64u(b));
  } catch {
    return false;
  }
}

type OrgIntro = { orgId: string; orgPublicKey: string; orgSignPublic?: string | null };

/** By the inviting admin: vouches for the organisation's public keys to whoever holds the secret. */
export function introMac(secret: string, tokenHash: string, org: OrgIntro): string {
  return mac(macKey(secret, tokenHash), ['org-intro', org.orgId, org.orgPublicKey, ...(org.orgSignPublic ? ['sign', org.orgSignPublic] : [])]);
}

export function verifyIntro(secret: string, tokenHash: string, org: OrgIntro, tag: string): boolean {
  return macEquals(introMac(secret, tokenHash, org), tag);
}

export type MemberKeys = { orgId: string; userId: string; x25519Public: string; ed25519Public: string };

/** By the invitee: proves that these public keys are theirs, to whoever holds the secret. */
export function memberKeyProof(secret: string, tokenHash: string, m: MemberKeys): string {
  return mac(macKey(secret, tokenHash), ['member-keys', m.orgId, m.userId, m.x25519Public, m.ed25519Public]);
}

/** By the confirming admin, before sealing orgKey: throws unless the served keys carry the invitee's proof. */
export function assertMemberKeysProven(secret: string, tokenHash: string, m: MemberKeys, proof: string | null | undefined): void {
  if (!proof || !macEquals(memberKeyProof(secret, tokenHash, m), proof)) {
    throw new CryptoError('member_keys_unproven', 'the member keys do not carry the invitation proof');
  }
}

export const invitationSecretAd = (orgId: string, tokenHash: string): AdContext => ({ table: 'invitations', row: tokenHash, org: orgId, field: 'secret' });

/** The secret kept under orgKey, so any admin can check the invitee's proof later. */
export function sealInvitationSecret(orgKey: OrgKey, orgId: string, tokenHash: string, secret: string): string {
  return encryptText(orgKey, secret, invitationSecretAd(orgId, tokenHash));
}

export function openInvitationSecret(orgKey: OrgKey, orgId: string, tokenHash: string, env: string): string {
  return decryptText(orgKey, env, invitationSecretAd(orgId, tokenHash));
}

/** SHA-256 of the token, hex: how the server names the invitation, and what binds the MACs to it. */
export function invitationTokenHash(token: string): string {
  return Array.from(sha256(utf8Encode(token)), (b) => b.toString(16).padStart(2, '0')).join('');
}

// ---------------------------------------------------------------------------
// The two browsers' steps
// ---------------------------------------------------------------------------

/** The inviting admin: a token for the link, the secret, and what the server keeps of them. */
export function prepareInvitation(args: { orgKey: OrgKey; orgId: string; orgPublicKey: string; orgSignPublic?: string | null }) {
  const token = toB64u(randomBytes(32));
  const secret = newInvitationSecret();
  const tokenHash = invitationTokenHash(token);
  return {
    token,
    secret,
    secretEnc: sealInvitationSecret(args.orgKey, args.orgId, tokenHash, secret),
    introMac: introMac(secret, tokenHash, { orgId: args.orgId, orgPublicKey: args.orgPublicKey, orgSignPublic: args.orgSignPublic }),
  };
}

/**
 * The invitee: checks the organisation key the server served against the
 * inviting admin's MAC (throws 'org_key_changed' if it was swapped), pins it,
 * and proves the invitee's own keys.
 */
export function acceptInvitationKeys(args: {
  token: string;
  secret: string;
  served: { orgId: string; orgPublicKey: string; orgSignPublic?: string | null; introMac: string | null };
  userId: string;
  userKey: UserKey;
  x25519Public: string;
  ed25519Public: string;
}): { orgPin: string; keyProof: string } {
  const tokenHash = invitationTokenHash(args.token);
  const { orgId, orgPublicKey, orgSignPublic } = args.served;
  if (!args.served.introMac || !verifyIntro(args.secret, tokenHash, { orgId, orgPublicKey, orgSignPublic }, args.served.introMac)) {
    throw new CryptoError('org_key_changed', 'the organisation key does not carry the inviting admin\'s MAC');
  }
  return {
    orgPin: sealOrgPin(args.userKey, { orgId, userId: args.userId, orgPublicKey, orgSignPublic }),
    keyProof: memberKeyProof(args.secret, tokenHash, { orgId, userId: args.userId, x25519Public: args.x25519Public, ed25519Public: args.ed25519Public }),
  };
}

/** The confirming admin: the invitee's keys as served must carry the proof made with the secret kept under orgKey. */
export function checkPendingMember(
  orgKey: OrgKey,
  orgId: string,
  m: { id: string; x25519Public: string; ed25519Public: string; invitation: { tokenHash: string; secretEnc: string | null; keyProof: string | null } | null },
): void {
  if (!m.invitation?.secretEnc) throw new CryptoError('member_keys_unproven', 'no invitation secret for this member');
  let secret: string;
  try {
    secret = openInvitationSecret(orgKey, orgId, m.invitation.tokenHash, m.invitation.secretEnc);
  } catch (cause) {
    throw new CryptoError('member_keys_unproven', 'the invitation secret does not open', { cause });
  }
  assertMemberKeysProven(secret, m.invitation.tokenHash, { orgId, userId: m.id, x25519Public: m.x25519Public, ed25519Public: m.ed25519Public }, m.invitation.keyProof);
}
