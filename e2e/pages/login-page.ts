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

export async function nav(page: Page, name: RegExp | string) {
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name }).click();
}

export async function logout(page: Page) {
  await page.getByRole('button', { name: 'Abmelden' }).click();
  await expect(page).toHaveURL(/\/login$/);
}
