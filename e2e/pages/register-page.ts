import { expect, type Page } from '@playwright/test';
import { organisation } from '../fixtures/data';

export type Credentials = { orgShortName: string; userShortName: string; password: string; masterPassword: string; deviceName: string };

export class RegisterPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto('/register');
    await expect(this.page.getByRole('heading', { name: 'Registrierung' })).toBeVisible();
  }

  next() {
    return this.page.getByRole('button', { name: 'WEITER' }).click();
  }

  back() {
    return this.page.getByRole('button', { name: 'ZURÜCK' }).click();
  }

  async choosePlan(plan: 'basis' | 'plus') {
    await this.page.getByRole('radio', { name: new RegExp(`Konsil ${plan}`) }).check();
  }

  async fillOrganisation(o = organisation) {
    const p = this.page;
    await p.getByLabel('Name der Organisation', { exact: true }).fill(o.orgName);
    await p.getByLabel('Art der Organisation', { exact: true }).selectOption(o.orgType);
    await p.getByLabel('Größe der Organisation', { exact: true }).selectOption(o.orgSize);
    await p.getByLabel('Fachrichtung', { exact: true }).fill(o.specialty);
    await p.getByLabel('BSNR', { exact: true }).fill(o.bsnr);
    await p.getByLabel('LANR', { exact: true }).fill(o.lanr);
    await p.getByLabel('Straße', { exact: true }).fill(o.street);
    await p.getByLabel('Nr', { exact: true }).fill(o.houseNumber);
    await p.getByLabel('PLZ', { exact: true }).fill(o.plz);
    await p.getByLabel('Ort', { exact: true }).fill(o.city);
    await p.getByLabel('Anrede', { exact: true }).selectOption(o.salutation);
    await p.getByLabel('Titel', { exact: true }).fill(o.title);
    await p.getByLabel('Vorname', { exact: true }).fill(o.firstName);
    await p.getByLabel('Nachname', { exact: true }).fill(o.lastName);
    await p.getByLabel('E-Mail', { exact: true }).fill(o.email);
    await p.getByLabel('Telefon', { exact: true }).fill(o.phone);
  }

  async fillCredentials(c: Credentials) {
    const p = this.page;
    await p.getByLabel('Kurzname der Organisation', { exact: true }).fill(c.orgShortName);
    await p.getByLabel('Kurzname des Benutzers', { exact: true }).fill(c.userShortName);
    await p.getByLabel('Passwort', { exact: true }).fill(c.password);
    await p.getByLabel('Passwort wiederholen', { exact: true }).fill(c.password);
    await p.getByLabel('Masterpasswort', { exact: true }).fill(c.masterPassword);
    await p.getByLabel('Masterpasswort wiederholen', { exact: true }).fill(c.masterPassword);
    await p.getByLabel('Kurzname des Endgerätes', { exact: true }).fill(c.deviceName);
    await expect(p.getByText('Kurzname ist verfügbar.')).toBeVisible();
  }

  async acceptAndFinish() {
    const p = this.page;
    await p.getByLabel(/Ich stimme dem Auftragsverarbeitungsvertrag zu/).check();
    await p.getByLabel(/Ich habe meine Zugangsdaten notiert/).check();
    await p.getByRole('button', { name: 'ABSCHLIESSEN' }).click();
    await expect(p).toHaveURL(/\/app$/, { timeout: 60_000 });
    await expect(p.getByRole('heading', { name: /Willkommen/ })).toBeVisible();
  }
}

/** Registers an organisation through the wizard in this browser (its first device), ending on /app. */
export async function registerOrg(page: Page, c: Credentials, plan: 'basis' | 'plus', org = organisation) {
  const r = new RegisterPage(page);
  await r.goto();
  if (plan === 'plus') await r.choosePlan('plus');
  await r.fillOrganisation(org);
  await r.next();
  await r.fillCredentials(c);
  await r.next();
  if (plan === 'plus') {
    await page.getByLabel('Kontoinhaber', { exact: true }).fill(`${org.orgName} GmbH`);
    await page.getByLabel('IBAN', { exact: true }).fill('DE89 3704 0044 0532 0130 00');
    await page.getByLabel('BIC', { exact: true }).fill('COBADEFFXXX');
    await page.getByRole('checkbox', { name: 'SEPA-Lastschriftmandat' }).check();
    await r.next();
  }
  await r.acceptAndFinish();
}
