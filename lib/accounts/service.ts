import 'server-only';
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db/client';
import { devices, organisations, reservedShortNames, userSessions, users, type User } from '@/lib/db/schema';
import { refreshDirectoryEntry } from '@/lib/directory/service';
import { openContract } from '@/lib/contracts/open';
import { AppError } from '@/lib/core/errors';
import { normalizeShortName, isValidShortName } from '@/lib/validation';
import { hashSecret, hmac, randomToken, sha256Hex, verifyDummy, verifySecret } from '@/lib/server/hash';
import { getAuthSecret } from '@/lib/server/secret';
import { consume, countEvent, POLICIES, refundAttempt, resetLimit, takeAttempt } from '@/lib/server/rate-limit';
import { now } from '@/lib/core/clock';
import { getConfig } from '@/lib/core/config';
import { enqueueEmail } from '@/lib/messaging/outbox';
import { consumeChallenge, issueChallenge } from './challenges';
import { createSessionWithTicket, deleteSessionsOfUser, requireAdmin, unlockSessionRow, type SessionContext } from '@/lib/auth/sessions';
import { isValidDevicePublicKey, verifyDeviceSignature } from './verify-signature';
import {
  ZChangeMasterPassword,
  ZChangePassword,
  type TRegistrationRequest,
  ZDeviceRequest,
  ZLoginRequest,
  ZRecoverComplete,
  ZRecoverVerify,
  ZAccountRef,
} from './schemas';
import type { z } from 'zod';
import { KDF_DEFAULT } from '@/lib/crypto/kdf';
import { loginSigningMessage } from '@/lib/protocol/login';

const b = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));

export function shortNameHash(orgShortName: string): string {
  return sha256Hex(`konsil-org-short-name\u0000${normalizeShortName(orgShortName)}`);
}

export async function isOrgShortNameAvailable(db: DbOrTx, name: string): Promise<{ valid: boolean; available: boolean }> {
  if (!isValidShortName(name)) return { valid: false, available: false };
  const [row] = await db.select({ h: reservedShortNames.hash }).from(reservedShortNames).where(eq(reservedShortNames.hash, shortNameHash(name)));
  return { valid: true, available: !row };
}

