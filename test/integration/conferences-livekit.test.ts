// Conferences with a LiveKit server configured (none runs here: its tokens and
// webhooks are made and read with its SDK), on PostgreSQL and PGlite: both
// browsers are told to take it; a token only for someone in the room;
// verified webhooks record who was in the media room and for how long; the
// mesh's limit of four does not apply.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { AccessToken, TokenVerifier, WebhookEvent } from 'livekit-server-sdk';
import type { Db } from '@/lib/db/client';
import type { SessionContext } from '@/lib/auth/sessions';
import { conferenceParticipants } from '@/lib/db/schema';
import { setClock } from '@/lib/core/clock';
import { livekitTokenFor, onLivekitWebhook } from '@/lib/conferences/media';
import { enterAsMember } from '@/lib/conferences/service';
import { admitGuest, confereeByToken } from '@/lib/conferences/room';
import { MESH_MAX_PARTICIPANTS } from '@/lib/protocol/conference';
import { BACKENDS, expectAppError, resetClock, uid } from './helpers';
import { conferenceOrg, guestEnters, newConference, type ConferenceOrg, type TestConference } from './conference-fixture';

// A LiveKit server's settings (none runs here: its tokens and webhooks are made and read with its SDK).
const LK = vi.hoisted(() => {
  const v = { url: 'wss://livekit.example.org', key: 'APIkonsil', secret: 'a-livekit-secret-of-more-than-32-characters' };
  Object.assign(process.env, { LIVEKIT_URL: v.url, LIVEKIT_API_KEY: v.key, LIVEKIT_API_SECRET: v.secret });
  return v;
});

async function webhook(kind: 'participant_joined' | 'participant_left', conferenceId: string, identity: string, id = `EV_${uid()}`) {
  const e = new WebhookEvent({
    id,
    createdAt: BigInt(Math.floor(Date.now() / 1000)),
    room: { sid: 'RM_x', name: `konsil-conf-${conferenceId}` },
    participant: { sid: 'PA_x', identity },
  });
  e.event = kind;
  const body = e.toJsonString();
  const at = new AccessToken(LK.key, LK.secret, { ttl: '5m' });
  at.sha256 = createHash('sha256').update(body).digest('base64');
  return { body, authorization: await at.toJwt() };
}

describe.each(BACKENDS)('conferences through LiveKit on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;
  let o: ConferenceOrg;
  let host: SessionContext;

  beforeAll(async () => {
    ({ db, close } = await open());
    o = await conferenceOrg(db);
    ({ host } = o);
  }, 120_000);

  afterAll(async () => {
    resetClock();
    await close();
  });

  const conference = (guestNames: string[], memberIds?: string[]) => newConference(db, o, guestNames, memberIds);
  const enters = (c: TestConference, i: number) => guestEnters(db, c, i);

  it('members and guests are told to take the LiveKit server, and more than the mesh holds may be in', async () => {
    const names = Array.from({ length: MESH_MAX_PARTICIPANTS + 1 }, (_, i) => `Gast ${i + 1}`);
    const c = await conference(names);
    const h = await enterAsMember(db, host, c.id);
    expect(h.media).toBe('livekit');
    const hp = await confereeByToken(db, h.token);
    for (let i = 0; i < names.length; i++) {
      const g = await enters(c, i);
      expect(g.media).toBe('livekit');
      await admitGuest(db, hp, g.participantId);
    }
  });

  it('LiveKit: a token only for someone in the room; verified webhooks record who was in the media room and how long', async () => {
    const c = await conference(['Gast']);
    const h = await enterAsMember(db, host, c.id);
    const hp = await confereeByToken(db, h.token);
    const g = await enters(c, 0);
    await expectAppError(livekitTokenFor(await confereeByToken(db, g.token)), 'forbidden');
    const { token } = await livekitTokenFor(hp);
    const claims = await new TokenVerifier(LK.key, LK.secret).verify(token);
    expect(claims.sub).toBe(h.participantId);
    expect(claims.video?.room).toBe(`konsil-conf-${c.id}`);
    expect(claims.name ?? '').toBe('');

    const joined = await webhook('participant_joined', c.id, h.participantId);
    expect(await onLivekitWebhook(db, joined.body, joined.authorization)).toEqual({ ok: true });
    // The same event again (a replay) changes nothing.
    expect(await onLivekitWebhook(db, joined.body, joined.authorization)).toEqual({ ok: true, replay: true });
    // Tampered after signing: refused.
    await expectAppError(onLivekitWebhook(db, joined.body.replace(h.participantId, g.participantId), joined.authorization), 'webhook_invalid');
    setClock({ fixed: null, offsetMs: 90_000 });
    const left = await webhook('participant_left', c.id, h.participantId);
    await onLivekitWebhook(db, left.body, left.authorization);
    setClock({ fixed: null, offsetMs: 0 });
    const [row] = await db.select().from(conferenceParticipants).where(eq(conferenceParticipants.id, h.participantId));
    expect(row!.mediaJoinedAt).toBeNull();
    expect(row!.mediaSeconds).toBeGreaterThanOrEqual(89);
    expect(row!.mediaSeconds).toBeLessThanOrEqual(95);
    // An identity of another conference's room is not taken for this one.
    const other = await webhook('participant_joined', uid(), g.participantId);
    await onLivekitWebhook(db, other.body, other.authorization);
    const [guestRow] = await db.select().from(conferenceParticipants).where(eq(conferenceParticipants.id, g.participantId));
    expect(guestRow!.mediaJoinedAt).toBeNull();
  });
});
