import fs from 'node:fs';
import postgres from 'postgres';
import { test, expect, request as pwRequest, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import { registerViaApi } from './fixtures/api-account';
import { openWithApiSession, reloadAndUnlock } from './fixtures/browser-device';
import { addAccount } from './fixtures/canaries';
import { secret } from './fixtures/data';
import { loginOk, nav } from './pages/login-page';
import { createAppointment, doctorAdmits, expectFrames, patientCanaries, patientEnters, type PatientData } from './pages/video-page';

// The statistics page counts what really happened: two real video calls (the
// admin's and a member's, fake camera and microphone), manual invitations
// (the copied text) and one e-mail sent by Konsil. The page, its CSV and the
// call events in the database must agree, number for number; a member sees
// their own figures only.
test.describe.configure({ mode: 'serial' });

const shots = (name: string) => ({ path: `artifacts/screenshots/${name}.png`, fullPage: true });

let api: APIRequestContext;
let org: Awaited<ReturnType<typeof registerViaApi>>;
let adminCtx: BrowserContext;
let admin: Page;
let memberCtx: BrowserContext;
let memberPage: Page;
let memberId: string;
let sql: postgres.Sql;

const member = { userShortName: 'mfa.brandt', password: secret('Pw'), masterPassword: secret('Master'), deviceName: 'Anmeldung' };

const patient = (who: string): PatientData => ({
  name: `${who} Statistik-${secret('n').slice(2, 9)}`,
  birthDate: '1975-03-14',
  phone: '',
  email: `${who.toLowerCase()}.${secret('m').slice(2, 10).toLowerCase()}@example.org`,
  note: `Verlaufskontrolle ${secret('note')}`,
});

/** The Berlin month of now, as the server counts it. */
function berlinMonthNow(): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit' }).formatToParts(new Date()).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}`;
}

