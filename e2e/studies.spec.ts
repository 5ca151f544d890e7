import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { test, expect, request as pwRequest, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { registerViaApi } from './fixtures/api-account';
import { holdDevice, openWithApiSession, reloadAndUnlock } from './fixtures/browser-device';
import { addCanary } from './fixtures/canaries';
import { secret } from './fixtures/data';
import { makeTestStudy, sha256File } from './fixtures/test-study';

// A study sent from a practice (basis, not listed) to a radiology's department
// mailbox (plus, listed): found in the directory, checked and encrypted in the
// browser, uploaded resumably, arriving live, opened in the viewer, downloaded
// byte for byte, acknowledged with signed receipts — and refused when the
// server alters a chunk, forges a signature or serves another key.
test.describe.configure({ mode: 'serial' });

const word = `Studientest${crypto.randomUUID().replace(/[^a-f]/g, '').slice(0, 6)}`;
const patient = { name: `Kanarienvogel^Erika${word.slice(-4)}`, id: `PID-${word}`, birthDate: '19410317', description: `Knie rechts ${word}` };
const message = `Bitte um Zweitmeinung zum Meniskus – ${secret('Nachricht')}`;
const TMP = path.resolve('artifacts/tmp-studies');
const DATA = path.resolve(process.env.KONSIL_DATA_DIR ?? 'artifacts/data');

let sql: postgres.Sql;
let apiA: APIRequestContext;
let apiB: APIRequestContext;
let apiC: APIRequestContext;
let A: Awaited<ReturnType<typeof registerViaApi>>;
let B: Awaited<ReturnType<typeof registerViaApi>>;
let pageA: Page;
let pageB: Page;
let pageM: Page;
let study: Awaited<ReturnType<typeof makeTestStudy>>;
let studyId: string;
const member = { userShortName: 'mfa', password: secret('Pw'), masterPassword: secret('Master') };
const noticeTo = `unfallchirurgie-${word.toLowerCase()}@radiologie.example`;

async function newPage(browser: Browser) {
  const ctx = await browser.newContext();
  // The ZIP comes as a download (the save dialog of showSaveFilePicker cannot be driven here).
  await ctx.addInitScript(() => {
    delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker;
  });
  return ctx.newPage();
}

/** The mailboxes a session may use; while its tab is still unlocking (423) none, so a poll waits. */
async function mailboxes(api: APIRequestContext): Promise<{ id: string; name: string }[]> {
  const res = await api.get('/api/mailboxes');
  if (res.status() === 423) return [];
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).mailboxes;
}

test.beforeAll(async ({ browser, baseURL }) => {
  sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  [apiA, apiB, apiC] = await Promise.all([0, 1, 2].map(() => pwRequest.newContext({ baseURL })));
  A = await registerViaApi(apiA, { prefix: 'absender', orgName: `Praxis Dr. Absender ${word}` });
  B = await registerViaApi(apiB, { plan: 'plus', prefix: 'radiologie', orgName: `Radiologie ${word}`, directoryVisible: true });
  await registerViaApi(apiC, { prefix: 'dritte' });
  fs.rmSync(TMP, { recursive: true, force: true });
  study = await makeTestStudy(TMP, patient);
  for (const [label, value] of [
    ['DICOM patient name', patient.name.split('^')[0]!],
    ['DICOM patient ID', patient.id],
    ['DICOM birth date', patient.birthDate],
    ['DICOM study description', patient.description],
    ['study message', message],
  ] as const)
    addCanary(label, value);
  [pageA, pageB, pageM] = await Promise.all([newPage(browser), newPage(browser), newPage(browser)]);
});

test.afterAll(async () => {
  await Promise.all([sql?.end(), apiA?.dispose(), apiB?.dispose(), apiC?.dispose(), pageA?.context().close(), pageB?.context().close(), pageM?.context().close()]);
});

