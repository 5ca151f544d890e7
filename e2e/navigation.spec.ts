import { test, expect, request as pwRequest } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { registerViaApi } from './fixtures/api-account';
import { openWithApiSession } from './fixtures/browser-device';

// The app's main navigation: one line at desktop width with the master data
// grouped, usable by keyboard alone; on a phone, a menu button opens the list.

async function signedIn(baseURL: string) {
  const api = await pwRequest.newContext({ baseURL });
  const r = await registerViaApi(api, { prefix: 'nav' });
  return { api, password: r.password, orgShortName: r.orgShortName };
}

test('desktop: one line, Stammdaten opens by keyboard and by click, Escape closes it', async ({ page, baseURL }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openWithApiSession(page, await signedIn(baseURL!), '/app');
  const main = page.getByRole('navigation', { name: 'Hauptnavigation' });
  await expect(main.getByRole('link', { name: 'Übersicht' })).toHaveAttribute('aria-current', 'page');
  // Every top-level entry sits on the same line.
  const tops = await main.locator(':scope > div > ul > li').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
  expect(tops.length).toBeGreaterThanOrEqual(6);
  expect(new Set(tops).size).toBe(1);

  // Keyboard: Tab to the group, Enter opens it, Tab reaches its links, Escape closes.
  const trigger = main.getByRole('button', { name: 'Stammdaten' });
  await trigger.focus();
  await page.keyboard.press('Enter');
  await expect(trigger).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Tab');
  await expect(main.getByRole('link', { name: 'Benutzer' })).toBeFocused();
  await page.screenshot({ path: 'artifacts/screenshots/nav-desktop-stammdaten.png' });
  await page.keyboard.press('Escape');
  await expect(trigger).toHaveAttribute('aria-expanded', 'false');

  // Click: the link is followed, the group shows where one is.
  await trigger.click();
  await main.getByRole('link', { name: 'Arbeitsplätze/Endgeräte' }).click();
  await expect(page).toHaveURL(/\/app\/stammdaten\/geraete$/);
  await expect(main.getByRole('link', { name: 'Arbeitsplätze/Endgeräte' })).toHaveCount(0);
  const axe = await new AxeBuilder({ page }).include('header').withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

test('phone: a menu button opens the whole list; following a link closes it', async ({ page, baseURL }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openWithApiSession(page, await signedIn(baseURL!), '/app');
  await expect(page.getByRole('button', { name: 'Stammdaten' })).toBeHidden();
  const menu = page.getByRole('button', { name: 'Menü' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await menu.click();
  const list = page.getByRole('navigation', { name: 'Hauptnavigation' });
  for (const name of ['Übersicht', 'Termine', 'Notizen', 'Benutzer', 'Arbeitsplätze/Endgeräte', 'Rechnungsdaten', 'Einstellungen', 'Mein Zugang']) {
    await expect(list.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await page.screenshot({ path: 'artifacts/screenshots/nav-phone-open.png', fullPage: true });
  await list.getByRole('link', { name: 'Rechnungsdaten' }).click();
  await expect(page).toHaveURL(/\/app\/stammdaten\/rechnungsdaten$/);
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await page.screenshot({ path: 'artifacts/screenshots/nav-phone-closed.png', fullPage: true });
});
