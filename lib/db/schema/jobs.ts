import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// Who runs a scheduled job right now (lib/jobs.ts). Times are the database's
// own clock, shared by every instance, never the app's movable one.
export const jobLeases = pgTable('job_leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  until: timestamp('until', { withTimezone: true }).notNull(),
});
