import 'server-only';
import path from 'node:path';
import { z } from 'zod';
import { SMS_COUNTRIES_DEFAULT } from '@/lib/validation/phone';

const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.string().url().optional(),
  KONSIL_DATA_DIR: z.string().default('./data'),
  AUTH_SECRET: z.string().optional(),
  APP_URL: z.string().url().default('http://localhost:3000'),
  RESEND_API_KEY: z.string().optional(),
  MAIL_FROM: z.string().default('Konsil <noreply@konsil.localhost>'),
  SMS_API_KEY: z.string().optional(),
  SMS_API_URL: z.string().url().optional(),
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
    .optional(),
  // Study files on an S3-compatible store instead of the data folder: set the bucket.
  KONSIL_S3_BUCKET: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/, 'an S3 bucket name: letters, digits, . _ -')
    .optional(),
  // Keys below this folder of the bucket ("konsil/"), for a bucket shared with others.
  KONSIL_S3_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9_.-]+\/)*[A-Za-z0-9_.-]+\/?$/, 'folder names of letters, digits, _ . - separated by /, without a leading /')
    .refine((p) => !p.split('/').some((x) => x === '.' || x === '..'), 'no . or .. in the prefix')
    .optional(),
  // Another S3-compatible service than AWS (https://s3.example.org); empty: AWS for the region.
  KONSIL_S3_ENDPOINT: z.string().url().optional(),
  KONSIL_S3_REGION: z.string().min(1).optional(),
  // 1: https://endpoint/bucket/key (most self-hosted services) instead of https://bucket.endpoint/key.
  KONSIL_S3_FORCE_PATH_STYLE: z.enum(['0', '1']).optional(),
  // Both or neither: without them the AWS SDK's own chain (AWS_* variables, instance role) applies.
  KONSIL_S3_ACCESS_KEY_ID: z.string().optional(),
  KONSIL_S3_SECRET_ACCESS_KEY: z.string().optional(),
  // Multi-party conferences on a LiveKit server: all three or none (none: no conferences).
  LIVEKIT_URL: z.string().url().refine((u) => /^(wss?|https?):\/\//.test(u), 'a ws(s):// or http(s):// URL').optional(),
  LIVEKIT_API_KEY: z.string().min(1).optional(),
  LIVEKIT_API_SECRET: z.string().min(1).optional(),
});

/** Where study files are kept when not in the data folder: an S3-compatible bucket. */
export type S3Config = {
  bucket: string;
  /** "" or a folder ending in "/". */
  prefix: string;
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
};

/** The LiveKit server that carries multi-party conferences. */
export type LivekitConfig = {
  /** What browsers connect to (wss://…). */
  url: string;
  apiKey: string;
  apiSecret: string;
};

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
  /** Study files on an S3-compatible store; absent: in the data folder (<data>/blobs). */
  s3?: S3Config;
  /** Multi-party conferences on a LiveKit server; absent: none are offered. */
  livekit?: LivekitConfig;
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

const S3_VARS = ['KONSIL_S3_PREFIX', 'KONSIL_S3_ENDPOINT', 'KONSIL_S3_REGION', 'KONSIL_S3_FORCE_PATH_STYLE', 'KONSIL_S3_ACCESS_KEY_ID', 'KONSIL_S3_SECRET_ACCESS_KEY'] as const;

function s3Config(env: z.infer<typeof ZEnv>): S3Config | undefined {
  if (!env.KONSIL_S3_BUCKET) {
    // Settings for a store that is not switched on would leave the files in the data folder unnoticed.
    const stray = S3_VARS.filter((k) => env[k] !== undefined);
    if (stray.length) throw new Error(`${stray.join(', ')} set without KONSIL_S3_BUCKET: set the bucket to keep study files on S3, or remove them to keep them in the data folder`);
    return undefined;
  }
  const id = env.KONSIL_S3_ACCESS_KEY_ID;
  const secret = env.KONSIL_S3_SECRET_ACCESS_KEY;
  if (!id !== !secret) throw new Error('KONSIL_S3_ACCESS_KEY_ID and KONSIL_S3_SECRET_ACCESS_KEY go together: set both, or neither for the AWS SDK\'s own credentials');
  const prefix = env.KONSIL_S3_PREFIX ? env.KONSIL_S3_PREFIX.replace(/\/?$/, '/') : '';
  return {
    bucket: env.KONSIL_S3_BUCKET,
    prefix,
    endpoint: env.KONSIL_S3_ENDPOINT,
    region: env.KONSIL_S3_REGION ?? 'us-east-1',
    forcePathStyle: env.KONSIL_S3_FORCE_PATH_STYLE === '1',
    credentials: id && secret ? { accessKeyId: id, secretAccessKey: secret } : undefined,
  };
}

function livekitConfig(env: z.infer<typeof ZEnv>): LivekitConfig | undefined {
  const { LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret } = env;
  if (!url && !apiKey && !apiSecret) return undefined;
  // A partial setting would leave conferences off unnoticed, or fail only at the first join.
  if (!url || !apiKey || !apiSecret) {
    const missing = Object.entries({ LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret }).filter(([, v]) => !v).map(([k]) => k);
    throw new Error(`${missing.join(', ')} missing: LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET go together; set all three for conferences, or none`);
  }
  return { url: url.replace(/\/$/, ''), apiKey, apiSecret };
}

export function getConfig(): AppConfig {
  if (cached) return cached;
  // An empty value is an unset one: a copied .env.example (NAME= for every
  // optional setting) must start the app as if those lines were not there.
  const env = ZEnv.parse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== '')));
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
    s3: s3Config(env),
    livekit: livekitConfig(env),
  };
  return cached;
}
