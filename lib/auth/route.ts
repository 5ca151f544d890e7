import 'server-only';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { getDb, type Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { isUniqueViolation } from '@/lib/db/errors';
import { issuesToFieldErrors } from '@/lib/validation';
import { auth } from './auth';
import { loadSessionContext, type SessionContext } from '@/lib/accounts/sessions';
import { getConfig } from '@/lib/config';

type Access = 'public' | 'member' | 'admin';

type RouteArgs<I, A extends Access> = {
  input: I;
  db: Db;
  req: Request;
  params: Record<string, string>;
  clientIp: string;
  session: A extends 'public' ? null : SessionContext;
};

type RouteContext = { params: Promise<Record<string, string>> };

export function clientIpOf(req: Request): string {
  const forwarded = req.headers.get('x-forwarded-for');
  const hops = (forwarded ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  // Next's own server fills X-Forwarded-For from the socket only when the
  // request has none, so without a trusted proxy the first hop may be the
  // client's own claim. Behind a proxy that appends (KONSIL_TRUST_PROXY=1)
  // the last hop is the address that proxy saw. See docs/SECURITY.md.
  const pick = getConfig().trustProxy ? hops[hops.length - 1] : hops[0];
  return pick || req.headers.get('x-real-ip') || 'unknown';
}

export async function currentSession(db: Db): Promise<SessionContext | null> {
  const s = await auth();
  if (!s?.sid) return null;
  return loadSessionContext(db, s.sid);
}

function sameOrigin(req: Request): boolean {
  const origin = req.headers.get('origin');
  if (!origin) return true;
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function errorResponse(e: unknown): NextResponse {
  if (isUniqueViolation(e)) e = new AppError('conflict');
  if (e instanceof AppError) {
    const res = NextResponse.json(e.toBody(), { status: e.status });
    if (e.retryAfterSeconds) res.headers.set('Retry-After', String(e.retryAfterSeconds));
    return res;
  }
  // Internals stay in the server log; the client gets a code only.
  // Only the error's name: driver messages can carry query parameters.
  console.error('[route] internal error', e instanceof Error ? e.name : 'unknown');
  return NextResponse.json({ error: { code: 'internal' } }, { status: 500 });
}

/**
 * The one wrapper for every route handler: authenticates, parses input with
 * zod, authorises by role, and turns errors into coded JSON without internals.
 */
export function route<S extends z.ZodType, A extends Access>(
  opts: { access: A; input?: S },
  handler: (args: RouteArgs<z.output<S>, A>) => Promise<unknown>,
) {
  return async (req: Request, ctx?: RouteContext): Promise<Response> => {
    try {
      const method = req.method.toUpperCase();
      if (method !== 'GET' && method !== 'HEAD') {
        if (!sameOrigin(req)) throw new AppError('forbidden');
        const ct = req.headers.get('content-type') ?? '';
        if (!ct.toLowerCase().startsWith('application/json')) throw new AppError('bad_request');
      }
      const db = await getDb();
      let session: SessionContext | null = null;
      if (opts.access !== 'public') {
        session = await currentSession(db);
        if (!session) throw new AppError('unauthenticated');
        if (opts.access === 'admin' && session.role === 'member') throw new AppError('forbidden');
      }
      let raw: unknown = {};
      if (method === 'GET' || method === 'HEAD') {
        raw = Object.fromEntries(new URL(req.url).searchParams);
      } else {
        const text = await req.text();
        if (text.length > 1_000_000) throw new AppError('bad_request');
        try {
          raw = text ? JSON.parse(text) : {};
        } catch {
          throw new AppError('bad_request');
        }
      }
      let input = raw as z.output<S>;
      if (opts.input) {
        const parsed = opts.input.safeParse(raw);
        if (!parsed.success) throw new AppError('validation', { fields: issuesToFieldErrors(parsed.error) });
        input = parsed.data;
      }
      const params = ctx?.params ? await ctx.params : {};
      const result = await handler({
        input,
        db,
        req,
        params,
        clientIp: clientIpOf(req),
        session: session as RouteArgs<z.output<S>, A>['session'],
      });
      if (result instanceof Response) return result;
      return NextResponse.json(result ?? { ok: true }, { headers: { 'Cache-Control': 'no-store' } });
    } catch (e) {
      return errorResponse(e);
    }
  };
}
