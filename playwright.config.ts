import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
];

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL,
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
  },
  webServer: {
    // The production build against the test PostgreSQL; its output is kept for the canary scan.
    command: `bash -c 'npx next start -p ${PORT} 2>&1 | tee -a artifacts/server.log'`,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      NODE_ENV: 'production',
      DATABASE_URL: process.env.DATABASE_URL ?? '',
      AUTH_SECRET: process.env.AUTH_SECRET ?? 'e2e-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
      APP_URL: baseURL,
      KONSIL_DATA_DIR: process.env.KONSIL_DATA_DIR ?? './artifacts/data',
      KONSIL_OUTBOX_INTERVAL_MS: '500',
      // Shown as in the one-command start, so the suite can read the mail it caused.
      KONSIL_DEV_OUTBOX: 'on',
      // Specs set the server's clock to the dates they test (POST /api/test/clock); a
      // server on loopback only, see lib/config.ts.
      KONSIL_TEST_CLOCK: '1',
    },
  },
});
