import { afterEach, describe, expect, it, vi } from 'vitest';
import { openChannel } from '../../../src/remote/channel/open.js';
import { OpeningStream } from '../../../src/remote/channel/sealed-stream.js';
import type { ChannelCloseInfo, ChannelMessage, ChannelSession } from '../../../src/remote/channel/session.js';
import { LIMITS } from '../../../src/remote/protocol/limits.js';
import { startTestAgent, waitFor, type TestAgent } from './test-agent.js';
import { startTestRelay, type TestRelay } from './test-relay.js';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(cleanups.map((cleanup) => cleanup()));
  cleanups = [];
});

interface Setup {
  agent: TestAgent;
  relay: TestRelay;
  agentClosed: ChannelCloseInfo[];
  connect(): Promise<{ session: ChannelSession; received: ChannelMessage[]; closed: Promise<ChannelCloseInfo> }>;
}

async function setup(): Promise<Setup> {
  const agentClosed: ChannelCloseInfo[] = [];
  const agent = await startTestAgent({
    onSession: (session) => {
      session.onMessage((message) => {
        if (message.kind === 'json') session.send({ echo: message.value });
      });
      session.onClose((info) => agentClosed.push(info));
    },
  });
  const relay = await startTestRelay(agent.url);
  cleanups.push(() => relay.close(), () => agent.close());
  const device = await agent.addDevice('laptop');
  return {
    agent,
    relay,
    agentClosed,
    async connect() {
      const session = await openChannel(relay.url, { agentId: agent.agentId, deviceId: device.id, deviceSeed: device.seed });
      const received: ChannelMessage[] = [];
      session.onMessage((message) => received.push(message));
      const closed = new Promise<ChannelCloseInfo>((resolve) => session.onClose(resolve));
      return { session, received, closed };
    },
  };
}

/** The first frame sent after the handshake, from the client (the auth frame is number 1). */
const firstClientMessage = (connection = 0) => (frame: { connection: number; direction: string; isBinary: boolean }, relay: TestRelay) =>
  frame.connection === connection && frame.direction === 'to-agent' && frame.isBinary && relay.binaryCount(connection, 'to-agent') === 2;

describe('sealed frames between client and agent', () => {
  it('a replayed frame ends the session with a protocol error', async () => {
    const { relay, connect, agentClosed } = await setup();
    relay.intercept = (frame) => (firstClientMessage()(frame, relay) ? [frame, frame] : undefined);
    const { session, received, closed } = await connect();
    session.send({ n: 1 });
    const info = await closed;
    expect(received).toEqual([{ kind: 'json', value: { echo: { n: 1 } } }]);
    expect(info.error?.message).toMatch(/failed to decrypt/);
    await waitFor(() => agentClosed.length === 1);
    expect(agentClosed[0]?.error?.message).toMatch(/Remote protocol error: a frame failed to decrypt/);
  });

  it('reordered frames end the session before the later one is delivered', async () => {
    const { relay, connect, agentClosed } = await setup();
    let held: Parameters<NonNullable<TestRelay['intercept']>>[0] | undefined;
    relay.intercept = (frame) => {
      if (firstClientMessage()(frame, relay)) {
        held = frame;
        return [];
      }
      if (held && frame.direction === 'to-agent') return [frame, held];
      return undefined;
    };
    const { session, received, closed } = await connect();
    session.send({ n: 1 });
    session.send({ n: 2 });
    await closed;
    expect(received).toEqual([]);
    await waitFor(() => agentClosed.length === 1);
    expect(agentClosed[0]?.error?.message).toMatch(/failed to decrypt/);
  });

  it('a changed byte fails to decrypt, in either direction', async () => {
    for (const direction of ['to-agent', 'to-client'] as const) {
      const { relay, connect } = await setup();
      relay.intercept = (frame) => {
        if (frame.direction !== direction || !frame.isBinary || relay.binaryCount(0, direction) !== 2) return undefined;
        const data = Buffer.from(frame.data);
        data[data.length - 5]! ^= 0x01;
        return [{ ...frame, data }];
      };
      const { session, received, closed } = await connect();
      session.send({ n: 1 });
      session.send({ n: 2 });
      const info = await closed;
      expect(info.error?.kind).toBe('operation-failed');
      expect(received.length).toBeLessThan(2);
    }
  });

  it('a frame cut short fails to decrypt', async () => {
    const { relay, connect, agentClosed } = await setup();
    relay.intercept = (frame) => (firstClientMessage()(frame, relay) ? [{ ...frame, data: frame.data.subarray(0, frame.data.length - 3) }] : undefined);
    const { session, closed } = await connect();
    session.send({ n: 1 });
    await closed;
    await waitFor(() => agentClosed.length === 1);
    expect(agentClosed[0]?.error?.message).toMatch(/failed to decrypt/);
  });

  it('a stream cut without its closing frame is reported as cut, not as a clean close', async () => {
    const { relay, connect } = await setup();
    const { session, received, closed } = await connect();
    session.send({ n: 1 });
    await waitFor(() => received.length === 1);
    relay.cut(0);
    const info = await closed;
    expect(info.error?.message).toMatch(/ended without its closing frame/);
  });

  it('a clean close reaches the other side as a close, with its reason', async () => {
    const { connect, agentClosed } = await setup();
    const { session } = await connect();
    session.close('bye');
    await waitFor(() => agentClosed.length === 1);
    expect(agentClosed[0]).toEqual({ reason: 'bye', byPeer: true });
  });

  it('a relay swapping frames between two sessions is detected by both', async () => {
    const { relay, connect, agentClosed } = await setup();
    const held: Parameters<NonNullable<TestRelay['intercept']>>[0][] = [];
    relay.intercept = (frame) => {
      if (!(frame.direction === 'to-agent' && frame.isBinary && relay.binaryCount(frame.connection, 'to-agent') === 2)) return undefined;
      held.push(frame);
      if (held.length < 2) return [];
      return held.map((one) => ({ ...one, connection: 1 - one.connection }));
    };
    const first = await connect();
    const second = await connect();
    first.session.send({ from: 'first' });
    second.session.send({ from: 'second' });
    const [a, b] = await Promise.all([first.closed, second.closed]);
    expect(a.error).toBeDefined();
    expect(b.error).toBeDefined();
    expect(first.received).toEqual([]);
    expect(second.received).toEqual([]);
    await waitFor(() => agentClosed.length === 2);
    expect(agentClosed.every((info) => /failed to decrypt/.test(info.error?.message ?? ''))).toBe(true);
  });

  it('an oversized frame is refused before any decryption', async () => {
    const { relay, connect, agentClosed } = await setup();
    relay.intercept = (frame) => (firstClientMessage()(frame, relay) ? [{ ...frame, data: Buffer.alloc(LIMITS.maxFrameBytes + 100, 7) }] : undefined);
    const { session, closed } = await connect();
    const open = vi.spyOn(OpeningStream.prototype, 'open');
    session.send({ n: 1 });
    await closed;
    await waitFor(() => agentClosed.length === 1);
    expect(agentClosed[0]?.error?.message).toMatch(/exceeds the limit of 4194304 bytes/);
    expect(open).toHaveBeenCalled(); // the client opened the agent's sealed refusal
    expect(open.mock.calls.every(([frame]) => frame.byteLength <= LIMITS.maxFrameBytes)).toBe(true);
  });
});
