import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { openChannel } from '../../../../src/remote/channel/open.js';
import { createAgentIdentity, agentIdOf } from '../../../../src/remote/channel/identity.js';
import type { ChannelMessage, ChannelSession } from '../../../../src/remote/channel/session.js';
import { webSocketUrl } from '../../../../src/remote/link.js';
import { decodeMux, encodeMux, MUX_WINDOW_BYTES } from '../../../../src/remote/relay/mux-frames.js';
import { waitFor } from '../test-agent.js';
import { closeOf, linkedAgent, openSocket, rawAgent, relayOn, type LinkedAgent } from './relay-harness.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const echo = (session: ChannelSession) => session.onMessage((message) => session.send(message.kind === 'binary' ? message.bytes : message.kind === 'json' ? { echo: message.value } : { invalid: true }));

function nextMessage(session: ChannelSession): Promise<ChannelMessage> {
  return new Promise((resolve) => {
    const off = session.onMessage((message) => {
      off();
      resolve(message);
    });
  });
}

async function started(port = 0, limits = {}) {
  const relay = await relayOn(port, limits);
  cleanups.push(() => relay.stop());
  return relay;
}

async function connectedAgent(relayUrl: string): Promise<LinkedAgent> {
  const agent = await linkedAgent(relayUrl, echo);
  cleanups.push(() => agent.link.stop());
  await waitFor(() => agent.link.state().state === 'connected');
  return agent;
}

async function device(agent: LinkedAgent, relayUrl: string, name: string) {
  const keys = await agent.addDevice(name);
  const session = await openChannel(webSocketUrl({ url: relayUrl, agentId: agent.agentId }), { agentId: agent.agentId, deviceId: keys.id, deviceSeed: keys.seed });
  cleanups.push(() => session.close('done'));
  return session;
}

describe('openmates relay', () => {
  it('carries sealed sessions of several clients to one agent over its one socket, and reports them in /healthz', async () => {
    const relay = await started();
    const agent = await connectedAgent(relay.url);
    expect(agent.link.state().publicUrl).toBe(relay.url);
    const [laptop, phone] = await Promise.all([device(agent, relay.url, 'laptop'), device(agent, relay.url, 'phone')]);
    laptop.send({ from: 'laptop' });
    phone.send(Uint8Array.of(7, 8, 9));
    const [fromLaptop, fromPhone] = await Promise.all([nextMessage(laptop), nextMessage(phone)]);
    expect(fromLaptop).toEqual({ kind: 'json', value: { echo: { from: 'laptop' } } });
    expect(fromPhone.kind === 'binary' && [...fromPhone.bytes]).toEqual([7, 8, 9]);
    const health = (await (await fetch(`${relay.url}healthz`)).json()) as { ok: boolean; agents: number; clients: number };
    expect(health).toMatchObject({ ok: true, agents: 1, clients: 2 });
    expect((await fetch(relay.url)).status).toBe(200);
    expect((await fetch(`${relay.url}nothing-here`)).status).toBe(404);
  });

  it('tells a client of an offline agent at once, with 4404 and a plain refusal the channel reports', async () => {
    const relay = await started();
    const agentId = await agentIdOf(await createAgentIdentity());
    const socket = await openSocket(webSocketUrl({ url: relay.url, agentId }));
    expect(await closeOf(socket)).toEqual({ code: 4404, reason: 'agent offline' });
    const attempt = openChannel(webSocketUrl({ url: relay.url, agentId }), { agentId, deviceId: 'b'.repeat(21) + 'w', deviceSeed: 'A'.repeat(42) + 'Q' });
    await expect(attempt).rejects.toThrow(/not connected to the relay.*offline/);
  });

  it('refuses an agent that claims an id it has no key for, and keeps serving the real one', async () => {
    const relay = await started();
    const agent = await connectedAgent(relay.url);
    const impostor = await rawAgent(relay.url, await createAgentIdentity(), agent.identity.publicKey);
    expect(await impostor.answer).toMatchObject({ type: 'refused', message: 'the agent did not prove the key behind its id' });
    expect((await closeOf(impostor.socket)).code).toBe(4401);
    const laptop = await device(agent, relay.url, 'laptop');
    laptop.send({ still: 'here' });
    expect(await nextMessage(laptop)).toEqual({ kind: 'json', value: { echo: { still: 'here' } } });
  });

  it('lets a second connection proving the same key replace the first (an agent restarted)', async () => {
    const relay = await started();
    const agent = await connectedAgent(relay.url);
    const again = await rawAgent(relay.url, agent.identity);
    cleanups.push(() => again.socket.close());
    expect(await again.answer).toMatchObject({ type: 'accepted' });
    await waitFor(() => agent.states.some((state) => state.state === 'reconnecting' && /replaced/.test(state.reason ?? '')));
    expect(relay.events.some((event) => event.type === 'agent-replaced')).toBe(true);
  });

  it('reconnects after the relay restarts on the same address, and new sessions work', async () => {
    const first = await relayOn();
    const port = Number(new URL(first.url).port);
    const agent = await connectedAgent(first.url);
    const laptop = await device(agent, first.url, 'laptop');
    const closed = new Promise<string>((resolve) => laptop.onClose((info) => resolve(info.reason)));
    await first.stop();
    await closed;
    await waitFor(() => agent.link.state().state === 'reconnecting');
    expect(agent.link.state().retryInSeconds).toBeGreaterThanOrEqual(0);
    const second = await started(port);
    await waitFor(() => agent.link.state().state === 'connected', 5000);
    const again = await device(agent, second.url, 'laptop2');
    again.send({ after: 'restart' });
    expect(await nextMessage(again)).toEqual({ kind: 'json', value: { echo: { after: 'restart' } } });
  });

  it('shows "refused: why" when the relay has no room, and tries again on the backoff schedule', async () => {
    const relay = await started(0, { maxAgents: 1 });
    await connectedAgent(relay.url);
    const second = await linkedAgent(relay.url, echo);
    cleanups.push(() => second.link.stop());
    await waitFor(() => second.states.filter((state) => state.state === 'refused').length >= 2);
    expect(second.link.state()).toMatchObject({ state: 'refused', reason: 'the relay serves 1 agents already' });
    expect(second.link.state().retryInSeconds).toBeGreaterThanOrEqual(0);
  });

  it('forwards garbage from a client to the agent, which refuses that client alone', async () => {
    const relay = await started();
    const agent = await connectedAgent(relay.url);
    const client = await openSocket(webSocketUrl({ url: relay.url, agentId: agent.agentId }));
    const answers: string[] = [];
    client.on('message', (data: Buffer) => answers.push(data.toString()));
    const closed = closeOf(client);
    client.send('{"type":"hello", but not JSON');
    expect((await closed).code).toBe(1002);
    expect(JSON.parse(answers[0]!)).toMatchObject({ type: 'refused', message: expect.stringContaining('a handshake frame is not JSON') });
    const laptop = await device(agent, relay.url, 'laptop');
    laptop.send({ after: 'garbage' });
    expect(await nextMessage(laptop)).toEqual({ kind: 'json', value: { echo: { after: 'garbage' } } });
  });

  it('answers garbage on the agent endpoint by closing that socket only', async () => {
    const relay = await started();
    const agent = await connectedAgent(relay.url);
    const socket = await openSocket(`${relay.url.replace('http', 'ws')}v1/agent`);
    socket.send('not json at all');
    expect((await closeOf(socket)).code).toBe(4401);
    const raw = await rawAgent(relay.url, await createAgentIdentity());
    expect(await raw.answer).toMatchObject({ type: 'accepted' });
    raw.socket.send(Uint8Array.of(0x7f, 1));
    expect((await closeOf(raw.socket)).code).toBe(1002);
    expect(agent.link.state().state).toBe('connected');
    expect((await fetch(`${relay.url}healthz`)).status).toBe(200);
  });
});

