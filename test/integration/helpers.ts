// Shared fixtures for the integration tests: database backends, accounts
// built with the real client key hierarchy, device keys, sessions.
//
// Import this module first in every integration test file. It sets the
// environment the services read; they read it lazily (getConfig,
// getAuthSecret), so setting it here, before any test code runs, is enough.
// The global setup sets the same values for the workers it starts.
import { TEST_AUTH_SECRET, assertLocalPostgresUrl } from '../global-setup';

process.env.KONSIL_OUTBOX_WORKER = 'off';
process.env.AUTH_SECRET = TEST_AUTH_SECRET;

import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { expect, inject } from 'vitest';
import { openPglite, openPostgres, type Db } from '@/lib/db/client';
import { outbox, userSessions } from '@/lib/db/schema';
import { AppError, type ErrorCode } from '@/lib/core/errors';
import { setClock } from '@/lib/core/clock';
import { sha256Hex } from '@/lib/server/hash';
import { normalizeShortName } from '@/lib/validation';
import {
  AVV_VERSION,
  ZInvitationAccept,
  ZLoginRequest,
  ZRegistrationRequest,
  type TRegistrationRequest,
} from '@/lib/accounts/schemas';
import { confirmOrgEmail, getKeyBundle, login, prelogin, registerOrganisation } from '@/lib/accounts/service';
import { createAppointment } from '@/lib/appointments/service';
import { newCodes, sealRecord } from '@/lib/protocol/appointments';
import { loginSigningMessage, type DeviceSigningPurpose } from '@/lib/protocol/login';
import { joinLookupNative } from '@/lib/appointments/invite';
import { acceptInvitation, confirmMember, createInvitation, inspectInvitation, listMembers } from '@/lib/members/service';
import { acceptInvitationKeys, checkPendingMember, prepareInvitation, sealOrgPin } from '@/lib/protocol/trust';
import { loadSessionContext, type SessionContext } from '@/lib/auth/sessions';
import { issueChallenge } from '@/lib/accounts/challenges';
import type { z } from 'zod';
import {
  ad,
  createOrgKeys,
  createUserKeyMaterial,
  deriveMasterSecrets,
  derivePasswordSecrets,
  openBundleWithUserKey,
  grantOrgKey,
  unwrapUserKeyWithPassword,
  type PasswordSecrets,
} from '@/lib/protocol/account';
import { KDF_DEFAULT } from '@/lib/crypto/kdf';
import { wrapKey } from '@/lib/crypto/envelope';
import { generateEd25519, generateX25519 } from '@/lib/crypto/asymmetric';
import { randomBytes, randomKey } from '@/lib/crypto/random';
import { toB64u } from '@/lib/crypto/encoding';
import type { Ed25519PrivateKey, MasterWrapKey, OrgKey, UserKey, X25519PrivateKey } from '@/lib/crypto/types';

// ---------------------------------------------------------------------------
// Backends
// ---------------------------------------------------------------------------

export type Opened = { db: Db; close: () => Promise<void> };
export type BackendName = 'postgres' | 'pglite';

async function openPg(): Promise<Opened> {
  const url = inject('konsilPgUrl');
  if (!url) throw new Error(`PostgreSQL integration suite: ${inject('konsilPgError') ?? 'no database URL provided by global setup'}`);
  assertLocalPostgresUrl(url);
  return openPostgres(url, { migrate: true });
}

async function openLite(): Promise<Opened> {
  return openPglite(null, { migrate: true });
}

/** For `describe.each(BACKENDS)('%s', (name, open) => …)`: every suite runs on both. */
export const BACKENDS: [BackendName, () => Promise<Opened>][] = [
  ['postgres', openPg],
  ['pglite', openLite],
];

// ---------------------------------------------------------------------------
// Small utilities
// ---------------------------------------------------------------------------

export const uid = () => randomUUID();
export const short = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
/** A client address of its own, so rate-limit budgets of different tests never mix. */
export const ip = () => `198.51.100.${randomUUID().slice(0, 8)}`;
export const randomKey32 = () => toB64u(randomBytes(32));

