import { test, expect, request as pwRequest, type APIRequestContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { registerViaApi } from './fixtures/api-account';
import { addCanary } from './fixtures/canaries';
import { secret } from './fixtures/data';
import { openWithApiSession } from './fixtures/browser-device';

// Einstellungen → E-Mail, SMS and the Versandprotokoll, in the browser against
// the production build (outbox worker every 500 ms, development outbox on, so
// Konsil's own SMS and e-mail go nowhere). No test contacts an outside host:
// the SMTP relay is "smtp.example.invalid" (RFC 2606), which never resolves.

test.describe.configure({ mode: 'serial' });

type Registered = { api: APIRequestContext; password: string; orgShortName: string };

/** Registers an organisation through the API and logs its main user in. */
async function register(baseURL: string, plan: 'basis' | 'plus'): Promise<Registered> {
  const api = await pwRequest.newContext({ baseURL });
  const r = await registerViaApi(api, { plan, prefix: 'mail' });
  return { api, password: r.password, orgShortName: r.orgShortName };
}

const openAs = openWithApiSession;

/** axe on the page content (the app shell's header is not this feature's). */
async function expectNoA11yViolations(page: Page) {
  const result = await new AxeBuilder({ page }).include('main').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

let plus: Registered;
let basis: Registered;
let anon: APIRequestContext;

test.beforeAll(async ({ baseURL }) => {
  plus = await register(baseURL!, 'plus');
  basis = await register(baseURL!, 'basis');
  anon = await pwRequest.newContext({ baseURL });
});

test.afterAll(async () => {
  await Promise.all([plus?.api.dispose(), basis?.api.dispose(), anon?.dispose()]);
});

test('the settings routes need a session', async () => {
  const calls = [
    anon.get('/api/settings/email'),
    anon.post('/api/settings/email', { data: { transport: 'konsil' } }),
    anon.post('/api/settings/email/test', { data: {} }),
    anon.get('/api/settings/sms'),
    anon.post('/api/settings/sms', { data: { provider: 'konsil' } }),
    anon.post('/api/settings/sms/test', { data: { to: '+491711234567' } }),
    anon.get('/api/settings/delivery'),
    anon.post(`/api/settings/delivery/${crypto.randomUUID()}/cancel`, { data: {} }),
  ];
  for (const res of await Promise.all(calls)) {
    expect(res.status(), res.url()).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'unauthenticated' } });
  }
});

test('Konsil basis: SMS settings and test SMS are refused with plan_required', async () => {
  const save = await basis.api.post('/api/settings/sms', { data: { provider: 'konsil', sender: 'Praxis' } });
  expect(save.status()).toBe(403);
  expect((await save.json()).error).toMatchObject({ code: 'plan_required', detail: 'smsInvitation' });
  const test = await basis.api.post('/api/settings/sms/test', { data: { to: '+491711234567' } });
  expect(test.status()).toBe(403);
  expect((await test.json()).error.code).toBe('plan_required');
  // Reading is fine and says so.
  const view = await (await basis.api.get('/api/settings/sms')).json();
  expect(view).toMatchObject({ smsAllowed: false, canEdit: true });
});

test('E-Mail: own SMTP relay with a sealed password; the test e-mail waits visibly instead of going another way', async ({ page }) => {
  const smtpPassword = secret('Smtp');
  addCanary('SMTP password', smtpPassword);
  await openAs(page, plus, '/app/einstellungen/email');
  await expect(page.getByRole('heading', { name: 'E-Mail-Versand' })).toBeVisible();
  await page.getByLabel('Versand über').selectOption('smtp');
  await page.getByLabel('Anbieter-Vorlage').selectOption('ionos');
  await expect(page.getByLabel('SMTP-Server')).toHaveValue('smtp.ionos.de');
  await expect(page.getByLabel('Port')).toHaveValue('587');
  await expect(page.getByText('STARTTLS ist Pflicht')).toBeVisible();
  await page.getByLabel('SMTP-Server').fill('smtp.example.invalid');
  await page.getByLabel('Port').fill('465');
  await expect(page.getByText('verschlüsselt ab dem ersten Byte')).toBeVisible();
  await page.getByLabel('Absenderadresse').fill('praxis@example.org');
  await page.getByLabel('Benutzername').fill('praxis@example.org');
  await page.getByLabel('Passwort', { exact: true }).fill(smtpPassword);
  await page.getByLabel('BCC-Adresse für Ihr Archiv (optional)').fill('archiv@example.org');
  await expectNoA11yViolations(page);
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByText('Die Einstellungen sind gespeichert.')).toBeVisible();
  await expect(page.getByTestId('password-state')).toContainText('Ein Passwort ist hinterlegt bis');
  // The API never hands the password back.
  const view = await (await plus.api.get('/api/settings/email')).json();
  expect(JSON.stringify(view)).not.toContain(smtpPassword);
  expect(view).toMatchObject({ transport: 'smtp', smtpPort: 465, effectiveSecurity: 'tls', hasPassword: true });

  await page.getByRole('button', { name: 'Test-E-Mail senden' }).click();
  await expect(page.getByTestId('test-result')).toContainText('Wartet: SMTP-Server nicht gefunden', { timeout: 20_000 });
});

test('SMS: landlines and far-away numbers are explained; a number typed as in Germany is sent, counted and listed without its number', async ({ page }) => {
  await openAs(page, plus, '/app/einstellungen/sms');
  await expect(page.getByRole('heading', { name: 'SMS-Versand' })).toBeVisible();
  await expect(page.getByText('0,10 € (netto)')).toBeVisible();
  await expectNoA11yViolations(page);
  await page.getByLabel('Mobilnummer', { exact: true }).fill('030 1234567');
  await page.getByRole('button', { name: 'Test-SMS senden' }).click();
  await expect(page.getByText('Bitte geben Sie eine Mobilnummer an')).toBeVisible();
  await page.getByLabel('Mobilnummer', { exact: true }).fill('+1 415 555 0100');
  await page.getByRole('button', { name: 'Test-SMS senden' }).click();
  await expect(page.getByText('SMS gehen nur an Mobilnummern in Deutschland, der EU und dem EWR.')).toBeVisible();
  // The server says the same if asked directly.
  const direct = await plus.api.post('/api/settings/sms/test', { data: { to: '+1 415 555 0100' } });
  expect(direct.status()).toBe(422);
  expect((await direct.json()).error).toEqual({ code: 'validation', fields: { to: 'phoneCountry' } });

  await page.getByLabel('Mobilnummer', { exact: true }).fill('0171 / 234 56 78');
  await page.getByRole('button', { name: 'Test-SMS senden' }).click();
  await expect(page.getByTestId('test-result')).toContainText('Zugestellt', { timeout: 20_000 });
  await page.getByRole('link', { name: 'Versandprotokoll' }).first().click();
  const log = page.getByTestId('delivery-log');
  await expect(log).toBeVisible();
  await expect(log.getByRole('row', { name: /Test-SMS.*versendet/ })).toBeVisible();
  await expect(log.getByRole('row', { name: /Test-E-Mail.*wartet/ })).toBeVisible();
  await expect(log).not.toContainText('+49');
  await expect(log).not.toContainText('2345678');
  await expectNoA11yViolations(page);

  const sms = await (await plus.api.get('/api/settings/sms')).json();
  expect(sms.usage).toHaveLength(1);
  expect(sms.usage[0].count).toBe(1);
});
