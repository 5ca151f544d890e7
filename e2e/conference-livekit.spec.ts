// Conferences on the LiveKit path (docs/SECURITY.md §3.8b), as far as the
// real SDKs go without a LiveKit server: no LiveKit server can be installed on
// this machine, so a WebSocket server started here stands in for it. It
// accepts the signalling connection and never answers the join, which is what
// a LiveKit server that cannot be reached looks like to the browser.
//
// This spec starts a further `next start` of the build (port 3410, or the next
// free one) on the suite's PostgreSQL with a data folder of its own, with LIVEKIT_URL
// pointing at the stand-in. A host creates a conference with a guest; both
// enter, the host admits the guest over Konsil's own signalling. Asserted:
// the enter answers say `media: 'livekit'`; each browser fetched a token from
// POST /api/conferences/room/livekit and opened the LiveKit signalling socket
// (/rtc…) with exactly that token; livekit-server-sdk's TokenVerifier accepts
// it for room konsil-conf-<id> and identity = that participant's id; the
// conference key K and the E2EE key derived from it (recomputed here from the
// guest's code, as the guest's browser does) appear in no HTTP request and no
// WebSocket frame either browser sends; the page says in German that the
// media server cannot be reached, and its retry asks for a new token; the
// pages' Content-Security-Policy lets them connect to the LiveKit server.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { test, expect, request as pwRequest, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { TokenVerifier } from 'livekit-server-sdk';
import { joinLookup } from '@/lib/protocol/video';
import { unwrapKeyForGuest } from '@/lib/protocol/conference';
import { conferenceMediaKey } from '@/lib/protocol/conference-media';
import { toB64u, toHex } from '@/lib/crypto/encoding';
import { registerViaApi } from './fixtures/api-account';
import { openWithApiSession } from './fixtures/browser-device';
import { addCanary } from './fixtures/canaries';
import { confirmOrgEmail } from './fixtures/confirm-email';
import { secret } from './fixtures/data';
import { ARTIFACTS, startInstance } from './fixtures/instances';
import { freePort, type AppServer } from '../scripts/lib/app-server';

test.describe.configure({ mode: 'serial', timeout: 240_000 });

const API_KEY = 'konsil-e2e-key';
const API_SECRET = `e2e-${secret('lk')}`;
const title = `Fallkonferenz ${secret('Titel').slice(0, 16)}`;
const guestName = `Dr. Gast ${secret('Name').slice(0, 10)}`;

