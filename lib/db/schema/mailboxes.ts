import { now } from '../../core/clock';
import { sql } from 'drizzle-orm';
import { boolean, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { users } from './users';

// Mailboxes ("Postfächer", lib/protocol/mailboxes.ts). The name is public to
// partners in the directory; keys are versioned, each public key certified by
// the organisation, each private key sealed to the members who may use it.
export const mailboxes = pgTable(
  'mailboxes',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    isMain: boolean('is_main').notNull().default(false),
    keyVersion: integer('key_version').notNull(),
    // Set when someone lost access: an admin's browser makes the next key version.
    rekeyNeeded: boolean('rekey_needed').notNull().default(false),
    /** Where the notice of a new study goes (a department's own address); null: the organisation's address. */
    noticeEmail: text('notice_email'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [uniqueIndex('mailboxes_main_idx').on(t.orgId).where(sql`${t.isMain}`), uniqueIndex('mailboxes_name_idx').on(t.orgId, t.name)],
);

export const mailboxKeys = pgTable(
  'mailbox_keys',
  {
    mailboxId: uuid('mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    publicKey: text('public_key').notNull(),
    cert: text('cert').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [primaryKey({ columns: [t.mailboxId, t.version] })],
);

/** Who may use a mailbox: the server lists and serves its studies to them only. */
export const mailboxMembers = pgTable(
  'mailbox_members',
  {
    mailboxId: uuid('mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.mailboxId, t.userId] })],
);

export const mailboxKeyGrants = pgTable(
  'mailbox_key_grants',
  {
    mailboxId: uuid('mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    sealedPrivate: text('sealed_private').notNull(),
    signature: text('signature').notNull(),
    sealedBy: uuid('sealed_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [primaryKey({ columns: [t.mailboxId, t.version, t.userId] })],
);

export type MailboxRow = typeof mailboxes.$inferSelect;
