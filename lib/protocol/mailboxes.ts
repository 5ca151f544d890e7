// Mailboxes ("Postfächer", docs/SECURITY.md §3.10). Pure and isomorphic.
//
// A mailbox has its own X25519 key pair per key version. Its public half is
// certified by the organisation signing key together with the mailbox's id,
// name and version, so a partner who pinned the organisation (directory.ts)
// knows the key belongs to that mailbox of that organisation. Its private half
// is sealed to every member who may use the mailbox (and to the admins), each
// box signed by the member who sealed it. Removing someone makes a new version:
// what is sent afterwards is sealed to a key they never held.
import { generateX25519, openSealed, seal, sign, verify, x25519PublicFromPrivate } from '@/lib/crypto/asymmetric';
import type { AdContext } from '@/lib/crypto/ad';
import { equalBytes, fromB64u, toB64u } from '@/lib/crypto/encoding';
import { CryptoError, type Ed25519PrivateKey, type Ed25519PublicKey, type X25519PrivateKey, type X25519PublicKey } from '@/lib/crypto/types';
import { assertSealedBy, signSealedKey, statement, verifyMemberCert, type CertifiedKeys, type Sealer } from './signing';

export type MailboxKey = { orgId: string; mailboxId: string; name: string; version: number; publicKey: string };

const certStatement = (k: MailboxKey) => statement('konsil/v1/mailbox-cert', [k.orgId, k.mailboxId, k.name, String(k.version), k.publicKey]);

export function verifyMailboxCert(orgSignPublic: string | null, k: MailboxKey, cert: string | null | undefined): boolean {
  if (!orgSignPublic || !cert) return false;
  try {
    return verify(fromB64u(orgSignPublic) as Ed25519PublicKey, fromB64u(cert), certStatement(k));
  } catch {
    return false;
  }
}

/** A fresh key pair for a mailbox version, certified by the organisation. */
export function newMailboxKey(args: { orgSignPrivate: Ed25519PrivateKey; orgId: string; mailboxId: string; name: string; version: number }) {
  const pair = generateX25519();
  const key: MailboxKey = { orgId: args.orgId, mailboxId: args.mailboxId, name: args.name, version: args.version, publicKey: toB64u(pair.publicKey) };
  return { key, privateKey: pair.privateKey, cert: toB64u(sign(args.orgSignPrivate, certStatement(key))) };
}

export const mailboxGrantAd = (orgId: string, mailboxId: string, version: number, userId: string): AdContext => ({
  table: 'mailbox_key_grants',
  row: `${mailboxId}/${version}/${userId}`,
  org: orgId,
  field: 'sealed_private',
});

/**
 * Seals a mailbox private key to a member, signed by the sealer. Refuses
 * (member_keys_unproven) a member whose keys the organisation did not certify:
 * a key the server slipped in never receives a mailbox key.
 */
export function grantMailboxKey(args: {
  orgSignPublic: string;
  sealerEd25519Private: Ed25519PrivateKey;
  mailboxPrivate: X25519PrivateKey;
  orgId: string;
  mailboxId: string;
  version: number;
  member: CertifiedKeys & { memberCert: string | null };
}): { userId: string; sealedPrivate: string; signature: string } {
  const { member } = args;
  if (member.orgId !== args.orgId || !verifyMemberCert(args.orgSignPublic, member, member.memberCert)) {
    throw new CryptoError('member_keys_unproven', 'the member is not certified by the organisation');
  }
  const ad = mailboxGrantAd(args.orgId, args.mailboxId, args.version, member.userId);
  const sealedPrivate = seal(fromB64u(member.x25519Public) as X25519PublicKey, args.mailboxPrivate, ad);
  return { userId: member.userId, sealedPrivate, signature: signSealedKey(args.sealerEd25519Private, ad, sealedPrivate) };
}

/**
 * Opens this member's grant of a mailbox key: the sealer must be a certified
 * member who signed it, the public key must carry the organisation's
 * certificate for this mailbox, name and version, and the private key must
 * belong to it. Anything else is key_signature_invalid.
 */
export function openMailboxKey(args: {
  orgSignPublic: string;
  userId: string;
  x25519Private: X25519PrivateKey;
  key: MailboxKey;
  cert: string | null;
  sealedPrivate: string;
  signature: string | null;
  sealer: Sealer | null;
}): X25519PrivateKey {
  const { key } = args;
  if (!verifyMailboxCert(args.orgSignPublic, key, args.cert)) throw new CryptoError('key_signature_invalid', 'the mailbox key is not certified by the organisation');
  const ad = mailboxGrantAd(key.orgId, key.mailboxId, key.version, args.userId);
  assertSealedBy({ orgSignPublic: args.orgSignPublic, orgId: key.orgId, ad, sealed: args.sealedPrivate, signature: args.signature, sealer: args.sealer });
  let priv: X25519PrivateKey;
  try {
    priv = openSealed(args.x25519Private, args.sealedPrivate, ad) as X25519PrivateKey;
  } catch (cause) {
    throw new CryptoError('key_signature_invalid', 'the mailbox key does not open', { cause });
  }
  if (!equalBytes(x25519PublicFromPrivate(priv), fromB64u(key.publicKey))) throw new CryptoError('key_signature_invalid', 'the mailbox key is not the certified one');
  return priv;
}
