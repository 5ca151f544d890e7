// Browser side of the studies benchmark: Chromium with the suite's flags, the
// memory of its processes read from /proc, and a script every page gets
// first that records upload requests, clicks and picks, and the viewer's
// first image and scrolling (cornerstone's events on the viewport element).
import fs from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from '@playwright/test';

export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

type Proc = { pid: number; ppid: number; cmd: string };

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.push({ pid: Number(name), ppid, cmd: fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

function descendants(root: number, all: Proc[]): Proc[] {
  const byParent = new Map<number, Proc[]>();
  for (const p of all) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  const out: Proc[] = [];
  const walk = (pid: number) => {
    for (const c of byParent.get(pid) ?? []) {
      out.push(c);
      walk(c.pid);
    }
  };
  walk(root);
  return out;
}

function rssKiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export type BenchBrowser = { browser: Browser; pid: number };

/** Chromium as a child of this process; its pid found as the new Chromium child. */
export async function launchChromium(): Promise<BenchBrowser> {
  const mine = (ps: Proc[]) => ps.filter((p) => p.ppid === process.pid && /chrom/i.test(p.cmd)).map((p) => p.pid);
  const before = new Set(mine(processes()));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  const pid = mine(processes()).find((p) => !before.has(p));
  if (!pid) throw new Error('the Chromium process was not found under this process');
  return { browser, pid };
}

/** Resident memory (MiB) of a browser's renderer processes (the tabs and their workers) and of all its processes. */
export function browserMemory(b: BenchBrowser): { renderers: number; all: number } {
  const procs = [{ pid: b.pid, ppid: 0, cmd: '' }, ...descendants(b.pid, processes())];
  let renderers = 0;
  let all = 0;
  for (const p of procs) {
    const kib = rssKiB(p.pid);
    all += kib;
    if (p.cmd.includes('--type=renderer')) renderers += kib;
  }
  return { renderers: renderers / 1024, all: all / 1024 };
}

export type MemorySample = { t: number; renderers: number; all: number; jsHeap: number };

/**
 * Samples a browser's memory every `everyMs` until stopped, and a page's JS heap (CDP Performance.getMetrics)
 * if given a session (else jsHeap is NaN: a detached page samples its own, see armHeapSamples).
 */
export async function sampleMemory(b: BenchBrowser, cdp?: CDPSession, everyMs = 250) {
  await cdp?.send('Performance.enable');
  const samples: MemorySample[] = [];
  let running = true;
  const one = async () => {
    const metrics = cdp ? (await cdp.send('Performance.getMetrics')).metrics : [];
    const jsHeap = cdp ? (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 2 ** 20 : NaN;
    samples.push({ t: Date.now(), ...browserMemory(b), jsHeap });
  };
  const loop = (async () => {
    while (running) {
      await one().catch(() => undefined);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    samples,
    stop: async () => {
      running = false;
      await loop;
      return samples;
    },
  };
}

// tsx compiles with esbuild's keepNames, so functions handed to the browser
// call a module-level __name(); each page gets a no-op one first.
const KEEP_NAMES_SHIM = 'globalThis.__name = (f) => f;';

/** Runs in every page before its own scripts. Times are the page's performance.now(). */
const INIT = () => {
  type Rec = { first: number | null; last: number | null; requests: number };
  const w = window as unknown as Record<string, unknown>;
  // Once per document, also when the benchmark attaches to the browser again.
  if (w.__uploads) return;
  const rec: Rec = { first: null, last: null, requests: 0 };
  w.__uploads = rec;
  // Workers report theirs on a channel (WORKER_UPLOADS), which needs no DevTools: also while Playwright is away.
  const fromWorkers = new Map<string, Rec>();
  w.__workerUploads = fromWorkers;
  const channel = new BroadcastChannel('konsil-bench-uploads');
  channel.onmessage = (e: MessageEvent<{ worker: string; rec: Rec }>) => {
    if (e.data.worker) fromWorkers.set(e.data.worker, e.data.rec);
  };
  w.__resetUploads = () => {
    Object.assign(rec, { first: null, last: null, requests: 0 });
    fromWorkers.clear();
    channel.postMessage({ reset: true });
  };
  // tus-js-client speaks through XMLHttpRequest: first request opened, last one ended.
  const open = XMLHttpRequest.prototype.open as (this: XMLHttpRequest, ...a: unknown[]) => void;
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: unknown[]) {
    if (String(args[1]).includes('/api/studies/uploads')) {
      if (rec.first === null) rec.first = performance.now();
      rec.requests++;
      this.addEventListener('loadend', () => (rec.last = performance.now()));
    }
    return open.apply(this, args);
  } as typeof XMLHttpRequest.prototype.open;

  const marks: Record<string, number> = {};
  w.__marks = marks;
  document.addEventListener(
    'click',
    (e) => {
      const label = (e.target as Element | null)?.closest?.('button')?.textContent?.trim();
      if (label) marks[`click:${label}`] ??= performance.now();
    },
    true,
  );
  document.addEventListener('change', (e) => {
    const id = (e.target as HTMLElement | null)?.dataset?.testid;
    if (id) marks[`change:${id}`] ??= performance.now();
  }, true);

  // The viewer's pane 0: cornerstone fires these on the viewport element (they do not bubble; capture sees them).
  const shown: { index: number; at: number }[] = [];
  const arrived: { index: number; at: number }[] = [];
  let pendingIndex: number | null = null;
  w.__shown = shown;
  document.addEventListener('CORNERSTONE_STACK_NEW_IMAGE', (e) => {
    pendingIndex = (e as CustomEvent<{ imageIdIndex: number }>).detail.imageIdIndex;
    arrived.push({ index: pendingIndex, at: performance.now() });
  }, true);
  document.addEventListener('CORNERSTONE_IMAGE_RENDERED', () => {
    if (pendingIndex === null) return;
    shown.push({ index: pendingIndex, at: performance.now() });
    pendingIndex = null;
  }, true);
  const indexText = () => document.querySelector('[data-testid="image-index-0"]')?.textContent?.trim() ?? '';
  const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));
  /** Share of sampled canvas pixels brighter than the black background. */
  const drawn = () => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="viewport-0"] canvas');
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || !canvas.width) return 0;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let lit = 0;
    let n = 0;
    for (let k = 0; k < data.length; k += 4 * 37) {
      n++;
      if (data[k]! + data[k + 1]! + data[k + 2]! > 30) lit++;
    }
    return lit / n;
  };
  /** Resolves when image 1 of `total` is rendered, the overlay says so and the canvas shows it: the time, the lit share, and when the image was set in the viewport. */
  w.__firstImage = async (total: number) => {
    for (;;) {
      if (shown.some((s) => s.index === 0) && indexText() === `Bild 1 / ${total}`) {
        const lit = drawn();
        if (lit > 0.05) return { at: performance.now(), lit, image: arrived.find((a) => a.index === 0)!.at };
      }
      await frame();
    }
  };
  /**
   * ArrowDown on the focused pane until the last image, each time waiting until
   * the next image is rendered and the overlay shows its number: ms in total,
   * and per step the ms from the key to the image set in the viewport (loaded
   * and decoded), to its render event, and to the overlay.
   */
  w.__scrollThrough = async (total: number) => {
    const pane = document.querySelector<HTMLElement>('[data-testid="viewport-0"]')!;
    pane.focus();
    const t0 = performance.now();
    const steps: { image: number; rendered: number; overlay: number }[] = [];
    for (let k = 1; k < total; k++) {
      const before = shown.length;
      const arrivedBefore = arrived.length;
      const want = `Bild ${k + 1} / ${total}`;
      const done = new Promise<void>((resolve) => {
        let over = false;
        const check = () => {
          if (over || !shown.slice(before).some((s) => s.index === k) || indexText() !== want) return;
          over = true;
          mo.disconnect();
          document.removeEventListener('CORNERSTONE_IMAGE_RENDERED', onRendered, true);
          resolve();
        };
        const mo = new MutationObserver(check);
        mo.observe(pane, { childList: true, characterData: true, subtree: true });
        // The overlay may have changed before the render event: look again once the event has run.
        const onRendered = () => void setTimeout(check, 0);
        document.addEventListener('CORNERSTONE_IMAGE_RENDERED', onRendered, true);
      });
      const key = performance.now();
      (document.activeElement ?? pane).dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', code: 'ArrowDown', bubbles: true, cancelable: true }));
      await done;
      const end = performance.now();
      const at = (xs: { index: number; at: number }[], from: number) => xs.slice(from).find((x) => x.index === k)?.at ?? end;
      steps.push({ image: at(arrived, arrivedBefore) - key, rendered: at(shown, before) - key, overlay: end - key });
    }
    return { ms: performance.now() - t0, steps };
  };
};

