// Video consultations across app instances and through a TURN relay.
//
// 1. Two instances on one PostgreSQL: the suite's webServer is instance A, this
//    spec starts instance B. The doctor hosts on A, the patient joins on B; the
//    waiting room, admission, signalling and hang-up cross over via
//    LISTEN/NOTIFY, and media flows.
// 2. TURN: coturn on 127.0.0.1 with TURN REST credentials (--use-auth-secret),
//    and instance C configured with KONSIL_TURN_URLS / KONSIL_TURN_SECRET /
//    KONSIL_ICE_POLICY=relay. The patient on C may only use relayed
//    candidates; the call still connects and coturn logs the allocation.
//
// Ports are derived from E2E_PORT (default 3100): B = +1, C = +2, TURN = +3,
// relay ports 20 from 10000 + (E2E_PORT·20 mod 20000), so runs on different
// E2E_PORTs do not clash. Output: artifacts/server-b.log, artifacts/server-c.log
// (scanned for canaries like server.log), data folders artifacts/data-b and
// artifacts/data-c, coturn's log artifacts/coturn.log.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import tls from 'node:tls';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, test, expect, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import { registerViaApi } from './fixtures/api-account';
import { addCanary } from './fixtures/canaries';
import { ARTIFACTS, appointmentFor, hostOpensRoom, newPatient, startInstance } from './fixtures/instances';
import { expectFrames, patientEnters } from './pages/video-page';
import { freePort, type AppServer } from '../scripts/lib/app-server';

test.describe.configure({ mode: 'serial' });

const PORT = Number(process.env.E2E_PORT ?? 3100);
const A = `http://127.0.0.1:${PORT}`;
const TURN_BIN = process.env.TURNSERVER_PATH ?? '/usr/bin/turnserver';

/** Every API call a page makes goes to its own instance. */
function apiOrigins(page: Page): Set<string> {
  const seen = new Set<string>();
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/')) seen.add(u.origin);
  });
  return seen;
}

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

test.skip(!process.env.DATABASE_URL, 'two instances need a shared PostgreSQL (DATABASE_URL)');

test.describe('two instances, one database', () => {
  let b: AppServer;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    b = await startInstance('b', await freePort(PORT + 1, { tries: 5 }));
  });

  test.afterAll(async () => {
    await b?.stop();
  });

  test('doctor on A, patient on B: waiting room, admission, media and hang-up cross instances', async ({ browser, request }) => {
    test.setTimeout(180_000);
    const account = await registerViaApi(request);
    const patient = newPatient('AB');
    const appt = await appointmentFor(account, request, patient);

    const doc = await newPage(browser);
    const docApi = apiOrigins(doc);
    await hostOpensRoom(doc, A, appt.doctorCode);

    const pat = await newPage(browser);
    const patApi = apiOrigins(pat);
    await patientEnters(pat, `${b.url}/join#${appt.patientCode}`);

    // The patient entered on B; A's host hears of it through PostgreSQL.
    await expect(doc.getByTestId('waiting-banner')).toBeVisible({ timeout: 30_000 });
    await doc.getByTestId('admit').click();
    await expectFrames(doc);
    await expectFrames(pat);
    await expect(doc.getByTestId('call-view')).toHaveAttribute('data-media', 'connected');
    await expect(pat.getByTestId('call-view')).toHaveAttribute('data-media', 'connected');
    expect(Number(await doc.getByTestId('remote-video').getAttribute('data-frames'))).toBeGreaterThan(0);
    expect(Number(await pat.getByTestId('remote-video').getAttribute('data-frames'))).toBeGreaterThan(0);
    expect([...docApi]).toEqual([A]);
    expect([...patApi]).toEqual([b.url]);

    // Hang-up on B reaches A.
    await pat.getByTestId('hang-up').click();
    await expect(pat.getByTestId('join-ended')).toBeVisible();
    await expect(doc.getByTestId('call-overlay')).toHaveText('Der Patient / die Patientin hat das Gespräch verlassen.', { timeout: 30_000 });
    await doc.getByTestId('hang-up').click();
    await doc.context().close();
    await pat.context().close();
  });
});

