// The browser's side of mailboxes (lib/protocol/mailboxes.ts): opening the
// keys this member was given, and — in an admin's browser — making mailboxes,
// handing their keys to members and making a new key when someone leaves.
import { ed25519PublicFromPrivate } from '@/lib/crypto/asymmetric';
import { toB64u } from '@/lib/crypto/encoding';
import { CryptoError, type X25519PrivateKey } from '@/lib/crypto/types';
import type { UnlockedKeys } from '@/lib/protocol/account';
import { grantMailboxKey, newMailboxKey, openMailboxKey } from '@/lib/protocol/mailboxes';
import type { TMailboxView } from '@/lib/mailboxes/service';
import type { MemberRow } from '@/lib/members/service';
import { api, ApiError, type Json } from './api';

export type MailboxView = Json<TMailboxView>;
export type Member = Json<MemberRow>;
export type OpenedMailbox = { view: MailboxView; privateKeys: Map<number, X25519PrivateKey> };

function signing(keys: UnlockedKeys) {
  if (!keys.orgSignPrivate) throw new CryptoError('key_signature_invalid', 'the organisation signing key is not held');
  return { orgSignPrivate: keys.orgSignPrivate, orgSignPublic: toB64u(ed25519PublicFromPrivate(keys.orgSignPrivate)) };
}

export const loadMailboxes = () => api<{ mailboxes: MailboxView[] }>('/api/mailboxes').then((r) => r.mailboxes);

/** Opens every key version this member holds of a mailbox; refuses (key_signature_invalid) what the organisation did not certify or no member signed. */
export function openMailbox(keys: UnlockedKeys, view: MailboxView): OpenedMailbox {
  const { orgSignPublic } = signing(keys);
  const privateKeys = new Map<number, X25519PrivateKey>();
  for (const g of view.grants) {
    const k = view.keys.find((x) => x.version === g.version);
    if (!k) continue;
    privateKeys.set(
      g.version,
      openMailboxKey({
        orgSignPublic,
        userId: keys.userId,
        x25519Private: keys.x25519Private,
        key: { orgId: keys.orgId, mailboxId: view.id, name: view.name, version: k.version, publicKey: k.publicKey },
        cert: k.cert,
        sealedPrivate: g.sealedPrivate,
        signature: g.signature,
        sealer: g.sealer,
      }),
    );
  }
  return { view, privateKeys };
}

/** Members who can be handed a key: active and certified by the organisation. */
export const certifiedMembers = (members: Member[]) => members.filter((x) => x.status === 'active' && x.memberCert);
const admins = (members: Member[]) => certifiedMembers(members).filter((x) => x.role !== 'member');

function grantsFor(keys: UnlockedKeys, mailboxId: string, version: number, priv: X25519PrivateKey, to: Member[]) {
  const { orgSignPublic } = signing(keys);
  return to.map((member) => ({
    version,
    ...grantMailboxKey({
      orgSignPublic,
      sealerEd25519Private: keys.ed25519Private,
      mailboxPrivate: priv,
      orgId: keys.orgId,
      mailboxId,
      version,
      member: { orgId: keys.orgId, userId: member.id, x25519Public: member.x25519Public, ed25519Public: member.ed25519Public, memberCert: member.memberCert },
    }),
  }));
}

/** A new mailbox: its first key, certified by the organisation and sealed to the chosen members and every admin. */
export async function createMailbox(keys: UnlockedKeys, args: { name: string; isMain: boolean; memberIds: string[]; members: Member[] }) {
  const { orgSignPrivate } = signing(keys);
  const id = crypto.randomUUID();
  const made = newMailboxKey({ orgSignPrivate, orgId: keys.orgId, mailboxId: id, name: args.name.trim(), version: 1 });
  const chosen = new Set([...args.memberIds, ...admins(args.members).map((a) => a.id), keys.userId]);
  const to = certifiedMembers(args.members).filter((x) => chosen.has(x.id));
  await api('/api/mailboxes', {
    body: {
      id,
      name: args.name.trim(),
      isMain: args.isMain,
      members: to.map((x) => x.id),
      key: { version: 1, publicKey: made.key.publicKey, cert: made.cert },
      grants: grantsFor(keys, id, 1, made.privateKey, to),
    },
  });
}

