// Pure rules of the Content-Security-Policy (proxy.ts builds it per page view).

/**
 * Where the browser may connect besides its own origin: the LiveKit server of
 * conferences, when one is configured — its signalling WebSocket and its HTTP
 * endpoints (livekit-client asks /rtc/validate after a failed connection).
 * Origins only; nothing for a URL that does not parse or is not ws(s)/http(s).
 */
export function livekitConnectSources(livekitUrl: string | undefined): string[] {
  if (!livekitUrl) return [];
  let u: URL;
  try {
    u = new URL(livekitUrl);
  } catch {
    return [];
  }
  const secure = u.protocol === 'wss:' || u.protocol === 'https:';
  if (!secure && u.protocol !== 'ws:' && u.protocol !== 'http:') return [];
  return [`${secure ? 'wss' : 'ws'}://${u.host}`, `${secure ? 'https' : 'http'}://${u.host}`];
}