// ---------------------------------------------------------------------------
// TURN

/** A STUN Binding request answered = coturn is listening. */
function stunPing(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const msg = Buffer.alloc(20);
    msg.writeUInt16BE(0x0001, 0); // Binding request
    msg.writeUInt16BE(0, 2);
    msg.writeUInt32BE(0x2112a442, 4); // magic cookie
    randomBytes(12).copy(msg, 8);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      s.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    s.on('message', (m) => done(m.length >= 20 && m.readUInt16BE(0) === 0x0101 && m.subarray(8, 20).equals(msg.subarray(8, 20))));
    s.on('error', () => done(false));
    s.send(msg, port, '127.0.0.1');
  });
}

type Coturn = { port: number; log: string; stop: () => Promise<void> };

/** A TLS listener answers a handshake (the certificate is our own, self-signed one). */
function tlsPing(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, timeout: timeoutMs }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => (socket.destroy(), resolve(false)));
  });
}

/** coturn; with `tls`, only a TURN-over-TLS listener on tls.port (no UDP, no plain TCP reachable). */
async function startCoturn(port: number, authSecret: string, tlsOnly?: { port: number; cert: string; key: string }): Promise<Coturn> {
  if (!fs.existsSync(TURN_BIN)) throw new Error(`${TURN_BIN} missing: apt-get install coturn (.ci/run does)`);
  const log = path.join(ARTIFACTS, 'coturn.log');
  const relayMin = 10000 + ((PORT * 20) % 20000);
  const args = [
    '-n', // no configuration file
    '--listening-ip=127.0.0.1',
    '--relay-ip=127.0.0.1',
    `--listening-port=${port}`,
    `--min-port=${relayMin}`,
    `--max-port=${relayMin + 19}`,
    '--use-auth-secret',
    `--static-auth-secret=${authSecret}`,
    '--realm=konsil.test',
    // Both browsers run on this machine, so the peers the relay talks to are loopback or local addresses.
    '--allow-loopback-peers',
    ...(tlsOnly ? ['--no-udp', '--no-tcp', `--tls-listening-port=${tlsOnly.port}`, `--cert=${tlsOnly.cert}`, `--pkey=${tlsOnly.key}`] : ['--no-tls']),
    '--no-dtls',
    '--no-cli',
    '--fingerprint',
    '-v',
    `--log-file=${log}`,
    '--simple-log',
    '--no-stdout-log',
    `--pidfile=${path.join(ARTIFACTS, 'coturn.pid')}`,
  ];
  const out = fs.openSync(path.join(ARTIFACTS, 'coturn.out'), 'a');
  const child: ChildProcess = spawn(TURN_BIN, args, { stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  let exited = false;
  const done = new Promise<void>((r) => child.once('exit', () => ((exited = true), r())));
  const kill = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  };
  process.once('exit', kill);
  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return;
    }
    if (!(await Promise.race([done.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]))) {
      kill();
      await done;
    }
  };
  const until = Date.now() + 20_000;
  while (!(await (tlsOnly ? tlsPing(tlsOnly.port) : stunPing(port)))) {
    if (exited || Date.now() > until) {
      await stop();
      throw new Error(`coturn did not answer ${tlsOnly ? `TLS on 127.0.0.1:${tlsOnly.port}` : `STUN on 127.0.0.1:${port}`}; see ${log} and artifacts/coturn.out`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { port, log, stop };
}

test.describe('TURN relay (coturn, relay-only policy)', () => {
  let turn: Coturn;
  let c: AppServer;
  const authSecret = randomBytes(24).toString('base64url');

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    // The server must never hand out or log the static secret, only derived credentials.
    addCanary('TURN static auth secret', authSecret);
    const version = spawnSync(TURN_BIN, ['--version'], { encoding: 'utf8' });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.appendFileSync(path.join(ARTIFACTS, 'coturn.out'), `coturn ${(version.stdout || version.stderr || '').trim()}\n`);
    turn = await startCoturn(await freePort(PORT + 3, { udp: true, tries: 5 }), authSecret);
    c = await startInstance('c', await freePort(PORT + 2, { tries: 5 }), {
      KONSIL_TURN_URLS: `turn:127.0.0.1:${turn.port}?transport=udp`,
      KONSIL_TURN_SECRET: authSecret,
      KONSIL_ICE_POLICY: 'relay',
    });
  });

  test.afterAll(async () => {
    await c?.stop();
    await turn?.stop();
  });

  test('the patient on a relay-only instance connects through TURN; coturn allocated a relay', async ({ browser, request }) => {
    test.setTimeout(180_000);
    const account = await registerViaApi(request);
    const patient = newPatient('TURN');
    const appt = await appointmentFor(account, request, patient);

    const doc = await newPage(browser);
    await hostOpensRoom(doc, A, appt.doctorCode);

    const pat = await newPage(browser);
    const entered = pat.waitForResponse((r) => r.url().endsWith('/api/join/enter') && r.request().method() === 'POST');
    await patientEnters(pat, `${c.url}/join#${appt.patientCode}`);
    // Instance C hands out relay-only ICE with TURN credentials minted from the secret, never the secret itself.
    const ice = (await (await entered).json()) as { iceServers: { urls: string[]; username?: string; credential?: string }[]; iceTransportPolicy: string };
    expect(ice.iceTransportPolicy).toBe('relay');
    expect(ice.iceServers).toHaveLength(1);
    expect(ice.iceServers[0]!.urls).toEqual([`turn:127.0.0.1:${turn.port}?transport=udp`]);
    expect(ice.iceServers[0]!.username).toMatch(/^\d+:[0-9a-f]+$/);
    expect(ice.iceServers[0]!.credential).toBeTruthy();
    expect(JSON.stringify(ice)).not.toContain(authSecret);

    await expect(doc.getByTestId('waiting-banner')).toBeVisible({ timeout: 30_000 });
    await doc.getByTestId('admit').click();
    await expectFrames(pat);
    await expectFrames(doc);
    await expect(pat.getByTestId('call-view')).toHaveAttribute('data-media', 'connected');
    // The relay-policy side's selected pair uses its relayed candidate.
    await expect(pat.getByTestId('remote-video')).toHaveAttribute('data-candidate-type', 'relay');
    // The doctor's side (A, no TURN configured) talks to that relay from a local candidate.
    await expect(doc.getByTestId('remote-video')).not.toHaveAttribute('data-candidate-type', '');

    const log = fs.readFileSync(turn.log, 'utf8');
    expect(log).toMatch(/ALLOCATE processed, success/);
    expect(log).toMatch(/Local relay addr: 127\.0\.0\.1:\d+/);

    await pat.getByTestId('hang-up').click();
    await expect(pat.getByTestId('join-ended')).toBeVisible();
    await doc.context().close();
    await pat.context().close();
  });
});

