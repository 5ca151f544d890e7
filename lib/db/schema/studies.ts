import { now } from '../../core/clock';
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { mailboxes } from './mailboxes';
import { organisations } from './organisations';
import { users } from './users';

// Studies sent between organisations (lib/protocol/studies.ts). The server
// holds who sent what to which mailbox, sizes and times; everything about the
// patient is in manifest_enc, and the files are STREAM-encrypted blobs under
// <data>/blobs/<recipient org>/<study>/<file>.
//
// A received study is the recipient's record: it outlives its sender. The
// sending organisation's link is dropped when it is deleted (its send log goes
// with it), and what the recipient's browser checks the signature with — the
// organisation's public keys and the signing member's certified keys, as they
// were at registration — is kept beside it (sender_snapshot). The browser
// still checks those keys against its own pin of the sender.

/** A member's certified public keys as they were when they signed something (lib/members/sealer.ts TSigner). */
export type StudySigner = { userId: string; orgId: string; x25519Public: string; ed25519Public: string; memberCert: string | null; shortName: string };

/** Public keys of the sender at registration. */
export type StudySenderSnapshot = {
  orgId: string;
  orgName: string;
  publicKey: string;
  signPublic: string | null;
  mailboxId: string;
  user: StudySigner | null;
};

export const studies = pgTable(
  'studies',
  {
    id: uuid('id').primaryKey(),
    /** Null once the sending organisation is deleted; sender_snapshot keeps its id. */
    senderOrgId: uuid('sender_org_id').references(() => organisations.id, { onDelete: 'set null' }),
    senderUserId: uuid('sender_user_id').references(() => users.id, { onDelete: 'set null' }),
    senderMailboxId: uuid('sender_mailbox_id').references(() => mailboxes.id, { onDelete: 'set null' }),
    senderKeyVersion: integer('sender_key_version').notNull(),
    recipientOrgId: uuid('recipient_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    recipientMailboxId: uuid('recipient_mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    recipientKeyVersion: integer('recipient_key_version').notNull(),
    manifestEnc: text('manifest_enc').notNull(),
    keyForRecipient: text('key_for_recipient').notNull(),
    keyForSender: text('key_for_sender').notNull(),
    signature: text('signature').notNull(),
    /** Null only for rows made before it existed (and backfilled where the sender still was): then the live keys are served. */
    senderSnapshot: jsonb('sender_snapshot').$type<StudySenderSnapshot>(),
    fileCount: integer('file_count').notNull(),
    /** Encrypted bytes of all files: what the recipient mailbox's quota counts. */
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    complete: boolean('complete').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    // Receipts, signed by a recipient member's browser (lib/protocol/studies.ts),
    // with the signer's certified keys as they were then: a receipt stays
    // checkable in the sender's log after that member leaves.
    deliveredAt: text('delivered_at'),
    deliveredBy: uuid('delivered_by').references(() => users.id, { onDelete: 'set null' }),
    deliveredSig: text('delivered_sig'),
    deliveredSigner: jsonb('delivered_signer').$type<StudySigner>(),
    openedAt: text('opened_at'),
    openedBy: uuid('opened_by').references(() => users.id, { onDelete: 'set null' }),
    openedSig: text('opened_sig'),
    openedSigner: jsonb('opened_signer').$type<StudySigner>(),
    /** Deleted by the recipient (files gone) or hidden from the sender's log; the row goes when both. */
    recipientDeletedAt: timestamp('recipient_deleted_at', { withTimezone: true }),
    senderDeletedAt: timestamp('sender_deleted_at', { withTimezone: true }),
  },
  (t) => [index('studies_recipient_idx').on(t.recipientMailboxId, t.createdAt), index('studies_sender_idx').on(t.senderOrgId, t.createdAt)],
);

export const studyFiles = pgTable(
  'study_files',
  {
    studyId: uuid('study_id')
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    fileId: uuid('file_id').notNull(),
    /** Encrypted size: the upload must have exactly this length. */
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    complete: boolean('complete').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.studyId, t.fileId] })],
);

export type StudyRow = typeof studies.$inferSelect;
