// npm run bench:join — how long after "Hereinbitten" the patient sees the
// doctor, compared with a bare WebRTC call in the same browser; writes the
// "Join time" section of docs/PERFORMANCE.md.
//
// Needs the production build (`npm run build`) and PostgreSQL on
// 127.0.0.1:5432 (trust auth, or KONSIL_TEST_PG). Starts its own `next start`
// on a free port against a fresh database, which it drops afterwards.
//
// (a) Konsil: the doctor hosts at /join with the doctor code, the patient
//     waits at /join#code; measured from the admit click (a capture-phase
//     click listener in the doctor's page) to the first decoded video frame
//     of the patient's RTCPeerConnection. That includes POST /api/calls/admit,
//     the sealed offer, answer and candidates through the server relay
//     (POST /api/calls/signal → PostgreSQL NOTIFY → SSE), ICE, DTLS and the
//     first key frame.
// (b) Bare: two pages, RTCPeerConnection with the same fake media (and the
//     device check's constraints), same Chromium flags and no ICE servers;
//     offer, answer and candidates are handed from page to page by Playwright.
//     Measured from the start (before the first RTCPeerConnection exists) to
//     the answering page's first decoded frame. The goal compares (a) to this.
// (c) One page: both RTCPeerConnections in one page, messages handed over in
//     the same script — no signalling delay; a lower bound for reference.
//
// "First decoded frame" is detected the same way in all: getStats() polled
// every ~2 ms until the inbound video framesDecoded > 0. The two events of
// one measurement happen in two pages (two renderer processes), so each page
// converts its high-resolution time (performance.timeOrigin + now()) to the
// system clock with an offset measured against Date.now() at a millisecond
// edge, right before the run; the skew this removes is reported.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, expect, request as pwRequest, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import { anyFreePort, createDatabase, machineInfo, median, percentile, startApp, logProblems, writePerformanceSection } from './lib/app-server';
import { createAppointmentViaApi } from './lib/appointments';
import { registerOrgViaApi } from './lib/register';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
const GOAL_RATIO = 1.5;
const T = 60_000; // per-step timeout: generous, the machine has two slow cores

// Times on the system clock (ms). The offerer is the doctor (Konsil) or the first page (bare);
// the answerer — the patient — creates its RTCPeerConnection when the offer arrives.
type Marks = {
  t0: number;
  offererPc: number | null;
  answerAtOfferer: number | null;
  offererConnected: number | null;
  pcCreated: number | null;
  connected: number | null;
  firstFrame: number;
  signals?: number;
};
type PcRec = { created: number; remote: number | null; connected: number | null };

// Runs in every page before its own scripts: records each RTCPeerConnection the
// page makes (the app's included) with the times it was created, got its remote
// description and connected, and offers a watcher for the first decoded video
// frame and a clock offset to the system clock.
const INIT = () => {
  const w = window as unknown as Record<string, unknown>;
  const now = () => performance.timeOrigin + performance.now();
  type Rec = { pc: RTCPeerConnection; created: number; remote: number | null; connected: number | null };
  const pcs: Rec[] = [];
  w.__pcs = pcs;
  const Orig = window.RTCPeerConnection;
  class Recorded extends Orig {
    constructor(cfg?: RTCConfiguration) {
      super(cfg);
      const rec: Rec = { pc: this as RTCPeerConnection, created: now(), remote: null, connected: null };
      pcs.push(rec);
      (this as unknown as { __rec: Rec }).__rec = rec;
      this.addEventListener('connectionstatechange', () => {
        if (this.connectionState === 'connected' && rec.connected === null) rec.connected = now();
      });
    }
    setRemoteDescription(d: RTCSessionDescriptionInit) {
      const rec = (this as unknown as { __rec?: Rec }).__rec;
      if (rec && rec.remote === null) rec.remote = now();
      return super.setRemoteDescription(d);
    }
  }
  window.RTCPeerConnection = Recorded as typeof RTCPeerConnection;
  // Resolves at the first decoded video frame of any of the page's connections (or only of the `only`-th).
  w.__firstFrame = (only?: number) =>
    new Promise<{ firstFrame: number; pcCreated: number | null; connected: number | null }>((resolve) => {
      const tick = async () => {
        for (const [k, r] of pcs.entries()) {
          if (r.pc.connectionState === 'closed' || (only !== undefined && k !== only)) continue;
          const report = await r.pc.getStats();
          for (const s of report.values()) {
            if (s.type === 'inbound-rtp' && s.kind === 'video' && Number(s.framesDecoded ?? 0) > 0) {
              return resolve({ firstFrame: now(), pcCreated: r.created, connected: r.connected });
            }
          }
        }
        setTimeout(tick, 2);
      };
      void tick();
    });
  // Offset from this page's high-resolution clock to the system clock, taken at millisecond edges of Date.now().
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
};

