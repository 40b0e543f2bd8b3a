import { afterEach, describe, expect, it } from 'vitest';
import { formatLink } from '../../../src/remote/link.js';
import { ResumableStreams } from '../../../src/remote/rpc/resume/resumable-streams.js';
import { serveRpc, type OpHandlers } from '../../../src/remote/rpc/serve.js';
import { connect, RemoteError, type ConnectionState } from '../../../src/remote/sdk/index.js';
import { startTestAgent, waitFor } from './test-agent.js';
import { startTestRelay, type TestRelay } from './test-relay.js';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const execResult = (stdout: string) => ({ exitCode: 0, timedOut: false, durationMs: 2, stdout, stderr: '', truncated: { stdout: false, stderr: false }, risk: { risk: 'read' as const, reasons: [], category: 'inspect' }, analysis: { lines: 1, looksLike: 'text' as const }, cwd: '/srv' });

/**
 * A real agent side (sealed sessions, serveRpc with one registry of kept streams) behind a relay
 * the test can cut: `exec` prints `line 1` … `line N`, one every few milliseconds.
 */
async function setup(lines: number, options: { graceMs?: number } = {}) {
  const streams = new ResumableStreams({ graceMs: options.graceMs ?? 60_000 });
  const aborted: string[] = [];
  const handlers: OpHandlers = {
    exec: async ({ command }, context) => {
      context.signal.addEventListener('abort', () => aborted.push(command));
      let stdout = '';
      for (let i = 1; i <= lines; i++) {
        context.signal.throwIfAborted();
        const text = `line ${i}\n`;
        stdout += text;
        context.emit({ stream: 'stdout', text });
        await new Promise((resolve) => setTimeout(resolve, 4));
      }
      return execResult(stdout);
    },
    'files.stat': () => new Promise(() => undefined), // never answers: a call in flight when the link drops
  };
  const agent = await startTestAgent({ onSession: (session) => void serveRpc(session, handlers, { streams }) });
  cleanups.push(() => agent.close());
  const relay: TestRelay = await startTestRelay(agent.url);
  cleanups.push(() => relay.close());
  const device = await agent.addDevice('laptop');
  const link = formatLink({ url: relay.url.replace('ws:', 'http:'), agentId: agent.agentId, deviceId: device.id, deviceSeed: device.seed });
  return { agent, relay, link, streams, aborted };
}

describe('connect(link, {reconnect: true}): the SDK comes back on its own, streams resume without loss or duplication', () => {
  it('a command\'s output continues after the connection is cut, every line once; a call in flight fails with "disconnected"', async () => {
    const { relay, link, aborted } = await setup(300);
    const server = await connect(link, { reconnect: { baseMs: 50, capMs: 200 } });
    cleanups.push(() => server.close());
    const states: ConnectionState['state'][] = [];
    server.connection.onChange((state) => states.push(state.state));
    const inFlight = server.files.stat('/srv/never').catch((error: unknown) => error);
    const output = server.exec('count');
    let text = '';
    let cut = false;
    for await (const piece of output) {
      text += piece.text;
      if (!cut && text.includes('line 40\n')) {
        cut = true;
        relay.cut(0);
      }
    }
    const result = await output.result;
    const received = text.trimEnd().split('\n');
    expect(received).toEqual(Array.from({ length: 300 }, (_, i) => `line ${i + 1}`));
    expect(result.stdout).toBe(text);
    expect(states).toEqual(['reconnecting', 'connected']);
    expect(server.connection.state.state).toBe('connected');
    expect(aborted).toEqual([]);
    const error = (await inFlight) as RemoteError;
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.code).toBe('disconnected');
    expect(error.message).toMatch(/The connection dropped while files.stat was in flight: it may or may not have run/);
    // The connection is usable again for new calls.
    const again = server.exec('count again');
    expect((await again.result).stdout.split('\n')).toHaveLength(301);
  }, 30_000);

  it('survives being cut several times in a row, still without loss or duplication', async () => {
    const { relay, link } = await setup(400);
    const server = await connect(link, { reconnect: { baseMs: 20, capMs: 100 } });
    cleanups.push(() => server.close());
    const output = server.exec('count');
    let text = '';
    let cuts = 0;
    for await (const piece of output) {
      text += piece.text;
      const lines = text.split('\n').length;
      if (lines > 80 * (cuts + 1) && cuts < 3) relay.cut(cuts++);
    }
    expect(cuts).toBe(3);
    expect(text.trimEnd().split('\n')).toEqual(Array.from({ length: 400 }, (_, i) => `line ${i + 1}`));
  }, 30_000);

  it('a stream nobody resumes within the grace period is stopped on the agent, and the caller hears why', async () => {
    const { relay, link, aborted, streams } = await setup(5000, { graceMs: 300 });
    const server = await connect(link, { reconnect: { baseMs: 2000, capMs: 2000 } }); // back only after the grace period
    cleanups.push(() => server.close());
    const output = server.exec('long');
    let text = '';
    const reading = (async () => {
      for await (const piece of output) {
        text += piece.text;
        if (text.includes('line 10\n') && relay.binaryCount(0, 'to-client') > 0) relay.cut(0);
      }
    })();
    const error = await output.result.catch((caught: unknown) => caught as RemoteError);
    await reading.catch(() => undefined);
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as RemoteError).code).toBe('disconnected');
    expect((error as RemoteError).message).toMatch(/no longer keeps the exec stream|The stream to resume is gone/);
    await waitFor(() => aborted.length === 1);
    expect(streams.size).toBe(0);
  }, 30_000);

  it('without reconnect nothing changes: the first cut closes the server and its calls fail with "disconnected"', async () => {
    const { relay, link } = await setup(1000);
    const server = await connect(link);
    cleanups.push(() => server.close());
    const output = server.exec('count');
    setTimeout(() => relay.cut(0), 100);
    const error = (await output.result.catch((caught: unknown) => caught)) as RemoteError;
    expect(error.code).toBe('disconnected');
    expect(server.connection.state.state).toBe('closed');
    expect(server.closed).toBe(true);
  }, 30_000);

  it('close() during a reconnect ends it: state closed, no more attempts', async () => {
    const { relay, link, agent } = await setup(10);
    const server = await connect(link, { reconnect: { baseMs: 100, capMs: 100 } });
    await agent.close(); // nothing to come back to
    relay.cut(0);
    await waitFor(() => server.connection.state.state === 'reconnecting');
    const during = await server.host().catch((error: unknown) => error as RemoteError);
    expect(during).toMatchObject({ code: 'disconnected', message: expect.stringContaining('reconnecting') });
    server.close();
    expect(server.connection.state).toMatchObject({ state: 'closed' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.connection.state.state).toBe('closed');
  }, 30_000);
});
