import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { openChannel } from '../../../src/remote/channel/open.js';
import type { ChannelCloseInfo, ChannelMessage } from '../../../src/remote/channel/session.js';
import { webSocketTransport } from '../../../src/remote/channel/transport.js';
import { createDeviceKeys } from '../../../src/remote/channel/identity.js';
import { startTestAgent, waitFor, type TestAgent } from './test-agent.js';

let agent: TestAgent | undefined;
afterEach(async () => {
  await agent?.close();
  agent = undefined;
});

function garbage(): string | Buffer {
  const bytes = randomBytes(1 + Math.floor(Math.random() * 300));
  return Math.random() < 0.5 ? bytes : bytes.toString('latin1');
}

/** Opens a raw socket, sends what `script` says, and resolves with what the agent answered before it hung up. */
async function rawExchange(url: string, script: (socket: WebSocket) => void): Promise<{ texts: string[]; code: number }> {
  const socket = new WebSocket(url);
  const texts: string[] = [];
  socket.on('error', () => undefined); // the agent may hang up first
  socket.on('message', (data, isBinary) => {
    if (!isBinary) texts.push(String(data));
  });
  await new Promise((resolve) => socket.once('open', resolve));
  script(socket);
  const code = await new Promise<number>((resolve) => socket.once('close', resolve));
  return { texts, code };
}

async function inBatches(count: number, run: (index: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < count; start += 25) {
    await Promise.all(Array.from({ length: Math.min(25, count - start) }, (_, offset) => run(start + offset)));
  }
}

describe('1,000 garbage frames at every stage of a session', () => {
  it('each ends only its own connection with a protocol error; the agent and a bystander session carry on', async () => {
    const agentClosed: ChannelCloseInfo[] = [];
    agent = await startTestAgent({
      onSession: (session) => {
        session.onMessage((message) => {
          if (message.kind === 'json') session.send({ echo: message.value });
        });
        session.onClose((info) => agentClosed.push(info));
      },
    });
    const device = await agent.addDevice('laptop');
    const bystander = await openChannel(agent.url, { agentId: agent.agentId, deviceId: device.id, deviceSeed: device.seed });
    const bystanderMessages: ChannelMessage[] = [];
    bystander.onMessage((message) => bystanderMessages.push(message));

    // Stage 1, instead of a hello: 334 frames.
    await inBatches(334, async () => {
      const { texts, code } = await rawExchange(agent!.url, (socket) => socket.send(garbage()));
      expect(code).not.toBe(1000);
      expect(JSON.parse(texts[0] ?? '{}')).toMatchObject({ type: 'refused', code: 'operation-failed' });
    });

    // Stage 2, instead of the device proof, after a valid hello: 333 frames.
    const stranger = await createDeviceKeys();
    await inBatches(333, async () => {
      const { texts } = await rawExchange(agent!.url, (socket) => {
        socket.send(JSON.stringify({ type: 'hello', protocol: 'openmates-remote', versions: [1], deviceId: stranger.id, clientEphemeral: stranger.publicKey }));
        socket.once('message', () => socket.send(randomBytes(1 + Math.floor(Math.random() * 300))));
      });
      expect(JSON.parse(texts[0] ?? '{}')).toMatchObject({ type: 'welcome' });
      expect(JSON.parse(texts[1] ?? '{}')).toMatchObject({ type: 'refused', code: 'device-refused' });
    });

    // Stage 3, after a full handshake, in place of a sealed message: 333 frames.
    await inBatches(333, async () => {
      const socket = new WebSocket(agent!.url);
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('open', resolve));
      const session = await openChannel(agent!.url, { agentId: agent!.agentId, deviceId: device.id, deviceSeed: device.seed, socket: webSocketTransport(socket) });
      const closed = new Promise<ChannelCloseInfo>((resolve) => session.onClose(resolve));
      socket.send(garbage());
      const info = await closed;
      expect(info.error?.message).toMatch(/Remote protocol error/);
    });

    expect(agent.failures).toHaveLength(667);
    await waitFor(() => agentClosed.length === 333);
    expect(agentClosed.every((info) => /Remote protocol error: a (frame failed to decrypt|text frame arrived)/.test(info.error?.message ?? ''))).toBe(true);

    bystander.send({ still: 'here' });
    await waitFor(() => bystanderMessages.length === 1);
    expect(bystanderMessages[0]).toEqual({ kind: 'json', value: { echo: { still: 'here' } } });
    expect(bystander.closed).toBe(false);
  }, 120_000);
});
