import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

for (const path of ['/register', '/login', '/recover', '/avv', '/', '/join', '/nutzungsbedingungen', '/datenschutz']) {
  test(`axe: no serious or critical violations on ${path}`, async ({ page }) => {
    await page.goto(path);
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
}

test('English on request, remembered across pages', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('button', { name: 'EN – English' }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await page.goto('/register');
  await expect(page.getByRole('heading', { name: 'Registration' })).toBeVisible();
  await expect(page.getByLabel('Name of the organisation', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'DE – Deutsch' }).click();
  await expect(page.getByLabel('Name der Organisation', { exact: true })).toBeVisible();
});

test('bad input gets a coded 4xx, never a stack trace', async ({ request }) => {
  const bad = await request.post('/api/session/prelogin', { data: Buffer.from('not json'), headers: { 'content-type': 'application/json' } });
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toEqual({ error: { code: 'bad_request' } });
  const invalid = await request.post('/api/register', { data: { orgId: 'x' } });
  expect(invalid.status()).toBe(422);
  const body = await invalid.text();
  expect(body).toContain('"code":"validation"');
  expect(body).not.toMatch(/ at |stack|ZodError/);
  const form = await request.post('/api/session/prelogin', { form: { orgShortName: 'a' } });
  expect(form.status()).toBe(400);
  expect((await request.get('/api/keys')).status()).toBe(401);
  expect((await request.get('/api/members')).status()).toBe(401);
  expect((await request.post('/api/members/invitations', { data: { role: 'member' } })).status()).toBe(401);
  expect((await request.post(`/api/devices/${crypto.randomUUID()}/approve`, { data: {} })).status()).toBe(401);
});

test('login is locked per account after repeated failures, with a clear message', async ({ page }) => {
  const account = { orgShortName: `lock-${Date.now()}`, userShortName: 'someone' };
  for (let i = 0; i < 5; i++) {
    const pre = await (await page.request.post('/api/session/prelogin', { data: account })).json();
    const res = await page.request.post('/api/session/login', {
      data: { ...account, authKey: 'A'.repeat(43), challengeId: pre.challengeId, deviceId: crypto.randomUUID(), signature: 'A'.repeat(86) },
    });
    expect(res.status()).toBe(401);
  }
  await page.goto('/login');
  await page.getByLabel('Kurzname der Organisation', { exact: true }).fill(account.orgShortName);
  await page.getByLabel('Kurzname des Benutzers', { exact: true }).fill(account.userShortName);
  await page.getByLabel('Passwort', { exact: true }).fill('irgendein-passwort');
  await page.getByRole('button', { name: 'ANMELDEN' }).click();
  await expect(page.getByText('Anmeldung vorübergehend gesperrt')).toBeVisible();
  await expect(page.getByText(/für 15 Minuten gesperrt/)).toBeVisible();
});

test('pages carry a nonce-based Content-Security-Policy and run without violations', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const res = await page.goto('/register');
  const csp = res?.headers()['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("connect-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  // The page is interactive, so the nonce reached Next's scripts.
  await page.getByRole('button', { name: 'WEITER' }).click();
  await expect(page.getByText('Bitte ausfüllen.').first()).toBeVisible();
  await page.goto('/login');
  expect(violations).toEqual([]);
});

test('the join page can be pinned: a web app manifest starting at /join, with the app icon', async ({ page, request }) => {
  await page.goto('/join');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBe('/manifest.webmanifest');
  const manifest = await (await request.get(href!)).json();
  expect(manifest).toMatchObject({ short_name: 'Konsil', start_url: '/join', display: 'standalone' });
  for (const icon of manifest.icons as { src: string }[]) {
    const res = await request.get(icon.src);
    expect(res.status(), icon.src).toBe(200);
    expect(await res.text()).toContain('<svg');
  }
  expect(await page.locator('link[rel="icon"]').first().getAttribute('href')).toContain('/icon.svg');
});
