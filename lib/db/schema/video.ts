import { now } from '../../core/clock';
import { bigserial, boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { users } from './users';

// Appointments ("Termine"). The server holds when, how long, the state and the
// member who holds it; everything about the patient, and both access codes,
// sit in record_enc, an envelope under orgKey bound to this row.
export const appointments = pgTable(
  'appointments',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    holderId: uuid('holder_id').references(() => users.id, { onDelete: 'set null' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    durationMin: integer('duration_min').notNull(),
    state: text('state', { enum: ['scheduled', 'cancelled'] }).notNull().default('scheduled'),
    recordEnc: text('record_enc').notNull(),
    // SHA-256 of a lookup value the browser derives from each access code
    // (HKDF, label "join-lookup"): the codes themselves never reach the server.
    // Forgotten (NULL) a day after the waiting room closed or the appointment was cancelled.
    patientLookup: text('patient_lookup'),
    hostLookup: text('host_lookup'),
    // The patient code, encrypted under a key derived from the doctor code, so
    // a doctor who joins by code alone can still authenticate the signalling.
    hostWrap: text('host_wrap'),
    // Set when a member who could read the codes was removed; cleared when an admin's browser gave the appointment new ones.
    codesStale: boolean('codes_stale').notNull().default(false),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [
    index('appointments_org_start_idx').on(t.orgId, t.startsAt),
    uniqueIndex('appointments_patient_lookup_idx').on(t.patientLookup),
    uniqueIndex('appointments_host_lookup_idx').on(t.hostLookup),
  ],
);

// Who is in (or waiting for) a call. The token is a bearer secret handed to the
// browser when it enters; only its hash is kept.
export const callParticipants = pgTable(
  'call_participants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    appointmentId: uuid('appointment_id')
      .notNull()
      .references(() => appointments.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['host', 'patient'] }).notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    // The signed-in member's device, for a host who entered as a member (NULL: by code, or a patient).
    deviceId: uuid('device_id'),
    tokenHash: text('token_hash').notNull(),
    state: text('state', { enum: ['waiting', 'admitted', 'left'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    admittedAt: timestamp('admitted_at', { withTimezone: true }),
    leftAt: timestamp('left_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('call_participants_token_idx').on(t.tokenHash), index('call_participants_appt_idx').on(t.appointmentId)],
);

// Signalling messages in transit: opaque, sealed by the browsers under a key
// derived from the patient's access code. Kept briefly so a browser that
// (re)connects its stream receives what it missed; purged after an hour.
export const signalMessages = pgTable(
  'signal_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    appointmentId: uuid('appointment_id')
      .notNull()
      .references(() => appointments.id, { onDelete: 'cascade' }),
    fromRole: text('from_role', { enum: ['host', 'patient', 'server'] }).notNull(),
    toRole: text('to_role', { enum: ['host', 'patient'] }).notNull(),
    payload: text('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [index('signal_messages_appt_idx').on(t.appointmentId, t.id)],
);

export type Appointment = typeof appointments.$inferSelect;
export type CallParticipant = typeof callParticipants.$inferSelect;
