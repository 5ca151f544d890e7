// Bandwidth adaptation: a consultation whose patient sits behind a narrow
// uplink. The patient's Chromium runs in a network namespace of the test's own,
// joined to the host by a veth pair; the doctor's Chromium and an app instance
// (bound to the host's end of the pair only) stay on the host, so picture and
// sound cross the pair. Mid-call a token bucket (tc tbf) narrows the patient's
// uplink to 250 kbit/s: the patient's encoder must lower what it sends (WebRTC's
// congestion control: bitrate, then resolution), the doctor keeps receiving
// picture and sound, and the patient's quality badge says, in words, that their
// picture goes out smaller and why. When the link widens again, the picture
// grows back. What was measured is written to artifacts/bandwidth.json.
//
// Needs root (network namespaces, veth, tc) — as .ci/run has. Addresses:
// 10.213.<E2E_PORT mod 250>.0/30, so runs on different E2E_PORTs do not clash.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import { registerViaApi } from './fixtures/api-account';
import { ARTIFACTS, appointmentFor, hostOpensRoom, newPatient, startInstance } from './fixtures/instances';
import { expectAudio, expectFrames, patientEnters } from './pages/video-page';
import { freePort, type AppServer } from '../scripts/lib/app-server';

test.describe.configure({ mode: 'serial' });

