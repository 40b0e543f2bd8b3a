import { WebSocket, WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';

export type Direction = 'to-agent' | 'to-client';
export interface RelayedFrame {
  connection: number;
  direction: Direction;
  data: Buffer;
  isBinary: boolean;
}

/**
 * A relay in the middle, as the real one will be: it forwards frames between each client and
 * the agent, and lets a test look at, hold, change or swap them (`intercept` returns the frames
 * to forward instead, or undefined to forward as is).
 */
export interface TestRelay {
  url: string;
  /** Number of binary frames seen per connection and direction, handshake included. */
  binaryCount(connection: number, direction: Direction): number;
  intercept?: (frame: RelayedFrame, send: (connection: number, direction: Direction, data: Buffer, isBinary: boolean) => void) => RelayedFrame[] | undefined;
  cut(connection: number): void;
  close(): Promise<void>;
}

export async function startTestRelay(agentUrl: string): Promise<TestRelay> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const pairs: { client: WebSocket; agent: WebSocket }[] = [];
  const counts = new Map<string, number>();
  const send = (connection: number, direction: Direction, data: Buffer, isBinary: boolean) => {
    const pair = pairs[connection];
    const target = direction === 'to-agent' ? pair?.agent : pair?.client;
    if (target?.readyState === WebSocket.OPEN) target.send(data, { binary: isBinary });
  };
  const relay: TestRelay = {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    binaryCount: (connection, direction) => counts.get(`${connection}:${direction}`) ?? 0,
    cut(connection) {
      pairs[connection]?.agent.terminate();
      pairs[connection]?.client.terminate();
    },
    async close() {
      for (const pair of pairs) {
        pair.agent.terminate();
        pair.client.terminate();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('connection', (client) => {
    const connection = pairs.length;
    const agent = new WebSocket(agentUrl);
    pairs.push({ client, agent });
    const pendingToAgent: { data: Buffer; isBinary: boolean }[] = [];
    const forward = (direction: Direction, data: Buffer, isBinary: boolean) => {
      if (isBinary) counts.set(`${connection}:${direction}`, relay.binaryCount(connection, direction) + 1);
      const frames = relay.intercept?.({ connection, direction, data, isBinary }, send) ?? [{ connection, direction, data, isBinary }];
      for (const frame of frames) send(frame.connection, frame.direction, frame.data, frame.isBinary);
    };
    client.on('message', (data: Buffer, isBinary) => {
      if (agent.readyState === WebSocket.OPEN) forward('to-agent', data, isBinary);
      else pendingToAgent.push({ data, isBinary });
    });
    agent.on('open', () => {
      for (const frame of pendingToAgent.splice(0)) forward('to-agent', frame.data, frame.isBinary);
    });
    agent.on('message', (data: Buffer, isBinary) => forward('to-client', data, isBinary));
    client.on('close', () => agent.close());
    agent.on('close', () => client.close());
    agent.on('error', () => client.terminate());
  });
  return relay;
}
