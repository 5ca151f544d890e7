// Invitations, confirmation with a sealed orgKey, and removal of members
// (lib/members/service.ts) on PostgreSQL and PGlite.
import {
  BACKENDS,
  buildUserMaterial,
  confirmWithSealedKey,
  doLogin,
  expectAppError,
  inviteMember,
  ip,
  loginInput,
  newDevice,
  randomKey32,
  registerWithSession,
  resetClock,
  sessionFor,
  short,
  uid,
  type Account,
  prepareInvitationFor,
} from './helpers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { devices, invitations, outbox, userSessions, users } from '@/lib/db/schema';
import { getKeyBundle, login, prelogin } from '@/lib/accounts/service';
import { loadSessionContext, type SessionContext } from '@/lib/auth/sessions';
import { ZInvitationAccept } from '@/lib/accounts/schemas';
import {
  acceptInvitation,
  confirmMember,
  createInvitation,
  inspectInvitation,
  listMembers,
  listOpenInvitations,
  removeMember,
  revokeInvitation,
} from '@/lib/members/service';
import { createNote, listNotes } from '@/lib/notes/service';
import { grantOrgKey, openBundleWithUserKey, unwrapUserKeyWithPassword } from '@/lib/protocol/account';
import { sealOrgPin } from '@/lib/protocol/trust';
import { openNote, sealNote } from '@/lib/protocol/notes';
import { equalBytes } from '@/lib/crypto/encoding';
import { sha256Hex } from '@/lib/server/hash';
import { setClock } from '@/lib/core/clock';

// Members get a password of their own, so no test passes because two users share an authKey.
const MEMBER_PASSWORD = 'Ahorn&Bach4Gelb';

/** A well-formed grant from an organisation's owner to a member (for the cases the server must refuse). */
function grantFor(owner: Account, m: { userId: string; user: { material: { x25519Public: string; ed25519Public: string } } }, orgId = owner.orgId) {
  return grantOrgKey({
    orgKey: owner.orgKey,
    orgId,
    orgSignPrivate: owner.orgSignPrivate,
    sealerEd25519Private: owner.user.ed25519Private,
    member: { userId: m.userId, x25519Public: m.user.material.x25519Public, ed25519Public: m.user.material.ed25519Public },
  });
}

async function acceptInput(orgId: string, token: string, userShortName: string) {
  const userId = uid();
  const user = await buildUserMaterial({ orgId, userId, password: MEMBER_PASSWORD });
  const device = await newDevice('Sprechzimmer 2');
  // Well-formed pin and proof: these inputs test what the server decides alone
  // (tokens, names); the browsers' checks are in inviteMember and trust.test.ts.
  return ZInvitationAccept.parse({
    token,
    userId,
    userShortName,
    user: { ...user.material, orgPin: sealOrgPin(user.userKey, { orgId, userId, orgPublicKey: randomKey32() }) },
    keyProof: randomKey32(),
    device: { id: device.id, name: device.name, publicKey: device.publicKey },
  });
}

/** The admin's browser creating an invitation: the token and secret it makes, and the link. */
async function invite(db: Db, session: SessionContext, input: { role: 'admin' | 'member'; label?: string; email?: string; locale: 'de' | 'en' }) {
  const prepared = prepareInvitationFor(session.orgId);
  const res = await createInvitation(db, session, { ...input, token: prepared.token, secretEnc: prepared.secretEnc, introMac: prepared.introMac });
  return { ...res, ...prepared };
}