test('the radiology sets up a department mailbox and a member without access to it', async () => {
  await openWithApiSession(pageB, { api: apiB, password: B.password, orgShortName: B.orgShortName }, '/app');
  await expect.poll(async () => (await mailboxes(apiB)).map((m) => m.name), { timeout: 60_000 }).toEqual(['Hauptpostfach']);
  await reloadAndUnlock(pageB, B.password, '/app/stammdaten/postfaecher');
  await pageB.getByLabel('Name', { exact: false }).first().fill('Unfallchirurgie');
  await pageB.getByRole('button', { name: 'Postfach anlegen' }).click();
  await expect(pageB.getByRole('heading', { name: 'Unfallchirurgie' })).toBeVisible();
  // The department's own address for the notice of new studies; a mistyped one is refused in words.
  const notice = pageB.getByRole('form', { name: 'Benachrichtigung über neue Studien an: Unfallchirurgie' });
  await notice.getByLabel('Benachrichtigung über neue Studien an').fill('unfallchirurgie(at)radiologie.example');
  await notice.getByRole('button', { name: 'Adresse speichern' }).click();
  await expect(notice.getByText('Bitte geben Sie eine gültige E-Mail-Adresse ein.')).toBeVisible();
  await notice.getByLabel('Benachrichtigung über neue Studien an').fill(noticeTo);
  await notice.getByRole('button', { name: 'Adresse speichern' }).click();
  await expect(notice.getByText('Neue Studien werden an diese Adresse gemeldet.')).toBeVisible();
  await pageB.screenshot({ path: 'artifacts/screenshots/mailboxes.png', fullPage: true });

  // A member of the radiology, confirmed by the admin: in the main mailbox only.
  await reloadAndUnlock(pageB, B.password, '/app/stammdaten/benutzer');
  await pageB.getByRole('button', { name: 'Einladungslink erzeugen' }).click();
  const link = (await pageB.getByTestId('invite-link').textContent())!.trim();
  await pageM.goto(link);
  await pageM.getByLabel('Kurzname des Benutzers', { exact: true }).fill(member.userShortName);
  await pageM.getByLabel('Passwort', { exact: true }).fill(member.password);
  await pageM.getByLabel('Passwort wiederholen', { exact: true }).fill(member.password);
  await pageM.getByLabel('Masterpasswort', { exact: true }).fill(member.masterPassword);
  await pageM.getByLabel('Masterpasswort wiederholen', { exact: true }).fill(member.masterPassword);
  await pageM.getByLabel('Kurzname des Endgerätes', { exact: true }).fill('Empfang');
  await pageM.getByRole('button', { name: 'ZUGANG EINRICHTEN' }).click();
  await expect(pageM.getByTestId('member-fingerprint')).toBeVisible();
  await pageB.reload();
  await pageB.getByLabel('Passwort').fill(B.password);
  await pageB.getByRole('button', { name: /entsperren/i }).click();
  const row = pageB.getByTestId(`member-${member.userShortName}`);
  await row.getByRole('button', { name: 'Bestätigen' }).click();
  await pageB.getByRole('button', { name: 'Bestätigen' }).last().click();
  await expect(row).toContainText('aktiv');
  await pageM.goto('/login');
  await pageM.getByLabel('Kurzname der Organisation', { exact: true }).fill(B.orgShortName);
  await pageM.getByLabel('Kurzname des Benutzers', { exact: true }).fill(member.userShortName);
  await pageM.getByLabel('Passwort', { exact: true }).fill(member.password);
  await pageM.getByRole('button', { name: /anmelden/i }).click();
  await pageM.waitForURL(/\/app/);
  await expect.poll(async () => (await mailboxes(pageM.request)).map((m) => m.name), { timeout: 60_000 }).toEqual(['Hauptpostfach']);
});