// tsx compiles with esbuild's keepNames, so functions handed to the browser
// call a module-level __name(); each page gets a no-op one first.
const KEEP_NAMES_SHIM = 'globalThis.__name = (f) => f;';

async function instrument(ctx: BrowserContext) {
  await ctx.addInitScript(KEEP_NAMES_SHIM);
  await ctx.addInitScript(INIT);
}

const evalFn = <R>(page: Page, name: string) => page.evaluate((n) => (window as unknown as Record<string, () => R>)[n]!(), name);

/** One Konsil join: fresh appointment, doctor by code, patient in the waiting room, admit. */
async function konsilJoin(
  browser: Browser,
  base: string,
  req: Awaited<ReturnType<typeof pwRequest.newContext>>,
  account: Awaited<ReturnType<typeof registerOrgViaApi>>,
  i: number,
): Promise<Marks & { skew: number }> {
  const appt = await createAppointmentViaApi(req, account, { patientName: `Bench Patient ${i}`, birthDate: '', phone: '', email: '', note: '' });
  const dctx = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });
  const pctx = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });
  try {
    await instrument(dctx);
    await instrument(pctx);
    const doc = await dctx.newPage();
    const pat = await pctx.newPage();
    await doc.goto(`${base}/join`);
    await doc.getByLabel('Zugangscode', { exact: true }).fill(appt.doctorCode);
    await doc.getByRole('button', { name: 'Weiter' }).click();
    await doc.getByTestId('enter').click({ timeout: T });
    await expect(doc.getByTestId('call-overlay')).toContainText('Noch niemand im Warteraum', { timeout: T });

    await pat.goto(`${base}/join#${appt.patientCode}`);
    await expect(pat.getByTestId('preview-video')).toBeVisible({ timeout: T });
    await pat.getByLabel(/Ich bin mit der Durchführung der Videosprechstunde einverstanden/).check();
    await pat.getByTestId('enter').click();
    await expect(pat.getByTestId('call-overlay')).toHaveText('Bitte warten Sie – Sie werden gleich hereingebeten', { timeout: T });
    await expect(doc.getByTestId('waiting-banner')).toBeVisible({ timeout: T });

    await doc.evaluate(() => {
      document.addEventListener(
        'click',
        (e) => {
          const w = window as unknown as { __t0?: number };
          if (w.__t0 === undefined && (e.target as Element | null)?.closest?.('[data-testid="admit"]')) w.__t0 = performance.timeOrigin + performance.now();
        },
        true,
      );
    });
    const docOffset = await evalFn<number>(doc, '__clockOffset');
    const patOffset = await evalFn<number>(pat, '__clockOffset');
    // Sealed signalling messages both browsers post until the first frame.
    let signals = 0;
    let counting = true;
    for (const p of [doc, pat]) p.on('request', (r) => void (counting && r.url().endsWith('/api/calls/signal') && signals++));
    const frame = evalFn<{ firstFrame: number; pcCreated: number | null; connected: number | null }>(pat, '__firstFrame');
    await doc.getByTestId('admit').click();
    const f = await withTimeout(frame, T, 'no decoded frame on the patient side');
    counting = false;
    const t0 = (await doc.evaluate(() => (window as unknown as { __t0: number }).__t0)) + docOffset;
    const off = await offererRec(doc);
    const docWall = (x: number | null | undefined) => (x == null ? null : x + docOffset);
    const toWall = (x: number | null) => (x === null ? null : x + patOffset);
    return {
      t0,
      offererPc: docWall(off?.created),
      answerAtOfferer: docWall(off?.remote),
      offererConnected: docWall(off?.connected),
      pcCreated: toWall(f.pcCreated),
      connected: toWall(f.connected),
      firstFrame: f.firstFrame + patOffset,
      signals,
      skew: patOffset - docOffset,
    };
  } finally {
    await dctx.close();
    await pctx.close();
  }
}

