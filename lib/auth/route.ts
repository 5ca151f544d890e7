import 'server-only';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { getDb, type Db } from '@/lib/db/client';
import { AppError } from '@/lib/core/errors';
import { isUniqueViolation } from '@/lib/db/errors';
import { issuesToFieldErrors } from '@/lib/validation';
import { auth } from './auth';
import { loadSessionContext, type SessionContext } from '@/lib/auth/sessions';
import { getConfig } from '@/lib/core/config';
import { clientAddress } from '@/lib/server/peer-address';
import { participantByToken, tokenOf, type Participant } from '@/lib/video/participant';
import { confereeByToken, conferenceTokenOf, type Conferee } from '@/lib/conferences/room';

/**
 * Who may call a route: anyone ('public'); a signed-in member ('member'), an
 * owner or admin among them ('admin'); or the participant of a waiting room or
 * call, by its call token ('participant'); a participant of a conference's
 * lobby or room, by its conference token ('conference').
 */
type Access = 'public' | 'member' | 'admin' | 'participant' | 'conference';

type RouteArgs<I, A extends Access> = {
  input: I;
  db: Db;
  req: Request;
  params: Record<string, string>;
  clientIp: string;
  session: A extends 'member' | 'admin' ? SessionContext : null;
  participant: A extends 'participant' ? Participant : null;
  conferee: A extends 'conference' ? Conferee : null;
};

type RouteContext = { params: Promise<Record<string, string>> };

/** JSON bodies of every route: the largest is a sealed appointment record, a few KiB. */
export const MAX_BODY_BYTES = 1_000_000;

/**
 * Reads a request body up to a limit while it streams in: a declared length
 * over it is refused before reading, and an undeclared one is cut off at it,
 * so a large body costs neither memory nor time.
 */
export async function readBodyText(req: Request, limit: number): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > limit) throw new AppError('payload_too_large');
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new AppError('payload_too_large');
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

export function clientIpOf(req: Request): string {
  // The socket's address, stamped at start-up (lib/server/peer-address.ts); an
  // X-Forwarded-For from the client counts only behind configured proxies.
  return clientAddress(req.headers, getConfig().trustedProxyHops);
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

/** The caller the access level asks for, or the error that refuses the request. */
async function authenticate(db: Db, req: Request, access: Access, whileLocked: boolean) {
  if (access === 'public') return { session: null, participant: null, conferee: null };
  if (access === 'participant') return { session: null, participant: await participantByToken(db, tokenOf(req)), conferee: null };
  if (access === 'conference') return { session: null, participant: null, conferee: await confereeByToken(db, conferenceTokenOf(req)) };
  const session = await currentSession(db);
  if (!session) throw new AppError('unauthenticated');
  // A tab without its keys has no powers either: the password opens them again.
  if (session.locked && !whileLocked) throw new AppError('session_locked');
  if (access === 'admin' && session.role === 'member') throw new AppError('forbidden');
  return { session, participant: null, conferee: null };
}

/**
 * The one wrapper for every route handler: authenticates, parses input with
 * zod, authorises by role, and turns errors into coded JSON without internals.
 * A handler may answer with a Response of its own (a file, an event stream).
 */
export function route<S extends z.ZodType, A extends Access>(
  opts: {
    access: A;
    input?: S;
    /** Reachable while the tab is locked (key bundle, unlock, lock, the waiting-room stream). */
    whileLocked?: boolean;
    /** The handler reads the body itself as a stream (file uploads); no JSON, no body limit here. */
    streamBody?: boolean;
  },
  handler: (args: RouteArgs<z.output<S>, A>) => Promise<unknown>,
) {
  return async (req: Request, ctx?: RouteContext): Promise<Response> => {
    try {
      const method = req.method.toUpperCase();
      const withBody = method !== 'GET' && method !== 'HEAD';
      if (withBody) {
        if (!sameOrigin(req)) throw new AppError('forbidden');
        const ct = req.headers.get('content-type') ?? '';
        if (!opts.streamBody && !ct.toLowerCase().startsWith('application/json')) throw new AppError('bad_request');
      }
      // The body first, under its limit: a large one is refused before any other work.
      const text = !withBody || opts.streamBody ? null : await readBodyText(req, MAX_BODY_BYTES);
      const db = await getDb();
      const { session, participant, conferee } = await authenticate(db, req, opts.access, opts.whileLocked ?? false);
      let raw: unknown = {};
      if (text === null) {
        if (!opts.streamBody) raw = Object.fromEntries(new URL(req.url).searchParams);
      } else {
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
        participant: participant as RouteArgs<z.output<S>, A>['participant'],
        conferee: conferee as RouteArgs<z.output<S>, A>['conferee'],
      });
      if (result instanceof Response) return result;
      return NextResponse.json(result ?? { ok: true }, { headers: { 'Cache-Control': 'no-store' } });
    } catch (e) {
      return errorResponse(e);
    }
  };
}
