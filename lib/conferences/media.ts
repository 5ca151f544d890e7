import 'server-only';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { conferenceParticipants } from '@/lib/db/schema';
import { AppError } from '@/lib/core/errors';
import { now } from '@/lib/core/clock';
import { conferenceIdOfRoom, mintConferenceToken, receiveLivekitWebhook, rememberWebhookEvent } from './livekit';
import type { Conferee } from './room';

/** A LiveKit join token for a participant in the room (never for one in the lobby). */
export async function livekitTokenFor(p: Conferee) {
  if (p.state !== 'admitted') throw new AppError('forbidden');
  return mintConferenceToken({ conferenceId: p.conferenceId, participantId: p.id, canPublish: true });
}

/**
 * A verified LiveKit webhook: who joined and left the media room, in the
 * participant's row (seconds summed over reconnects). An event seen before is
 * taken as done and changes nothing; events of rooms or identities that are
 * not ours are ignored.
 */
export async function onLivekitWebhook(db: Db, body: string, authorization: string | null) {
  const event = await receiveLivekitWebhook(body, authorization);
  if (!(await rememberWebhookEvent(db, event.id))) return { ok: true, replay: true };
  const conferenceId = event.room ? conferenceIdOfRoom(event.room.name) : null;
  const participantId = event.participant?.identity;
  if (!conferenceId || !participantId || !/^[0-9a-f-]{36}$/i.test(participantId)) return { ok: true };
  const mine = and(eq(conferenceParticipants.id, participantId), eq(conferenceParticipants.conferenceId, conferenceId));
  const at = now();
  if (event.event === 'participant_joined') {
    await db.update(conferenceParticipants).set({ mediaJoinedAt: at }).where(mine);
  } else if (event.event === 'participant_left') {
    await db
      .update(conferenceParticipants)
      .set({
        mediaSeconds: sql`${conferenceParticipants.mediaSeconds} + greatest(0, floor(extract(epoch from (${at.toISOString()}::timestamptz - ${conferenceParticipants.mediaJoinedAt}))))::int`,
        mediaJoinedAt: null,
      })
      .where(and(mine, isNotNull(conferenceParticipants.mediaJoinedAt)));
  }
  return { ok: true };
}