const PORT = Number(process.env.E2E_PORT ?? 3100);
const NET = `10.213.${PORT % 250}`;
const HOST_IP = `${NET}.1`;
const NS_IP = `${NET}.2`;
const IF_HOST = `kbw${PORT % 10000}h`;
const IF_NS = `kbw${PORT % 10000}n`;
const NARROW = '250kbit';

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.stdout}`);
}

/** The patient's network: a namespace held open by a sleeping process, and a veth pair to the host. */
class PatientNetwork {
  private holder: ChildProcess | null = null;

  get pid(): number {
    return this.holder!.pid!;
  }

  async up() {
    this.holder = spawn('unshare', ['-n', 'sleep', '3600'], { stdio: 'ignore', detached: true });
    process.once('exit', () => this.down());
    await new Promise((r) => setTimeout(r, 200));
    spawnSync('ip', ['link', 'del', IF_HOST]);
    run('ip', ['link', 'add', IF_HOST, 'type', 'veth', 'peer', 'name', IF_NS, 'netns', String(this.pid)]);
    run('ip', ['addr', 'add', `${HOST_IP}/30`, 'dev', IF_HOST]);
    run('ip', ['link', 'set', IF_HOST, 'up']);
    this.inside('ip', ['link', 'set', 'lo', 'up']);
    this.inside('ip', ['addr', 'add', `${NS_IP}/30`, 'dev', IF_NS]);
    this.inside('ip', ['link', 'set', IF_NS, 'up']);
  }

  inside(cmd: string, args: string[]) {
    run('nsenter', ['-t', String(this.pid), '-n', cmd, ...args]);
  }

  /** The patient's uplink narrowed to `rate` (a token bucket on their end of the pair), or widened again. */
  narrow(rate: string | null) {
    if (rate) this.inside('tc', ['qdisc', 'replace', 'dev', IF_NS, 'root', 'tbf', 'rate', rate, 'burst', '8kb', 'latency', '300ms']);
    else this.inside('tc', ['qdisc', 'del', 'dev', IF_NS, 'root']);
  }

  /** A Chromium for Playwright that starts inside the namespace. */
  launcher(): string {
    const file = path.join(ARTIFACTS, `chromium-netns-${PORT}.sh`);
    fs.writeFileSync(file, `#!/bin/sh\nexec nsenter -t ${this.pid} -n ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} "$@"\n`, { mode: 0o755 });
    return file;
  }

  down() {
    if (this.holder?.pid) {
      try {
        process.kill(this.holder.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    // The pair goes with the namespace; this is for a namespace that outlived its holder.
    spawnSync('ip', ['link', 'del', IF_HOST]);
  }
}

/** What the page's quality badge reports about the own sent video and the other side's received one. */
async function flow(page: Page) {
  const q = page.getByTestId('quality');
  const [sendWidth, limit, recvWidth, quality] = await Promise.all([q.getAttribute('data-send-width'), q.getAttribute('data-send-limit'), q.getAttribute('data-recv-width'), q.getAttribute('data-quality')]);
  const kbps = await q.getAttribute('data-send-kbps');
  return { sendWidth: Number(sendWidth || 0), limit: limit ?? '', kbps: Number(kbps || 0), recvWidth: Number(recvWidth || 0), quality: quality ?? '' };
}

const frames = async (page: Page) => Number(await page.getByTestId('remote-video').getAttribute('data-frames'));
const audio = async (page: Page) => Number(await page.getByTestId('remote-video').getAttribute('data-audio-packets'));

test.skip(process.getuid?.() !== 0, 'needs root for a network namespace and tc');
test.skip(!process.env.DATABASE_URL, 'a second instance needs the shared PostgreSQL (DATABASE_URL)');

test.describe('a narrow uplink', () => {
  const net = new PatientNetwork();
  let e: AppServer;
  let docBrowser: Browser;
  let patBrowser: Browser;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await net.up();
    e = await startInstance('bw', await freePort(PORT + 8, { tries: 5 }), {}, HOST_IP);
    // Plain http on an address other than localhost is no secure context; these two pages are told it is.
    const args = [...CHROMIUM_ARGS, `--unsafely-treat-insecure-origin-as-secure=${e.url}`];
    docBrowser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args });
    patBrowser = await chromium.launch({ executablePath: net.launcher(), args });
  });

  test.afterAll(async () => {
    await docBrowser?.close();
    await patBrowser?.close();
    await e?.stop();
    net.down();
  });

  test('the patient sends a smaller picture, the doctor keeps picture and sound, and the patient is told why', async ({ request }) => {
    test.setTimeout(240_000);
    const account = await registerViaApi(request);
    const appt = await appointmentFor(account, request, newPatient('BW'));
    const doc = await (await docBrowser.newContext()).newPage();
    await hostOpensRoom(doc, e.url, appt.doctorCode);
    const pat = await (await patBrowser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
    await patientEnters(pat, `${e.url}/join#${appt.patientCode}`);
    await expect(doc.getByTestId('waiting-banner')).toBeVisible({ timeout: 30_000 });
    await doc.getByTestId('admit').click();
    await expectFrames(doc);
    await expectAudio(doc);
    await expectFrames(pat);

    // The media path is the pair: the patient's only way out.
    const t0 = Date.now();
    const timeline: { s: number; phase: string; patient: Awaited<ReturnType<typeof flow>>; doctor: Awaited<ReturnType<typeof flow>>; doctorFrames: number }[] = [];
    const note = async (phase: string) => {
      fs.writeFileSync(path.join(ARTIFACTS, 'bandwidth-timeline.json'), JSON.stringify(timeline));
      timeline.push({ s: Math.round((Date.now() - t0) / 100) / 10, phase, patient: await flow(pat), doctor: await flow(doc), doctorFrames: await frames(doc) });
      return timeline.at(-1)!;
    };
    // Unconstrained, the encoder starts small and ramps up (WebRTC's congestion control probes the link) until nothing limits it.
    await expect
      .poll(async () => {
        const n = await note('open');
        return n.patient.limit === 'none' && n.patient.sendWidth >= 960;
      }, { timeout: 90_000, intervals: [1000] })
      .toBe(true);
    const wide = (await note('open')).patient.sendWidth;

    net.narrow(NARROW);
    const narrowedAt = Date.now();
    // The encoder says the link limits it, and sends a smaller picture.
    await expect
      .poll(async () => {
        const n = await note('narrow');
        return n.patient.limit === 'bandwidth' && n.patient.sendWidth < wide;
      }, { timeout: 60_000, intervals: [1000] })
      .toBe(true);
    const adapted = { afterS: Math.round((Date.now() - narrowedAt) / 100) / 10, ...(await note('narrow')).patient };
    // The call goes on: the doctor keeps decoding the patient's picture and hearing them.
    const [f0, a0] = [await frames(doc), await audio(doc)];
    await pat.waitForTimeout(10_000);
    const [f1, a1] = [await frames(doc), await audio(doc)];
    expect(f1 - f0, 'frames the doctor decoded in 10 s of the narrow link').toBeGreaterThan(30);
    expect(a1 - a0, 'audio packets the doctor received in 10 s of the narrow link').toBeGreaterThan(200);
    await expect(doc.getByTestId('call-view')).toHaveAttribute('data-media', 'connected');
    // The doctor decodes the smaller picture.
    await expect.poll(async () => (await note('narrow')).doctor.recvWidth, { timeout: 20_000 }).toBeLessThan(wide);

    // What the patient sees: the badge says it, a tap explains.
    const badge = pat.getByTestId('quality');
    await expect(badge.getByRole('button')).toContainText('Ihr Bild verkleinert', { timeout: 20_000 });
    await badge.getByRole('button').tap();
    await expect(pat.getByTestId('quality-sending')).toContainText('Ihre Verbindung reicht gerade nicht für die volle Bildqualität');
    await pat.screenshot({ path: path.join(ARTIFACTS, 'screenshots', 'call-patient-narrow-uplink-handy.png') });
    await doc.screenshot({ path: path.join(ARTIFACTS, 'screenshots', 'call-doctor-narrow-uplink.png') });
    const narrowest = Math.min(...timeline.filter((x) => x.phase === 'narrow').map((x) => x.patient.sendWidth).filter((w) => w > 0));

    // Wider again: the picture grows back by itself.
    net.narrow(null);
    const widenedAt = Date.now();
    await expect.poll(async () => (await note('widened')).patient.sendWidth, { timeout: 90_000, intervals: [1000] }).toBeGreaterThan(narrowest);
    const recovered = { afterS: Math.round((Date.now() - widenedAt) / 100) / 10, ...(await note('widened')).patient };

    fs.writeFileSync(path.join(ARTIFACTS, 'bandwidth.json'), JSON.stringify({ uplink: NARROW, wide, adapted, narrowest, recovered, timeline }, null, 2));
    await pat.getByTestId('hang-up').click();
    await expect(pat.getByTestId('join-ended')).toBeVisible();
  });
});
