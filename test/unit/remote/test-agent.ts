import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { acceptChannel, type KnownDevice } from '../../../src/remote/channel/accept.js';
import { agentIdOf, createAgentIdentity, createDeviceKeys, type AgentIdentity, type NewDevice } from '../../../src/remote/channel/identity.js';
import type { ChannelSession } from '../../../src/remote/channel/session.js';
import { LIMITS } from '../../../src/remote/protocol/limits.js';

/** A real agent side on 127.0.0.1: a ws server that runs acceptChannel for every connection. */
export interface TestAgent {
  url: string;
  identity: AgentIdentity;
  agentId: string;
  devices: Map<string, KnownDevice>;
  sessions: ChannelSession[];
  failures: Error[];
  sockets: Set<WebSocket>;
  addDevice(name: string, role?: KnownDevice['role']): Promise<NewDevice>;
  close(): Promise<void>;
}

export async function startTestAgent(options: { onSession?: (session: ChannelSession) => void; identity?: AgentIdentity; handshakeTimeoutMs?: number } = {}): Promise<TestAgent> {
  const identity = options.identity ?? (await createAgentIdentity());
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: LIMITS.maxFrameBytes + 1024 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const agent: TestAgent = {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    identity,
    agentId: await agentIdOf(identity),
    devices: new Map(),
    sessions: [],
    failures: [],
    sockets: new Set(),
    async addDevice(name, role = 'operator') {
      const device = await createDeviceKeys();
      agent.devices.set(device.id, { publicKey: device.publicKey, name, role });
      return device;
    },
    async close() {
      for (const socket of agent.sockets) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('connection', (socket) => {
    agent.sockets.add(socket);
    socket.on('close', () => agent.sockets.delete(socket));
    acceptChannel(socket, { identity, lookupDevice: (id) => agent.devices.get(id), handshakeTimeoutMs: options.handshakeTimeoutMs }).then(
      (session) => {
        agent.sessions.push(session);
        options.onSession?.(session);
      },
      (error: Error) => agent.failures.push(error),
    );
  });
  return agent;
}

export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
