import { createHash, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AccessToken, TokenVerifier, WebhookEvent } from 'livekit-server-sdk';
import { setClock } from '@/lib/core/clock';

const saved = { ...process.env };
const KEY = 'APIkonsiltest';
const SECRET = 'konsil-test-secret-of-more-than-32-characters';
const OTHER_SECRET = 'another-secret-that-konsil-never-configured';

async function livekitWith(env: Record<string, string>) {
  vi.resetModules();
  for (const k of ['LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET']) delete process.env[k];
  Object.assign(process.env, env);
  return import('./livekit');
}

const configured = () => livekitWith({ LIVEKIT_URL: 'wss://livekit.example.org', LIVEKIT_API_KEY: KEY, LIVEKIT_API_SECRET: SECRET });

/** A webhook as the LiveKit server sends it: the body, and a token over its SHA-256 in the Authorization header. */
async function signedWebhook(event: Partial<{ id: string; createdAt: bigint }> = {}, secret = SECRET) {
  const e = new WebhookEvent({
    id: event.id ?? `EV_${randomUUID()}`,
    createdAt: event.createdAt ?? BigInt(Math.floor(Date.now() / 1000)),
    room: { sid: 'RM_x', name: `konsil-conf-${randomUUID()}` },
    participant: { sid: 'PA_x', identity: randomUUID() },
  });
  e.event = 'participant_joined'; // the SDK's subclass resets it after the constructor
  const body = e.toJsonString();
  const at = new AccessToken(KEY, secret, { ttl: '5m' });
  at.sha256 = createHash('sha256').update(body).digest('base64');
  return { body, authorization: await at.toJwt() };
}

afterEach(() => {
  process.env = { ...saved };
  setClock({ fixed: null, offsetMs: 0 });
  vi.useRealTimers();
});

describe('conference tokens', () => {
  const conferenceId = randomUUID();
  const participantId = randomUUID();

  it('admit one participant to the conference room only, for ten minutes', async () => {
    const lk = await configured();
    expect(lk.livekitEnabled()).toBe(true);
    const before = Date.now();
    const { url, token, expiresAt } = await lk.mintConferenceToken({ conferenceId, participantId, canPublish: true });
    expect(url).toBe('wss://livekit.example.org');
    expect(lk.CONFERENCE_TOKEN_TTL_SECONDS).toBe(600);

    const claims = await new TokenVerifier(KEY, SECRET).verify(token);
    expect(claims.sub).toBe(participantId);
    expect(claims.iss).toBe(KEY);
    expect(claims.video).toEqual({
      room: `konsil-conf-${conferenceId}`,
      roomJoin: true,
      canPublish: true,
      canSubscribe: true,
      canPublishData: true,
      canUpdateOwnMetadata: false,
    });
    expect(claims.video?.roomAdmin).toBeUndefined();
    expect(claims.video?.roomCreate).toBeUndefined();
    // Ids only: no name, metadata or attributes.
    expect(claims.name).toBeUndefined();
    expect(claims.metadata).toBeUndefined();
    expect(claims.attributes).toBeUndefined();

    expect(claims.exp! * 1000).toBe(expiresAt.getTime());
    expect(expiresAt.getTime() - before).toBeGreaterThan(600_000 - 2_000);
    expect(expiresAt.getTime() - before).toBeLessThanOrEqual(600_000 + 2_000);
    expect(lk.conferenceIdOfRoom(claims.video!.room!)).toBe(conferenceId);
  });

  it('may admit a participant who only watches and listens', async () => {
    const lk = await configured();
    const { token } = await lk.mintConferenceToken({ conferenceId, participantId, canPublish: false });
    const claims = await new TokenVerifier(KEY, SECRET).verify(token);
    expect(claims.video?.canPublish).toBe(false);
    expect(claims.video?.canSubscribe).toBe(true);
  });

  it('are refused under another secret, and once expired', async () => {
    const lk = await configured();
    const { token } = await lk.mintConferenceToken({ conferenceId, participantId, canPublish: true });
    await expect(new TokenVerifier(KEY, OTHER_SECRET).verify(token)).rejects.toThrow();

    const forged = new AccessToken(KEY, OTHER_SECRET, { identity: participantId, ttl: 600 });
    forged.addGrant({ room: `konsil-conf-${conferenceId}`, roomJoin: true });
    await expect(new TokenVerifier(KEY, SECRET).verify(await forged.toJwt())).rejects.toThrow();

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 10 * 60_000 + 11_000); // past exp and the verifier's 10 s tolerance
    await expect(new TokenVerifier(KEY, SECRET).verify(token)).rejects.toThrow(/exp/);
  });

  it('carry ids only', async () => {
    const lk = await configured();
    await expect(lk.mintConferenceToken({ conferenceId: 'Dr. Muster', participantId, canPublish: true })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(lk.mintConferenceToken({ conferenceId, participantId: 'Erika Mustermann', canPublish: true })).rejects.toMatchObject({ code: 'bad_request' });
    expect(lk.conferenceIdOfRoom('some-other-room')).toBeNull();
    expect(lk.conferenceIdOfRoom('konsil-conf-not-a-uuid')).toBeNull();
  });

  it('are not minted without a LiveKit server', async () => {
    const lk = await livekitWith({});
    expect(lk.livekitEnabled()).toBe(false);
    await expect(lk.mintConferenceToken({ conferenceId, participantId, canPublish: true })).rejects.toMatchObject({ code: 'livekit_not_configured' });
  });
});

