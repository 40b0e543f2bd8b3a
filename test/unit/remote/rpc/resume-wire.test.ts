import { afterEach, describe, expect, it } from 'vitest';
import { openChannel } from '../../../../src/remote/channel/open.js';
import type { ChannelMessage, ChannelSession } from '../../../../src/remote/channel/session.js';
import { RpcClient } from '../../../../src/remote/rpc/client.js';
import { RemoteError } from '../../../../src/remote/rpc/remote-error.js';
import { ResumableStreams } from '../../../../src/remote/rpc/resume/resumable-streams.js';
import { serveRpc } from '../../../../src/remote/rpc/serve.js';
import { startTestAgent, waitFor } from '../test-agent.js';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const execResult = { exitCode: 0, timedOut: false, durationMs: 2, stdout: '', stderr: '', truncated: { stdout: false, stderr: false }, risk: { risk: 'read' as const, reasons: [], category: 'inspect' }, analysis: { lines: 1, looksLike: 'text' as const }, cwd: '/srv' };

describe('resuming on the wire', () => {
  it('the agent tells the caller its token, numbers the events, and refuses the token to another device', async () => {
    const streams = new ResumableStreams();
    let release!: () => void;
    const agent = await startTestAgent({
      onSession: (session) =>
        void serveRpc(session, {
          exec: async (_args, context) => {
            context.emit({ stream: 'stdout', text: 'a\n' });
            context.emit({ stream: 'stdout', text: 'b\n' });
            await new Promise<void>((resolve) => (release = resolve));
            return execResult;
          },
        }, { streams }),
    });
    cleanups.push(() => agent.close());
    const laptop = await agent.addDevice('laptop');
    const other = await agent.addDevice('other');
    const session = await openChannel(agent.url, { agentId: agent.agentId, deviceId: laptop.id, deviceSeed: laptop.seed });
    const seen: unknown[] = [];
    session.onMessage((message) => message.kind === 'json' && seen.push(message.value));
    session.send({ type: 'request', id: 1, op: 'exec', args: { command: 'x' } });
    await waitFor(() => seen.length >= 3);
    expect(seen[0]).toMatchObject({ type: 'resumable', id: 1, token: expect.stringMatching(/^[\w-]{22}$/), graceMs: 60_000 });
    expect(seen.slice(1, 3)).toEqual([
      { type: 'event', id: 1, seq: 1, event: { stream: 'stdout', text: 'a\n' } },
      { type: 'event', id: 1, seq: 2, event: { stream: 'stdout', text: 'b\n' } },
    ]);
    const token = (seen[0] as { token: string }).token;
    for (const socket of agent.sockets) socket.terminate(); // the connection drops (no closing frame)
    await waitFor(() => session.closed);

    const intruder = await openChannel(agent.url, { agentId: agent.agentId, deviceId: other.id, deviceSeed: other.seed });
    cleanups.push(() => intruder.close());
    const answers: unknown[] = [];
    intruder.onMessage((message) => message.kind === 'json' && answers.push(message.value));
    intruder.send({ type: 'resume', id: 1, token, after: 0 });
    await waitFor(() => answers.length === 1);
    expect(answers[0]).toMatchObject({ type: 'response', id: 1, error: { code: 'disconnected', message: expect.stringContaining('The stream to resume is gone') } });

    // The owner still can, from where it was; the end arrives once the work ends.
    const again = await openChannel(agent.url, { agentId: agent.agentId, deviceId: laptop.id, deviceSeed: laptop.seed });
    cleanups.push(() => again.close());
    const resumed: unknown[] = [];
    again.onMessage((message) => message.kind === 'json' && resumed.push(message.value));
    again.send({ type: 'resume', id: 7, token, after: 1 });
    await waitFor(() => resumed.length === 1);
    release();
    await waitFor(() => resumed.length === 2);
    expect(resumed[0]).toEqual({ type: 'event', id: 7, seq: 2, event: { stream: 'stdout', text: 'b\n' } });
    expect(resumed[1]).toMatchObject({ type: 'response', id: 7, result: { exitCode: 0 } });
  });

  it('the client drops an event it already has and fails the call on a gap, never passing either on', async () => {
    let server!: ChannelSession;
    const requests: { id: number }[] = [];
    const agent = await startTestAgent({
      onSession: (session) => {
        server = session;
        session.onMessage((message: ChannelMessage) => message.kind === 'json' && requests.push(message.value as { id: number }));
      },
    });
    cleanups.push(() => agent.close());
    const device = await agent.addDevice('laptop');
    const client = new RpcClient(await openChannel(agent.url, { agentId: agent.agentId, deviceId: device.id, deviceSeed: device.seed }));
    cleanups.push(() => client.close());
    const events: unknown[] = [];
    const call = client.call('exec', { command: 'x' }, { onEvent: (event) => events.push(event) });
    await waitFor(() => requests.length === 1);
    const id = requests[0]!.id;
    server.send({ type: 'resumable', id, token: 'AAAAAAAAAAAAAAAAAAAAAA', graceMs: 1000 });
    for (const seq of [1, 2, 2, 1, 3]) server.send({ type: 'event', id, seq, event: { stream: 'stdout', text: `${seq}` } });
    server.send({ type: 'event', id, seq: 5, event: { stream: 'stdout', text: '5' } });
    const error = await call.catch((caught: unknown) => caught as RemoteError);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ code: 'disconnected', message: 'Event 4 of the exec stream never arrived.' });
    expect(events.map((event) => (event as { text: string }).text)).toEqual(['1', '2', '3']);
  });

  it('a client that closes on purpose (Ctrl-C) stops its streams at once: nothing waits for a resume', async () => {
    const streams = new ResumableStreams();
    const aborted: string[] = [];
    const agent = await startTestAgent({
      onSession: (session) =>
        void serveRpc(session, {
          exec: async ({ command }, context) => {
            context.emit({ stream: 'stdout', text: 'started\n' });
            await new Promise<void>((resolve) => context.signal.addEventListener('abort', () => resolve()));
            aborted.push(command);
            return execResult;
          },
        }, { streams }),
    });
    cleanups.push(() => agent.close());
    const device = await agent.addDevice('laptop');
    const client = new RpcClient(await openChannel(agent.url, { agentId: agent.agentId, deviceId: device.id, deviceSeed: device.seed }));
    const events: unknown[] = [];
    const call = client.call('exec', { command: 'wait' }, { onEvent: (event) => events.push(event) }).catch((error: unknown) => error);
    await waitFor(() => events.length === 1);
    expect(streams.size).toBe(1);
    client.close();
    expect(await call).toMatchObject({ code: 'interrupted' });
    await waitFor(() => aborted.length === 1);
    expect(streams.size).toBe(0);
  });
});
