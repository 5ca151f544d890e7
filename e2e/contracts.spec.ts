import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import { registerOrg, RegisterPage, type Credentials } from './pages/register-page';
import { login, nav } from './pages/login-page';
import { addAccount } from './fixtures/canaries';
import { secret, uniqueName } from './fixtures/data';
import { berlinDate, contractEndDate, endInstant, formatGermanDate, KONSIL_RULE } from '@/lib/contracts/notice';

// The contract as a new customer meets it: upgrade, a plus feature before and
// after, cancel, revoke, cancel again, time passes, everything is gone.
test.describe.configure({ mode: 'serial' });

const shots = (name: string) => ({ path: `artifacts/screenshots/${name}.png`, fullPage: true });

const owner: Credentials = {
  orgShortName: uniqueName('Vertragspraxis'),
  userShortName: 'inhaberin',
  password: secret('Pw'),
  masterPassword: secret('Master'),
  deviceName: 'Empfang',
};

let ctx: BrowserContext;
let page: Page;
let orgId: string;
const sql = () => postgres(process.env.DATABASE_URL!, { max: 1 });

/** Runs the scheduled jobs once, as of `at`, exactly as an operator's cron would (npm run jobs). */
function runJobs(at: Date) {
  const out = execFileSync('npx', ['tsx', '--conditions=react-server', 'scripts/jobs.ts', '--at', at.toISOString()], {
    env: { ...process.env, KONSIL_DATA_DIR: process.env.KONSIL_DATA_DIR ?? './artifacts/data' },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!) as { contracts: { deletedOrganisations: number; invoices: number; deleted: Record<string, number> } };
}

async function openContract() {
  await nav(page, 'Rechnungsdaten');
  await expect(page.getByRole('heading', { name: 'Rechnungsdaten', exact: true })).toBeVisible();
}

test.beforeAll(async ({ browser }) => {
  ctx = await browser.newContext();
  page = await ctx.newPage();
  addAccount(owner);
});

test.afterAll(async () => {
  await ctx?.close();
});

test('the contract page: sections, plan, features per plan', async () => {
  await registerOrg(page, owner, 'basis');
  const db = sql();
  [{ id: orgId }] = await db`select id from organisations where short_name = ${owner.orgShortName}`;
  await db.end();
  await openContract();
  for (const h of ['Hauptnutzer(in)', 'Organisation', 'Bankverbindung', 'Abrechnung', 'Vertrag', 'Mein aktueller Vertrag', 'Möglicher Vertragswechsel']) {
    await expect(page.getByRole('heading', { name: h, exact: true })).toBeVisible();
  }
  await expect(page.getByTestId('current-plan')).toContainText('Konsil basis');
  const table = page.getByTestId('feature-table');
  for (const f of ['Terminverwaltung', 'Unbegrenzte Videotermine', 'Einladung per SMS', 'Bildschirmübertragung', 'Konferenzen mit mehreren Teilnehmern', 'Schriftliche Bestätigung des AVV']) {
    await expect(table.getByRole('rowheader', { name: f })).toBeVisible();
  }
  await expect(table.getByRole('row', { name: /Einladung per SMS/ }).getByLabel('nicht enthalten')).toHaveCount(1);
  await page.screenshot(shots('vertrag-basis'));
});

test('a plus feature is refused on basis; upgrade with a bad IBAN first, then a valid one; then allowed', async () => {
  const refused = await page.request.post('/api/settings/sms/test', { data: { to: '+49 171 2345678' } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe('plan_required');

  await page.getByTestId('switch-plan').click();
  const dialog = page.getByTestId('upgrade-dialog');
  await expect(dialog.getByRole('heading', { name: 'Wechsel zu Konsil plus' })).toBeVisible();
  await dialog.getByLabel('Kontoinhaber', { exact: true }).fill('Praxis Dr. Sommer');
  await dialog.getByLabel('IBAN', { exact: true }).fill('DE89 3704 0044 0532 0130 01');
  await dialog.getByLabel('BIC', { exact: true }).fill('COBADEFFXXX');
  await dialog.getByRole('checkbox', { name: 'SEPA-Lastschriftmandat' }).check();
  await dialog.getByRole('button', { name: 'JETZT WECHSELN' }).click();
  await expect(dialog.getByText('Die IBAN ist ungültig', { exact: false })).toBeVisible();
  await page.screenshot(shots('vertrag-wechsel-iban-fehler'));
  await dialog.getByLabel('IBAN', { exact: true }).fill('DE89 3704 0044 0532 0130 00');
  await dialog.getByRole('button', { name: 'JETZT WECHSELN' }).click();
  await expect(page.getByText('Sie nutzen jetzt Konsil plus.')).toBeVisible();
  await expect(page.getByTestId('current-plan')).toContainText('Konsil plus');
  await expect(page.getByText('DE89 •••• •••• •••• 3000')).toBeVisible();

  // Paid sending waits for the confirmed address: the link from the welcome mail, clicked in the local Postausgang.
  const waiting = await page.request.post('/api/settings/sms/test', { data: { to: '+49 171 2345678' } });
  expect(waiting.status()).toBe(403);
  expect((await waiting.json()).error.code).toBe('email_unconfirmed');
  await nav(page, 'Einstellungen');
  await expect(page.getByTestId('email-unconfirmed')).toBeVisible();
  await nav(page, 'Postausgang (lokal)');
  const welcome = page.getByTestId('outbox-message').filter({ hasText: 'Willkommen bei Konsil' });
  const link = /https?:\/\/\S+\/bestaetigen#[A-Za-z0-9_-]+/.exec((await welcome.textContent()) ?? '')?.[0];
  expect(link).toBeTruthy();
  const tab = await page.context().newPage();
  await tab.goto(link!);
  await expect(tab.getByTestId('email-confirmed')).toContainText('ist bestätigt');
  await tab.close();
  const allowed = await page.request.post('/api/settings/sms/test', { data: { to: '+49 171 2345678' } });
  expect(allowed.status(), await allowed.text()).toBe(200);
  await openContract();
});

test('the monthly invoice appears under Abrechnung and its PDF shows the totals', async () => {
  // The job at the start of next month bills this month's plus days.
  const today = berlinDate(new Date());
  const [y, m] = today.split('-').map(Number) as [number, number];
  const firstOfNext = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  const report = runJobs(new Date(`${firstOfNext}T06:00:00+01:00`));
  expect(report.contracts.invoices).toBeGreaterThanOrEqual(1);
  await page.reload();
  await page.getByLabel('Passwort', { exact: true }).fill(owner.password);
  await page.getByRole('button', { name: 'ENTSPERREN' }).click();
  const invoices = page.getByTestId('invoices');
  await expect(invoices.getByRole('row')).toHaveCount(2);
  const gross = (await invoices.getByRole('row').nth(1).getByRole('cell').nth(3).textContent())!.trim();
  expect(gross).toMatch(/^\d{1,3}(\.\d{3})*,\d{2} €$/);
  const [download] = await Promise.all([page.waitForEvent('download'), invoices.getByRole('link', { name: 'PDF herunterladen' }).click()]);
  const file = path.resolve('artifacts', download.suggestedFilename());
  await download.saveAs(file);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  expect(text).toContain('Rechnungsbetrag brutto');
  expect(text).toContain(gross);
  expect(text).toContain('SEPA-Lastschrift – Vorabankündigung');
  expect(text).toMatch(/Mandatsreferenz\s+KONSIL-/);
  await page.screenshot(shots('vertrag-abrechnung'));
});

test('cancel (the checkbox is required) → notice with the right date → revoke; both confirmed by e-mail', async () => {
  const expected = formatGermanDate(contractEndDate(KONSIL_RULE, { start: berlinDate(new Date()), noticeDate: berlinDate(new Date()) }));
  await page.getByRole('button', { name: 'Vertrag kündigen und Daten löschen' }).click();
  const dialog = page.getByTestId('cancel-dialog');
  await expect(dialog.getByText(`zum ${expected}`, { exact: false })).toBeVisible();
  await expect(dialog.getByRole('alert')).toContainText('unwiderruflich gelöscht');
  await dialog.getByRole('button', { name: 'KÜNDIGUNG BESTÄTIGEN' }).click();
  await expect(dialog.getByText('Bitte bestätigen Sie die Kündigung und die Löschung.')).toBeVisible();
  await page.screenshot(shots('vertrag-kuendigen-dialog'));
  await dialog.getByLabel('Hiermit bestätige ich die Kündigung und die anschließende Löschung meines Benutzerkontos').check();
  await dialog.getByRole('button', { name: 'KÜNDIGUNG BESTÄTIGEN' }).click();
  await expect(page.getByTestId('cancellation-notice')).toContainText(`Ihr Vertrag endet zum ${expected}.`);
  await page.screenshot(shots('vertrag-gekuendigt'));

  await page.getByRole('button', { name: 'Kündigung widerrufen' }).click();
  const revoke = page.getByTestId('revoke-dialog');
  await expect(revoke.getByRole('button', { name: 'ABBRECHEN' })).toBeVisible();
  await revoke.getByRole('button', { name: 'KÜNDIGUNG WIDERRUFEN' }).click();
  await expect(page.getByText('Die Kündigung ist widerrufen.', { exact: false })).toBeVisible();
  await expect(page.getByTestId('cancellation-notice')).toHaveCount(0);

  await nav(page, 'Postausgang (lokal)');
  await expect(page.getByText('Bestätigung Ihrer Kündigung', { exact: false }).first()).toBeVisible();
  await expect(page.getByText('Kündigung widerrufen', { exact: false }).first()).toBeVisible();
});

test('cancel again, the clock passes the end date, the job runs: nothing of the organisation is left', async ({ browser }) => {
  await openContract();
  await page.getByRole('button', { name: 'Vertrag kündigen und Daten löschen' }).click();
  const dialog = page.getByTestId('cancel-dialog');
  await dialog.getByLabel('Hiermit bestätige ich die Kündigung und die anschließende Löschung meines Benutzerkontos').check();
  await dialog.getByRole('button', { name: 'KÜNDIGUNG BESTÄTIGEN' }).click();
  await expect(page.getByTestId('cancellation-notice')).toBeVisible();

  const db = sql();
  try {
    const [{ ends_on: endsOn }] = await db`select to_char(ends_on, 'YYYY-MM-DD') as ends_on from contracts where org_id = ${orgId}`;
    // An encrypted file of the organisation in the blob store.
    const blobs = path.resolve(process.env.KONSIL_DATA_DIR ?? './artifacts/data', 'blobs', orgId);
    fs.mkdirSync(blobs, { recursive: true });
    fs.writeFileSync(path.join(blobs, 'upload.bin'), Buffer.alloc(128, 7));

    // A minute before the end nothing happens …
    expect(runJobs(new Date(endInstant(endsOn).getTime() - 60_000)).contracts.deletedOrganisations).toBe(0);
    // … after it, the organisation is deleted.
    const report = runJobs(new Date(endInstant(endsOn).getTime() + 60_000));
    expect(report.contracts.deletedOrganisations).toBe(1);
    expect(report.contracts.deleted.blobs).toBe(1);

    const tables = await db`select table_name from information_schema.columns where column_name = 'org_id' and table_schema = current_schema()`;
    for (const { table_name: t } of tables) {
      const [{ n }] = await db`select count(*)::int as n from ${db(t)} where org_id = ${orgId}`;
      expect(n, t).toBe(0);
    }
    expect((await db`select count(*)::int as n from organisations where id = ${orgId}`)[0].n).toBe(0);
    expect(fs.existsSync(blobs)).toBe(false);
  } finally {
    await db.end();
  }

  // The session is gone, login fails as for an unknown account.
  const fresh = await browser.newContext();
  const p = await fresh.newPage();
  await login(p, owner);
  await expect(p.getByText('Fehler beim Login')).toBeVisible();
  // The short name can never be registered again.
  const r = new RegisterPage(p);
  await r.goto();
  await r.fillOrganisation();
  await r.next();
  await p.getByLabel('Kurzname der Organisation', { exact: true }).fill(owner.orgShortName);
  await expect(p.getByText('Dieser Kurzname ist bereits vergeben.')).toBeVisible();
  await fresh.close();
});
