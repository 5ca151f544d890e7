import { expect, type Page } from '@playwright/test';

export async function login(page: Page, a: { orgShortName: string; userShortName: string; password: string }) {
  await page.goto('/login');
  await page.getByLabel('Kurzname der Organisation', { exact: true }).fill(a.orgShortName);
  await page.getByLabel('Kurzname des Benutzers', { exact: true }).fill(a.userShortName);
  await page.getByLabel('Passwort', { exact: true }).fill(a.password);
  await page.getByRole('button', { name: 'ANMELDEN' }).click();
}

export async function loginOk(page: Page, a: { orgShortName: string; userShortName: string; password: string }) {
  await login(page, a);
  await expect(page).toHaveURL(/\/app$/, { timeout: 30_000 });
  await expect(page.getByRole('heading', { name: /Willkommen/ })).toBeVisible();
}

/** Follows a link of the main navigation, opening its group (Stammdaten) first where it sits in one. */
export async function nav(page: Page, name: RegExp | string) {
  const main = page.getByRole('navigation', { name: 'Hauptnavigation' });
  const link = main.getByRole('link', { name });
  if ((await link.count()) === 0) await main.getByRole('button', { name: 'Stammdaten' }).click();
  await link.click();
}

export async function logout(page: Page) {
  await page.getByRole('button', { name: 'Abmelden' }).click();
  await expect(page).toHaveURL(/\/login$/);
}
