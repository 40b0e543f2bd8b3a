import { isIP } from 'node:net';

/** `::ffff:192.0.2.1` (an IPv4 peer on a dual-stack socket) as `192.0.2.1`, so one address has one spelling. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return (mapped ? mapped[1]! : trimmed).toLowerCase();
}

/**
 * The address a connection's limits count against. Behind a reverse proxy every peer is the proxy,
 * so when the peer is one of `trustedProxies`, the client is the right-most X-Forwarded-For entry
 * that is not itself a trusted proxy (entries further left were written by the client and prove
 * nothing). From any other peer the header is ignored: a client could claim any address with it.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trustedProxies: ReadonlySet<string>): string {
  const direct = normalizeAddress(peer ?? 'unknown');
  if (!trustedProxies.has(direct) || forwardedFor === undefined) return direct;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map(normalizeAddress);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (isIP(hop) === 0) return direct; // a malformed chain: count it against the proxy
    if (!trustedProxies.has(hop)) return hop;
  }
  return direct;
}
