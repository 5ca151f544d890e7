// npm run bench:conference — how long until everyone sees everyone in a
// three-party mesh conference against a 1:1 conference in the same run, and
// the CPU each participant's browser spends once they do; writes the
// "Conferences" section of docs/PERFORMANCE.md.
//
// Needs the production build (`npm run build`) and PostgreSQL on
// 127.0.0.1:5432 (trust auth, or KONSIL_TEST_PG). Starts its own `next start`
// on a free port against a fresh database, which it drops afterwards.
//
// Every participant is a real Chromium page running the app's UI (the
// ConferenceRoom) with the suite's fake camera and microphone, and every
// participant has a Chromium of its own, so its processes can be told apart:
// the host (the organisation's admin, at /app/konferenzen/<id> after the
// device check) and one or two guests by link (/join#code: name, consent,
// lobby). Conferences are made through the API as the browser's form makes
// them (record sealed under the organisation key, guests' key wraps).
//
// Each round makes two fresh conferences:
// (a) 1:1 — the guest waits in the lobby, the host clicks "Einlassen";
//     measured from that click (a capture-phase listener in the host's page)
//     until both pages have decoded a first video frame from the other.
// (b) Three-party mesh — two guests wait; the host admits the first, and once
//     host and first guest see each other, the second; measured from that
//     last click until every page has decoded frames from both others.
// "Decoded a frame from a peer" is getStats() of each of the page's
// RTCPeerConnections (instrumented before the app's scripts run) polled
// every ~5 ms until its inbound video framesDecoded > 0. Times of different
// pages are mapped to the system clock as in bench-join.
//
// CPU: once everyone sees everyone (and 3 s to settle), utime+stime from
// /proc/<pid>/stat of every process of each participant's Chromium (browser,
// renderers, GPU, utility processes), and of the `next start` server, over a
// 20 s window: CPU seconds per second (1.0 = one core busy).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { webcrypto } from 'node:crypto';
import { chromium, expect, request as pwRequest, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import { anyFreePort, createDatabase, machineInfo, median, percentile, startApp, logProblems, writePerformanceSection } from './lib/app-server';
import { registerOrgViaApi } from './lib/register';
import { holdDevice } from '../e2e/fixtures/browser-device';
import { newConferenceKey, newGuest, sealConferenceRecord, type ConferenceRecord } from '@/lib/protocol/conference';
import type { OrgKey } from '@/lib/crypto/types';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
const CPU_WINDOW_S = Number(process.env.BENCH_CPU_WINDOW_S ?? 20);
const SETTLE_MS = 3000;
const T = 90_000; // per-step timeout: three browsers with camera on two slow cores
const CLK_TCK = 100; // Linux USER_HZ (getconf CLK_TCK)
const VIEWPORT = { width: 1280, height: 800 };

// Runs in every page before its own scripts: records each RTCPeerConnection
// the app makes, offers a watcher that resolves once `n` of the page's open
// connections have decoded video, and a clock offset to the system clock.
const INIT = () => {
  const w = window as unknown as Record<string, unknown>;
  const now = () => performance.timeOrigin + performance.now();
  type Rec = { pc: RTCPeerConnection; created: number; first: number | null };
  const pcs: Rec[] = [];
  w.__pcs = pcs;
  const Orig = window.RTCPeerConnection;
  class Recorded extends Orig {
    constructor(cfg?: RTCConfiguration) {
      super(cfg);
      pcs.push({ pc: this as RTCPeerConnection, created: now(), first: null });
    }
  }
  window.RTCPeerConnection = Recorded as typeof RTCPeerConnection;
  w.__seeing = (n: number) =>
    new Promise<{ at: number; firsts: number[] }>((resolve) => {
      const tick = async () => {
        for (const r of pcs) {
          if (r.first !== null || r.pc.connectionState === 'closed') continue;
          const report = await r.pc.getStats();
          for (const s of report.values()) {
            if (s.type === 'inbound-rtp' && s.kind === 'video' && Number(s.framesDecoded ?? 0) > 0) {
              r.first = now();
              break;
            }
          }
        }
        const seen = pcs.filter((r) => r.first !== null && r.pc.connectionState !== 'closed');
        if (seen.length >= n) {
          const firsts = seen.map((r) => r.first!).sort((a, b) => a - b);
          return resolve({ at: firsts[firsts.length - 1]!, firsts });
        }
        setTimeout(() => void tick(), 5);
      };
      void tick();
    });
  w.__clockOffset = () => {
    const samples: number[] = [];
    let last = Date.now();
    for (let i = 0; i < 7; i++) {
      let d = Date.now();
      while (d === last) d = Date.now();
      const hr = now();
      last = d;
      samples.push(d - hr);
    }
    samples.sort((a, b) => a - b);
    return samples[3];
  };
  // The host's clicks on "Einlassen": the last one is the start of a measurement.
  document.addEventListener(
    'click',
    (e) => {
      if ((e.target as Element | null)?.closest?.('[data-testid="admit"]')) w.__t0 = now();
    },
    true,
  );
};

// tsx compiles with esbuild's keepNames, so functions handed to the browser
// call a module-level __name(); each page gets a no-op one first.
const KEEP_NAMES_SHIM = 'globalThis.__name = (f) => f;';

async function newInstrumentedContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const ctx = await browser.newContext({ baseURL, locale: 'de-DE', timezoneId: 'Europe/Berlin', viewport: VIEWPORT });
  ctx.setDefaultTimeout(T);
  await ctx.addInitScript(KEEP_NAMES_SHIM);
  await ctx.addInitScript(INIT);
  return ctx;
}

