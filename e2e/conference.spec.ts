import { test, expect, request as pwRequest, type APIRequestContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { joinLookup } from '@/lib/protocol/video';
import { sealGuestName, unwrapKeyForGuest } from '@/lib/protocol/conference';
import { registerViaApi } from './fixtures/api-account';
import { openWithApiSession, reloadAndUnlock } from './fixtures/browser-device';
import { addAccount, addCanary } from './fixtures/canaries';
import { secret } from './fixtures/data';
import { inviteAndConfirmMember } from './fixtures/member';

// Conferences (docs/SECURITY.md §3.8b): a host, a member and a guest by link
// in a peer-to-peer mesh, each decoding video and audio from both others; the
// lobby, mute, remove and the end for all; an end-to-end chat; what another
// organisation, a guest still in the lobby and a removed guest get; the plan
// gate; the statistics. Title, guest names, codes and chat are canaries.
// Three browsers with camera and microphone on two cores: more time per step than the default.
test.describe.configure({ mode: 'serial', timeout: 240_000 });

const shot = (name: string) => ({ path: `artifacts/screenshots/${name}.png`, fullPage: true });
const member = { userShortName: 'dr.konferenz', password: secret('Pw'), masterPassword: secret('Master') };
const title = `Tumorboard ${secret('Titel').slice(0, 18)}`;
const guestName = `Dr. Gast ${secret('Name').slice(0, 10)}`;
const lateGuestName = `Dolmetscherin ${secret('Name').slice(0, 10)}`;
const chatText = `Befund besprochen ${secret('Chat').slice(0, 16)}`;

let apiA: APIRequestContext;
let apiB: APIRequestContext;
let apiC: APIRequestContext;
let A: Awaited<ReturnType<typeof registerViaApi>>;
let host: Page;
let colleague: Page;
let guest: Page;
let conferenceId: string;
let guestLink: string;
let lateGuest: { code: string; token?: string; participantId?: string };

async function expectAccessible(p: Page, what: string) {
  const result = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${what} – ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Every other participant's picture and sound arrive: frames decoded and audio packets received, rising. */
async function expectMediaFromAll(page: Page, others: string[]) {
  for (const name of others) {
    const tile = page.locator(`[data-testid="tile-peer"][data-name="${name}"]`);
    await expect(tile).toHaveAttribute('data-media', 'connected', { timeout: 30_000 });
    await expect.poll(async () => Number(await tile.getAttribute('data-frames')), { timeout: 20_000 }).toBeGreaterThan(10);
    const audio = Number(await tile.getAttribute('data-audio-packets'));
    await expect.poll(async () => Number(await tile.getAttribute('data-audio-packets')), { timeout: 20_000 }).toBeGreaterThan(audio);
    const video = tile.locator('video');
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 20_000 }).toBeGreaterThan(0);
  }
  await expect(page.getByTestId('tile-peer')).toHaveCount(others.length);
  await expect(page.getByTestId('signal-rejected')).toHaveCount(0);
}

const headers = (token: string) => ({ 'x-conference-token': token });

test.beforeAll(async ({ browser, baseURL }) => {
  [apiA, apiB, apiC] = await Promise.all([0, 1, 2].map(() => pwRequest.newContext({ baseURL })));
  A = await registerViaApi(apiA, { prefix: 'konfpraxis', plan: 'plus', orgName: 'Radiologie am Ring' });
  await registerViaApi(apiB, { prefix: 'basispraxis' });
  await registerViaApi(apiC, { prefix: 'fremdklinik', plan: 'plus' });
  addAccount({ orgShortName: A.orgShortName, ...member });
  for (const [label, value] of [
    ['conference title', title],
    ['conference guest name', guestName],
    ['conference late guest name', lateGuestName],
    ['conference chat', chatText],
  ])
    addCanary(label, value);
  const ctx = () => browser.newContext({ viewport: { width: 1280, height: 800 } });
  host = await (await ctx()).newPage();
  colleague = await (await ctx()).newPage();
  // The guest takes part from a phone: 390×844, touch.
  guest = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
});

test.afterAll(async () => {
  await Promise.all([apiA?.dispose(), apiB?.dispose(), apiC?.dispose(), host?.context().close(), colleague?.context().close(), guest?.context().close()]);
});