/** The stand-in: completes the WebSocket handshake, records what arrives, answers nothing. */
function startStandIn(port: number) {
  const upgrades: { path: string; token: string | null }[] = [];
  const httpRequests: string[] = [];
  const sockets = new Set<Duplex>();
  const server = http.createServer((req, res) => {
    httpRequests.push(req.url ?? '');
    res.writeHead(503).end();
  });
  server.on('upgrade', (req, socket) => {
    const u = new URL(req.url ?? '/', 'http://stand-in');
    upgrades.push({ path: u.pathname, token: u.searchParams.get('access_token') });
    const accept = crypto
      .createHash('sha1')
      .update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC11B85`)
      .digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise<{ upgrades: typeof upgrades; httpRequests: string[]; close: () => Promise<void> }>((resolve) =>
    server.listen(port, '127.0.0.1', () =>
      resolve({
        upgrades,
        httpRequests,
        close: () => {
          for (const s of sockets) s.destroy();
          return new Promise((r) => server.close(() => r()));
        },
      }),
    ),
  );
}

/** Everything a page sends: request URLs and bodies, WebSocket URLs and frames; and what the token route answered. */
function recordTraffic(page: Page) {
  const sent: { what: string; data: Buffer }[] = [];
  const tokens: string[] = [];
  const sockets: string[] = [];
  const entered: { participantId: string; media: string }[] = [];
  page.on('request', (r) => {
    sent.push({ what: `request ${r.method()} ${r.url()}`, data: Buffer.concat([Buffer.from(r.url()), r.postDataBuffer() ?? Buffer.alloc(0)]) });
  });
  page.on('response', async (r) => {
    const p = new URL(r.url()).pathname;
    if (r.request().method() !== 'POST' || r.status() !== 200) return;
    // A body whose page has moved on since can no longer be read: that answer is not recorded (the tests check
    // the tokens and entries they need), instead of an error thrown into whichever test runs then.
    const body = () => r.json().catch(() => null);
    if (p === '/api/conferences/room/livekit') {
      const b = (await body()) as { token: string } | null;
      if (b) tokens.push(b.token);
    }
    if (/^\/api\/conferences\/([^/]+\/enter|guest\/enter)$/.test(p)) {
      const b = (await body()) as { participantId: string; media: string } | null;
      if (b) entered.push(b);
    }
  });
  page.on('websocket', (ws) => {
    sockets.push(ws.url());
    sent.push({ what: `websocket ${ws.url()}`, data: Buffer.from(ws.url()) });
    ws.on('framesent', (f) => sent.push({ what: `frame on ${ws.url()}`, data: typeof f.payload === 'string' ? Buffer.from(f.payload) : f.payload }));
  });
  return { sent, tokens, sockets, entered };
}

/** The secret's bytes, or its hex / base64 / base64url text, anywhere in the data or in a base64-decoded query value. */
function leaks(data: Buffer, key: Uint8Array): boolean {
  const raw = Buffer.from(key);
  const forms = [toHex(key), toB64u(key), raw.toString('base64'), raw.toString('base64').replace(/=+$/, '')];
  const texts = [data.toString('latin1')];
  try {
    texts.push(decodeURIComponent(texts[0]!));
  } catch {
    // not URL-encoded
  }
  if (data.indexOf(raw) >= 0) return true;
  if (texts.some((t) => forms.some((f) => t.toLowerCase().includes(f.toLowerCase())))) return true;
  // livekit-client puts a join request into the URL as base64: look inside it too.
  for (const m of texts[0]!.matchAll(/[A-Za-z0-9_\-+/]{40,}={0,2}/g)) {
    if (Buffer.from(m[0].replace(/-/g, '+').replace(/_/g, '/'), 'base64').indexOf(raw) >= 0) return true;
  }
  return false;
}

let app: AppServer;
let lkPort: number;
let standIn: Awaited<ReturnType<typeof startStandIn>>;
let api: APIRequestContext;
let host: Page;
let guest: Page;
let hostTraffic: ReturnType<typeof recordTraffic>;
let guestTraffic: ReturnType<typeof recordTraffic>;
let conferenceId: string;
let guestCode: string;

test.skip(!fs.existsSync(path.resolve('.next', 'BUILD_ID')), 'needs the production build (npm run build)');
test.skip(!process.env.DATABASE_URL, 'a further instance needs the suite\'s PostgreSQL (DATABASE_URL)');

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  test.setTimeout(180_000);
  lkPort = await freePort(3411, { tries: 10 });
  standIn = await startStandIn(lkPort);
  // On the suite's database (scanned for canaries after the run), as a further instance.
  const port = await freePort(3410, { tries: 1 }).catch(async () => freePort(3420, { tries: 20 }));
  fs.rmSync(path.join(ARTIFACTS, 'data-livekit'), { recursive: true, force: true });
  app = await startInstance('livekit', port, { LIVEKIT_URL: `ws://127.0.0.1:${lkPort}`, LIVEKIT_API_KEY: API_KEY, LIVEKIT_API_SECRET: API_SECRET });
  api = await pwRequest.newContext({ baseURL: app.url });
  const ctx = () => browser.newContext({ baseURL: app.url, viewport: { width: 1280, height: 800 }, locale: 'de-DE', timezoneId: 'Europe/Berlin' });
  host = await (await ctx()).newPage();
  guest = await (await ctx()).newPage();
  hostTraffic = recordTraffic(host);
  guestTraffic = recordTraffic(guest);
  addCanary('livekit conference title', title);
  addCanary('livekit conference guest name', guestName);
});

test.afterAll(async () => {
  await Promise.all([api?.dispose(), host?.context().close(), guest?.context().close()]);
  await app?.stop();
  await standIn?.close();
});

test('the host enters: a token from Konsil, the LiveKit socket opened with it, and a clear message when the media server does not answer', async () => {
  const A = await registerViaApi(api, { prefix: 'lkpraxis', plan: 'plus', orgName: 'Praxis LiveKit', confirmEmail: false });
  await confirmOrgEmail(api, A.orgShortName);
  await openWithApiSession(host, { api, password: A.password, orgShortName: A.orgShortName }, '/app/konferenzen');
  await host.getByTestId('new-conference').click();
  await host.getByLabel('Titel').fill(title);
  await host.getByTestId('add-guest').click();
  await host.getByLabel('Name des 1. Gastes').fill(guestName);
  await host.getByTestId('create-conference').click();
  const row = host.getByTestId('conference-row').filter({ hasText: title });
  await expect(row).toBeVisible();
  const link = (await row.getByTestId('guest-link').getAttribute('data-link'))!;
  guestCode = link.split('#')[1]!;
  addCanary('livekit conference guest code', guestCode);
  conferenceId = (await row.getByTestId('join-conference').getAttribute('href'))!.split('/').pop()!;

  // The page may connect to the LiveKit server, and only there besides its own origin.
  const csp = (await host.request.get('/app/konferenzen')).headers()['content-security-policy'] ?? '';
  expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${lkPort} http://127.0.0.1:${lkPort};`);

  await row.getByTestId('join-conference').click();
  await host.getByTestId('enter-conference').click();
  const room = host.getByTestId('conference-room');
  await expect(room).toHaveAttribute('data-media-path', 'livekit');
  await expect(host.getByText(/Ende-zu-Ende-verschlüsselt und laufen über den Medienserver \(LiveKit\)/)).toBeVisible();
  expect(hostTraffic.entered.map((e) => e.media)).toEqual(['livekit']);

  // The stand-in never answers the join: the page says so in words, with a way to try again.
  const unreachable = host.getByTestId('livekit-unreachable');
  await expect(unreachable).toBeVisible({ timeout: 90_000 });
  await expect(unreachable).toContainText('Der Medienserver (LiveKit) ist nicht erreichbar.');
  // Words, not the SDK's error or a stack trace.
  await expect(host.locator('main')).not.toContainText(/Error\b|ConnectionError|\bat \S+ \(|livekit-client/);
  await host.screenshot({ path: 'artifacts/screenshots/conference-livekit-unreachable.png', fullPage: true });

  expect(hostTraffic.tokens.length).toBeGreaterThanOrEqual(1);
  const hostId = hostTraffic.entered[0]!.participantId;
  await expectTokenFor(hostTraffic.tokens[0]!, hostId);
  const seen = JSON.stringify({ sockets: hostTraffic.sockets.map((u) => u.slice(0, 120)), upgrades: standIn.upgrades.map((u) => ({ path: u.path, token: u.token?.slice(0, 20) })), http: standIn.httpRequests.map((u) => u.slice(0, 80)) });
  expect(hostTraffic.sockets.some((u) => new URL(u).pathname.startsWith('/rtc') && new URL(u).searchParams.get('access_token') === hostTraffic.tokens[0]), seen).toBe(true);
  expect(standIn.upgrades.some((u) => u.path.startsWith('/rtc') && u.token === hostTraffic.tokens[0]), seen).toBe(true);

  // The retry asks Konsil for a new token and connects again.
  const before = hostTraffic.tokens.length;
  await unreachable.getByTestId('livekit-retry').click();
  await expect.poll(() => hostTraffic.tokens.length, { timeout: 20_000 }).toBeGreaterThan(before);
  await expect.poll(() => standIn.upgrades.filter((u) => u.token === hostTraffic.tokens.at(-1)).length, { timeout: 20_000 }).toBeGreaterThan(0);
});

test('an admitted guest gets a token of their own; K and the E2EE key are in no request and no frame', async () => {
  await guest.goto(`/join#${guestCode}`);
  await expect(guest.getByTestId('practice-name')).toBeVisible({ timeout: 60_000 });
  await guest.getByLabel('Ihr Name').fill(guestName);
  await guest.getByLabel('Ich nehme an der Videokonferenz teil und zeichne sie nicht auf.').check();
  await guest.getByTestId('enter').click();
  await expect(guest.getByTestId('conference-lobby')).toHaveAttribute('data-phase', 'lobby');
  // In the lobby a guest gets no token.
  expect(guestTraffic.tokens).toEqual([]);
  // Admission stays on Konsil's signalling, whether or not the media server answers.
  await host.getByTestId('panel-people').click();
  await host.locator(`[data-testid="lobby-entry"][data-name="${guestName}"]`).getByTestId('admit').click();
  await expect(guest.getByTestId('conference-room')).toHaveAttribute('data-media-path', 'livekit');
  await expect(guest.getByTestId('livekit-unreachable')).toBeVisible({ timeout: 90_000 });

  expect(guestTraffic.entered.map((e) => e.media)).toEqual(['livekit']);
  const guestId = guestTraffic.entered[0]!.participantId;
  expect(guestTraffic.tokens.length).toBeGreaterThanOrEqual(1);
  await expectTokenFor(guestTraffic.tokens[0]!, guestId);
  expect(standIn.upgrades.some((u) => u.path.startsWith('/rtc') && u.token === guestTraffic.tokens[0])).toBe(true);

  // K as the guest's browser gets it: from the code, which the server never saw.
  const lookup = await joinLookup(guestCode);
  const info = (await (await api.post('/api/join/lookup', { data: { lookup } })).json()) as { conferenceId: string; guestId: string; keyWrap: string };
  expect(info.conferenceId).toBe(conferenceId);
  const K = unwrapKeyForGuest(guestCode, info.conferenceId, info.guestId, info.keyWrap);
  const mediaKey = conferenceMediaKey(K, conferenceId);
  addCanary('conference key K', toB64u(K));
  addCanary('conference E2EE media key', toB64u(mediaKey));

  const all = [...hostTraffic.sent, ...guestTraffic.sent];
  // The recording saw the token requests and the LiveKit sockets, so it is not empty by accident.
  expect(all.filter((s) => s.what.includes('/api/conferences/room/livekit')).length).toBeGreaterThanOrEqual(3);
  expect(all.filter((s) => s.what.startsWith('websocket ')).length).toBeGreaterThanOrEqual(3);
  const leaked = all.filter((s) => leaks(s.data, K) || leaks(s.data, mediaKey)).map((s) => s.what);
  expect(leaked).toEqual([]);
  // The stand-in's own record: nothing but the token in the URLs it saw.
  for (const u of standIn.upgrades) expect(u.token).not.toBeNull();
});

async function expectTokenFor(token: string, participantId: string) {
  const claims = await new TokenVerifier(API_KEY, API_SECRET).verify(token);
  expect(claims.sub).toBe(participantId);
  expect(claims.video?.room).toBe(`konsil-conf-${conferenceId}`);
  expect(claims.video?.roomJoin).toBe(true);
  expect(claims.name ?? '').toBe('');
  expect(claims.metadata ?? '').toBe('');
  await expect(new TokenVerifier(API_KEY, 'another-secret').verify(token)).rejects.toThrow();
}