// ---------------------------------------------------------------------------
// Processes and CPU from /proc

type ProcStat = { pid: number; ppid: number; ticks: number };

function readStat(pid: number): ProcStat | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may hold spaces and parentheses: the fields after the last ')'.
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null;
  }
}

function allStats(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const s = readStat(Number(d));
    if (s) out.push(s);
  }
  return out;
}

/** root and all its descendants with their CPU ticks so far. */
function treeTicks(root: number, stats = allStats()): Map<number, number> {
  const kids = new Map<number, ProcStat[]>();
  for (const s of stats) kids.set(s.ppid, [...(kids.get(s.ppid) ?? []), s]);
  const out = new Map<number, number>();
  const self = stats.find((s) => s.pid === root);
  if (!self) return out;
  const queue = [self];
  while (queue.length) {
    const s = queue.shift()!;
    out.set(s.pid, s.ticks);
    queue.push(...(kids.get(s.pid) ?? []));
  }
  return out;
}

/** Chromium's process kind from its command line: browser, renderer, gpu-process, utility, zygote… */
function procKind(pid: number): string {
  try {
    // Child processes rewrite their command line into one space-separated string.
    const t = /(?:^|[\0 ])--type=([^\0 ]+)/.exec(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    if (!t) return 'browser';
    return t[1] === 'gpu-process' ? 'gpu' : t[1]!;
  } catch {
    return 'gone';
  }
}

/** Machine-wide busy and total jiffies from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: total - idle, total };
}

type CpuSample = { total: number; byKind: Record<string, number> };

/** CPU seconds per second of each root's process tree over `seconds`. */
async function cpuWindow(roots: Record<string, number>, seconds: number): Promise<{ per: Record<string, CpuSample>; machineBusy: number }> {
  const before = Object.fromEntries(Object.entries(roots).map(([k, pid]) => [k, treeTicks(pid)]));
  const m0 = machineTicks();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const stats = allStats();
  const el = (performance.now() - t0) / 1000;
  const m1 = machineTicks();
  const per: Record<string, CpuSample> = {};
  for (const [k, pid] of Object.entries(roots)) {
    const after = treeTicks(pid, stats);
    const byKind: Record<string, number> = {};
    let total = 0;
    for (const [p, ticks] of after) {
      const d = (ticks - (before[k]!.get(p) ?? 0)) / CLK_TCK / el;
      total += d;
      const kind = procKind(p);
      byKind[kind] = (byKind[kind] ?? 0) + d;
    }
    per[k] = { total, byKind };
  }
  return { per, machineBusy: ((m1.busy - m0.busy) / (m1.total - m0.total)) * os.cpus().length };
}

/** Launches a Chromium of its own for one participant; its browser process is the one new child of this process. */
async function launchParticipant(): Promise<{ browser: Browser; pid: number }> {
  const mine = () => new Set(allStats().filter((s) => s.ppid === process.pid).map((s) => s.pid));
  const before = mine();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const fresh = [...mine()].filter((p) => !before.has(p) && procKind(p) === 'browser');
  if (fresh.length !== 1) throw new Error(`cannot tell this Chromium's browser process (${fresh.length} candidates)`);
  return { browser, pid: fresh[0]! };
}

// ---------------------------------------------------------------------------
// The app

type Account = Awaited<ReturnType<typeof registerOrgViaApi>>;

/** POST /api/conferences as the form does (now, 240 min), with guests by link; returns the id and the guests' links. */
async function createConference(req: APIRequestContext, base: string, account: Account, guestNames: string[]) {
  const id = webcrypto.randomUUID();
  const key = newConferenceKey();
  const made = await Promise.all(guestNames.map((n) => newGuest(id, n, key)));
  const record: ConferenceRecord = { title: `Messung ${id.slice(0, 8)}`, note: '', guests: made.map((m) => m.guest), key };
  const res = await req.post('/api/conferences', {
    data: {
      id,
      startsAt: new Date().toISOString(),
      durationMin: 240,
      recordEnc: sealConferenceRecord(account.orgKey as OrgKey, account.orgId, id, record),
      memberIds: [],
      guests: made.map((m) => m.wire),
    },
  });
  if (res.status() !== 200) throw new Error(`POST /api/conferences: HTTP ${res.status()} ${await res.text()}`);
  return { id, guests: made.map((m) => ({ name: m.guest.name, link: `${base}/join#${m.guest.code}` })) };
}

/** The host, unlocked on the conference list, opens the conference there (a client-side navigation: the tab keeps its keys), passes the device check and enters the room. */
async function hostEnters(page: Page, id: string) {
  await page.locator('a[href="/app/konferenzen"]').first().click();
  await page.locator(`[data-testid="join-conference"][href="/app/konferenzen/${id}"]`).click({ timeout: T });
  await expect(page.getByTestId('preview-video')).toBeVisible({ timeout: T });
  await page.getByTestId('enter-conference').click({ timeout: T });
  await expect(page.getByTestId('conference-room')).toBeVisible({ timeout: T });
  await selfVideoPlays(page);
}

/** A guest opens the link, gives a name and consent after the device check, and waits in the lobby. */
async function guestWaits(page: Page, link: string, name: string) {
  await page.goto(link);
  await expect(page.getByTestId('practice-name')).toBeVisible({ timeout: T });
  await page.getByLabel('Ihr Name').fill(name);
  await expect(page.getByTestId('preview-video')).toBeVisible({ timeout: T });
  await page.getByLabel('Ich nehme an der Videokonferenz teil und zeichne sie nicht auf.').check();
  await page.getByTestId('enter').click();
  await expect(page.getByTestId('conference-lobby')).toHaveAttribute('data-phase', 'lobby', { timeout: T });
  await selfVideoPlays(page);
}

/** The own camera picture plays (the fake camera is on before anyone is admitted). */
async function selfVideoPlays(page: Page) {
  await expect.poll(() => page.getByTestId('tile-self').locator('video').evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: T }).toBeGreaterThan(0);
}