describe('relay limits', () => {
  async function onlineRawAgent(relayUrl: string) {
    const identity = await createAgentIdentity();
    const agent = await rawAgent(relayUrl, identity);
    cleanups.push(() => agent.socket.terminate());
    await agent.answer;
    return { ...agent, clientUrl: webSocketUrl({ url: relayUrl, agentId: await agentIdOf(identity) }) };
  }

  it('closes a client whose message is larger than the frame limit (1009)', async () => {
    const relay = await started(0, { maxFrameBytes: 1000 });
    const agent = await onlineRawAgent(relay.url);
    const client = await openSocket(agent.clientUrl);
    client.send(new Uint8Array(2000));
    expect((await closeOf(client)).code).toBe(1009);
  });

  it('closes a client that sends more frames per second than allowed (4429), and the agent hears of it', async () => {
    const relay = await started(0, { maxFramesPerSecond: 20 });
    const agent = await onlineRawAgent(relay.url);
    const frames: string[] = [];
    agent.socket.on('message', (data: Buffer) => frames.push(decodeMux(new Uint8Array(data))?.type ?? 'garbage'));
    const client = await openSocket(agent.clientUrl);
    for (let i = 0; i < 100; i++) client.send('x');
    expect(await closeOf(client)).toEqual({ code: 4429, reason: 'too many frames per second' });
    await waitFor(() => frames.includes('close'));
    expect(frames.filter((type) => type === 'text').length).toBeLessThanOrEqual(21);
  });

  it('counts a client\'s pings against the same rate (each costs the relay a pong)', async () => {
    const relay = await started(0, { maxFramesPerSecond: 20 });
    const agent = await onlineRawAgent(relay.url);
    const client = await openSocket(agent.clientUrl);
    const closed = closeOf(client);
    for (let i = 0; i < 40; i++) client.ping(); // under ws's own bound on unanswered pongs (60)
    expect(await closed).toEqual({ code: 4429, reason: 'too many frames per second' });
  });

  it('limits an agent socket to the clients\' rate times one more than its clients (4429), and its clients hear it is gone', async () => {
    const relay = await started(0, { maxFramesPerSecond: 20 });
    const agent = await onlineRawAgent(relay.url);
    let clientId = 0;
    agent.socket.on('message', (data: Buffer) => {
      const frame = decodeMux(new Uint8Array(data));
      if (frame?.type === 'open') clientId = frame.client;
    });
    const client = await openSocket(agent.clientUrl);
    const received: string[] = [];
    client.on('message', (data: Buffer) => received.push(data.toString()));
    const clientClosed = closeOf(client);
    await waitFor(() => clientId !== 0);
    const frame = encodeMux({ type: 'text', client: clientId, bytes: new TextEncoder().encode('x') });
    for (let i = 0; i < 15; i++) agent.socket.send(frame); // within the burst
    await waitFor(() => received.length === 15);
    for (let i = 0; i < 200; i++) agent.socket.send(frame);
    expect(await closeOf(agent.socket)).toEqual({ code: 4429, reason: 'too many frames per second' });
    expect((await clientClosed).code).toBe(4404);
    expect(received.length).toBeLessThanOrEqual(41);
  });

  it('answers HTTP 429 to one connection more than the per-address limit', async () => {
    const relay = await started(0, { maxConnectionsPerIp: 2 });
    const agent = await onlineRawAgent(relay.url);
    const first = await openSocket(agent.clientUrl);
    cleanups.push(() => first.terminate());
    await expect(openSocket(agent.clientUrl)).rejects.toThrow('HTTP 429');
    first.close();
    await closeOf(first);
    await waitFor(() => true);
    const later = await openSocket(agent.clientUrl);
    later.terminate();
  });

  it('closes a connection that stays silent past the idle timeout (4408)', async () => {
    const relay = await started(0, { idleTimeoutMs: 200 });
    const agent = await onlineRawAgent(relay.url);
    // The agent pings, so only the silent client times out (else the agent may go first, and its client with 4404).
    const pinging = setInterval(() => agent.socket.ping(), 40);
    const client = await openSocket(agent.clientUrl);
    expect(await closeOf(client)).toEqual({ code: 4408, reason: 'idle timeout' });
    clearInterval(pinging);
    expect((await closeOf(agent.socket)).code).toBe(4408);
  });

  it('stops reading a client while the agent has a window of it unconsumed, and goes on when credited', async () => {
    const relay = await started();
    const agent = await onlineRawAgent(relay.url);
    let received = 0;
    let clientId = 0;
    agent.socket.on('message', (data: Buffer) => {
      const frame = decodeMux(new Uint8Array(data));
      if (frame?.type === 'open') clientId = frame.client;
      if (frame?.type === 'binary') received += frame.bytes.length;
    });
    const client = await openSocket(agent.clientUrl);
    cleanups.push(() => client.terminate());
    const chunk = new Uint8Array(64 * 1024);
    for (let i = 0; i < 128; i++) client.send(chunk); // 8 MiB, never credited
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(MUX_WINDOW_BYTES * 2);
    const total = 128 * chunk.length;
    let credited = 0;
    while (received < total) {
      if (received > credited) {
        agent.socket.send(encodeMux({ type: 'credit', client: clientId, bytes: received - credited }));
        credited = received;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(received).toBe(total);
  });

  it('credits the agent only for bytes a slow client took, so the agent holds what the client cannot read yet', async () => {
    const relay = await started();
    const agent = await linkedAgent(relay.url, () => {});
    cleanups.push(() => agent.link.stop());
    await waitFor(() => agent.link.state().state === 'connected');
    const client = new WebSocket(webSocketUrl({ url: relay.url, agentId: agent.agentId }));
    cleanups.push(() => client.terminate());
    const chunks: Buffer[] = [];
    client.on('message', (data: Buffer) => chunks.push(data));
    await new Promise((resolve) => client.once('open', resolve));
    await waitFor(() => agent.transports.length === 1);
    (client as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const transport = agent.transports[0]!;
    const total = 32 * 1024 * 1024;
    for (let offset = 0; offset < total; offset += 64 * 1024) transport.send(new Uint8Array(64 * 1024).fill((offset / 65536) % 251));
    await new Promise((resolve) => setTimeout(resolve, 700));
    // Loopback buffers take some megabytes; the rest waits at the agent, counted in bufferedAmount.
    expect(transport.bufferedAmount).toBeGreaterThan(total / 2);
    (client as unknown as { _socket: { resume(): void } })._socket.resume();
    await waitFor(() => chunks.length >= total / 65536, 20_000);
    expect(chunks.every((chunk, index) => chunk.length === 65536 && chunk[0] === index % 251)).toBe(true);
    await waitFor(() => transport.bufferedAmount === 0);
  });
});
