import 'server-only';
import { lt } from 'drizzle-orm';
import { AccessToken, RoomServiceClient, WebhookReceiver, type WebhookEvent } from 'livekit-server-sdk';
import { now } from '@/lib/core/clock';
import { getConfig, type LivekitConfig } from '@/lib/core/config';
import { AppError } from '@/lib/core/errors';
import type { DbOrTx } from '@/lib/db/client';
import { livekitWebhookEvents } from '@/lib/db/schema';

// Conferences beyond the peer-to-peer mesh run through a LiveKit server. It
// learns ids only: the room is named after the conference id, a participant is
// known by its participant id. Display names stay sealed under the conference
// key (lib/protocol/conference.ts) and travel between the browsers, so a token
// carries no name, metadata or attributes, and may not add its own metadata.

/** How long a join token admits its holder; the browser asks for a new one to reconnect. */
export const CONFERENCE_TOKEN_TTL_SECONDS = 10 * 60;

/** A webhook event older than this (by its own createdAt) is refused. */
export const WEBHOOK_MAX_AGE_MS = 5 * 60_000;

/** Clock skew tolerated for an event stamped ahead of our clock. */
export const WEBHOOK_MAX_AHEAD_MS = 60_000;

/**
 * How long seen event ids are kept: longer than any event can pass as fresh
 * (received at most WEBHOOK_MAX_AHEAD_MS before its createdAt, fresh until
 * WEBHOOK_MAX_AGE_MS after it), so dropping older ids lets no replay in.
 */
export const WEBHOOK_ID_KEEP_MS = 15 * 60_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROOM_PREFIX = 'konsil-conf-';

export function livekitEnabled(): boolean {
  return getConfig().livekit !== undefined;
}

function livekit(): LivekitConfig {
  const cfg = getConfig().livekit;
  if (!cfg) throw new AppError('livekit_not_configured');
  return cfg;
}

export function conferenceRoomName(conferenceId: string): string {
  return `${ROOM_PREFIX}${conferenceId}`;
}

/** The conference a LiveKit room belongs to, or null for a room that is not one of ours. */
export function conferenceIdOfRoom(room: string): string | null {
  if (!room.startsWith(ROOM_PREFIX)) return null;
  const id = room.slice(ROOM_PREFIX.length);
  return UUID.test(id) ? id : null;
}

/**
 * A token that lets one participant into one conference's room, and nowhere
 * else: no room creation, administration, listing or recording. The caller
 * has checked that the participant belongs to the conference.
 */
export async function mintConferenceToken(args: {
  conferenceId: string;
  participantId: string;
  canPublish: boolean;
}): Promise<{ url: string; token: string; expiresAt: Date }> {
  const cfg = livekit();
  // Ids only: anything else in a room name or identity would reach the LiveKit server in the clear.
  if (!UUID.test(args.conferenceId) || !UUID.test(args.participantId)) throw new AppError('bad_request');
  const at = new AccessToken(cfg.apiKey, cfg.apiSecret, { identity: args.participantId, ttl: CONFERENCE_TOKEN_TTL_SECONDS });
  at.addGrant({
    room: conferenceRoomName(args.conferenceId),
    roomJoin: true,
    canPublish: args.canPublish,
    canSubscribe: true,
    canPublishData: true,
    canUpdateOwnMetadata: false,
  });
  const token = await at.toJwt();
  // The LiveKit server checks exp against its wall clock, not Konsil's (movable)
  // one, so the expiry reported is the token's own.
  const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number };
  return { url: cfg.url, token, expiresAt: new Date(exp * 1000) };
}

/**
 * A webhook from the LiveKit server, checked: the Authorization header is a
 * token signed with our API secret whose sha256 claim is the body's hash, and
 * the event is fresh. Anything else is refused with webhook_invalid. Whether
 * the event was taken in before is rememberWebhookEvent's to say.
 */
export async function receiveLivekitWebhook(body: string, authorization: string | null): Promise<WebhookEvent> {
  const cfg = livekit();
  if (!authorization) throw new AppError('webhook_invalid');
  let event: WebhookEvent;
  try {
    event = await new WebhookReceiver(cfg.apiKey, cfg.apiSecret).receive(body, authorization);
  } catch {
    // A bad signature, a foreign key, an expired header, a changed body or one that is not an event.
    throw new AppError('webhook_invalid');
  }
  if (!event.id || !event.createdAt) throw new AppError('webhook_invalid');
  const age = now().getTime() - Number(event.createdAt) * 1000;
  if (age > WEBHOOK_MAX_AGE_MS || age < -WEBHOOK_MAX_AHEAD_MS) throw new AppError('webhook_invalid');
  return event;
}

/** Notes an event as taken in; false when it was already (a replay, or LiveKit retrying one we took). */
export async function rememberWebhookEvent(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db.insert(livekitWebhookEvents).values({ id }).onConflictDoNothing().returning({ id: livekitWebhookEvents.id });
  return rows.length === 1;
}

/** Drops ids no event could be replayed with any more (see WEBHOOK_ID_KEEP_MS). */
export async function forgetOldWebhookEvents(db: DbOrTx): Promise<number> {
  const rows = await db
    .delete(livekitWebhookEvents)
    .where(lt(livekitWebhookEvents.receivedAt, new Date(now().getTime() - WEBHOOK_ID_KEEP_MS)))
    .returning({ id: livekitWebhookEvents.id });
  return rows.length;
}

/** How long Konsil waits for the LiveKit server when it removes someone or closes a room. */
const ROOM_SERVICE_TIMEOUT_S = 5;

function roomService(cfg: LivekitConfig): RoomServiceClient {
  return new RoomServiceClient(cfg.url, cfg.apiKey, cfg.apiSecret, { requestTimeout: ROOM_SERVICE_TIMEOUT_S, failover: false });
}

/**
 * Whom the host removed leaves the media room too, and every token they were
 * given before now stops working there (revokeTokenTs): without it, their
 * last token would let them back in for up to CONFERENCE_TOKEN_TTL_SECONDS.
 * Best effort: Konsil's own state has already let them go, and the others'
 * pages no longer show or hear them; a LiveKit server that cannot be reached
 * is noted in the log, by ids only.
 */
export async function evictFromMediaRoom(conferenceId: string, participantId: string): Promise<void> {
  const cfg = getConfig().livekit;
  if (!cfg) return;
  try {
    await roomService(cfg).removeParticipant(conferenceRoomName(conferenceId), participantId, { revokeTokenTs: BigInt(Math.floor(Date.now() / 1000)) });
  } catch (e) {
    console.warn('[livekit] removing a participant from the media room failed', e instanceof Error ? e.name : 'unknown');
  }
}

/** The conference ended: its media room closes for everyone still in it. Best effort, as evictFromMediaRoom. */
export async function closeMediaRoom(conferenceId: string): Promise<void> {
  const cfg = getConfig().livekit;
  if (!cfg) return;
  try {
    await roomService(cfg).deleteRoom(conferenceRoomName(conferenceId));
  } catch (e) {
    console.warn('[livekit] closing the media room failed', e instanceof Error ? e.name : 'unknown');
  }
}
