// Mail and SMS delivery through the outbox (lib/messaging)
// against real local servers: an SMTP server (smtp-server) with implicit TLS
// and with STARTTLS on a certificate made by openssl for this run, a local
// HTTP server standing in for Resend (RESEND_BASE_URL) and for the seven.io
// SMS API. Every suite runs on PostgreSQL and PGlite.
//
// Time: each test pins the clock to its own instant, going *backwards* from
// 1999 (outbox.test.ts goes forwards from 2001), so messages other tests
// left behind are always in this test's future and never due here.
import { BACKENDS, expectAppError, loginAsOwner, registerAccount, resetClock, sessionFor, short, addMember } from './helpers';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { Db } from '@/lib/db/client';
import { mailSettings, outbox, smsSettings, smsUsage } from '@/lib/db/schema';
import { setClock } from '@/lib/core/clock';
import { backoffMs, CONFIG_RETRY_MS, deliverDue, REDACTED } from '@/lib/messaging/outbox';
import { berlinMonth } from '@/lib/time/berlin';
import { cancelPatientMessages, enqueuePatientMessage } from '@/lib/messaging/patient';
import { createTransportResolver } from '@/lib/messaging/routing';
import { renderPatientSms } from '@/lib/messaging/patient-templates';
import { smsLength } from '@/lib/validation/phone';
import { effectiveSecurity } from '@/lib/messaging/smtp-rules';
import {
  getMailSettings,
  getSmsSettings,
  listDeliveryLog,
  purgeExpiredSmtpPasswords,
  saveMailSettings,
  saveSmsSettings,
  sendTestEmail,
  sendTestSms,
  smsCountForMonth,
} from '@/lib/messaging/service';
import { ZMailSettingsInput, ZSmsSettingsInput } from '@/lib/messaging/schemas';
import type { SessionContext } from '@/lib/auth/sessions';

// The local test servers live on 127.0.0.1, which production refuses (SSRF guard).
const savedEnv = { allow: process.env.KONSIL_ALLOW_PRIVATE_RELAYS, resendKey: process.env.RESEND_API_KEY, resendUrl: process.env.RESEND_BASE_URL };
process.env.KONSIL_ALLOW_PRIVATE_RELAYS = '1';
// Konsil's default e-mail transport is Resend when a key is set (read once by getConfig in this file).
process.env.RESEND_API_KEY = 're_konsil_test_key';

let instant = Date.UTC(1999, 0, 1);
/** A fresh pinned instant, a day before the previous one. */
function pinClock(): number {
  instant -= 86400_000;
  setClock({ fixed: new Date(instant) });
  return instant;
}
const at = (ms: number) => setClock({ fixed: new Date(ms) });

// ---------------------------------------------------------------------------
// A certificate for 127.0.0.1, made for this run, and the parts of a message
// ---------------------------------------------------------------------------

const certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'konsil-smtp-'));
execFileSync('openssl', [
  'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
  '-keyout', path.join(certDir, 'key.pem'), '-out', path.join(certDir, 'cert.pem'),
  '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
], { stdio: 'ignore' });
const KEY = fs.readFileSync(path.join(certDir, 'key.pem'));
const CERT = fs.readFileSync(path.join(certDir, 'cert.pem'));
/** The test resolver trusts this one certificate; verification itself stays on. */
const trusting = createTransportResolver({ smtpTls: { ca: CERT } });
/** What production uses: the system trust store only. */
const production = createTransportResolver();

function parseMail(raw: string) {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  let body = raw.slice(split + 4);
  const cte = (headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (cte === 'quoted-printable') {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  } else if (cte === 'base64') {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { headers, body: body.replace(/\r\n/g, '\n') };
}

type Received = { from: string; to: string[]; raw: string; secure: boolean; user: unknown };

/** A real SMTP server on a random port; `reply` may refuse a message (as a relay would). */
async function startSmtp(opts: Partial<SMTPServerOptions> & { reply?: (n: number) => Error | null } = {}) {
  const received: Received[] = [];
  let n = 0;
  const { reply, ...rest } = opts;
  const server = new SMTPServer({
    key: KEY,
    cert: CERT,
    logger: false,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, cb) {
      if (auth.username === 'praxis@example.de' && auth.password === 'relay-pässwort 1') cb(null, { user: auth.username });
      else cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        n++;
        const refuse = reply?.(n) ?? null;
        if (refuse) return cb(refuse);
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('latin1'),
          secure: session.secure,
          user: session.user,
        });
        cb(null);
      });
    },
    ...rest,
  });
  // A client that refuses our certificate hangs up mid-handshake; that is the point, not an error.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { server, port, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A local HTTP server; `handle` answers per request, every request is recorded. */
