import { afterEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { startRelayLink, type RelayLink } from '../../../../src/remote/agent/relay-link/relay-link.js';
import type { RelayLinkState } from '../../../../src/remote/agent/relay-link/relay-link-state.js';
import { createAgentIdentity } from '../../../../src/remote/channel/identity.js';
import { issueChallenge } from '../../../../src/remote/relay/agent-proof.js';
import { loadSodium } from '../../../../src/remote/sodium.js';
import { waitFor } from '../test-agent.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A relay that accepts any agent and then goes silent: no pong, no message (a half-dead link). */
async function silentRelay(): Promise<{ url: string; connections: () => number }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong: false });
  await new Promise((resolve) => server.once('listening', resolve));
  const sodium = await loadSodium();
  let connections = 0;
  server.on('connection', (socket) => {
    connections++;
    socket.once('message', () => socket.send(JSON.stringify({ type: 'accepted', publicUrl: 'http://relay.test/' })));
    socket.send(JSON.stringify(issueChallenge(sodium).message));
  });
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  cleanups.push(() => server.clients.forEach((socket) => socket.terminate()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, connections: () => connections };
}

describe('the relay link heartbeat', () => {
  it('drops a link that hears nothing (no pong) for the timeout, and reconnects', async () => {
    const relay = await silentRelay();
    const states: RelayLinkState[] = [];
    const link: RelayLink = startRelayLink({
      url: relay.url,
      identity: await createAgentIdentity(),
      onClient: () => {},
      onState: (state) => states.push(state),
      heartbeatIntervalMs: 50,
      heartbeatTimeoutMs: 300,
      backoff: { baseMs: 20, capMs: 40 },
    });
    cleanups.push(() => link.stop());
    await waitFor(() => states.some((state) => state.state === 'connected'));
    await waitFor(() => states.some((state) => state.state === 'reconnecting'), 3000);
    expect(states.find((state) => state.state === 'reconnecting')?.reason).toMatch(/1006|could not be reached/);
    await waitFor(() => relay.connections() >= 2, 3000);
  });
});
