// Registration, pre-login and login (lib/accounts/service.ts) on PostgreSQL and PGlite.
import {
  BACKENDS,
  MASTER_PASSWORD,
  PASSWORD,
  buildRegistration,
  deviceMessage,
  doLogin,
  expectAppError,
  ip,
  loginAsOwner,
  loginInput,
  newDevice,
  randomKey32,
  redeemTicket,
  sessionFor,
  registerAccount,
  resetClock,
  short,
  signWith,
  uid,
  type Account,
} from './helpers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { AppError } from '@/lib/core/errors';
import { devices, organisations, outbox, rateLimits, sepaMandates, userSessions, users } from '@/lib/db/schema';
import { isOrgShortNameAvailable, login, prelogin, registerOrganisation, unlockSession } from '@/lib/accounts/service';
import { loadSessionContext, lockSession } from '@/lib/auth/sessions';
import { issueChallenge } from '@/lib/accounts/challenges';
import { ZLoginRequest, type TRegistrationRequest } from '@/lib/accounts/schemas';
import { openBundleWithUserKey, unwrapUserKeyWithPassword, type KeyBundle } from '@/lib/protocol/account';
import { getKeyBundle } from '@/lib/accounts/service';
import { KDF_DEFAULT } from '@/lib/crypto/kdf';
import { fingerprint } from '@/lib/crypto/asymmetric';
import { equalBytes, fromB64u, toHex } from '@/lib/crypto/encoding';
import { setClock } from '@/lib/core/clock';
import { sha256Hex } from '@/lib/server/hash';

const OTHER_PASSWORD = 'Eiche?Feld8Blau';

