import postgres from 'postgres';
import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { registerOrg, type Credentials } from './pages/register-page';
import { login, loginOk, nav } from './pages/login-page';
import { createAppointment, doctorAdmits, expectFrames, patientCanaries, patientEnters, playedFrames } from './pages/video-page';
import { addAccount, addCanary } from './fixtures/canaries';
import { secret, uniqueName } from './fixtures/data';
import { createOrgKeys, derivePasswordSecrets, newPasswordSecrets, rewrapUserKey, sealOrgKeyTo, unwrapUserKeyWithPassword, type KeyBundle } from '@/lib/protocol/account';
import { generateX25519 } from '@/lib/crypto/asymmetric';
import { toB64u } from '@/lib/crypto/encoding';

// The test plays a compromised server: it changes the database between the
// steps of honest browsers, as an attacker with the database could.
test.describe.configure({ mode: 'serial' });

const owner: Credentials = {
  orgShortName: uniqueName('Vertrauenspraxis'),
  userShortName: 'dr.kern',
  password: secret('Pw'),
  masterPassword: secret('Master'),
  deviceName: 'Praxis-PC',
};
const invitee = { userShortName: 'mfa.lenz', password: secret('Pw'), masterPassword: secret('Master'), deviceName: 'Anmeldung' };
const CHANGED = 'Der Schlüssel Ihrer Organisation hat sich unerwartet geändert.';
const SIGNATURE = 'trägt keine gültige Unterschrift eines bestätigten Mitglieds';

let ctx: BrowserContext;
let page: Page;
let sql: postgres.Sql;

test.beforeAll(async ({ browser }) => {
  ctx = await browser.newContext();
  page = await ctx.newPage();
  addAccount(owner);
  addAccount({ orgShortName: owner.orgShortName, ...invitee });
  sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  // Time runs as usual; the idle-lock test moves it on.
  await ctx.clock.install();
  await registerOrg(page, owner, 'basis');
});

test.afterAll(async () => {
  await sql?.end();
  await ctx?.close();
});

async function ownerRow() {
  const [u] = await sql<{ id: string; org_id: string; x25519_public: string; sealed_org_key: string }[]>`
    select u.id, u.org_id, u.x25519_public, u.sealed_org_key from users u join organisations o on o.id = u.org_id
    where o.short_name = ${owner.orgShortName} and u.short_name = ${owner.userShortName}`;
  return u!;
}

test('a sealed orgKey and key pair of the server\'s own making are refused at the next login, and nothing is encrypted under them', async () => {
  const u = await ownerRow();
  const [org] = await sql<{ public_key: string; enc_private_key: string; public_key_fingerprint: string }[]>`
    select public_key, enc_private_key, public_key_fingerprint from organisations where id = ${u.org_id}`;
  // The server seals an orgKey′ it knows to the user's public key and serves a matching key pair.
  const forged = createOrgKeys(u.org_id);
  await sql`update users set sealed_org_key = ${sealOrgKeyTo(forged.orgKey, u.x25519_public, u.org_id, u.id)} where id = ${u.id}`;
  await sql`update organisations set public_key = ${forged.payload.publicKey}, enc_private_key = ${forged.payload.encPrivateKey} where id = ${u.org_id}`;
  const notesBefore = (await sql`select count(*)::int as n from notes where org_id = ${u.org_id}`)[0]!.n;
  try {
    await page.context().clearCookies();
    await login(page, owner);
    await expect(page.getByText(CHANGED)).toBeVisible();
    await page.screenshot({ path: 'artifacts/screenshots/trust-org-key-changed.png', fullPage: true });
    // Also behind the key gate of a session that exists: the keys stay locked.
    await page.goto('/app/notes');
    await page.getByLabel('Passwort', { exact: true }).fill(owner.password);
    await page.getByRole('button', { name: 'ENTSPERREN' }).click();
    await expect(page.getByText(CHANGED)).toBeVisible();
    await expect(page.getByLabel('Neue Notiz', { exact: true })).toHaveCount(0);
    expect((await sql`select count(*)::int as n from notes where org_id = ${u.org_id}`)[0]!.n).toBe(notesBefore);
  } finally {
    // The honest state again, for the tests after and the canary scan.
    await sql`update users set sealed_org_key = ${u.sealed_org_key} where id = ${u.id}`;
    await sql`update organisations set public_key = ${org!.public_key}, enc_private_key = ${org!.enc_private_key} where id = ${u.org_id}`;
  }
  // The same keys, served honestly, open as before.
  await page.context().clearCookies();
  await loginOk(page, owner);
});

