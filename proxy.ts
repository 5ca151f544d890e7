import { NextResponse, type NextRequest } from 'next/server';
import { livekitConnectSources } from '@/lib/core/csp';

// A fresh nonce per page view: only scripts Next renders with it (and what
// they load) run. Everything else is same-origin only, so an injected script
// could not send decrypted data to another host with fetch or a form.
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const isDev = process.env.NODE_ENV === 'development';
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'nonce-${nonce}'`,
    // React sets a few style attributes (progress bars); attributes cannot load anything.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "font-src 'self'",
    // Conferences on a LiveKit server connect there (frames end-to-end encrypted, lib/client/conference-livekit.ts).
    ["connect-src 'self'", ...livekitConnectSources(process.env.LIVEKIT_URL)].join(' '),
    "worker-src 'self' blob:",
    // The study viewer shows PDF reports in a frame from an object URL (the
    // decrypted bytes stay in the tab); nothing else may be framed.
    "frame-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

export const config = {
  matcher: [
    {
      source: '/((?!api|_next/static|_next/image|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
