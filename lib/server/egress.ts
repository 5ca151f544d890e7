import 'server-only';
import dns from 'node:dns/promises';
import net from 'node:net';

// Practices enter their own SMTP host and SMS gateway URL. Without a check an
// organisation admin could make the server connect to the operator's internal
// network (SSRF). Loopback, private, link-local, CGNAT and multicast ranges are
// refused unless KONSIL_ALLOW_PRIVATE_RELAYS=1 (tests, or a deployment whose
// relay really is internal). The check resolves the name right before the
// connection; a DNS answer that changes in between is not caught (see
// docs/SECURITY.md, known gaps).

const blocked = new net.BlockList();
for (const [net4, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net4, prefix, 'ipv4');
}
for (const [net6, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net6, prefix, 'ipv6');
}

export class EgressError extends Error {
  constructor(readonly code: 'egress_refused' | 'dns_failed') {
    super(code);
    this.name = 'EgressError';
  }
}

export function allowPrivateRelays(): boolean {
  // Read live (not through getConfig) so a test can switch it for its own file.
  return process.env.KONSIL_ALLOW_PRIVATE_RELAYS === '1';
}

export function isPrivateAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  const family = net.isIP(ip);
  if (family === 0) return true;
  return blocked.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** Throws EgressError unless every address `host` resolves to is public. */
export async function assertPublicHost(host: string): Promise<void> {
  if (allowPrivateRelays()) return;
  const bare = host.replace(/^\[|\]$/g, '');
  let addrs: string[];
  if (net.isIP(bare)) addrs = [bare];
  else {
    try {
      addrs = (await dns.lookup(bare, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      throw new EgressError('dns_failed');
    }
  }
  if (addrs.length === 0 || addrs.some(isPrivateAddress)) throw new EgressError('egress_refused');
}