/** Awaits `p`, expects it to reject with an AppError of `code`, and returns the error. */
export async function expectAppError(p: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected AppError "${code}" but the call succeeded`).toBeDefined();
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

export function resetClock() {
  setClock({ fixed: null, offsetMs: 0 });
}

// ---------------------------------------------------------------------------
// Passwords and the client key hierarchy
// ---------------------------------------------------------------------------

export const PASSWORD = 'Linde#Weg7Blau';
export const MASTER_PASSWORD = 'Tanne!Fluss3Rot';

// Argon2id at KDF_DEFAULT costs about a second per derivation here, so each
// password is derived once per test file (with one fixed random salt, bound to
// one stand-in account) and the result is reused: the server cannot tell. Everything downstream of the KDF (userKey, key pairs,
// wrapping with the user's own associated data) is fresh for every user,
// exactly as createUserKeyMaterial builds it; `realUserMaterial` runs that
// function itself where the full client path matters.
const CACHE_ACCOUNT = { orgShortName: 'cache', userShortName: 'cache' };
const pwCache = new Map<string, Promise<PasswordSecrets>>();
const masterCache = new Map<string, Promise<{ recoveryAuthKey: string; masterWrapKey: MasterWrapKey; kdfSalt: string }>>();

export function passwordSecrets(password: string): Promise<PasswordSecrets> {
  let p = pwCache.get(password);
  if (!p) {
    p = derivePasswordSecrets(password, KDF_DEFAULT, toB64u(randomBytes(16)), CACHE_ACCOUNT);
    pwCache.set(password, p);
  }
  return p;
}

export function masterSecrets(masterPassword: string) {
  let p = masterCache.get(masterPassword);
  if (!p) {
    const kdfSalt = toB64u(randomBytes(16));
    p = deriveMasterSecrets(masterPassword, KDF_DEFAULT, kdfSalt, CACHE_ACCOUNT).then((m) => ({ ...m, kdfSalt }));
    masterCache.set(masterPassword, p);
  }
  return p;
}

export type UserMaterial = Awaited<ReturnType<typeof createUserKeyMaterial>>['material'];

export type BuiltUser = {
  material: UserMaterial;
  userKey: UserKey;
  x25519Private: X25519PrivateKey;
  ed25519Private: Ed25519PrivateKey;
  pw: PasswordSecrets;
  /** null for realUserMaterial: createUserKeyMaterial keeps the master wrap key to itself. */
  masterWrapKey: MasterWrapKey | null;
};

/** What createUserKeyMaterial produces, with the password derivations taken from the cache. */
export async function buildUserMaterial(args: { orgId: string; userId: string; password?: string; masterPassword?: string }): Promise<BuiltUser> {
  const pw = await passwordSecrets(args.password ?? PASSWORD);
  const master = await masterSecrets(args.masterPassword ?? MASTER_PASSWORD);
  const userKey = randomKey<UserKey>();
  const x = generateX25519();
  const e = generateEd25519();
  const material: UserMaterial = {
    authKey: pw.authKey,
    recoveryAuthKey: master.recoveryAuthKey,
    kdfParams: pw.kdfParams,
    kdfSalt: pw.kdfSalt,
    masterKdfParams: KDF_DEFAULT,
    masterKdfSalt: master.kdfSalt,
    wrappedUserKeyPw: wrapKey(pw.passwordWrapKey, userKey, ad.wrappedUserKeyPw(args.orgId, args.userId)),
    wrappedUserKeyMaster: wrapKey(master.masterWrapKey, userKey, ad.wrappedUserKeyMaster(args.orgId, args.userId)),
    x25519Public: toB64u(x.publicKey),
    ed25519Public: toB64u(e.publicKey),
    encX25519Private: wrapKey(userKey, x.privateKey, ad.encX25519Private(args.orgId, args.userId)),
    encEd25519Private: wrapKey(userKey, e.privateKey, ad.encEd25519Private(args.orgId, args.userId)),
  };
  return { material, userKey, x25519Private: x.privateKey, ed25519Private: e.privateKey, pw, masterWrapKey: master.masterWrapKey };
}

/** The unmodified client path (two real Argon2id derivations). */
export async function realUserMaterial(args: {
  orgId: string;
  userId: string;
  account: { orgShortName: string; userShortName: string };
  password: string;
  masterPassword: string;
}): Promise<BuiltUser> {
  const r = await createUserKeyMaterial(args);
  return {
    material: r.material,
    userKey: r.keys.userKey,
    x25519Private: r.keys.x25519Private,
    ed25519Private: r.keys.ed25519Private,
    pw: { authKey: r.material.authKey, passwordWrapKey: r.passwordWrapKey, kdfParams: r.material.kdfParams, kdfSalt: r.material.kdfSalt },
    masterWrapKey: null,
  };
}

// ---------------------------------------------------------------------------
// Device keys (ECDSA P-256, as the browser makes them)
// ---------------------------------------------------------------------------

export type TestDevice = { id: string; name: string; publicKey: string; privateKey: CryptoKey };

export async function newDevice(name = 'Empfang PC'): Promise<TestDevice> {
  const pair = (await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const spki = await globalThis.crypto.subtle.exportKey('spki', pair.publicKey);
  return { id: randomUUID(), name, publicKey: Buffer.from(spki).toString('base64url'), privateKey: pair.privateKey };
}

export async function signWith(device: Pick<TestDevice, 'privateKey'>, message: string): Promise<string> {
  const sig = await globalThis.crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, device.privateKey, new TextEncoder().encode(message));
  return Buffer.from(sig).toString('base64url');
}

export function deviceMessage(purpose: DeviceSigningPurpose, challenge: string, orgShortName: string, userShortName: string, deviceId: string) {
  return loginSigningMessage({
    purpose,
    challenge,
    orgShortName: normalizeShortName(orgShortName),
    userShortName: normalizeShortName(userShortName),
    deviceId,
  });
}

// ---------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------

export type Account = {
  orgId: string;
  userId: string;
  orgShortName: string;
  userShortName: string;
  email: string;
  device: TestDevice;
  user: BuiltUser;
  orgKey: OrgKey;
  orgPrivateKey: X25519PrivateKey;
  orgSignPrivate: Ed25519PrivateKey;
  request: TRegistrationRequest;
};

export const SEPA = { accountHolder: 'Dr. Anna Müller', iban: 'de89 3704 0044 0532 0130 00', bic: 'cobadeffxxx' };

export function contractFor(args: { orgShortName: string; userShortName: string; plan: 'basis' | 'plus'; email: string; orgName?: string; deviceName: string }) {
  return {
    plan: args.plan,
    orgName: args.orgName ?? `Praxis ${args.orgShortName}`,
    orgType: 'arztpraxis',
    orgSize: '1-5',
    specialty: 'Allgemeinmedizin',
    bsnr: '',
    lanr: '',
    street: 'Hauptstraße',
    houseNumber: '12a',
    addressExtra: '',
    plz: '10115',
    city: 'Berlin',
    salutation: 'frau',
    title: 'Dr. med.',
    firstName: 'Anna',
    lastName: 'Müller',
    email: args.email,
    phone: '+49 30 1234567',
    directoryVisible: false,
    ...(args.plan === 'plus' ? SEPA : {}),
    orgShortName: args.orgShortName,
    userShortName: args.userShortName,
    deviceName: args.deviceName,
  };
}

/** What an admin's browser of each registered test organisation holds, for the invitation steps. */
const orgKeysById = new Map<string, { orgKey: OrgKey; orgPublicKey: string; orgSignPublic: string }>();

/** Builds a registration request exactly as the browser sends it, validated by the route's schema. */
export async function buildRegistration(opts: {
  orgShortName?: string;
  userShortName?: string;
  plan?: 'basis' | 'plus';
  real?: boolean;
  password?: string;
  masterPassword?: string;
} = {}) {
  const orgId = uid();
  const userId = uid();
  const orgShortName = opts.orgShortName ?? short('org');
  const userShortName = opts.userShortName ?? short('user');
  const email = `${short('kontakt')}@praxis.example`;
  const password = opts.password ?? PASSWORD;
  const masterPassword = opts.masterPassword ?? MASTER_PASSWORD;
  const user = opts.real
    ? await realUserMaterial({ orgId, userId, account: { orgShortName, userShortName }, password, masterPassword })
    : await buildUserMaterial({ orgId, userId, password, masterPassword });
  const org = createOrgKeys(orgId);
  const device = await newDevice();
  const raw = {
    orgId,
    userId,
    contract: contractFor({ orgShortName, userShortName, plan: opts.plan ?? 'basis', email, deviceName: device.name }),
    user: {
      ...user.material,
      ...grantOrgKey({
        orgKey: org.orgKey,
        orgId,
        orgSignPrivate: org.orgSignPrivate,
        sealerEd25519Private: user.ed25519Private,
        member: { userId, x25519Public: user.material.x25519Public, ed25519Public: user.material.ed25519Public },
      }),
      orgPin: sealOrgPin(user.userKey, { orgId, userId, orgPublicKey: org.payload.publicKey, orgSignPublic: org.payload.signPublic }),
    },
    org: org.payload,
    device: { id: device.id, name: device.name, publicKey: device.publicKey },
    avvVersion: AVV_VERSION,
    locale: 'de',
  };
  const request = ZRegistrationRequest.parse(raw);
  orgKeysById.set(orgId, { orgKey: org.orgKey, orgPublicKey: org.payload.publicKey, orgSignPublic: org.payload.signPublic });
  const account: Account = {
    orgId,
    userId,
    orgShortName: request.contract.orgShortName,
    userShortName: request.contract.userShortName,
    email,
    device,
    user,
    orgKey: org.orgKey,
    orgPrivateKey: org.orgPrivateKey,
    orgSignPrivate: org.orgSignPrivate,
    request,
  };
  return account;
}

export async function registerAccount(db: Db, opts: Parameters<typeof buildRegistration>[0] & { confirmEmail?: boolean } = {}): Promise<Account> {
  const account = await buildRegistration(opts);
  await registerOrganisation(db, account.request, ip());
  // As the practice does by clicking the link in the welcome mail (paid sending waits for it).
  if (opts.confirmEmail !== false) await confirmOrgEmail(db, await confirmTokenFromOutbox(db, account.orgId));
  return account;
}

/** The token of the newest confirmation link mailed to the organisation. */
export async function confirmTokenFromOutbox(db: Db, orgId: string): Promise<string> {
  const rows = await db
    .select({ body: outbox.bodyText, createdAt: outbox.createdAt })
    .from(outbox)
    .where(and(eq(outbox.orgId, orgId), inArray(outbox.template, ['registration_confirmation', 'email_confirmation'])));
  const newest = rows.sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime())[0];
  const m = /\/bestaetigen#([A-Za-z0-9_-]+)/.exec(newest?.body ?? '');
  if (!m) throw new Error('no confirmation link in the outbox');
  return m[1]!;
}

// ---------------------------------------------------------------------------
// Login and sessions
// ---------------------------------------------------------------------------

export type LoginAs = {
  orgShortName: string;
  userShortName: string;
  authKey: string;
  device: Pick<TestDevice, 'id' | 'privateKey'>;
};

/** prelogin + signed login, as the browser does it; returns the ticket. */
export async function doLogin(db: Db, a: LoginAs, clientIp: string = ip()): Promise<string> {
  const pre = await prelogin(db, { orgShortName: a.orgShortName, userShortName: a.userShortName }, clientIp);
  const signature = await signWith(a.device, deviceMessage('login', pre.challenge, a.orgShortName, a.userShortName, a.device.id));
  const input = ZLoginRequest.parse({
    orgShortName: a.orgShortName,
    userShortName: a.userShortName,
    authKey: a.authKey,
    challengeId: pre.challengeId,
    deviceId: a.device.id,
    signature,
  });
  const { ticket } = await login(db, input, clientIp);
  return ticket;
}

/** A signed login request on a fresh challenge, without prelogin (so it works for unknown accounts too). */
export async function loginInput(db: Db, a: LoginAs): Promise<z.output<typeof ZLoginRequest>> {
  const ch = await issueChallenge(db, 'login');
  const signature = await signWith(a.device, deviceMessage('login', ch.challenge, a.orgShortName, a.userShortName, a.device.id));
  return ZLoginRequest.parse({
    orgShortName: a.orgShortName,
    userShortName: a.userShortName,
    authKey: a.authKey,
    challengeId: ch.challengeId,
    deviceId: a.device.id,
    signature,
  });
}

/**
 * What Auth.js does with the ticket (consumeLoginTicket needs the process-wide
 * database, so the same update runs here on the test's database).
 */
export async function redeemTicket(db: Db, ticket: string): Promise<string> {
  const rows = await db
    .update(userSessions)
    .set({ ticketHash: null })
    .where(eq(userSessions.ticketHash, sha256Hex(ticket)))
    .returning({ id: userSessions.id });
  expect(rows).toHaveLength(1);
  return rows[0]!.id;
}

export async function sessionFor(db: Db, a: LoginAs): Promise<SessionContext> {
  const sessionId = await redeemTicket(db, await doLogin(db, a));
  const ctx = await loadSessionContext(db, sessionId);
  expect(ctx).not.toBeNull();
  return ctx!;
}

export function loginAsOwner(a: Account): LoginAs {
  return { orgShortName: a.orgShortName, userShortName: a.userShortName, authKey: a.user.material.authKey, device: a.device };
}

// ---------------------------------------------------------------------------
// Members (invitation → acceptance → confirmation by an admin)
// ---------------------------------------------------------------------------

export type Member = LoginAs & {
  userId: string;
  orgId: string;
  role: 'admin' | 'member';
  user: BuiltUser;
  device: TestDevice;
};

/** The inviting admin's browser: token, secret and what the server keeps, for a registered test organisation. */
export function prepareInvitationFor(orgId: string) {
  const org = orgKeysById.get(orgId);
  if (!org) throw new Error('not an organisation registered by these helpers');
  return prepareInvitation({ orgKey: org.orgKey, orgId, orgPublicKey: org.orgPublicKey, orgSignPublic: org.orgSignPublic });
}

/** Invites and accepts a member; returns it still pending unless `confirm` is set. */
export async function inviteMember(
  db: Db,
  inviter: SessionContext,
  opts: { role?: 'admin' | 'member'; userShortName?: string; password?: string; masterPassword?: string } = {},
): Promise<Member & { token: string }> {
  const role = opts.role ?? 'member';
  const { token, secret, secretEnc, introMac } = prepareInvitationFor(inviter.orgId);
  await createInvitation(db, inviter, { role, locale: 'de', token, secretEnc, introMac });
  const userId = uid();
  const userShortName = opts.userShortName ?? short('member');
  const user = await buildUserMaterial({ orgId: inviter.orgId, userId, password: opts.password, masterPassword: opts.masterPassword });
  const device = await newDevice('Sprechzimmer');
  const served = await inspectInvitation(db, token, ip());
  const trust = acceptInvitationKeys({
    token,
    secret,
    served,
    userId,
    userKey: user.userKey,
    x25519Public: user.material.x25519Public,
    ed25519Public: user.material.ed25519Public,
  });
  const input = ZInvitationAccept.parse({
    token,
    userId,
    userShortName,
    user: { ...user.material, orgPin: trust.orgPin },
    keyProof: trust.keyProof,
    device: { id: device.id, name: device.name, publicKey: device.publicKey },
  });
  await acceptInvitation(db, input, ip());
  return { token, userId, orgId: inviter.orgId, role, user, device, orgShortName: inviter.orgShortName, userShortName, authKey: user.material.authKey };
}

/** The admin's browser: opens its own bundle, seals orgKey to the member and confirms. */
export async function confirmWithSealedKey(db: Db, admin: SessionContext, adminUser: BuiltUser, member: { userId: string; user: BuiltUser }) {
  const bundle = await getKeyBundle(db, admin);
  const keys = openBundleWithUserKey(bundle, unwrapUserKeyWithPassword(bundle, adminUser.pw.passwordWrapKey));
  // As the members page does: the keys as served must carry the invitee's proof.
  const served = (await listMembers(db, admin)).find((m) => m.id === member.userId);
  if (!served) throw new Error('member not listed');
  checkPendingMember(keys.orgKey!, admin.orgId, served);
  const grant = grantOrgKey({
    orgKey: keys.orgKey!,
    orgId: admin.orgId,
    orgSignPrivate: keys.orgSignPrivate!,
    sealerEd25519Private: keys.ed25519Private,
    member: { userId: member.userId, x25519Public: served.x25519Public, ed25519Public: served.ed25519Public },
  });
  await confirmMember(db, admin, member.userId, grant);
}

export async function addMember(db: Db, owner: { session: SessionContext; user: BuiltUser }, opts: Parameters<typeof inviteMember>[2] = {}) {
  const m = await inviteMember(db, owner.session, opts);
  await confirmWithSealedKey(db, owner.session, owner.user, m);
  return m;
}

/** A freshly registered organisation and a live session of its main user. */
export async function registerWithSession(db: Db): Promise<{ account: Account; session: SessionContext }> {
  const account = await registerAccount(db);
  return { account, session: await sessionFor(db, loginAsOwner(account)) };
}

// ---------------------------------------------------------------------------
// Appointments
// ---------------------------------------------------------------------------

/** joinLookup with Node's native scrypt, as the server computes it: half the time for the many appointments the tests make. */
export const nativeJoinLookup = joinLookupNative;

/** An appointment as the practice's browser creates it: codes made and the record sealed under orgKey. */
export async function createTestAppointment(
  db: Db,
  session: SessionContext,
  account: { orgKey: OrgKey; orgId: string },
  opts: { startsAt?: Date; durationMin?: number; patientName?: string } = {},
) {
  const id = uid();
  const codes = await newCodes(id, nativeJoinLookup);
  const record = { patientName: opts.patientName ?? 'X', birthDate: '', phone: '', email: '', note: '', doctorCode: codes.doctorCode, patientCode: codes.patientCode };
  await createAppointment(db, session, {
    id,
    startsAt: opts.startsAt ?? new Date(),
    durationMin: opts.durationMin ?? 30,
    holderId: session.userId,
    recordEnc: sealRecord(account.orgKey, account.orgId, id, record),
    patientLookup: codes.patientLookup,
    hostLookup: codes.hostLookup,
    hostWrap: codes.hostWrap,
  });
  return { id, codes };
}