export async function registerOrganisation(db: Db, req: TRegistrationRequest, clientIp: string): Promise<{ orgId: string; userId: string }> {
  await consume(db, `register:ip:${clientIp}`, POLICIES.registerClient);
  const c = req.contract;
  if (!(await isValidDevicePublicKey(req.device.publicKey))) throw new AppError('validation', { fields: { 'device.publicKey': 'bad_format' } });
  const [authHash, recoveryHash] = await Promise.all([hashSecret(b(req.user.authKey)), hashSecret(b(req.user.recoveryAuthKey))]);
  const { fingerprint } = await import('@/lib/crypto/asymmetric');
  const t = now();
  // The link in the welcome mail confirms the organisation's address (paid sending waits for it).
  const confirmToken = randomToken(32);
  await db.transaction(async (tx) => {
    const reserved = await tx.insert(reservedShortNames).values({ hash: shortNameHash(c.orgShortName) }).onConflictDoNothing().returning();
    if (reserved.length === 0) throw new AppError('short_name_taken', { fields: { orgShortName: 'shortNameTaken' } });
    const existing = await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, req.orgId));
    if (existing.length) throw new AppError('conflict');
    await tx.insert(organisations).values({
      id: req.orgId,
      shortName: c.orgShortName.trim(),
      shortNameNorm: normalizeShortName(c.orgShortName),
      name: c.orgName,
      orgType: c.orgType,
      orgSize: c.orgSize,
      specialty: c.specialty || null,
      bsnr: c.bsnr || null,
      lanr: c.lanr || null,
      street: c.street,
      houseNumber: c.houseNumber,
      addressExtra: c.addressExtra || null,
      plz: c.plz,
      city: c.city,
      salutation: c.salutation,
      title: c.title || null,
      firstName: c.firstName,
      lastName: c.lastName,
      email: c.email,
      phone: c.phone,
      directoryVisible: c.directoryVisible ?? false,
      plan: c.plan,
      publicKey: req.org.publicKey,
      publicKeyFingerprint: fingerprint(b(req.org.publicKey)),
      encPrivateKey: req.org.encPrivateKey,
      signPublic: req.org.signPublic,
      encSignPrivate: req.org.encSignPrivate,
      avvVersion: req.avvVersion,
      avvAcceptedAt: t,
      locale: req.locale,
      emailConfirmTokenHash: sha256Hex(confirmToken),
    });
    await tx.insert(users).values({
      id: req.userId,
      orgId: req.orgId,
      shortName: c.userShortName.trim(),
      shortNameNorm: normalizeShortName(c.userShortName),
      role: 'owner',
      status: 'active',
      authHash,
      recoveryHash,
      kdfParams: req.user.kdfParams,
      kdfSalt: req.user.kdfSalt,
      masterKdfParams: req.user.masterKdfParams,
      masterKdfSalt: req.user.masterKdfSalt,
      wrappedUserKeyPw: req.user.wrappedUserKeyPw,
      wrappedUserKeyMaster: req.user.wrappedUserKeyMaster,
      x25519Public: req.user.x25519Public,
      ed25519Public: req.user.ed25519Public,
      encX25519Private: req.user.encX25519Private,
      encEd25519Private: req.user.encEd25519Private,
      sealedOrgKey: req.user.sealedOrgKey,
      sealedOrgKeySig: req.user.sealedOrgKeySig,
      sealedOrgKeyBy: req.userId,
      memberCert: req.user.memberCert,
      orgPin: req.user.orgPin,
      confirmedAt: t,
    });
    await tx.insert(devices).values({
      id: req.device.id,
      orgId: req.orgId,
      userId: req.userId,
      name: req.device.name,
      publicKey: req.device.publicKey,
      status: 'approved',
      decidedAt: t,
    });
    await openContract(tx, { orgId: req.orgId, plan: c.plan, bank: { accountHolder: c.accountHolder, iban: c.iban, bic: c.bic }, at: t });
    await refreshDirectoryEntry(tx, req.orgId);
    await enqueueEmail(tx, {
      orgId: req.orgId,
      to: c.email,
      locale: req.locale,
      template: 'registration_confirmation',
      vars: {
        orgName: c.orgName,
        orgShortName: c.orgShortName.trim(),
        userShortName: c.userShortName.trim(),
        plan: c.plan,
        loginUrl: `${getConfig().appUrl}/login`,
        confirmUrl: `${getConfig().appUrl}/bestaetigen#${confirmToken}`,
      },
    });
  });
  return { orgId: req.orgId, userId: req.userId };
}

async function findAccount(db: DbOrTx, orgShortName: string, userShortName: string) {
  const [row] = await db
    .select({ user: users, org: organisations })
    .from(users)
    .innerJoin(organisations, eq(organisations.id, users.orgId))
    .where(
      and(
        eq(organisations.shortNameNorm, normalizeShortName(orgShortName)),
        eq(users.shortNameNorm, normalizeShortName(userShortName)),
        ne(users.status, 'removed'),
      ),
    );
  return row ?? null;
}

// Unknown accounts get a stable, secret-derived salt and the default
// parameters, so the pre-login answer does not reveal whether they exist.
function decoySalt(kind: string, orgShortName: string, userShortName: string): string {
  return hmac(getAuthSecret(), `${kind}\u0000${normalizeShortName(orgShortName)}\u0000${normalizeShortName(userShortName)}`)
    .subarray(0, 16)
    .toString('base64url');
}

export async function prelogin(db: Db, input: z.output<typeof ZAccountRef>, clientIp: string) {
  await consume(db, `preauth:ip:${clientIp}`, POLICIES.preAuthClient);
  const acct = await findAccount(db, input.orgShortName, input.userShortName);
  const challenge = await issueChallenge(db, 'login');
  return {
    kdfParams: canonicalKdf(acct ? acct.user.kdfParams : KDF_DEFAULT),
    kdfSalt: acct ? acct.user.kdfSalt : decoySalt('pw', input.orgShortName, input.userShortName),
    ...challenge,
  };
}

/** KDF parameters, salt and a login challenge: the same shape for unknown accounts. */
export type PreloginAnswer = Awaited<ReturnType<typeof prelogin>>;

// jsonb reorders object keys; answering known and unknown accounts with the
// same key order keeps the pre-login response from telling them apart.
function canonicalKdf(k: { v: 1 | 2; alg: 'argon2id'; m: number; t: number; p: number }) {
  return { v: k.v, alg: k.alg, m: k.m, t: k.t, p: k.p };
}

