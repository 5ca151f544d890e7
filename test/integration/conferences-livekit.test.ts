// Conferences with a LiveKit server configured (none runs here: its tokens and
// webhooks are made and read with its SDK), on PostgreSQL and PGlite: both
// browsers are told to take it; a token only for someone in the room;
// verified webhooks record who was in the media room and for how long; the
// mesh's limit of four does not apply.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { AccessToken, TokenVerifier, WebhookEvent } from 'livekit-server-sdk';
import type { Db } from '@/lib/db/client';
import type { SessionContext } from '@/lib/auth/sessions';
import { conferenceParticipants } from '@/lib/db/schema';
import { setClock } from '@/lib/core/clock';
import { livekitTokenFor, onLivekitWebhook } from '@/lib/conferences/media';
import { enterAsMember } from '@/lib/conferences/service';
import { admitGuest, confereeByToken, endFromRoom, removeParticipant } from '@/lib/conferences/room';
import { MESH_MAX_PARTICIPANTS } from '@/lib/protocol/conference';
import { BACKENDS, expectAppError, uid } from './helpers';
import { useConferenceOrg } from './conference-fixture';

// A LiveKit server's settings. None can run here: its tokens and webhooks are
// made and read with its SDK, and its room service API (Twirp over HTTP) is
// answered by a small server of this file that records what the SDK's client sends.
const LK = vi.hoisted(() => {
  const port = 41000 + (process.pid % 2000);
  const v = { port, url: `ws://127.0.0.1:${port}`, key: 'APIkonsil', secret: 'a-livekit-secret-of-more-than-32-characters' };
  Object.assign(process.env, { LIVEKIT_URL: v.url, LIVEKIT_API_KEY: v.key, LIVEKIT_API_SECRET: v.secret });
  return v;
});

type RoomServiceCall = { method: string; body: Record<string, unknown>; authorization: string };
const roomServiceCalls: RoomServiceCall[] = [];
let roomService: http.Server;

beforeAll(async () => {
  roomService = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const method = (req.url ?? '').split('/').pop() ?? '';
      roomServiceCalls.push({ method, body: JSON.parse(body || '{}') as Record<string, unknown>, authorization: req.headers.authorization ?? '' });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => roomService.listen(LK.port, '127.0.0.1', resolve));
});

afterAll(() => new Promise<void>((resolve) => roomService.close(() => resolve())));

/** The room service calls made for a room, once the fire-and-forget request has arrived. */
async function callsFor(room: string, method: string, n = 1): Promise<RoomServiceCall[]> {
  let found: RoomServiceCall[] = [];
  await vi.waitFor(() => {
    found = roomServiceCalls.filter((c) => c.method === method && c.body.room === room);
    expect(found.length).toBeGreaterThanOrEqual(n);
  });
  return found;
}

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
  let host: SessionContext;
  const { conference, enters } = useConferenceOrg(open, (s) => ({ db, host } = s));

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

  it('whom the host removes leaves the media room with every earlier token revoked; the end closes the room', async () => {
    const c = await conference(['Gast']);
    const h = await enterAsMember(db, host, c.id);
    const hp = await confereeByToken(db, h.token);
    const g = await enters(c, 0);
    await admitGuest(db, hp, g.participantId);
    const before = Math.floor(Date.now() / 1000);
    await removeParticipant(db, hp, g.participantId);
    const room = `konsil-conf-${c.id}`;
    const [removal] = await callsFor(room, 'RemoveParticipant');
    expect(removal!.body.identity).toBe(g.participantId);
    expect(Number(removal!.body.revokeTokenTs)).toBeGreaterThanOrEqual(before);
    // Signed with the API secret, for this room only, with the admin right the call needs.
    const claims = await new TokenVerifier(LK.key, LK.secret).verify(removal!.authorization.replace(/^Bearer /, ''));
    expect(claims.video?.room).toBe(room);
    expect(claims.video?.roomAdmin).toBe(true);

    await endFromRoom(db, hp);
    const [closing] = await callsFor(room, 'DeleteRoom');
    expect(closing!.body).toEqual({ room });
  });

  it('a LiveKit server that cannot be reached does not stop the host removing someone', async () => {
    const c = await conference(['Gast']);
    const hp = await confereeByToken(db, (await enterAsMember(db, host, c.id)).token);
    const g = await enters(c, 0);
    await admitGuest(db, hp, g.participantId);
    await new Promise<void>((resolve) => roomService.close(() => resolve()));
    try {
      await removeParticipant(db, hp, g.participantId);
      await expectAppError(confereeByToken(db, g.token), 'call_token_invalid');
    } finally {
      await new Promise<void>((resolve) => roomService.listen(LK.port, '127.0.0.1', resolve));
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