const evalFn = <R>(page: Page, name: string, arg?: unknown) =>
  page.evaluate(([n, a]) => (window as unknown as Record<string, (x: unknown) => R>)[n as string]!(a), [name, arg] as const);

/** Each page's tiles show the others connected and decoding (the app's own once-a-second statistics). */
async function expectTiles(pages: { page: Page; others: string[] }[]) {
  for (const { page, others } of pages) {
    await expect(page.getByTestId('tile-peer')).toHaveCount(others.length, { timeout: T });
    for (const name of others) {
      const tile = page.locator(`[data-testid="tile-peer"][data-name="${name}"]`);
      await expect(tile).toHaveAttribute('data-media', 'connected', { timeout: T });
      await expect.poll(async () => Number(await tile.getAttribute('data-frames')), { timeout: T }).toBeGreaterThan(0);
    }
    await expect(page.getByTestId('signal-rejected')).toHaveCount(0);
  }
}

function withTimeout<X>(p: Promise<X>, ms: number, what: string): Promise<X> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<X>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

type Seen = { at: number; firsts: number[] };

/** Admits `name` and waits until each page has decoded video from `n[i]` connections; times on the system clock. */
async function admitAndWait(host: Page, pages: Page[], n: number[], name: string) {
  await expect(host.locator(`[data-testid="lobby-entry"][data-name="${name}"]`)).toBeVisible({ timeout: T });
  const offsets = await Promise.all(pages.map((p) => evalFn<number>(p, '__clockOffset')));
  const seeing = pages.map((p, i) => evalFn<Seen>(p, '__seeing', n[i]));
  await host.locator(`[data-testid="lobby-entry"][data-name="${name}"]`).getByTestId('admit').click();
  const seen = await withTimeout(Promise.all(seeing), T, `not everyone decoding video after admitting ${name}`).catch(async (e: unknown) => {
    // Which connections never came up, page by page (host first), to tell a slow machine from a lost offer.
    const states = await Promise.all(
      pages.map((p) => p.evaluate(() => (window as unknown as { __pcs: { pc: RTCPeerConnection }[] }).__pcs.map((r) => `${r.pc.connectionState}/${r.pc.signalingState}`)).catch(() => ['?'])),
    );
    throw new Error(`${e instanceof Error ? e.message : String(e)}; connections per page, host first: ${states.map((x) => `[${x.join(', ')}]`).join(' ')}`);
  });
  const t0 = (await host.evaluate(() => (window as unknown as { __t0: number }).__t0)) + offsets[0]!;
  return { t0, at: seen.map((s, i) => s.at + offsets[i]!), skew: Math.max(...offsets) - Math.min(...offsets) };
}

