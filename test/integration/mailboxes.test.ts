// Mailboxes (lib/mailboxes/service.ts) on PostgreSQL and PGlite: who may list
// and open them is enforced by the server and by the keys; the plan gates
// more than the main mailbox; losing access needs a new key version.
import { BACKENDS, addMember, expectAppError, registerAccount, loginAsOwner, sessionFor, uid, type Account, type Member } from './helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { mailboxes, users } from '@/lib/db/schema';
import type { SessionContext } from '@/lib/auth/sessions';
import { createMailbox, listMailboxes, onMemberRemoved, setMailboxAccess } from '@/lib/mailboxes/service';
import { directoryEntry, setDirectoryVisibility } from '@/lib/directory/service';
import { grantMailboxKey, newMailboxKey, openMailboxKey, verifyMailboxCert } from '@/lib/protocol/mailboxes';
import type { X25519PrivateKey } from '@/lib/crypto/types';

type Holder = { userId: string; x25519Public: string; ed25519Public: string; memberCert: string | null };

describe.each(BACKENDS)('mailboxes on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;
  let plus: Account;
  let owner: SessionContext;
  let reader: Member;
  let readerSession: SessionContext;
  let other: Member;
  let otherSession: SessionContext;
  let radiology: ReturnType<typeof make>;

  const holder = async (userId: string): Promise<Holder> => {
    const [u] = await db.select().from(users).where(eq(users.id, userId));
    return { userId, x25519Public: u.x25519Public, ed25519Public: u.ed25519Public, memberCert: u.memberCert };
  };
  const grants = async (a: Account, mailboxId: string, version: number, priv: X25519PrivateKey, userIds: string[]) =>
    Promise.all(
      userIds.map(async (userId) => ({
        version,
        ...grantMailboxKey({ orgSignPublic: a.request.org.signPublic!, sealerEd25519Private: a.user.ed25519Private, mailboxPrivate: priv, orgId: a.orgId, mailboxId, version, member: { orgId: a.orgId, ...(await holder(userId)) } }),
      })),
    );
  const make = (a: Account, name: string, version = 1, id: string = uid()) => ({ id, ...newMailboxKey({ orgSignPrivate: a.orgSignPrivate, orgId: a.orgId, mailboxId: id, name, version }) });
  const names = async (s: SessionContext) => (await listMailboxes(db, s)).map((b) => b.name);

  beforeAll(async () => {
    ({ db, close } = await open());
    plus = await registerAccount(db, { plan: 'plus' });
    owner = await sessionFor(db, loginAsOwner(plus));
    reader = await addMember(db, { session: owner, user: plus.user });
    other = await addMember(db, { session: owner, user: plus.user });
    readerSession = await sessionFor(db, reader);
    otherSession = await sessionFor(db, other);
  });
  afterAll(async () => {
    await close?.();
  });

  it('the main mailbox comes with every plan; more are plus; one main only', async () => {
    const basis = await registerAccount(db, { plan: 'basis' });
    const bs = await sessionFor(db, loginAsOwner(basis));
    const main = make(basis, 'Hauptpostfach');
    await createMailbox(db, bs, { id: main.id, name: 'Hauptpostfach', isMain: true, members: [basis.userId], key: { version: 1, publicKey: main.key.publicKey, cert: main.cert }, grants: await grants(basis, main.id, 1, main.privateKey, [basis.userId]) });
    const extra = make(basis, 'Radiologie');
    const extraInput = { id: extra.id, name: 'Radiologie', isMain: false, members: [basis.userId], key: { version: 1, publicKey: extra.key.publicKey, cert: extra.cert }, grants: await grants(basis, extra.id, 1, extra.privateKey, [basis.userId]) };
    await expectAppError(createMailbox(db, bs, extraInput), 'plan_required');
    await expectAppError(createMailbox(db, bs, { ...extraInput, isMain: true }), 'conflict');
    expect(await names(bs)).toEqual(['Hauptpostfach']);
  });

  it('a mailbox is listed and opened only by those with access; a member cannot create one', async () => {
    const box = (radiology = make(plus, 'Radiologie'));
    const input = { id: box.id, name: 'Radiologie', isMain: false, members: [reader.userId], key: { version: 1, publicKey: box.key.publicKey, cert: box.cert }, grants: await grants(plus, box.id, 1, box.privateKey, [plus.userId, reader.userId]) };
    await expectAppError(createMailbox(db, readerSession, input), 'forbidden');
    // A grant missing for someone with access is refused: they could not open it.
    await expectAppError(createMailbox(db, owner, { ...input, grants: input.grants.slice(0, 1) }), 'mailbox_grants_incomplete');
    await createMailbox(db, owner, input);
    await expectAppError(createMailbox(db, owner, { ...input, id: uid() }), 'mailbox_name_taken');
    expect(await names(readerSession)).toEqual(['Radiologie']);
    expect(await names(otherSession)).toEqual([]);
    expect(await names(owner)).toContain('Radiologie');
    const [view] = await listMailboxes(db, readerSession);
    const opened = openMailboxKey({
      orgSignPublic: plus.request.org.signPublic!,
      userId: reader.userId,
      x25519Private: reader.user.x25519Private,
      key: { orgId: plus.orgId, mailboxId: box.id, name: view.name, version: 1, publicKey: view.keys[0].publicKey },
      cert: view.keys[0].cert,
      sealedPrivate: view.grants[0].sealedPrivate,
      signature: view.grants[0].signature,
      sealer: view.grants[0].sealer,
    });
    expect(opened).toEqual(box.privateKey);
  });

  it('taking access away needs a new key version sealed to whoever keeps it; the one removed keeps nothing', async () => {
    const [view] = (await listMailboxes(db, owner)).filter((b) => b.name === 'Radiologie');
    await expectAppError(setMailboxAccess(db, owner, view.id, { members: [plus.userId], grants: [] }), 'mailbox_grants_incomplete');
    const v2 = make(plus, 'Radiologie', 2, view.id);
    await setMailboxAccess(db, owner, view.id, { members: [plus.userId, other.userId], newKey: { version: 2, publicKey: v2.key.publicKey, cert: v2.cert }, grants: [...(await grants(plus, view.id, 2, v2.privateKey, [plus.userId, other.userId])), ...(await grants(plus, view.id, 1, radiology.privateKey, [other.userId]))] });
    expect(await names(readerSession)).toEqual([]);
    expect(await names(otherSession)).toEqual(['Radiologie']);
    const [mine] = await listMailboxes(db, otherSession);
    expect(mine.keys.map((k) => k.version)).toEqual([1, 2]);
    expect(mine.grants.map((g) => g.version).sort()).toEqual([1, 2]);
    // Someone without certified keys is not a possible member.
    await expectAppError(setMailboxAccess(db, owner, view.id, { members: [uid()], grants: [] }), 'validation');
  });

  it('a member leaving the organisation is out of every mailbox at once, and the mailbox asks for a new key', async () => {
    const [view] = (await listMailboxes(db, owner)).filter((b) => b.name === 'Radiologie');
    expect(await db.transaction((tx) => onMemberRemoved(tx, plus.orgId, other.userId))).toBe(1);
    const [after] = (await listMailboxes(db, owner)).filter((b) => b.id === view.id);
    expect(after.rekeyNeeded).toBe(true);
    expect(after.members).not.toContain(other.userId);
    // Only a new version clears it.
    await expectAppError(setMailboxAccess(db, owner, view.id, { members: [plus.userId], grants: [] }), 'mailbox_grants_incomplete');
  });

  it('another organisation reaches none of it; partners see names and certified keys in the directory', async () => {
    const stranger = await registerAccount(db, { plan: 'plus' });
    const ss = await sessionFor(db, loginAsOwner(stranger));
    const [view] = (await listMailboxes(db, owner)).filter((b) => b.name === 'Radiologie');
    await expectAppError(setMailboxAccess(db, ss, view.id, { members: [stranger.userId], grants: [] }), 'not_found');
    expect(await names(ss)).toEqual([]);
    await setDirectoryVisibility(db, owner, { directoryVisible: true });
    const entry = await directoryEntry(db, plus.orgId);
    const listed = entry.mailboxes.find((b) => b.name === 'Radiologie')!;
    expect(listed.version).toBe(view.keyVersion);
    expect(verifyMailboxCert(plus.request.org.signPublic!, { orgId: plus.orgId, mailboxId: listed.id, name: listed.name, version: listed.version, publicKey: listed.publicKey }, listed.cert)).toBe(true);
    const [row] = await db.select().from(mailboxes).where(eq(mailboxes.id, view.id));
    expect(row.orgId).toBe(plus.orgId);
  });
});