/**
 * Sets who may use a mailbox. Newcomers get every key version; if anyone
 * loses access (or a member left the organisation) a new version is made and
 * sealed to everyone who keeps it, so what comes after is closed to them.
 */
export async function setMailboxAccess(keys: UnlockedKeys, opened: OpenedMailbox, memberIds: string[], members: Member[]) {
  const { view } = opened;
  const chosen = new Set([...memberIds, ...admins(members).map((a) => a.id), keys.userId]);
  const to = certifiedMembers(members).filter((x) => chosen.has(x.id));
  const before = new Set(view.members);
  const cutOff = view.rekeyNeeded || view.members.some((u) => !chosen.has(u));
  const grants = [];
  for (const [version, priv] of opened.privateKeys) grants.push(...grantsFor(keys, view.id, version, priv, to.filter((x) => !before.has(x.id))));
  let newKey: { version: number; publicKey: string; cert: string } | undefined;
  if (cutOff) {
    const version = view.keyVersion + 1;
    const made = newMailboxKey({ orgSignPrivate: signing(keys).orgSignPrivate, orgId: keys.orgId, mailboxId: view.id, name: view.name, version });
    newKey = { version, publicKey: made.key.publicKey, cert: made.cert };
    grants.push(...grantsFor(keys, view.id, version, made.privateKey, to));
  }
  await api(`/api/mailboxes/${view.id}/access`, { method: 'PUT', body: { members: to.map((x) => x.id), newKey, grants } });
}

/**
 * What an admin's browser completes on its own: the main mailbox if there is
 * none yet (everyone in it), a new key where a member left, and admins who are
 * missing from a mailbox. Returns whether it changed anything.
 */
export async function reconcileMailboxes(keys: UnlockedKeys, views: MailboxView[], members: Member[], mainName: string): Promise<boolean> {
  if (!keys.orgSignPrivate) return false;
  let changed = false;
  if (!views.some((v) => v.isMain)) {
    await createMailbox(keys, { name: mainName, isMain: true, memberIds: certifiedMembers(members).map((x) => x.id), members }).catch((e: unknown) => {
      // Another admin's browser made it at the same moment.
      if (!(e instanceof ApiError && e.code === 'conflict')) throw e;
    });
    changed = true;
  }
  for (const view of views) {
    const missingAdmin = admins(members).some((a) => !view.members.includes(a.id));
    if (!view.rekeyNeeded && !missingAdmin) continue;
    const opened = openMailbox(keys, view);
    // Only a browser that holds every version can hand them on; another admin's will.
    if (opened.privateKeys.size < view.keys.length) continue;
    await setMailboxAccess(keys, opened, view.members, members);
    changed = true;
  }
  return changed;
}

/** A member just confirmed joins the main mailbox, with every key version of it (an admin's browser). */
export async function joinMainMailbox(keys: UnlockedKeys, memberId: string) {
  const [views, members] = await Promise.all([loadMailboxes(), api<{ members: Member[] }>('/api/members').then((r) => r.members)]);
  const main = views.find((v) => v.isMain);
  if (!main || main.members.includes(memberId)) return;
  const opened = openMailbox(keys, main);
  if (opened.privateKeys.size < main.keys.length) return;
  await setMailboxAccess(keys, opened, [...main.members, memberId], members);
}

/** Where the notice of a new study in a mailbox goes (an empty address: the organisation's). */
export async function setMailboxNotice(mailboxId: string, email: string): Promise<void> {
  await api(`/api/mailboxes/${mailboxId}/notice`, { method: 'PUT', body: { email } });
}
