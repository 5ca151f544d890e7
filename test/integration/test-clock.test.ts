// The test clock's route answers only where the configuration allows it (lib/config.ts):
// a server without KONSIL_TEST_CLOCK=1 answers 404 and its clock stays untouched.
import './helpers';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

const saved = { ...process.env };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'konsil-clock-'));

async function routeWith(env: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return import('@/app/api/test/clock/route');
}

const post = (at: string | null) =>
  new Request('http://127.0.0.1:3100/api/test/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ at }) });

describe('POST /api/test/clock', () => {
  afterEach(() => {
    process.env = { ...saved };
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('does not exist without test mode: 404, and the clock stays real', async () => {
    const r = await routeWith({ KONSIL_TEST_CLOCK: undefined, DATABASE_URL: undefined, KONSIL_DATA_DIR: dataDir });
    const res = await r.POST(post('2030-01-01T00:00:00Z'));
    expect(res.status).toBe(404);
    const { now } = await import('@/lib/core/clock');
    expect(Math.abs(now().getTime() - Date.now())).toBeLessThan(5_000);
  });

  it('in test mode sets the one clock, which keeps running, and null resets it', async () => {
    const r = await routeWith({ KONSIL_TEST_CLOCK: '1', APP_URL: 'http://127.0.0.1:3100', DATABASE_URL: undefined, KONSIL_DATA_DIR: dataDir });
    const { now } = await import('@/lib/core/clock');
    expect((await r.POST(post('2030-01-01T00:00:00+01:00'))).status).toBe(200);
    expect(Math.abs(now().getTime() - Date.parse('2029-12-31T23:00:00Z'))).toBeLessThan(5_000);
    expect((await r.POST(post('tomorrow'))).status).toBe(422);
    expect((await r.POST(post(null))).status).toBe(200);
    expect(Math.abs(now().getTime() - Date.now())).toBeLessThan(5_000);
  });
});
