import { describe, it, expect, vi, afterEach } from 'vitest';

const saved = { ...process.env };

async function configWith(env: Record<string, string>) {
  vi.resetModules();
  for (const k of ['DATABASE_URL', 'NODE_ENV', 'KONSIL_DEV_OUTBOX', 'KONSIL_TEST_CLOCK', 'APP_URL', 'KONSIL_PATIENT_SENDING', 'KONSIL_SMS_COUNTRIES']) delete process.env[k];
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

describe('the test clock', () => {
  afterEach(() => {
    process.env = { ...saved };
  });
  const local = 'postgres://postgres@127.0.0.1:5432/konsil_test';

  it('is off unless asked for', async () => {
    expect((await configWith({ NODE_ENV: 'production' })).testClock).toBe(false);
    expect((await configWith({ NODE_ENV: 'production', APP_URL: 'http://127.0.0.1:3100', DATABASE_URL: local })).testClock).toBe(false);
  });

  it('may be switched on for a server on loopback with a local or embedded database', async () => {
    expect((await configWith({ NODE_ENV: 'production', KONSIL_TEST_CLOCK: '1', APP_URL: 'http://127.0.0.1:3100', DATABASE_URL: local })).testClock).toBe(true);
    expect((await configWith({ KONSIL_TEST_CLOCK: '1', APP_URL: 'http://localhost:3000' })).testClock).toBe(true);
    expect((await configWith({ KONSIL_TEST_CLOCK: '1', APP_URL: 'http://[::1]:3000' })).testClock).toBe(true);
  });

  it('refuses to start anywhere else: a public address or a remote database', async () => {
    await expect(configWith({ NODE_ENV: 'production', KONSIL_TEST_CLOCK: '1', APP_URL: 'https://praxis.konsil.de' })).rejects.toThrow(/KONSIL_TEST_CLOCK/);
    await expect(configWith({ NODE_ENV: 'production', KONSIL_TEST_CLOCK: '1', APP_URL: 'http://127.0.0.1.nip.io:3000' })).rejects.toThrow(/KONSIL_TEST_CLOCK/);
    await expect(
      configWith({ NODE_ENV: 'production', KONSIL_TEST_CLOCK: '1', APP_URL: 'http://127.0.0.1:3100', DATABASE_URL: 'postgres://konsil@db.internal:5432/konsil' }),
    ).rejects.toThrow(/KONSIL_TEST_CLOCK/);
    // The default (no APP_URL) is localhost, but production deployments set their public URL.
    await expect(configWith({ KONSIL_TEST_CLOCK: '1', APP_URL: 'http://10.0.0.5:3000' })).rejects.toThrow(/KONSIL_TEST_CLOCK/);
  });
});

describe('sending settings for the operator', () => {
  afterEach(() => {
    process.env = { ...saved };
  });

  it('patient sending is on unless the operator pulls the circuit breaker', async () => {
    expect((await configWith({})).patientSending).toBe(true);
    expect((await configWith({ KONSIL_PATIENT_SENDING: 'off' })).patientSending).toBe(false);
  });

  it('SMS go to the EU and EEA unless the operator names the countries', async () => {
    expect((await configWith({})).smsCountries).toContain('DE');
    expect((await configWith({})).smsCountries).not.toContain('US');
    expect((await configWith({ KONSIL_SMS_COUNTRIES: 'de, at,ch' })).smsCountries).toEqual(['DE', 'AT', 'CH']);
    await expect(configWith({ KONSIL_SMS_COUNTRIES: 'Deutschland' })).rejects.toThrow();
  });
});

describe('a copied .env.example', () => {
  afterEach(() => {
    process.env = { ...saved };
  });

  it('starts with every setting it leaves empty unset', async () => {
    const fs = await import('node:fs');
    const example = Object.fromEntries(
      fs
        .readFileSync('.env.example', 'utf8')
        .split('\n')
        .map((l) => l.match(/^([A-Z0-9_]+)=(.*)$/))
        .filter((m): m is RegExpMatchArray => !!m)
        .map((m) => [m[1]!, m[2]!.replace(/^"(.*)"$/, '$1')]),
    );
    const empty = Object.keys(example).filter((k) => example[k] === '');
    expect(empty).toEqual(expect.arrayContaining(['DATABASE_URL', 'KONSIL_DEV_OUTBOX', 'KONSIL_TEST_CLOCK', 'KONSIL_S3_BUCKET']));
    for (const k of Object.keys(example)) delete process.env[k];
    const config = await configWith({ ...example, NODE_ENV: 'development' });
    expect(config.testClock).toBe(false);
    expect(config.devOutbox).toBe(true);
  });
});

describe('the LiveKit server for conferences', () => {
  afterEach(() => {
    process.env = { ...saved };
  });
  const livekit = { LIVEKIT_URL: 'wss://livekit.example.org/', LIVEKIT_API_KEY: 'APIkonsil', LIVEKIT_API_SECRET: 'a-secret-of-at-least-thirty-two-characters' };

  async function livekitWith(env: Record<string, string>) {
    for (const k of Object.keys(livekit)) delete process.env[k];
    return configWith(env);
  }

  it('is off without settings, and on with all three', async () => {
    expect((await livekitWith({})).livekit).toBeUndefined();
    expect((await livekitWith({ LIVEKIT_URL: '', LIVEKIT_API_KEY: '', LIVEKIT_API_SECRET: '' })).livekit).toBeUndefined();
    expect((await livekitWith(livekit)).livekit).toEqual({ url: 'wss://livekit.example.org', apiKey: 'APIkonsil', apiSecret: livekit.LIVEKIT_API_SECRET });
  });

  it('refuses to start with only some of them, naming what is missing', async () => {
    await expect(livekitWith({ LIVEKIT_URL: livekit.LIVEKIT_URL })).rejects.toThrow(/LIVEKIT_API_KEY, LIVEKIT_API_SECRET missing/);
    await expect(livekitWith({ LIVEKIT_URL: livekit.LIVEKIT_URL, LIVEKIT_API_KEY: 'APIkonsil' })).rejects.toThrow(/LIVEKIT_API_SECRET missing/);
    await expect(livekitWith({ LIVEKIT_API_KEY: 'APIkonsil', LIVEKIT_API_SECRET: 'x' })).rejects.toThrow(/LIVEKIT_URL missing/);
  });

  it('refuses a URL that is not one', async () => {
    await expect(livekitWith({ ...livekit, LIVEKIT_URL: 'livekit.example.org' })).rejects.toThrow();
    await expect(livekitWith({ ...livekit, LIVEKIT_URL: 'ftp://livekit.example.org' })).rejects.toThrow();
  });
});