async function acceptInvitation(browser: Browser, link: string, typedSecret?: string) {
  const c = await browser.newContext();
  const p = await c.newPage();
  await p.goto(link);
  await expect(p.getByText(/Sie wurden eingeladen/)).toBeVisible();
  await p.getByLabel('Kurzname des Benutzers', { exact: true }).fill(invitee.userShortName);
  await p.getByLabel('Passwort', { exact: true }).fill(invitee.password);
  await p.getByLabel('Passwort wiederholen', { exact: true }).fill(invitee.password);
  await p.getByLabel('Masterpasswort', { exact: true }).fill(invitee.masterPassword);
  await p.getByLabel('Masterpasswort wiederholen', { exact: true }).fill(invitee.masterPassword);
  await p.getByLabel('Kurzname des Endgerätes', { exact: true }).fill(invitee.deviceName);
  if (typedSecret !== undefined) await p.getByLabel('Einladungscode', { exact: true }).fill(typedSecret);
  await p.getByRole('button', { name: 'ZUGANG EINRICHTEN' }).click();
  return { c, p };
}

test('an e-mailed invitation carries no secret: the invitee types the code; a public key swapped before confirmation is refused by the admin\'s browser', async ({ browser }) => {
  await nav(page, /Benutzer/);
  await page.getByLabel('E-Mail-Adresse (optional – sonst Link selbst weitergeben)', { exact: true }).fill('mfa.lenz@example.org');
  await page.getByRole('button', { name: 'Einladungslink erzeugen' }).click();
  const link = (await page.getByTestId('invite-link').textContent())!.trim();
  const code = (await page.getByTestId('invite-secret').textContent())!.trim();
  expect(link).not.toContain(code);
  await page.screenshot({ path: 'artifacts/screenshots/trust-invitation-code.png', fullPage: true });
  // The code never reaches the server, not even in the mail Konsil sends: the canary scan looks for it everywhere.
  addCanary('invitation secret', code);
  addCanary('invitation secret (plain)', code.replace(/-/g, ''));

  // A wrong code is refused by the invitee's own browser (the admin's MAC does not verify).
  const wrong = await acceptInvitation(browser, link, code.replace(/^./, code[0] === 'A' ? 'B' : 'A'));
  await expect(wrong.p.getByText(CHANGED)).toBeVisible();
  await wrong.c.close();
  const { c, p } = await acceptInvitation(browser, link, code.toLowerCase().replace(/-/g, ' '));
  const fp = (await p.getByTestId('member-fingerprint').textContent())!.trim();
  await expect(p.getByTestId('org-fingerprint')).toHaveText(/\S/);

  // The server substitutes a key of its own for the invitee's.
  const [m] = await sql<{ id: string; x25519_public: string }[]>`select id, x25519_public from users where short_name = ${invitee.userShortName} and status = 'pending'`;
  const mine = toB64u(generateX25519().publicKey);
  await sql`update users set x25519_public = ${mine} where id = ${m!.id}`;
  await nav(page, 'Übersicht');
  await nav(page, /Benutzer/);
  const row = page.getByTestId(`member-${invitee.userShortName}`);
  await row.getByRole('button', { name: 'Bestätigen' }).click();
  await expect(page.getByTestId('confirm-fingerprint')).not.toHaveText(fp);
  await page.getByRole('button', { name: 'Bestätigen' }).last().click();
  await expect(page.getByText('Die Schlüssel dieses Mitglieds sind nicht durch seine Einladung bestätigt')).toBeVisible();
  await page.screenshot({ path: 'artifacts/screenshots/trust-member-keys-unproven.png', fullPage: true });
  const [after] = await sql<{ status: string; sealed_org_key: string | null }[]>`select status, sealed_org_key from users where id = ${m!.id}`;
  expect(after).toEqual({ status: 'pending', sealed_org_key: null });

  // With the invitee's own key back, the same confirmation goes through.
  await sql`update users set x25519_public = ${m!.x25519_public} where id = ${m!.id}`;
  await nav(page, 'Übersicht');
  await nav(page, /Benutzer/);
  await row.getByRole('button', { name: 'Bestätigen' }).click();
  await expect(page.getByTestId('confirm-fingerprint')).toHaveText(fp);
  await page.getByRole('button', { name: 'Bestätigen' }).last().click();
  await expect(row).toContainText('aktiv');
  // The admin's browser signed the sealed orgKey and certified the member's keys with the organisation signing key.
  const [granted] = await sql<{ sealed_org_key_by: string; sealed_org_key_sig: string; member_cert: string }[]>`
    select sealed_org_key_by, sealed_org_key_sig, member_cert from users where id = ${m!.id}`;
  expect(granted).toMatchObject({ sealed_org_key_by: (await ownerRow()).id, sealed_org_key_sig: expect.stringMatching(/^[\w-]{86}$/), member_cert: expect.stringMatching(/^[\w-]{86}$/) });
  // The server attributes the sealed key to another certified member (here the member themself): the signature does not verify,
  // and the member's browser refuses the key before opening it.
  await sql`update users set sealed_org_key_by = ${m!.id} where id = ${m!.id}`;
  await login(p, { orgShortName: owner.orgShortName, ...invitee });
  await expect(p.getByText(SIGNATURE)).toBeVisible();
  await p.screenshot({ path: 'artifacts/screenshots/trust-key-signature-invalid.png', fullPage: true });
  await sql`update users set sealed_org_key_by = ${granted!.sealed_org_key_by} where id = ${m!.id}`;
  // The member's browser opens orgKey and checks it against the key its invitation pinned.
  await loginOk(p, { orgShortName: owner.orgShortName, ...invitee });
  await nav(p, 'Notizen');
  await expect(p.getByLabel('Neue Notiz', { exact: true })).toBeVisible();
  await c.close();
});

