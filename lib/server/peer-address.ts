// The address a request really came from. Next.js gives route handlers only
// headers, and fills X-Forwarded-For from the socket only when the client sent
// none, so a client could name its own address. At start-up this stamps every
// incoming request with the socket's peer address in a header of our own,
// replacing whatever the client put there, before Next sees the request.
import http from 'node:http';
import type { Socket } from 'node:net';

export const PEER_HEADER = 'x-konsil-peer';

const KEY = Symbol.for('konsil.peer-address');

export function installPeerAddress(): void {
  const proto = http.Server.prototype as http.Server & { [KEY]?: boolean };
  if (proto[KEY]) return;
  proto[KEY] = true;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const req = args[0] as http.IncomingMessage;
      const socket = req.socket as Socket | undefined;
      req.headers[PEER_HEADER] = socket?.remoteAddress ?? 'unknown';
      // The raw header list too: some code reads rawHeaders instead of headers.
      for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) {
        if (req.rawHeaders[i]!.toLowerCase() === PEER_HEADER) req.rawHeaders.splice(i, 2);
      }
      req.rawHeaders.push(PEER_HEADER, req.headers[PEER_HEADER] as string);
    }
    return (emit as (this: http.Server, e: string | symbol, ...a: unknown[]) => boolean).call(this, event, ...args);
  } as typeof proto.emit;
}

/**
 * The client's address: the socket's peer, or, behind `trustedHops` proxies
 * that each append the address they saw to X-Forwarded-For, the entry that
 * the outermost trusted proxy appended. Entries further left are the
 * client's own claims and never used.
 */
export function clientAddress(headers: Headers, trustedHops: number): string {
  const peer = headers.get(PEER_HEADER) ?? 'unknown';
  if (trustedHops <= 0) return peer;
  const hops = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return hops[hops.length - trustedHops] ?? peer;
}