async function userRow(db: Db, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

describe.each(BACKENDS)('members on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;
  let a: Account;
  let sessA: SessionContext;
  let b: Account;
  let sessB: SessionContext;

  beforeAll(async () => {
    ({ db, close } = await open());
    ({ account: a, session: sessA } = await registerWithSession(db));
    ({ account: b, session: sessB } = await registerWithSession(db));
  });
  afterAll(async () => {
    await close?.();
  });
  afterEach(() => resetClock());

  it('invites, accepts and confirms a member, who then opens the same orgKey as the owner', async () => {
    const email = `${short('weber')}@praxis.example`;
    const inv = await invite(db, sessA, { role: 'member', label: 'Dr. Weber', email, locale: 'de' });
    // The link Konsil e-mails carries the token, never the secret.
    expect(inv.emailed).toBe(true);
    expect(inv.expiresInDays).toBe(7);
    const [invRow] = await db.select().from(invitations).where(eq(invitations.tokenHash, sha256Hex(inv.token)));
    expect(invRow).toMatchObject({ orgId: a.orgId, role: 'member', label: 'Dr. Weber', createdBy: a.userId, usedAt: null });
    // Only the hash of the token is stored.
    expect(JSON.stringify(invRow)).not.toContain(inv.token);
    expect(JSON.stringify(invRow)).not.toContain(inv.secret);
    const [invMail] = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.orgId, a.orgId), eq(outbox.recipient, email)));
    expect(invMail).toMatchObject({ template: 'member_invitation', status: 'pending' });
    expect(invMail.bodyText).toContain(`/invite#${inv.token}`);
    expect(invMail.bodyText).not.toContain(inv.secret);
    expect((await listOpenInvitations(db, sessA)).map((i) => i.id)).toContain(invRow.id);

    expect(await inspectInvitation(db, inv.token, ip())).toEqual({
      orgId: a.orgId,
      orgName: a.request.contract.orgName,
      orgShortName: a.orgShortName,
      role: 'member',
      orgPublicKey: a.request.org.publicKey,
      orgSignPublic: a.request.org.signPublic,
      introMac: inv.introMac,
    });

    const m = await inviteMember(db, sessA, { password: MEMBER_PASSWORD });
    const mRow = await userRow(db, m.userId);
    expect(mRow).toMatchObject({ orgId: a.orgId, role: 'member', status: 'pending', sealedOrgKey: null, confirmedAt: null, shortName: m.userShortName });
    const [mDev] = await db.select().from(devices).where(eq(devices.userId, m.userId));
    expect(mDev).toMatchObject({ id: m.device.id, status: 'approved' });
    const [used] = await db.select().from(invitations).where(eq(invitations.tokenHash, sha256Hex(m.token)));
    expect(used.usedAt).toBeInstanceOf(Date);
    expect(used.userId).toBe(m.userId);
    const pendingMails = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.orgId, a.orgId), eq(outbox.template, 'member_pending')));
    expect(pendingMails.some((x) => x.recipient === a.email && x.bodyText.includes(m.userShortName))).toBe(true);

    // The token is single-use.
    await expectAppError(inspectInvitation(db, m.token, ip()), 'invitation_invalid');
    await expectAppError(acceptInvitation(db, await acceptInput(a.orgId, m.token, short('second')), ip()), 'invitation_invalid');

    // Pending: the right password gets "member_pending", a wrong one "login_failed".
    await expectAppError(doLogin(db, m), 'member_pending');
    await expectAppError(login(db, await loginInput(db, { ...m, authKey: randomKey32() }), ip()), 'login_failed');
    const listed = (await listMembers(db, sessA)).find((x) => x.id === m.userId);
    expect(listed).toMatchObject({ status: 'pending', role: 'member', x25519Public: m.user.material.x25519Public });

    // Data the owner encrypted before the member joined.
    const noteId = uid();
    await createNote(db, sessA, { id: noteId, bodyEnc: sealNote(a.orgKey, a.orgId, noteId, 'Übergabe: Patientin Zimmer 3') });

    await confirmWithSealedKey(db, sessA, a.user, m);
    const confirmed = await userRow(db, m.userId);
    expect(confirmed.status).toBe('active');
    expect(confirmed.sealedOrgKey).toMatch(/^s1\./);
    expect(confirmed.confirmedAt).toBeInstanceOf(Date);
    // Only pending members can be confirmed.
    expect(confirmed).toMatchObject({ sealedOrgKeyBy: a.userId, sealedOrgKeySig: expect.stringMatching(/^[A-Za-z0-9_-]{86}$/), memberCert: expect.stringMatching(/^[A-Za-z0-9_-]{86}$/) });
    await expectAppError(confirmMember(db, sessA, m.userId, grantFor(a, m)), 'not_found');

    const sessM = await sessionFor(db, m);
    expect(sessM).toMatchObject({ role: 'member', userId: m.userId, orgId: a.orgId });
    const bundle = await getKeyBundle(db, sessM);
    const keys = openBundleWithUserKey(bundle, unwrapUserKeyWithPassword(bundle, m.user.pw.passwordWrapKey));
    expect(equalBytes(keys.orgKey!, a.orgKey)).toBe(true);
    expect(equalBytes(keys.orgPrivateKey!, a.orgPrivateKey)).toBe(true);
    // The owner's password does not open the member's keys.
    expect(() => unwrapUserKeyWithPassword(bundle, a.user.pw.passwordWrapKey)).toThrow();
    const note = (await listNotes(db, sessM)).find((n) => n.id === noteId);
    expect(note?.authorShortName).toBe(a.userShortName);
    expect(openNote(keys.orgKey!, a.orgId, note!)).toBe('Übergabe: Patientin Zimmer 3');
  });

  it('refuses a user short name that is already taken in the organisation, without using up the invitation', async () => {
    const first = await inviteMember(db, sessA, { password: MEMBER_PASSWORD });
    const { token } = await invite(db, sessA, { role: 'member', locale: 'de' });
    for (const name of [first.userShortName.toUpperCase(), a.userShortName, ` ${a.userShortName.toUpperCase()} `]) {
      const input = await acceptInput(a.orgId, token, name);
      const e = await expectAppError(acceptInvitation(db, input, ip()), 'user_short_name_taken');
      expect(e.fields).toEqual({ userShortName: 'userShortNameTaken' });
      expect(await userRow(db, input.userId)).toBeUndefined();
      expect(await db.select().from(devices).where(eq(devices.id, input.device.id))).toHaveLength(0);
    }
    expect((await inspectInvitation(db, token, ip())).orgId).toBe(a.orgId);
    // The same name is free in another organisation.
    const { token: tokenB } = await invite(db, sessB, { role: 'member', locale: 'de' });
    const res = await acceptInvitation(db, await acceptInput(b.orgId, tokenB, first.userShortName), ip());
    expect(res.orgId).toBe(b.orgId);
  });

  it('removing a member drops its sealed orgKey, revokes its devices and ends its sessions', async () => {
    const m = await inviteMember(db, sessA, { password: MEMBER_PASSWORD });
    await confirmWithSealedKey(db, sessA, a.user, m);
    const sessM = await sessionFor(db, m);
    const preBefore = await prelogin(db, m, ip());
    expect(preBefore.kdfSalt).toBe(m.user.material.kdfSalt);

    await removeMember(db, sessA, m.userId);
    const row = await userRow(db, m.userId);
    expect(row).toMatchObject({ status: 'removed', sealedOrgKey: null });
    expect(row.removedAt).toBeInstanceOf(Date);
    const devs = await db.select().from(devices).where(eq(devices.userId, m.userId));
    expect(devs.length).toBeGreaterThan(0);
    expect(devs.every((d) => d.status === 'revoked' && d.decidedBy === a.userId)).toBe(true);
    expect(await db.select().from(userSessions).where(eq(userSessions.userId, m.userId))).toHaveLength(0);
    expect(await loadSessionContext(db, sessM.sessionId)).toBeNull();

    await expectAppError(doLogin(db, m), 'login_failed');
    // A removed account looks like an unknown one.
    expect((await prelogin(db, m, ip())).kdfSalt).not.toBe(m.user.material.kdfSalt);
    await expectAppError(removeMember(db, sessA, m.userId), 'not_found');
    expect((await listMembers(db, sessA)).find((x) => x.id === m.userId)?.status).toBe('removed');
  });

  it('a pending member can be removed and then no longer confirmed', async () => {
    const m = await inviteMember(db, sessA, { password: MEMBER_PASSWORD });
    await removeMember(db, sessA, m.userId);
    await expectAppError(confirmMember(db, sessA, m.userId, grantFor(a, m)), 'not_found');
    expect(await userRow(db, m.userId)).toMatchObject({ status: 'removed', sealedOrgKey: null });
  });

  it('an admin of another organisation can neither confirm nor remove, and sees nothing', async () => {
    const pending = await inviteMember(db, sessA, { password: MEMBER_PASSWORD });
    const active = await inviteMember(db, sessA, { password: MEMBER_PASSWORD });
    await confirmWithSealedKey(db, sessA, a.user, active);

    // B's owner seals "some" key to A's pending member: refused, nothing changes.
    await expectAppError(confirmMember(db, sessB, pending.userId, grantFor(b, pending, a.orgId)), 'not_found');
    expect(await userRow(db, pending.userId)).toMatchObject({ status: 'pending', sealedOrgKey: null });
    await expectAppError(removeMember(db, sessB, active.userId), 'not_found');
    await expectAppError(removeMember(db, sessB, pending.userId), 'not_found');
    expect((await userRow(db, active.userId)).status).toBe('active');
    await sessionFor(db, active);

    const ids = (await listMembers(db, sessB)).map((x) => x.id);
    expect(ids).not.toContain(pending.userId);
    expect(ids).not.toContain(a.userId);
    expect(ids).toContain(b.userId);

    const { token } = await invite(db, sessA, { role: 'member', locale: 'de' });
    const [inv] = await db.select().from(invitations).where(eq(invitations.tokenHash, sha256Hex(token)));
    expect((await listOpenInvitations(db, sessB)).map((i) => i.id)).not.toContain(inv.id);
    await expectAppError(revokeInvitation(db, sessB, inv.id), 'not_found');
    expect((await inspectInvitation(db, token, ip())).orgId).toBe(a.orgId);
  });

  it('role rules: only the owner invites or removes admins, nobody removes the owner or themselves', async () => {
    const admin1 = await inviteMember(db, sessA, { role: 'admin', password: MEMBER_PASSWORD });
    await confirmWithSealedKey(db, sessA, a.user, admin1);
    const admin2 = await inviteMember(db, sessA, { role: 'admin', password: MEMBER_PASSWORD });
    await confirmWithSealedKey(db, sessA, a.user, admin2);
    const plain = await inviteMember(db, sessA, { password: MEMBER_PASSWORD });
    await confirmWithSealedKey(db, sessA, a.user, plain);
    const sessAdmin1 = await sessionFor(db, admin1);
    expect(sessAdmin1.role).toBe('admin');
    const sessPlain = await sessionFor(db, plain);

    await expectAppError(removeMember(db, sessAdmin1, admin2.userId), 'forbidden');
    await expectAppError(removeMember(db, sessAdmin1, a.userId), 'forbidden');
    await expectAppError(removeMember(db, sessAdmin1, admin1.userId), 'forbidden');
    await expectAppError(removeMember(db, sessA, a.userId), 'forbidden');
    await expectAppError(removeMember(db, sessPlain, admin1.userId), 'forbidden');
    await expectAppError(removeMember(db, sessPlain, a.userId), 'forbidden');
    await expectAppError(invite(db, sessAdmin1, { role: 'admin', locale: 'de' }), 'forbidden');
    await expectAppError(invite(db, sessPlain, { role: 'admin', locale: 'de' }), 'forbidden');
    // The services check the role themselves too, not only the routes.
    await expectAppError(invite(db, sessPlain, { role: 'member', locale: 'de' }), 'forbidden');
    await expectAppError(confirmMember(db, sessPlain, admin2.userId, grantFor(a, admin2)), 'forbidden');
    for (const id of [admin2.userId, a.userId, admin1.userId]) expect((await userRow(db, id)).status).toBe('active');

    // An admin may invite members and remove plain members; the owner may remove admins.
    const inv = await invite(db, sessAdmin1, { role: 'member', locale: 'de' });
    expect((await inspectInvitation(db, inv.token, ip())).role).toBe('member');
    await removeMember(db, sessAdmin1, plain.userId);
    expect((await userRow(db, plain.userId)).status).toBe('removed');
    expect(await loadSessionContext(db, sessPlain.sessionId)).toBeNull();
    await removeMember(db, sessA, admin2.userId);
    expect((await userRow(db, admin2.userId)).status).toBe('removed');
  });

  it('expired and revoked invitations cannot be used', async () => {
    const expiring = await invite(db, sessA, { role: 'member', locale: 'de' });
    const revoked = await invite(db, sessA, { role: 'member', locale: 'de' });
    const [revRow] = await db.select().from(invitations).where(eq(invitations.tokenHash, sha256Hex(revoked.token)));
    await revokeInvitation(db, sessA, revRow.id);
    await expectAppError(revokeInvitation(db, sessA, revRow.id), 'not_found');
    await expectAppError(inspectInvitation(db, revoked.token, ip()), 'invitation_invalid');
    await expectAppError(acceptInvitation(db, await acceptInput(a.orgId, revoked.token, short('late')), ip()), 'invitation_invalid');

    setClock({ offsetMs: 7 * 86400_000 + 60_000 });
    await expectAppError(inspectInvitation(db, expiring.token, ip()), 'invitation_invalid');
    const input = await acceptInput(a.orgId, expiring.token, short('late'));
    await expectAppError(acceptInvitation(db, input, ip()), 'invitation_invalid');
    expect(await userRow(db, input.userId)).toBeUndefined();
    await expectAppError(inspectInvitation(db, randomKey32(), ip()), 'invitation_invalid');
  });
});