/** As the page writes a duration (components/stats/use-stats-format.ts, German). */
function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h} Std. ${m} Min.` : m > 0 ? `${m} Min. ${s} s` : `${s} s`;
}

/** What the database recorded for the organisation's calls: per member, count and seconds. */
async function recordedCalls(): Promise<Record<string, { calls: number; seconds: number }>> {
  const rows = await sql<{ user_id: string; calls: number; seconds: number }[]>`
    select user_id, count(*)::int as calls, coalesce(sum(duration_s), 0)::int as seconds
    from call_events where org_id = ${org.orgId} and type = 'call_ended' group by user_id`;
  return Object.fromEntries(rows.map((r) => [r.user_id, { calls: r.calls, seconds: r.seconds }]));
}

/** A real consultation: the patient waits, the doctor admits, both see video, a few seconds of talking, the doctor hangs up. */
async function realCall(doctor: Page, browserCtx: () => Promise<BrowserContext>, appointment: { id: string; link: string }) {
  const pctx = await browserCtx();
  try {
    const pat = await pctx.newPage();
    await patientEnters(pat, appointment.link);
    await doctorAdmits(doctor, appointment.id);
    await expectFrames(doctor);
    await expectFrames(pat);
    await doctor.waitForTimeout(2500);
    await doctor.getByTestId('hang-up').click();
    await expect(doctor.getByTestId('open-room')).toBeVisible();
  } finally {
    await pctx.close();
  }
}

async function openStats(page: Page) {
  await nav(page, 'Statistik');
  await expect(page.getByRole('heading', { level: 1, name: 'Statistik' })).toBeVisible();
  await expect(page.getByTestId('stats-report')).toHaveAttribute('aria-busy', 'false');
}

const card = (page: Page, id: string) => page.getByTestId(`stat-${id}-value`);
const cell = (row: ReturnType<Page['getByTestId']>, col: string) => row.locator(`[data-col="${col}"]`);

test.beforeAll(async ({ browser, baseURL }) => {
  sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  api = await pwRequest.newContext({ baseURL });
  org = await registerViaApi(api, { plan: 'plus', prefix: 'stat' });
  adminCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'] });
  admin = await adminCtx.newPage();
  await openWithApiSession(admin, { api, password: org.password, orgShortName: org.orgShortName }, '/app');
  await expect(admin.getByTestId('whoami')).toBeVisible();
  addAccount({ orgShortName: org.orgShortName, ...member });
});

test.afterAll(async () => {
  await Promise.all([api?.dispose(), adminCtx?.close(), memberCtx?.close()]);
  await sql?.end();
});

test('before any call the page says so, and the navigation leads to it', async () => {
  await openStats(admin);
  await expect(admin.getByTestId('stats-empty')).toBeVisible();
  for (const id of ['consultations', 'conferences', 'invitations', 'sms']) await expect(card(admin, id)).toHaveText('0');
  await expect(card(admin, 'duration')).toHaveText('0 s');
  // Six months up to the current one, newest first in the table.
  const month = berlinMonthNow();
  await expect(admin.getByTestId('stats-report')).toHaveAttribute('data-to', month);
  await expect(admin.getByTestId('month-table').locator('tbody tr')).toHaveCount(6);
  await admin.screenshot(shots('statistik-leer'));
});

test('a member joins: invited and confirmed by the admin, logged in on their own device', async ({ browser }) => {
  await nav(admin, /Benutzer/);
  await admin.getByLabel('Bezeichnung (optional, z. B. Name)', { exact: true }).fill('Frau Brandt (MFA)');
  await admin.getByRole('button', { name: 'Einladungslink erzeugen' }).click();
  const link = (await admin.getByTestId('invite-link').textContent())!.trim();
  memberCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'] });
  memberPage = await memberCtx.newPage();
  await memberPage.goto(link);
  await expect(memberPage.getByText(/Sie wurden eingeladen/)).toBeVisible();
  await memberPage.getByLabel('Kurzname des Benutzers', { exact: true }).fill(member.userShortName);
  await memberPage.getByLabel('Passwort', { exact: true }).fill(member.password);
  await memberPage.getByLabel('Passwort wiederholen', { exact: true }).fill(member.password);
  await memberPage.getByLabel('Masterpasswort', { exact: true }).fill(member.masterPassword);
  await memberPage.getByLabel('Masterpasswort wiederholen', { exact: true }).fill(member.masterPassword);
  await memberPage.getByLabel('Kurzname des Endgerätes', { exact: true }).fill(member.deviceName);
  await memberPage.getByRole('button', { name: 'ZUGANG EINRICHTEN' }).click();
  await expect(memberPage.getByTestId('member-fingerprint')).toBeVisible();

  await nav(admin, 'Übersicht');
  await nav(admin, /Benutzer/);
  const row = admin.getByTestId(`member-${member.userShortName}`);
  await row.getByRole('button', { name: 'Bestätigen' }).click();
  await admin.getByRole('button', { name: 'Bestätigen' }).last().click();
  await expect(row).toContainText('aktiv');
  const [m] = await sql<{ id: string }[]>`select id from users where org_id = ${org.orgId} and short_name = ${member.userShortName}`;
  memberId = m!.id;

  await loginOk(memberPage, { orgShortName: org.orgShortName, ...member });
});

test('the admin holds a real consultation and invites by copied text and by e-mail through Konsil', async ({ browser }) => {
  const p = patient('Admin');
  patientCanaries(p);
  const appt = await createAppointment(admin, p);
  // The manual invitation: the practice copies the prepared text.
  await admin.getByRole('button', { name: 'Text kopieren' }).click();
  await expect(admin.getByRole('button', { name: 'Kopiert' }).or(admin.getByText('Kopiert')).first()).toBeVisible();
  // Konsil sends the invitation by e-mail (plan plus).
  await expect(admin.getByLabel('E-Mail-Adresse des Patienten', { exact: true })).toHaveValue(p.email);
  await admin.getByRole('button', { name: 'E-Mail senden' }).click();
  await expect(admin.getByText('Eine Nachricht ist im Versand.')).toBeVisible();
  await realCall(admin, () => browser.newContext(), appt);
});

test("the member holds a real consultation of their own and copies the invitation", async ({ browser }) => {
  const p = patient('Mitglied');
  patientCanaries(p);
  const appt = await createAppointment(memberPage, p);
  await memberPage.getByRole('button', { name: 'Text kopieren' }).click();
  await expect(memberPage.getByRole('button', { name: 'Kopiert' }).or(memberPage.getByText('Kopiert')).first()).toBeVisible();
  await realCall(memberPage, () => browser.newContext(), appt);
});

test('the admin sees exactly those calls and invitations: cards, months, members, and the member filter', async () => {
  const calls = await recordedCalls();
  expect(calls[org.userId]?.calls).toBe(1);
  expect(calls[memberId]?.calls).toBe(1);
  const adminSeconds = calls[org.userId]!.seconds;
  const memberSeconds = calls[memberId]!.seconds;
  expect(adminSeconds).toBeGreaterThanOrEqual(2);
  expect(memberSeconds).toBeGreaterThanOrEqual(2);
  const [invites] = await sql<{ manual: number; email: number }[]>`
    select count(*) filter (where type = 'invitation_manual')::int as manual, count(*) filter (where type = 'invitation_email')::int as email
    from call_events where org_id = ${org.orgId}`;
  expect(invites).toEqual({ manual: 2, email: 1 });

  await openStats(admin);
  await expect(admin.getByTestId('stats-empty')).toHaveCount(0);
  await expect(card(admin, 'consultations')).toHaveText('2');
  await expect(card(admin, 'duration')).toHaveText(duration(adminSeconds + memberSeconds));
  await expect(card(admin, 'conferences')).toHaveText('0');
  await expect(card(admin, 'invitations')).toHaveText('3');
  await expect(admin.getByTestId('stat-invitations')).toContainText('E-Mail (Praxis) 2 · E-Mail (Konsil) 1 · SMS 0');
  await expect(card(admin, 'sms')).toHaveText('0');

  const month = admin.getByTestId(`month-${berlinMonthNow()}`);
  await expect(cell(month, 'consultations')).toHaveText('2');
  await expect(cell(month, 'manual')).toHaveText('2');
  await expect(cell(month, 'email')).toHaveText('1');
  await expect(cell(month, 'smsInvitations')).toHaveText('0');
  await expect(cell(month, 'conferences')).toHaveText('0');

  const mine = admin.getByTestId('member-admin');
  await expect(cell(mine, 'consultations')).toHaveText('1');
  await expect(cell(mine, 'duration')).toHaveText(duration(adminSeconds));
  await expect(cell(mine, 'manual')).toHaveText('1');
  await expect(cell(mine, 'email')).toHaveText('1');
  const theirs = admin.getByTestId(`member-${member.userShortName}`);
  await expect(cell(theirs, 'consultations')).toHaveText('1');
  await expect(cell(theirs, 'duration')).toHaveText(duration(memberSeconds));
  await expect(cell(theirs, 'manual')).toHaveText('1');
  await expect(cell(theirs, 'email')).toHaveText('0');
  // Charts are drawn, with their numbers in words for screen readers.
  await expect(admin.getByTestId('chart-calls').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(admin.getByTestId('chart-calls-summary')).toContainText(/: 2 Konsultationen, 0 Konferenzen$/);
  await expect(admin.getByTestId('chart-invitations-summary')).toContainText(/: E-Mail \(Praxis\) 2, E-Mail \(Konsil\) 1, SMS 0$/);
  await admin.screenshot(shots('statistik-admin'));

  // The member filter.
  await admin.getByLabel('Mitglied', { exact: true }).selectOption({ label: member.userShortName });
  await admin.getByRole('button', { name: 'Anzeigen' }).click();
  await expect(admin.getByTestId('stats-scope')).toContainText(member.userShortName);
  await expect(card(admin, 'consultations')).toHaveText('1');
  await expect(card(admin, 'duration')).toHaveText(duration(memberSeconds));
  await expect(card(admin, 'invitations')).toHaveText('1');
  await expect(card(admin, 'sms')).toHaveText('–');
  await expect(admin.getByTestId('member-table').locator('tbody tr')).toHaveCount(1);
  await admin.getByLabel('Mitglied', { exact: true }).selectOption({ label: 'Alle Mitglieder' });
  await admin.getByRole('button', { name: 'Anzeigen' }).click();
  await expect(card(admin, 'consultations')).toHaveText('2');

  // A range the form refuses, with its reason on the field; the figures stay.
  await admin.getByLabel('Von (Monat)', { exact: true }).fill('2026-05');
  await admin.getByLabel('Bis (Monat)', { exact: true }).fill('2026-01');
  await admin.getByRole('button', { name: 'Anzeigen' }).click();
  await expect(admin.getByText('Der Endmonat liegt vor dem Anfangsmonat.')).toBeVisible();
  await expect(card(admin, 'consultations')).toHaveText('2');
  // The server says the same for a range it gets directly.
  const refused = await admin.request.get('/api/stats?from=2026-05&to=2026-01');
  expect(refused.status()).toBe(422);
  expect(await refused.json()).toEqual({ error: { code: 'validation', fields: { to: 'monthRangeReversed' } } });
});

test('the CSV export has the same numbers, for German Excel', async () => {
  const calls = await recordedCalls();
  const month = berlinMonthNow();
  const download = admin.waitForEvent('download');
  await admin.getByTestId('stats-export').click();
  const file = await download;
  const from = (await admin.getByTestId('stats-report').getAttribute('data-from'))!;
  expect(file.suggestedFilename()).toBe(`konsil-statistik-${from}-${month}.csv`);
  const text = fs.readFileSync((await file.path())!, 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const [head, ...rows] = text.slice(1).trimEnd().split('\r\n').map((l) => l.split(';'));
  expect(head!.slice(0, 5)).toEqual(['Monat', 'Mitglied', 'Konsultationen', 'Dauer Konsultationen (Sekunden)', 'Ø Dauer Konsultationen (Sekunden)']);
  const col = (name: string) => head!.indexOf(name);
  const line = (who: string) => rows.find((r) => r[0] === month && r[1] === who)!;
  const all = line('Alle Mitglieder');
  expect(all[col('Konsultationen')]).toBe('2');
  expect(all[col('Dauer Konsultationen (Sekunden)')]).toBe(String(calls[org.userId]!.seconds + calls[memberId]!.seconds));
  expect(all[col('Konferenzen')]).toBe('0');
  expect(all[col('Einladungen E-Mail (Praxis)')]).toBe('2');
  expect(all[col('Einladungen E-Mail (Konsil)')]).toBe('1');
  expect(all[col('Einladungen SMS')]).toBe('0');
  expect(all[col('SMS versandt')]).toBe('0');
  const theirs = line(member.userShortName);
  expect(theirs[col('Konsultationen')]).toBe('1');
  expect(theirs[col('Dauer Konsultationen (Sekunden)')]).toBe(String(calls[memberId]!.seconds));
  expect(line('admin')[col('Einladungen E-Mail (Konsil)')]).toBe('1');
  // Six months, each with everyone and both members.
  expect(rows).toHaveLength(6 * 3);
  // The same route answers with the right headers.
  const res = await admin.request.get(`/api/stats/export?from=${month}&to=${month}`);
  expect(res.headers()['content-type']).toBe('text/csv; charset=utf-8');
  expect(res.headers()['content-disposition']).toBe(`attachment; filename="konsil-statistik-${month}-${month}.csv"`);
});

test('the phone shows the same page as stacked cards', async () => {
  await admin.setViewportSize({ width: 390, height: 844 });
  await reloadAndUnlock(admin, org.password);
  await expect(card(admin, 'consultations')).toHaveText('2');
  await expect(admin.getByTestId(`member-${member.userShortName}`)).toBeVisible();
  await admin.screenshot(shots('statistik-handy'));
  await admin.setViewportSize({ width: 1280, height: 800 });
});

test('a member sees their own figures only: no filter, no SMS, nothing of others in page, API or CSV', async () => {
  await openStats(memberPage);
  await expect(memberPage.getByTestId('stats-scope')).toContainText('nur Ihre eigenen Zahlen');
  await expect(memberPage.getByLabel('Mitglied', { exact: true })).toHaveCount(0);
  await expect(memberPage.getByTestId('stat-sms')).toHaveCount(0);
  await expect(card(memberPage, 'consultations')).toHaveText('1');
  await expect(card(memberPage, 'invitations')).toHaveText('1');
  await expect(memberPage.getByTestId('member-table').locator('tbody tr')).toHaveCount(1);
  await expect(memberPage.getByTestId('member-admin')).toHaveCount(0);
  await memberPage.screenshot(shots('statistik-mitglied'));

  // Asking for the admin's figures gives the member's own.
  const res = await memberPage.request.get(`/api/stats?member=${org.userId}`);
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body).toMatchObject({ memberId, organisationView: false, memberOptions: [], totalSms: null });
  expect(body.total.consultations).toBe(1);
  expect(JSON.stringify(body)).not.toContain(org.userId);
  const csv = await (await memberPage.request.get('/api/stats/export')).text();
  const names = new Set(csv.slice(1).trimEnd().split('\r\n').slice(1).map((l) => l.split(';')[1]));
  expect([...names]).toEqual([member.userShortName]);
});
