import { describe, it, expect, vi, afterEach } from 'vitest';

const saved = { ...process.env };

async function configWith(env: Record<string, string>) {
  vi.resetModules();
  for (const k of ['DATABASE_URL', 'NODE_ENV', 'KONSIL_DEV_OUTBOX']) delete process.env[k];
  Object.assign(process.env, env);
  return (await import('./config')).getConfig();
}

describe('the local outbox page', () => {
  afterEach(() => {
    process.env = { ...saved };
  });
  const pg = 'postgres://postgres@127.0.0.1:5432/x';

  it('is on in development and in the embedded one-command start', async () => {
    expect((await configWith({ NODE_ENV: 'development' })).devOutbox).toBe(true);
    expect((await configWith({ NODE_ENV: 'production' })).devOutbox).toBe(true);
    expect((await configWith({ NODE_ENV: 'development', DATABASE_URL: pg })).devOutbox).toBe(true);
  });

  it('is off in production on PostgreSQL unless forced on', async () => {
    expect((await configWith({ NODE_ENV: 'production', DATABASE_URL: pg })).devOutbox).toBe(false);
    expect((await configWith({ NODE_ENV: 'production', DATABASE_URL: pg, KONSIL_DEV_OUTBOX: 'on' })).devOutbox).toBe(true);
    expect((await configWith({ NODE_ENV: 'production', KONSIL_DEV_OUTBOX: 'off' })).devOutbox).toBe(false);
  });
});
