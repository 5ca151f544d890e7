import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const saved = { ...process.env };

async function load(env: Record<string, string | undefined>) {
  vi.resetModules();
  for (const k of ['AUTH_SECRET', 'DATABASE_URL', 'NODE_ENV', 'KONSIL_DATA_DIR']) delete process.env[k];
  Object.assign(process.env, env);
  return import('./secret');
}

describe('AUTH_SECRET', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'konsil-secret-'));
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('is generated once into the data folder in embedded mode and kept', async () => {
    const a = (await load({ NODE_ENV: 'production', KONSIL_DATA_DIR: dir })).getAuthSecret();
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(fs.readFileSync(path.join(dir, 'auth-secret'), 'utf8')).toBe(a);
    const b = (await load({ NODE_ENV: 'production', KONSIL_DATA_DIR: dir })).getAuthSecret();
    expect(b).toBe(a);
  });

  it('refuses to start in production on PostgreSQL without a secret or with a short one', async () => {
    const m = await load({ NODE_ENV: 'production', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x', KONSIL_DATA_DIR: dir });
    expect(() => m.getAuthSecret()).toThrow(m.WeakSecretError);
    const short = await load({ NODE_ENV: 'production', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x', AUTH_SECRET: 'too-short', KONSIL_DATA_DIR: dir });
    expect(() => short.getAuthSecret()).toThrow(/at least|shorter than 32/);
    expect(fs.existsSync(path.join(dir, 'auth-secret'))).toBe(false);
  });

  it('uses a long enough secret from the environment', async () => {
    const s = 'x'.repeat(40);
    const m = await load({ NODE_ENV: 'production', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x', AUTH_SECRET: s, KONSIL_DATA_DIR: dir });
    expect(m.getAuthSecret()).toBe(s);
  });
});
