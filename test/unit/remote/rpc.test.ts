import { afterEach, describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../../src/core/errors.js';
import { openChannel } from '../../../src/remote/channel/open.js';
import type { ChannelMessage, ChannelSession } from '../../../src/remote/channel/session.js';
import { LIMITS } from '../../../src/remote/protocol/limits.js';
import { RpcClient } from '../../../src/remote/rpc/client.js';
import { RemoteError } from '../../../src/remote/rpc/remote-error.js';
import { serveRpc, type OpHandlers, type RejectedRequest } from '../../../src/remote/rpc/serve.js';
import { startTestAgent, waitFor, type TestAgent } from './test-agent.js';
import { startTestRelay } from './test-relay.js';
import { encodeChunk } from '../../../src/remote/protocol/rpc-messages.js';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const stat = (path: string) => ({ path, name: path.split('/').pop()!, type: 'file' as const, size: 3, mode: 0o644, mtimeMs: 1, version: 'v1' });

async function serve(handlers: OpHandlers, options: { heartbeatIntervalMs?: number; heartbeatTimeoutMs?: number; onRejected?: (rejection: RejectedRequest) => void } = {}) {
  const serverSessions: ChannelSession[] = [];
  const agent: TestAgent = await startTestAgent({
    onSession: (session) => {
      serverSessions.push(session);
      serveRpc(session, handlers, { hostFacts: async () => ({ marker: 'facts' }), ...options });
    },
  });
  cleanups.push(() => agent.close());
  const device = await agent.addDevice('laptop');
  const link = { agentId: agent.agentId, deviceId: device.id, deviceSeed: device.seed };
  return {
    agent,
    serverSessions,
    link,
    async client(url = agent.url, clientOptions: { heartbeatIntervalMs?: number; heartbeatTimeoutMs?: number } = {}) {
      const session = await openChannel(url, link);
      const client = new RpcClient(session, clientOptions);
      cleanups.push(() => client.close());
      return { session, client };
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<RemoteError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RemoteError);
  return error as RemoteError;
}

function pattern(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 10)) & 0xff;
  return bytes;
}