function accountLimitKey(kind: string, orgShortName: string, userShortName: string) {
  return `${kind}:acct:${sha256Hex(`${normalizeShortName(orgShortName)}\u0000${normalizeShortName(userShortName)}`)}`;
}

/** Checks the password-derived authKey with lock-out per account and per client. */
async function authenticate(
  db: Db,
  kind: 'login' | 'recover' | 'reauth',
  ref: { orgShortName: string; userShortName: string },
  secret: string,
  clientIp: string,
  pick: (u: User) => string,
) {
  // Re-authentication spends the login budget: it is the same secret.
  const limitKind = kind === 'reauth' ? 'login' : kind;
  const acctKey = accountLimitKey(limitKind, ref.orgShortName, ref.userShortName);
  const ipKey = `${limitKind}:ip:${clientIp}`;
  // Every verification is paid for before it runs, atomically, so parallel
  // guesses get no more verifications than the budget; a success pays back.
  await takeAttempt(db, acctKey, POLICIES.loginAccount);
  try {
    await takeAttempt(db, ipKey, POLICIES.loginClient);
  } catch (e) {
    await refundAttempt(db, acctKey);
    throw e;
  }
  const acct = await findAccount(db, ref.orgShortName, ref.userShortName);
  const ok = acct ? await verifySecret(b(secret), pick(acct.user)) : await verifyDummy(b(secret));
  if (!acct || !ok) throw new AppError(kind === 'login' ? 'login_failed' : kind === 'recover' ? 'recover_failed' : 'current_password_wrong');
  await refundAttempt(db, acctKey);
  await refundAttempt(db, ipKey);
  return { acct, acctKey, ipKey };
}

export async function login(db: Db, input: z.output<typeof ZLoginRequest>, clientIp: string): Promise<{ ticket: string }> {
  const nonce = await consumeChallenge(db, input.challengeId, 'login');
  const { acct, acctKey, ipKey } = await authenticate(db, 'login', input, input.authKey, clientIp, (u) => u.authHash);
  if (acct.user.status === 'pending') throw new AppError('member_pending');
  const [device] = await db.select().from(devices).where(and(eq(devices.id, input.deviceId), eq(devices.userId, acct.user.id)));
  if (!device) throw new AppError('device_unknown');
  if (device.status === 'pending') throw new AppError('device_not_approved');
  if (device.status !== 'approved') throw new AppError('device_revoked');
  const message = loginSigningMessage({
    purpose: 'login',
    challenge: nonce,
    orgShortName: acct.org.shortNameNorm,
    userShortName: acct.user.shortNameNorm,
    deviceId: device.id,
  });
  if (!(await verifyDeviceSignature(device.publicKey, input.signature, message))) {
    await countEvent(db, acctKey, POLICIES.loginAccount);
    await countEvent(db, ipKey, POLICIES.loginClient);
    throw new AppError('login_failed');
  }
  await resetLimit(db, acctKey);
  await db.update(devices).set({ lastLoginAt: now() }).where(eq(devices.id, device.id));
  const ticket = await createSessionWithTicket(db, { userId: acct.user.id, orgId: acct.org.id, deviceId: device.id });
  return { ticket };
}

export async function requestDeviceApproval(db: Db, input: z.output<typeof ZDeviceRequest>, clientIp: string) {
  const nonce = await consumeChallenge(db, input.challengeId, 'login');
  const { acct, acctKey } = await authenticate(db, 'login', input, input.authKey, clientIp, (u) => u.authHash);
  const [existing] = await db.select().from(devices).where(eq(devices.id, input.device.id));
  if (existing && existing.userId !== acct.user.id) throw new AppError('conflict');
  if (existing && (existing.status === 'revoked' || existing.status === 'rejected')) throw new AppError('device_revoked');
  if (existing?.status === 'approved') return { status: 'approved' as const };
  if (!(await isValidDevicePublicKey(input.device.publicKey))) throw new AppError('validation', { fields: { 'device.publicKey': 'bad_format' } });
  const message = loginSigningMessage({
    purpose: 'device',
    challenge: nonce,
    orgShortName: acct.org.shortNameNorm,
    userShortName: acct.user.shortNameNorm,
    deviceId: input.device.id,
  });
  if (!(await verifyDeviceSignature(input.device.publicKey, input.signature, message))) throw new AppError('login_failed');
  await resetLimit(db, acctKey);
  await db.transaction(async (tx) => {
    if (existing) {
      await tx.update(devices).set({ name: input.device.name }).where(eq(devices.id, existing.id));
      return;
    }
    await tx.insert(devices).values({
      id: input.device.id,
      orgId: acct.org.id,
      userId: acct.user.id,
      name: input.device.name,
      publicKey: input.device.publicKey,
      status: 'pending',
    });
    await enqueueEmail(tx, {
      orgId: acct.org.id,
      to: acct.org.email,
      locale: acct.org.locale === 'en' ? 'en' : 'de',
      template: 'device_pending',
      vars: {
        orgName: acct.org.name,
        userShortName: acct.user.shortName,
        deviceName: input.device.name,
        devicesUrl: `${getConfig().appUrl}/app/stammdaten/geraete`,
      },
    });
  });
  return { status: 'pending' as const };
}

