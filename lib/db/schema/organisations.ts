import { now } from '../../core/clock';
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, timestamp, uuid, uniqueIndex } from 'drizzle-orm/pg-core';

// Contract data of an organisation. Everything here is data the operator may
// hold in clear (DESIGN §4): it is what the contract is made with, not patient data.
export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey(),
    shortName: text('short_name').notNull(),
    shortNameNorm: text('short_name_norm').notNull(),
    name: text('name').notNull(),
    orgType: text('org_type').notNull(),
    orgSize: text('org_size').notNull(),
    specialty: text('specialty'),
    bsnr: text('bsnr'),
    lanr: text('lanr'),
    street: text('street').notNull(),
    houseNumber: text('house_number').notNull(),
    addressExtra: text('address_extra'),
    plz: text('plz').notNull(),
    city: text('city').notNull(),
    salutation: text('salutation').notNull(),
    title: text('title'),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    email: text('email').notNull(),
    // Konsil sends paid messages (patient invitations, reminders) only once this address is confirmed.
    emailConfirmedAt: timestamp('email_confirmed_at', { withTimezone: true }),
    emailConfirmTokenHash: text('email_confirm_token_hash'),
    phone: text('phone').notNull(),
    directoryVisible: boolean('directory_visible').notNull().default(false),
    // Received studies are deleted this many days after they arrived; NULL keeps them until deleted.
    studyRetentionDays: integer('study_retention_days'),
    // What the directory search matches: the words of the public profile folded
    // to lower case without umlauts (lib/directory/search-text.ts). NULL while not listed.
    directoryWords: text('directory_words').array(),
    plan: text('plan').notNull(),
    // The organisation's X25519 key pair: anyone may encrypt to the public half,
    // the private half is only stored under orgKey.
    publicKey: text('public_key').notNull(),
    publicKeyFingerprint: text('public_key_fingerprint').notNull(),
    encPrivateKey: text('enc_private_key').notNull(),
    // The organisation signing key (lib/protocol/signing.ts): Ed25519 public half in clear,
    // private half under orgKey. NULL only for organisations registered before it existed.
    signPublic: text('sign_public'),
    encSignPrivate: text('enc_sign_private'),
    avvVersion: text('avv_version').notNull(),
    avvAcceptedAt: timestamp('avv_accepted_at', { withTimezone: true }).notNull(),
    locale: text('locale').notNull().default('de'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [
    uniqueIndex('organisations_short_name_norm_idx').on(t.shortNameNorm),
    index('organisations_directory_words_idx')
      .using('gin', t.directoryWords)
      .where(sql`${t.directoryWords} is not null`),
  ],
);

export const sepaMandates = pgTable('sepa_mandates', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id')
    .notNull()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  accountHolder: text('account_holder').notNull(),
  iban: text('iban').notNull(),
  bic: text('bic').notNull(),
  mandateReference: text('mandate_reference').notNull().unique(),
  signedAt: timestamp('signed_at', { withTimezone: true }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

// Short names are never reusable, even after the organisation is deleted.
// Only a hash is kept so a deleted organisation leaves no readable trace.
export const reservedShortNames = pgTable('reserved_short_names', {
  hash: text('hash').primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
});

export type Organisation = typeof organisations.$inferSelect;
export type NewOrganisation = typeof organisations.$inferInsert;
export type SepaMandate = typeof sepaMandates.$inferSelect;
