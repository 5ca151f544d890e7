import http from 'node:http';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { test, expect } from '@playwright/test';

// Limits that hold against a client that lies: per-client budgets key on the
// connection, not on X-Forwarded-For; request bodies are refused while they
// stream in. Requests go out from addresses of their own on loopback
// (127.0.0.x), so the budgets of the other specs (all from 127.0.0.1) stay untouched.
test.describe.configure({ mode: 'serial' });

type Res = { status: number; body: string };

function send(baseURL: string, opts: { path: string; from: string; headers?: Record<string, string>; body?: string | { bytes: number; declare: boolean } }): Promise<Res> {
  const url = new URL(opts.path, baseURL);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
    const big = typeof opts.body === 'object' ? opts.body : null;
    if (typeof opts.body === 'string') headers['content-length'] = String(Buffer.byteLength(opts.body));
    if (big?.declare) headers['content-length'] = String(big.bytes);
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress: opts.from, headers }, (res) => {
      let s = '';
      res.on('data', (c) => (s += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: s }));
    });
    // A server that refuses early may close while the client still writes.
    req.on('error', (e) => (big ? undefined : reject(e)));
    if (big) {
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < big.bytes && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    } else req.end(opts.body);
  });
}

const lookup = () => JSON.stringify({ lookup: randomBytes(32).toString('hex') });

test('25 unknown access codes from one client hit the limit whatever X-Forwarded-For claims', async ({ baseURL }) => {
  const from = `127.0.${1 + (process.pid % 200)}.${10 + (Date.now() % 200)}`;
  const statuses: number[] = [];
  for (let i = 0; i < 25; i++) {
    const r = await send(baseURL!, { path: '/api/join/lookup', from, headers: { 'x-forwarded-for': `198.51.100.${i + 1}` }, body: lookup() });
    statuses.push(r.status);
  }
  expect(statuses.slice(0, 20)).toEqual(Array(20).fill(404));
  expect(statuses.slice(20)).toEqual(Array(5).fill(429));
  const refused = await send(baseURL!, { path: '/api/join/lookup', from, body: lookup() });
  expect(refused.status).toBe(429);
  expect(JSON.parse(refused.body).error.code).toBe('rate_limited');
  // Another client naming the first one's address as its own is not limited by it.
  const other = await send(baseURL!, { path: '/api/join/lookup', from: '127.0.0.77', headers: { 'x-forwarded-for': from }, body: lookup() });
  expect(other.status).toBe(404);
});

function serverPid(port: string): number {
  const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const m = /pid=(\d+)/.exec(out);
  if (!m) throw new Error(`no process listens on ${port}: ${out}`);
  return Number(m[1]);
}
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

test('a 50 MB body gets 413 at once on every kind of route, and the server does not grow by it', async ({ baseURL }) => {
  const pid = serverPid(new URL(baseURL!).port);
  const before = rssMiB(pid);
  const MB50 = 50 * 1024 * 1024;
  for (const path of ['/api/notes', '/api/join/lookup', '/api/session/prelogin', '/api/register', '/api/auth/callback/ticket']) {
    for (const declare of [true, false]) {
      const started = Date.now();
      const r = await send(baseURL!, { path, from: '127.0.0.78', body: { bytes: MB50, declare } });
      expect(r.status, `${path} (${declare ? 'declared' : 'chunked'})`).toBe(413);
      expect(JSON.parse(r.body)).toEqual({ error: { code: 'payload_too_large' } });
      expect(Date.now() - started, 'refused before the body was through').toBeLessThan(10_000);
    }
  }
  const after = rssMiB(pid);
  // Ten 50 MB bodies; buffering even one would show.
  expect(after - before).toBeLessThan(40);
});
