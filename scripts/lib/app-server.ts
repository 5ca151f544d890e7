// Helpers for specs and benchmarks that run their own app instances: a free
// port, a production `next start` with its own environment and log file, and
// a fresh PostgreSQL database on the local server.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** `preferred` if it is free on 127.0.0.1 (TCP, and UDP if asked), else the next free one above it. */
export async function freePort(preferred: number, opts: { udp?: boolean; tries?: number } = {}): Promise<number> {
  for (let p = preferred; p < preferred + (opts.tries ?? 50); p++) {
    if ((await tcpFree(p)) && (!opts.udp || (await udpFree(p)))) return p;
  }
  throw new Error(`no free port in ${preferred}…${preferred + (opts.tries ?? 50) - 1}`);
}

/** Any free TCP port the kernel hands out. */
export function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function waitForHealth(url: string, timeoutMs: number, alive: () => boolean = () => true): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    if (!alive()) throw new Error(`server for ${url} exited during start-up`);
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url}/api/health not ready after ${timeoutMs} ms (${last})`);
}

export type AppServer = {
  port: number;
  url: string;
  /** The pid of the node process serving requests (bash `exec`s into it). */
  pid: number;
  logFile: string;
  stop: () => Promise<void>;
};

/**
 * Starts `next start` (the existing production build in .next) on 127.0.0.1:port (or opts.host).
 * Output is appended to logFile. The process runs in its own process group, so
 * stop() ends exactly what was started here. `nofile` raises the server's
 * open-file limit (within the hard limit) before it starts.
 */
export async function startApp(opts: {
  port: number;
  env: Record<string, string>;
  logFile: string;
  nofile?: number;
  timeoutMs?: number;
  label?: string;
  /** Serve the build of another checkout (a copy of .next that no build replaces while it runs); this repository by default. */
  dir?: string;
  /** The address to listen on: 127.0.0.1 unless a test's own network needs another (never all interfaces). */
  host?: string;
}): Promise<AppServer> {
  const host = opts.host ?? '127.0.0.1';
  const root = opts.dir ?? ROOT;
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) throw new Error('no production build in .next — run `npm run build` first');
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const fd = fs.openSync(opts.logFile, 'a');
  fs.writeSync(fd, `\n== ${opts.label ?? 'next start'} on port ${opts.port}, ${new Date().toISOString()}\n`);
  const next = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const limit = opts.nofile ? `ulimit -n ${opts.nofile} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; ` : '';
  const child: ChildProcess = spawn('bash', ['-c', `${limit}exec "$0" "$1" start -p "$2" -H "$3"`, process.execPath, next, String(opts.port), host], {
    cwd: root,
    env: { NODE_ENV: 'production', PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', LANG: 'C.UTF-8', ...opts.env },
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  fs.closeSync(fd);
  let exited = false;
  const done = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const url = `http://${host}:${opts.port}`;
  const stop = async () => {
    if (exited || !child.pid) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const killed = await Promise.race([done.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 10_000)))]);
    clearTimeout(timer);
    if (!killed) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
      await done;
    }
  };
  try {
    await waitForHealth(url, opts.timeoutMs ?? 120_000, () => !exited);
  } catch (e) {
    await stop();
    throw e;
  }
  return { port: opts.port, url, pid: child.pid!, logFile: opts.logFile, stop };
}

/** Resident memory of a process in MiB, from /proc/<pid>/status (VmRSS). */
export function rssMiB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export const PG_BASE = process.env.KONSIL_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432';

/** Creates a fresh database on the local PostgreSQL (trust auth); returns its URL and a drop function. */
export async function createDatabase(prefix: string): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  if (!/@(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(`${PG_BASE}/`)) throw new Error(`refusing a non-local PostgreSQL: ${PG_BASE}`);
  const { default: postgres } = await import('postgres');
  const name = `${prefix}_${Date.now()}_${process.pid}`;
  const admin = postgres(`${PG_BASE}/postgres`, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: `${PG_BASE}/${name}`,
    name,
    drop: async () => {
      const a = postgres(`${PG_BASE}/postgres`, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** Machine description for the benchmark reports. */
export async function machineInfo(): Promise<string> {
  const os = await import('node:os');
  const cpus = os.cpus();
  const model = cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  let debian = '';
  try {
    debian = ` Debian ${fs.readFileSync('/etc/debian_version', 'utf8').trim()},`;
  } catch {
    // not Debian
  }
  return `${cpus.length} × ${model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM,${debian} Linux ${os.release()}, Node ${process.version}`;
}

/**
 * Replaces the section starting with `heading` (up to the next heading of the
 * same level) in docs/PERFORMANCE.md, or appends it; other sections stay.
 */
export function writePerformanceSection(heading: string, body: string): string {
  const file = path.join(ROOT, 'docs', 'PERFORMANCE.md');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Performance\n';
  const level = /^#+/.exec(heading)![0];
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading.trim());
  const section = [heading, '', body.trim(), ''];
  let out: string[];
  if (start < 0) {
    out = [...lines.join('\n').trimEnd().split('\n'), '', ...section];
  } else {
    let end = lines.findIndex((l, i) => i > start && new RegExp(`^#{1,${level.length}}\\s`).test(l));
    if (end < 0) end = lines.length;
    out = [...lines.slice(0, start), ...section, ...lines.slice(end)];
  }
  fs.writeFileSync(file, `${out.join('\n').trimEnd()}\n`);
  return file;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  // nearest-rank
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Lines of a server log that look like errors or warnings (for the benchmark reports). */
export function logProblems(logFile: string): string[] {
  try {
    return fs
      .readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((l) => /error|warn|⨯|exception|EMFILE|ECONNRESET/i.test(l));
  } catch {
    return [];
  }
}
