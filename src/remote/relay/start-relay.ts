import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFile } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { OpenmatesError, messageOf } from '../../core/errors.js';
import { proveAgent } from './agent-handshake.js';
import { clientAddress, normalizeAddress } from './client-address.js';
import { IpConnections } from './ip-connections.js';
import { Liveness } from './liveness.js';
import { MUX_HEADER_BYTES } from './mux-frames.js';
import { servePage } from '../../web/serve-page.js';
import { listenOn } from '../listen-on.js';
import { RELAY_CLOSE } from './relay-close-codes.js';
import type { RelayEventSink } from './relay-events.js';
import { DEFAULT_RELAY_LIMITS, type RelayOptions } from './relay-options.js';
import { RelayedAgent } from './relayed-agent.js';

export interface RelayStats {
  agents: number;
  clients: number;
  uptimeSeconds: number;
}

export interface RunningRelay {
  /** Where it listens, e.g. `http://127.0.0.1:7500/`. */
  url: string;
  /** How clients reach it (the --public-url, else `url`). */
  publicUrl: string;
  stats(): RelayStats;
  stop(reason?: string): Promise<void>;
}

const AGENT_PATH = /\/v1\/agent$/;
const CONNECT_PATH = /\/v1\/connect\/([A-Za-z0-9_-]{43})$/;

/** Starts `openmates relay`: no database, no keys, nothing on disk. Events go to `sink`. */
export async function startRelay(options: RelayOptions, sink: RelayEventSink): Promise<RunningRelay> {
  const limits = { ...DEFAULT_RELAY_LIMITS, ...options.limits };
  const started = Date.now();
  const agents = new Map<string, RelayedAgent>();
  const perIp = new IpConnections(limits.maxConnectionsPerIp);
  const trustedProxies = new Set((options.trustProxy ?? []).map(normalizeAddress));
  const liveness = new Liveness(limits.idleTimeoutMs);
  const clientSockets = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes });
  const agentSockets = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes + MUX_HEADER_BYTES });
  const stats = (): RelayStats => ({ agents: agents.size, clients: [...agents.values()].reduce((sum, agent) => sum + agent.clientCount, 0), uptimeSeconds: Math.round((Date.now() - started) / 1000) });

  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://relay').pathname;
    const health = path === '/healthz' && (request.method === 'GET' || request.method === 'HEAD');
    if (!health) return servePage(request, response); // the page the agent serves, with the same headers
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    response.end(request.method === 'HEAD' ? undefined : `${JSON.stringify({ ok: true, ...stats() })}\n`);
  };
  const server: Server = options.tls
    ? createHttpsServer({ cert: await readPem(options.tls.cert, '--tls-cert'), key: await readPem(options.tls.key, '--tls-key') }, onRequest)
    : createHttpServer(onRequest);

  server.on('upgrade', (request: IncomingMessage, raw: Duplex) => {
    raw.on('error', () => {});
    const ip = clientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for'], trustedProxies);
    const path = new URL(request.url ?? '/', 'http://relay').pathname;
    const isAgent = AGENT_PATH.test(path);
    const target = CONNECT_PATH.exec(path)?.[1];
    if (!isAgent && target === undefined) return refuseUpgrade(raw, 404, 'Not Found');
    if (!perIp.enter(ip)) return refuseUpgrade(raw, 429, 'Too Many Requests');
    const wss = isAgent ? agentSockets : clientSockets;
    wss.handleUpgrade(request, raw, Buffer.alloc(0), (socket) => {
      socket.on('close', () => perIp.leave(ip));
      socket.on('error', () => {});
      liveness.track(socket);
      if (isAgent) void acceptAgent(socket, ip);
      else acceptClient(socket, target!);
    });
  });

  const acceptClient = (socket: WebSocket, agentId: string) => {
    const agent = agents.get(agentId);
    if (agent) return agent.attach(socket);
    // A plain refusal, as the channel's handshake reads it, sent with the upgrade.
    socket.send(JSON.stringify({ type: 'refused', code: 'operation-failed', message: 'The server is not connected to the relay right now (its agent is offline).', hint: 'check that `openmates remote-access start --relay URL` runs on the server and can reach this relay' }));
    socket.close(RELAY_CLOSE.agentOffline, 'agent offline');
  };

  const acceptAgent = async (socket: WebSocket, ip: string) => {
    let agentId: string;
    try {
      agentId = await proveAgent(socket, limits.proofTimeoutMs);
    } catch (error) {
      sink({ type: 'agent-refused', ip, reason: messageOf(error) });
      return;
    }
    const previous = agents.get(agentId);
    if (previous) {
      // The same key proved again: the agent restarted, or its old link is half dead.
      agents.delete(agentId);
      previous.close(RELAY_CLOSE.replaced, 'replaced by a newer connection of this agent');
      sink({ type: 'agent-replaced', agentId });
    } else if (agents.size >= limits.maxAgents) {
      socket.send(JSON.stringify({ type: 'refused', message: `the relay serves ${limits.maxAgents} agents already` }));
      socket.close(RELAY_CLOSE.unavailable, 'relay full');
      sink({ type: 'agent-refused', ip, reason: 'relay full' });
      return;
    }
    const agent = new RelayedAgent(agentId, socket, limits.maxFramesPerSecond, (reason) => {
      if (agents.get(agentId) !== agent) return;
      agents.delete(agentId);
      sink({ type: 'agent-gone', agentId, reason, agents: agents.size });
    });
    agents.set(agentId, agent);
    socket.send(JSON.stringify({ type: 'accepted', publicUrl }));
    sink({ type: 'agent-connected', agentId, agents: agents.size });
  };

  const port = await listenOn(server, options.listen.host, options.listen.port);
  const host = options.listen.host.includes(':') ? `[${options.listen.host}]` : options.listen.host;
  const url = `${options.tls ? 'https' : 'http'}://${host}:${port}/`;
  const publicUrl = options.publicUrl ?? url;
  sink({ type: 'listening', url, publicUrl });

  let stopping: Promise<void> | undefined;
  return {
    url,
    publicUrl,
    stats,
    stop: (reason = 'the relay stopped') =>
      (stopping ??= (async () => {
        sink({ type: 'stopping', reason });
        liveness.stop();
        for (const agent of agents.values()) agent.close(1001, 'relay stopping');
        for (const socket of [...clientSockets.clients, ...agentSockets.clients]) socket.close(1001, 'relay stopping');
        await new Promise((resolve) => setTimeout(resolve, 100));
        for (const socket of [...clientSockets.clients, ...agentSockets.clients]) socket.terminate();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })()),
  };
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

async function readPem(file: string, flag: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new OpenmatesError('usage', `Cannot read ${flag} ${file}: ${messageOf(error)}.`, `Pass a readable PEM file to ${flag}.`);
  }
}
