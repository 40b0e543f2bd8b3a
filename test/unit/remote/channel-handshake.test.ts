import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { OpenmatesError } from '../../../src/core/errors.js';
import { openChannel } from '../../../src/remote/channel/open.js';
import { createAgentIdentity, agentIdOf, createDeviceKeys } from '../../../src/remote/channel/identity.js';
import type { ChannelMessage, ChannelSession } from '../../../src/remote/channel/session.js';
import { startTestAgent, waitFor, type TestAgent } from './test-agent.js';

let agents: TestAgent[] = [];
afterEach(async () => {
  await Promise.all(agents.map((agent) => agent.close()));
  agents = [];
});

async function agentWithEcho(): Promise<TestAgent> {
  const agent = await startTestAgent({
    onSession: (session) => session.onMessage((message) => session.send(message.kind === 'binary' ? message.bytes : message.kind === 'json' ? { echo: message.value } : { invalid: true })),
  });
  agents.push(agent);
  return agent;
}

function nextMessage(session: ChannelSession): Promise<ChannelMessage> {
  return new Promise((resolve) => {
    const off = session.onMessage((message) => {
      off();
      resolve(message);
    });
  });
}

async function refusal(promise: Promise<unknown>): Promise<OpenmatesError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OpenmatesError);
  return error as OpenmatesError;
}

describe('channel handshake', () => {
  it('opens a sealed session for a known device and carries JSON and bytes both ways', async () => {
    const agent = await agentWithEcho();
    const device = await agent.addDevice('laptop', 'approver');
    const session = await openChannel(agent.url, { agentId: agent.agentId, deviceId: device.id, deviceSeed: device.seed });
    expect(session.device).toEqual({ id: device.id, name: 'laptop', role: 'approver' });
    session.send({ hello: 'world' });
    expect(await nextMessage(session)).toEqual({ kind: 'json', value: { echo: { hello: 'world' } } });
    session.send(Uint8Array.of(1, 2, 3));
    const bytes = await nextMessage(session);
    expect(bytes.kind === 'binary' && [...bytes.bytes]).toEqual([1, 2, 3]);
    await waitFor(() => agent.sessions.length === 1);
    expect(agent.sessions[0]?.role).toBe('approver');
    session.close('done');
  });

  it('refuses an unknown device', async () => {
    const agent = await agentWithEcho();
    const stranger = await createDeviceKeys();
    const error = await refusal(openChannel(agent.url, { agentId: agent.agentId, deviceId: stranger.id, deviceSeed: stranger.seed }));
    expect(error.kind).toBe('device-refused');
    expect(error.message).toMatch(/not known/);
  });

  it('refuses a revoked device', async () => {
    const agent = await agentWithEcho();
    const device = await agent.addDevice('phone');
    agent.devices.set(device.id, { ...agent.devices.get(device.id)!, revoked: true });
    const error = await refusal(openChannel(agent.url, { agentId: agent.agentId, deviceId: device.id, deviceSeed: device.seed }));
    expect(error.kind).toBe('device-refused');
    expect(error.message).toMatch(/"phone" was revoked/);
  });

  it('refuses a device id presented with another device key', async () => {
    const agent = await agentWithEcho();
    const device = await agent.addDevice('phone');
    const other = await createDeviceKeys();
    const error = await refusal(openChannel(agent.url, { agentId: agent.agentId, deviceId: device.id, deviceSeed: other.seed }));
    expect(error.kind).toBe('device-refused');
    expect(error.message).toMatch(/device key does not match/);
    expect(agent.sessions).toHaveLength(0);
  });

  it('a link naming another agent key fails: the agent cannot read the proof, the client gets device-refused', async () => {
    const agent = await agentWithEcho();
    const device = await agent.addDevice('phone');
    const otherAgentId = await agentIdOf(await createAgentIdentity());
    const error = await refusal(openChannel(agent.url, { agentId: otherAgentId, deviceId: device.id, deviceSeed: device.seed }));
    expect(error.kind).toBe('device-refused');
    expect(agent.sessions).toHaveLength(0);
  });

  it('refuses an unsupported protocol version, naming both', async () => {
    const agent = await agentWithEcho();
    const socket = new WebSocket(agent.url);
    await new Promise((resolve) => socket.once('open', resolve));
    const reply = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
    const device = await createDeviceKeys();
    socket.send(JSON.stringify({ type: 'hello', protocol: 'openmates-remote', versions: [7, 8], deviceId: device.id, clientEphemeral: device.publicKey }));
    const refused = JSON.parse(await reply) as { type: string; code: string; message: string };
    expect(refused.type).toBe('refused');
    expect(refused.code).toBe('usage');
    expect(refused.message).toContain('version 1');
    expect(refused.message).toContain('version 7, 8');
    socket.close();
  });

  it('the handshake times out when the client says nothing', async () => {
    const agent = await startTestAgent({ handshakeTimeoutMs: 200 });
    agents.push(agent);
    const socket = new WebSocket(agent.url);
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    await closed;
    expect(agent.failures[0]?.message).toMatch(/did not finish the handshake/);
  });
});