test('the idle lock waits for a call to end; a locked tab keeps no powers on the server until the password unlocks it', async ({ browser }) => {
  const patient = { name: `Lenz ${secret('n').slice(3, 11)}`, birthDate: '1970-02-03', phone: '', email: '', note: `Rückruf ${secret('note')}` };
  patientCanaries(patient);
  const appt = await createAppointment(page, patient);
  const pctx = await browser.newContext();
  try {
    const pat = await pctx.newPage();
    await patientEnters(pat, appt.link);
    await doctorAdmits(page, appt.id);
    await expectFrames(page);
    // Sixteen minutes of talking without touching the keyboard: the call goes on.
    await ctx.clock.fastForward('16:00');
    await expect(page.getByTestId('call-view')).toBeVisible();
    const frames = await playedFrames(page);
    await expect.poll(() => playedFrames(page)).toBeGreaterThan(frames);
    expect((await page.request.get('/api/members')).status()).toBe(200);
    await page.getByTestId('hang-up').click();
    await expect(page.getByTestId('call-view')).toHaveCount(0);
  } finally {
    await pctx.close();
  }
  // After the call, the idle lock comes as usual…
  await ctx.clock.fastForward('16:00');
  await expect(page.getByText('Nach 15 Minuten ohne Eingabe wurden Ihre Schlüssel aus Sicherheitsgründen gesperrt.')).toBeVisible();
  // …and the session keeps no powers: the tab's cookie can neither read nor act as an admin.
  await expect.poll(async () => (await page.request.get('/api/members')).status()).toBe(423);
  const invite = await page.request.post('/api/members/invitations', { data: { role: 'member' } });
  expect(invite.status()).toBe(423);
  expect(await invite.json()).toEqual({ error: { code: 'session_locked' } });
  // The server names another account to unlock (so that its salt would be bound to names of the server's choosing):
  // the browser holds no device key for it and derives nothing; the password never leaves the tab.
  const u = await ownerRow();
  await sql`update users set short_name = ${'gemeinsam'} where id = ${u.id}`;
  const unlockPosts: string[] = [];
  page.on('request', (r) => void (r.url().endsWith('/api/session/unlock') && unlockPosts.push(r.url())));
  await page.getByLabel('Passwort', { exact: true }).fill(owner.password);
  await page.getByRole('button', { name: 'ENTSPERREN' }).click();
  await expect(page.getByText('Der Server nennt ein Konto, für das dieses Gerät keinen Schlüssel hat.', { exact: false })).toBeVisible();
  expect(unlockPosts).toEqual([]);
  expect((await page.request.get('/api/members')).status()).toBe(423);
  await sql`update users set short_name = ${owner.userShortName} where id = ${u.id}`;
  // A wrong password opens nothing; the right one opens the keys and the session.
  await page.getByLabel('Passwort', { exact: true }).fill('falsch-falsch-falsch');
  await page.getByRole('button', { name: 'ENTSPERREN' }).click();
  expect((await page.request.get('/api/members')).status()).toBe(423);
  await page.getByLabel('Passwort', { exact: true }).fill(owner.password);
  await page.getByRole('button', { name: 'ENTSPERREN' }).click();
  await expect(page.getByText('Nach 15 Minuten ohne Eingabe')).toHaveCount(0);
  await expect.poll(async () => (await page.request.get('/api/members')).status()).toBe(200);
});

