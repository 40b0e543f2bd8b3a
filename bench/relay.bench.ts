/**
 * The relay under load: AGENTS agents and CLIENTS clients in total (env RELAY_BENCH_AGENTS,
 * RELAY_BENCH_CLIENTS; default 200 and 1000, the issue's target), small sealed requests through a
 * real `openmates relay` process against the same agents' direct listeners; then a 100 MB
 * transfer through vs direct; the relay's RSS (peak) and CPU. Agents and clients share this one
 * process (and its event loop) in every row; the relay has its own. Every client holds one direct
 * and one relayed session; the request rounds alternate between the two paths.
 *
 * What it measures: the same sealed sessions, handshakes and payloads on both paths; the relayed
 * path adds the relay's hop (a second process, the mux framing, its flow control). Latencies are
 * those of 1000 clients sending at once, so they are mostly queueing in this saturated process:
 * the ratio says how much work and waiting the relay adds, not the latency of one idle request.
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
const ROUNDS = Number(process.env.RELAY_BENCH_ROUNDS ?? 3);
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

async function openSessions(agents: BenchAgent[], urlOf: (agent: BenchAgent) => string): Promise<ChannelSession[]> {
  const sessions: ChannelSession[] = [];
  // Connect in batches: a thousand handshakes at once would measure the handshake, not the path.
  for (let i = 0; i < CLIENTS; i += 50) {
    sessions.push(...(await Promise.all(Array.from({ length: Math.min(50, CLIENTS - i) }, (_, j) => open(urlOf(agents[(i + j) % agents.length]!), agents[(i + j) % agents.length]!)))));
  }
  return sessions;
}

/** Every session sends REQUESTS_PER_CLIENT requests one after the other, all sessions at once. */
async function requestRound(sessions: ChannelSession[]): Promise<{ latencies: number[]; perSecond: number }> {
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
  return { latencies, perSecond: latencies.length / ((performance.now() - started) / 1000) };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
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
    const directSessions = await openSessions(agents, (agent) => agent.directUrl);
    const relayedSessions = await openSessions(agents, () => relayUrl);
    const connected = await processUsage(pid);
    // Rounds alternate (and swap who goes first), so a neighbour's burst on the shared machine
    // hits both paths alike; latencies are pooled over the rounds of each path.
    const rounds = { direct: [] as Awaited<ReturnType<typeof requestRound>>[], relayed: [] as Awaited<ReturnType<typeof requestRound>>[] };
    let relayedCpu = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const path of round % 2 === 0 ? (['direct', 'relayed'] as const) : (['relayed', 'direct'] as const)) {
        const before = await processUsage(pid);
        rounds[path].push(await requestRound(path === 'direct' ? directSessions : relayedSessions));
        if (path === 'relayed') relayedCpu += (await processUsage(pid)).cpuSeconds - before.cpuSeconds;
      }
    }
    for (const session of [...directSessions, ...relayedSessions]) session.close('bench done');
    const loaded = await processUsage(pid);
    const summary = (path: keyof typeof rounds) => {
      const pooled = rounds[path].flatMap((round) => round.latencies).sort((x, y) => x - y);
      const p99s = rounds[path].map((round) => quantile([...round.latencies].sort((x, y) => x - y), 0.99));
      return { perSecond: median(rounds[path].map((round) => round.perSecond)), p50: quantile(pooled, 0.5), p99: quantile(pooled, 0.99), p99s };
    };
    const direct = summary('direct');
    const relayed = summary('relayed');
    const transfers: { direct: number; relayed: number }[] = [];
    for (let run = 0; run < 3; run++) transfers.push({ direct: await transfer(agents[0]!.directUrl, agents[0]!), relayed: await transfer(relayUrl, agents[0]!) });
    const directMbps = Math.max(...transfers.map((pair) => pair.direct));
    const relayedMbps = Math.max(...transfers.map((pair) => pair.relayed));
    const after = await processUsage(pid);
    const fixed = (values: number[], digits = 0) => values.map((value) => value.toFixed(digits)).join(', ');
    console.log(`\nRelay: ${AGENTS} agents, ${CLIENTS} clients (${(CLIENTS / AGENTS).toFixed(0)} per agent), ${REQUESTS_PER_CLIENT} sequential small sealed requests each, all clients at once, ${ROUNDS} rounds per path, alternating`);
    console.log(`  ${'direct'.padEnd(14)} ${direct.perSecond.toFixed(0).padStart(6)} req/s  p50 ${direct.p50.toFixed(1).padStart(6)} ms  p99 ${direct.p99.toFixed(1).padStart(6)} ms  (baseline; p99 per round ${fixed(direct.p99s)})`);
    console.log(`  ${'through relay'.padEnd(14)} ${relayed.perSecond.toFixed(0).padStart(6)} req/s  p50 ${relayed.p50.toFixed(1).padStart(6)} ms  p99 ${relayed.p99.toFixed(1).padStart(6)} ms  (p99 per round ${fixed(relayed.p99s)})`);
    console.log(`  ratios: p99 ${(relayed.p99 / direct.p99).toFixed(2)} (goal ≤ 1.5), req/s ${(relayed.perSecond / direct.perSecond).toFixed(2)}`);
    console.log(`  100 MiB sealed transfer, 3 alternating pairs: direct ${fixed(transfers.map((pair) => pair.direct))} MB/s, through relay ${fixed(transfers.map((pair) => pair.relayed))} MB/s; best ${directMbps.toFixed(0)} vs ${relayedMbps.toFixed(0)}, ratio ${(relayedMbps / directMbps).toFixed(2)} (goal ≥ 0.8); per pair ${fixed(transfers.map((pair) => pair.relayed / pair.direct), 2)}`);
    console.log(`  relay RSS: ${idle.rssMb.toFixed(0)} MB with ${AGENTS} agents idle, ${connected.rssMb.toFixed(0)} MB with ${CLIENTS} clients connected, ${loaded.rssMb.toFixed(0)} MB after the request rounds, peak ${after.peakRssMb.toFixed(0)} MB (goal < 200 MB)`);
    console.log(`  relay CPU: ${relayedCpu.toFixed(1)} s for the relayed request rounds, ${(after.cpuSeconds - loaded.cpuSeconds).toFixed(1)} s for the transfers`);
    await Promise.all(agents.map((agent) => agent.close()));
  } finally {
    relay.kill('SIGTERM');
    await relay;
  }
}