type Participant = { browser: Browser; pid: number };
type Media = { width: number; height: number; codec: string; sendFps: number; recvFps: number; streams: number };
type Round = { ms: number; perPage: number[]; skew: number; cpu?: Awaited<ReturnType<typeof cpuWindow>>; media?: Media };

/** What the page sends and decodes (getStats): size and codec of its first outgoing video, frames per second encoded and decoded summed over all its connections. */
function mediaInfo(page: Page): Promise<Media> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __pcs: { pc: RTCPeerConnection }[] }).__pcs.filter((r) => r.pc.connectionState === 'connected');
    const out: Media = { width: 0, height: 0, codec: '?', sendFps: 0, recvFps: 0, streams: pcs.length };
    for (const { pc } of pcs) {
      const report = await pc.getStats();
      for (const s of report.values()) {
        if (s.type === 'outbound-rtp' && s.kind === 'video') {
          if (!out.width) {
            out.width = Number(s.frameWidth ?? 0);
            out.height = Number(s.frameHeight ?? 0);
            out.codec = String(report.get(s.codecId)?.mimeType ?? '?');
          }
          out.sendFps += Number(s.framesPerSecond ?? 0);
        }
        if (s.type === 'inbound-rtp' && s.kind === 'video') out.recvFps += Number(s.framesPerSecond ?? 0);
      }
    }
    return out;
  });
}

type Conf = Awaited<ReturnType<typeof createConference>>;