test('the host creates a conference with a member and two guests', async () => {
  await openWithApiSession(host, { api: apiA, password: A.password, orgShortName: A.orgShortName }, '/app');
  await inviteAndConfirmMember(host, colleague, apiA, A.password, A.orgShortName, member);
  await reloadAndUnlock(host, A.password, '/app/konferenzen');
  await host.getByTestId('new-conference').click();
  // Bad input is named in words and nothing is lost.
  await host.getByTestId('add-guest').click();
  await host.getByTestId('create-conference').click();
  await expect(host.getByText('Bitte ausfüllen.').first()).toBeVisible();
  await host.getByLabel('Titel').fill(title);
  await host.getByLabel('Name des 1. Gastes').fill(guestName);
  await host.getByTestId('add-guest').click();
  await host.getByLabel('Name des 2. Gastes').fill(lateGuestName);
  await host.locator(`[data-testid="invite-member"][data-name="${member.userShortName}"]`).check();
  await host.screenshot(shot('conference-form-desktop'));
  await host.getByTestId('create-conference').click();
  const row = host.getByTestId('conference-row').filter({ hasText: title });
  await expect(row).toBeVisible();
  const links = row.getByTestId('guest-link');
  await expect(links).toHaveCount(2);
  guestLink = (await links.filter({ hasText: guestName }).getAttribute('data-link'))!;
  lateGuest = { code: (await links.filter({ hasText: lateGuestName }).getAttribute('data-code'))! };
  addCanary('conference guest code', guestLink.split('#')[1]!);
  addCanary('conference late guest code', lateGuest.code);
  await host.screenshot(shot('conference-list-desktop'));
  await expectAccessible(host, 'conference list');
  conferenceId = (await row.getByTestId('join-conference').getAttribute('href'))!.split('/').pop()!;

  // The server holds none of it in clear.
  const served = await (await apiA.get(`/api/conferences/${conferenceId}`)).text();
  for (const s of [title, guestName, lateGuestName]) expect(served).not.toContain(s);
});

test('host, member and a guest by link see and hear each other; the guest waits in the lobby first', async () => {
  await host.getByTestId('conference-row').filter({ hasText: title }).getByTestId('join-conference').click();
  await expect(host.getByRole('heading', { name: title })).toBeVisible();
  await host.getByTestId('enter-conference').click();
  await expect(host.getByTestId('conference-room')).toBeVisible();

  await colleague.goto('/app/konferenzen');
  await reloadAndUnlock(colleague, member.password);
  await colleague.getByTestId('conference-row').filter({ hasText: title }).getByTestId('join-conference').click();
  await colleague.getByTestId('enter-conference').click();

  await guest.goto(guestLink);
  // The code's memory-hard lookup runs in the browser first.
  await expect(guest.getByTestId('practice-name')).toHaveText('Konferenz – Radiologie am Ring', { timeout: 60_000 });
  await guest.getByTestId('enter').tap();
  await expect(guest.getByText('Bitte geben Sie Ihren Namen ein.')).toBeVisible();
  await guest.getByLabel('Ihr Name').fill(guestName);
  await guest.getByLabel('Ich nehme an der Videokonferenz teil und zeichne sie nicht auf.').tap();
  await guest.getByTestId('enter').tap();
  await expect(guest.getByTestId('conference-lobby')).toHaveAttribute('data-phase', 'lobby');
  await guest.screenshot(shot('conference-lobby-phone'));

  const waiting = host.locator(`[data-testid="lobby-entry"][data-name="${guestName}"]`);
  await expect(waiting).toBeVisible();
  await host.screenshot(shot('conference-lobby-host-desktop'));
  await waiting.getByTestId('admit').click();

  await Promise.all([
    expectMediaFromAll(host, [member.userShortName, guestName]),
    expectMediaFromAll(colleague, ['admin', guestName]),
    expectMediaFromAll(guest, ['admin', member.userShortName]),
  ]);
  await host.screenshot(shot('conference-room-desktop'));
  await expectAccessible(host, 'conference room');
  await guest.screenshot(shot('conference-room-phone'));
});

test('the chat goes end to end; raising a hand shows', async () => {
  await guest.getByTestId('panel-chat').tap();
  await guest.getByTestId('chat-input').fill(chatText);
  await guest.getByTestId('chat-send').tap();
  for (const p of [host, colleague]) {
    await p.getByTestId('panel-chat').click();
    await expect(p.getByTestId('chat-line').filter({ hasText: chatText })).toContainText(guestName);
  }
  await colleague.getByTestId('raise-hand').click();
  await expect(host.locator(`[data-testid="tile-peer"][data-name="${member.userShortName}"] [data-testid="tile-hand"]`)).toBeVisible();
  await host.screenshot(shot('conference-chat-desktop'));
  // The list of people says it too, as an icon with its words for screen readers.
  await host.getByTestId('panel-people').click();
  await expect(host.locator(`[data-testid="room-entry"][data-name="${member.userShortName}"]`).getByRole('img', { name: 'Meldung' })).toBeVisible();
  await host.screenshot(shot('conference-people-hand-desktop'));
  await expect(guest.getByTestId('chat-line').filter({ hasText: chatText })).toBeVisible();
  await guest.screenshot(shot('conference-chat-phone'));
});