describe('LiveKit webhooks', () => {
  let lk: Awaited<ReturnType<typeof configured>>;
  beforeEach(async () => {
    lk = await configured();
  });

  it('are taken in when signed with our secret over this body', async () => {
    const id = `EV_${randomUUID()}`;
    const { body, authorization } = await signedWebhook({ id });
    const event = await lk.receiveLivekitWebhook(body, authorization);
    expect(event.event).toBe('participant_joined');
    expect(event.id).toBe(id);
    expect(lk.conferenceIdOfRoom(event.room!.name)).not.toBeNull();
  });

  it('are refused with a body changed after signing', async () => {
    const { body, authorization } = await signedWebhook();
    const tampered = body.replace('participant_joined', 'room_finished');
    expect(tampered).not.toBe(body);
    await expect(lk.receiveLivekitWebhook(tampered, authorization)).rejects.toMatchObject({ code: 'webhook_invalid', status: 401 });
  });

  it('are refused when signed with another secret', async () => {
    const { body, authorization } = await signedWebhook({}, OTHER_SECRET);
    await expect(lk.receiveLivekitWebhook(body, authorization)).rejects.toMatchObject({ code: 'webhook_invalid' });
  });

  it('are refused without, or with a garbled, Authorization header', async () => {
    const { body } = await signedWebhook();
    await expect(lk.receiveLivekitWebhook(body, null)).rejects.toMatchObject({ code: 'webhook_invalid' });
    await expect(lk.receiveLivekitWebhook(body, '')).rejects.toMatchObject({ code: 'webhook_invalid' });
    await expect(lk.receiveLivekitWebhook(body, 'not.a.jwt')).rejects.toMatchObject({ code: 'webhook_invalid' });
  });

  it('are refused when the signed body is not an event', async () => {
    const body = '{"event":';
    const at = new AccessToken(KEY, SECRET, { ttl: '5m' });
    at.sha256 = createHash('sha256').update(body).digest('base64');
    await expect(lk.receiveLivekitWebhook(body, await at.toJwt())).rejects.toMatchObject({ code: 'webhook_invalid' });
  });

  it('are refused when older than five minutes, or without id or time', async () => {
    const sixMinutesAgo = BigInt(Math.floor(Date.now() / 1000) - 6 * 60);
    const stale = await signedWebhook({ createdAt: sixMinutesAgo });
    await expect(lk.receiveLivekitWebhook(stale.body, stale.authorization)).rejects.toMatchObject({ code: 'webhook_invalid' });

    // The same event is fresh by Konsil's clock four minutes after it, stale six minutes after.
    const at = Date.now();
    const event = await signedWebhook({ createdAt: BigInt(Math.floor(at / 1000)) });
    setClock({ fixed: new Date(at + 4 * 60_000) });
    await expect(lk.receiveLivekitWebhook(event.body, event.authorization)).resolves.toBeTruthy();
    setClock({ fixed: new Date(at + 6 * 60_000) });
    await expect(lk.receiveLivekitWebhook(event.body, event.authorization)).rejects.toMatchObject({ code: 'webhook_invalid' });
    setClock({ fixed: new Date(at - 5 * 60_000) });
    await expect(lk.receiveLivekitWebhook(event.body, event.authorization)).rejects.toMatchObject({ code: 'webhook_invalid' });
    setClock({ fixed: null });

    const noId = await signedWebhook({ id: '' });
    await expect(lk.receiveLivekitWebhook(noId.body, noId.authorization)).rejects.toMatchObject({ code: 'webhook_invalid' });
    const noTime = await signedWebhook({ createdAt: 0n });
    await expect(lk.receiveLivekitWebhook(noTime.body, noTime.authorization)).rejects.toMatchObject({ code: 'webhook_invalid' });
  });

  it('are not taken in without a LiveKit server', async () => {
    const { body, authorization } = await signedWebhook();
    const off = await livekitWith({});
    await expect(off.receiveLivekitWebhook(body, authorization)).rejects.toMatchObject({ code: 'livekit_not_configured' });
  });
});
