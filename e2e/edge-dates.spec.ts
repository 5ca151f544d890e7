import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import { registerOrg, type Credentials } from './pages/register-page';
import { loginOk, nav } from './pages/login-page';
import { createAppointment, patientCanaries, type PatientData } from './pages/video-page';
import { addAccount } from './fixtures/canaries';
import { secret, uniqueName } from './fixtures/data';
import { setClocks, setServerClock } from './fixtures/clock';
import { EDGE_DATES, berlinInstant, germanDate } from '@/test/edge-dates';

// The calendar, the consultation's waiting-room window and the contract's
// notice, with the browser's and the server's clocks set to each edge date of
// the table, so a fault on such a day shows up every day.
test.describe.configure({ mode: 'serial' });

const doctor: Credentials = {
  orgShortName: uniqueName('Kalenderpraxis'),
  userShortName: 'dr.rand',
  password: secret('Pw'),
  masterPassword: secret('Master'),
  deviceName: 'Empfang',
};
const MIN = 60_000;

let ctx: BrowserContext;
let page: Page;

function addDays(date: string, n: number): string {
  const t = new Date(Date.parse(`${date}T12:00:00Z`) + n * 86400_000);
  return t.toISOString().slice(0, 10);
}
const minus15 = (time: string) => {
  const [h, m] = time.split(':').map(Number) as [number, number];
  const t = h * 60 + m - 15;
  return `${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
};

test.beforeAll(async ({ browser, request }) => {
  ctx = await browser.newContext();
  page = await ctx.newPage();
  addAccount(doctor);
  await setClocks(request, [ctx], berlinInstant(EDGE_DATES[0]!.date, EDGE_DATES[0]!.time));
  await registerOrg(page, doctor, 'basis');
});

test.afterAll(async ({ request }) => {
  await setServerClock(request, null);
  await ctx?.close();
});

for (const edge of EDGE_DATES) {
  test(`${edge.name}, ${edge.date} ${edge.time}: calendar, waiting room, notice`, async ({ browser, request }) => {
    const now = berlinInstant(edge.date, edge.time);
    await setClocks(request, [ctx], now);
    await loginOk(page, doctor);
    await nav(page, 'Termine');

    // The week that holds today, today highlighted; the keys move the focus across the week's edges.
    const grid = page.getByRole('grid');
    const focused = page.locator('[role="gridcell"]:focus');
    const today = page.locator('[role="gridcell"][aria-current="date"]');
    await expect(today).toHaveAttribute('data-day', edge.date);
    await today.focus();
    for (const [key, day] of [
      ['ArrowRight', addDays(edge.date, 1)],
      ['ArrowLeft', edge.date],
      ['ArrowLeft', addDays(edge.date, -1)],
      ['ArrowRight', edge.date],
      ['PageDown', addDays(edge.date, 7)],
      ['PageUp', edge.date],
      ['ArrowDown', addDays(edge.date, 7)],
      ['ArrowUp', edge.date],
    ] as const) {
      await page.keyboard.press(key);
      await expect(focused, `${key} → ${day}`).toHaveAttribute('data-day', day);
    }
    // Home and End stay in the week; the grid's label names the week the focus is in (from its Monday).
    await page.keyboard.press('End');
    const sunday = (await focused.getAttribute('data-day'))!;
    expect(new Date(`${sunday}T12:00:00Z`).getUTCDay()).toBe(0);
    await page.keyboard.press('Home');
    await expect(focused).toHaveAttribute('data-day', addDays(sunday, -6));
    await page.keyboard.press('ArrowLeft');
    await expect(focused).toHaveAttribute('data-day', addDays(sunday, -7));
    await expect(grid).toHaveAttribute('aria-label', new RegExp(`^${Number(addDays(sunday, -13).slice(8))}\\. `));
    // The day view steps one day at a time, over midnight and the week's edge alike.
    await page.getByRole('button', { name: 'Heute' }).click();
    await expect(page).toHaveURL(new RegExp(`date=${edge.date}`));
    await page.getByRole('button', { name: 'Tag', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`view=day&date=${edge.date}`));
    const todayCell = page.locator(`[role="gridcell"][data-day="${edge.date}"]`);
    await todayCell.focus();
    await expect(todayCell).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(focused).toHaveAttribute('data-day', addDays(edge.date, 1));
    await page.keyboard.press('ArrowLeft');
    await expect(focused).toHaveAttribute('data-day', edge.date);
    await page.getByRole('button', { name: 'Woche', exact: true }).click();
    await expect(page).toHaveURL(/view=week/);

    // A consultation half an hour from now, an hour long (through the changed hour on the DST nights).
    const patient: PatientData = { name: `Rand ${secret('n').slice(3, 11)}`, birthDate: '1950-01-01', phone: '', email: '', note: `Kontrolle ${secret('note')}` };
    patientCanaries(patient);
    const appt = await createAppointment(page, patient, { at: { date: edge.date, time: edge.appointmentTime }, durationMin: 60 });
    await nav(page, 'Termine');
    await expect(page.locator(`[role="gridcell"][data-day="${edge.date}"]`).getByTestId('calendar-item').filter({ hasText: patient.name })).toContainText(
      edge.appointmentTime,
    );

    // The waiting room opens 15 minutes before and closes an hour after the end.
    const startsAt = berlinInstant(edge.date, edge.appointmentTime);
    const patientCtx = await browser.newContext();
    try {
      const p = await patientCtx.newPage();
      await setClocks(request, [patientCtx], new Date(startsAt.getTime() - 20 * MIN));
      await p.goto(appt.link);
      await expect(p.getByText('Noch etwas zu früh')).toBeVisible();
      await expect(p.getByText(`öffnet um ${minus15(edge.appointmentTime)} Uhr`, { exact: false })).toBeVisible();
      await setClocks(request, [patientCtx], new Date(startsAt.getTime() - 10 * MIN));
      await p.getByRole('button', { name: 'Erneut prüfen' }).click();
      await expect(p.getByTestId('practice-name')).toBeVisible();
      await setClocks(request, [patientCtx], new Date(startsAt.getTime() + 121 * MIN));
      await p.goto(appt.link);
      await expect(p.getByText('Termin vorbei')).toBeVisible();
    } finally {
      await patientCtx.close();
      await setServerClock(request, now);
    }

    // Notice given today ends the contract at the right quarter's end.
    await nav(page, 'Rechnungsdaten');
    await page.getByRole('button', { name: 'Vertrag kündigen und Daten löschen' }).click();
    const dialog = page.getByTestId('cancel-dialog');
    await expect(dialog.getByText(`zum ${germanDate(edge.contractEnds)}`, { exact: false })).toBeVisible();
    await dialog.getByRole('button', { name: 'ABBRECHEN' }).click();
    await expect(dialog).toBeHidden();
  });
}
