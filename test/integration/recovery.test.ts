// Password recovery with the master password (recoverParams / recoverVerify /
// recoverComplete in lib/accounts/service.ts) on PostgreSQL and PGlite.
import {
  BACKENDS,
  doLogin,
  expectAppError,
  ip,
  loginAsOwner,
  loginInput,
  passwordSecrets,
  randomKey32,
  registerAccount,
  resetClock,
  sessionFor,
  short,
  type Account,
} from './helpers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { outbox, userSessions, users } from '@/lib/db/schema';
import { getKeyBundle, login, prelogin, recoverComplete, recoverParams, recoverVerify } from '@/lib/accounts/service';
import { loadSessionContext } from '@/lib/auth/sessions';
import { ZRecoverComplete, ZRecoverVerify } from '@/lib/accounts/schemas';
import { createNote, listNotes } from '@/lib/notes/service';
import { openBundleWithUserKey, rewrapUserKey, unwrapUserKeyWithMaster, unwrapUserKeyWithPassword } from '@/lib/protocol/account';
import { openNote, sealNote } from '@/lib/protocol/notes';
import { equalBytes } from '@/lib/crypto/encoding';
import { KDF_DEFAULT } from '@/lib/crypto/kdf';
import { setClock } from '@/lib/core/clock';

const NEW_PASSWORD = 'Birke%Stein9Grün';

const ref = (a: Account) => ({ orgShortName: a.orgShortName, userShortName: a.userShortName });

/** The browser's recovery: verify with the master key, unwrap userKey, rewrap it under the new password. */
async function recoverTo(db: Db, a: Account, newPassword: string, clientIp = ip()) {
  const v = await recoverVerify(db, ZRecoverVerify.parse({ ...ref(a), recoveryAuthKey: a.user.material.recoveryAuthKey }), clientIp);
  const userKey = unwrapUserKeyWithMaster(v, a.user.masterWrapKey!);
  const pw = await passwordSecrets(newPassword);
  const input = ZRecoverComplete.parse({
    ...ref(a),
    recoveryAuthKey: a.user.material.recoveryAuthKey,
    authKey: pw.authKey,
    kdfParams: pw.kdfParams,
    kdfSalt: pw.kdfSalt,
    wrappedUserKeyPw: rewrapUserKey(userKey, pw.passwordWrapKey, v.orgId, v.userId),
  });
  const res = await recoverComplete(db, input, clientIp);
  return { res, userKey, pw, input };
}

