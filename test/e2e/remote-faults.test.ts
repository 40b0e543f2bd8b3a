import { randomBytes } from 'node:crypto';
import { open, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { connect, parseLink, type RemoteServer } from '../../src/remote/sdk/index.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('remote access: bad input, faults and load against a real agent', () => {
  let agent: AgentProcess;
  let linkText: string;
  let server: RemoteServer;

  beforeAll(async () => {
    agent = await startAgentProcess({ safetyMode: 'dev-server', env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    linkText = await readFile(await agent.addDevice('tester'), 'utf8');
    server = await connect(linkText);
  });
  afterAll(async () => {
    server?.close();
    await agent?.stop();
  });

  it('revoking a device ends its open session at once; other devices keep working', async () => {
    const victim = await connect(await readFile(await agent.addDevice('victim'), 'utf8'));
    expect((await victim.files.stat('.')).type).toBe('directory');
    const closed = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (victim.closed) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
    });
    expect((await agent.cli(['remote-access', 'devices', 'revoke', 'victim'])).exitCode).toBe(0);
    await closed;
    await expect(victim.files.stat('.')).rejects.toMatchObject({ kind: 'device-refused' });
    await expect(connect(await readFile(join(agent.home, 'victim.link'), 'utf8'))).rejects.toMatchObject({ kind: 'device-refused' });
    expect((await server.files.stat('.')).type).toBe('directory');
  });

  it('refuses traversal variants with the policy kind', async () => {
    for (const path of ['..', '../..', '/etc/passwd', 'a/../../b', 'bad\u0000name', `${agent.root}/../x`]) {
      await expect(server.files.stat(path), path).rejects.toMatchObject({ kind: expect.stringMatching(/^(refused|usage)$/) });
    }
  });

  it('a write racing another write with the same expected version: one wins, the other is a conflict', async () => {
    await writeFile(join(agent.root, 'race.txt'), 'original');
    const { version } = await server.files.stat('race.txt');
    const other = await connect(linkText);
    try {
      const results = await Promise.allSettled([
        server.files.write('race.txt', new TextEncoder().encode('from A'), { expectedVersion: version }),
        other.files.write('race.txt', new TextEncoder().encode('from B'), { expectedVersion: version }),
      ]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: { kind: 'conflict' } });
      expect(['from A', 'from B']).toContain(await readFile(join(agent.root, 'race.txt'), 'utf8'));
    } finally {
      other.close();
    }
  });

  it('the engine down: server operations fail clearly (exit 5), files and exec keep working', async () => {
    await expect(server.server.status()).rejects.toMatchObject({ kind: 'engine-unreachable' });
    const cli = await agent.cli(['remote', '--link-file', join(agent.home, 'tester.link'), 'server', 'status']);
    expect(cli.exitCode).toBe(5);
    expect(cli.stderr).toContain('Docker engine');
    expect((await server.files.list('.')).entries.length).toBeGreaterThanOrEqual(0);
    expect((await server.exec('echo still here').result).stdout).toBe('still here\n');
  });

  it('50 concurrent clients x 20 requests: no errors', async () => {
    const clients = await Promise.all(Array.from({ length: 50 }, () => connect(linkText)));
    try {
      const calls = clients.flatMap((client, index) =>
        Array.from({ length: 20 }, (_, n) => (n % 4 === 3 ? client.exec(`echo ${index}-${n}`).result.then((result) => result.stdout) : client.files.stat('race.txt'))),
      );
      const results = await Promise.allSettled(calls);
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    } finally {
      for (const client of clients) client.close();
    }
  });

  it('a 10 GB sparse file streams with bounded agent memory, also to a client that reads nothing', async () => {
    const big = join(agent.root, 'big.bin');
    const handle = await open(big, 'w');
    await handle.truncate(10 * 1024 **3);
    await handle.close();
    const pid = agent.process.pid!;
    const before = await rssBytes(pid);
    // A reader that takes nothing: the credit window must stop the agent.
    const stalled = server.files.readStream('big.bin', { maxBytes: 11 * 1024 **3 });
    await sleep(3000);
    const stalledRss = await rssBytes(pid);
    // A reader that takes 512 MB of it, then cancels.
    const reader = await connect(linkText);
    const controller = new AbortController();
    let received = 0;
    let peak = 0;
    try {
      for await (const chunk of reader.files.readStream('big.bin', { maxBytes: 11 * 1024 ** 3, signal: controller.signal })) {
        received += chunk.byteLength;
        if (received % (64 * 1024 * 1024) < chunk.byteLength) peak = Math.max(peak, await rssBytes(pid));
        if (received >= 512 * 1024 * 1024) break;
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      controller.abort();
      reader.close();
    }
    void stalled.result.catch(() => {});
    expect(received).toBeGreaterThanOrEqual(512 * 1024 * 1024);
    expect(stalledRss - before).toBeLessThan(64 * 1024 * 1024);
    expect(peak - before).toBeLessThan(128 * 1024 * 1024);
  });

  it('1,000 random frames and an oversized frame: the agent stays up', async () => {
    const { url } = parseLink(linkText);
    for (let round = 0; round < 10; round++) {
      const socket = new WebSocket(url.replace('http', 'ws'));
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      for (let i = 0; i < 100; i++) socket.send(i % 2 ? randomBytes(1 + (i % 300)) : randomBytes(40).toString('base64'));
      await sleep(50);
      socket.terminate();
    }
    const huge = new WebSocket(url.replace('http', 'ws'));
    const closed = new Promise<number>((resolve) => huge.once('close', (code) => resolve(code)));
    huge.once('error', () => {});
    await new Promise((resolve) => huge.once('open', resolve));
    huge.send(randomBytes(6 * 1024 * 1024));
    expect(await closed).toBeGreaterThanOrEqual(1000);
    expect((await server.files.stat('race.txt')).type).toBe('file');
  });

  it('the agent killed mid-write leaves the old file, never half of the new one', async () => {
    const target = join(agent.root, 'precious.txt');
    await writeFile(target, 'old content\n');
    const writer = await connect(linkText);
    async function* slowUpload() {
      for (let i = 0; i < 200; i++) {
        yield new Uint8Array(64 * 1024).fill(65);
        await sleep(20);
      }
    }
    const writing = writer.files.write('precious.txt', slowUpload());
    writing.catch(() => {});
    await sleep(1500);
    process.kill(agent.process.pid!, 'SIGKILL');
    await writing.catch(() => {});
    writer.close();
    await agent.process;
    expect(await readFile(target, 'utf8')).toBe('old content\n');
  });
});

