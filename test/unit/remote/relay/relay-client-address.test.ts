import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { parseCommand } from '../../../../src/cli/args.js';
import { agentIdOf, createAgentIdentity } from '../../../../src/remote/channel/identity.js';
import { webSocketUrl } from '../../../../src/remote/link.js';
import { clientAddress } from '../../../../src/remote/relay/client-address.js';
import { startRelay } from '../../../../src/remote/relay/start-relay.js';
import { rawAgent } from './relay-harness.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const caddy = new Set(['127.0.0.1']);

/** Opens a client socket as if through a proxy that wrote `forwardedFor`; resolves to the HTTP status of a refusal, or 101. */
function upgradeStatus(url: string, forwardedFor?: string): Promise<number> {
  const socket = new WebSocket(url, { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });
  socket.on('error', () => {});
  cleanups.push(() => socket.terminate());
  return new Promise((resolve) => {
    socket.once('upgrade', () => resolve(101));
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
  });
}

describe('the client address behind a trusted proxy', () => {
  it('reads X-Forwarded-For only from a trusted proxy, right to left, skipping trusted hops', () => {
    expect(clientAddress('127.0.0.1', '203.0.113.7', caddy)).toBe('203.0.113.7');
    expect(clientAddress('::ffff:127.0.0.1', '198.51.100.1, 203.0.113.7', caddy)).toBe('203.0.113.7');
    expect(clientAddress('127.0.0.1', '203.0.113.7, 127.0.0.1', caddy)).toBe('203.0.113.7');
    expect(clientAddress('127.0.0.1', ['10.0.0.1', '2001:DB8::1'], caddy)).toBe('2001:db8::1');
    // From anyone else the header proves nothing.
    expect(clientAddress('192.0.2.9', '203.0.113.7', caddy)).toBe('192.0.2.9');
    expect(clientAddress('127.0.0.1', '203.0.113.7', new Set())).toBe('127.0.0.1');
    // A proxy without the header, or a chain that is not addresses, counts as the proxy.
    expect(clientAddress('127.0.0.1', undefined, caddy)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', 'evil, <script>', caddy)).toBe('127.0.0.1');
  });

  it('--trust-proxy: addresses only, comma-separated', () => {
    const command = parseCommand(['relay', '--trust-proxy', '127.0.0.1,::1']);
    expect(command.name === 'run' && command.options).toMatchObject({ trustProxy: ['127.0.0.1', '::1'] });
    expect(() => parseCommand(['relay', '--trust-proxy', 'caddy.local'])).toThrow(/--trust-proxy takes the proxy's IP addresses.*not "caddy.local"/);
  });

  it('counts connections per forwarded client behind a trusted proxy, and per peer without one', async () => {
    const trusting = await startRelay({ listen: { host: '127.0.0.1', port: 0 }, trustProxy: ['127.0.0.1'], limits: { maxConnectionsPerIp: 1 } }, () => {});
    cleanups.push(() => trusting.stop());
    const identity = await createAgentIdentity();
    const agentId = await agentIdOf(identity);
    // An online agent (its own connection comes from 127.0.0.1 itself), so client sockets stay open and count.
    const agent = await rawAgent(trusting.url, identity);
    cleanups.push(() => agent.socket.terminate());
    await agent.answer;
    const url = webSocketUrl({ url: trusting.url, agentId });
    expect(await upgradeStatus(url, '203.0.113.1')).toBe(101);
    expect(await upgradeStatus(url, '203.0.113.2')).toBe(101);
    expect(await upgradeStatus(url, '198.51.100.9, 203.0.113.2')).toBe(429); // the left entry is the client's own claim

    const plain = await startRelay({ listen: { host: '127.0.0.1', port: 0 }, limits: { maxConnectionsPerIp: 2 } }, () => {});
    cleanups.push(() => plain.stop());
    const plainAgent = await rawAgent(plain.url, identity);
    cleanups.push(() => plainAgent.socket.terminate());
    await plainAgent.answer;
    const plainUrl = webSocketUrl({ url: plain.url, agentId });
    expect(await upgradeStatus(plainUrl, '203.0.113.1')).toBe(101);
    expect(await upgradeStatus(plainUrl, '203.0.113.2')).toBe(429); // the header is ignored: all three are 127.0.0.1
  });
});
