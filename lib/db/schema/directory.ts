import { now } from '../../core/clock';
import { sql } from 'drizzle-orm';
import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { users } from './users';

// Every word that occurs in a directory entry, once: the small table a typo
// is looked up in (trigram similarity), before the entries are matched exactly
// on the words it stands for (organisations.directory_words).
export const directoryTerms = pgTable(
  'directory_terms',
  { term: text('term').primaryKey() },
  (t) => [index('directory_terms_trgm_idx').using('gin', sql`${t.term} gin_trgm_ops`)],
);

// The organisation's own list of partners whose keys it has seen (pinned on
// first use). The pin is an envelope under orgKey, signed by the member who
// stored it; the server sees only that a pin exists.
export const partnerPins = pgTable(
  'partner_pins',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    partnerId: uuid('partner_id').notNull(),
    pinEnc: text('pin_enc').notNull(),
    signature: text('signature').notNull(),
    signedBy: uuid('signed_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.partnerId] })],
);

export type PartnerPinRow = typeof partnerPins.$inferSelect;