/** One bare call: offerer and answerer in two pages, messages handed over by Playwright. */
async function bareCall(browser: Browser, blank: string): Promise<Marks & { skew: number }> {
  const actx = await browser.newContext();
  const bctx = await browser.newContext();
  try {
    await instrument(actx);
    await instrument(bctx);
    const a = await actx.newPage();
    const b = await bctx.newPage();
    await a.exposeBinding('__toPeer', (_s, m: unknown) => b.evaluate((x) => (window as unknown as { __recv: (m: unknown) => void }).__recv(x), m));
    await b.exposeBinding('__toPeer', (_s, m: unknown) => a.evaluate((x) => (window as unknown as { __recv: (m: unknown) => void }).__recv(x), m));
    await a.goto(blank);
    await b.goto(blank);
    // Like the app's device check: both sides hold camera and microphone before the call.
    for (const p of [a, b]) {
      await p.evaluate(async () => {
        const w = window as unknown as Record<string, unknown>;
        // The constraints of the app's device check (components/video/device-check.tsx).
        const local = await navigator.mediaDevices.getUserMedia({
          video: { width: { ideal: 1280 }, height: { ideal: 720 } },
          audio: { echoCancellation: true, noiseSuppression: true },
        });
        // Like the call view: the own picture and the other side's, both playing.
        const self = document.createElement('video');
        self.muted = true;
        self.autoplay = true;
        self.playsInline = true;
        self.srcObject = local;
        const remote = document.createElement('video');
        remote.autoplay = true;
        remote.playsInline = true;
        document.body.append(remote, self);
        const remoteStream = new MediaStream();
        let pc: RTCPeerConnection | null = null;
        const pending: RTCIceCandidateInit[] = [];
        const send = (m: unknown) => void (w.__toPeer as (m: unknown) => Promise<void>)(m);
        const make = () => {
          pc = new RTCPeerConnection({ iceServers: [] });
          for (const t of local.getTracks()) pc.addTrack(t, local);
          pc.onicecandidate = (e) => send({ candidate: e.candidate ? e.candidate.toJSON() : null });
          pc.ontrack = (e) => {
            remoteStream.addTrack(e.track);
            if (remote.srcObject !== remoteStream) remote.srcObject = remoteStream;
          };
          return pc;
        };
        let chain = Promise.resolve();
        w.__recv = (m: { sdp?: RTCSessionDescriptionInit; candidate?: RTCIceCandidateInit | null }) => {
          chain = chain.then(async () => {
            if (m.sdp) {
              const c = pc ?? make();
              await c.setRemoteDescription(m.sdp);
              for (const x of pending.splice(0)) await c.addIceCandidate(x);
              if (m.sdp.type === 'offer') {
                await c.setLocalDescription(await c.createAnswer());
                send({ sdp: c.localDescription!.toJSON() });
              }
            } else if (m.candidate) {
              if (pc?.remoteDescription) await pc.addIceCandidate(m.candidate);
              else pending.push(m.candidate);
            }
          });
        };
        w.__start = async () => {
          const c = make();
          await c.setLocalDescription(await c.createOffer());
          send({ sdp: c.localDescription!.toJSON() });
        };
      });
    }
    const aOffset = await evalFn<number>(a, '__clockOffset');
    const bOffset = await evalFn<number>(b, '__clockOffset');
    const frame = evalFn<{ firstFrame: number; pcCreated: number | null; connected: number | null }>(b, '__firstFrame');
    const t0 = (await a.evaluate(() => {
      const t = performance.timeOrigin + performance.now();
      void (window as unknown as { __start: () => Promise<void> }).__start();
      return t;
    })) + aOffset;
    const f = await withTimeout(frame, T, 'no decoded frame in the bare call');
    const off = await offererRec(a);
    const aWall = (x: number | null | undefined) => (x == null ? null : x + aOffset);
    const toWall = (x: number | null) => (x === null ? null : x + bOffset);
    return {
      t0,
      offererPc: aWall(off?.created),
      answerAtOfferer: aWall(off?.remote),
      offererConnected: aWall(off?.connected),
      pcCreated: toWall(f.pcCreated),
      connected: toWall(f.connected),
      firstFrame: f.firstFrame + bOffset,
      skew: bOffset - aOffset,
    };
  } finally {
    await actx.close();
    await bctx.close();
  }
}