async function startHttp(handle: (req: { url: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> }) => { status: number; body: string }) {
  const seen: { url: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(data);
      } catch {
        /* recorded as {} */
      }
      const r = { url: req.url ?? '', headers: req.headers, body };
      seen.push(r);
      const out = handle(r);
      res.writeHead(out.status, { 'content-type': 'application/json' });
      res.end(out.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, base, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const VARS = (code = `K${short('c').slice(2, 8).toUpperCase()}`) => ({
  practiceName: 'Praxis Dr. Müller',
  startsAt: new Date(Date.UTC(2027, 2, 9, 13, 30)),
  link: `https://konsil.example/join#${short('t')}`,
  code,
});

async function row(db: Db, id: string) {
  const [r] = await db.select().from(outbox).where(eq(outbox.id, id));
  return r!;
}

function smtpInput(port: number, extra: Record<string, unknown> = {}) {
  return ZMailSettingsInput.parse({
    transport: 'smtp',
    smtpHost: '127.0.0.1',
    smtpPort: port,
    smtpSecurity: 'auto',
    fromAddress: 'praxis@example.de',
    username: 'praxis@example.de',
    password: 'relay-pässwort 1',
    bcc: 'archiv@example.de',
    ...extra,
  });
}

afterAll(() => {
  fs.rmSync(certDir, { recursive: true, force: true });
  for (const [k, v] of [
    ['KONSIL_ALLOW_PRIVATE_RELAYS', savedEnv.allow],
    ['RESEND_API_KEY', savedEnv.resendKey],
    ['RESEND_BASE_URL', savedEnv.resendUrl],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('SMTP rules', () => {
  it('465 means implicit TLS, every other port STARTTLS, unless set explicitly', () => {
    expect(effectiveSecurity(465, 'auto')).toBe('tls');
    expect(effectiveSecurity(587, 'auto')).toBe('starttls');
    expect(effectiveSecurity(25, 'auto')).toBe('starttls');
    expect(effectiveSecurity(2525, 'tls')).toBe('tls');
    expect(effectiveSecurity(465, 'starttls')).toBe('starttls');
  });

  it('patient SMS fit into one SMS and carry no more than practice, time, link and code', () => {
    const code = 'ABCD-EFGH-JKLM-NPQR';
    const link = `https://konsil.example/join#${code}`;
    const v = VARS(code);
    for (const locale of ['de', 'en'] as const) {
      for (const kind of ['invitation', 'reminder'] as const) {
        const text = renderPatientSms(kind, locale, { ...v, link });
        expect(smsLength(text).parts, text).toBe(1);
        expect(text).toContain(`Code: ${code}`);
        expect(text).toContain(link);
      }
    }
    // A long practice name is shortened; link and code stay whole.
    const long = renderPatientSms('invitation', 'de', {
      ...v,
      practiceName: 'Gemeinschaftspraxis für Allgemeinmedizin und Innere Medizin Dr. med. Anna Müller-Lüdenscheidt',
      link,
    });
    expect(smsLength(long).parts).toBe(1);
    expect(long).toContain(`${link} Code: ${code}`);
    expect(renderPatientSms('invitation', 'de', v)).toContain('09.03.2027 um 14:30 Uhr');
  });
});

describe.each(BACKENDS)('messaging on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;
  let basis: SessionContext;
  const orgs: string[] = [];

  beforeAll(async () => {
    ({ db, close } = await open());
    const b = await registerAccount(db, { plan: 'basis' });
    basis = await sessionFor(db, loginAsOwner(b));
    orgs.push(b.orgId);
  });
  afterEach(async () => {
    resetClock();
    // Leave nothing due for the next test (or another file): this file's rows are its own.
    for (const orgId of orgs) await db.delete(outbox).where(eq(outbox.orgId, orgId));
  });
  afterAll(async () => {
    await close?.();
  });

  /** A fresh plus organisation per test, so settings never leak between tests. */
  async function freshPlus() {
    resetClock();
    const a = await registerAccount(db, { plan: 'plus' });
    orgs.push(a.orgId);
    const s = await sessionFor(db, loginAsOwner(a));
    return { account: a, session: s };
  }

  describe('own SMTP relay (smtp-server)', () => {
    it('implicit TLS ("465-style"): a sealed patient invitation arrives once, with BCC to the archive, then is erased', async () => {
      const smtp = await startSmtp({ secure: true });
      try {
        const { account, session } = await freshPlus();
        pinClock();
        await saveMailSettings(db, session, smtpInput(smtp.port, { smtpSecurity: 'tls' }));
        const to = `${short('patientin')}@example.net`;
        const vars = VARS();
        const id = await enqueuePatientMessage(db, { orgId: account.orgId, appointmentId: crypto.randomUUID(), channel: 'email', to, locale: 'de', kind: 'invitation', vars });
        expect(await deliverDue(db, trusting, 1000)).toBe(1);

        expect(smtp.received).toHaveLength(1);
        const got = smtp.received[0]!;
        expect(got.secure).toBe(true);
        expect(got.user).toBe('praxis@example.de');
        expect(got.from).toBe('praxis@example.de');
        expect(got.to.sort()).toEqual(['archiv@example.de', to].sort());
        const mail = parseMail(got.raw);
        expect(mail.headers.get('to')).toBe(to);
        expect(mail.headers.has('bcc')).toBe(false);
        expect(mail.headers.get('from')).toContain('praxis@example.de');
        expect(mail.headers.get('message-id')).toBe(`<konsil-${id}@example.de>`);
        expect(mail.body).toContain(vars.link);
        expect(mail.body).toContain(`Zugangscode: ${vars.code}`);
        expect(mail.body).toContain('Dienstag, 9. März 2027, 14:30 Uhr');
        expect(mail.body).not.toMatch(/patientin/);

        const r = await row(db, id);
        expect(r).toMatchObject({ status: 'sent', attempts: 1, transport: 'smtp', lastError: null, recipient: REDACTED, subject: REDACTED, bodyText: REDACTED });
        expect(JSON.stringify(r)).not.toContain(vars.code);

        // Later rounds send nothing again.
        at(instant + 86400_000 * 0.5);
        await deliverDue(db, trusting, 1000);
        expect(smtp.received).toHaveLength(1);
      } finally {
        await smtp.close();
      }
    });

    it('STARTTLS on a submission port with the self-signed certificate; "Test-E-Mail senden" to an entered address', async () => {
      const smtp = await startSmtp({ secure: false });
      try {
        const { session } = await freshPlus();
        pinClock();
        const view = await saveMailSettings(db, session, smtpInput(smtp.port));
        expect(view).toMatchObject({ transport: 'smtp', effectiveSecurity: 'starttls', hasPassword: true, bcc: 'archiv@example.de' });
        expect(JSON.stringify(view)).not.toContain('relay-pässwort');
        const to = `${short('test')}@example.org`;
        const { id } = await sendTestEmail(db, session, { to, locale: 'de' });
        await deliverDue(db, trusting, 1000);
        expect(smtp.received).toHaveLength(1);
        expect(smtp.received[0]!.secure).toBe(true);
        expect(smtp.received[0]!.to.sort()).toEqual(['archiv@example.de', to].sort());
        const mail = parseMail(smtp.received[0]!.raw);
        expect(mail.headers.get('subject')).toContain('Test-E-Mail');
        expect(mail.body).toContain('eigener SMTP-Server');
        expect(await row(db, id)).toMatchObject({ status: 'sent', attempts: 1, transport: 'smtp' });
        // Without an entered address it goes to the organisation's contact address.
        const second = await sendTestEmail(db, session, { to: '', locale: 'en' });
        await deliverDue(db, trusting, 1000);
        expect(smtp.received).toHaveLength(2);
        expect(smtp.received[1]!.to).toContain((await getMailSettings(db, session)).orgEmail);
        expect((await row(db, second.id)).status).toBe('sent');
      } finally {
        await smtp.close();
      }
    });

    it('never sends in clear text: a server without STARTTLS, or with an untrusted certificate, gets nothing', async () => {
      const plain = await startSmtp({ secure: false, hideSTARTTLS: true, authOptional: true, allowInsecureAuth: true });
      const selfSigned = await startSmtp({ secure: true });
      try {
        const one = await freshPlus();
        const two = await freshPlus();
        const t0 = pinClock();
        await saveMailSettings(db, one.session, smtpInput(plain.port));
        await saveMailSettings(db, two.session, smtpInput(selfSigned.port, { smtpSecurity: 'tls' }));
        const a = await sendTestEmail(db, one.session, { to: 'a@example.org', locale: 'de' });
        const b = await sendTestEmail(db, two.session, { to: 'b@example.org', locale: 'de' });
        // Production's resolver: system trust store only.
        await deliverDue(db, production, 1000);
        expect(plain.received).toHaveLength(0);
        expect(selfSigned.received).toHaveLength(0);
        expect(await row(db, a.id)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: new Date(t0 + backoffMs(1)) });
        expect((await row(db, a.id)).lastError).toMatch(/^smtp: /);
        expect(await row(db, b.id)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'smtp: ECERT' });
      } finally {
        await plain.close();
        await selfSigned.close();
      }
    });

    it('without a valid password the message waits (no fallback, no attempt used) and goes out once the password is entered', async () => {
      const smtp = await startSmtp({ secure: true });
      try {
        const { account, session } = await freshPlus();
        const t0 = pinClock();
        await saveMailSettings(db, session, smtpInput(smtp.port, { smtpSecurity: 'tls', password: '' }));
        expect((await getMailSettings(db, session)).hasPassword).toBe(false);
        await expectAppError(sendTestEmail(db, session, { to: '', locale: 'de' }), 'smtp_password_missing');
        const id = await enqueuePatientMessage(db, { orgId: account.orgId, appointmentId: crypto.randomUUID(), channel: 'email', to: 'p@example.net', locale: 'de', kind: 'invitation', vars: VARS() });
        await deliverDue(db, trusting, 1000);
        expect(await row(db, id)).toMatchObject({ status: 'pending', attempts: 0, lastError: 'smtp_password_missing', nextAttemptAt: new Date(t0 + CONFIG_RETRY_MS) });
        expect(smtp.received).toHaveLength(0);
        await expect(listDeliveryLog(db, session)).resolves.toEqual(
          expect.arrayContaining([expect.objectContaining({ id, status: 'pending', lastError: 'smtp_password_missing' })]),
        );

        // Entering the password releases the waiting message at once.
        at(t0 + 60_000);
        const view = await saveMailSettings(db, session, smtpInput(smtp.port, { smtpSecurity: 'tls' }));
        expect(view.passwordExpiresAt).toBe(new Date(t0 + 60_000 + 24 * 3600_000).toISOString());
        await deliverDue(db, trusting, 1000);
        expect(await row(db, id)).toMatchObject({ status: 'sent', attempts: 1 });
        expect(smtp.received).toHaveLength(1);

        // 24 h later the password has expired; the purge erases it.
        at(t0 + 60_000 + 24 * 3600_000 + 1);
        const later = await sendTestEmail(db, session, { to: 'x@example.org', locale: 'de' }).catch((e) => e);
        expect(later.code).toBe('smtp_password_missing');
        const id2 = await enqueuePatientMessage(db, { orgId: account.orgId, appointmentId: crypto.randomUUID(), channel: 'email', to: 'p@example.net', locale: 'de', kind: 'invitation', vars: VARS() });
        await deliverDue(db, trusting, 1000);
        expect(await row(db, id2)).toMatchObject({ status: 'pending', lastError: 'smtp_password_expired' });
        await purgeExpiredSmtpPasswords(db);
        const [s] = await db.select().from(mailSettings).where(eq(mailSettings.orgId, account.orgId));
        expect(s).toMatchObject({ passwordSealed: null, passwordExpiresAt: null });
      } finally {
        await smtp.close();
      }
    });

    it('a stored password is never sent to a changed host or user; the database holds it only sealed', async () => {
      const { account, session } = await freshPlus();
      pinClock();
      await saveMailSettings(db, session, smtpInput(2525, { passwordValidity: '7d' }));
      const [s] = await db.select().from(mailSettings).where(eq(mailSettings.orgId, account.orgId));
      expect(s!.passwordSealed).toMatch(/^ss1\./);
      expect(JSON.stringify(s)).not.toContain('relay-pässwort');
      // Same target, no password typed: kept.
      expect((await saveMailSettings(db, session, smtpInput(2525, { password: '' }))).hasPassword).toBe(true);
      // Another host: dropped.
      expect((await saveMailSettings(db, session, smtpInput(2525, { password: '', smtpHost: 'smtp.example.org' }))).hasPassword).toBe(false);
      await saveMailSettings(db, session, smtpInput(2525));
      expect((await saveMailSettings(db, session, smtpInput(2525, { password: '', username: 'andere@example.de' }))).hasPassword).toBe(false);
    });

    it('a relay that refuses at first (451) is retried with back-off and delivers exactly once', async () => {
      const smtp = await startSmtp({ secure: true, reply: (n) => (n <= 2 ? Object.assign(new Error('Try again later'), { responseCode: 451 }) : null) });
      try {
        const { account, session } = await freshPlus();
        const t0 = pinClock();
        await saveMailSettings(db, session, smtpInput(smtp.port, { smtpSecurity: 'tls' }));
        const id = await enqueuePatientMessage(db, { orgId: account.orgId, appointmentId: crypto.randomUUID(), channel: 'email', to: 'p@example.net', locale: 'en', kind: 'reminder', vars: VARS() });
        await deliverDue(db, trusting, 1000);
        expect(await row(db, id)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'smtp: EMESSAGE 451', nextAttemptAt: new Date(t0 + backoffMs(1)) });
        // Not yet due: nothing is tried.
        at(t0 + backoffMs(1) - 1);
        await deliverDue(db, trusting, 1000);
        expect((await row(db, id)).attempts).toBe(1);
        const t1 = t0 + backoffMs(1);
        at(t1);
        await deliverDue(db, trusting, 1000);
        expect(await row(db, id)).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: new Date(t1 + backoffMs(2)) });
        at(t1 + backoffMs(2));
        await deliverDue(db, trusting, 1000);
        expect(await row(db, id)).toMatchObject({ status: 'sent', attempts: 3, lastError: null, recipient: REDACTED });
        expect(smtp.received).toHaveLength(1);
        expect(parseMail(smtp.received[0]!.raw).headers.get('subject')).toContain('Reminder: video consultation on 09/03/2027 at 14:30 CET');
        at(t1 + 86400_000);
        await deliverDue(db, trusting, 1000);
        expect(smtp.received).toHaveLength(1);
      } finally {
        await smtp.close();
      }
    });

    it('a 5xx refusal of the recipient fails for good and erases the sealed contents', async () => {
      const smtp = await startSmtp({ secure: true, onRcptTo: (addr, _s, cb) => (addr.address.startsWith('unknown') ? cb(Object.assign(new Error('No such user'), { responseCode: 550 })) : cb()) });
      try {
        const { account, session } = await freshPlus();
        pinClock();
        await saveMailSettings(db, session, smtpInput(smtp.port, { smtpSecurity: 'tls', bcc: '' }));
        const id = await enqueuePatientMessage(db, { orgId: account.orgId, appointmentId: crypto.randomUUID(), channel: 'email', to: 'unknown@example.net', locale: 'de', kind: 'invitation', vars: VARS() });
        await deliverDue(db, trusting, 1000);
        const r = await row(db, id);
        expect(r).toMatchObject({ status: 'failed', attempts: 1, lastError: 'smtp: EENVELOPE 550', recipient: REDACTED, bodyText: REDACTED });
      } finally {
        await smtp.close();
      }
    });
  });

  describe('Konsil transport: Resend against a local HTTP server', () => {
    it('sends a patient invitation in the practice\'s name with reply-to and BCC, once, then erases it', async () => {
      const resend = await startHttp(() => ({ status: 200, body: JSON.stringify({ id: 're_msg_1' }) }));
      process.env.RESEND_BASE_URL = resend.base;
      try {
        const { account, session } = await freshPlus();
        pinClock();
        await saveMailSettings(db, session, ZMailSettingsInput.parse({ transport: 'konsil', bcc: 'archiv@example.de' }));
        const vars = VARS();
        const to = `${short('p')}@example.net`;
        const id = await enqueuePatientMessage(db, { orgId: account.orgId, appointmentId: crypto.randomUUID(), channel: 'email', to, locale: 'de', kind: 'invitation', vars });
        await deliverDue(db, production, 1000);
        const mine = resend.seen.filter((r) => Array.isArray(r.body.to) && r.body.to[0] === to);
        expect(mine).toHaveLength(1);
        expect(mine[0]!.url).toBe('/emails');
        expect(mine[0]!.headers.authorization).toBe('Bearer re_konsil_test_key');
        expect(mine[0]!.headers['idempotency-key']).toBe(`konsil-outbox-${id}`);
        expect(mine[0]!.body).toMatchObject({ bcc: ['archiv@example.de'], reply_to: account.email });
        expect(String(mine[0]!.body.from)).toMatch(/^"Praxis .* via Konsil" </);
        expect(String(mine[0]!.body.text)).toContain(vars.code);
        expect(await row(db, id)).toMatchObject({ status: 'sent', transport: 'resend', providerMessageId: 're_msg_1', recipient: REDACTED });
        await deliverDue(db, production, 1000);
        expect(resend.seen.filter((r) => Array.isArray(r.body.to) && r.body.to[0] === to)).toHaveLength(1);
      } finally {
        await resend.close();
      }
    });
  });

  describe('SMS through the seven.io HTTP API (local server)', () => {
    it('sends once with the key, counts it for the month, and erases the number and code', async () => {
      const seven = await startHttp((r) =>
        r.headers['x-api-key'] === 'seven-key-123'
          ? { status: 200, body: JSON.stringify({ success: '100', total_price: 0.075, messages: [{ id: '77001', recipient: r.body.to, success: true, error: null }] }) }
          : { status: 200, body: '900' },
      );
      try {
        const { account, session } = await freshPlus();
        const t0 = pinClock();
        await saveSmsSettings(db, session, ZSmsSettingsInput.parse({ provider: 'http', apiUrl: `${seven.base}/api/sms`, apiKey: 'seven-key-123', sender: 'PraxisMue' }));
        const view = await getSmsSettings(db, session);
        expect(view).toMatchObject({ provider: 'http', hasApiKey: true, sender: 'PraxisMue', smsAllowed: true });
        expect(JSON.stringify(view)).not.toContain('seven-key-123');
        const vars = VARS();
        const id = await enqueuePatientMessage(db, { orgId: account.orgId, appointmentId: crypto.randomUUID(), channel: 'sms', to: '+49 171 234 5678', locale: 'de', kind: 'invitation', vars });
        const month = berlinMonth(new Date(t0));
        expect(await smsCountForMonth(db, account.orgId, month)).toBe(0);
        expect(await deliverDue(db, production, 1000)).toBe(1);
        expect(seven.seen).toHaveLength(1);
        expect(seven.seen[0]!.url).toBe('/api/sms');
        expect(seven.seen[0]!.body).toMatchObject({ to: '+491712345678', from: 'PraxisMue', foreign_id: id });
        expect(String(seven.seen[0]!.body.text)).toContain(`Code: ${vars.code}`);
        expect(await row(db, id)).toMatchObject({ status: 'sent', transport: 'sms-seven', providerMessageId: '77001', recipient: REDACTED, bodyText: REDACTED });
        expect(await smsCountForMonth(db, account.orgId, month)).toBe(1);
        await deliverDue(db, production, 1000);
        expect(seven.seen).toHaveLength(1);
        expect(await smsCountForMonth(db, account.orgId, month)).toBe(1);
        const [usage] = await db.select().from(smsUsage).where(and(eq(smsUsage.orgId, account.orgId), eq(smsUsage.month, month)));
        expect(usage!.count).toBe(1);
      } finally {
        await seven.close();
      }
    });

    it('a gateway that fails first (HTTP 500, then no credit) and succeeds later: delivered and counted once', async () => {
      let n = 0;
      const seven = await startHttp(() => {
        n++;
        if (n === 1) return { status: 500, body: 'oops' };
        if (n === 2) return { status: 200, body: '500' };
        return { status: 200, body: JSON.stringify({ success: '100', messages: [{ id: 'm-3', success: true }] }) };
      });
      try {
        const { account, session } = await freshPlus();
        const t0 = pinClock();
        await saveSmsSettings(db, session, ZSmsSettingsInput.parse({ provider: 'http', apiUrl: `${seven.base}/api/sms`, apiKey: 'k', sender: '' }));
        const { id } = await sendTestSms(db, session, { to: '+4915112345678', locale: 'de' });
        await deliverDue(db, production, 1000);
        expect(await row(db, id)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'sms: http 500' });
        at(t0 + backoffMs(1));
        await deliverDue(db, production, 1000);
        expect(await row(db, id)).toMatchObject({ status: 'pending', attempts: 2, lastError: 'sms: seven 500' });
        at(t0 + backoffMs(1) + backoffMs(2));
        await deliverDue(db, production, 1000);
        expect(await row(db, id)).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
        expect(seven.seen).toHaveLength(3);
        expect(seven.seen.every((r) => r.body.from === 'Konsil' && r.body.to === '+4915112345678')).toBe(true);
        expect(await smsCountForMonth(db, account.orgId, berlinMonth(new Date(t0)))).toBe(1);
      } finally {
        await seven.close();
      }
    });

    it('an invalid recipient (202) fails for good and is not counted; without credentials the SMS waits', async () => {
      const seven = await startHttp(() => ({ status: 200, body: JSON.stringify({ success: '202', messages: [] }) }));
      try {
        const { account, session } = await freshPlus();
        const t0 = pinClock();
        await saveSmsSettings(db, session, ZSmsSettingsInput.parse({ provider: 'http', apiUrl: `${seven.base}/api/sms`, apiKey: 'k' }));
        const id = await enqueuePatientMessage(db, { orgId: account.orgId, appointmentId: crypto.randomUUID(), channel: 'sms', to: '+491700000000', locale: 'en', kind: 'invitation', vars: VARS() });
        await deliverDue(db, production, 1000);
        expect(await row(db, id)).toMatchObject({ status: 'failed', lastError: 'sms: seven 202', recipient: REDACTED });
        expect(await smsCountForMonth(db, account.orgId, berlinMonth(new Date(t0)))).toBe(0);
        // Credentials removed: the next SMS waits for them instead of going elsewhere.
        await db.update(smsSettings).set({ apiKeySealed: null }).where(eq(smsSettings.orgId, account.orgId));
        const id2 = await enqueuePatientMessage(db, { orgId: account.orgId, appointmentId: crypto.randomUUID(), channel: 'sms', to: '+491700000000', locale: 'en', kind: 'invitation', vars: VARS() });
        await deliverDue(db, production, 1000);
        expect(await row(db, id2)).toMatchObject({ status: 'pending', attempts: 0, lastError: 'sms_credentials_missing' });
        expect(seven.seen).toHaveLength(1);
      } finally {
        await seven.close();
      }
    });

    it('Konsil\'s default SMS transport in development is the local outbox; a test SMS is counted', async () => {
      const { account, session } = await freshPlus();
      const t0 = pinClock();
      const { id } = await sendTestSms(db, session, { to: '+49 160 1234567', locale: 'de' });
      await deliverDue(db, production, 1000);
      expect(await row(db, id)).toMatchObject({ status: 'sent', transport: 'dev-outbox-sms', recipient: '+491601234567' });
      expect(await smsCountForMonth(db, account.orgId, berlinMonth(new Date(t0)))).toBe(1);
      // As typed in Germany: accepted and sent to the same E.164 number; a landline or a number outside the EU/EEA is not.
      const national = await sendTestSms(db, session, { to: '0160 / 123 45 67', locale: 'de' });
      expect(await row(db, national.id)).toMatchObject({ recipient: '+491601234567' });
      await expectAppError(sendTestSms(db, session, { to: '030 1234567', locale: 'de' }), 'validation').then((e) => expect(e.fields).toEqual({ to: 'invalidMobile' }));
      await expectAppError(sendTestSms(db, session, { to: '+1 415 555 0100', locale: 'de' }), 'validation').then((e) => expect(e.fields).toEqual({ to: 'phoneCountry' }));
    });
  });

  describe('sealed patient messages', () => {
    it('hold neither address, number, link nor code in clear while pending; scheduled ones wait; cancel erases them', async () => {
      const { account } = await freshPlus();
      const t0 = pinClock();
      const appointmentId = crypto.randomUUID();
      const vars = VARS();
      const email = `${short('anna.schmidt')}@example.net`;
      const inv = await enqueuePatientMessage(db, { orgId: account.orgId, appointmentId, channel: 'email', to: email, locale: 'de', kind: 'invitation', vars });
      const rem = await enqueuePatientMessage(db, { orgId: account.orgId, appointmentId, channel: 'sms', to: '+49 171 9876543', locale: 'de', kind: 'reminder', vars, sendAt: new Date(t0 + 3 * 86400_000) });
      for (const id of [inv, rem]) {
        const dump = JSON.stringify(await row(db, id));
        for (const secret of [email, '+491719876543', '9876543', vars.code, vars.link, 'Videosprechstunde']) expect(dump).not.toContain(secret);
        expect(await row(db, id)).toMatchObject({ sealed: true, status: 'pending', appointmentId });
      }
      expect((await row(db, rem)).nextAttemptAt).toEqual(new Date(t0 + 3 * 86400_000));
      // Sealed under this row: copied into another row it does not open.
      const r = await row(db, inv);
      const copy = await enqueuePatientMessage(db, { orgId: account.orgId, appointmentId: crypto.randomUUID(), channel: 'email', to: 'x@example.net', locale: 'de', kind: 'invitation', vars: VARS() });
      await db.update(outbox).set({ recipient: r.recipient }).where(eq(outbox.id, copy));

      const bodies = new Map<string, string>();
      const capture = { name: 'capture', async send(m: { id: string; recipient: string; bodyText: string }) { bodies.set(m.id, `${m.recipient}|${m.bodyText}`); return {}; } };
      await deliverDue(db, capture as never, 1000);
      expect(bodies.get(inv)).toContain(email);
      expect(bodies.get(inv)).toContain(vars.code);
      expect(bodies.has(rem)).toBe(false);
      expect(bodies.has(copy)).toBe(false);
      expect(await row(db, copy)).toMatchObject({ status: 'failed', lastError: 'seal_unreadable', recipient: REDACTED });
      const sent = await row(db, inv);
      expect(sent).toMatchObject({ status: 'sent', recipient: REDACTED, subject: REDACTED, bodyText: REDACTED, bodyHtml: null });

      // Cancelling the appointment withdraws the reminder before it is due.
      expect(await cancelPatientMessages(db, { orgId: basis.orgId, appointmentId })).toBe(0);
      expect(await cancelPatientMessages(db, { orgId: account.orgId, appointmentId })).toBe(1);
      expect(await row(db, rem)).toMatchObject({ status: 'cancelled', recipient: REDACTED, subject: REDACTED, bodyText: REDACTED });
      at(t0 + 4 * 86400_000);
      await deliverDue(db, capture as never, 1000);
      expect(bodies.has(rem)).toBe(false);
      expect(await cancelPatientMessages(db, { orgId: account.orgId, appointmentId })).toBe(0);
    });

    it('the Versandprotokoll shows status, never recipient or text', async () => {
      const { account, session } = await freshPlus();
      pinClock();
      const id = await enqueuePatientMessage(db, { orgId: account.orgId, appointmentId: crypto.randomUUID(), channel: 'sms', to: '+491711111111', locale: 'de', kind: 'invitation', vars: VARS() });
      const log = await listDeliveryLog(db, session);
      const entry = log.find((e) => e.id === id)!;
      expect(entry).toMatchObject({ channel: 'sms', template: 'patient_invitation', status: 'pending', attempts: 0, sealed: true });
      expect(Object.keys(entry).sort()).toEqual(['attempts', 'channel', 'createdAt', 'id', 'lastError', 'nextAttemptAt', 'sealed', 'sentAt', 'status', 'template']);
      // Another organisation does not see it.
      expect((await listDeliveryLog(db, basis)).some((e) => e.id === id)).toBe(false);
    });

    it('refuses landlines, far-away numbers and bad addresses with field errors', async () => {
      const { account } = await freshPlus();
      const base = { orgId: account.orgId, appointmentId: crypto.randomUUID(), locale: 'de' as const, kind: 'invitation' as const, vars: VARS() };
      expect((await expectAppError(enqueuePatientMessage(db, { ...base, channel: 'sms', to: '089 1234567' }), 'validation')).fields).toEqual({ to: 'invalidMobile' });
      expect((await expectAppError(enqueuePatientMessage(db, { ...base, channel: 'sms', to: '+7 912 345 67 89' }), 'validation')).fields).toEqual({ to: 'phoneCountry' });
      expect((await expectAppError(enqueuePatientMessage(db, { ...base, channel: 'email', to: 'kein-at' }), 'validation')).fields).toEqual({ to: 'invalidEmail' });
    });
  });

  describe('plan and role gates', () => {
    it('Konsil basis: no SMS settings, no test SMS, no patient SMS, e-mails or reminders', async () => {
      await expectAppError(saveSmsSettings(db, basis, ZSmsSettingsInput.parse({ provider: 'konsil' })), 'plan_required');
      await expectAppError(sendTestSms(db, basis, { to: '+491711234567', locale: 'de' }), 'plan_required');
      const base = { orgId: basis.orgId, appointmentId: crypto.randomUUID(), locale: 'de' as const, vars: VARS() };
      await expectAppError(enqueuePatientMessage(db, { ...base, channel: 'sms', to: '+491711234567', kind: 'invitation' }), 'plan_required');
      await expectAppError(enqueuePatientMessage(db, { ...base, channel: 'email', to: 'p@example.net', kind: 'invitation' }), 'plan_required');
      expect((await getSmsSettings(db, basis)).smsAllowed).toBe(false);
      expect((await getMailSettings(db, basis)).patientEmailAllowed).toBe(false);
      // Basis may still set up its own SMTP relay and send a test e-mail.
      pinClock();
      await saveMailSettings(db, basis, ZMailSettingsInput.parse({ transport: 'konsil' }));
      expect((await sendTestEmail(db, basis, { to: '', locale: 'de' })).id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('members read the settings but cannot change them or send tests', async () => {
      const { account, session } = await freshPlus();
      const owner = { session, user: account.user };
      const m = await addMember(db, owner, { role: 'member' });
      const member = await sessionFor(db, m);
      expect((await getMailSettings(db, member)).canEdit).toBe(false);
      expect((await getSmsSettings(db, member)).canEdit).toBe(false);
      await expectAppError(saveMailSettings(db, member, ZMailSettingsInput.parse({ transport: 'konsil' })), 'forbidden');
      await expectAppError(saveSmsSettings(db, member, ZSmsSettingsInput.parse({ provider: 'konsil' })), 'forbidden');
      await expectAppError(sendTestEmail(db, member, { to: '', locale: 'de' }), 'forbidden');
      await expectAppError(sendTestSms(db, member, { to: '+491711234567', locale: 'de' }), 'forbidden');
    });

    it('validates the settings: required fields, hosts, private relays refused outside tests', async () => {
      const r = ZMailSettingsInput.safeParse({ transport: 'smtp', smtpHost: 'smtp example', smtpPort: '99999', fromAddress: 'x' });
      expect(r.success).toBe(false);
      const fields = Object.fromEntries(r.error!.issues.map((i) => [i.path.join('.'), i.message]));
      expect(fields).toEqual({ smtpHost: 'invalid', smtpPort: 'invalid', fromAddress: 'invalidEmail' });
      expect(ZSmsSettingsInput.safeParse({ provider: 'http', apiUrl: 'ftp://x', sender: 'VielZuLangerName' }).success).toBe(false);
      const { session } = await freshPlus();
      process.env.KONSIL_ALLOW_PRIVATE_RELAYS = '0';
      try {
        const e = await expectAppError(saveMailSettings(db, session, smtpInput(587, { smtpHost: '10.0.0.5' })), 'validation');
        expect(e.fields).toEqual({ smtpHost: 'notAllowed' });
        const e2 = await expectAppError(saveSmsSettings(db, session, ZSmsSettingsInput.parse({ provider: 'http', apiUrl: 'https://127.0.0.1/api/sms', apiKey: 'k' })), 'validation');
        expect(e2.fields).toEqual({ apiUrl: 'notAllowed' });
      } finally {
        process.env.KONSIL_ALLOW_PRIVATE_RELAYS = '1';
      }
    });
  });
});
