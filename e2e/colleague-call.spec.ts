import { test, expect, request as pwRequest, type APIRequestContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { registerViaApi } from './fixtures/api-account';
import { openWithApiSession, reloadAndUnlock } from './fixtures/browser-device';
import { addAccount } from './fixtures/canaries';
import { secret } from './fixtures/data';
import { nav } from './pages/login-page';
import { expectFrames } from './pages/video-page';
import { setServerClock } from './fixtures/clock';

// Calls between colleagues (§3.8a of docs/SECURITY.md): the owner of a
// practice calls a confirmed member; it rings in the member's open tab, is
// accepted and carries video both ways; a declined and an unanswered call are
// listed as missed for the callee; another organisation's member gets 404.
test.describe.configure({ mode: 'serial' });

const shot = (name: string) => ({ path: `artifacts/screenshots/${name}.png`, fullPage: true });
/** How long a call rings before it is missed (RING_MS, lib/colleague-calls/service.ts). */
const RING_MS = 45_000;
const member = { userShortName: 'dr.kollege', password: secret('Pw'), masterPassword: secret('Master') };

let apiA: APIRequestContext;
let apiC: APIRequestContext;
let A: Awaited<ReturnType<typeof registerViaApi>>;
let owner: Page;
let colleague: Page;
let memberId: string;
let firstCallId: string;

async function expectAccessible(p: Page, what: string) {
  const result = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${what} – ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** The remote picture really plays: a decoded size and a clock that advances. */
async function expectPlaying(page: Page) {
  await expectFrames(page);
  const video = page.getByTestId('remote-video');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 20_000 }).toBeGreaterThan(0);
  const t0 = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 20_000 }).toBeGreaterThan(t0);
}

async function callColleague(): Promise<string> {
  await owner.getByTestId(`member-${member.userShortName}`).getByTestId('call-member').click();
  await expect(owner).toHaveURL(/\/app\/anruf\/[0-9a-f-]{36}$/);
  await expect(owner.getByTestId('call-overlay')).toHaveText(`Es klingelt bei ${member.userShortName} …`);
  return owner.url().split('/').pop()!;
}

async function backToMembers(page: Page) {
  await page.getByRole('link', { name: 'Zur Benutzerliste' }).click();
  await expect(page).toHaveURL(/\/app\/stammdaten\/benutzer$/);
}

test.beforeAll(async ({ browser, baseURL }) => {
  [apiA, apiC] = await Promise.all([0, 1].map(() => pwRequest.newContext({ baseURL })));
  A = await registerViaApi(apiA, { prefix: 'anrufpraxis' });
  await registerViaApi(apiC, { prefix: 'fremdpraxis' });
  addAccount({ orgShortName: A.orgShortName, ...member });
  owner = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  colleague = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
});

test.afterAll(async () => {
  await Promise.all([apiA?.dispose(), apiC?.dispose(), owner?.context().close(), colleague?.context().close()]);
});

test('the owner confirms a colleague; both are signed in', async () => {
  await openWithApiSession(owner, { api: apiA, password: A.password, orgShortName: A.orgShortName }, '/app');
  await reloadAndUnlock(owner, A.password, '/app/stammdaten/benutzer');
  // No call button for oneself.
  await expect(owner.getByTestId('member-admin').getByTestId('call-member')).toHaveCount(0);
  await owner.getByRole('button', { name: 'Einladungslink erzeugen' }).click();
  const link = (await owner.getByTestId('invite-link').textContent())!.trim();
  await colleague.goto(link);
  await colleague.getByLabel('Kurzname des Benutzers', { exact: true }).fill(member.userShortName);
  await colleague.getByLabel('Passwort', { exact: true }).fill(member.password);
  await colleague.getByLabel('Passwort wiederholen', { exact: true }).fill(member.password);
  await colleague.getByLabel('Masterpasswort', { exact: true }).fill(member.masterPassword);
  await colleague.getByLabel('Masterpasswort wiederholen', { exact: true }).fill(member.masterPassword);
  await colleague.getByLabel('Kurzname des Endgerätes', { exact: true }).fill('Sprechzimmer 2');
  await colleague.getByRole('button', { name: 'ZUGANG EINRICHTEN' }).click();
  await expect(colleague.getByTestId('member-fingerprint')).toBeVisible();
  await reloadAndUnlock(owner, A.password);
  const row = owner.getByTestId(`member-${member.userShortName}`);
  // Not yet confirmed: no certificate, nothing to call.
  await expect(row.getByTestId('call-member')).toHaveCount(0);
  await row.getByRole('button', { name: 'Bestätigen' }).click();
  await owner.getByRole('button', { name: 'Bestätigen' }).last().click();
  await expect(row).toContainText('aktiv');
  await expect(row.getByTestId('call-member')).toBeVisible();
  const members = (await (await apiA.get('/api/members')).json()).members as { id: string; shortName: string }[];
  memberId = members.find((m) => m.shortName === member.userShortName)!.id;

  await colleague.goto('/login');
  await colleague.getByLabel('Kurzname der Organisation', { exact: true }).fill(A.orgShortName);
  await colleague.getByLabel('Kurzname des Benutzers', { exact: true }).fill(member.userShortName);
  await colleague.getByLabel('Passwort', { exact: true }).fill(member.password);
  await colleague.getByRole('button', { name: /anmelden/i }).click();
  await expect(colleague).toHaveURL(/\/app$/, { timeout: 30_000 });
  await expect(colleague.getByRole('heading', { name: /Willkommen/ })).toBeVisible();
});

