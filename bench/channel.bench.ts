/**
 * Channel throughput over loopback: how much the seal (secretstream per frame) and the RPC layer
 * (chunks under the credit window, acks every 16 KiB) cost against raw WebSocket frames of the
 * same size. Agent and client run in this one process, as they share one event loop in every row.
 */
import { WebSocket, WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { openChannel } from '../src/remote/channel/open.js';
import { LIMITS } from '../src/remote/protocol/limits.js';
import { serveRpc } from '../src/remote/rpc/serve.js';
import { connect } from '../src/remote/sdk/index.js';
import { formatLink } from '../src/remote/link.js';
import { startTestAgent } from '../test/unit/remote/test-agent.js';

const TOTAL = 256 * 1024 * 1024;
const CHUNK = LIMITS.chunkBytes;

async function rawWebSocket(): Promise<number> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const payload = new Uint8Array(CHUNK).fill(1);
  server.on('connection', (socket) => {
    let sent = 0;
    // Send while the socket's buffer is short, as a sender with backpressure would.
    const pump = () => {
      while (sent < TOTAL && socket.bufferedAmount < LIMITS.creditWindowBytes) {
        socket.send(payload);
        sent += CHUNK;
      }
      if (sent < TOTAL) setImmediate(pump);
    };
    pump();
  });
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  const started = performance.now();
  await new Promise<void>((resolve) => {
    let received = 0;
    client.on('message', (data: Buffer) => {
      received += data.byteLength;
      if (received >= TOTAL) resolve();
    });
  });
  const ms = performance.now() - started;
  client.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return ms;
}

async function sealedSession(): Promise<number> {
  const payload = new Uint8Array(CHUNK).fill(1);
  const agent = await startTestAgent({
    onSession: (session) => {
      let sent = 0;
      const pump = () => {
        while (sent < TOTAL && session.bufferedAmount < LIMITS.creditWindowBytes) {
          session.send(payload);
          sent += CHUNK;
        }
        if (sent < TOTAL) setImmediate(pump);
      };
      session.onMessage(() => pump());
    },
  });
  const device = await agent.addDevice('bench');
  const session = await openChannel(agent.url, { agentId: agent.agentId, deviceId: device.id, deviceSeed: device.seed });
  const started = performance.now();
  await new Promise<void>((resolve) => {
    let received = 0;
    session.onMessage((message) => {
      if (message.kind === 'binary') received += message.bytes.byteLength;
      if (received >= TOTAL) resolve();
    });
    session.send({ go: true });
  });
  const ms = performance.now() - started;
  session.close();
  await agent.close();
  return ms;
}

async function sdkReadStream(): Promise<number> {
  const payload = new Uint8Array(CHUNK).fill(1);
  const agent = await startTestAgent({
    onSession: (session) =>
      serveRpc(session, {
        'files.read': async ({ path }, context) => {
          for (let sent = 0; sent < TOTAL; sent += CHUNK) await context.sendChunk(payload);
          return { path, size: TOTAL, version: 'v', redactedEnv: false };
        },
      }),
  });
  const device = await agent.addDevice('bench');
  const server = await connect(formatLink({ url: agent.url.replace('ws:', 'http:'), agentId: agent.agentId, deviceId: device.id, deviceSeed: device.seed }));
  const started = performance.now();
  let received = 0;
  for await (const chunk of server.files.readStream('/big')) received += chunk.byteLength;
  const ms = performance.now() - started;
  if (received !== TOTAL) throw new Error(`the SDK read ${received} of ${TOTAL} bytes`);
  server.close();
  await agent.close();
  return ms;
}

async function best(run: () => Promise<number>, runs = 3): Promise<number> {
  await run(); // warm-up: JIT, libsodium's WebAssembly
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await run());
  return Math.min(...samples);
}

export async function benchChannel(): Promise<void> {
  const mb = TOTAL / (1024 * 1024);
  const raw = await best(rawWebSocket);
  const sealed = await best(sealedSession);
  const sdk = await best(sdkReadStream);
  const rate = (ms: number) => mb / (ms / 1000);
  console.log(`\nChannel throughput over loopback, ${mb} MiB in ${CHUNK / 1024} KiB frames (best of 3, higher is better)`);
  for (const [label, ms] of [
    ['SDK files.readStream (sealed + RPC chunks + credit)', sdk],
    ['sealed channel session (secretstream per frame)', sealed],
    ['raw ws binary frames', raw],
  ] as const) {
    const ratio = ms === raw ? '(baseline)' : `ratio ${(rate(ms) / rate(raw)).toFixed(2)}`;
    console.log(`  ${label.padEnd(52)} ${rate(ms).toFixed(0).padStart(5)} MB/s  ${ratio}`);
  }
}
