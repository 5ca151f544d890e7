import { now } from '../../core/clock';
import { integer, pgTable, text, timestamp, uuid, index } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { users, devices } from './users';

// One-time challenges for login/recovery: a device signs one, and it is burnt on use.
export const authChallenges = pgTable('auth_challenges', {
  id: uuid('id').primaryKey().defaultRandom(),
  nonce: text('nonce').notNull(),
  purpose: text('purpose', { enum: ['login', 'recover', 'device'] }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
});

// Server-side session rows: the Auth.js JWT only names the row, so revoking a
// device or removing a member ends its sessions at once.
export const userSessions = pgTable(
  'user_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    // single-use handover from the login route to Auth.js' authorize()
    ticketHash: text('ticket_hash'),
    // Set when the tab dropped its keys (idle lock, reload): until the password proves the
    // user again, the session may fetch its key bundle and nothing else.
    lockedAt: timestamp('locked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [index('user_sessions_user_idx').on(t.userId)],
);

export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});