test('the practice finds the radiology, checks the files and sends the study encrypted; it arrives live', async () => {
  await openWithApiSession(pageA, { api: apiA, password: A.password, orgShortName: A.orgShortName }, '/app');
  await expect.poll(async () => (await mailboxes(apiA)).length, { timeout: 60_000 }).toBe(1);
  await reloadAndUnlock(pageB, B.password, '/app/studien');
  await expect(pageB.getByRole('heading', { name: 'Studien', level: 1 })).toBeVisible();

  await reloadAndUnlock(pageA, A.password, '/app/studien/senden');
  await expect(pageA.getByTestId('month-quota')).toHaveText('0 von 9 Studien in diesem Monat gesendet.');
  await pageA.getByTestId('pick-folder').setInputFiles(study.dir);
  await expect(pageA.getByTestId('summary-patient')).toContainText('Kanarienvogel');
  await expect(pageA.getByTestId('summary-patient')).toContainText('17.03.1941');
  // Frames of images are images; the report and the ECG are sent, but are no images; the photo without a modality is sent as "OT".
  await expect(pageA.getByTestId('summary-counts')).toContainText('6 Serien, 7 Bilder, 2 Objekte ohne Bild in 9 Dateien');
  await expect(pageA.getByTestId('summary-series-count')).toHaveText(['4 Bilder', '1 Bild', '1 Bild', 'Befund (SR)', 'Kurve (EKG)', '1 Bild']);
  await expect(pageA.getByText('Eine Datei nennt keine Modalität')).toBeVisible();
  await expect(pageA.getByText('wird nicht gesendet')).toHaveCount(0);
  await expect(pageA.getByText('1 Anhang')).toBeVisible();
  await pageA.getByLabel('Empfänger im Verzeichnis suchen').fill(`radiolgie ${word}`);
  await pageA.getByRole('button', { name: `An Radiologie ${word} – Postfach Unfallchirurgie senden` }).click();
  await expect(pageA.getByTestId('recipient-chosen')).toHaveText(`Radiologie ${word} – Unfallchirurgie`);
  await pageA.getByLabel('Nachricht an die Empfänger').fill(message);
  await pageA.screenshot({ path: 'artifacts/screenshots/study-send.png', fullPage: true });
  await pageA.getByRole('button', { name: 'Verschlüsselt senden' }).click();
  await expect(pageA.getByText('Die Studie ist vollständig im Postfach')).toBeVisible({ timeout: 60_000 });

  // Live in the radiology's inbox, decrypted there.
  await expect(pageB.getByText(/Kanarienvogel/).first()).toBeVisible({ timeout: 20_000 });
  const [row] = await sql`select id, bytes, file_count from studies where sender_org_id = ${A.orgId}`;
  studyId = row!.id;
  expect(row!.file_count).toBe(10);
  // The inbox counts as the sender's check did.
  await expect(pageB.getByTestId('study-counts').first()).toContainText('6 Serien, 7 Bilder');
  await expect(pageB.getByTestId('study-counts').first()).toContainText('Ohne Bild: Befund (SR), Kurve (EKG)');
  // The notice went to the department's address, naming no patient.
  const mails = await sql`select recipient, subject, body_text from outbox where org_id = ${B.orgId} and template = 'study_received'`;
  expect(mails.map((m) => m.recipient)).toEqual([noticeTo]);
  expect(JSON.stringify(mails)).not.toContain('Kanarienvogel');
});