describe.each(BACKENDS)('accounts on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, close } = await open());
  });
  afterAll(async () => {
    await close?.();
  });
  afterEach(() => resetClock());

  describe('registerOrganisation', () => {
    it('creates organisation, active owner, approved device, SEPA mandate and a confirmation mail without secrets', async () => {
      // The full client path with real Argon2id derivations, once per backend.
      const a = await buildRegistration({ plan: 'plus', real: true });
      const res = await registerOrganisation(db, a.request, ip());
      expect(res).toEqual({ orgId: a.orgId, userId: a.userId });

      const [org] = await db.select().from(organisations).where(eq(organisations.id, a.orgId));
      expect(org).toMatchObject({
        shortName: a.orgShortName,
        shortNameNorm: a.orgShortName.toLowerCase(),
        plan: 'plus',
        email: a.email,
        publicKey: a.request.org.publicKey,
        encPrivateKey: a.request.org.encPrivateKey,
        avvVersion: a.request.avvVersion,
        locale: 'de',
      });
      expect(org.publicKeyFingerprint).toBe(fingerprint(fromB64u(a.request.org.publicKey)));

      const [owner] = await db.select().from(users).where(eq(users.id, a.userId));
      expect(owner).toMatchObject({
        orgId: a.orgId,
        shortName: a.userShortName,
        role: 'owner',
        status: 'active',
        kdfSalt: a.user.material.kdfSalt,
        sealedOrgKey: a.request.user.sealedOrgKey,
        wrappedUserKeyPw: a.user.material.wrappedUserKeyPw,
      });
      expect(owner.kdfParams).toEqual(KDF_DEFAULT);
      expect(owner.confirmedAt).toBeInstanceOf(Date);

      // Only slow hashes of the derived keys are stored, never the keys.
      const authKey = a.user.material.authKey;
      const recoveryKey = a.user.material.recoveryAuthKey;
      for (const [hash, key] of [
        [owner.authHash, authKey],
        [owner.recoveryHash, recoveryKey],
      ] as const) {
        expect(hash).toMatch(/^scrypt\$/);
        expect(hash).not.toBe(key);
        expect(hash).not.toContain(key);
        expect(hash).not.toContain(Buffer.from(key, 'base64url').toString('base64'));
        expect(hash.toLowerCase()).not.toContain(toHex(fromB64u(key)));
      }
      expect(owner.authHash).not.toBe(owner.recoveryHash);

      const devs = await db.select().from(devices).where(eq(devices.userId, a.userId));
      expect(devs).toHaveLength(1);
      expect(devs[0]).toMatchObject({ id: a.device.id, orgId: a.orgId, status: 'approved', publicKey: a.device.publicKey });

      const mandates = await db.select().from(sepaMandates).where(eq(sepaMandates.orgId, a.orgId));
      expect(mandates).toHaveLength(1);
      expect(mandates[0]).toMatchObject({ accountHolder: 'Dr. Anna Müller', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', revokedAt: null });
      expect(mandates[0].mandateReference).toMatch(/^KONSIL-\d{8}-[A-Z0-9]{8}$/);

      const mails = await db.select().from(outbox).where(eq(outbox.orgId, a.orgId));
      expect(mails).toHaveLength(1);
      const mail = mails[0];
      expect(mail).toMatchObject({ template: 'registration_confirmation', recipient: a.email, status: 'pending', channel: 'email' });
      expect(mail.bodyText).toContain(a.orgShortName);
      expect(mail.bodyText).toContain(a.userShortName);
      const mailText = `${mail.subject}\n${mail.bodyText}\n${mail.bodyHtml ?? ''}`;
      for (const secret of [PASSWORD, MASTER_PASSWORD, authKey, recoveryKey]) expect(mailText).not.toContain(secret);

      // What was stored opens with the password-derived key: same userKey, same orgKey.
      const session = await sessionFor(db, loginAsOwner(a));
      const bundle: KeyBundle = await getKeyBundle(db, session);
      const userKey = unwrapUserKeyWithPassword(bundle, a.user.pw.passwordWrapKey);
      expect(equalBytes(userKey, a.user.userKey)).toBe(true);
      const keys = openBundleWithUserKey(bundle, userKey);
      expect(equalBytes(keys.orgKey!, a.orgKey)).toBe(true);
      expect(equalBytes(keys.orgPrivateKey!, a.orgPrivateKey)).toBe(true);
    });

    it('stores no SEPA mandate for the basis plan', async () => {
      const a = await registerAccount(db, { plan: 'basis' });
      expect(await db.select().from(sepaMandates).where(eq(sepaMandates.orgId, a.orgId))).toHaveLength(0);
      const [org] = await db.select().from(organisations).where(eq(organisations.id, a.orgId));
      expect(org.plan).toBe('basis');
    });

    it('keeps organisation short names unique regardless of case and surrounding spaces', async () => {
      const name = short('Praxis');
      const first = await registerAccount(db, { orgShortName: name });
      expect(await isOrgShortNameAvailable(db, name.toUpperCase())).toEqual({ valid: true, available: false });

      // Upper case, through the route's schema.
      const upper = await buildRegistration({ orgShortName: name.toUpperCase() });
      const e1 = await expectAppError(registerOrganisation(db, upper.request, ip()), 'short_name_taken');
      expect(e1.fields).toEqual({ orgShortName: 'shortNameTaken' });

      // Surrounding spaces and mixed case straight at the service (the schema would trim them).
      const spaced = await buildRegistration();
      const req: TRegistrationRequest = { ...spaced.request, contract: { ...spaced.request.contract, orgShortName: `  ${name.toLowerCase()} ` } };
      await expectAppError(registerOrganisation(db, req, ip()), 'short_name_taken');

      // Nothing of the refused attempts was written.
      for (const a of [upper, spaced]) {
        expect(await db.select().from(organisations).where(eq(organisations.id, a.orgId))).toHaveLength(0);
        expect(await db.select().from(users).where(eq(users.id, a.userId))).toHaveLength(0);
        expect(await db.select().from(devices).where(eq(devices.id, a.device.id))).toHaveLength(0);
        expect(await db.select().from(outbox).where(eq(outbox.orgId, a.orgId))).toHaveLength(0);
      }
      const rows = await db.select().from(organisations).where(eq(organisations.shortNameNorm, name.toLowerCase()));
      expect(rows.map((r) => r.id)).toEqual([first.orgId]);
    });

    it('keeps a short name reserved after the organisation is deleted', async () => {
      const a = await registerAccount(db);
      await db.delete(organisations).where(eq(organisations.id, a.orgId));
      expect(await db.select().from(users).where(eq(users.orgId, a.orgId))).toHaveLength(0);
      expect(await isOrgShortNameAvailable(db, a.orgShortName)).toEqual({ valid: true, available: false });
      const again = await buildRegistration({ orgShortName: a.orgShortName });
      await expectAppError(registerOrganisation(db, again.request, ip()), 'short_name_taken');
      expect(await db.select().from(organisations).where(eq(organisations.id, again.orgId))).toHaveLength(0);
    });

    it('refuses a device key that is not a P-256 SPKI key', async () => {
      const a = await buildRegistration();
      const req: TRegistrationRequest = { ...a.request, device: { ...a.request.device, publicKey: randomKey32() + randomKey32() } };
      const e = await expectAppError(registerOrganisation(db, req, ip()), 'validation');
      expect(e.fields).toEqual({ 'device.publicKey': 'bad_format' });
      expect(await isOrgShortNameAvailable(db, a.orgShortName)).toEqual({ valid: true, available: true });
    });
  });

  describe('prelogin', () => {
    let a: Account;
    beforeAll(async () => {
      a = await registerAccount(db);
    });

    it('returns the stored salt and parameters of a known account and a fresh challenge each time', async () => {
      const clientIp = ip();
      const p1 = await prelogin(db, { orgShortName: a.orgShortName, userShortName: a.userShortName }, clientIp);
      const p2 = await prelogin(db, { orgShortName: a.orgShortName.toUpperCase(), userShortName: ` ${a.userShortName} ` }, clientIp);
      expect(p1.kdfSalt).toBe(a.user.material.kdfSalt);
      expect(p1.kdfParams).toEqual(KDF_DEFAULT);
      expect(p2.kdfSalt).toBe(a.user.material.kdfSalt);
      expect(p1.challengeId).toMatch(/^[0-9a-f-]{36}$/);
      expect(p1.challengeId).not.toBe(p2.challengeId);
      expect(p1.challenge).not.toBe(p2.challenge);
      expect(fromB64u(p1.challenge)).toHaveLength(32);
    });

    it('answers for an unknown account with the same shape, a stable per-name decoy salt and default parameters', async () => {
      const clientIp = ip();
      const ref = { orgShortName: short('ghost'), userShortName: short('nobody') };
      const known = await prelogin(db, { orgShortName: a.orgShortName, userShortName: a.userShortName }, clientIp);
      const u1 = await prelogin(db, ref, clientIp);
      const u2 = await prelogin(db, { orgShortName: ref.orgShortName.toUpperCase(), userShortName: `  ${ref.userShortName}` }, clientIp);
      const other = await prelogin(db, { ...ref, userShortName: short('other') }, clientIp);
      const otherOrg = await prelogin(db, { ...ref, orgShortName: short('ghost') }, clientIp);
      // Known user in a known org, but the org/user combination does not exist.
      const wrongUser = await prelogin(db, { orgShortName: a.orgShortName, userShortName: short('nobody') }, clientIp);

      expect(Object.keys(u1).sort()).toEqual(Object.keys(known).sort());
      expect(u1.kdfParams).toEqual(KDF_DEFAULT);
      expect(u1.kdfSalt).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(fromB64u(u1.kdfSalt)).toHaveLength(16);
      expect(u2.kdfSalt).toBe(u1.kdfSalt);
      expect(other.kdfSalt).not.toBe(u1.kdfSalt);
      expect(otherOrg.kdfSalt).not.toBe(u1.kdfSalt);
      expect(wrongUser.kdfSalt).not.toBe(a.user.material.kdfSalt);
      expect(new Set([u1.challengeId, u2.challengeId, other.challengeId, known.challengeId]).size).toBe(4);
      expect(u1.challenge).not.toBe(u2.challenge);
    });

    // Stored parameters come back from a jsonb column with reordered keys,
    // decoys from the KDF_DEFAULT literal: the serialised answer must not differ.
    it('serialises the parameters of known and unknown accounts identically (account enumeration)', async () => {
      const clientIp = ip();
      const known = await prelogin(db, { orgShortName: a.orgShortName, userShortName: a.userShortName }, clientIp);
      const unknown = await prelogin(db, { orgShortName: short('ghost'), userShortName: short('nobody') }, clientIp);
      expect(JSON.stringify(known.kdfParams)).toBe(JSON.stringify(unknown.kdfParams));
    });
  });

  describe('login', () => {
    let a: Account;
    let b: Account;
    beforeAll(async () => {
      a = await registerAccount(db);
      // A password of its own, so b's authKey is a real "wrong password" for a.
      b = await registerAccount(db, { password: OTHER_PASSWORD });
      expect(b.user.material.authKey).not.toBe(a.user.material.authKey);
    });

    it('opens a session for the correct authKey and a signature of the approved device', async () => {
      const clientIp = ip();
      const ticket = await doLogin(db, loginAsOwner(a), clientIp);
      expect(ticket.length).toBeGreaterThanOrEqual(40);
      const [row] = await db.select().from(userSessions).where(eq(userSessions.ticketHash, sha256Hex(ticket)));
      expect(row).toMatchObject({ userId: a.userId, orgId: a.orgId, deviceId: a.device.id });
      expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 11 * 3600_000);
      // Not a session until the ticket is redeemed.
      expect(await loadSessionContext(db, row.id)).toBeNull();
      const sid = await redeemTicket(db, ticket);
      expect(sid).toBe(row.id);
      expect(await loadSessionContext(db, sid)).toEqual({
        sessionId: sid,
        userId: a.userId,
        orgId: a.orgId,
        deviceId: a.device.id,
        role: 'owner',
        userShortName: a.userShortName,
        orgShortName: a.orgShortName,
        orgName: a.request.contract.orgName,
        plan: 'basis',
        deviceName: a.device.name,
        locked: false,
        mayMessagePatients: true,
      });
      const [dev] = await db.select().from(devices).where(eq(devices.id, a.device.id));
      expect(dev.lastLoginAt).toBeInstanceOf(Date);
    });

    it('accepts short names in another case and with surrounding spaces', async () => {
      // Through the schema (which trims) …
      await doLogin(db, { ...loginAsOwner(a), orgShortName: a.orgShortName.toUpperCase(), userShortName: a.userShortName.toUpperCase() });
      // … and straight at the service, which must normalise on its own.
      const input = await loginInput(db, loginAsOwner(a));
      const { ticket } = await login(db, { ...input, orgShortName: `  ${a.orgShortName.toUpperCase()} `, userShortName: ` ${a.userShortName} ` }, ip());
      expect(await redeemTicket(db, ticket)).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('refuses a wrong authKey and an unknown account alike', async () => {
      // An account of its own: the failures below count towards its lock.
      const c = await registerAccount(db);
      const clientIp = ip();
      const e1 = await expectAppError(login(db, await loginInput(db, { ...loginAsOwner(c), authKey: randomKey32() }), clientIp), 'login_failed');
      // Another user's valid authKey is just as wrong.
      await expectAppError(login(db, await loginInput(db, { ...loginAsOwner(c), authKey: b.user.material.authKey }), clientIp), 'login_failed');
      const e2 = await expectAppError(
        login(db, await loginInput(db, { ...loginAsOwner(c), orgShortName: short('ghost') }), clientIp),
        'login_failed',
      );
      const e3 = await expectAppError(
        login(db, await loginInput(db, { ...loginAsOwner(c), userShortName: b.userShortName }), clientIp),
        'login_failed',
      );
      expect(e1.toBody()).toEqual(e2.toBody());
      expect(e2.toBody()).toEqual(e3.toBody());
    });

    it('burns a challenge on first use and refuses expired ones', async () => {
      // An account of its own: the failures below count towards its lock.
      const c = await registerAccount(db);
      const clientIp = ip();
      const input = await loginInput(db, loginAsOwner(c));
      await login(db, input, clientIp);
      await expectAppError(login(db, input, clientIp), 'challenge_invalid');
      // A challenge used by a failed attempt is burnt as well.
      const bad = await loginInput(db, { ...loginAsOwner(c), authKey: randomKey32() });
      await expectAppError(login(db, bad, clientIp), 'login_failed');
      await expectAppError(login(db, { ...bad, authKey: c.user.material.authKey }, clientIp), 'challenge_invalid');
      // Unknown id and expired challenge.
      await expectAppError(login(db, { ...input, challengeId: uid() }, clientIp), 'challenge_invalid');
      const late = await loginInput(db, loginAsOwner(c));
      setClock({ offsetMs: 6 * 60_000 });
      await expectAppError(login(db, late, clientIp), 'challenge_invalid');
    });

    it('reports an unknown device only after a correct authKey', async () => {
      // An account of its own: the failures below count towards its lock.
      const c = await registerAccount(db);
      const stranger = await newDevice('Fremdes Gerät');
      const clientIp = ip();
      await expectAppError(
        login(db, await loginInput(db, { ...loginAsOwner(c), device: stranger }), clientIp),
        'device_unknown',
      );
      await expectAppError(
        login(db, await loginInput(db, { ...loginAsOwner(c), authKey: randomKey32(), device: stranger }), clientIp),
        'login_failed',
      );
      // Another user's approved device is unknown for this user.
      await expectAppError(login(db, await loginInput(db, { ...loginAsOwner(c), device: b.device }), clientIp), 'device_unknown');
    });

    it('refuses a signature made with another key or over another message', async () => {
      // An account of its own: the failures below count towards its lock.
      const c = await registerAccount(db);
      const clientIp = ip();
      const impostor = await newDevice();
      const input = await loginInput(db, { ...loginAsOwner(c), device: { id: c.device.id, privateKey: impostor.privateKey } });
      await expectAppError(login(db, input, clientIp), 'login_failed');
      // Signed by the right key, but for another account name (message binds the names).
      const ch = await issueChallenge(db, 'login');
      const signature = await signWith(c.device, deviceMessage('login', ch.challenge, b.orgShortName, c.userShortName, c.device.id));
      const input2 = ZLoginRequest.parse({ ...loginAsOwner(c), challengeId: ch.challengeId, deviceId: c.device.id, signature });
      await expectAppError(login(db, input2, clientIp), 'login_failed');
      // Signed for the "device" purpose instead of "login".
      const ch3 = await issueChallenge(db, 'login');
      const sig3 = await signWith(c.device, deviceMessage('device', ch3.challenge, c.orgShortName, c.userShortName, c.device.id));
      await expectAppError(
        login(db, ZLoginRequest.parse({ ...loginAsOwner(c), challengeId: ch3.challengeId, deviceId: c.device.id, signature: sig3 }), clientIp),
        'login_failed',
      );
    });

    it('locks an account after 5 failures, even for the correct password, but not other accounts of the same client', async () => {
      const victim = await registerAccount(db);
      const clientIp = ip();
      for (let i = 0; i < 5; i++) {
        await expectAppError(login(db, await loginInput(db, { ...loginAsOwner(victim), authKey: randomKey32() }), clientIp), 'login_failed');
      }
      const locked = await expectAppError(login(db, await loginInput(db, loginAsOwner(victim)), clientIp), 'locked');
      expect(locked.retryAfterSeconds).toBeGreaterThan(0);
      expect(locked.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
      // From another client, too: the lock is on the account.
      await expectAppError(login(db, await loginInput(db, loginAsOwner(victim)), ip()), 'locked');
      // The same client can still log in to another account.
      await doLogin(db, loginAsOwner(b), clientIp);
      // The lock runs out.
      setClock({ offsetMs: 15 * 60_000 + 5_000 });
      await doLogin(db, loginAsOwner(victim), clientIp);
    });

    it('a successful login resets the account failure count', async () => {
      const c = await registerAccount(db);
      const clientIp = ip();
      for (let i = 0; i < 4; i++) {
        await expectAppError(login(db, await loginInput(db, { ...loginAsOwner(c), authKey: randomKey32() }), clientIp), 'login_failed');
      }
      await doLogin(db, loginAsOwner(c), clientIp);
      for (let i = 0; i < 4; i++) {
        await expectAppError(login(db, await loginInput(db, { ...loginAsOwner(c), authKey: randomKey32() }), clientIp), 'login_failed');
      }
      await doLogin(db, loginAsOwner(c), clientIp);
    });

    it('a locked session is unlocked by the password only, on the login budget', async () => {
      const c = await registerAccount(db);
      const sid = await redeemTicket(db, await doLogin(db, loginAsOwner(c)));
      const ctx = (await loadSessionContext(db, sid))!;
      expect(ctx.locked).toBe(false);
      await lockSession(db, sid);
      const locked = (await loadSessionContext(db, sid))!;
      expect(locked.locked).toBe(true);
      await expectAppError(unlockSession(db, locked, randomKey32(), ip()), 'current_password_wrong');
      expect((await loadSessionContext(db, sid))!.locked).toBe(true);
      await unlockSession(db, locked, c.user.material.authKey, ip());
      expect((await loadSessionContext(db, sid))!.locked).toBe(false);
    });

    it('20 parallel wrong passwords for one account get at most 5 verifications', async () => {
      const c = await registerAccount(db);
      const inputs = await Promise.all(Array.from({ length: 20 }, () => loginInput(db, { ...loginAsOwner(c), authKey: randomKey32() })));
      const results = await Promise.allSettled(inputs.map((input, i) => login(db, input, `${ip()}-${i}`)));
      const codes = results.map((r) => (r.status === 'rejected' && r.reason instanceof AppError ? r.reason.code : 'other'));
      // Each "login_failed" is a password that was verified; the rest were refused before.
      expect(codes.filter((x) => x === 'login_failed').length).toBeLessThanOrEqual(5);
      expect(codes.filter((x) => x === 'login_failed').length + codes.filter((x) => x === 'locked').length).toBe(20);
      await expectAppError(login(db, await loginInput(db, loginAsOwner(c)), ip()), 'locked');
    });

    it('locks a client after 30 failures across accounts, without locking the accounts elsewhere', async () => {
      const clientIp = ip();
      for (let i = 0; i < 30; i++) {
        // Each attempt on a different unknown account, so no account lock interferes.
        await expectAppError(
          login(db, await loginInput(db, { ...loginAsOwner(a), orgShortName: short('ghost'), authKey: randomKey32() }), clientIp),
          'login_failed',
        );
      }
      const [row] = await db.select().from(rateLimits).where(eq(rateLimits.key, `login:ip:${clientIp}`));
      expect(row.failures).toBe(30);
      const e = await expectAppError(login(db, await loginInput(db, loginAsOwner(b)), clientIp), 'locked');
      expect(e.retryAfterSeconds).toBeGreaterThan(0);
      // The account itself is fine from anywhere else.
      await doLogin(db, loginAsOwner(b), ip());
    });

    it('resolves a session only with its own user\'s device and only until it expires', async () => {
      // A session whose device belongs to someone else never resolves.
      const ticket = await doLogin(db, loginAsOwner(a));
      const sid = await redeemTicket(db, ticket);
      await db.update(userSessions).set({ deviceId: b.device.id }).where(eq(userSessions.id, sid));
      expect(await loadSessionContext(db, sid)).toBeNull();
      expect(await loadSessionContext(db, 'not-a-uuid')).toBeNull();
      expect(await loadSessionContext(db, uid())).toBeNull();
      // Expired sessions are gone as well.
      const sid2 = await redeemTicket(db, await doLogin(db, loginAsOwner(a)));
      expect(await loadSessionContext(db, sid2)).not.toBeNull();
      setClock({ offsetMs: 12 * 3600_000 + 60_000 });
      expect(await loadSessionContext(db, sid2)).toBeNull();
      expect(await db.select().from(userSessions).where(and(eq(userSessions.id, sid2), eq(userSessions.userId, a.userId)))).toHaveLength(1);
    });
  });
});
