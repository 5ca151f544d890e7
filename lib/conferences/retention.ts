import 'server-only';
import { inArray, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { conferenceGuests, conferenceParticipants, conferences, conferenceSignals } from '@/lib/db/schema';
import { now } from '@/lib/core/clock';
import { CLOSES_AFTER_END_MIN } from '@/lib/video/window';

/**
 * What a conference leaves behind, forgotten on time (the retention job):
 * signalling in transit after an hour; a day after the room closed (or the
 * conference ended), the guests' lookups and wrapped keys — so a code opens
 * nothing any more, as for patients — and the participants with their token
 * hashes. The conference row with its sealed record stays, like an appointment.
 */
export async function purgeConferences(db: DbOrTx, at: Date = now()) {
  const signals = await db
    .delete(conferenceSignals)
    .where(lt(conferenceSignals.createdAt, new Date(at.getTime() - 3600_000)))
    .returning({ id: conferenceSignals.id });
  const dayAgo = new Date(at.getTime() - 86_400_000);
  const closed = db
    .select({ id: conferences.id })
    .from(conferences)
    .where(
      sql`(${conferences.state} <> 'scheduled' and coalesce(${conferences.endedAt}, ${conferences.startsAt}) < ${dayAgo.toISOString()}::timestamptz)
        or ${conferences.startsAt} + make_interval(mins => ${conferences.durationMin} + ${CLOSES_AFTER_END_MIN}) < ${dayAgo.toISOString()}::timestamptz`,
    );
  const guests = await db.delete(conferenceGuests).where(inArray(conferenceGuests.conferenceId, closed)).returning({ id: conferenceGuests.id });
  const participants = await db
    .delete(conferenceParticipants)
    .where(inArray(conferenceParticipants.conferenceId, closed))
    .returning({ id: conferenceParticipants.id });
  return signals.length + guests.length + participants.length;
}
