import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { parseLink } from '../../src/remote/link.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';
import { startRelayProcess, type RelayProcess } from './relay-process.js';

const FLOODER = '203.0.113.66';
const PER_ADDRESS = 20;

/** Writes `request` on a plain TCP connection to the relay; resolves to everything it answered once it closed the connection. */
function rawExchange(port: number, request: Buffer | string, after?: (socket: Socket) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the relay did not close the connection; it answered ${JSON.stringify(answer.slice(0, 200))}`));
    }, 15_000);
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (after && answer.includes('\r\n\r\n')) {
        const next = after;
        after = undefined;
        next(socket);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.write(request);
  });
}

const upgrade = (path: string, extra = '') =>
  `GET ${path} HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n${extra}\r\n`;

/** A masked client frame with a reserved opcode (RFC 6455 §5.2: the receiver must fail the connection). */
const badFrame = Buffer.from([0x83, 0x80, 1, 2, 3, 4]);

function opened(url: string, forwardedFor: string): Promise<WebSocket | number> {
  const socket = new WebSocket(url, { headers: { 'x-forwarded-for': forwardedFor } });
  socket.on('error', () => {});
  return new Promise((resolve) => {
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
  });
}

/** A real relay behind a "proxy" it trusts (127.0.0.1, so tests can speak for other addresses with X-Forwarded-For) and a real agent. */
describe('relay faults: a flood from one address, garbage on every endpoint', () => {
  let relay: RelayProcess;
  let agent: AgentProcess;
  let link: string;
  let agentId: string;
  const content = 'still served during the flood\n';
  const readThroughRelay = () => agent.cli(['remote', '--link-file', link, 'files', 'cat', 'note.txt']);

  beforeAll(async () => {
    relay = await startRelayProcess({ args: ['--trust-proxy', '127.0.0.1', '--max-connections-per-ip', String(PER_ADDRESS)] });
    agent = await startAgentProcess({ safetyMode: 'on', relay: relay.url });
    await writeFile(join(agent.root, 'note.txt'), content);
    link = await agent.addDevice('laptop');
    agentId = parseLink(await readFile(link, 'utf8')).agentId;
  }, 120_000);
  afterAll(async () => {
    await agent?.stop();
    await relay?.stop();
  });

  it('a flood from one address (every connection it may have, then pings as fast as it can) leaves other clients unaffected', async () => {
    const clientUrl = `${relay.url.replace('http', 'ws')}v1/connect/${agentId}`;
    const flood: WebSocket[] = [];
    for (let i = 0; i < PER_ADDRESS; i++) {
      const socket = await opened(clientUrl, FLOODER);
      expect(socket).toBeInstanceOf(WebSocket);
      flood.push(socket as WebSocket);
    }
    expect(await opened(clientUrl, FLOODER)).toBe(429);
    const closes = flood.map((socket) => new Promise<number>((resolve) => socket.once('close', (code) => resolve(code))));
    // Pings far faster than allowed: they never reach the agent, and each costs the relay a pong. The
    // relay cuts each socket: 4429 from its rate limit, or 1006 when ws's own bound on unanswered
    // pongs (60; a loaded relay falls behind) terminates it first.
    const burst = (socket: WebSocket) => {
      const timer = setInterval(() => {
        if (socket.readyState !== socket.OPEN) return clearInterval(timer);
        for (let i = 0; i < 30; i++) socket.ping();
      }, 2);
    };
    flood.forEach(burst);
    for (const code of await Promise.all(closes)) expect([4429, 1006]).toContain(code);
    // And it goes on: new connections from the same address, each bursting, while another client reads.
    let flooding = true;
    const keepFlooding = (async () => {
      let bursts = 0;
      while (flooding) {
        const socket = await opened(clientUrl, FLOODER);
        if (socket instanceof WebSocket) {
          burst(socket);
          bursts++;
          await new Promise((resolve) => socket.once('close', resolve));
        }
      }
      return bursts;
    })();
    try {
      const read = await readThroughRelay();
      expect(read.exitCode, read.stderr).toBe(0);
      expect(read.stdout).toBe(content);
    } finally {
      flooding = false;
    }
    expect(await keepFlooding).toBeGreaterThan(0);
    const again = await readThroughRelay();
    expect(again.stdout).toBe(content);
  });

  it('garbage on every endpoint gets a clean answer or close, and the relay keeps serving', async () => {
    const port = relay.port;
    expect(await rawExchange(port, 'NOT HTTP AT ALL\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    expect(await rawExchange(port, `${randomBytes(512).toString('latin1')}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 |^$/);
    expect(await rawExchange(port, 'POST /healthz HTTP/1.1\r\nHost: relay\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc')).toMatch(/^HTTP\/1\.1 405 /);
    expect(await rawExchange(port, 'GET /v1/agent HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 404 /);
    expect(await rawExchange(port, upgrade('/v1/nothing'))).toMatch(/^HTTP\/1\.1 404 /);
    expect(await rawExchange(port, upgrade('/v1/connect/not-an-agent-id'))).toMatch(/^HTTP\/1\.1 404 /);
    expect(await rawExchange(port, upgrade('/v1/agent').replace('Sec-WebSocket-Version: 13', 'Sec-WebSocket-Version: 7'))).toMatch(/^HTTP\/1\.1 400 /);
    // Upgraded, then bytes that are no WebSocket frame: the relay fails that connection (1002) and closes it.
    for (const path of ['/v1/agent', `/v1/connect/${agentId}`]) {
      const answer = await rawExchange(port, upgrade(path), (socket) => socket.write(badFrame));
      expect(answer).toMatch(/^HTTP\/1\.1 101 /);
      expect(answer).toContain(String.fromCharCode(0x03, 0xea)); // the close frame's code 1002
    }
    // Upgraded, then well-formed frames with garbage inside.
    const agentSocket = new WebSocket(`${relay.url.replace('http', 'ws')}v1/agent`);
    agentSocket.on('error', () => {});
    agentSocket.on('message', () => agentSocket.send(randomBytes(64)));
    expect(await new Promise((resolve) => agentSocket.once('close', resolve))).toBe(4401);

    expect(relay.output()).not.toMatch(/Error|at .*\.js:\d+/);
    const health = (await (await fetch(`${relay.url}healthz`)).json()) as { ok: boolean; agents: number };
    expect(health).toMatchObject({ ok: true, agents: 1 });
    const read = await readThroughRelay();
    expect(read.exitCode, read.stderr).toBe(0);
    expect(read.stdout).toBe(content);
  });
});
