import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { getConfig } from '@/lib/core/config';

export const MIN_SECRET_LENGTH = 32;

export class WeakSecretError extends Error {
  constructor() {
    super(
      `AUTH_SECRET is missing or shorter than ${MIN_SECRET_LENGTH} characters. In production with DATABASE_URL ` +
        'it must be set explicitly, e.g. AUTH_SECRET=$(openssl rand -base64 48).',
    );
    this.name = 'WeakSecretError';
  }
}

let cached: string | undefined;

/**
 * The secret that signs session cookies. In development and in the embedded
 * one-command start a missing secret is generated once and kept in the data
 * folder; a production deployment on PostgreSQL must bring its own.
 */
export function getAuthSecret(): string {
  if (cached) return cached;
  const cfg = getConfig();
  const fromEnv = process.env.AUTH_SECRET;
  if (fromEnv && fromEnv.length >= MIN_SECRET_LENGTH) return (cached = fromEnv);
  if (cfg.nodeEnv === 'production' && !cfg.embedded) throw new WeakSecretError();
  if (fromEnv) throw new WeakSecretError();
  const file = path.join(cfg.dataDir, 'auth-secret');
  try {
    cached = fs.readFileSync(file, 'utf8').trim();
    if (cached.length >= MIN_SECRET_LENGTH) return cached;
  } catch {
    /* not there yet */
  }
  fs.mkdirSync(cfg.dataDir, { recursive: true });
  cached = randomBytes(48).toString('base64url');
  fs.writeFileSync(file, cached, { mode: 0o600 });
  return cached;
}
