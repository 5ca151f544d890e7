import { expect, type Page } from '@playwright/test';
import { addCanary } from '../fixtures/canaries';

export type PatientData = { name: string; birthDate: string; phone: string; email: string; note: string };

/**
 * Creates an appointment starting now (Berlin time), or at a given Berlin date and time, and returns
 * its codes and link from the detail view.
 */
export async function createAppointment(page: Page, p: PatientData, opts: { minutesFromNow?: number; at?: { date: string; time: string }; durationMin?: number } = {}) {
  // In-app navigation: a reload would drop the keys, which live in the tab's memory only.
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Termine' }).click();
  await page.getByRole('link', { name: 'Neuer Termin' }).click();
  await expect(page.getByRole('heading', { name: 'Neuer Termin' })).toBeVisible();
  const at = new Date(Date.now() + (opts.minutesFromNow ?? 0) * 60_000);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  await page.getByLabel('Datum', { exact: true }).fill(opts.at?.date ?? `${parts.year}-${parts.month}-${parts.day}`);
  await page.getByLabel('Uhrzeit', { exact: true }).fill(opts.at?.time ?? `${parts.hour}:${parts.minute}`);
  await page.getByLabel('Dauer', { exact: true }).selectOption(String(opts.durationMin ?? 30));
  await page.getByLabel('Patient (Name)', { exact: true }).fill(p.name);
  await page.getByLabel('Geburtsdatum', { exact: true }).fill(p.birthDate);
  await page.getByLabel('Telefon', { exact: true }).fill(p.phone);
  await page.getByLabel('E-Mail', { exact: true }).fill(p.email);
  await page.getByLabel('Notiz', { exact: true }).fill(p.note);
  await page.getByRole('button', { name: 'Termin anlegen' }).click();
  await expect(page).toHaveURL(/\/app\/termine\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('appointment-patient')).toHaveText(p.name);
  const patientCode = (await page.getByTestId('patient-code').textContent())!.trim();
  const doctorCode = (await page.getByTestId('doctor-code').textContent())!.trim();
  const link = (await page.getByTestId('patient-link').textContent())!.trim();
  const id = page.url().split('/').pop()!;
  addCanary('patient access code', patientCode);
  addCanary('patient access code (plain)', patientCode.replace(/-/g, ''));
  addCanary('doctor access code', doctorCode);
  addCanary('doctor access code (plain)', doctorCode.replace(/-/g, ''));
  return { id, patientCode, doctorCode, link };
}

export function patientCanaries(p: PatientData) {
  addCanary('patient name', p.name);
  addCanary('patient birth date', p.birthDate);
  addCanary('patient phone', p.phone);
  addCanary('patient phone (digits)', p.phone.replace(/[^0-9]/g, ''));
  addCanary('patient e-mail', p.email);
  addCanary('appointment note', p.note);
}

/** Waits until the page's call view has decoded remote video frames (from getStats). */
export async function expectFrames(page: Page, timeout = 45_000) {
  await expect.poll(async () => Number(await page.getByTestId('remote-video').getAttribute('data-frames')), { timeout }).toBeGreaterThan(0);
}

/** Waits until audio from the other side arrives (inbound RTP audio packets, from getStats). */
export async function expectAudio(page: Page) {
  await expect.poll(async () => Number(await page.getByTestId('remote-video').getAttribute('data-audio-packets')), { timeout: 30_000 }).toBeGreaterThan(0);
}

/** framesDecoded straight from the peer connection's stats, via the video element's own counter. */
export async function playedFrames(page: Page): Promise<number> {
  return page.getByTestId('remote-video').evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames);
}

/** Patient side: open the link, pass the device check and consent, enter the waiting room. */
export async function patientEnters(page: Page, link: string) {
  await page.goto(link);
  await expect(page.getByTestId('practice-name')).toBeVisible();
  await expect(page.getByTestId('preview-video')).toBeVisible();
  await page.getByLabel(/Ich bin mit der Durchführung der Videosprechstunde einverstanden/).check();
  await page.getByTestId('enter').click();
  await expect(page.getByTestId('call-overlay')).toHaveText('Bitte warten Sie – Sie werden gleich hereingebeten');
}

/** Doctor side on the appointment page: open the room and admit the waiting patient. */
export async function doctorAdmits(page: Page, appointmentId: string) {
  await expect(page).toHaveURL(new RegExp(`/app/termine/${appointmentId}$`));
  await page.getByTestId('open-room').click();
  await page.getByTestId('enter-room').click();
  await expect(page.getByTestId('waiting-banner')).toBeVisible();
  await page.getByTestId('admit').click();
}

/**
 * Opens an appointment's page from the week calendar by in-app navigation (a
 * reload would drop the keys). An appointment made shortly before Berlin
 * midnight on a Sunday sits in last week's view after it: then the calendar
 * goes back one week.
 */
export async function openAppointment(page: Page, id: string) {
  const loaded = page.waitForResponse((r) => r.url().includes('/api/appointments?') && r.status() === 200);
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Termine' }).click();
  await loaded;
  const link = page.locator(`a[href="/app/termine/${id}"]`).first();
  await expect(page.getByRole('grid')).toBeVisible();
  if ((await link.count()) === 0) await page.getByRole('button', { name: 'Vorherige Woche' }).click();
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/app/termine/${id}$`));
}
