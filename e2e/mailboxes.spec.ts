import postgres from 'postgres';
import { test, expect, request as pwRequest, type APIRequestContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { registerViaApi } from './fixtures/api-account';
import { openWithApiSession, reloadAndUnlock } from './fixtures/browser-device';
import { generateX25519 } from '@/lib/crypto/asymmetric';
import { toB64u } from '@/lib/crypto/encoding';

// Mailboxes as an admin sets them up: the main mailbox appears by itself after
// registration, a department mailbox is added on plus, partners see both in
// the directory — and a mailbox key the server swapped is flagged there.
test.describe.configure({ mode: 'serial' });

const word = `Postfachtest${crypto.randomUUID().replace(/[^a-f]/g, '').slice(0, 6)}`;
let api: APIRequestContext;
let partnerApi: APIRequestContext;
let org: Awaited<ReturnType<typeof registerViaApi>>;
let page: Page;
let sql: postgres.Sql;

type Box = { id: string; name: string; isMain: boolean; keyVersion: number; members: string[] };
async function boxes(ctx: APIRequestContext): Promise<Box[]> {
  const res = await ctx.get('/api/mailboxes');
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).mailboxes;
}

test.beforeAll(async ({ baseURL, browser }) => {
  sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  api = await pwRequest.newContext({ baseURL });
  partnerApi = await pwRequest.newContext({ baseURL });
  org = await registerViaApi(api, { plan: 'plus', orgName: `Klinikum ${word}`, directoryVisible: true });
  await registerViaApi(partnerApi, { prefix: 'partner' });
  page = await (await browser.newContext()).newPage();
});

test.afterAll(async () => {
  await Promise.all([sql?.end(), api?.dispose(), partnerApi?.dispose(), page?.context().close()]);
});

test('the main mailbox is set up by the admin’s browser on the overview, once', async () => {
  expect(await boxes(api)).toEqual([]);
  await openWithApiSession(page, { api, password: org.password, orgShortName: org.orgShortName }, '/app');
  await page.getByRole('button', { name: /entsperren/i }).waitFor({ state: 'detached' });
  await expect.poll(async () => (await boxes(api)).map((b) => b.name)).toEqual(['Hauptpostfach']);
  await reloadAndUnlock(page, org.password);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(await boxes(api)).toHaveLength(1);
});

test('a department mailbox is created on plus and shown with its space', async () => {
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('button', { name: 'Stammdaten' }).click();
  await page.getByRole('link', { name: 'Postfächer' }).click();
  await expect(page.getByRole('heading', { name: 'Postfächer', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: /Hauptpostfach/ })).toBeVisible();
  await expect(page.getByText(/von 25\sGB belegt/).first()).toBeVisible();
  await page.getByLabel('Name', { exact: false }).first().fill('Radiologie');
  await page.getByRole('button', { name: 'Postfach anlegen' }).click();
  await expect(page.getByRole('heading', { name: 'Radiologie' })).toBeVisible();
  // The same name twice is refused in words, next to the field.
  await page.getByLabel('Name', { exact: false }).first().fill('Radiologie');
  await page.getByRole('button', { name: 'Postfach anlegen' }).click();
  await expect(page.getByText('Ein Postfach mit diesem Namen gibt es schon.').first()).toBeVisible();
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: 'artifacts/screenshots/mailboxes.png', fullPage: true });
  expect((await boxes(api)).map((b) => b.name).sort()).toEqual(['Hauptpostfach', 'Radiologie']);
});

test('partners find the organisation by its mailbox and see both mailboxes; a key the server swapped is flagged', async () => {
  const found = (await (await partnerApi.get(`/api/directory?q=radiolgie ${word}`)).json()).entries as { id: string; mailboxes: { name: string }[] }[];
  expect(found.map((e) => e.id)).toEqual([org.orgId]);
  expect(found[0].mailboxes.map((m) => m.name)).toEqual(['Hauptpostfach', 'Radiologie']);
  // Another organisation can neither list nor change them.
  expect(await boxes(partnerApi)).not.toContainEqual(expect.objectContaining({ name: 'Radiologie' }));
  const radiology = (await boxes(api)).find((b) => b.name === 'Radiologie')!;
  expect((await partnerApi.put(`/api/mailboxes/${radiology.id}/access`, { data: { members: [org.userId], grants: [] } })).status()).toBe(404);

  await reloadAndUnlock(page, org.password, `/app/verzeichnis/${org.orgId}`);
  await expect(page.getByTestId('partner-mailboxes')).toHaveText(/Hauptpostfach\s*Radiologie/);
  await expect(page.getByText(/nicht von der Organisation bestätigt/)).toHaveCount(0);
  await sql`update mailbox_keys set public_key = ${toB64u(generateX25519().publicKey)} where mailbox_id = ${radiology.id}`;
  await reloadAndUnlock(page, org.password);
  await expect(page.getByTestId('partner-mailboxes').getByText(/Radiologie.*nicht von der Organisation bestätigt/)).toBeVisible();
});
