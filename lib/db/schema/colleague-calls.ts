import { now } from '../../core/clock';
import { bigserial, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { users } from './users';

// Calls between two members of one organisation. The server knows who called
// whom, when, and how it ended (a missed or declined call is listed for the
// callee); what the two say to each other travels sealed (colleague_call_signals).
export const colleagueCalls = pgTable(
  'colleague_calls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    callerId: uuid('caller_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    calleeId: uuid('callee_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // ringing → accepted → ended; ringing → declined (by the callee) or missed (cancelled by the caller, or unanswered).
    state: text('state', { enum: ['ringing', 'accepted', 'ended', 'declined', 'missed'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** A missed call the callee marked as done ("Erledigt"): no longer listed. */
    dismissedAt: timestamp('dismissed_at', { withTimezone: true }),
  },
  (t) => [index('colleague_calls_callee_idx').on(t.calleeId, t.createdAt), index('colleague_calls_ringing_idx').on(t.state, t.createdAt)],
);

// Sealed signalling between the two members of a call (an envelope under the
// key only they derive); deleted when the call ends.
export const colleagueCallSignals = pgTable(
  'colleague_call_signals',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    callId: uuid('call_id')
      .notNull()
      .references(() => colleagueCalls.id, { onDelete: 'cascade' }),
    toUserId: uuid('to_user_id').notNull(),
    payload: text('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [index('colleague_call_signals_call_idx').on(t.callId, t.toUserId, t.id)],
);