test('passwords easy to guess are refused with the reason; an old weak one is flagged at login until it is changed', async () => {
  // The new-password field says why a password is weak, and the form refuses it.
  await nav(page, 'Mein Zugang');
  const form = page.getByRole('form', { name: 'Passwort ändern', exact: true });
  await form.getByLabel('Aktuelles Passwort', { exact: true }).fill(owner.password);
  await form.getByLabel('Neues Passwort', { exact: true }).fill('Sommer2024!');
  await form.getByLabel('Neues Passwort wiederholen', { exact: true }).fill('Sommer2024!');
  await expect(form.getByTestId('password-strength')).toHaveAttribute('data-score', /[0-2]/);
  await form.getByRole('button', { name: 'PASSWORT ÄNDERN' }).click();
  await expect(form.getByText('Dieses Passwort ist zu leicht zu erraten.', { exact: false })).toBeVisible();
  await page.screenshot({ path: 'artifacts/screenshots/trust-weak-password.png', fullPage: true });

  // An account whose password predates the rules: set through the API as an old client would have.
  const weak = 'Sommer2024!';
  const bundle = (await (await page.request.get('/api/keys')).json()) as KeyBundle;
  const current = await derivePasswordSecrets(owner.password, bundle.kdfParams, bundle.kdfSalt, owner);
  const userKey = unwrapUserKeyWithPassword(bundle, current.passwordWrapKey);
  const next = await newPasswordSecrets(weak, owner);
  const changed = await page.request.post('/api/account/password', {
    data: { currentAuthKey: current.authKey, authKey: next.authKey, kdfParams: next.kdfParams, kdfSalt: next.kdfSalt, wrappedUserKeyPw: rewrapUserKey(userKey, next.passwordWrapKey, bundle.orgId, bundle.userId) },
  });
  expect(changed.status(), await changed.text()).toBe(200);
  addAccount({ ...owner, password: weak });
  await page.context().clearCookies();
  await loginOk(page, { ...owner, password: weak });
  await expect(page.getByTestId('weak-password-notice')).toBeVisible();
  // Changed to a strong one, the notice is gone.
  const strong = secret('Strong');
  addAccount({ ...owner, password: strong });
  await page.getByRole('link', { name: 'Zu „Mein Zugang“' }).click();
  await form.getByLabel('Aktuelles Passwort', { exact: true }).fill(weak);
  await form.getByLabel('Neues Passwort', { exact: true }).fill(strong);
  await form.getByLabel('Neues Passwort wiederholen', { exact: true }).fill(strong);
  await form.getByRole('button', { name: 'PASSWORT ÄNDERN' }).click();
  await expect(form.getByText('Ihr Passwort wurde geändert.')).toBeVisible();
  await expect(page.getByTestId('weak-password-notice')).toHaveCount(0);
  owner.password = strong;
});

test('a removed member could read the codes: the admin\'s browser gives the appointments to come new ones and lists the patients to tell', async ({ browser }) => {
  const patient = { name: `Birke ${secret('n').slice(3, 11)}`, birthDate: '1961-07-08', phone: '', email: '', note: `Kontrolle ${secret('note')}` };
  patientCanaries(patient);
  const appt = await createAppointment(page, patient, { minutesFromNow: 24 * 60 });
  await nav(page, /Benutzer/);
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId(`member-${invitee.userShortName}`).getByRole('button', { name: 'Entfernen' }).click();
  await expect(page.getByTestId(`member-${invitee.userShortName}`)).toContainText('entfernt');
  const panel = page.getByTestId('stale-codes');
  await expect(panel).toContainText(/künftige Termine? brauch(t|en) neue Zugangscodes/);
  await page.screenshot({ path: 'artifacts/screenshots/trust-stale-codes.png', fullPage: true });
  await panel.getByTestId('renew-codes').click();
  await expect(panel.getByTestId('renewed-list')).toContainText(patient.name);
  await expect(panel.getByTestId('renew-codes')).toHaveCount(0);
  await page.screenshot({ path: 'artifacts/screenshots/trust-codes-renewed.png', fullPage: true });

  // The old link (which the removed member could have kept) no longer finds the appointment; the new one does.
  const pctx = await browser.newContext();
  try {
    const p = await pctx.newPage();
    await p.goto(appt.link);
    await expect(p.getByText('Zugangscode unbekannt', { exact: false })).toBeVisible();
    await panel.getByRole('link', { name: patient.name }).click();
    const fresh = (await page.getByTestId('patient-link').textContent())!.trim();
    expect(fresh).not.toBe(appt.link);
    await p.goto('about:blank');
    await p.goto(fresh);
    // Tomorrow's appointment: found, and not open yet.
    await expect(p.getByTestId('join-status')).toHaveAttribute('data-status', 'early');
  } finally {
    await pctx.close();
  }
});