describe('RPC over a sealed session', () => {
  it('answers a request with the validated result, and errors with their kind and hint', async () => {
    const { client } = await (
      await serve({
        'files.stat': async ({ path }, context) => {
          if (path === '/secret') throw new OpenmatesError('refused', 'Outside the shared folders.', 'share it with --root');
          if (path === '/boom') throw new Error('disk on fire');
          expect(context.device.name).toBe('laptop');
          return stat(path);
        },
      })
    ).client();
    expect(await client.call('files.stat', { path: '/a/b.txt' })).toEqual(stat('/a/b.txt'));
    const refused = await failure(client.call('files.stat', { path: '/secret' }));
    expect({ code: refused.code, message: refused.message, hint: refused.hint }).toEqual({ code: 'refused', message: 'Outside the shared folders.', hint: 'share it with --root' });
    expect((await failure(client.call('files.stat', { path: '/boom' }))).code).toBe('operation-failed');
    const bad = await failure(client.call('files.stat', { path: 42 } as never));
    expect(bad.code).toBe('usage');
    expect(bad.message).toMatch(/invalid arguments for files.stat: path/);
    expect((await failure(client.call('files.list', { path: '/' }))).message).toMatch(/does not offer "files.list"/);
  });

  it('streams events, and host facts come with the response when asked', async () => {
    const { client } = await (
      await serve({
        exec: async (_args, context) => {
          context.emit({ stream: 'stdout', text: 'one\n' });
          context.emit({ stream: 'stderr', text: 'two\n' });
          return { exitCode: 0, timedOut: false, durationMs: 1, stdout: 'one\n', stderr: 'two\n', truncated: { stdout: false, stderr: false }, risk: { risk: 'read', reasons: [], category: 'inspect' }, analysis: { lines: 1, looksLike: 'text' }, cwd: '/' };
        },
      })
    ).client();
    const events: unknown[] = [];
    const hosts: unknown[] = [];
    const result = await client.call('exec', { command: 'echo one' }, { onEvent: (event) => events.push(event), withHost: true, onHost: (host) => hosts.push(host) });
    expect(result.exitCode).toBe(0);
    expect(events).toEqual([{ stream: 'stdout', text: 'one\n' }, { stream: 'stderr', text: 'two\n' }]);
    expect(hosts).toEqual([{ marker: 'facts' }]);
  });

  it('carries a 5 MiB download and a 3 MiB upload byte for byte', async () => {
    const content = pattern(5 * 1024 * 1024 + 17);
    let uploaded: Uint8Array | undefined;
    const { client } = await (
      await serve({
        'files.read': async ({ path }, context) => {
          await context.sendChunk(content);
          return { path, size: content.byteLength, version: 'v1', redactedEnv: false };
        },
        'files.write': async ({ path, size }, context) => {
          const parts: Uint8Array[] = [];
          for await (const chunk of context.receiveChunks()) parts.push(chunk);
          uploaded = Buffer.concat(parts);
          expect(uploaded.byteLength).toBe(size);
          return { path, version: 'v2', bytes: uploaded.byteLength };
        },
      })
    ).client();
    const received: Uint8Array[] = [];
    await client.call('files.read', { path: '/f' }, { onChunk: (bytes) => void received.push(bytes.slice()) });
    expect(Buffer.compare(Buffer.concat(received), content)).toBe(0);

    const upload = pattern(3 * 1024 * 1024 + 5);
    async function* pieces() {
      for (let offset = 0; offset < upload.byteLength; offset += 100_000) yield upload.subarray(offset, offset + 100_000);
    }
    expect(await client.call('files.write', { path: '/g', size: upload.byteLength }, { upload: pieces() })).toEqual({ path: '/g', version: 'v2', bytes: upload.byteLength });
    expect(Buffer.compare(uploaded!, upload)).toBe(0);
  });

  it('a client that reads nothing holds the agent to its credit window: sent bytes and buffers stay bounded', async () => {
    let sent = 0;
    let handlerSignal: AbortSignal | undefined;
    const server = await serve({
      'files.read': async ({ path }, context) => {
        handlerSignal = context.signal;
        const chunk = new Uint8Array(LIMITS.chunkBytes);
        for (let i = 0; i < 1600; i++) {
          await context.sendChunk(chunk); // 100 MiB if nothing held it back
          sent += chunk.byteLength;
        }
        return { path, size: sent, version: 'v', redactedEnv: false };
      },
    });
    const { client, session } = await server.client();
    let received = 0;
    const stalled = new Promise<void>(() => undefined);
    const controller = new AbortController();
    const call = client.call('files.read', { path: '/big' }, {
      signal: controller.signal,
      onChunk: (bytes) => {
        received += bytes.byteLength;
        return stalled; // the reader stops after its first chunk
      },
    });
    await waitFor(() => sent >= LIMITS.creditWindowBytes - LIMITS.chunkBytes);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sent).toBeLessThanOrEqual(LIMITS.creditWindowBytes);
    expect(server.serverSessions[0]!.bufferedAmount).toBeLessThanOrEqual(LIMITS.creditWindowBytes + 64 * 1024);
    expect(received).toBe(LIMITS.chunkBytes);
    controller.abort();
    expect((await failure(call)).code).toBe('interrupted');
    await waitFor(() => handlerSignal?.aborted === true);
    expect(session.closed).toBe(false);
  });

  it('cancelling aborts the handler and fails the call with interrupted', async () => {
    let aborted = false;
    const { client } = await (
      await serve({
        exec: (_args, context) =>
          new Promise((_resolve, reject) => {
            context.signal.addEventListener('abort', () => {
              aborted = true;
              reject(context.signal.reason as Error);
            });
          }),
      })
    ).client();
    const controller = new AbortController();
    const call = client.call('exec', { command: 'sleep 100' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await failure(call);
    expect(error.code).toBe('interrupted');
    await waitFor(() => aborted);
  });

  it('a dead agent is noticed by the heartbeat and pending calls fail with a clear error', async () => {
    const server = await serve({ exec: () => new Promise(() => undefined) });
    const relay = await startTestRelay(server.agent.url);
    cleanups.push(() => relay.close());
    const { client } = await server.client(relay.url, { heartbeatIntervalMs: 50, heartbeatTimeoutMs: 400 });
    relay.intercept = () => []; // the agent side goes silent: nothing gets through any more
    const error = await failure(client.call('exec', { command: 'true' }));
    expect(error.message).toMatch(/The agent stopped answering: nothing heard for/);
    expect((await failure(client.call('exec', { command: 'true' }))).message).toMatch(/stopped answering/);
  });

  it('answers malformed messages with usage errors and keeps the session up', async () => {
    const { session, client } = await (await serve({ 'files.stat': async ({ path }) => stat(path) })).client();
    const raw: ChannelMessage[] = [];
    session.onMessage((message) => raw.push(message));
    const junk: unknown[] = [{ type: 'request', id: 7, op: 'files.nope', args: {} }, { type: 'request', id: 8 }, { what: 1 }, 'text', [1, 2], null, { type: 'ack', id: -1, bytes: 2 }];
    for (const message of junk) session.send(message);
    session.send(Uint8Array.of(1, 2));
    session.send(Uint8Array.of(0, 0, 0, 99, 0, 0, 0, 0, 5));
    await waitFor(() => raw.length >= junk.length + 2);
    const values = raw.map((message) => (message.kind === 'json' ? message.value : message)) as { type: string; id?: number; error: { code: string; message: string } }[];
    expect(values.every((value) => value.error.code === 'usage')).toBe(true);
    expect(values[0]).toMatchObject({ type: 'response', id: 7, error: { message: expect.stringMatching(/unknown operation "files.nope"/) } });
    expect(values[1]).toMatchObject({ type: 'response', id: 8 });
    expect(values[2]).toMatchObject({ type: 'error' });
    expect(values.at(-1)?.error.message).toMatch(/call 99, which is not running/);
    expect(await client.call('files.stat', { path: '/still/ok' })).toEqual(stat('/still/ok'));
  });

  it('tells the agent about every request it refuses before a handler runs, so the audit log has them too', async () => {
    const rejected: RejectedRequest[] = [];
    const { client } = await (await serve({ 'files.stat': async ({ path }) => stat(path) }, { onRejected: (rejection) => rejected.push(rejection) })).client();
    await failure(client.call('files.nope' as never, {} as never));
    await failure(client.call('files.stat', { path: 42 } as never));
    await failure(client.call('exec', { command: 'true' }));
    expect(rejected).toEqual([
      { op: 'files.nope', reason: 'unknown operation' },
      { op: 'files.stat', reason: 'invalid arguments' },
      { op: 'exec', reason: 'not offered' },
    ]);
    expect(await client.call('files.stat', { path: '/ok' })).toEqual(stat('/ok'));
  });

  it('50 concurrent sessions × 20 requests each: every answer arrives, to the right caller', async () => {
    const server = await serve({ 'files.stat': async ({ path }) => stat(path) });
    const clients = await Promise.all(Array.from({ length: 50 }, () => server.client()));
    const answers = await Promise.all(
      clients.flatMap(({ client }, c) => Array.from({ length: 20 }, (_, r) => client.call('files.stat', { path: `/c${c}/r${r}` }).then((info) => info.path === `/c${c}/r${r}`))),
    );
    expect(answers).toHaveLength(1000);
    expect(answers.every(Boolean)).toBe(true);
    expect(server.serverSessions).toHaveLength(50);
  });

  it('a device revoked mid-session: the agent refuses the session and pending calls fail with device-refused', async () => {
    const server = await serve({ exec: () => new Promise(() => undefined) });
    const { client } = await server.client();
    const pending = client.call('exec', { command: 'sleep 100' });
    await waitFor(() => server.serverSessions.length === 1);
    server.serverSessions[0]!.refuse(new OpenmatesError('device-refused', 'The device "laptop" was revoked.', 'add it again'));
    const error = await failure(pending);
    expect({ code: error.code, message: error.message }).toEqual({ code: 'device-refused', message: 'The device "laptop" was revoked.' });
    expect((await failure(client.call('exec', { command: 'true' }))).code).toBe('device-refused');
  });

  it('the agent gives a silent client up too, and its handlers are aborted', async () => {
    let handlerAborted = false;
    const server = await serve(
      {
        exec: (_args, context) =>
          new Promise((_resolve, reject) =>
            context.signal.addEventListener('abort', () => {
              handlerAborted = true;
              reject(context.signal.reason as Error);
            }),
          ),
      },
      { heartbeatIntervalMs: 50, heartbeatTimeoutMs: 300 },
    );
    const relay = await startTestRelay(server.agent.url);
    cleanups.push(() => relay.close());
    const { client } = await server.client(relay.url);
    void client.call('exec', { command: 'sleep 100' }).catch(() => undefined);
    await waitFor(() => server.serverSessions.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    relay.intercept = (frame) => (frame.direction === 'to-agent' ? [] : undefined);
    await waitFor(() => server.serverSessions[0]!.closed);
    await waitFor(() => handlerAborted);
  });

  it('an uploader that ignores the credit window has its call aborted with usage; a malformed result is refused by the client', async () => {
    let reason: unknown;
    const { session, client } = await (
      await serve({
        'files.write': (_args, context) =>
          new Promise((_resolve, reject) =>
            context.signal.addEventListener('abort', () => {
              reason = context.signal.reason;
              reject(reason as Error);
            }),
          ),
        'files.stat': async () => ({ path: '/x' }) as never,
      })
    ).client();
    const raw: ChannelMessage[] = [];
    session.onMessage((message) => raw.push(message));
    session.send({ type: 'request', id: 900, op: 'files.write', args: { path: '/f' } });
    const chunk = new Uint8Array(LIMITS.chunkBytes);
    for (let seq = 0; seq < 40; seq++) session.send(encodeChunk(900, seq, chunk)); // 2.5 MiB, no acks waited for
    await waitFor(() => raw.some((message) => message.kind === 'json' && (message.value as { id?: number }).id === 900));
    const response = raw.find((message) => message.kind === 'json' && (message.value as { id?: number }).id === 900);
    expect(response).toMatchObject({ kind: 'json', value: { type: 'response', id: 900, error: { code: 'usage', message: 'The caller sent more than its credit window allows.' } } });
    expect((reason as OpenmatesError).kind).toBe('usage');

    const malformed = await failure(client.call('files.stat', { path: '/x' }));
    expect(malformed.code).toBe('operation-failed');
    expect(malformed.message).toMatch(/answer to files.stat is malformed/);
  });
});
