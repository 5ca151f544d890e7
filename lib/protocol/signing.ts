// Who made a key (docs/SECURITY.md §3.6b). Pure and isomorphic.
//
// The organisation signing key is an Ed25519 pair made at registration. Its
// private half is kept under orgKey, so only members can sign for the
// organisation; its public half is pinned by every member together with the
// organisation key (trust.ts), so the server can neither swap nor drop it.
//
// With it an admin's browser certifies a member's public keys when it
// confirms them (after checking the invitation's proof): the member
// certificate. From then on any member can trust another member's keys
// without asking the server.
//
// Every key sealed to someone is signed by the member who sealed it, with
// their own Ed25519 key. A recipient opens a sealed key only if the signature
// verifies under a sealer whose certificate verifies under the pinned
// organisation signing key: a key the server sealed itself — or one it
// attributes to someone else — is refused before it is used.
import { ed25519PublicFromPrivate, generateEd25519, sign, verify } from '@/lib/crypto/asymmetric';
import { encodeAd, type AdContext } from '@/lib/crypto/ad';
import { equalBytes, fromB64u, toB64u, utf8Encode } from '@/lib/crypto/encoding';
import { unwrapKey, wrapKey } from '@/lib/crypto/envelope';
import { CryptoError, type Ed25519PrivateKey, type Ed25519PublicKey, type OrgKey } from '@/lib/crypto/types';

export const orgSignPrivateAd = (orgId: string): AdContext => ({ table: 'organisations', row: orgId, org: orgId, field: 'enc_sign_private' });

/** Length-prefixed parts under a label, so no two different statements encode alike (also for hashes elsewhere in the protocol). */
export function statement(label: string, parts: (string | Uint8Array)[]): Uint8Array {
  const bytes = [utf8Encode(label), ...parts.map((p) => (typeof p === 'string' ? utf8Encode(p) : p))];
  const out = new Uint8Array(bytes.reduce((n, b) => n + 4 + b.length, 0));
  const view = new DataView(out.buffer);
  let o = 0;
  for (const b of bytes) {
    view.setUint32(o, b.length);
    out.set(b, o + 4);
    o += 4 + b.length;
  }
  return out;
}

function pub(b64u: string): Ed25519PublicKey | null {
  try {
    const k = fromB64u(b64u);
    return k.length === 32 ? (k as Ed25519PublicKey) : null;
  } catch {
    return null;
  }
}

function sigOk(publicKey: string, signature: string | null | undefined, msg: Uint8Array): boolean {
  const k = pub(publicKey);
  if (!k || !signature) return false;
  try {
    return verify(k, fromB64u(signature), msg);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// The organisation signing key

export function createOrgSigningKey(orgKey: OrgKey, orgId: string) {
  const pair = generateEd25519();
  return { signPrivate: pair.privateKey, signPublic: toB64u(pair.publicKey), encSignPrivate: wrapKey(orgKey, pair.privateKey, orgSignPrivateAd(orgId)) };
}

/** Opens the signing key under orgKey; refuses ('org_key_changed') unless it belongs to the pinned public key. */
export function openOrgSigningKey(orgKey: OrgKey, orgId: string, encSignPrivate: string | null, pinnedSignPublic: string): Ed25519PrivateKey {
  let priv: Ed25519PrivateKey;
  try {
    if (!encSignPrivate) throw new Error('missing');
    priv = unwrapKey<Ed25519PrivateKey>(orgKey, encSignPrivate, orgSignPrivateAd(orgId));
  } catch (cause) {
    throw new CryptoError('org_key_changed', 'the organisation signing key does not open', { cause });
  }
  if (!equalBytes(ed25519PublicFromPrivate(priv), fromB64u(pinnedSignPublic))) {
    throw new CryptoError('org_key_changed', 'the organisation signing key is not the pinned one');
  }
  return priv;
}

// ---------------------------------------------------------------------------
// Member certificates

export type CertifiedKeys = { orgId: string; userId: string; x25519Public: string; ed25519Public: string };

const certStatement = (m: CertifiedKeys) => statement('konsil/v1/member-cert', [m.orgId, m.userId, m.x25519Public, m.ed25519Public]);

/** An admin's browser, after the invitation's proof (or the owner at registration): these are this member's keys. */
export function issueMemberCert(orgSignPrivate: Ed25519PrivateKey, m: CertifiedKeys): string {
  return toB64u(sign(orgSignPrivate, certStatement(m)));
}

export function verifyMemberCert(orgSignPublic: string, m: CertifiedKeys, cert: string | null | undefined): boolean {
  return sigOk(orgSignPublic, cert, certStatement(m));
}

// ---------------------------------------------------------------------------
// Signed sealed keys

/** The sealer's signature over a sealed box and where it lives (its associated data names table, row, organisation and field). */
const sealedStatement = (ad: AdContext, sealed: string) => statement('konsil/v1/sealed-key', [encodeAd(ad), sealed]);

export function signSealedKey(sealerEd25519Private: Ed25519PrivateKey, ad: AdContext, sealed: string): string {
  return toB64u(sign(sealerEd25519Private, sealedStatement(ad, sealed)));
}

export type Sealer = CertifiedKeys & { memberCert: string | null };

/**
 * Throws 'key_signature_invalid' unless the sealed box carries a signature of
 * a sealer whose keys the organisation certified (under the pinned signing key).
 */
export function assertSealedBy(args: { orgSignPublic: string; orgId: string; ad: AdContext; sealed: string; signature: string | null | undefined; sealer: Sealer | null | undefined }): void {
  const { sealer } = args;
  if (!sealer || sealer.orgId !== args.orgId) throw new CryptoError('key_signature_invalid', 'no sealer of this organisation');
  if (!verifyMemberCert(args.orgSignPublic, sealer, sealer.memberCert)) throw new CryptoError('key_signature_invalid', 'the sealer is not certified by the organisation');
  if (!sigOk(sealer.ed25519Public, args.signature, sealedStatement(args.ad, args.sealed))) throw new CryptoError('key_signature_invalid', 'the sealed key is not signed by its sealer');
}