export async function getKeyBundle(db: DbOrTx, session: SessionContext) {
  const [row] = await db
    .select({ user: users, org: organisations })
    .from(users)
    .innerJoin(organisations, eq(organisations.id, users.orgId))
    .where(and(eq(users.id, session.userId), eq(users.orgId, session.orgId)));
  if (!row) throw new AppError('unauthenticated');
  const u = row.user;
  // Who sealed this user's orgKey, with the keys and certificate the browser checks the signature against.
  const [sealer] = u.sealedOrgKeyBy
    ? await db
        .select({ userId: users.id, orgId: users.orgId, x25519Public: users.x25519Public, ed25519Public: users.ed25519Public, memberCert: users.memberCert })
        .from(users)
        .where(and(eq(users.id, u.sealedOrgKeyBy), eq(users.orgId, session.orgId)))
    : [];
  return {
    userId: u.id,
    orgId: row.org.id,
    orgShortName: row.org.shortName,
    userShortName: u.shortName,
    kdfParams: u.kdfParams,
    kdfSalt: u.kdfSalt,
    wrappedUserKeyPw: u.wrappedUserKeyPw,
    x25519Public: u.x25519Public,
    ed25519Public: u.ed25519Public,
    encX25519Private: u.encX25519Private,
    encEd25519Private: u.encEd25519Private,
    sealedOrgKey: u.sealedOrgKey,
    sealedOrgKeySig: u.sealedOrgKeySig,
    sealer: sealer ?? null,
    orgPin: u.orgPin,
    org: {
      publicKey: row.org.publicKey,
      encPrivateKey: row.org.encPrivateKey,
      fingerprint: row.org.publicKeyFingerprint,
      signPublic: row.org.signPublic,
      encSignPrivate: row.org.encSignPrivate,
    },
  };
}

export async function recoverParams(db: Db, input: z.output<typeof ZAccountRef>, clientIp: string) {
  await consume(db, `preauth:ip:${clientIp}`, POLICIES.preAuthClient);
  const acct = await findAccount(db, input.orgShortName, input.userShortName);
  return {
    masterKdfParams: canonicalKdf(acct ? acct.user.masterKdfParams : KDF_DEFAULT),
    masterKdfSalt: acct ? acct.user.masterKdfSalt : decoySalt('master', input.orgShortName, input.userShortName),
  };
}

export type RecoverParamsAnswer = Awaited<ReturnType<typeof recoverParams>>;

export async function recoverVerify(db: Db, input: z.output<typeof ZRecoverVerify>, clientIp: string) {
  const { acct } = await authenticate(db, 'recover', input, input.recoveryAuthKey, clientIp, (u) => u.recoveryHash);
  return { userId: acct.user.id, orgId: acct.org.id, wrappedUserKeyMaster: acct.user.wrappedUserKeyMaster };
}

/** userKey wrapped under the master key, with the row it is bound to. */
export type RecoverVerifyAnswer = Awaited<ReturnType<typeof recoverVerify>>;

export async function recoverComplete(db: Db, input: z.output<typeof ZRecoverComplete>, clientIp: string) {
  const { acct, acctKey } = await authenticate(db, 'recover', input, input.recoveryAuthKey, clientIp, (u) => u.recoveryHash);
  const authHash = await hashSecret(b(input.authKey));
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        authHash,
        kdfParams: input.kdfParams,
        kdfSalt: input.kdfSalt,
        wrappedUserKeyPw: input.wrappedUserKeyPw,
        passwordChangedAt: now(),
      })
      .where(eq(users.id, acct.user.id));
    await deleteSessionsOfUser(tx, acct.user.id);
    await resetLimit(tx, acctKey);
    await resetLimit(tx, accountLimitKey('login', input.orgShortName, input.userShortName));
    await enqueueEmail(tx, {
      orgId: acct.org.id,
      to: acct.org.email,
      locale: acct.org.locale === 'en' ? 'en' : 'de',
      template: 'password_recovered',
      vars: { orgName: acct.org.name, userShortName: acct.user.shortName },
    });
  });
  return { ok: true };
}