type Uploads = { first: number | null; last: number | null; requests: number };

/**
 * Installed in every worker of a page (the app uploads from its crypto worker): the same record of upload
 * requests as INIT keeps in the page, timed on the page's clock (the page's timeOrigin is passed in).
 */
const WORKER_UPLOADS = (pageOrigin: number) => {
  const g = globalThis as unknown as { __uploads?: Uploads };
  if (g.__uploads || typeof XMLHttpRequest === 'undefined') return;
  const rec: Uploads = { first: null, last: null, requests: 0 };
  g.__uploads = rec;
  const worker = Math.random().toString(36).slice(2);
  const channel = new BroadcastChannel('konsil-bench-uploads');
  const report = () => channel.postMessage({ worker, rec });
  channel.onmessage = (e: MessageEvent<{ reset?: boolean }>) => {
    if (e.data.reset) Object.assign(rec, { first: null, last: null, requests: 0 });
  };
  const now = () => performance.timeOrigin + performance.now() - pageOrigin;
  const open = XMLHttpRequest.prototype.open as (this: XMLHttpRequest, ...a: unknown[]) => void;
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: unknown[]) {
    if (String(args[1]).includes('/api/studies/uploads')) {
      if (rec.first === null) rec.first = now();
      rec.requests++;
      report();
      this.addEventListener('loadend', () => {
        rec.last = now();
        report();
      });
    }
    return open.apply(this, args);
  } as typeof XMLHttpRequest.prototype.open;
};

