import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClient } from '../../../../src/remote/agent/relay-link/virtual-client.js';
import { createAgentIdentity, agentIdOf } from '../../../../src/remote/channel/identity.js';
import { webSocketUrl } from '../../../../src/remote/link.js';
import { CreditBatcher, EAGER_CREDIT_BYTES } from '../../../../src/remote/relay/credit-batcher.js';
import { decodeMux, encodeMux, MUX_WINDOW_BYTES, type MuxFrame } from '../../../../src/remote/relay/mux-frames.js';
import { waitFor } from '../test-agent.js';
import { openSocket, rawAgent, relayOn } from './relay-harness.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('relay credits', () => {
  it('batches small consumption without a credit frame, credits at once from a quarter window, or when the sender waits', async () => {
    const sent: number[] = [];
    const batcher = new CreditBatcher((bytes) => sent.push(bytes));
    for (let i = 0; i < 100; i++) batcher.add(300);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toEqual([]);
    batcher.senderWaits();
    await nextTurn();
    expect(sent).toEqual([30_000]);
    batcher.senderWaits(); // nothing due: the next consumption goes at once
    await nextTurn();
    expect(sent).toEqual([30_000]);
    batcher.add(10);
    await nextTurn();
    expect(sent).toEqual([30_000, 10]);
    batcher.add(EAGER_CREDIT_BYTES);
    await nextTurn();
    expect(sent).toEqual([30_000, 10, EAGER_CREDIT_BYTES]);
  });

  it('the agent side asks once for credit when its next message does not fit, and sends it once credited', () => {
    const frames: MuxFrame[] = [];
    const client = new VirtualClient(3, (frame) => frames.push(frame));
    client.send('small');
    client.send(new Uint8Array(MUX_WINDOW_BYTES)); // larger than what is left of the window: waits
    client.send('after it');
    expect(frames.map((frame) => frame.type)).toEqual(['text', 'credit']);
    expect(frames[1]).toEqual({ type: 'credit', client: 3, bytes: 0 });
    expect(client.bufferedAmount).toBe(MUX_WINDOW_BYTES + 'after it'.length);
    client.credited(5);
    // A full window outstanding: the relay credits it unasked, so no second request.
    expect(frames.map((frame) => frame.type)).toEqual(['text', 'credit', 'binary']);
    expect(client.bufferedAmount).toBe('after it'.length);
    client.credited(MUX_WINDOW_BYTES);
    expect(frames.map((frame) => frame.type)).toEqual(['text', 'credit', 'binary', 'text']);
    expect(client.bufferedAmount).toBe(0);
  });

  it('through the relay: small messages to a client cost no credit frame until the agent says it waits', async () => {
    const relay = await relayOn();
    cleanups.push(() => relay.stop());
    const identity = await createAgentIdentity();
    const agent = await rawAgent(relay.url, identity);
    cleanups.push(() => agent.socket.terminate());
    await agent.answer;
    const credits: number[] = [];
    let clientId = 0;
    agent.socket.on('message', (data: Buffer) => {
      const frame = decodeMux(new Uint8Array(data));
      if (frame?.type === 'open') clientId = frame.client;
      if (frame?.type === 'credit') credits.push(frame.bytes);
    });
    const client = await openSocket(webSocketUrl({ url: relay.url, agentId: await agentIdOf(identity) }));
    cleanups.push(() => client.terminate());
    let received = 0;
    client.on('message', () => received++);
    await waitFor(() => clientId !== 0);
    const message = new TextEncoder().encode('x'.repeat(200));
    for (let i = 0; i < 100; i++) agent.socket.send(encodeMux({ type: 'text', client: clientId, bytes: message }));
    await waitFor(() => received === 100);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(credits).toEqual([]);
    agent.socket.send(encodeMux({ type: 'credit', client: clientId, bytes: 0 }));
    await waitFor(() => credits.length === 1);
    expect(credits).toEqual([100 * 200]);
  });
});
