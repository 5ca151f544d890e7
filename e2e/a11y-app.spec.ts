import { test, expect, request as pwRequest, type APIRequestContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { createApiAppointment, registerViaApi } from './fixtures/api-account';
import { openWithApiSession, reloadAndUnlock } from './fixtures/browser-device';

// axe on every page behind the login, as an admin of a plus organisation sees
// them (the widest set of controls): no serious or critical violation.
test.describe.configure({ mode: 'serial' });

let api: APIRequestContext;
let org: Awaited<ReturnType<typeof registerViaApi>>;
let page: Page;
let appointmentId: string;

async function expectAccessible(p: Page, what: string) {
  const result = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${what} – ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** A full page load drops the keys from the tab: unlock again as a user would. */
const visit = (path: string) => reloadAndUnlock(page, org.password, path);

test.beforeAll(async ({ baseURL, browser }) => {
  api = await pwRequest.newContext({ baseURL });
  org = await registerViaApi(api, { plan: 'plus', prefix: 'axe' });
  ({ id: appointmentId } = await createApiAppointment(api, org, { patientName: 'Erika Musterfrau', birthDate: '1980-05-05', note: 'Kontrolle' }, new Date(Date.now() + 5 * 60_000)));
  page = await (await browser.newContext()).newPage();
  await openWithApiSession(page, { api, password: org.password, orgShortName: org.orgShortName }, '/app');
  await expect(page.getByTestId('whoami')).toBeVisible();
});

test.afterAll(async () => {
  await Promise.all([api?.dispose(), page?.context().close()]);
});

const PAGES = [
  '/app',
  '/app/termine',
  '/app/termine/neu',
  '/app/notes',
  '/app/verzeichnis',
  '/app/studien',
  '/app/studien?box=sent',
  '/app/studien/senden',
  '/app/statistik',
  '/app/ansehen',
  '/app/stammdaten/organisation',
  '/app/stammdaten/postfaecher',
  '/app/stammdaten/benutzer',
  '/app/stammdaten/geraete',
  '/app/stammdaten/rechnungsdaten',
  '/app/einstellungen',
  '/app/einstellungen/email',
  '/app/einstellungen/sms',
  '/app/einstellungen/versand',
  '/app/konto',
  '/app/postausgang',
];

for (const path of PAGES) {
  test(`axe: ${path}`, async () => {
    await visit(path);
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    await expectAccessible(page, path);
  });
}

test('axe: the calendar in day and list view, the appointment, its editing form, and the call view', async () => {
  await visit('/app/termine');
  for (const view of ['Tag', 'Liste']) {
    const button = page.getByRole('button', { name: view, exact: true });
    if (await button.count()) {
      await button.click();
      await expectAccessible(page, `/app/termine (${view})`);
    }
  }
  await visit(`/app/termine/${appointmentId}`);
  await expect(page.getByText('Erika Musterfrau').first()).toBeVisible();
  await expectAccessible(page, 'appointment');
  await visit(`/app/termine/${appointmentId}/bearbeiten`);
  await expect(page.getByRole('heading', { name: 'Termin bearbeiten' })).toBeVisible();
  await expectAccessible(page, 'edit appointment');
  await visit(`/app/termine/${appointmentId}`);
  await page.getByTestId('open-room').click();
  await expectAccessible(page, 'device check');
  await page.getByTestId('enter-room').click();
  await expect(page.getByTestId('call-overlay').or(page.getByTestId('waiting-banner')).first()).toBeVisible();
  await expectAccessible(page, 'call view');
});