test('the recipient opens it in the viewer and downloads the original files byte for byte', async () => {
  await pageB.screenshot({ path: 'artifacts/screenshots/study-inbox.png', fullPage: true });
  await pageB.getByRole('link', { name: /Kanarienvogel/ }).first().click();
  await expect(pageB.getByTestId('study-patient')).toContainText('Kanarienvogel');
  await expect(pageB.getByTestId('study-message')).toHaveText(message);
  await expect(pageB.getByTestId('study-from')).toContainText(`Praxis Dr. Absender ${word}`);
  await expect(pageB.getByTestId('study-size')).toContainText('6 Serien, 7 Bilder');
  await pageB.getByRole('button', { name: 'Ansehen' }).click();
  const viewer = pageB.getByTestId('study-viewer');
  await expect(viewer).toBeVisible({ timeout: 30_000 });
  // The report and the ECG are listed, but offered as no image series.
  await expect(viewer.getByRole('button', { name: /^Serie .* anzeigen$/ })).toHaveCount(4);
  await expect(viewer.getByTestId('series-no-image')).toHaveText([/Befund \(SR\)/, /Kurve \(EKG\)/]);
  await expect(pageB.getByTestId('image-index-0')).toHaveText('Bild 1 / 4', { timeout: 30_000 });
  const vp = pageB.getByTestId('viewport-0');
  await vp.hover();
  // The wheel scrolls once the viewport's tools are bound, which may be a moment after image 1 is shown.
  await expect(async () => {
    await pageB.mouse.wheel(0, 200);
    await expect(pageB.getByTestId('image-index-0')).not.toHaveText('Bild 1 / 4', { timeout: 2000 });
  }).toPass({ timeout: 20_000 });
  const wl = await pageB.getByTestId('window-level-0').textContent();
  const box = (await vp.boundingBox())!;
  await pageB.getByRole('button', { name: 'Fensterung', exact: true }).click();
  await pageB.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await pageB.mouse.down();
  await pageB.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 40, { steps: 5 });
  await pageB.mouse.up();
  await expect(pageB.getByTestId('window-level-0')).not.toHaveText(wl!);
  await pageB.getByRole('button', { name: 'Länge', exact: true }).click();
  await pageB.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await pageB.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.6);
  await expect(viewer.getByText(/mm|px/).first()).toBeVisible();
  await pageB.screenshot({ path: 'artifacts/screenshots/study-viewer.png', fullPage: true });

  const download = pageB.waitForEvent('download');
  await pageB.getByRole('button', { name: 'Herunterladen (ZIP)' }).click();
  const zip = path.join(TMP, 'download.zip');
  await (await download).saveAs(zip);
  const listed = JSON.parse(
    execFileSync('python3', ['-c', 'import sys,zipfile,hashlib,json; z=zipfile.ZipFile(sys.argv[1]); print(json.dumps({n: hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist()}))', zip]).toString(),
  ) as Record<string, string>;
  const expected = Object.fromEntries([...study.files, study.pdf].map((f) => [path.relative(path.dirname(study.dir), f), sha256File(f)]));
  expect(listed).toEqual(expected);
});

test('the practice sees "zugestellt" and "geöffnet", signed by the recipient', async () => {
  await reloadAndUnlock(pageA, A.password, `/app/studien/${studyId}`);
  await expect(pageA.getByTestId('receipt-delivered')).toContainText('(admin)');
  await expect(pageA.getByTestId('receipt-opened')).toContainText('(admin)');
  // A receipt the server rewrote (another time) no longer verifies and is not shown as given.
  const [r] = await sql`select opened_at from studies where id = ${studyId}`;
  await sql`update studies set opened_at = ${new Date(Date.parse(r!.opened_at) - 3600_000).toISOString()} where id = ${studyId}`;
  await pageA.reload();
  await pageA.getByLabel('Passwort').fill(A.password);
  await pageA.getByRole('button', { name: /entsperren/i }).click();
  await expect(pageA.getByTestId('receipt-opened')).toContainText('Empfangsbestätigung ungültig');
  await sql`update studies set opened_at = ${r!.opened_at} where id = ${studyId}`;
});

test('a member without access to the mailbox and another organisation get nothing', async () => {
  for (const api of [pageM.request, apiC]) {
    expect((await (await api.get('/api/studies?box=inbox')).json()).studies).toEqual([]);
    expect((await (await api.get('/api/studies?box=sent')).json()).studies).toEqual([]);
    expect((await api.get(`/api/studies/${studyId}`)).status()).toBe(404);
    const [f] = await sql`select file_id from study_files where study_id = ${studyId} limit 1`;
    expect((await api.get(`/api/studies/${studyId}/files/${f!.file_id}`)).status()).toBe(404);
    expect((await api.post(`/api/studies/${studyId}/receipts`, { data: { kind: 'opened', at: new Date().toISOString(), signature: 'A'.repeat(86) } })).status()).toBe(404);
    expect((await api.delete(`/api/studies/${studyId}`, { data: {} })).status()).toBe(404);
  }
  await reloadAndUnlock(pageM, member.password, '/app/studien');
  await expect(pageM.getByRole('heading', { name: 'Studien', level: 1 })).toBeVisible();
  await expect(pageM.getByText('Noch keine Studien empfangen.', { exact: false })).toBeVisible();
  await expect(pageM.getByText(/Kanarienvogel/)).toHaveCount(0);
});