/** The offerer's first RTCPeerConnection as recorded by INIT. */
function offererRec(page: Page): Promise<PcRec | null> {
  return page.evaluate(() => {
    const r = (window as unknown as { __pcs: PcRec[] }).__pcs[0];
    return r ? { created: r.created, remote: r.remote, connected: r.connected } : null;
  });
}

/** The lower bound: both RTCPeerConnections in one page, each message handed over at once. */
async function onePageCall(browser: Browser, blank: string): Promise<Marks & { skew: number }> {
  const ctx = await browser.newContext();
  try {
    await instrument(ctx);
    const page = await ctx.newPage();
    await page.goto(blank);
    const r = await page.evaluate(async () => {
      const w = window as unknown as { __firstFrame: (only?: number) => Promise<{ firstFrame: number }>; __pcs: PcRec[] };
      const media = () =>
        navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: { echoCancellation: true, noiseSuppression: true } });
      const localA = await media();
      const localB = await media();
      const show = (s: MediaStream, muted: boolean) => {
        const v = document.createElement('video');
        v.muted = muted;
        v.autoplay = true;
        v.playsInline = true;
        v.srcObject = s;
        document.body.append(v);
      };
      show(localA, true);
      show(localB, true);
      const frame = w.__firstFrame(1);
      const t0 = performance.timeOrigin + performance.now();
      const a = new RTCPeerConnection({ iceServers: [] });
      let b: RTCPeerConnection | null = null;
      const toB: RTCIceCandidateInit[] = [];
      for (const t of localA.getTracks()) a.addTrack(t, localA);
      a.onicecandidate = (e) => {
        if (!e.candidate) return;
        if (b?.remoteDescription) void b.addIceCandidate(e.candidate);
        else toB.push(e.candidate.toJSON());
      };
      await a.setLocalDescription(await a.createOffer());
      b = new RTCPeerConnection({ iceServers: [] });
      const remoteB = new MediaStream();
      show(remoteB, false);
      b.ontrack = (e) => remoteB.addTrack(e.track);
      for (const t of localB.getTracks()) b.addTrack(t, localB);
      b.onicecandidate = (e) => void (e.candidate && a.addIceCandidate(e.candidate));
      await b.setRemoteDescription(a.localDescription!);
      for (const c of toB.splice(0)) await b.addIceCandidate(c);
      await b.setLocalDescription(await b.createAnswer());
      await a.setRemoteDescription(b.localDescription!);
      const f = await frame;
      const [ra, rb] = w.__pcs;
      return { t0, offererPc: ra!.created, answerAtOfferer: ra!.remote, offererConnected: ra!.connected, pcCreated: rb!.created, connected: rb!.connected, firstFrame: f.firstFrame };
    });
    return { ...r, skew: 0 };
  } finally {
    await ctx.close();
  }
}

/** p, or an error after ms; the timer is cleared either way, so a finished run leaves nothing that keeps the process alive. */
function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

