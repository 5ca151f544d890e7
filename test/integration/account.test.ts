// Changing the password and the master password while signed in
// (lib/accounts/service.ts) on PostgreSQL and PGlite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import {
  BACKENDS,
  doLogin,
  expectAppError,
  ip,
  loginAsOwner,
  masterSecrets,
  passwordSecrets,
  registerWithSession,
  sessionFor,
  type Account,
} from './helpers';
import type { Db } from '@/lib/db/client';
import { users } from '@/lib/db/schema';
import { changeMasterPassword, changePassword, getKeyBundle, recoverVerify } from '@/lib/accounts/service';
import { loadSessionContext, type SessionContext } from '@/lib/auth/sessions';
import { ZChangeMasterPassword, ZChangePassword } from '@/lib/accounts/schemas';
import { rewrapUserKey, rewrapUserKeyForMaster, unwrapUserKeyWithMaster, unwrapUserKeyWithPassword } from '@/lib/protocol/account';
import { equalBytes } from '@/lib/crypto/encoding';
import { KDF_DEFAULT } from '@/lib/crypto/kdf';

const NEW_PASSWORD = 'Birke&Stein9Grün';
const NEW_MASTER = 'Eiche?Wolke5Grau';

describe.each(BACKENDS)('credential changes on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;
  let a: Account;
  let sess: SessionContext;

  beforeAll(async () => {
    ({ db, close } = await open());
    ({ account: a, session: sess } = await registerWithSession(db));
  });
  afterAll(async () => {
    await close?.();
  });

  it('a new password: the old one stops working, other sessions end, the same userKey opens', async () => {
    const other = await sessionFor(db, loginAsOwner(a));
    const next = await passwordSecrets(NEW_PASSWORD);
    const input = ZChangePassword.parse({
      currentAuthKey: a.user.material.authKey,
      authKey: next.authKey,
      kdfParams: next.kdfParams,
      kdfSalt: next.kdfSalt,
      wrappedUserKeyPw: rewrapUserKey(a.user.userKey, next.passwordWrapKey, a.orgId, a.userId),
    });
    // The current password must be proven, not just the open session.
    await expectAppError(changePassword(db, sess, { ...input, currentAuthKey: next.authKey }, ip()), 'current_password_wrong');
    await changePassword(db, sess, input, ip());

    expect(await loadSessionContext(db, sess.sessionId)).not.toBeNull();
    expect(await loadSessionContext(db, other.sessionId)).toBeNull();
    await expectAppError(doLogin(db, loginAsOwner(a)), 'login_failed');
    await doLogin(db, { ...loginAsOwner(a), authKey: next.authKey });
    const bundle = await getKeyBundle(db, sess);
    expect(equalBytes(unwrapUserKeyWithPassword(bundle, next.passwordWrapKey), a.user.userKey)).toBe(true);
    a.user.material.authKey = next.authKey;
  });

  it('a new master password: recovery works with it only, and opens the same userKey', async () => {
    const master = await masterSecrets(NEW_MASTER);
    const input = ZChangeMasterPassword.parse({
      currentAuthKey: a.user.material.authKey,
      recoveryAuthKey: master.recoveryAuthKey,
      masterKdfParams: KDF_DEFAULT,
      masterKdfSalt: master.kdfSalt,
      wrappedUserKeyMaster: rewrapUserKeyForMaster(a.user.userKey, master.masterWrapKey, a.orgId, a.userId),
    });
    await changeMasterPassword(db, sess, input, ip());
    const ref = { orgShortName: a.orgShortName, userShortName: a.userShortName };
    await expectAppError(recoverVerify(db, { ...ref, recoveryAuthKey: a.user.material.recoveryAuthKey }, ip()), 'recover_failed');
    const v = await recoverVerify(db, { ...ref, recoveryAuthKey: master.recoveryAuthKey }, ip());
    expect(equalBytes(unwrapUserKeyWithMaster(v, master.masterWrapKey), a.user.userKey)).toBe(true);
    const [row] = await db.select().from(users).where(eq(users.id, a.userId));
    expect(row.recoveryHash).not.toContain(master.recoveryAuthKey);
  });

  it('wrong current passwords spend the login budget and lock the account', async () => {
    const { account: c, session: sc } = await registerWithSession(db);
    const master = await masterSecrets(NEW_MASTER);
    const input = ZChangeMasterPassword.parse({
      currentAuthKey: (await passwordSecrets(NEW_PASSWORD)).authKey,
      recoveryAuthKey: master.recoveryAuthKey,
      masterKdfParams: KDF_DEFAULT,
      masterKdfSalt: master.kdfSalt,
      wrappedUserKeyMaster: rewrapUserKeyForMaster(c.user.userKey, master.masterWrapKey, c.orgId, c.userId),
    });
    for (let i = 0; i < 5; i++) await expectAppError(changeMasterPassword(db, sc, input, ip()), 'current_password_wrong');
    await expectAppError(doLogin(db, loginAsOwner(c)), 'locked');
  });
});
