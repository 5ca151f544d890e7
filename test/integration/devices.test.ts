// Device approval and revocation (lib/accounts/service.ts requestDeviceApproval,
// lib/devices/service.ts) on PostgreSQL and PGlite.
import {
  BACKENDS,
  addMember,
  deviceMessage,
  doLogin,
  expectAppError,
  ip,
  loginAsOwner,
  newDevice,
  randomKey32,
  registerAccount,
  registerWithSession,
  sessionFor,
  signWith,
  type Account,
  type Member,
  type TestDevice,
} from './helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { devices, outbox, userSessions } from '@/lib/db/schema';
import { prelogin, requestDeviceApproval } from '@/lib/accounts/service';
import { loadSessionContext, type SessionContext } from '@/lib/auth/sessions';
import { ZDeviceRequest } from '@/lib/accounts/schemas';
import { decideDevice, listDevices } from '@/lib/devices/service';

type Who = { orgShortName: string; userShortName: string; authKey: string };

/** The browser's device request: prelogin, sign the "device" message with the new key, send. */
async function requestDevice(db: Db, who: Who, device: TestDevice, opts: { authKey?: string; signer?: TestDevice } = {}) {
  const pre = await prelogin(db, { orgShortName: who.orgShortName, userShortName: who.userShortName }, ip());
  const signature = await signWith(opts.signer ?? device, deviceMessage('device', pre.challenge, who.orgShortName, who.userShortName, device.id));
  const input = ZDeviceRequest.parse({
    orgShortName: who.orgShortName,
    userShortName: who.userShortName,
    authKey: opts.authKey ?? who.authKey,
    challengeId: pre.challengeId,
    device: { id: device.id, name: device.name, publicKey: device.publicKey },
    signature,
  });
  return requestDeviceApproval(db, input, ip());
}

async function deviceRow(db: Db, id: string) {
  const [row] = await db.select().from(devices).where(eq(devices.id, id));
  return row;
}

async function pendingMails(db: Db, orgId: string) {
  return db
    .select()
    .from(outbox)
    .where(and(eq(outbox.orgId, orgId), eq(outbox.template, 'device_pending')));
}