// TURN over TLS on port 443, the fallback for networks that let only HTTPS
// out: coturn listens for TLS only (no UDP, no plain TCP), with a certificate
// of the test's making, and instance D hands out only that `turns:` URL with a
// relay-only policy. Mid-call the TURN server is stopped and started again: the
// relayed path breaks, the browsers restart ICE by themselves and the call
// goes on — without a new admission.
test.describe('TURN over TLS on 443, relay-only; ICE restart when the path breaks', () => {
  let turn: Coturn;
  let d: AppServer;
  let tlsPort: number;
  let turnPort: number;
  let tlsFiles: { cert: string; key: string };
  const authSecret = randomBytes(24).toString('base64url');

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    addCanary('TURN static auth secret (TLS)', authSecret);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    tlsFiles = { cert: path.join(ARTIFACTS, 'turn-cert.pem'), key: path.join(ARTIFACTS, 'turn-key.pem') };
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', tlsFiles.key, '-out', tlsFiles.cert], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`openssl could not make the TURN certificate: ${made.stderr}`);
    // Port 443 needs root (the suite runs as root in CI); elsewhere a free port stands in.
    tlsPort = process.getuid?.() === 0 ? 443 : await freePort(PORT + 5, { tries: 5 });
    turnPort = await freePort(PORT + 6, { udp: true, tries: 5 });
    turn = await startCoturn(turnPort, authSecret, { port: tlsPort, ...tlsFiles });
    d = await startInstance('d', await freePort(PORT + 4, { tries: 5 }), {
      KONSIL_TURN_URLS: `turns:127.0.0.1:${tlsPort}?transport=tcp`,
      KONSIL_TURN_SECRET: authSecret,
      KONSIL_ICE_POLICY: 'relay',
    });
  });

  test.afterAll(async () => {
    await d?.stop();
    await turn?.stop();
  });

  test('the patient connects through TURN over TLS; when the relay goes away mid-call, ICE restarts and the call goes on', async ({ browser, request }) => {
    test.setTimeout(240_000);
    const account = await registerViaApi(request);
    const patient = newPatient('TURNS');
    const appt = await appointmentFor(account, request, patient);
    const doc = await newPage(browser);
    await hostOpensRoom(doc, A, appt.doctorCode);
    // The patient's browser trusts the test's self-signed TURN certificate (a real deployment has a CA-signed one).
    const patBrowser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--ignore-certificate-errors'] });
    const pat = await newPage(patBrowser);
    let entries = 0;
    pat.on('request', (r) => void (r.url().endsWith('/api/join/enter') && r.method() === 'POST' && entries++));
    await patientEnters(pat, `${d.url}/join#${appt.patientCode}`);
    await expect(doc.getByTestId('waiting-banner')).toBeVisible({ timeout: 30_000 });
    await doc.getByTestId('admit').click();
    // Relay-only over TLS: allocation, TLS and DTLS in a row take longer than a direct path on a busy machine.
    await expectFrames(pat, 90_000);
    await expectFrames(doc);
    const remote = pat.getByTestId('remote-video');
    await expect(remote).toHaveAttribute('data-candidate-type', 'relay');
    await expect(remote).toHaveAttribute('data-relay-protocol', 'tls');
    expect(fs.readFileSync(turn.log, 'utf8')).toMatch(/ALLOCATE processed, success/);

    // The relay goes away: the relay-only side has no path left.
    await turn.stop();
    await expect(pat.getByTestId('call-view')).not.toHaveAttribute('data-media', 'connected', { timeout: 45_000 });
    const framesBefore = Number(await doc.getByTestId('remote-video').getAttribute('data-frames'));
    turn = await startCoturn(turnPort, authSecret, { port: tlsPort, ...tlsFiles });
    // Back by itself, through the new relay, with no new admission.
    await expect(pat.getByTestId('call-view')).toHaveAttribute('data-media', 'connected', { timeout: 60_000 });
    await expect.poll(async () => Number(await doc.getByTestId('remote-video').getAttribute('data-frames')), { timeout: 30_000 }).toBeGreaterThan(framesBefore + 10);
    await expect(remote).toHaveAttribute('data-relay-protocol', 'tls');
    const restarts = Number(await remote.getAttribute('data-ice-restarts')) + Number(await doc.getByTestId('remote-video').getAttribute('data-ice-restarts'));
    expect(restarts).toBeGreaterThan(0);
    await expect(doc.getByTestId('waiting-banner')).toBeHidden();
    expect(entries).toBe(1);
    expect(fs.readFileSync(turn.log, 'utf8')).toMatch(/ALLOCATE processed, success/);

    await pat.getByTestId('hang-up').click();
    await expect(pat.getByTestId('join-ended')).toBeVisible();
    await doc.context().close();
    await patBrowser.close();
  });
});
