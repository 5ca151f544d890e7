import type { ErrorCode } from '@/lib/core/errors';
import { CryptoError, type CryptoErrorCode } from '@/lib/crypto/types';

/**
 * What a route's answer looks like once it has come through JSON: the types
 * the services export carry Dates, which arrive as ISO strings.
 */
export type Json<T> = T extends Date ? string : T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'network',
    readonly status: number,
    readonly fields?: Record<string, string>,
    readonly retryAfterSeconds?: number,
  ) {
    super(code);
    this.name = 'ApiError';
  }
}

/** JSON call to one of our route handlers; errors come back as ApiError with a code to translate. */
export async function api<T>(path: string, opts: { method?: string; body?: unknown; headers?: Record<string, string>; keepalive?: boolean } = {}): Promise<T> {
  const method = opts.method ?? (opts.body === undefined ? 'GET' : 'POST');
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: { ...(method === 'GET' ? {} : { 'content-type': 'application/json' }), ...opts.headers },
      keepalive: opts.keepalive,
      body: method === 'GET' ? undefined : JSON.stringify(opts.body ?? {}),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError('network', 0);
  }
  let data: unknown = null;
  try {
    data = await res.json();
  } catch {
    /* empty or not JSON */
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: ErrorCode; fields?: Record<string, string>; retryAfterSeconds?: number } } | null)?.error;
    throw new ApiError(err?.code ?? 'internal', res.status, err?.fields, err?.retryAfterSeconds);
  }
  return data as T;
}

const PROTOCOL_VERDICTS = new Set<CryptoErrorCode>(['org_key_changed', 'member_keys_unproven', 'account_not_on_device', 'key_signature_invalid', 'partner_pin_invalid', 'study_invalid', 'study_signature_invalid', 'study_file_mismatch', 'partner_key_changed', 'stream_corrupt', 'stream_truncated']);

/**
 * The translation key (under "errors") for anything a browser flow throws: the
 * server's code, or the protocol's own verdict when the browser refused what
 * the server served.
 */
export function errorCode(e: unknown): string {
  if (e instanceof ApiError) return e.code;
  if (e instanceof CryptoError && PROTOCOL_VERDICTS.has(e.code)) return e.code;
  return 'internal';
}