test('a chunk altered on the server is refused with a clear message', async () => {
  const [f] = await sql`select file_id from study_files where study_id = ${studyId} order by bytes desc limit 1`;
  const blob = path.join(DATA, 'blobs', B.orgId, 'studies', studyId, f!.file_id);
  const original = fs.readFileSync(blob);
  const altered = Buffer.from(original);
  altered[Math.floor(altered.length / 2)] ^= 0x01;
  fs.writeFileSync(blob, altered);
  try {
    await pageB.goto(`/app/studien/${studyId}`);
    await pageB.getByLabel('Passwort').fill(B.password);
    await pageB.getByRole('button', { name: /entsperren/i }).click();
    await pageB.getByRole('button', { name: 'Herunterladen (ZIP)' }).click();
    await expect(pageB.getByText('Eine Datei der Studie wurde auf dem Server verändert oder beschädigt.')).toBeVisible();
  } finally {
    fs.writeFileSync(blob, original);
  }
});

test('a study the server re-signed or re-addressed is refused, and so is a partner key it swapped', async () => {
  const [s] = await sql`select signature from studies where id = ${studyId}`;
  const forged = Buffer.from(s!.signature, 'base64url');
  forged[0] ^= 0x01;
  await sql`update studies set signature = ${forged.toString('base64url')} where id = ${studyId}`;
  await reloadAndUnlock(pageB, B.password, '/app/studien');
  await expect(pageB.getByText('Diese Studie trägt keine gültige Unterschrift').first()).toBeVisible();
  await expect(pageB.getByText(/Kanarienvogel/)).toHaveCount(0);
  await sql`update studies set signature = ${s!.signature} where id = ${studyId}`;

  // The directory serves another signing key for the radiology: the practice sends nothing.
  const [o] = await sql`select sign_public from organisations where id = ${B.orgId}`;
  const other = Buffer.from(o!.sign_public, 'base64url');
  other[5] ^= 0x01;
  await sql`update organisations set sign_public = ${other.toString('base64url')} where id = ${B.orgId}`;
  try {
    await reloadAndUnlock(pageA, A.password, '/app/studien/senden');
    await pageA.getByTestId('pick-folder').setInputFiles(study.dir);
    await pageA.getByLabel('Empfänger im Verzeichnis suchen').fill(`Radiologie ${word}`);
    await pageA.getByRole('button', { name: `An Radiologie ${word} – Postfach Unfallchirurgie senden` }).click();
    await pageA.getByRole('button', { name: 'Verschlüsselt senden' }).click();
    await expect(pageA.getByText('Die Schlüssel dieses Partners haben sich seit dem ersten Austausch geändert.')).toBeVisible();
    expect((await sql`select count(*)::int as n from studies where sender_org_id = ${A.orgId}`)[0]!.n).toBe(1);
  } finally {
    await sql`update organisations set sign_public = ${o!.sign_public} where id = ${B.orgId}`;
  }
});

/**
 * The attachment of the two resume tests: large enough that the upload is cut
 * well before its end (at CUT_AT_BYTES, seen within 50 ms), small enough not
 * to spend minutes of the suite encrypting and uploading.
 */
const UPLOAD_MB = 150;
const CUT_AT_BYTES = 8 * 1024 * 1024;