/** The benchmark's scripts in every page of a context, and the upload record in every worker of its pages. */
async function instrument(ctx: BrowserContext): Promise<void> {
  await ctx.addInitScript(KEEP_NAMES_SHIM);
  await ctx.addInitScript(INIT);
  const hook = (page: Page) =>
    page.on('worker', async (worker) => {
      try {
        const origin = await page.evaluate(() => performance.timeOrigin);
        await worker.evaluate(KEEP_NAMES_SHIM);
        await worker.evaluate(WORKER_UPLOADS, origin);
      } catch {
        // A worker that ended before it could be looked at sends nothing.
      }
    });
  ctx.on('page', hook);
  for (const page of ctx.pages()) hook(page);
}

export async function newBenchContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  // bypassCSP: the benchmark adds its own scripts (tus-js-client, the crypto bundle) to app pages.
  const ctx = await browser.newContext({ baseURL, locale: 'de-DE', timezoneId: 'Europe/Berlin', viewport: { width: 1440, height: 900 }, bypassCSP: true });
  await instrument(ctx);
  return ctx;
}

/**
 * The sender's Chromium, started here with a DevTools port so that the benchmark can let go of it while an
 * upload is measured and take it up again afterwards. While Playwright is attached, Chromium's DevTools network
 * instrumentation is on for every page and worker, and it slows request bodies made in memory: 8 MiB bodies to a
 * local sink went at 13 MB/s as typed arrays and 125–139 MB/s as Blobs with Playwright attached, and at 280–320 MB/s
 * both once it let go (four at a time) — no user's browser runs with DevTools attached.
 * Playwright's own contexts are disposed when it disconnects, so the tab lives in the browser's default context:
 * pages are opened with absolute URLs (`base`), and the flags give what a context would (window size, language,
 * time zone from TZ). Pages here may add scripts (tus-js-client, the crypto bundle): CSP is bypassed per page.
 */
