import 'server-only';
import path from 'node:path';
import { z } from 'zod';
import { SMS_COUNTRIES_DEFAULT } from '@/lib/validation/phone';

const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  KONSIL_DATA_DIR: z.string().default('./data'),
  AUTH_SECRET: z.string().optional(),
  APP_URL: z.string().url().default('http://localhost:3000'),
  RESEND_API_KEY: z.string().optional(),
  MAIL_FROM: z.string().default('Konsil <noreply@konsil.localhost>'),
  SMS_API_KEY: z.string().optional(),
  SMS_API_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  SMS_FROM: z.string().default('Konsil'),
  KONSIL_DEV_OUTBOX: z.enum(['on', 'off']).optional(),
  KONSIL_TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  KONSIL_OUTBOX_INTERVAL_MS: z.coerce.number().int().positive().default(2000),
  KONSIL_TEST_CLOCK: z.enum(['0', '1']).default('0'),
  // The operator's circuit breaker for patient messages sent by Konsil (invitations, reminders).
  KONSIL_PATIENT_SENDING: z.enum(['on', 'off']).default('on'),
  // ISO country codes Konsil sends SMS to; default the EU and the EEA.
  KONSIL_SMS_COUNTRIES: z
    .string()
    .regex(/^\s*[A-Za-z]{2}(\s*,\s*[A-Za-z]{2})*\s*$/)
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

export type AppConfig = {
  nodeEnv: 'development' | 'production' | 'test';
  databaseUrl?: string;
  dataDir: string;
  appUrl: string;
  resendApiKey?: string;
  mailFrom: string;
  /** Konsil's own SMS gateway account (seven.io API); without a key SMS go to the dev outbox. */
  smsApiKey?: string;
  smsApiUrl?: string;
  smsFrom: string;
  devOutbox: boolean;
  /** Reverse proxies in front of the server that append to X-Forwarded-For (0: clients connect directly). */
  trustedProxyHops: number;
  outboxIntervalMs: number;
  embedded: boolean;
  /** The end-to-end suite may set the server's clock (POST /api/test/clock). */
  testClock: boolean;
  /** Countries whose mobile numbers Konsil sends SMS to. */
  smsCountries: readonly string[];
  /** Off: no patient message is accepted for sending (the practice can still send by hand). */
  patientSending: boolean;
};

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

let cached: AppConfig | undefined;

export function getConfig(): AppConfig {
  if (cached) return cached;
  const env = ZEnv.parse(process.env);
  const embedded = !env.DATABASE_URL;
  const testClock = env.KONSIL_TEST_CLOCK === '1';
  // A clock anyone can set would let a client expire codes, sessions and
  // contracts at will. It exists only for a server that serves this machine
  // alone: its public URL and its database on loopback. Anything else refuses
  // to start rather than run with it.
  if (testClock && !(isLoopbackUrl(env.APP_URL) && (embedded || isLoopbackUrl(env.DATABASE_URL!)))) {
    throw new Error('KONSIL_TEST_CLOCK=1 is for tests on this machine only: APP_URL and DATABASE_URL must be on loopback');
  }
  cached = {
    nodeEnv: env.NODE_ENV,
    databaseUrl: env.DATABASE_URL,
    dataDir: path.resolve(env.KONSIL_DATA_DIR),
    appUrl: env.APP_URL.replace(/\/$/, ''),
    resendApiKey: env.RESEND_API_KEY || undefined,
    mailFrom: env.MAIL_FROM,
    smsApiKey: env.SMS_API_KEY || undefined,
    smsApiUrl: env.SMS_API_URL,
    smsFrom: env.SMS_FROM,
    // The local outbox page exists for development and the one-command embedded
    // start only; a production deployment on PostgreSQL never serves it.
    devOutbox:
      env.KONSIL_DEV_OUTBOX === 'on' ? true : env.KONSIL_DEV_OUTBOX === 'off' ? false : env.NODE_ENV !== 'production' || embedded,
    trustedProxyHops: env.KONSIL_TRUST_PROXY,
    outboxIntervalMs: env.KONSIL_OUTBOX_INTERVAL_MS,
    embedded,
    testClock,
    patientSending: env.KONSIL_PATIENT_SENDING === 'on',
    smsCountries: env.KONSIL_SMS_COUNTRIES ? env.KONSIL_SMS_COUNTRIES.split(',').map((c) => c.trim().toUpperCase()) : SMS_COUNTRIES_DEFAULT,
  };
  return cached;
}
