import { now } from '../../core/clock';
import { boolean, jsonb, pgTable, text, timestamp, uuid, uniqueIndex, index } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';

// v1: the salt was used as served (no longer accepted by browsers, lib/crypto/kdf.ts); v2: bound to the account.
export type StoredKdfParams = { v: 1 | 2; alg: 'argon2id'; m: number; t: number; p: number };

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    shortName: text('short_name').notNull(),
    shortNameNorm: text('short_name_norm').notNull(),
    role: text('role', { enum: ['owner', 'admin', 'member'] }).notNull(),
    // pending: invited member waiting for an admin to seal orgKey to them
    status: text('status', { enum: ['pending', 'active', 'removed'] }).notNull(),
    // Slow hashes of keys derived in the browser; the password never reaches us.
    authHash: text('auth_hash').notNull(),
    recoveryHash: text('recovery_hash').notNull(),
    kdfParams: jsonb('kdf_params').$type<StoredKdfParams>().notNull(),
    kdfSalt: text('kdf_salt').notNull(),
    masterKdfParams: jsonb('master_kdf_params').$type<StoredKdfParams>().notNull(),
    masterKdfSalt: text('master_kdf_salt').notNull(),
    wrappedUserKeyPw: text('wrapped_user_key_pw').notNull(),
    wrappedUserKeyMaster: text('wrapped_user_key_master').notNull(),
    x25519Public: text('x25519_public').notNull(),
    ed25519Public: text('ed25519_public').notNull(),
    encX25519Private: text('enc_x25519_private').notNull(),
    encEd25519Private: text('enc_ed25519_private').notNull(),
    sealedOrgKey: text('sealed_org_key'),
    // The sealer's Ed25519 signature over sealed_org_key, and who sealed it (lib/protocol/signing.ts).
    sealedOrgKeySig: text('sealed_org_key_sig'),
    sealedOrgKeyBy: uuid('sealed_org_key_by'),
    // This member's public keys, certified by the organisation signing key when they were confirmed.
    memberCert: text('member_cert'),
    // Members may have Konsil send invitations and reminders (which cost money) only if an
    // admin allows it; owner and admins always may.
    mayMessagePatients: boolean('may_message_patients').notNull().default(false),
    // The organisation this user trusts, under their own userKey (lib/protocol/trust.ts).
    orgPin: text('org_pin'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('users_org_short_name_idx').on(t.orgId, t.shortNameNorm), index('users_org_idx').on(t.orgId)],
);

export const devices = pgTable(
  'devices',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    // ECDSA P-256 public key (SPKI, base64url); the private half never leaves the browser.
    publicKey: text('public_key').notNull(),
    status: text('status', { enum: ['pending', 'approved', 'rejected', 'revoked'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: uuid('decided_by'),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
  },
  (t) => [index('devices_org_idx').on(t.orgId), index('devices_user_idx').on(t.userId)],
);

export const invitations = pgTable('invitations', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id')
    .notNull()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  tokenHash: text('token_hash').notNull().unique(),
  role: text('role', { enum: ['admin', 'member'] }).notNull(),
  label: text('label'),
  createdBy: uuid('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  userId: uuid('user_id'),
  // The invitation secret (never sent in clear) under orgKey; the inviting admin's
  // MAC over the organisation's public key; the invitee's MAC over their keys.
  secretEnc: text('secret_enc'),
  introMac: text('intro_mac'),
  keyProof: text('key_proof'),
});

export type User = typeof users.$inferSelect;
export type Device = typeof devices.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
