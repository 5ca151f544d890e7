import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { clientAddress, installPeerAddress, PEER_HEADER } from './peer-address';

const h = (o: Record<string, string>) => new Headers(o);

describe('clientAddress', () => {
  it('without trusted proxies is the socket peer, whatever X-Forwarded-For claims', () => {
    expect(clientAddress(h({ [PEER_HEADER]: '203.0.113.7', 'x-forwarded-for': '198.51.100.1' }), 0)).toBe('203.0.113.7');
  });
  it('behind n proxies is the entry the outermost trusted proxy appended', () => {
    const headers = h({ [PEER_HEADER]: '10.0.0.2', 'x-forwarded-for': 'spoofed, 203.0.113.7, 10.0.0.1' });
    expect(clientAddress(headers, 1)).toBe('10.0.0.1');
    expect(clientAddress(headers, 2)).toBe('203.0.113.7');
    // Fewer entries than proxies: the peer, never a client's claim.
    expect(clientAddress(h({ [PEER_HEADER]: '10.0.0.2' }), 1)).toBe('10.0.0.2');
  });
});

describe('installPeerAddress', () => {
  it("stamps every request with the socket's address and drops a client's own stamp", async () => {
    installPeerAddress();
    installPeerAddress(); // idempotent
    const server = http.createServer((req, res) => res.end(JSON.stringify({ peer: req.headers[PEER_HEADER], raw: req.rawHeaders })));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, localAddress: '127.0.0.42', headers: { [PEER_HEADER]: '198.51.100.1', 'x-forwarded-for': '198.51.100.1' } }, (res) => {
          let s = '';
          res.on('data', (c) => (s += c));
          res.on('end', () => resolve(s));
        });
        req.on('error', reject);
        req.end();
      });
      const { peer, raw } = JSON.parse(body) as { peer: string; raw: string[] };
      expect(peer).toBe('127.0.0.42');
      const at = raw.findIndex((x) => x.toLowerCase() === PEER_HEADER);
      expect(raw.filter((x) => x.toLowerCase() === PEER_HEADER)).toHaveLength(1);
      expect(raw[at + 1]).toBe('127.0.0.42');
    } finally {
      server.close();
    }
  });
});