describe.each(BACKENDS)('devices on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;
  let a: Account;
  let sessA: SessionContext;
  let member: Member;
  let sessM: SessionContext;
  let b: Account;
  let sessB: SessionContext;

  beforeAll(async () => {
    ({ db, close } = await open());
    ({ account: a, session: sessA } = await registerWithSession(db));
    member = await addMember(db, { session: sessA, user: a.user }, { role: 'member' });
    sessM = await sessionFor(db, member);
    expect(sessM.role).toBe('member');
    ({ account: b, session: sessB } = await registerWithSession(db));
  });
  afterAll(async () => {
    await close?.();
  });

  const ownerA = () => ({ orgShortName: a.orgShortName, userShortName: a.userShortName, authKey: a.user.material.authKey });

  it('creates a pending device and a notification only for a correct authKey', async () => {
    const c = await registerAccount(db);
    const who = { orgShortName: c.orgShortName, userShortName: c.userShortName, authKey: c.user.material.authKey };
    const dev = await newDevice('Laptop Empfang');

    await expectAppError(requestDevice(db, who, dev, { authKey: randomKey32() }), 'login_failed');
    expect(await deviceRow(db, dev.id)).toBeUndefined();
    expect(await pendingMails(db, c.orgId)).toHaveLength(0);

    expect(await requestDevice(db, who, dev)).toEqual({ status: 'pending' });
    expect(await deviceRow(db, dev.id)).toMatchObject({ orgId: c.orgId, userId: c.userId, status: 'pending', name: 'Laptop Empfang', publicKey: dev.publicKey });
    const mails = await pendingMails(db, c.orgId);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ recipient: c.email, status: 'pending' });
    expect(mails[0].bodyText).toContain('Laptop Empfang');
    expect(mails[0].bodyText).toContain(c.userShortName);

    // Asking again only renames; no second notification.
    expect(await requestDevice(db, who, { ...dev, name: 'Laptop Empfang 2' })).toEqual({ status: 'pending' });
    expect((await deviceRow(db, dev.id)).name).toBe('Laptop Empfang 2');
    expect(await pendingMails(db, c.orgId)).toHaveLength(1);

    await expectAppError(doLogin(db, { ...who, device: dev }), 'device_not_approved');
  });

  it('refuses a device request signed by another key, with a malformed key, or for a foreign device id', async () => {
    const dev = await newDevice();
    await expectAppError(requestDevice(db, ownerA(), dev, { signer: await newDevice() }), 'login_failed');
    expect(await deviceRow(db, dev.id)).toBeUndefined();
    // b's device id under a's account: the row belongs to someone else.
    await expectAppError(requestDevice(db, ownerA(), { ...b.device }), 'conflict');
    expect(await deviceRow(db, b.device.id)).toMatchObject({ userId: b.userId, status: 'approved' });
    // Already approved: nothing to do.
    expect(await requestDevice(db, ownerA(), a.device)).toEqual({ status: 'approved' });
  });

  it('lets an admin approve a pending device, after which it logs in', async () => {
    const dev = await newDevice('Tablet');
    await requestDevice(db, ownerA(), dev);
    await expectAppError(doLogin(db, { ...ownerA(), device: dev }), 'device_not_approved');

    expect(await decideDevice(db, sessA, dev.id, 'approve')).toEqual({ status: 'approved', endedOwnSession: false });
    const row = await deviceRow(db, dev.id);
    expect(row).toMatchObject({ status: 'approved', decidedBy: a.userId });
    expect(row.decidedAt).toBeInstanceOf(Date);

    const s = await sessionFor(db, { ...ownerA(), device: dev });
    expect(s).toMatchObject({ userId: a.userId, deviceId: dev.id, deviceName: 'Tablet' });
    // Only pending devices can be approved.
    await expectAppError(decideDevice(db, sessA, dev.id, 'approve'), 'conflict');
  });

  it('revoking a device deletes its sessions and refuses its logins', async () => {
    const dev = await newDevice('Altgerät');
    await requestDevice(db, ownerA(), dev);
    await decideDevice(db, sessA, dev.id, 'approve');
    const s1 = await sessionFor(db, { ...ownerA(), device: dev });
    const s2 = await sessionFor(db, { ...ownerA(), device: dev });
    const other = await sessionFor(db, loginAsOwner(a));

    expect(await decideDevice(db, sessA, dev.id, 'revoke')).toEqual({ status: 'revoked', endedOwnSession: false });
    expect(await db.select().from(userSessions).where(eq(userSessions.deviceId, dev.id))).toHaveLength(0);
    expect(await loadSessionContext(db, s1.sessionId)).toBeNull();
    expect(await loadSessionContext(db, s2.sessionId)).toBeNull();
    // Sessions on other devices of the same user stay.
    expect(await loadSessionContext(db, other.sessionId)).not.toBeNull();

    await expectAppError(doLogin(db, { ...ownerA(), device: dev }), 'device_revoked');
    await expectAppError(requestDevice(db, ownerA(), dev), 'device_revoked');
    await expectAppError(decideDevice(db, sessA, dev.id, 'approve'), 'conflict');
  });

  it('reports when an admin revokes the device of its own session', async () => {
    const dev = await newDevice('Eigenes Gerät');
    await requestDevice(db, ownerA(), dev);
    await decideDevice(db, sessA, dev.id, 'approve');
    const own = await sessionFor(db, { ...ownerA(), device: dev });
    expect(await decideDevice(db, own, dev.id, 'revoke')).toEqual({ status: 'revoked', endedOwnSession: true });
    expect(await loadSessionContext(db, own.sessionId)).toBeNull();
  });

  it("the organisation's last approved admin device cannot be revoked", async () => {
    const { account: c, session: sessC } = await registerWithSession(db);
    const ownerC = loginAsOwner(c);
    await expectAppError(decideDevice(db, sessC, c.device.id, 'revoke'), 'last_admin_device');
    expect((await deviceRow(db, c.device.id)).status).toBe('approved');
    // With a second approved device, the first may go.
    const dev = await newDevice('Zweitgerät');
    await requestDevice(db, ownerC, dev);
    await decideDevice(db, sessC, dev.id, 'approve');
    expect(await decideDevice(db, sessC, c.device.id, 'revoke')).toEqual({ status: 'revoked', endedOwnSession: true });
    const sessDev = await sessionFor(db, { ...ownerC, device: dev });
    await expectAppError(decideDevice(db, sessDev, dev.id, 'revoke'), 'last_admin_device');
  });

  it('a rejected device cannot log in', async () => {
    const dev = await newDevice('Unbekannt');
    await requestDevice(db, ownerA(), dev);
    expect(await decideDevice(db, sessA, dev.id, 'reject')).toEqual({ status: 'rejected', endedOwnSession: false });
    await expectAppError(doLogin(db, { ...ownerA(), device: dev }), 'device_revoked');
    await expectAppError(requestDevice(db, ownerA(), dev), 'device_revoked');
  });

  it('a member cannot decide about devices of others, only give up its own', async () => {
    const ownersDev = await newDevice('Chef-Laptop');
    await requestDevice(db, ownerA(), ownersDev);
    for (const action of ['approve', 'reject', 'revoke'] as const) {
      await expectAppError(decideDevice(db, sessM, ownersDev.id, action), 'forbidden');
    }
    await expectAppError(decideDevice(db, sessM, a.device.id, 'revoke'), 'forbidden');
    expect((await deviceRow(db, ownersDev.id)).status).toBe('pending');
    expect((await deviceRow(db, a.device.id)).status).toBe('approved');

    // Its own second device: it may not approve it itself, but may withdraw it.
    const memberDev = await newDevice('Handy');
    await requestDevice(db, member, memberDev);
    await expectAppError(decideDevice(db, sessM, memberDev.id, 'approve'), 'forbidden');
    expect(await decideDevice(db, sessM, memberDev.id, 'revoke')).toMatchObject({ status: 'revoked' });

    // Members see only their own devices; admins see the organisation's.
    const mine = await listDevices(db, sessM);
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine.every((d) => d.userId === member.userId)).toBe(true);
    const all = await listDevices(db, sessA);
    expect(all.map((d) => d.id)).toEqual(expect.arrayContaining([a.device.id, member.device.id, ownersDev.id, memberDev.id]));
  });

  it("an admin of another organisation gets not_found for this organisation's devices", async () => {
    const dev = await newDevice('Fremdzugriff');
    await requestDevice(db, ownerA(), dev);
    for (const action of ['approve', 'reject', 'revoke'] as const) {
      await expectAppError(decideDevice(db, sessB, dev.id, action), 'not_found');
      await expectAppError(decideDevice(db, sessB, a.device.id, action), 'not_found');
    }
    expect((await deviceRow(db, dev.id)).status).toBe('pending');
    expect((await deviceRow(db, a.device.id)).status).toBe('approved');
    const seen = await listDevices(db, sessB);
    expect(seen.map((d) => d.id)).toEqual([b.device.id]);
    // The owner's own sessions are untouched.
    expect(await loadSessionContext(db, sessA.sessionId)).not.toBeNull();
  });
});
