/**
 * The relay under load: AGENTS agents and CLIENTS clients in total (env RELAY_BENCH_AGENTS,
 * RELAY_BENCH_CLIENTS; default 200 and 1000, the issue's target), small sealed requests through a
 * real `openmates relay` process against the same agents' direct listeners; then a 100 MB
 * transfer through vs direct; the relay's RSS (peak) and CPU. Agents and clients share this one
 * process (and its event loop) in every row; the relay has its own.
 */
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { execa } from 'execa';
import { WebSocketServer } from 'ws';
import { acceptChannel, type KnownDevice } from '../src/remote/channel/accept.js';
import { agentIdOf, createAgentIdentity, createDeviceKeys, type NewDevice } from '../src/remote/channel/identity.js';
import { openChannel } from '../src/remote/channel/open.js';
import type { ChannelSession } from '../src/remote/channel/session.js';
import type { FrameTransport } from '../src/remote/channel/transport.js';
import { startRelayLink, type RelayLink } from '../src/remote/agent/relay-link/relay-link.js';
import { webSocketUrl } from '../src/remote/link.js';
import { LIMITS } from '../src/remote/protocol/limits.js';

const AGENTS = Number(process.env.RELAY_BENCH_AGENTS ?? 200);
const CLIENTS = Number(process.env.RELAY_BENCH_CLIENTS ?? 1000);
const REQUESTS_PER_CLIENT = 20;
const TRANSFER = 100 * 1024 * 1024;
const CHUNK = LIMITS.chunkBytes;

interface BenchAgent {
  agentId: string;
  directUrl: string;
  device: NewDevice;
  link: RelayLink;
  close(): Promise<void>;
}

/** Echoes JSON requests; `{"send": N}` streams N bytes in 64 KiB frames, under the session's backpressure. */
function serve(session: ChannelSession): void {
  session.onMessage((message) => {
    if (message.kind !== 'json') return;
    const value = message.value as { send?: number };
    if (typeof value.send !== 'number') return session.send({ echo: value });
    const payload = new Uint8Array(CHUNK).fill(7);
    let sent = 0;
    const pump = () => {
      while (sent < value.send! && session.bufferedAmount < LIMITS.creditWindowBytes) {
        session.send(payload);
        sent += CHUNK;
      }
      if (sent < value.send!) setTimeout(pump, 1);
    };
    pump();
  });
}