/** A study with a large attachment, so an upload takes long enough to be cut. */
function bigStudy(name: string, mb: number): string {
  const dir = path.join(TMP, name);
  fs.cpSync(study.dir, dir, { recursive: true });
  const big = Buffer.alloc(mb * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE((i * 2654435761) >>> 0, i);
  big.write('%PDF-1.7\n', 0);
  fs.writeFileSync(path.join(dir, 'Aufnahmen.pdf'), big);
  return dir;
}

async function startSending(page: Page, dir: string) {
  await page.getByTestId('pick-folder').setInputFiles(dir);
  await expect(page.getByTestId('summary-counts')).toContainText('7 Bilder');
  await page.getByLabel('Empfänger im Verzeichnis suchen').fill(`Radiologie ${word}`);
  await page.getByRole('button', { name: `An Radiologie ${word} – Postfach Unfallchirurgie senden` }).click();
  await page.getByRole('button', { name: 'Verschlüsselt senden' }).click();
}

/**
 * The largest blob of the study being sent (the newest one not complete — not
 * an earlier, finished one, even before the new one is registered), once it
 * has grown past `bytes`.
 */
async function growingBlob(bytes: number): Promise<{ id: string; file: string }> {
  let found: { id: string; file: string } | undefined;
  await expect
    .poll(
      async () => {
        const [s] = await sql`select id from studies where sender_org_id = ${A.orgId} and not complete order by created_at desc limit 1`;
        const [f] = s ? await sql`select file_id from study_files where study_id = ${s.id} order by bytes desc limit 1` : [];
        if (!s || !f) return 0;
        found = { id: s.id, file: path.join(DATA, 'blobs', B.orgId, 'studies', s.id, f.file_id) };
        return fs.existsSync(found.file) ? fs.statSync(found.file).size : 0;
      },
      { timeout: 60_000, intervals: [50] },
    )
    .toBeGreaterThan(bytes);
  return found!;
}

test('an upload cut by closing the page continues from the send log once the same files are picked again', async () => {
  test.setTimeout(300_000);
  // Larger than the others: long enough on the wire to be held and continued before the page is closed.
  const dir = bigStudy('reload', 4 * UPLOAD_MB);
  await reloadAndUnlock(pageA, A.password, '/app/studien/senden');
  await startSending(pageA, dir);
  const { id, file } = await growingBlob(CUT_AT_BYTES);
  // "Anhalten" stops the bytes (the request on the wire is cut); "Fortsetzen" goes on from there.
  await pageA.getByRole('button', { name: 'Anhalten' }).click();
  await expect(pageA.getByText('Angehalten')).toBeVisible();
  await new Promise((r) => setTimeout(r, 1000));
  const held = fs.statSync(file).size;
  await new Promise((r) => setTimeout(r, 2000));
  expect(fs.statSync(file).size).toBe(held);
  await pageA.getByRole('button', { name: 'Fortsetzen' }).click();
  await expect.poll(() => fs.statSync(file).size, { timeout: 30_000, intervals: [50] }).toBeGreaterThan(held);
  await pageA.reload();
  const cut = fs.statSync(file).size;
  const inode = fs.statSync(file).ino;
  await pageA.getByLabel('Passwort').fill(A.password);
  await pageA.getByRole('button', { name: /entsperren/i }).click();
  await pageA.goto('/app/studien?box=sent');
  await pageA.getByLabel('Passwort').fill(A.password);
  await pageA.getByRole('button', { name: /entsperren/i }).click();
  await expect(pageA.getByText('Nicht vollständig hochgeladen').first()).toBeVisible();
  await pageA.getByRole('link', { name: 'Fortsetzen' }).first().click();
  await expect(pageA.getByTestId('resume-state')).toContainText('von 11 Dateien ausstehend');
  await pageA.getByTestId('pick-folder').setInputFiles(dir);
  await expect(pageA.getByText('Diese Studie ist vollständig hochgeladen.')).toBeVisible({ timeout: 240_000 });
  // The same file on the server, continued — not started over.
  expect(fs.statSync(file).ino).toBe(inode);
  expect(fs.statSync(file).size).toBeGreaterThan(cut);
  const [row] = await sql`select complete from studies where id = ${id}`;
  expect(row!.complete).toBe(true);
});

test('an upload continues by itself after the server restarts', async ({ baseURL }) => {
  const port = Number(new URL(baseURL!).port) + 7;
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', APP_URL: `http://127.0.0.1:${port}`, KONSIL_DATA_DIR: DATA, KONSIL_TEST_CLOCK: '1', AUTH_SECRET: process.env.AUTH_SECRET ?? 'e2e-secret-0123456789-abcdefghijklmnopqrstuvwxyz' };
  const log = fs.openSync('artifacts/server.log', 'a');
  const start = () => spawn('npx', ['next', 'start', '-p', String(port)], { env, detached: true, stdio: ['ignore', log, log] });
  const ready = async () => expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.status ?? 0, { timeout: 60_000 }).toBe(200);
  test.setTimeout(300_000);
  let server = start();
  try {
    await ready();
    const dir = bigStudy('restart', UPLOAD_MB);
    await pageA.goto(`http://127.0.0.1:${port}/app/studien/senden`);
    // Another port is another origin: this browser's device key for it, as after a login there.
    await holdDevice(pageA, { orgShortName: A.orgShortName, userShortName: 'admin' });
    await pageA.reload();
    await pageA.getByLabel('Passwort').fill(A.password);
    await pageA.getByRole('button', { name: /entsperren/i }).click();
    await startSending(pageA, dir);
    const { id, file } = await growingBlob(CUT_AT_BYTES);
    process.kill(-server.pid!, 'SIGKILL');
    const inode = fs.statSync(file).ino;
    await new Promise((r) => setTimeout(r, 1500));
    server = start();
    await ready();
    await expect(pageA.getByText('Die Studie ist vollständig im Postfach')).toBeVisible({ timeout: 240_000 });
    expect(fs.statSync(file).ino).toBe(inode);
    const [row] = await sql`select complete from studies where id = ${id}`;
    expect(row!.complete).toBe(true);
  } finally {
    if (server.pid) process.kill(-server.pid, 'SIGKILL');
  }
});

