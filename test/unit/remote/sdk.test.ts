import { afterEach, describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../../src/core/errors.js';
import { exitCodeFor } from '../../../src/cli/exit-codes.js';
import { formatLink } from '../../../src/remote/link.js';
import { serveRpc, type OpHandlers } from '../../../src/remote/rpc/serve.js';
import { connect, RemoteError, type RemoteServer } from '../../../src/remote/sdk/index.js';
import { startTestAgent, waitFor, type TestAgent } from './test-agent.js';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const facts = { takenAt: '2026-01-01T00:00:00Z', uptimeSeconds: 5, cpu: { cores: 2, usedPercent: 3, load: [0.1, 0.2, 0.3] as [number, number, number] }, memory: { totalBytes: 8, availableBytes: 4 }, disks: [], ports: [], containers: { unavailable: 'engine down' }, scripts: [] };
const execResult = (stdout: string) => ({ exitCode: 0, timedOut: false, durationMs: 2, stdout, stderr: '', truncated: { stdout: false, stderr: false }, risk: { risk: 'read' as const, reasons: [], category: 'inspect' }, analysis: { lines: 1, looksLike: 'text' as const }, cwd: '/srv' });

/** An agent whose handlers keep files in a Map: enough to see the SDK's calls arrive as they should. */
async function agentWithFiles(): Promise<{ agent: TestAgent; files: Map<string, Uint8Array>; link: string; aborted: string[] }> {
  const files = new Map<string, Uint8Array>([['/srv/a.txt', new TextEncoder().encode('hello')]]);
  const aborted: string[] = [];
  const version = (path: string) => `v${files.get(path)?.byteLength ?? 'none'}`;
  const handlers: OpHandlers = {
    host: async () => facts,
    'files.read': async ({ path, maxBytes }, context) => {
      const bytes = files.get(path);
      if (!bytes) throw new OpenmatesError('operation-failed', `${path} does not exist.`);
      const limit = Math.min(bytes.byteLength, maxBytes ?? Infinity);
      context.signal.addEventListener('abort', () => aborted.push(path));
      for (let offset = 0; offset < limit; offset += 65536) await context.sendChunk(bytes.subarray(offset, Math.min(limit, offset + 65536)));
      return { path, size: bytes.byteLength, version: version(path), redactedEnv: false };
    },
    'files.write': async ({ path, expectedVersion }, context) => {
      if (expectedVersion !== undefined && expectedVersion !== (files.has(path) ? version(path) : null)) throw new OpenmatesError('conflict', `${path} changed since it was read.`, 'read it again');
      const parts: Uint8Array[] = [];
      for await (const chunk of context.receiveChunks()) parts.push(chunk);
      files.set(path, Buffer.concat(parts));
      return { path, version: version(path), bytes: files.get(path)!.byteLength };
    },
    exec: async ({ command }, context) => {
      context.emit({ stream: 'stdout', text: `ran ${command}\n` });
      return execResult(`ran ${command}\n`);
    },
    'server.logs': async (_args, context) => {
      context.emit({ lines: ['one'] });
      context.emit({ lines: ['two'] });
      return { lines: 2 };
    },
    'server.restart': async ({ clearCache }, context) => {
      context.emit({ type: 'step-started', step: 'restart' });
      return { restarted: true, clearCache: clearCache ?? false };
    },
  };
  const agent = await startTestAgent({ onSession: (session) => serveRpc(session, handlers, { hostFacts: async () => facts }) });
  cleanups.push(() => agent.close());
  const device = await agent.addDevice('laptop');
  const link = formatLink({ url: agent.url.replace('ws:', 'http:'), agentId: agent.agentId, deviceId: device.id, deviceSeed: device.seed });
  return { agent, files, link, aborted };
}

async function connected(link: string, options?: Parameters<typeof connect>[1]): Promise<RemoteServer> {
  const server = await connect(link, options);
  cleanups.push(() => server.close());
  return server;
}

describe('the SDK: connect(link) and the server object', () => {
  it('reads, writes with versions, and reports a conflict as its kind', async () => {
    const { link, files } = await agentWithFiles();
    const server = await connected(link);
    expect(server.device.name).toBe('laptop');
    const read = await server.files.read('/srv/a.txt');
    expect(new TextDecoder().decode(read.bytes)).toBe('hello');
    expect(read.version).toBe('v5');
    expect(await server.files.write('/srv/a.txt', new TextEncoder().encode('hello, world'), { expectedVersion: read.version })).toEqual({ path: '/srv/a.txt', version: 'v12', bytes: 12 });
    const conflict = await server.files.write('/srv/a.txt', new Uint8Array(1), { expectedVersion: read.version }).catch((error: unknown) => error);
    expect(conflict).toBeInstanceOf(RemoteError);
    expect((conflict as RemoteError).code).toBe('conflict');
    expect(exitCodeFor((conflict as RemoteError).code)).toBe(18);
    async function* parts() {
      yield new TextEncoder().encode('new ');
      yield new TextEncoder().encode('file');
    }
    await server.files.write('/srv/new.txt', parts(), { expectedVersion: null });
    expect(new TextDecoder().decode(files.get('/srv/new.txt'))).toBe('new file');
  });

  it('streams a read chunk by chunk, and a reader that stops early cancels the call (the rest is more than the credit window)', async () => {
    const { link, files, aborted } = await agentWithFiles();
    files.set('/srv/big', new Uint8Array(8_000_000).fill(9));
    const server = await connected(link);
    const whole = server.files.readStream('/srv/big');
    let total = 0;
    for await (const chunk of whole) total += chunk.byteLength;
    expect(total).toBe(8_000_000);
    expect((await whole.result).size).toBe(8_000_000);

    const partial = server.files.readStream('/srv/big');
    for await (const chunk of partial) {
      expect(chunk.byteLength).toBe(65536);
      break;
    }
    expect(((await partial.result.catch((error: unknown) => error)) as RemoteError).code).toBe('interrupted');
    await waitFor(() => aborted.includes('/srv/big'));
  });

  it('exec iterates output and resolves its result; server operations stream their events', async () => {
    const { link } = await agentWithFiles();
    const server = await connected(link, { withHost: true });
    const run = server.exec('ls', { cwd: '/srv' });
    const output: string[] = [];
    for await (const event of run) output.push(event.text);
    expect(output).toEqual(['ran ls\n']);
    expect((await run.result).exitCode).toBe(0);
    expect(server.lastHost?.cpu.cores).toBe(2);

    const logs = server.server.logs({ tail: 10 });
    const batches: unknown[] = [];
    for await (const batch of logs) batches.push(batch);
    expect(batches).toEqual([{ lines: ['one'] }, { lines: ['two'] }]);
    const events: unknown[] = [];
    expect(await server.server.restart({ clearCache: true, onEvent: (event) => events.push(event) })).toEqual({ restarted: true, clearCache: true });
    expect(events).toEqual([{ type: 'step-started', step: 'restart' }]);
    expect((await server.host()).uptimeSeconds).toBe(5);
  });

  it('an operation the agent does not offer, a revoked device and a malformed link are RemoteErrors with their kinds', async () => {
    const { link, agent } = await agentWithFiles();
    const server = await connected(link);
    const refused = (await server.files.stat('/srv/a.txt').catch((error: unknown) => error)) as RemoteError;
    expect(refused.code).toBe('refused');
    for (const device of agent.devices.values()) device.revoked = true;
    const revoked = (await connect(link).catch((error: unknown) => error)) as RemoteError;
    expect(revoked).toBeInstanceOf(RemoteError);
    expect(revoked.code).toBe('device-refused');
    expect(exitCodeFor(revoked.code)).toBe(15);
    const malformed = (await connect(link.slice(0, -5)).catch((error: unknown) => error)) as RemoteError;
    expect(malformed.code).toBe('usage');
    const unreachable = (await connect(link.replace(/:\d+\//, ':1/')).catch((error: unknown) => error)) as RemoteError;
    expect(unreachable.code).toBe('operation-failed');
    expect(unreachable.message).toMatch(/Could not connect to the remote-access agent at ws:\/\/127\.0\.0\.1:1\//);
  });

  it('after close, calls fail at once with interrupted', async () => {
    const { link } = await agentWithFiles();
    const server = await connected(link);
    server.close();
    expect(server.closed).toBe(true);
    expect(((await server.host().catch((error: unknown) => error)) as RemoteError).code).toBe('interrupted');
  });
});
