import 'server-only';
import { createHmac, randomBytes } from 'node:crypto';
import { now } from '@/lib/core/clock';

export type IceServer = { urls: string[]; username?: string; credential?: string };

function list(v: string | undefined): string[] {
  return (v ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Lifetime of minted TURN credentials. */
export const TURN_TTL_SECONDS = 2 * 60 * 60;

/**
 * TURN REST credentials (the scheme coturn implements with
 * --use-auth-secret): username "<expiry>:<random>", password
 * base64(HMAC-SHA1(static-auth-secret, username)). Short-lived, minted per
 * participant, so a leaked one soon stops working and the secret never leaves the server.
 */
export function turnCredentials(secret: string, ttlSeconds = TURN_TTL_SECONDS, at: Date = now()): { username: string; credential: string } {
  const expiry = Math.floor(at.getTime() / 1000) + ttlSeconds;
  const username = `${expiry}:${randomBytes(6).toString('hex')}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

/** ICE configuration for one participant: STUN as configured, TURN with fresh credentials. */
export function iceConfig(env: NodeJS.ProcessEnv = process.env): { iceServers: IceServer[]; iceTransportPolicy: 'all' | 'relay' } {
  const servers: IceServer[] = [];
  const stun = list(env.KONSIL_STUN_URLS);
  if (stun.length) servers.push({ urls: stun });
  const turn = list(env.KONSIL_TURN_URLS);
  if (turn.length && env.KONSIL_TURN_SECRET) servers.push({ urls: turn, ...turnCredentials(env.KONSIL_TURN_SECRET) });
  return { iceServers: servers, iceTransportPolicy: env.KONSIL_ICE_POLICY === 'relay' ? 'relay' : 'all' };
}