export class SenderChromium implements BenchBrowser {
  browser!: Browser;
  page!: Page;
  readonly pid: number;

  private constructor(
    private readonly proc: ChildProcess,
    private readonly endpoint: string,
    readonly base: string,
  ) {
    this.pid = proc.pid!;
  }

  static async launch(base: string): Promise<SenderChromium> {
    const dataDir = fs.mkdtempSync('/tmp/konsil-bench-chromium-');
    const proc = spawn(
      process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      [
        '--headless',
        ...CHROMIUM_FLAGS,
        '--remote-debugging-port=0',
        `--user-data-dir=${dataDir}`,
        '--no-first-run',
        '--password-store=basic',
        '--lang=de-DE',
        '--window-size=1440,900',
        // A page without Playwright attached samples its own heap (performance.memory, exact with this flag).
        '--enable-precise-memory-info',
        // As Playwright starts Chromium: a headless tab is not throttled as a background one.
        '--disable-background-timer-throttling',
        '--disable-backgrounding-occluded-windows',
        '--disable-renderer-backgrounding',
        'about:blank',
      ],
      { env: { ...process.env, TZ: 'Europe/Berlin', LANGUAGE: 'de' }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    proc.on('exit', () => {
      // Its helpers may still be writing their last files.
      setTimeout(() => fs.rm(dataDir, { recursive: true, force: true, maxRetries: 5 }, () => undefined), 500);
    });
    const endpoint = await new Promise<string>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`Chromium did not open its DevTools port: ${err.slice(-500)}`)), 30_000);
      proc.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      proc.once('exit', (code) => reject(new Error(`Chromium ended (${code}): ${err.slice(-500)}`)));
    });
    proc.stderr!.resume();
    const b = new SenderChromium(proc, endpoint, base);
    await b.attach();
    return b;
  }

  /** Playwright attached (again): the tab, with the benchmark's scripts for its next document and its workers hooked. */
  async attach(): Promise<Page> {
    this.browser = await chromium.connectOverCDP(this.endpoint);
    const ctx = this.browser.contexts()[0]!;
    await instrument(ctx);
    this.page = ctx.pages()[0] ?? (await ctx.newPage());
    const cdp = await ctx.newCDPSession(this.page);
    await cdp.send('Page.setBypassCSP', { enabled: true });
    // Kept open: the setting lasts as long as the session.
    return this.page;
  }

  /** Playwright lets go: the default context and its tab stay, and DevTools instruments nothing any more. */
  async detach(): Promise<void> {
    await this.browser.close();
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    this.proc.kill();
  }
}

export const marks = (page: Page) => page.evaluate(() => (window as unknown as { __marks: Record<string, number> }).__marks);

/** Upload requests of the page and its workers (as reported to the page): the first opened, the last ended (page clock), how many. */
export async function uploads(page: Page): Promise<Uploads> {
  const all = await page.evaluate(() => {
    const w = window as unknown as { __uploads: Uploads; __workerUploads: Map<string, Uploads> };
    return [w.__uploads, ...w.__workerUploads.values()];
  });
  const times = (k: 'first' | 'last') => all.map((r) => r[k]).filter((t): t is number => t !== null);
  const first = times('first');
  const last = times('last');
  return { first: first.length ? Math.min(...first) : null, last: last.length ? Math.max(...last) : null, requests: all.reduce((n, r) => n + r.requests, 0) };
}

export async function resetUploads(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { __resetUploads: () => void }).__resetUploads());
}