describe('remote-access audit --verify on a damaged log', () => {
  let agent: AgentProcess;
  let logFile: string;
  let original: string;

  beforeAll(async () => {
    agent = await startAgentProcess({ safetyMode: 'dev-server' });
    const server = await connect(await readFile(await agent.addDevice('auditor'), 'utf8'));
    for (let i = 0; i < 6; i++) await server.files.list('.');
    server.close();
    await agent.stop();
    // SIGTERM: a clean stop, the control socket removed.
    expect(agent.process.exitCode).toBe(0);
    expect(await readdir(join(agent.home, 'run', 'openmates'))).toEqual([]);
    logFile = join(agent.home, 'state', 'openmates', 'remote', 'audit.jsonl');
    original = await readFile(logFile, 'utf8');
  });

  const verify = () => agent.cli(['remote-access', 'audit', '--verify']);
  const lines = () => original.trimEnd().split('\n');

  it('passes on the untouched log', async () => {
    expect((await verify()).exitCode).toBe(0);
  });

  it('names an edited line', async () => {
    const edited = lines();
    edited[2] = edited[2]!.replace('"files.list"', '"files.read"');
    await writeFile(logFile, `${edited.join('\n')}\n`);
    const result = await verify();
    expect(result.exitCode).toBe(11);
    expect(result.stderr).toContain('line 3');
  });

  it('names reordered lines', async () => {
    const reordered = lines();
    [reordered[1], reordered[4]] = [reordered[4]!, reordered[1]!];
    await writeFile(logFile, `${reordered.join('\n')}\n`);
    const result = await verify();
    expect(result.exitCode).toBe(11);
    expect(result.stderr).toContain('line 2');
  });

  it('finds a log truncated at the end', async () => {
    await writeFile(logFile, `${lines().slice(0, 4).join('\n')}\n`);
    const result = await verify();
    expect(result.exitCode).toBe(11);
    expect(result.stderr).toMatch(/line 5.*cut off at the end/);
  });
});