/** A locked session is opened again by the password (its authKey), on the login budget. */
export async function unlockSession(db: Db, session: SessionContext, authKey: string, clientIp: string) {
  const ref = { orgShortName: session.orgShortName, userShortName: session.userShortName };
  const { acct } = await authenticate(db, 'reauth', ref, authKey, clientIp, (u) => u.authHash);
  if (acct.user.id !== session.userId) throw new AppError('forbidden');
  await unlockSessionRow(db, session.sessionId);
}

/** A signed-in user sets a new password: the current one proves it is them, not just their open tab. */
export async function changePassword(db: Db, session: SessionContext, input: z.output<typeof ZChangePassword>, clientIp: string) {
  const ref = { orgShortName: session.orgShortName, userShortName: session.userShortName };
  const { acct, acctKey } = await authenticate(db, 'reauth', ref, input.currentAuthKey, clientIp, (u) => u.authHash);
  if (acct.user.id !== session.userId) throw new AppError('forbidden');
  const authHash = await hashSecret(b(input.authKey));
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ authHash, kdfParams: input.kdfParams, kdfSalt: input.kdfSalt, wrappedUserKeyPw: input.wrappedUserKeyPw, passwordChangedAt: now() })
      .where(and(eq(users.id, session.userId), eq(users.orgId, session.orgId)));
    // Other sessions of this user end; this one stays.
    await tx.delete(userSessions).where(and(eq(userSessions.userId, session.userId), ne(userSessions.id, session.sessionId)));
    await resetLimit(tx, acctKey);
  });
  return { ok: true };
}

/** A signed-in user sets a new master password; userKey is re-wrapped under it in the browser. */
export async function changeMasterPassword(db: Db, session: SessionContext, input: z.output<typeof ZChangeMasterPassword>, clientIp: string) {
  const ref = { orgShortName: session.orgShortName, userShortName: session.userShortName };
  const { acct, acctKey } = await authenticate(db, 'reauth', ref, input.currentAuthKey, clientIp, (u) => u.authHash);
  if (acct.user.id !== session.userId) throw new AppError('forbidden');
  const recoveryHash = await hashSecret(b(input.recoveryAuthKey));
  await db
    .update(users)
    .set({
      recoveryHash,
      masterKdfParams: input.masterKdfParams,
      masterKdfSalt: input.masterKdfSalt,
      wrappedUserKeyMaster: input.wrappedUserKeyMaster,
    })
    .where(and(eq(users.id, session.userId), eq(users.orgId, session.orgId)));
  await resetLimit(db, acctKey);
  return { ok: true };
}

/** The link from the welcome (or a later) mail: the organisation's e-mail address is confirmed. */
export async function confirmOrgEmail(db: DbOrTx, token: string): Promise<{ orgName: string }> {
  const rows = await db
    .update(organisations)
    .set({ emailConfirmedAt: now(), emailConfirmTokenHash: null })
    .where(eq(organisations.emailConfirmTokenHash, sha256Hex(token)))
    .returning({ orgName: organisations.name });
  if (!rows.length) throw new AppError('confirmation_invalid');
  return rows[0]!;
}

/** An admin asks for a new confirmation link, sent to the organisation's address. */
export async function resendOrgEmailConfirmation(db: Db, session: SessionContext) {
  requireAdmin(session);
  const token = randomToken(32);
  await db.transaction(async (tx) => {
    const [org] = await tx
      .update(organisations)
      .set({ emailConfirmTokenHash: sha256Hex(token) })
      .where(and(eq(organisations.id, session.orgId), isNull(organisations.emailConfirmedAt)))
      .returning({ name: organisations.name, email: organisations.email, locale: organisations.locale });
    if (!org) throw new AppError('conflict');
    await enqueueEmail(tx, {
      orgId: session.orgId,
      to: org.email,
      locale: org.locale === 'en' ? 'en' : 'de',
      template: 'email_confirmation',
      vars: { orgName: org.name, confirmUrl: `${getConfig().appUrl}/bestaetigen#${token}` },
    });
  });
  return { sent: true };
}