describe.each(BACKENDS)('recovery on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, close } = await open());
  });
  afterAll(async () => {
    await close?.();
  });
  afterEach(() => resetClock());

  it('hands out the stored master parameters, and stable decoys for unknown accounts', async () => {
    const a = await registerAccount(db);
    const clientIp = ip();
    const known = await recoverParams(db, { orgShortName: a.orgShortName.toUpperCase(), userShortName: ` ${a.userShortName}` }, clientIp);
    expect(known).toEqual({ masterKdfParams: KDF_DEFAULT, masterKdfSalt: a.user.material.masterKdfSalt });

    const ghost = { orgShortName: short('ghost'), userShortName: short('nobody') };
    const u1 = await recoverParams(db, ghost, clientIp);
    const u2 = await recoverParams(db, { orgShortName: ghost.orgShortName.toUpperCase(), userShortName: ghost.userShortName }, clientIp);
    const u3 = await recoverParams(db, { ...ghost, userShortName: short('other') }, clientIp);
    expect(Object.keys(u1).sort()).toEqual(Object.keys(known).sort());
    expect(u1.masterKdfParams).toEqual(KDF_DEFAULT);
    expect(u1.masterKdfSalt).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(u2.masterKdfSalt).toBe(u1.masterKdfSalt);
    expect(u3.masterKdfSalt).not.toBe(u1.masterKdfSalt);
    // The password decoy and the master decoy differ (different derivation labels).
    const pre = await prelogin(db, ghost, clientIp);
    expect(pre.kdfSalt).not.toBe(u1.masterKdfSalt);
  });

  // As for prelogin: stored parameters come from jsonb with reordered keys,
  // decoys from the KDF_DEFAULT literal; the answers must serialise alike.
  it('serialises master parameters of known and unknown accounts identically (account enumeration)', async () => {
    const a = await registerAccount(db);
    const known = await recoverParams(db, ref(a), ip());
    const unknown = await recoverParams(db, { orgShortName: short('ghost'), userShortName: short('nobody') }, ip());
    expect(JSON.stringify(known.masterKdfParams)).toBe(JSON.stringify(unknown.masterKdfParams));
  });

  it('recoverVerify returns the master-wrapped userKey, which opens to the same userKey', async () => {
    const a = await registerAccount(db);
    const v = await recoverVerify(
      db,
      ZRecoverVerify.parse({ orgShortName: a.orgShortName.toUpperCase(), userShortName: a.userShortName, recoveryAuthKey: a.user.material.recoveryAuthKey }),
      ip(),
    );
    expect(v).toEqual({ userId: a.userId, orgId: a.orgId, wrappedUserKeyMaster: a.user.material.wrappedUserKeyMaster });
    expect(equalBytes(unwrapUserKeyWithMaster(v, a.user.masterWrapKey!), a.user.userKey)).toBe(true);
    // Bound to its user: the same envelope does not open as another user's.
    expect(() => unwrapUserKeyWithMaster({ ...v, userId: a.orgId }, a.user.masterWrapKey!)).toThrow();
  });

  it('recoverComplete replaces the password, ends all sessions and keeps the data readable', async () => {
    const a = await registerAccount(db);
    const s1 = await sessionFor(db, loginAsOwner(a));
    const s2 = await sessionFor(db, loginAsOwner(a));
    const noteId = crypto.randomUUID();
    await createNote(db, s1, { id: noteId, bodyEnc: sealNote(a.orgKey, a.orgId, noteId, 'Befund folgt morgen') });
    const [before] = await db.select().from(users).where(eq(users.id, a.userId));

    const { res, userKey, pw } = await recoverTo(db, a, NEW_PASSWORD);
    expect(res).toEqual({ ok: true });
    expect(equalBytes(userKey, a.user.userKey)).toBe(true);

    // Every session of the user is gone.
    expect(await db.select().from(userSessions).where(eq(userSessions.userId, a.userId))).toHaveLength(0);
    expect(await loadSessionContext(db, s1.sessionId)).toBeNull();
    expect(await loadSessionContext(db, s2.sessionId)).toBeNull();

    const [after] = await db.select().from(users).where(eq(users.id, a.userId));
    expect(after.authHash).not.toBe(before.authHash);
    expect(after.recoveryHash).toBe(before.recoveryHash);
    expect(after.kdfSalt).toBe(pw.kdfSalt);
    expect(after.passwordChangedAt).toBeInstanceOf(Date);
    expect(after.wrappedUserKeyMaster).toBe(before.wrappedUserKeyMaster);

    // Old password out, new password in.
    await expectAppError(login(db, await loginInput(db, loginAsOwner(a)), ip()), 'login_failed');
    const pre = await prelogin(db, ref(a), ip());
    expect(pre.kdfSalt).toBe(pw.kdfSalt);
    const s3 = await sessionFor(db, { ...loginAsOwner(a), authKey: pw.authKey });

    // The bundle opens with the new password and yields the same orgKey, so old data still opens.
    const bundle = await getKeyBundle(db, s3);
    expect(bundle.kdfSalt).toBe(pw.kdfSalt);
    expect(() => unwrapUserKeyWithPassword(bundle, a.user.pw.passwordWrapKey)).toThrow();
    const keys = openBundleWithUserKey(bundle, unwrapUserKeyWithPassword(bundle, pw.passwordWrapKey));
    expect(equalBytes(keys.orgKey!, a.orgKey)).toBe(true);
    const [note] = (await listNotes(db, s3)).filter((n) => n.id === noteId);
    expect(openNote(keys.orgKey!, a.orgId, note)).toBe('Befund folgt morgen');

    // The owner is told.
    const mails = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.orgId, a.orgId), eq(outbox.template, 'password_recovered')));
    expect(mails).toHaveLength(1);
    expect(mails[0].recipient).toBe(a.email);
    expect(mails[0].bodyText).not.toContain(pw.authKey);

    // The master password keeps working.
    await recoverVerify(db, ZRecoverVerify.parse({ ...ref(a), recoveryAuthKey: a.user.material.recoveryAuthKey }), ip());
  });

  it('refuses a wrong recoveryAuthKey and unknown accounts', async () => {
    const a = await registerAccount(db);
    const clientIp = ip();
    await expectAppError(recoverVerify(db, ZRecoverVerify.parse({ ...ref(a), recoveryAuthKey: randomKey32() }), clientIp), 'recover_failed');
    // The login authKey is not a recovery key.
    await expectAppError(recoverVerify(db, ZRecoverVerify.parse({ ...ref(a), recoveryAuthKey: a.user.material.authKey }), clientIp), 'recover_failed');
    await expectAppError(
      recoverVerify(db, ZRecoverVerify.parse({ orgShortName: short('ghost'), userShortName: a.userShortName, recoveryAuthKey: a.user.material.recoveryAuthKey }), clientIp),
      'recover_failed',
    );
    const [before] = await db.select().from(users).where(eq(users.id, a.userId));
    const pw = await passwordSecrets(NEW_PASSWORD);
    await expectAppError(
      recoverComplete(
        db,
        ZRecoverComplete.parse({
          ...ref(a),
          recoveryAuthKey: randomKey32(),
          authKey: pw.authKey,
          kdfParams: pw.kdfParams,
          kdfSalt: pw.kdfSalt,
          wrappedUserKeyPw: before.wrappedUserKeyPw,
        }),
        clientIp,
      ),
      'recover_failed',
    );
    const [after] = await db.select().from(users).where(eq(users.id, a.userId));
    expect(after.authHash).toBe(before.authHash);
    expect(after.kdfSalt).toBe(before.kdfSalt);
    expect(after.passwordChangedAt).toBeNull();
    await doLogin(db, loginAsOwner(a));
  });

  it('locks recovery after 5 failures, even with the right key, without locking the login', async () => {
    const a = await registerAccount(db);
    const clientIp = ip();
    for (let i = 0; i < 5; i++) {
      await expectAppError(recoverVerify(db, ZRecoverVerify.parse({ ...ref(a), recoveryAuthKey: randomKey32() }), clientIp), 'recover_failed');
    }
    const e = await expectAppError(
      recoverVerify(db, ZRecoverVerify.parse({ ...ref(a), recoveryAuthKey: a.user.material.recoveryAuthKey }), ip()),
      'locked',
    );
    expect(e.retryAfterSeconds).toBeGreaterThan(0);
    expect(e.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    await expectAppError(recoverTo(db, a, NEW_PASSWORD), 'locked');
    // Login has its own budget.
    await doLogin(db, loginAsOwner(a), clientIp);
    // The lock runs out.
    setClock({ offsetMs: 15 * 60_000 + 5_000 });
    await recoverVerify(db, ZRecoverVerify.parse({ ...ref(a), recoveryAuthKey: a.user.material.recoveryAuthKey }), clientIp);
  });

  it('locks a client after 30 failed recoveries across accounts', async () => {
    const a = await registerAccount(db);
    const clientIp = ip();
    for (let i = 0; i < 30; i++) {
      await expectAppError(
        recoverVerify(db, ZRecoverVerify.parse({ orgShortName: short('ghost'), userShortName: 'nobody', recoveryAuthKey: randomKey32() }), clientIp),
        'recover_failed',
      );
    }
    await expectAppError(recoverVerify(db, ZRecoverVerify.parse({ ...ref(a), recoveryAuthKey: a.user.material.recoveryAuthKey }), clientIp), 'locked');
    await recoverVerify(db, ZRecoverVerify.parse({ ...ref(a), recoveryAuthKey: a.user.material.recoveryAuthKey }), ip());
  });

  it('a completed recovery lifts a login lock of the account', async () => {
    const a = await registerAccount(db);
    for (let i = 0; i < 5; i++) {
      await expectAppError(login(db, await loginInput(db, { ...loginAsOwner(a), authKey: randomKey32() }), ip()), 'login_failed');
    }
    await expectAppError(login(db, await loginInput(db, loginAsOwner(a)), ip()), 'locked');
    const { pw } = await recoverTo(db, a, NEW_PASSWORD);
    await sessionFor(db, { ...loginAsOwner(a), authKey: pw.authKey });
  });
});
