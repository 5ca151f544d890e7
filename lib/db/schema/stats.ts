import { now } from '../../core/clock';
import { bigint, index, integer, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { users } from './users';

// Raw call and invitation events, without any patient data. Kept at most three
// months (KBV Anlage 31b); older ones are folded into call_stats_monthly.
export const callEvents = pgTable(
  'call_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    callId: uuid('call_id'),
    type: text('type', {
      enum: ['call_started', 'call_ended', 'invitation_sms', 'invitation_email', 'invitation_manual', 'meeting_invitation'],
    }).notNull(),
    kind: text('kind', { enum: ['consultation', 'conference'] }).notNull().default('consultation'),
    participants: integer('participants'),
    durationS: integer('duration_s'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [index('call_events_org_time_idx').on(t.orgId, t.occurredAt), uniqueIndex('call_events_call_type_idx').on(t.callId, t.type)],
);

// Monthly aggregates per organisation and member (member null once removed).
export const callStatsMonthly = pgTable(
  'call_stats_monthly',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    month: text('month').notNull(), // YYYY-MM, Europe/Berlin
    kind: text('kind', { enum: ['consultation', 'conference'] }).notNull().default('consultation'),
    calls: integer('calls').notNull().default(0),
    durationS: bigint('duration_s', { mode: 'number' }).notNull().default(0),
    participants: integer('participants').notNull().default(0),
    invitationsSms: integer('invitations_sms').notNull().default(0),
    invitationsEmail: integer('invitations_email').notNull().default(0),
    invitationsManual: integer('invitations_manual').notNull().default(0),
    meetingInvitations: integer('meeting_invitations').notNull().default(0),
  },
  (t) => [unique('call_stats_monthly_key').on(t.orgId, t.userId, t.month, t.kind).nullsNotDistinct()],
);

// SMS sent per organisation and month (Europe/Berlin), for invoicing at EUR 0.10 each.
export const smsUsage = pgTable(
  'sms_usage',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    month: text('month').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [unique('sms_usage_key').on(t.orgId, t.month)],
);
