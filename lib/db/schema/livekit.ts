import { now } from '../../core/clock';
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// Ids of LiveKit webhook events already taken in: a captured, validly signed
// event sent again within its freshness window is recognised and dropped.
// Rows are only needed while an event could still pass as fresh.
export const livekitWebhookEvents = pgTable('livekit_webhook_events', {
  id: text('id').primaryKey(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow().$defaultFn(now),
});
