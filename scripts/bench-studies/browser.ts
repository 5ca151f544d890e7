// Browser side of the studies benchmark: Chromium with the suite's flags, the
// memory of its processes read from /proc, and a script every page gets
// first that records upload requests, clicks and picks, and the viewer's
// first image and scrolling (cornerstone's events on the viewport element).
import fs from 'node:fs';
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

/** Samples a browser's memory and a page's JS heap (CDP Performance.getMetrics) every `everyMs` until stopped. */
export async function sampleMemory(b: BenchBrowser, cdp: CDPSession, everyMs = 250) {
  await cdp.send('Performance.enable');
  const samples: MemorySample[] = [];
  let running = true;
  const one = async () => {
    const metrics = (await cdp.send('Performance.getMetrics')).metrics;
    const jsHeap = (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 2 ** 20;
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
  const rec: Rec = { first: null, last: null, requests: 0 };
  w.__uploads = rec;
  w.__resetUploads = () => Object.assign(rec, { first: null, last: null, requests: 0 });
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
  const now = () => performance.timeOrigin + performance.now() - pageOrigin;
  const open = XMLHttpRequest.prototype.open as (this: XMLHttpRequest, ...a: unknown[]) => void;
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: unknown[]) {
    if (String(args[1]).includes('/api/studies/uploads')) {
      if (rec.first === null) rec.first = now();
      rec.requests++;
      this.addEventListener('loadend', () => (rec.last = now()));
    }
    return open.apply(this, args);
  } as typeof XMLHttpRequest.prototype.open;
};

export async function newBenchContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  // bypassCSP: the benchmark adds its own scripts (tus-js-client, the crypto bundle) to app pages.
  const ctx = await browser.newContext({ baseURL, locale: 'de-DE', timezoneId: 'Europe/Berlin', viewport: { width: 1440, height: 900 }, bypassCSP: true });
  await ctx.addInitScript(KEEP_NAMES_SHIM);
  await ctx.addInitScript(INIT);
  ctx.on('page', (page) =>
    page.on('worker', async (worker) => {
      try {
        const origin = await page.evaluate(() => performance.timeOrigin);
        await worker.evaluate(KEEP_NAMES_SHIM);
        await worker.evaluate(WORKER_UPLOADS, origin);
      } catch {
        // A worker that ended before it could be looked at sends nothing.
      }
    }),
  );
  return ctx;
}

export const marks = (page: Page) => page.evaluate(() => (window as unknown as { __marks: Record<string, number> }).__marks);

const workerUploads = (page: Page) =>
  Promise.all(page.workers().map((w) => w.evaluate(() => (globalThis as unknown as { __uploads?: Uploads }).__uploads ?? null).catch(() => null)));

/** Upload requests of the page and its workers: the first opened, the last ended (page clock), how many. */
export async function uploads(page: Page): Promise<Uploads> {
  const own = await page.evaluate(() => (window as unknown as { __uploads: Uploads }).__uploads);
  const all = [own, ...(await workerUploads(page))].filter((r): r is Uploads => r !== null);
  const times = (k: 'first' | 'last') => all.map((r) => r[k]).filter((t): t is number => t !== null);
  const first = times('first');
  const last = times('last');
  return { first: first.length ? Math.min(...first) : null, last: last.length ? Math.max(...last) : null, requests: all.reduce((n, r) => n + r.requests, 0) };
}

export async function resetUploads(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { __resetUploads: () => void }).__resetUploads());
  for (const w of page.workers()) {
    await w
      .evaluate(() => {
        const rec = (globalThis as unknown as { __uploads?: Uploads }).__uploads;
        if (rec) Object.assign(rec, { first: null, last: null, requests: 0 });
      })
      .catch(() => undefined);
  }
}
