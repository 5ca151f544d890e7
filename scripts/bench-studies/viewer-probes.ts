// Probes for the viewer part of the studies benchmark, to find where scrolling
// spends its time; printed only. BENCH_VIEW_CPU=1: CPU time of every process
// and thread on the machine while scrolling (/proc; the machine has two cores
// shared by the browser, its GPU process and the server). BENCH_VIEW_PROFILE=1:
// the CDP sampling profile of the page's main thread, summarised.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';

/** BENCH_VIEW_PROFILE=1: a CPU profile of the page's main thread while scrolling, summarised (where the time goes). */
const PROFILE = process.env.BENCH_VIEW_PROFILE === '1';

/** BENCH_VIEW_CPU=1: CPU time of every process and thread on the machine while scrolling (from /proc), grouped. */
const CPU = process.env.BENCH_VIEW_CPU === '1';

/** Clock ticks (utime + stime) of every thread on the machine, keyed "pid/tid", with a group name. */
function threadTicks(): Map<string, { group: string; ticks: number }> {
  const out = new Map<string, { group: string; ticks: number }>();
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let cmd = '';
    let tids: string[] = [];
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      tids = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    const kind = /--type=renderer/.test(cmd)
      ? 'renderer'
      : /--type=gpu-process/.test(cmd)
        ? 'chromium gpu'
        : /--type=utility/.test(cmd)
          ? 'chromium utility (network)'
          : /chrom/i.test(cmd)
            ? 'chromium browser'
            : /postgres/.test(cmd)
              ? 'postgres'
              : /next-server|next start|next\/dist/.test(cmd)
                ? 'app server (next start)'
                : /tsx|bench-studies/.test(cmd)
                  ? 'bench (node)'
                  : 'other';
    for (const tid of tids) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const ticks = Number(f[11]) + Number(f[12]);
        const group = kind === 'renderer' ? `renderer ${comm.replace(/\d+$/, '')}` : kind === 'other' ? `other: ${comm}` : kind;
        out.set(`${pid}/${tid}`, { group, ticks });
      } catch {
        // ended meanwhile
      }
    }
  }
  return out;
}

export async function cpuAccounted<R>(kind: string, scroll: () => Promise<R>): Promise<R> {
  if (!CPU) return scroll();
  const before = threadTicks();
  const t0 = performance.now();
  const out = await scroll();
  const wall = (performance.now() - t0) / 1000;
  const after = threadTicks();
  const groups = new Map<string, number>();
  for (const [k, a] of after) groups.set(a.group, (groups.get(a.group) ?? 0) + a.ticks - (before.get(k)?.ticks ?? 0));
  const hz = 100;
  const total = [...groups.values()].reduce((x, y) => x + y, 0) / hz;
  console.log(`    [cpu ${kind}] ${wall.toFixed(1)} s wall, ${total.toFixed(1)} CPU-s on the machine (${(total / wall).toFixed(2)} cores busy of 2)`);
  for (const [g, t] of [...groups].sort((x, y) => y[1] - x[1]).slice(0, 14)) if (t > 0) console.log(`      ${(t / hz).toFixed(2).padStart(6)} s  ${g}`);
  return out;
}

type CpuNode = { id: number; parent?: number; children?: number[]; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } };

/** Runs `scroll` under the CDP sampling profiler and prints where the main thread spent its time, and which files were fetched meanwhile. */
export async function profiled<R>(page: Page, kind: string, scroll: () => Promise<R>): Promise<R> {
  if (!PROFILE) return scroll();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  const from = await page.evaluate(() => performance.now());
  await cdp.send('Profiler.start');
  const out = await scroll();
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: { nodes: CpuNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number } };
  const to = await page.evaluate(() => performance.now());
  await cdp.detach();
  const fetched = await page.evaluate(
    ([a, b]) => performance.getEntriesByType('resource').filter((e) => /\/api\/studies\/[^/]+\/files\//.test(e.name) && e.startTime >= a! && e.startTime <= b!).length,
    [from, to],
  );
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, k) => {
    const dt = (profile.timeDeltas[k + 1] ?? 0) / 1000;
    total += dt;
    const n = byId.get(id)!;
    const f = n.callFrame;
    const name = f.url ? `${f.functionName || '(anon)'} ${path.basename(f.url)}:${f.lineNumber + 1}:${f.columnNumber + 1}` : f.functionName;
    self.set(name, (self.get(name) ?? 0) + dt);
    // Inclusive time per script (each script counted once per sample).
    const seen = new Set<string>();
    for (let c: number | undefined = id; c !== undefined; c = parent.get(c)) {
      const u = byId.get(c)!.callFrame.url;
      if (u && !seen.has(u)) {
        seen.add(u);
        incl.set(u, (incl.get(u) ?? 0) + dt);
      }
    }
  });
  const idle = self.get('(idle)') ?? 0;
  console.log(`    [profile ${kind}] ${(total / 1000).toFixed(1)} s sampled, main thread busy ${((total - idle) / 1000).toFixed(1)} s (${(((total - idle) / total) * 100).toFixed(0)} %); study files fetched while scrolling: ${fetched}`);
  const top = (m: Map<string, number>, n: number) => [...m].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, n);
  for (const [k, v] of top(self, 25)) console.log(`      self ${v.toFixed(0).padStart(6)} ms  ${k}`);
  for (const [k, v] of top(incl, 12)) console.log(`      incl ${v.toFixed(0).padStart(6)} ms  ${path.basename(k)}`);
  return out;
}