async function conference(
  kind: '1:1' | 'mesh',
  conf: Conf,
  ctx: { base: string; req: APIRequestContext; host: Page; hostP: Participant; guestsP: Participant[]; serverPid: number; measureCpu: boolean },
): Promise<Round> {
  const names = conf.guests.map((g) => g.name);
  const gctx = await Promise.all(names.map((_, i) => newInstrumentedContext(ctx.guestsP[i]!.browser, ctx.base)));
  try {
    const guests = await Promise.all(gctx.map((c) => c.newPage()));
    await hostEnters(ctx.host, conf.id);
    await Promise.all(guests.map((g, i) => guestWaits(g, conf.guests[i]!.link, names[i]!)));
    let r: Awaited<ReturnType<typeof admitAndWait>>;
    if (kind === '1:1') {
      r = await admitAndWait(ctx.host, [ctx.host, guests[0]!], [1, 1], names[0]!);
    } else {
      await admitAndWait(ctx.host, [ctx.host, guests[0]!], [1, 1], names[0]!);
      r = await admitAndWait(ctx.host, [ctx.host, guests[0]!, guests[1]!], [2, 2, 2], names[1]!);
    }
    const all = [ctx.host, ...guests];
    const everyone = ['admin', ...names];
    const round: Round = { ms: Math.max(...r.at) - r.t0, perPage: r.at.map((a) => a - r.t0), skew: r.skew };
    if (ctx.measureCpu) {
      await new Promise((res) => setTimeout(res, SETTLE_MS));
      const roots: Record<string, number> = { host: ctx.hostP.pid, server: ctx.serverPid };
      guests.forEach((_, i) => (roots[`guest${i + 1}`] = ctx.guestsP[i]!.pid));
      round.cpu = await cpuWindow(roots, CPU_WINDOW_S);
      round.media = await mediaInfo(ctx.host);
    }
    // The app itself shows everyone connected and decoding, on every page.
    await expectTiles(all.map((page, i) => ({ page, others: everyone.filter((_, j) => j !== i) })));
    return round;
  } finally {
    await ctx.req.post(`/api/conferences/${conf.id}/end`, { data: {} }).catch(() => {});
    await expect(ctx.host.getByTestId('conference-over')).toBeVisible({ timeout: T }).catch(() => {});
    await Promise.all(gctx.map((c) => c.close()));
  }
}

type Stats = { median: number; p90: number; min: number; max: number };
const stats = (xs: number[]): Stats => {
  const s = [...xs].sort((x, y) => x - y);
  return { median: median(s), p90: percentile(s, 90), min: s[0]!, max: s[s.length - 1]! };
};