test('a guest in the lobby learns nothing and may do nothing; another organisation gets nothing', async () => {
  const lookup = await joinLookup(lateGuest.code);
  const info = await (await apiC.post('/api/join/lookup', { data: { lookup } })).json();
  expect(info.kind).toBe('conference');
  const key = unwrapKeyForGuest(lateGuest.code, info.conferenceId, info.guestId, info.keyWrap);
  const entered = await apiC.post('/api/conferences/guest/enter', { data: { lookup, nameEnc: sealGuestName(key, info.conferenceId, lateGuestName) } });
  expect(entered.status()).toBe(200);
  const e = await entered.json();
  lateGuest.token = e.token;
  lateGuest.participantId = e.participantId;
  expect(e.state).toBe('waiting');
  const room = await (await apiC.get('/api/conferences/room', { headers: headers(e.token) })).json();
  expect(room.participants.map((p: { id: string }) => p.id)).toEqual([e.participantId]);
  expect((await apiC.post('/api/conferences/room/signal', { headers: headers(e.token), data: { to: e.participantId, payload: 'v1.a.b' } })).status()).toBe(403);
  for (const action of ['admit', 'remove']) expect((await apiC.post(`/api/conferences/room/${action}`, { headers: headers(e.token), data: { participantId: e.participantId } })).status()).toBe(403);
  expect((await apiC.post('/api/conferences/room/end', { headers: headers(e.token), data: {} })).status()).toBe(403);

  // Another organisation's member: not the conference, not its room.
  expect((await apiC.get(`/api/conferences/${conferenceId}`)).status()).toBe(404);
  expect((await apiC.post(`/api/conferences/${conferenceId}/enter`, { data: {} })).status()).toBe(404);
  expect((await apiC.post(`/api/conferences/${conferenceId}/end`, { data: {} })).status()).toBe(404);
  expect((await (await apiC.get('/api/conferences')).json()).conferences).toEqual([]);
  expect((await apiC.get('/api/conferences/room')).status()).toBe(401);
  // No LiveKit server here: no token for anyone, and a webhook is refused in words, not with a 500.
  expect((await apiC.post('/api/conferences/room/livekit', { headers: headers(e.token), data: {} })).status()).toBe(403);
  const hook = await apiC.post('/api/conferences/livekit/webhook', { headers: { 'content-type': 'application/webhook+json', authorization: 'Bearer x' }, data: '{"event":"room_started"}' });
  expect(hook.status()).toBe(503);
  expect((await hook.json()).error.code).toBe('livekit_not_configured');

  // The host sees the second guest in the lobby by name, and sends them away.
  await host.getByTestId('panel-people').click();
  const waiting = host.locator(`[data-testid="lobby-entry"][data-name="${lateGuestName}"]`);
  await expect(waiting).toBeVisible();
  await waiting.getByRole('button', { name: 'Entfernen' }).click();
  await expect(waiting).toHaveCount(0);
  expect((await apiC.get('/api/conferences/room', { headers: headers(e.token) })).status()).toBe(401);
  expect((await apiC.get('/api/conferences/room/stream', { headers: headers(e.token) })).status()).toBe(401);
  // Sent away is final for that invitation: the same code does not open the lobby again.
  const again = await apiC.post('/api/conferences/guest/enter', { data: { lookup, nameEnc: sealGuestName(key, info.conferenceId, lateGuestName) } });
  expect(again.status()).toBe(403);
  expect((await again.json()).error.code).toBe('conference_removed');
});

test('the host mutes the guest and removes the member; then ends the conference for all', async () => {
  await host.getByTestId('panel-people').click();
  await host.locator(`[data-testid="room-entry"][data-name="${guestName}"]`).getByTestId('mute-other').click();
  await expect(guest.getByText('Die Konferenzleitung hat Ihr Mikrofon stummgeschaltet.', { exact: false })).toBeVisible();
  await expect(guest.getByTestId('toggle-mic')).toHaveAttribute('aria-pressed', 'true');
  await expect(guest.getByTestId('toggle-mic')).toHaveText('Mikrofon an');
  await expect(host.locator(`[data-testid="tile-peer"][data-name="${guestName}"] [data-testid="tile-muted"]`)).toBeVisible();

  await host.locator(`[data-testid="room-entry"][data-name="${member.userShortName}"]`).getByTestId('remove-other').click();
  await expect(colleague.getByTestId('conference-over')).toHaveAttribute('data-phase', 'removed');
  await expect(host.getByTestId('tile-peer')).toHaveCount(1);
  await expect(guest.getByTestId('tile-peer')).toHaveCount(1);

  await host.getByTestId('end-conference').click();
  await expect(guest.getByTestId('conference-over')).toHaveAttribute('data-phase', 'ended');
  await expect(host.getByTestId('conference-over')).toHaveAttribute('data-phase', 'ended');
  // The guest's code no longer opens anything.
  const lookup = await joinLookup(lateGuest.code);
  expect((await apiC.post('/api/join/lookup', { data: { lookup } })).status()).toBe(404);
});

test('the statistics count the conference, its participants and invitations', async () => {
  const report = await (await apiA.get('/api/stats')).json();
  expect(report.total.conferences).toBe(1);
  expect(report.total.conferenceParticipants).toBe(3);
  expect(report.total.conferenceInvitations).toBe(3);
  expect(report.total.conferenceSeconds).toBeGreaterThan(0);
});

test('the basis plan refuses conferences with the plan’s message', async () => {
  const res = await apiB.post('/api/conferences', {
    data: { id: crypto.randomUUID(), startsAt: new Date().toISOString(), durationMin: 30, recordEnc: 'v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA', memberIds: [], guests: [] },
  });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe('plan_required');
});