type Stats = { median: number; p90: number; min: number; max: number };
const stats = (xs: number[]): Stats => {
  const s = [...xs].sort((x, y) => x - y);
  return { median: median(s), p90: percentile(s, 90), min: s[0]!, max: s[s.length - 1]! };
};

async function main() {
  const root = process.cwd();
  // The machine may be shared: its load before the run goes into the report.
  const loadBefore = os.loadavg()[0]!;
  const db = await createDatabase('konsil_bench_join');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'konsil-bench-join-'));
  const logFile = path.join(os.tmpdir(), `konsil-bench-join-${Date.now()}.log`);
  let ok = false;
  const port = await anyFreePort();
  const blankServer = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><meta charset="utf-8"><title>bare WebRTC</title>');
  });
  await new Promise<void>((r) => blankServer.listen(0, '127.0.0.1', r));
  const blank = `http://127.0.0.1:${(blankServer.address() as { port: number }).port}/`;
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  let browser: Browser | undefined;
  try {
    console.log(`database ${db.name}; server log ${logFile}`);
    app = await startApp({
      port,
      logFile,
      label: 'bench:join',
      env: {
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        AUTH_SECRET: `bench-${Math.random().toString(36).slice(2)}-0123456789abcdefghijklmnop`,
        APP_URL: `http://127.0.0.1:${port}`,
        KONSIL_DATA_DIR: dataDir,
        KONSIL_OUTBOX_WORKER: 'off',
      },
    });
    const req = await pwRequest.newContext({ baseURL: app.url });
    const account = await registerOrgViaApi(req);
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const version = browser.version();

    const konsil: (Marks & { skew: number })[] = [];
    const bare: (Marks & { skew: number })[] = [];
    const onePage: (Marks & { skew: number })[] = [];
    // Alternating, so drift in machine load hits both alike; the first round of each warms up and is dropped.
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const k = await konsilJoin(browser, app.url, req, account, i);
      const b = await bareCall(browser, blank);
      const o = await onePageCall(browser, blank);
      const tag = i < WARMUP ? ' (warm-up)' : '';
      const ms = (m: Marks) => Math.round(m.firstFrame - m.t0);
      console.log(`#${i + 1}${tag}: Konsil ${ms(k)} ms, bare ${ms(b)} ms, one page ${ms(o)} ms (clock skew between pages ${k.skew.toFixed(2)} / ${b.skew.toFixed(2)} ms)`);
      if (i >= WARMUP) {
        konsil.push(k);
        bare.push(b);
        onePage.push(o);
      }
    }
    await req.dispose();

    const total = (xs: Marks[]) => stats(xs.map((m) => m.firstFrame - m.t0));
    const part = (xs: Marks[], from: (m: Marks) => number | null, to: (m: Marks) => number | null) =>
      stats(xs.map((m) => (from(m) !== null && to(m) !== null ? to(m)! - from(m)! : NaN)).filter((x) => !Number.isNaN(x)));
    const K = total(konsil);
    const B = total(bare);
    const O = total(onePage);
    const ratio = K.median / B.median;
    const ratioP90 = K.p90 / B.p90;
    const f = (x: number) => `${Math.round(x)} ms`;
    const row = (name: string, s: Stats) => `| ${name} | ${f(s.median)} | ${f(s.p90)} | ${f(s.min)} | ${f(s.max)} |`;
    const skews = [...konsil, ...bare].map((m) => Math.abs(m.skew));
    const machine = await machineInfo();
    let body = [
      `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}; Chromium ${version}, headless, the suite's flags (fake camera and microphone, loopback ICE allowed); \`next start\` (production build) on PostgreSQL on the same machine; 1-minute load average before the run ${loadBefore.toFixed(2)}. ${RUNS} runs of each, alternating, after ${WARMUP} warm-up run${WARMUP === 1 ? '' : 's'} of each that ${WARMUP === 1 ? 'is' : 'are'} not counted. Goal: Konsil ≤ ${GOAL_RATIO} × the bare call.`,
      '',
      '**Method.** *Konsil*: an appointment made through the API; the doctor opens the room at `/join` with the doctor code, the patient waits in the waiting room; measured from the doctor\'s click on "Hereinbitten" (a capture-phase click listener) to the first decoded video frame of the patient\'s RTCPeerConnection. This covers POST /api/calls/admit, the sealed offer, answer and ICE candidates through the relay (POST /api/calls/signal → PostgreSQL NOTIFY → Server-Sent Events), ICE, DTLS and the first key frame. *Bare*: two pages with the same fake media and the same constraints as the device check (1280×720 ideal, echo cancellation and noise suppression), own and remote picture playing in video elements as in the call view, RTCPeerConnection without ICE servers, offer/answer/candidates handed from page to page by Playwright; measured from just before the offerer creates its RTCPeerConnection to the answerer\'s first decoded frame. *One page*: the same, with both RTCPeerConnections in one page and every message handed over in the same script — no signalling delay, a lower bound. In all three, camera and microphone are already open (in the app by the device check), and the first frame is detected alike: `getStats()` polled every ~2 ms until inbound video `framesDecoded` > 0 (so every figure includes up to a few ms of polling delay). In the first two, the ends of a measurement are in two pages (two renderer processes): each page\'s `performance.timeOrigin + performance.now()` is mapped to the system clock by an offset taken against `Date.now()` at millisecond edges right before the run; the largest correction was ' +
        `${Math.max(...skews).toFixed(2)} ms.`,
      '',
      '| from start to the patient\'s first frame | median | p90 | min | max |',
      '| --- | --- | --- | --- | --- |',
      row('Konsil: "Hereinbitten" → first frame', K),
      row('bare call: two pages, messages passed by Playwright', B),
      row('lower bound: both RTCPeerConnections in one page', O),
      '',
      'Where the time goes — median time from the start at which each step is reached:',
      '',
      '| step | Konsil | bare | one page |',
      '| --- | ---: | ---: | ---: |',
      ...(
        [
          ['the doctor\'s RTCPeerConnection exists (Konsil: after POST /api/calls/admit)', (m: Marks) => m.offererPc],
          ['the offer reaches the patient (its RTCPeerConnection is created)', (m: Marks) => m.pcCreated],
          ['the answer reaches the doctor (setRemoteDescription)', (m: Marks) => m.answerAtOfferer],
          ['patient connected (ICE + DTLS)', (m: Marks) => m.connected],
          ['doctor connected', (m: Marks) => m.offererConnected],
          ['first decoded frame at the patient', (m: Marks) => m.firstFrame],
        ] as const
      ).map(([label, at]) => `| ${label} | ${[konsil, bare, onePage].map((xs) => f(part(xs, (m) => m.t0, at).median)).join(' | ')} |`),
      '',
      `Signalling messages relayed per Konsil join until the first frame (offer, answer, candidates, both directions): median ${median(konsil.map((m) => m.signals ?? 0))}; each is one POST /api/calls/signal, and each browser sends its messages one after another.`,
      '',
      `Result: median ${f(K.median)} against ${f(B.median)} for the bare call, ratio **${ratio.toFixed(2)}×** (p90: ${ratioP90.toFixed(2)}×) — ${ratio <= GOAL_RATIO ? 'within' : 'OVER'} the ${GOAL_RATIO}× goal. Against the one-page lower bound (${f(O.median)}, no signalling delay at all): ${(K.median / O.median).toFixed(2)}×.`,
    ].join('\n');
    const problems = logProblems(logFile);
    if (problems.length) console.log(`server log: ${problems.length} error/warning lines, e.g.\n  ${problems.slice(0, 5).join('\n  ')}`);
    body += `\n\nServer log during the run: ${problems.length ? `${problems.length} error/warning lines (first: \`${problems[0]!.trim().slice(0, 120)}\`)` : 'no errors or warnings'}.`;
    const file = writePerformanceSection('## Join time (`npm run bench:join`)', body);
    console.log(`\n${body}\n\nwritten to ${path.relative(root, file)}`);
    ok = true;
  } finally {
    await browser?.close();
    await app?.stop();
    blankServer.close();
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
