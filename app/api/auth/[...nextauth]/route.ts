// GET/POST /api/auth/* — Auth.js endpoints (session, csrf, callback for the ticket provider)
import { NextRequest } from 'next/server';
import { handlers } from '@/lib/auth/auth';
import { errorResponse, readBodyText } from '@/lib/auth/route';

export const { GET } = handlers;

// Auth.js reads whole form bodies; its forms are a few hundred bytes, so the
// body is read here first, under a limit, and handed on.
const MAX_AUTH_BODY_BYTES = 16 * 1024;

export async function POST(req: NextRequest): Promise<Response> {
  let body: string;
  try {
    body = await readBodyText(req, MAX_AUTH_BODY_BYTES);
  } catch (e) {
    return errorResponse(e);
  }
  return handlers.POST(new NextRequest(req.url, { method: 'POST', headers: req.headers, body }));
}
