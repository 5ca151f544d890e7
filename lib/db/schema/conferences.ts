import { now } from '../../core/clock';
import { bigserial, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { users } from './users';

// Conferences ("Konferenzen", plan plus). The server holds when, how long, the
// state, the host and which members are invited; the title, the note, the
// guests' names and codes and the conference key sit in record_enc, an
// envelope under orgKey bound to this row (docs/SECURITY.md §3.8b).
export const conferences = pgTable(
  'conferences',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    hostId: uuid('host_id').references(() => users.id, { onDelete: 'set null' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    durationMin: integer('duration_min').notNull(),
    // scheduled → (running while someone is in) → ended; scheduled → cancelled.
    state: text('state', { enum: ['scheduled', 'ended', 'cancelled'] }).notNull().default('scheduled'),
    recordEnc: text('record_enc').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('conferences_org_start_idx').on(t.orgId, t.startsAt)],
);

// Members of the organisation invited to a conference (the host is always in).
export const conferenceMembers = pgTable(
  'conference_members',
  {
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.conferenceId, t.userId] })],
);

// One row per guest invitation: SHA-256 of the lookup the guest's browser
// derives from the code, and the conference key wrapped under a key derived
// from that code. Forgotten when the conference ends.
export const conferenceGuests = pgTable(
  'conference_guests',
  {
    id: uuid('id').primaryKey(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id, { onDelete: 'cascade' }),
    lookupHash: text('lookup_hash').notNull(),
    keyWrap: text('key_wrap').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [uniqueIndex('conference_guests_lookup_idx').on(t.lookupHash), index('conference_guests_conf_idx').on(t.conferenceId)],
);

// Who is in (or in the lobby of) a conference. A member enters signed in, a
// guest by code; both hold a bearer token of which only the hash is kept.
// A guest's display name is sealed under the conference key.
export const conferenceParticipants = pgTable(
  'conference_participants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    guestId: uuid('guest_id'),
    nameEnc: text('name_enc'),
    tokenHash: text('token_hash').notNull(),
    state: text('state', { enum: ['waiting', 'admitted', 'left', 'removed'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    admittedAt: timestamp('admitted_at', { withTimezone: true }),
    leftAt: timestamp('left_at', { withTimezone: true }),
    // Touched by the participant's open event stream (on opening and every heartbeat);
    // one not seen for PRESENCE_TIMEOUT_MS is taken as gone (a crashed browser sends no leave).
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    // With a LiveKit server: when its (verified) webhook said this participant joined the
    // media room, and the seconds they were in it so far.
    mediaJoinedAt: timestamp('media_joined_at', { withTimezone: true }),
    mediaSeconds: integer('media_seconds').notNull().default(0),
  },
  (t) => [uniqueIndex('conference_participants_token_idx').on(t.tokenHash), index('conference_participants_conf_idx').on(t.conferenceId)],
);

// Sealed signalling between two participants, in transit; deleted when the conference ends.
export const conferenceSignals = pgTable(
  'conference_signals',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conferences.id, { onDelete: 'cascade' }),
    fromParticipant: uuid('from_participant').notNull(),
    toParticipant: uuid('to_participant').notNull(),
    payload: text('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [index('conference_signals_to_idx').on(t.conferenceId, t.toParticipant, t.id)],
);
