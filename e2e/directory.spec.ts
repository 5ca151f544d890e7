import postgres from 'postgres';
import { test, expect, request as pwRequest, type APIRequestContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { registerViaApi } from './fixtures/api-account';
import { openWithApiSession, reloadAndUnlock } from './fixtures/browser-device';
import { partnerFingerprint } from '@/lib/protocol/directory';
import { generateX25519 } from '@/lib/crypto/asymmetric';
import { toB64u } from '@/lib/crypto/encoding';

// The directory as a practice uses it: find a partner with a typo, compare its
// fingerprint, keep it in the partner list — and a server that later serves
// other keys for the partner, or forges the list, is caught in the browser.
test.describe.configure({ mode: 'serial' });

const word = `Quxberg${crypto.randomUUID().replace(/[^a-f]/g, '').slice(0, 6)}`;
let sender: APIRequestContext;
let partnerApi: APIRequestContext;
let me: Awaited<ReturnType<typeof registerViaApi>>;
let partner: Awaited<ReturnType<typeof registerViaApi>>;
let page: Page;
let sql: postgres.Sql;

const fingerprintOf = (p: typeof partner, publicKey = p.orgPublicKey) => partnerFingerprint({ orgId: p.orgId, publicKey, signPublic: p.orgSignPublic });

test.beforeAll(async ({ baseURL, browser }) => {
  sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  sender = await pwRequest.newContext({ baseURL });
  partnerApi = await pwRequest.newContext({ baseURL });
  partner = await registerViaApi(partnerApi, { orgName: `Radiologie am Südpark ${word}`, directoryVisible: true });
  me = await registerViaApi(sender, { prefix: 'absender', orgName: `Praxis Absender ${word}` });
  page = await (await browser.newContext()).newPage();
  await openWithApiSession(page, { api: sender, password: me.password, orgShortName: me.orgShortName }, '/app/verzeichnis');
});

test.afterAll(async () => {
  await Promise.all([sql?.end(), sender?.dispose(), partnerApi?.dispose(), page?.context().close()]);
});

test('a partner is found as you type, with typos and umlauts, and shows its fingerprint as digits and QR code', async () => {
  await expect(page.getByRole('heading', { name: 'Verzeichnis' })).toBeVisible();
  // Not listed itself: the page says so and where to change it.
  await expect(page.getByText('Ihre Organisation steht nicht im Verzeichnis')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sichtbarkeit unter Stammdaten → Organisation einschalten' })).toHaveAttribute('href', '/app/stammdaten/organisation');
  const search = page.getByLabel('Suche');
  await search.fill(`Radiolgie Sued ${word}`);
  const result = page.getByRole('listitem').filter({ hasText: `Radiologie am Südpark ${word}` });
  await expect(result).toBeVisible();
  await expect(page.getByText('1 Treffer')).toBeVisible();
  await search.fill(`Kardiologie Hamburg ${word}`);
  await expect(page.getByText('Keine Organisation gefunden')).toBeVisible();
  await search.fill(`radiologie ${word}`);
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: 'artifacts/screenshots/directory-search.png', fullPage: true });

  await result.getByRole('link', { name: /Details/ }).click();
  await expect(page.getByRole('heading', { name: `Radiologie am Südpark ${word}` })).toBeVisible();
  await expect(page.getByTestId('fingerprint')).toHaveText(fingerprintOf(partner).replaceAll(' ', ''));
  await expect(page.getByRole('img', { name: /QR-Code mit dem Fingerabdruck/ })).toBeVisible();
  await expect(page.getByText('Noch nicht in Ihrer Partnerliste')).toBeVisible();
  // Back keeps the search.
  await page.getByRole('link', { name: 'Zurück zum Verzeichnis' }).click();
  await expect(page.getByLabel('Suche')).toHaveValue(`radiologie ${word}`);
  await page.getByRole('listitem').filter({ hasText: word }).getByRole('link', { name: /Details/ }).click();
});

test('marking the fingerprint as compared keeps the partner in the organisation’s list', async () => {
  await page.getByRole('button', { name: 'Als verglichen markieren' }).click();
  await expect(page.getByText(/Fingerabdruck verglichen am/)).toBeVisible();
  const [row] = await sql<{ pin_enc: string }[]>`select pin_enc from partner_pins where org_id = ${me.orgId} and partner_id = ${partner.orgId}`;
  // The server holds an envelope, not the keys or the verdict in clear.
  expect(row.pin_enc).toMatch(/^v1\./);
  expect(row.pin_enc).not.toContain(partner.orgPublicKey);
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: 'artifacts/screenshots/directory-partner.png', fullPage: true });
});

test('a server that serves other keys for the partner stops sending until someone compares and accepts the change', async () => {
  const forged = toB64u(generateX25519().publicKey);
  await sql`update organisations set public_key = ${forged} where id = ${partner.orgId}`;
  await reloadAndUnlock(page, me.password);
  await expect(page.getByText(/liefert für diese Organisation andere Schlüssel/)).toBeVisible();
  await expect(page.getByText('Gespeicherter Fingerabdruck')).toBeVisible();
  await expect(page.getByTestId('fingerprint')).toHaveCount(2);
  await expect(page.getByTestId('fingerprint').nth(0)).toHaveText(fingerprintOf(partner).replaceAll(' ', ''));
  await expect(page.getByTestId('fingerprint').nth(1)).toHaveText(fingerprintOf(partner, forged).replaceAll(' ', ''));
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'artifacts/screenshots/directory-changed-phone.png', fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  // Back to the real key: the pin matches again, nothing to accept.
  await sql`update organisations set public_key = ${partner.orgPublicKey} where id = ${partner.orgId}`;
  await reloadAndUnlock(page, me.password);
  await expect(page.getByText(/Fingerabdruck verglichen am/)).toBeVisible();
});

test('a partner list entry the server forged or re-attributed is refused with a clear message', async () => {
  const [other] = await sql<{ id: string }[]>`select id from users where org_id = ${partner.orgId} limit 1`;
  // Named as signed by someone who is not a member of this organisation.
  await sql`update partner_pins set signed_by = ${other.id} where org_id = ${me.orgId} and partner_id = ${partner.orgId}`;
  await reloadAndUnlock(page, me.password);
  await expect(page.getByText(/Partnerliste für diese Organisation lässt sich nicht prüfen/)).toBeVisible();
  await expect(page.getByText(/Fingerabdruck verglichen am/)).toHaveCount(0);
});

test('the organisation page lists or hides the organisation and shows its own fingerprint', async () => {
  await reloadAndUnlock(page, me.password, '/app/stammdaten/organisation');
  await expect(page.getByRole('heading', { name: 'Organisation', level: 1 })).toBeVisible();
  await expect(page.getByTestId('fingerprint')).toHaveText(partnerFingerprint({ orgId: me.orgId, publicKey: me.orgPublicKey, signPublic: me.orgSignPublic }).replaceAll(' ', ''));
  const box = page.getByLabel('Im Verzeichnis für Kooperationspartner sichtbar');
  await expect(box).not.toBeChecked();
  await box.check();
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByText('Gespeichert.')).toBeVisible();
  const found = await (await partnerApi.get(`/api/directory?q=${encodeURIComponent(me.orgName)}`)).json();
  expect(found.entries.map((e: { id: string }) => e.id)).toContain(me.orgId);
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});