test('a call rings in the colleague’s tab, is accepted and carries video both ways', async () => {
  firstCallId = await callColleague();
  const dialog = colleague.getByTestId('incoming-call');
  await expect(dialog).toBeVisible({ timeout: 15_000 });
  await expect(colleague.getByTestId('incoming-caller')).toHaveText('admin ruft Sie an.');
  await colleague.screenshot(shot('colleague-call-ringing-desktop'));
  await expectAccessible(colleague, 'ringing dialog');
  await colleague.setViewportSize({ width: 390, height: 844 });
  await colleague.screenshot(shot('colleague-call-ringing-phone'));
  await colleague.setViewportSize({ width: 1280, height: 800 });

  await colleague.getByTestId('accept-call').click();
  await expect(colleague).toHaveURL(new RegExp(`/app/anruf/${firstCallId}$`));
  await expect(dialog).toBeHidden();
  await Promise.all([expectPlaying(owner), expectPlaying(colleague)]);
  await expect(owner.getByTestId('colleague-call')).toHaveAttribute('data-media', 'connected');
  await expect(owner.getByTestId('signal-rejected')).toHaveCount(0);
  await expect(colleague.getByTestId('signal-rejected')).toHaveCount(0);
  await owner.screenshot(shot('colleague-call-desktop'));
  await expectAccessible(owner, 'call view');
  await colleague.setViewportSize({ width: 390, height: 844 });
  await colleague.screenshot(shot('colleague-call-phone'));
  await colleague.setViewportSize({ width: 1280, height: 800 });

  await owner.getByTestId('hang-up').click();
  await expect(owner.getByTestId('call-overlay')).toHaveText('Der Anruf ist beendet.');
  await expect(colleague.getByTestId('call-overlay')).toHaveText('Der Anruf ist beendet.');
});

test('another organisation’s member gets nothing of the call', async () => {
  expect((await apiC.get(`/api/colleague-calls/${firstCallId}`)).status()).toBe(404);
  expect((await apiC.get(`/api/colleague-calls/${firstCallId}/stream`)).status()).toBe(404);
  for (const action of ['accept', 'decline', 'hangup', 'dismiss']) expect((await apiC.post(`/api/colleague-calls/${firstCallId}/${action}`, { data: {} })).status()).toBe(404);
  expect((await apiC.post(`/api/colleague-calls/${firstCallId}/signal`, { data: { payload: 'v1.a.b' } })).status()).toBe(404);
  expect((await apiC.post('/api/colleague-calls', { data: { calleeId: memberId } })).status()).toBe(404);
  expect((await (await apiC.get('/api/colleague-calls/missed')).json()).calls).toEqual([]);
});

test('a declined call and an unanswered one are listed as missed for the colleague, with a call back', async () => {
  await backToMembers(owner);
  await callColleague();
  await expect(colleague.getByTestId('incoming-call')).toBeVisible({ timeout: 15_000 });
  await colleague.getByTestId('decline-call').click();
  await expect(colleague.getByTestId('incoming-call')).toBeHidden();
  await expect(owner.getByTestId('call-overlay')).toHaveText(`${member.userShortName} hat den Anruf abgelehnt.`);

  await backToMembers(owner);
  await callColleague();
  await expect(colleague.getByTestId('incoming-call')).toBeVisible({ timeout: 15_000 });
  // Nobody answers: 45 seconds later it stops ringing on both sides. The server's clock
  // moves on instead of the test waiting; the next request anyone makes expires it.
  await setServerClock(apiA, new Date(Date.now() + RING_MS + 2000));
  await apiA.get('/api/colleague-calls/missed');
  await expect(owner.getByTestId('call-overlay')).toHaveText(`${member.userShortName} hat den Anruf nicht angenommen.`);
  await setServerClock(apiA, null);
  await expect(colleague.getByTestId('incoming-call')).toBeHidden({ timeout: 10_000 });

  await nav(colleague, 'Benutzer');
  const missed = colleague.getByTestId('missed-call');
  await expect(missed).toHaveCount(2);
  await expect(missed.nth(0)).toContainText('nicht angenommen');
  await expect(missed.nth(1)).toContainText('abgelehnt');
  await expect(missed.nth(0)).toContainText('admin');
  await colleague.getByTestId('missed-calls').scrollIntoViewIfNeeded();
  await colleague.screenshot(shot('colleague-call-missed'));
  await expectAccessible(colleague, 'missed calls');
  await expect(missed.nth(0).getByTestId('call-member')).toHaveText('Zurückrufen');
  // The caller has none.
  await backToMembers(owner);
  await expect(owner.getByTestId('missed-call')).toHaveCount(0);

  // Call back from the list: it rings for the owner.
  await missed.nth(0).getByTestId('call-member').click();
  await expect(owner.getByTestId('incoming-call')).toBeVisible({ timeout: 15_000 });
  await expect(owner.getByTestId('incoming-caller')).toHaveText(`${member.userShortName} ruft Sie an.`);
  await colleague.getByTestId('hang-up').click();
  await expect(owner.getByTestId('incoming-call')).toBeHidden({ timeout: 10_000 });

  // Done with one: "Erledigt" takes it off the list, also when the page is opened again.
  await nav(colleague, 'Benutzer');
  await expect(missed).toHaveCount(2);
  await missed.nth(1).getByTestId('dismiss-missed').click();
  await expect(missed).toHaveCount(1);
  await expect(missed.nth(0)).toContainText('nicht angenommen');
  await nav(colleague, 'Übersicht');
  await expect(colleague.getByTestId('missed-calls-notice')).toContainText('Sie haben einen verpassten Anruf.');
  await colleague.getByRole('link', { name: 'Zu den verpassten Anrufen' }).click();
  await expect(colleague.getByTestId('missed-calls')).toBeVisible();
  await expect(missed).toHaveCount(1);
});
