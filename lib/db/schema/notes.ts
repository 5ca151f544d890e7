import { now } from '../../core/clock';
import { pgTable, text, timestamp, uuid, index } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { users } from './users';

// Team notes ("Praxis-Notizen"): the body is an envelope under orgKey; the
// server sees only who wrote when.
export const notes = pgTable(
  'notes',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    bodyEnc: text('body_enc').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [index('notes_org_idx').on(t.orgId)],
);