async function benchAgent(relayUrl: string): Promise<BenchAgent> {
  const identity = await createAgentIdentity();
  const device = await createDeviceKeys();
  const devices = new Map<string, KnownDevice>([[device.id, { publicKey: device.publicKey, name: 'bench', role: 'operator' }]]);
  const accept = (socket: Parameters<typeof acceptChannel>[0]) => acceptChannel(socket, { identity, lookupDevice: (id) => devices.get(id) }).then(serve, () => {});
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: LIMITS.maxFrameBytes + 1024 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  server.on('connection', (socket) => accept(socket));
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const link = startRelayLink({ url: relayUrl, identity, onClient: (transport: FrameTransport) => accept(transport), onState: (state) => state.state === 'connected' && connected() });
  await ready;
  return {
    agentId: await agentIdOf(identity),
    directUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    device,
    link,
    async close() {
      await link.stop();
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const open = (url: string, agent: BenchAgent) => openChannel(webSocketUrl({ url, agentId: agent.agentId }), { agentId: agent.agentId, deviceId: agent.device.id, deviceSeed: agent.device.seed, handshakeTimeoutMs: 120_000 });

function request(session: ChannelSession, value: unknown): Promise<void> {
  return new Promise((resolve) => {
    const off = session.onMessage(() => {
      off();
      resolve();
    });
    session.send(value);
  });
}

async function smallRequests(agents: BenchAgent[], urlOf: (agent: BenchAgent) => string) {
  const sessions: ChannelSession[] = [];
  // Connect in batches: a thousand handshakes at once would measure the handshake, not the path.
  for (let i = 0; i < CLIENTS; i += 50) {
    sessions.push(...(await Promise.all(Array.from({ length: Math.min(50, CLIENTS - i) }, (_, j) => open(urlOf(agents[(i + j) % agents.length]!), agents[(i + j) % agents.length]!)))));
  }
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    sessions.map(async (session, index) => {
      for (let r = 0; r < REQUESTS_PER_CLIENT; r++) {
        const sent = performance.now();
        await request(session, { client: index, request: r, body: 'x'.repeat(200) });
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const session of sessions) session.close('bench done');
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
}

async function transfer(url: string, agent: BenchAgent): Promise<number> {
  const session = await open(url, agent);
  const started = performance.now();
  await new Promise<void>((resolve) => {
    let received = 0;
    session.onMessage((message) => {
      if (message.kind === 'binary') received += message.bytes.byteLength;
      if (received >= TRANSFER) resolve();
    });
    session.send({ send: TRANSFER });
  });
  const seconds = (performance.now() - started) / 1000;
  session.close('bench done');
  return TRANSFER / (1024 * 1024) / seconds;
}

async function processUsage(pid: number): Promise<{ rssMb: number; peakRssMb: number; cpuSeconds: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]); // utime + stime, in clock ticks (100 per second on Linux)
  return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024, cpuSeconds: ticks / 100 };
}

export async function benchRelay(): Promise<void> {
  // RELAY_BENCH_NODE_FLAGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, profiles the relay process.
  const nodeFlags = (process.env.RELAY_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const relay = execa(process.execPath, [...nodeFlags, 'bin/openmates.js', 'relay', '--listen', '127.0.0.1:0', '--json', '--max-connections-per-ip', '100000', '--max-agents', '100000'], { stdin: 'ignore', reject: false });
  const relayUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    relay.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"type":"listening","url":"([^"]+)"/.exec(out);
      if (match) resolve(match[1]!);
    });
    void relay.then((result) => reject(new Error(`the relay ended: ${String(result.stderr)}`)));
  });
  const pid = relay.pid!;
  try {
    const agents: BenchAgent[] = [];
    for (let i = 0; i < AGENTS; i += 20) agents.push(...(await Promise.all(Array.from({ length: Math.min(20, AGENTS - i) }, () => benchAgent(relayUrl)))));
    const idle = await processUsage(pid);
    const direct = await smallRequests(agents, (agent) => agent.directUrl);
    const before = await processUsage(pid);
    const relayed = await smallRequests(agents, () => relayUrl);
    const loaded = await processUsage(pid);
    // Best of 3, alternating, so a neighbour's burst on the shared machine hits both alike.
    let directMbps = 0;
    let relayedMbps = 0;
    for (let run = 0; run < 3; run++) {
      directMbps = Math.max(directMbps, await transfer(agents[0]!.directUrl, agents[0]!));
      relayedMbps = Math.max(relayedMbps, await transfer(relayUrl, agents[0]!));
    }
    const after = await processUsage(pid);
    console.log(`\nRelay: ${AGENTS} agents, ${CLIENTS} clients (${(CLIENTS / AGENTS).toFixed(0)} per agent), ${REQUESTS_PER_CLIENT} sequential small sealed requests each, all clients at once`);
    console.log(`  ${'direct'.padEnd(14)} ${direct.perSecond.toFixed(0).padStart(6)} req/s  p50 ${direct.p50.toFixed(1).padStart(6)} ms  p99 ${direct.p99.toFixed(1).padStart(6)} ms  (baseline)`);
    console.log(`  ${'through relay'.padEnd(14)} ${relayed.perSecond.toFixed(0).padStart(6)} req/s  p50 ${relayed.p50.toFixed(1).padStart(6)} ms  p99 ${relayed.p99.toFixed(1).padStart(6)} ms  p99 ratio ${(relayed.p99 / direct.p99).toFixed(2)} (goal ≤ 1.5)`);
    console.log(`  100 MiB sealed transfer (best of 3): direct ${directMbps.toFixed(0)} MB/s, through relay ${relayedMbps.toFixed(0)} MB/s, ratio ${(relayedMbps / directMbps).toFixed(2)} (goal ≥ 0.8)`);
    console.log(`  relay RSS: ${idle.rssMb.toFixed(0)} MB with ${AGENTS} agents idle, ${loaded.rssMb.toFixed(0)} MB after the request run, peak ${after.peakRssMb.toFixed(0)} MB (goal < 200 MB)`);
    console.log(`  relay CPU: ${(loaded.cpuSeconds - before.cpuSeconds).toFixed(1)} s for the relayed request run, ${(after.cpuSeconds - loaded.cpuSeconds).toFixed(1)} s for both transfers`);
    await Promise.all(agents.map((agent) => agent.close()));
  } finally {
    relay.kill('SIGTERM');
    await relay;
  }
}