test('the recipient deletes a study: its files are gone, the sender’s log says so', async () => {
  const big = await sql`select id from studies where sender_org_id = ${A.orgId} and id <> ${studyId} and complete order by created_at`;
  expect(big.length).toBe(2);
  await reloadAndUnlock(pageB, B.password, '/app/studien');
  await pageB.getByRole('link', { name: /Kanarienvogel/ }).first().click();
  await expect(pageB.getByTestId('study-patient')).toBeVisible();
  const id = new URL(pageB.url()).pathname.split('/').at(-1)!;
  await pageB.getByRole('button', { name: 'Löschen' }).click();
  await pageB.getByRole('dialog').getByRole('button', { name: 'Löschen' }).click();
  await pageB.waitForURL(/\/app\/studien$/);
  expect(fs.existsSync(path.join(DATA, 'blobs', B.orgId, 'studies', id))).toBe(false);
  for (const { id: other } of big.filter((x) => x.id !== id)) {
    expect((await pageB.request.delete(`/api/studies/${other}`, { data: {} })).status()).toBe(200);
    expect(fs.existsSync(path.join(DATA, 'blobs', B.orgId, 'studies', other))).toBe(false);
  }
  await reloadAndUnlock(pageA, A.password, '/app/studien?box=sent');
  await expect(pageA.getByText('Vom Empfänger gelöscht').first()).toBeVisible();
});

test('on basis the tenth study in a month is refused before anything is uploaded', async () => {
  const [{ n }] = await sql`select count(*)::int as n from studies where sender_org_id = ${A.orgId}`;
  // Studies of this month up to the plan's nine, made as copies of the first.
  for (let i = n; i < 9; i++) {
    await sql`insert into studies (id, sender_org_id, sender_user_id, sender_mailbox_id, sender_key_version, recipient_org_id, recipient_mailbox_id, recipient_key_version, manifest_enc, key_for_recipient, key_for_sender, signature, file_count, bytes, complete, created_at)
      select ${crypto.randomUUID()}, sender_org_id, sender_user_id, sender_mailbox_id, sender_key_version, recipient_org_id, recipient_mailbox_id, recipient_key_version, manifest_enc, key_for_recipient, key_for_sender, signature, file_count, bytes, complete, now()
      from studies where id = ${studyId}`;
  }
  await pageA.goto('/app/studien/senden');
  await pageA.getByLabel('Passwort').fill(A.password);
  await pageA.getByRole('button', { name: /entsperren/i }).click();
  await expect(pageA.getByTestId('month-quota')).toHaveText('9 von 9 Studien in diesem Monat gesendet.');
  await expect(pageA.getByText('Das Kontingent Ihres Tarifs an Studien für diesen Monat ist ausgeschöpft.', { exact: false })).toBeVisible();
  await expect(pageA.getByRole('button', { name: 'Verschlüsselt senden' })).toBeDisabled();
  // The server refuses it as well, whatever a browser does.
  const res = await apiA.post('/api/studies', { data: { id: crypto.randomUUID() } });
  expect(res.status()).toBe(422);
  const [{ m }] = await sql`select count(*)::int as m from studies where sender_org_id = ${A.orgId}`;
  expect(m).toBe(9);
});