async function main() {
  const root = process.cwd();
  const loadStart = os.loadavg();
  const db = await createDatabase('konsil_bench_conference');
  // The e2e fixture confirms the organisation's e-mail from the outbox in this database.
  process.env.DATABASE_URL = db.url;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'konsil-bench-conference-'));
  const logFile = path.join(os.tmpdir(), `konsil-bench-conference-${Date.now()}.log`);
  let ok = false;
  const port = await anyFreePort();
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  const participants: Participant[] = [];
  let req: APIRequestContext | undefined;
  try {
    console.log(`load average at start ${loadStart.map((x) => x.toFixed(2)).join(' / ')}; database ${db.name}; server log ${logFile}`);
    app = await startApp({
      port,
      logFile,
      label: 'bench:conference',
      env: {
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        AUTH_SECRET: `bench-${Math.random().toString(36).slice(2)}-0123456789abcdefghijklmnop`,
        APP_URL: `http://127.0.0.1:${port}`,
        KONSIL_DATA_DIR: dataDir,
        KONSIL_OUTBOX_WORKER: 'off',
      },
    });
    req = await pwRequest.newContext({ baseURL: app.url });
    const account = await registerOrgViaApi(req, { plan: 'plus', prefix: 'konfbench', orgName: 'Praxis Messung' });
    for (let i = 0; i < 3; i++) participants.push(await launchParticipant());
    const [hostP, g1, g2] = participants as [Participant, Participant, Participant];
    const base = app.url;
    const version = hostP.browser.version();
    // All conferences are made now, while the session is unlocked: a tab without its keys locks the
    // session (components/app/key-gate.tsx), and the host's tab then keeps its keys for the whole run.
    const confs: Record<'1:1' | 'mesh', Conf>[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      confs.push({
        '1:1': await createConference(req, base, account, [`Gast ${i + 1}`]),
        mesh: await createConference(req, base, account, [`Gast A ${i + 1}`, `Gast B ${i + 1}`]),
      });
    }
    // The host's browser keeps its context (session cookie, device key) and its unlocked tab across rounds; guests get a fresh context per conference.
    const hctx = await newInstrumentedContext(hostP.browser, base);
    await hctx.addCookies((await req.storageState()).cookies);
    const host = await hctx.newPage();
    await host.goto('/app');
    await holdDevice(host, { orgShortName: account.orgShortName, userShortName: 'admin' });
    await host.goto('/app/konferenzen');
    await host.getByLabel('Passwort').fill(account.password);
    const unlock = host.getByRole('button', { name: /entsperren/i });
    await unlock.click();
    await unlock.waitFor({ state: 'detached', timeout: T });

    const one: Round[] = [];
    const mesh: Round[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const warm = i < WARMUP;
      const common = { base, req, host, hostP, guestsP: [g1, g2], serverPid: app.pid, measureCpu: !warm };
      // Alternating order between rounds, so drift in the machine's load hits both alike.
      const order: ('1:1' | 'mesh')[] = i % 2 ? ['mesh', '1:1'] : ['1:1', 'mesh'];
      const got: Partial<Record<'1:1' | 'mesh', Round>> = {};
      for (const k of order) got[k] = await conference(k, confs[i]![k], common);
      const a = got['1:1']!;
      const b = got.mesh!;
      const cpu = (r: Round) => (r.cpu ? ` CPU ${Object.entries(r.cpu.per).map(([k, v]) => `${k} ${v.total.toFixed(2)}`).join(', ')}; machine ${r.cpu.machineBusy.toFixed(2)}` : '');
      console.log(
        `#${i + 1}${warm ? ' (warm-up)' : ''}: 1:1 ${Math.round(a.ms)} ms [${a.perPage.map(Math.round).join(', ')}]${cpu(a)} | mesh ${Math.round(b.ms)} ms [${b.perPage.map(Math.round).join(', ')}]${cpu(b)} | load ${os.loadavg()[0]!.toFixed(2)}`,
      );
      if (!warm) {
        one.push(a);
        mesh.push(b);
      }
    }
    await hctx.close();
    const loadEnd = os.loadavg();
    console.log(`load average at end ${loadEnd.map((x) => x.toFixed(2)).join(' / ')}`);

    const A = stats(one.map((r) => r.ms));
    const B = stats(mesh.map((r) => r.ms));
    const joiner = stats(mesh.map((r) => r.perPage[2]!));
    const present = stats(mesh.map((r) => Math.max(r.perPage[0]!, r.perPage[1]!)));
    const f = (x: number) => `${Math.round(x)} ms`;
    const row = (name: string, s: Stats) => `| ${name} | ${f(s.median)} | ${f(s.p90)} | ${f(s.min)} | ${f(s.max)} |`;
    const ratio = B.median / A.median;
    const ratioP90 = B.p90 / A.p90;
    const cpuMed = (rs: Round[], who: string, kind?: string) => median(rs.map((r) => (kind ? (r.cpu!.per[who]!.byKind[kind] ?? 0) : r.cpu!.per[who]!.total)));
    const c2 = (x: number) => x.toFixed(2);
    const kinds = ['browser', 'renderer', 'gpu', 'utility', 'zygote'];
    const cpuRow = (label: string, rs: Round[], who: string) =>
      `| ${label} | **${c2(cpuMed(rs, who))}** | ${kinds.map((k) => c2(cpuMed(rs, who, k))).join(' | ')} |`;
    const meshPer = median(mesh.map((r) => (r.cpu!.per.host!.total + r.cpu!.per.guest1!.total + r.cpu!.per.guest2!.total) / 3));
    const onePer = median(one.map((r) => (r.cpu!.per.host!.total + r.cpu!.per.guest1!.total) / 2));
    const machineMesh = median(mesh.map((r) => r.cpu!.machineBusy));
    const machineOne = median(one.map((r) => r.cpu!.machineBusy));
    const cores = os.cpus().length;
    const mediaLine = (rs: Round[]) => {
      const ms = rs.map((r) => r.media!).filter(Boolean);
      const last = ms[ms.length - 1];
      return last
        ? `${last.width}×${last.height} ${last.codec}, ${median(ms.map((m) => m.sendFps / m.streams)).toFixed(0)} fps encoded and ${median(ms.map((m) => m.recvFps / m.streams)).toFixed(0)} fps decoded per peer`
        : 'n/a';
    };
    // Work per participant: one encoder and one decoder per peer. CPU per video frame encoded or decoded (host's browser), and what four
    // participants at the 1:1's frame rates would take: three peers, each encoded to and decoded from.
    const perFrame = (rs: Round[]) => median(rs.map((r) => r.cpu!.per.host!.total / Math.max(1, r.media!.sendFps + r.media!.recvFps)));
    const oneFps = median(one.map((r) => (r.media!.sendFps + r.media!.recvFps) / r.media!.streams));
    const fourLow = Math.min(perFrame(one), perFrame(mesh)) * 3 * oneFps;
    const fourHigh = Math.max(perFrame(one), perFrame(mesh)) * 3 * oneFps;
    const saturated = Math.max(machineOne, machineMesh) >= 0.9 * cores;
    const machine = await machineInfo();
    const skews = [...one, ...mesh].map((r) => r.skew);
    let body = [
      `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}; Chromium ${version}, headless, the suite's flags (fake camera and microphone, loopback ICE allowed, no GPU), one Chromium per participant; \`next start\` (production build) on PostgreSQL on the same machine. **The machine is shared:** other work ran during the measurement — 1-minute load average ${loadStart[0]!.toFixed(2)} at the start and ${loadEnd[0]!.toFixed(2)} at the end (5-minute ${loadStart[1]!.toFixed(2)} / ${loadEnd[1]!.toFixed(2)}) on ${cores} cores, so times and CPU figures are those of a busy machine. ${RUNS} rounds, each with a fresh 1:1 conference and a fresh three-party conference (order alternating), after ${WARMUP} warm-up round${WARMUP === 1 ? '' : 's'} that ${WARMUP === 1 ? 'is' : 'are'} not counted. No goal is set; these are for reference.`,
      '',
      '**Method.** Conferences are made through the API as the form makes them (record sealed under the organisation key, guests\' wrapped keys); every participant is a real page of the app with its own Chromium: the host (the organisation\'s admin), whose tab is unlocked once, opens each conference from the list (`/app/konferenzen` → `/app/konferenzen/<id>`), passes the device check and enters the room; guests open their link `/join#code`, give a name and consent after the device check and wait in the lobby. Everyone\'s own camera picture plays before the clock starts. *1:1*: host and one guest; from the host\'s click on "Einlassen" (a capture-phase click listener) until both pages have decoded a first video frame from the other. *Three-party mesh*: two guests wait; the host admits the first and, once host and first guest see each other, the second; from that last click until every page has decoded frames from both others ("everyone sees everyone") — two new connections (host ↔ new guest, first guest ↔ new guest) built at the same time, signalled through the server relay (sealed envelopes, POST /api/conferences/room/signal → PostgreSQL NOTIFY → Server-Sent Events). Decoded frames: `getStats()` of each of the page\'s RTCPeerConnections polled every ~5 ms until inbound video `framesDecoded` > 0; pages\' clocks mapped to the system clock at millisecond edges (largest correction ' +
        `${Math.max(...skews).toFixed(2)} ms). Afterwards every page's tiles are checked to show each other participant connected and decoding (\`data-media\`, \`data-frames\`).`,
      '',
      '| until everyone sees everyone | median | p90 | min | max |',
      '| --- | --- | --- | --- | --- |',
      row('1:1: "Einlassen" → both pages decode the other', A),
      row('three-party: last "Einlassen" → all three decode both others', B),
      row('… of that: the new guest decodes both others', joiner),
      row('… of that: host and first guest decode the new guest', present),
      '',
      `Ratio three-party / 1:1: **${ratio.toFixed(2)}×** (median), ${ratioP90.toFixed(2)}× (p90).`,
      '',
      `**CPU per participant**, once everyone sees everyone (after ${SETTLE_MS / 1000} s to settle): CPU seconds per second (1.00 = one core fully busy) of all processes of each participant's Chromium, from utime+stime in \`/proc/<pid>/stat\` over a ${CPU_WINDOW_S} s window; median over the rounds. Each participant sends its fake camera and microphone to every other and decodes theirs; without a GPU, video is encoded and decoded in software. What the host sent and decoded in the three-party windows (getStats, median): ${mediaLine(mesh)}; in the 1:1: ${mediaLine(one)}.`,
      '',
      ...(saturated
        ? [
            `The whole machine was saturated during the windows (median ${c2(machineOne)} / ${c2(machineMesh)} of ${cores} cores busy with all work, the bench's and others'), so the browsers got less CPU than they would have taken: these figures are lower bounds, and the frame rates above show what the shortage cost.`,
            '',
          ]
        : []),
      `| who | total | browser | renderer | GPU | utility (network, audio…) | zygote |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      cpuRow('1:1 — host', one, 'host'),
      cpuRow('1:1 — guest', one, 'guest1'),
      cpuRow('three-party — host', mesh, 'host'),
      cpuRow('three-party — first guest', mesh, 'guest1'),
      cpuRow('three-party — new guest', mesh, 'guest2'),
      '',
      `| in the same windows | 1:1 | three-party |`,
      '| --- | ---: | ---: |',
      `| mean per participant | ${c2(onePer)} | ${c2(meshPer)} |`,
      `| server (\`next start\`, relay idle once connected) | ${c2(median(one.map((r) => r.cpu!.per.server!.total)))} | ${c2(median(mesh.map((r) => r.cpu!.per.server!.total)))} |`,
      `| whole machine, all work (of ${cores} cores) | ${c2(machineOne)} | ${c2(machineMesh)} |`,
      '',
      `**What it means for four participants** (the mesh limit, \`MESH_MAX_PARTICIPANTS\`): each participant keeps one connection to every other, so it encodes its picture once per peer and decodes one picture per peer — with four, three of each. Per participant, CPU went from ${c2(onePer)} (1:1) to ${c2(meshPer)} (three-party)${saturated ? ' — on full cores, where the three-party conference could not take more and spent what it got on fewer frames (see the frame rates above)' : ''}. Per video frame encoded or decoded, the host's browser spent ${(perFrame(one) * 1000).toFixed(1)} ms of CPU in the 1:1 and ${(perFrame(mesh) * 1000).toFixed(1)} ms in the three-party conference; at the 1:1's frame rates, four participants would need about ${c2(fourLow)}–${c2(fourHigh)} CPU s/s each (three times the 1:1's frames; audio, rendering and the page counted into the cost per frame, so a rough estimate), ${c2(fourLow * 4)}–${c2(fourHigh * 4)} for four browsers on one machine like this ${cores}-core one${fourLow * 4 > cores ? ' — more than it has' : ''}. On a participant's own computer that is ${fourHigh > 1 ? 'more than a full core of this machine: without hardware video encoding, expect lower frame rates or resolution' : 'within one core of this machine'}. Joining: the third participant saw and was seen by everyone ${ratio.toFixed(2)}× as long after being let in as the guest of a 1:1; here three browsers share the ${cores} busy cores (two in the 1:1), so much of it is CPU contention, and each browser posts its signalling messages in one queue per peer, so the connections are set up side by side; a fourth participant sets up three at once that way. The server only relays signalling: once everyone is connected, its CPU is heartbeats and the odd media-state message, and the media never pass it.`,
    ].join('\n');
    const problems = logProblems(logFile);
    if (problems.length) console.log(`server log: ${problems.length} error/warning lines, e.g.\n  ${problems.slice(0, 5).join('\n  ')}`);
    body += `\n\nServer log during the run: ${problems.length ? `${problems.length} error/warning lines (first: \`${problems[0]!.trim().slice(0, 120)}\`)` : 'no errors or warnings'}.`;
    const file = writePerformanceSection('## Conferences (`npm run bench:conference`)', body);
    console.log(`\n${body}\n\nwritten to ${path.relative(root, file)}`);
    ok = true;
  } finally {
    await req?.dispose();
    for (const p of participants) await p.browser.close().catch(() => {});
    await app?.stop();
    await db.drop().catch((e) => console.error('could not drop', db.name, e));
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (ok) fs.rmSync(logFile, { force: true });
    else console.error(`server log kept: ${logFile}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
