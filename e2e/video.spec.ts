import { createHash, randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import { generateAccessCode, signalKey, SignalSender } from '@/lib/protocol/video';
import { registerOrg, type Credentials } from './pages/register-page';
import { nav } from './pages/login-page';
import { addAccount } from './fixtures/canaries';
import { confirmOrgEmail } from './fixtures/confirm-email';
import { organisation, secret, uniqueName } from './fixtures/data';
import { createAppointment, doctorAdmits, expectAudio, expectFrames, openAppointment, patientCanaries, patientEnters, playedFrames, type PatientData } from './pages/video-page';

test.describe.configure({ mode: 'serial' });

const shots = (name: string) => ({ path: `artifacts/screenshots/${name}.png`, fullPage: true });

const doctor: Credentials = {
  orgShortName: uniqueName('Videopraxis'),
  userShortName: 'dr.berg',
  password: secret('Pw'),
  masterPassword: secret('Master'),
  deviceName: 'Sprechzimmer 1',
};

const patient: PatientData = {
  name: `Erika Mustermann-${secret('n').slice(2, 10)}`,
  birthDate: '1961-04-17',
  phone: `+49 171 ${Math.floor(1000000 + Math.random() * 8999999)}`,
  email: `erika.${secret('m').slice(2, 10).toLowerCase()}@example.org`,
  note: `Kontrolle Blutdruck, Rückfrage Ramipril ${secret('note')}`,
};

let doctorCtx: BrowserContext;
let doc: Page;
let appt: { id: string; patientCode: string; doctorCode: string; link: string };

test.beforeAll(async ({ browser }) => {
  doctorCtx = await browser.newContext();
  doc = await doctorCtx.newPage();
  addAccount(doctor);
  patientCanaries(patient);
});

test.afterAll(async () => {
  await doctorCtx?.close();
});

test('the doctor plans a consultation: calendar, form, codes', async () => {
  await registerOrg(doc, doctor, 'basis');
  await nav(doc, 'Termine');
  await expect(doc.getByRole('heading', { name: 'Termine', exact: true })).toBeVisible();
  // Today is highlighted and the grid is keyboard navigable.
  const today = doc.locator('[role="gridcell"][aria-current="date"]');
  await expect(today).toBeVisible();
  await today.focus();
  await doc.keyboard.press('ArrowRight');
  await expect(doc.locator('[role="gridcell"]:focus')).not.toHaveAttribute('aria-current', 'date');
  await doc.keyboard.press('ArrowLeft');
  await expect(doc.locator('[role="gridcell"]:focus')).toHaveAttribute('aria-current', 'date');

  // Validation: the patient's name is required.
  await doc.getByRole('link', { name: 'Neuer Termin' }).click();
  await doc.getByRole('button', { name: 'Termin anlegen' }).click();
  await expect(doc.getByText('Bitte ausfüllen.').first()).toBeVisible();
  await doc.getByLabel('E-Mail', { exact: true }).fill('kein-at-zeichen');
  await doc.getByRole('button', { name: 'Termin anlegen' }).click();
  await expect(doc.getByLabel('E-Mail', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await doc.screenshot(shots('termine-neu-fehler'));

  appt = await createAppointment(doc, patient);
  expect(appt.patientCode).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
  expect(appt.doctorCode).not.toBe(appt.patientCode);
  expect(appt.link).toContain(`/join#${appt.patientCode}`);
  await expect(doc.getByTestId('manual-invitation')).toHaveValue(new RegExp(appt.patientCode));
  await doc.screenshot(shots('termin-detail'));

  await nav(doc, 'Termine');
  await expect(doc.getByTestId('calendar-item').filter({ hasText: patient.name })).toBeVisible();
  await doc.screenshot(shots('termine-woche'));
  await doc.getByRole('button', { name: 'Liste' }).click();
  await expect(doc.getByTestId('appointment-list').getByRole('link', { name: patient.name })).toBeVisible();
  await doc.getByRole('button', { name: 'Tag', exact: true }).click();
  await expect(doc.getByTestId('calendar-item').filter({ hasText: patient.name })).toBeVisible();
});

test('a wrong code says "Zugangscode unbekannt"; a malformed one says how codes look', async ({ browser }) => {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await p.goto('/join');
  await p.getByLabel('Zugangscode', { exact: true }).fill('ABCD-EFGH-JKLM-NPQR');
  await p.getByRole('button', { name: 'Weiter' }).click();
  await expect(p.getByText('Zugangscode unbekannt', { exact: false })).toBeVisible();
  await p.getByLabel('Zugangscode', { exact: true }).fill('0000-1111');
  await p.getByRole('button', { name: 'Weiter' }).click();
  await expect(p.getByText('Ein Zugangscode hat 16 Zeichen', { exact: false })).toBeVisible();
  await p.screenshot(shots('join-code-unbekannt'));
  // Terms and privacy notice are public.
  await p.locator('#main').getByRole('link', { name: 'Nutzungsbedingungen' }).click();
  await expect(p.getByRole('heading', { name: 'Nutzungsbedingungen für die Videosprechstunde' })).toBeVisible();
  await p.goto('/datenschutz');
  await expect(p.getByRole('heading', { name: 'Datenschutzhinweise zur Videosprechstunde' })).toBeVisible();
  await ctx.close();
});

test('the patient joins by link on a phone, waits, is admitted; both see each other; hang-up tells the other', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const pat = await ctx.newPage();
  await pat.goto(appt.link);
  // The fragment (the code) is taken out of the address bar.
  await expect(pat).toHaveURL(/\/join$/);
  await expect(pat.getByTestId('practice-name')).toHaveText('Hausarztpraxis Dr. Sommer');
  await expect(pat.getByTestId('preview-video')).toBeVisible();
  // Consent is required.
  await pat.getByTestId('enter').click();
  await expect(pat.getByText('Bitte bestätigen Sie Ihre Einwilligung')).toBeVisible();
  await pat.screenshot(shots('join-geraetetest-handy'));
  await pat.getByLabel(/Ich bin mit der Durchführung der Videosprechstunde einverstanden/).check();
  await pat.getByTestId('enter').click();
  await expect(pat.getByTestId('call-overlay')).toHaveText('Bitte warten Sie – Sie werden gleich hereingebeten');
  await pat.screenshot(shots('join-warteraum-handy'));

  // The practice sees the waiting patient live on the dashboard.
  await nav(doc, 'Übersicht');
  await expect(doc.getByTestId('waiting-list')).toContainText(patient.name);
  await doc.screenshot(shots('dashboard-warteraum'));
  await doc.getByTestId('waiting-list').getByRole('link', { name: 'Zum Termin' }).click();
  await expect(doc.getByTestId('patient-waiting')).toBeVisible();

  await doctorAdmits(doc, appt.id);
  await expectFrames(doc);
  await expectFrames(pat);
  // … and hear each other.
  await expectAudio(doc);
  await expectAudio(pat);
  expect(await playedFrames(doc)).toBeGreaterThan(0);
  expect(await playedFrames(pat)).toBeGreaterThan(0);
  await expect(doc.getByTestId('call-view')).toHaveAttribute('data-media', 'connected');
  await expect(doc.getByTestId('quality')).not.toHaveAttribute('data-quality', 'unknown');
  await doc.screenshot(shots('call-arzt'));
  await pat.screenshot(shots('call-patient-handy'));
  // The quality indicator explains itself on the phone too: a tap opens what it means and what helps.
  await pat.getByTestId('quality').getByRole('button').tap();
  await expect(pat.getByTestId('quality-help')).toContainText(/Bild und Ton kommen flüssig an|stocken|einfrieren|gemessen/);
  await pat.screenshot(shots('call-patient-quality-handy'));
  await pat.getByTestId('quality').getByRole('button').tap();
  await expect(pat.getByTestId('quality-help')).toHaveCount(0);

  // Own picture can be hidden; camera and microphone toggle.
  await doc.getByRole('button', { name: 'Eigenes Bild ausblenden' }).click();
  await expect(doc.getByTestId('self-video')).toHaveCount(0);
  await doc.getByRole('button', { name: 'Eigenes Bild einblenden' }).click();
  await doc.getByRole('button', { name: 'Mikrofon stumm' }).click();
  await expect(pat.getByText('Mikrofon stumm', { exact: false }).first()).toBeVisible();
  await doc.getByRole('button', { name: 'Mikrofon an' }).click();

  // Screen sharing on plan basis: the server refuses.
  await doc.getByTestId('screen-share').click();
  await expect(doc.getByText('Diese Funktion ist im Tarif Konsil plus enthalten.')).toBeVisible();

  // The patient hangs up: the practice is told.
  await pat.getByTestId('hang-up').click();
  await expect(pat.getByTestId('join-ended')).toBeVisible();
  await expect(doc.getByTestId('call-overlay')).toHaveText('Der Patient / die Patientin hat das Gespräch verlassen.');
  await ctx.close();
  await doc.getByTestId('hang-up').click();
  await expect(doc.getByTestId('open-room')).toBeVisible();
});

test('a cancelled appointment tells the patient so, also one already waiting', async ({ browser }) => {
  const second = await createAppointment(doc, { ...patient, name: `${patient.name} (2)` });
  const ctx = await browser.newContext();
  const pat = await ctx.newPage();
  await patientEnters(pat, second.link);
  await doc.getByRole('button', { name: 'Termin absagen' }).click();
  await doc.getByTestId('confirm-cancel').click();
  await expect(doc.getByTestId('appointment-state')).toHaveText('abgesagt');
  await expect(pat.getByTestId('join-ended')).toHaveText('Die Praxis hat den Termin abgesagt. Bitte wenden Sie sich an Ihre Praxis.');
  // Coming back with the link later: a clear message saying which.
  await pat.goto(second.link);
  await expect(pat.getByTestId('join-status')).toHaveAttribute('data-status', 'cancelled');
  await expect(pat.getByRole('heading', { name: 'Termin abgesagt' })).toBeVisible();
  await pat.screenshot(shots('join-abgesagt'));
  await ctx.close();
});

test('an appointment tomorrow is not open yet and says when to come back', async ({ browser }) => {
  const later = await createAppointment(doc, { ...patient, name: `${patient.name} (3)` }, { minutesFromNow: 24 * 60 });
  const ctx = await browser.newContext();
  const pat = await ctx.newPage();
  await pat.goto(later.link);
  await expect(pat.getByTestId('join-status')).toHaveAttribute('data-status', 'early');
  await expect(pat.getByTestId('join-status')).toContainText('Der Warteraum öffnet um');
  await ctx.close();
});

test('a doctor with the doctor code opens the room at /join without signing in, but never takes it from a signed-in member', async ({ browser }) => {
  // A signed-in member is in the room first.
  await openAppointment(doc, appt.id);
  await doc.getByTestId('open-room').click();
  await doc.getByTestId('enter-room').click();
  await expect(doc.getByTestId('call-view')).toBeVisible();

  const ctx = await browser.newContext();
  const host = await ctx.newPage();
  await host.goto('/join');
  await host.getByLabel('Zugangscode', { exact: true }).fill(appt.doctorCode.toLowerCase());
  await host.getByRole('button', { name: 'Weiter' }).click();
  await expect(host.getByText('Zugang als Ärztin/Arzt für')).toBeVisible();
  await host.getByTestId('enter').click();
  await expect(host.getByText('Ein angemeldetes Mitglied der Praxis ist bereits im Sprechzimmer.', { exact: false })).toBeVisible();
  // The member is still in; once they hang up, the code opens the room.
  await expect(doc.getByTestId('call-view')).toBeVisible();
  await doc.getByTestId('hang-up').click();
  await host.getByTestId('enter').click();
  await expect(host.getByTestId('call-overlay')).toContainText('Noch niemand im Warteraum');

  const pctx = await browser.newContext();
  const pat = await pctx.newPage();
  await patientEnters(pat, appt.link);
  await expect(host.getByTestId('waiting-banner')).toBeVisible();
  await host.getByTestId('admit').click();
  await expectFrames(host);
  await expectFrames(pat);
  await host.getByTestId('hang-up').click();
  await expect(pat.getByTestId('call-overlay')).toContainText('Die Praxis hat das Gespräch verlassen');
  await ctx.close();
  await pctx.close();
});

test('forged or altered signalling messages are rejected by both browsers; no connection to a forger', async ({ browser, request }) => {
  // The forger plays a malicious server: it can write any row and relay any
  // message, but it does not know the patient's access code.
  const sql = postgres(process.env.DATABASE_URL!, { max: 1 });
  try {
    const target = await createAppointment(doc, { ...patient, name: `${patient.name} (4)` });
    const [{ org_id: orgId }] = await sql`select org_id from appointments where id = ${target.id}`;
    const forgedPatientToken = randomBytes(32).toString('base64url');
    await sql`insert into call_participants (appointment_id, org_id, role, token_hash, state)
              values (${target.id}, ${orgId}, 'patient', ${createHash('sha256').update(forgedPatientToken).digest('hex')}, 'waiting')`;

    // The doctor sees "someone" waiting and admits them; the browser sends its sealed offer.
    await doctorAdmits(doc, target.id);
    await expect.poll(async () => (await sql`select count(*)::int as n from signal_messages where appointment_id = ${target.id} and from_role = 'host'`)[0].n).toBeGreaterThan(0);
    const [{ payload: offer }] = await sql`select payload from signal_messages where appointment_id = ${target.id} and from_role = 'host' order by id limit 1`;

    // 1. The doctor's own offer, altered in one byte and sent back as the patient's.
    const parts = (offer as string).split('.');
    const ct = Buffer.from(parts[2]!, 'base64url');
    ct[10] ^= 0x01;
    const altered = `${parts[0]}.${parts[1]}.${ct.toString('base64url')}`;
    // 2. A well-formed answer from a real RTCPeerConnection, sealed under a key from a guessed code.
    const forgerPage = await (await browser.newContext()).newPage();
    await forgerPage.goto('/join');
    const sdp = await forgerPage.evaluate(async () => {
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      a.addTransceiver('video');
      a.addTransceiver('audio');
      await a.setLocalDescription(await a.createOffer());
      await b.setRemoteDescription(a.localDescription!);
      await b.setLocalDescription(await b.createAnswer());
      return b.localDescription!.sdp;
    });
    const wrongKey = signalKey(generateAccessCode(), target.id);
    const forged = new SignalSender(wrongKey, target.id, 'patient').seal({ type: 'answer', sdp });
    for (const payload of [altered, forged]) {
      const res = await request.post('/api/calls/signal', { headers: { 'x-call-token': forgedPatientToken }, data: { payload } });
      expect(res.status()).toBe(200); // the relay accepts it — it cannot tell …
    }
    // … but the doctor's browser does.
    await expect(doc.getByTestId('signal-rejected')).toHaveAttribute('data-count', '2');
    await doc.waitForTimeout(5000);
    await expect(doc.getByTestId('call-view')).not.toHaveAttribute('data-media', 'connected');
    expect(Number(await doc.getByTestId('remote-video').getAttribute('data-frames'))).toBe(0);
    await doc.screenshot(shots('call-forged-rejected'));
    await doc.getByTestId('hang-up').click();

    // The other direction: a forged offer to a real patient in the waiting room.
    const pctx = await browser.newContext();
    const pat = await pctx.newPage();
    await patientEnters(pat, target.link);
    const forgedHostToken = randomBytes(32).toString('base64url');
    await sql`insert into call_participants (appointment_id, org_id, role, token_hash, state)
              values (${target.id}, ${orgId}, 'host', ${createHash('sha256').update(forgedHostToken).digest('hex')}, 'admitted')`;
    await sql`update call_participants set state = 'admitted' where appointment_id = ${target.id} and role = 'patient' and state = 'waiting'`;
    const forgedOffer = new SignalSender(wrongKey, target.id, 'host').seal({ type: 'offer', sdp });
    const res = await request.post('/api/calls/signal', { headers: { 'x-call-token': forgedHostToken }, data: { payload: forgedOffer } });
    expect(res.status()).toBe(200);
    await expect(pat.getByTestId('signal-rejected')).toHaveAttribute('data-count', '1');
    await expect(pat.getByTestId('call-view')).toHaveAttribute('data-media', 'none');
    await pctx.close();
    await forgerPage.context().close();
  } finally {
    await sql.end();
  }
});

test('plan plus: Konsil sends the invitation by e-mail and SMS; screen sharing works', async ({ browser }) => {
  const plus: Credentials = { orgShortName: uniqueName('MVZ-Video'), userShortName: 'leitung', password: secret('Pw'), masterPassword: secret('Master'), deviceName: 'Leitung PC' };
  addAccount(plus);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await registerOrg(page, plus, 'plus', { ...organisation, orgName: 'MVZ Am Stadtpark' });
  await confirmOrgEmail(page.request, plus.orgShortName);
  const p2: PatientData = {
    name: `Hans Beispiel-${secret('n').slice(2, 9)}`,
    birthDate: '1948-12-02',
    phone: `+49 160 ${Math.floor(1000000 + Math.random() * 8999999)}`,
    email: `hans.${secret('m').slice(2, 10).toLowerCase()}@example.org`,
    note: `Wundkontrolle ${secret('note')}`,
  };
  patientCanaries(p2);
  const target = await createAppointment(page, p2);

  // E-mail invitation (the address is prefilled from the encrypted record).
  await expect(page.getByLabel('E-Mail-Adresse des Patienten', { exact: true })).toHaveValue(p2.email);
  await page.getByRole('button', { name: 'E-Mail senden' }).click();
  await expect(page.getByText('Eine Nachricht ist im Versand.')).toBeVisible();
  // SMS invitation: a national number is refused with a clear message, the international one goes.
  await page.getByRole('radio', { name: 'Einladung per SMS' }).check();
  // A landline cannot receive SMS: explained before anything is sent; the mobile number is taken as typed in Germany.
  await page.getByLabel('Mobilnummer des Patienten', { exact: true }).fill('030 1234567');
  await page.getByRole('button', { name: 'SMS senden' }).click();
  await expect(page.getByText(/Bitte geben Sie eine Mobilnummer an/).first()).toBeVisible();
  await page.getByLabel('Mobilnummer des Patienten', { exact: true }).fill(p2.phone.replace('+49 ', '0'));
  await page.getByRole('button', { name: 'SMS senden' }).click();
  await expect(page.getByText('Eine Nachricht ist im Versand.')).toBeVisible();
  await page.screenshot(shots('termin-einladung-plus'));

  // A reminder for a later appointment waits, sealed, until a day before it (the canary scan reads the dump).
  const later = await createAppointment(page, { ...p2, name: `${p2.name} (Kontrolle)` }, { minutesFromNow: 3 * 24 * 60 });
  await page.getByRole('checkbox', { name: 'Einladung jetzt senden' }).uncheck();
  await page.getByRole('checkbox', { name: 'Erinnerung 24 Stunden vorher' }).check();
  await page.getByRole('button', { name: 'E-Mail senden' }).click();
  await expect(page.getByText('Eine Nachricht ist im Versand.')).toBeVisible();
  expect(later.id).not.toBe(target.id);
  // Moved by an hour: the reminder with the old time is withdrawn and a new one follows the new time.
  await page.getByRole('link', { name: 'Bearbeiten', exact: true }).click();
  const time = page.getByLabel('Uhrzeit', { exact: true });
  const [hh, mm] = (await time.inputValue()).split(':').map(Number);
  await time.fill(`${String((hh! + 1) % 24).padStart(2, '0')}:${String(mm).padStart(2, '0')}`);
  if (hh === 23) {
    const date = page.getByLabel('Datum', { exact: true });
    const next = new Date(`${await date.inputValue()}T12:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    await date.fill(next.toISOString().slice(0, 10));
  }
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page).toHaveURL(new RegExp(`/app/termine/${later.id}\\?nachgefuehrt=1$`));
  await expect(page.getByTestId('messages-followed')).toContainText('eine Nachricht folgt dem neuen Termin');
  await page.screenshot(shots('termin-verschoben-nachgefuehrt'));
  // Back to the first appointment for the call.
  await openAppointment(page, target.id);

  // Patient joins; the practice shares its screen, the patient sees it.
  const pctx = await browser.newContext();
  const pat = await pctx.newPage();
  await patientEnters(pat, target.link);
  await doctorAdmits(page, target.id);
  await expectFrames(page);
  await expectFrames(pat);
  await page.getByTestId('screen-share').click();
  await expect(page.getByRole('button', { name: 'Bildschirmübertragung beenden' })).toBeVisible();
  await expect(pat.getByText('Bildschirmübertragung', { exact: true })).toBeVisible();
  await pat.screenshot(shots('call-patient-bildschirm'));
  await page.getByRole('button', { name: 'Bildschirmübertragung beenden' }).click();
  await page.getByTestId('hang-up').click();
  await pctx.close();
  // Cancelled afterwards: the patient had Konsil's e-mail and SMS (the local SMS gateway of the one-command start), so is told on both.
  await expect(page.getByTestId('call-view')).toHaveCount(0);
  await page.getByRole('button', { name: 'Termin absagen' }).click();
  await page.getByTestId('confirm-cancel').click();
  await expect(page.getByTestId('cancel-notified')).toContainText('Konsil benachrichtigt die Patientin oder den Patienten über die Absage (2 Nachrichten).');
  await page.screenshot(shots('termin-abgesagt-benachrichtigt'));
  await ctx.close();
});
