import { now } from '../../core/clock';
import { boolean, integer, pgTable, text, timestamp, uuid, index } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { appointments } from './video';

// Every e-mail (and later SMS) goes through here, so a provider outage loses nothing.
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').references(() => organisations.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: ['email', 'sms'] }).notNull(),
    template: text('template').notNull(),
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    bodyText: text('body_text').notNull(),
    bodyHtml: text('body_html'),
    status: text('status', { enum: ['pending', 'sending', 'sent', 'failed', 'cancelled'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    transport: text('transport'),
    providerMessageId: text('provider_message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    // Messages to patients: recipient, subject and bodies are sealed under a
    // server key while pending and erased once sent or cancelled.
    sealed: boolean('sealed').notNull().default(false),
    // The appointment a patient invitation or reminder belongs to, so that
    // cancelling the appointment withdraws its pending reminders.
    appointmentId: uuid('appointment_id'),
  },
  (t) => [index('outbox_due_idx').on(t.status, t.nextAttemptAt), index('outbox_org_idx').on(t.orgId)],
);

export type OutboxMessage = typeof outbox.$inferSelect;

// Whom Konsil messaged about an appointment, so that reminders follow a
// rescheduled appointment and the patient hears of a cancellation. `sealed`
// holds { to, locale, code, reminders, invitation } under the server key
// (as pending outbox rows do); the row goes with its appointment's codes, a
// day after the waiting room closed or after the cancellation.
export const patientContacts = pgTable(
  'patient_contacts',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    appointmentId: uuid('appointment_id')
      .notNull()
      .references(() => appointments.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: ['email', 'sms'] }).notNull(),
    sealed: text('sealed').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [index('patient_contacts_appt_idx').on(t.appointmentId)],
);
