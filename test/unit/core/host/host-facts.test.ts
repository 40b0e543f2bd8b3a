import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../../../src/core/errors.js';
import { createHostFacts } from '../../../../src/core/host/index.js';
import { isRealMount, parseMounts } from '../../../../src/core/host/disks.js';
import { parseProcNetTcp } from '../../../../src/core/host/listening-ports.js';
import { maskCommandLine } from '../../../../src/core/host/scripts.js';
import { FakeEngine } from '../../fakes/fake-docker.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(host: string): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  return (server.address() as { port: number }).port;
}

describe('host facts on this machine', () => {
  it('finds a port this process listens on, with this pid', async () => {
    const port = await listen('127.0.0.1');
    const facts = await createHostFacts().get();
    const found = facts.ports.find((entry) => entry.port === port);
    expect(found).toEqual({ port, address: '127.0.0.1', pid: process.pid, process: expect.any(String) });
  });

  it('finds an IPv6 listener too', async () => {
    let port: number;
    try {
      port = await listen('::1');
    } catch {
      // No IPv6 loopback here: the parser is still checked below on a fixed line.
      expect(parseProcNetTcp('  sl  local_address rem_address   st\n   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1\n', 6)).toEqual([{ address: '::1', port: 8080, inode: '4242' }]);
      return;
    }
    const facts = await createHostFacts().get();
    expect(facts.ports.find((entry) => entry.port === port)).toMatchObject({ address: '::1', pid: process.pid });
  });

  it('has CPU, memory, disks, uptime and the node process running the tests among the scripts', async () => {
    const facts = await createHostFacts().get();
    expect(facts.cpu.cores).toBeGreaterThanOrEqual(1);
    expect(facts.cpu.usedPercent).toBeGreaterThanOrEqual(0);
    expect(facts.cpu.usedPercent).toBeLessThanOrEqual(100);
    expect(facts.cpu.load).toHaveLength(3);
    expect(facts.memory.totalBytes).toBeGreaterThan(facts.memory.availableBytes);
    expect(facts.disks.find((disk) => disk.mount === '/')?.totalBytes).toBeGreaterThan(0);
    expect(facts.disks.every((disk) => disk.freeBytes <= disk.totalBytes)).toBe(true);
    expect(facts.uptimeSeconds).toBeGreaterThan(0);
    expect(new Date(facts.takenAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(facts.scripts.find((script) => script.pid === process.pid)).toMatchObject({ cwd: process.cwd() });
  });

  it('lists a python script with its working folder', async () => {
    const child = spawn('python3', ['-c', 'import time; time.sleep(30)'], { cwd: '/tmp', stdio: 'ignore' });
    try {
      // Until the child has exec'd python (through a pyenv shim, perhaps), /proc shows another program.
      const facts = createHostFacts({ maxAgeMs: 0 });
      let found;
      for (let tries = 0; !found && tries < 200; tries++) {
        found = (await facts.get()).scripts.find((script) => script.pid === child.pid && script.command.includes('python3 -c'));
        if (!found) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(found).toEqual({ pid: child.pid, command: expect.stringMatching(/python3 -c import time; time\.sleep\(30\)$/), cwd: '/tmp' });
    } finally {
      child.kill();
    }
  });

  it('masks secret-looking arguments in command lines', () => {
    expect(maskCommandLine(['node', 'server.js', '--api-key=abc123', '--password', 'hunter2', '--port', '80', 'DB_TOKEN=x'])).toBe('node server.js --api-key=… --password … --port 80 DB_TOKEN=…');
  });

  it('keeps real mounts and the root, not pseudo file systems', () => {
    const mounts = parseMounts('overlay / overlay rw 0 0\nproc /proc proc rw 0 0\n/dev/sda1 /srv/my\\040data ext4 rw 0 0\ntmpfs /run tmpfs rw 0 0\n');
    expect(mounts.filter(isRealMount).map((mount) => mount.mount)).toEqual(['/', '/srv/my data']);
  });
});

describe('containers', () => {
  it('come from the engine with name, image, state and health', async () => {
    const engine = new FakeEngine();
    engine.containers = [
      { id: '1', name: 'demo-api-1', service: 'api', image: 'reg/api:1', state: 'running', health: 'healthy', exitCode: 0, restartCount: 0, restartPolicy: 'no', ports: [] },
      { id: '2', name: 'demo-worker-1', service: 'worker', image: 'reg/worker:1', state: 'exited', exitCode: 1, restartCount: 0, restartPolicy: 'no', ports: [] },
    ];
    const facts = await createHostFacts({ engine: async () => engine }).get();
    expect(facts.containers).toEqual([
      { name: 'demo-api-1', image: 'reg/api:1', state: 'running', health: 'healthy' },
      { name: 'demo-worker-1', image: 'reg/worker:1', state: 'exited' },
    ]);
  });

  it('an engine that is down makes containers unavailable, with the reason, and the rest is there', async () => {
    const engine = new FakeEngine();
    engine.reachable = false;
    const facts = await createHostFacts({ engine: async () => engine }).get();
    expect(facts.containers).toEqual({ unavailable: 'Cannot reach the Docker engine at unix:///fake.sock.' });
    expect(facts.memory.totalBytes).toBeGreaterThan(0);
    const notConnected = await createHostFacts({
      engine: async () => {
        throw new OpenmatesError('engine-unreachable', 'Cannot reach the Docker engine at unix:///nowhere.sock.');
      },
    }).get();
    expect(notConnected.containers).toEqual({ unavailable: 'Cannot reach the Docker engine at unix:///nowhere.sock.' });
  });

  it('an engine that does not answer is unavailable after the timeout', async () => {
    const facts = await createHostFacts({ engine: () => new Promise(() => undefined), engineTimeoutMs: 100 }).get();
    expect(facts.containers).toEqual({ unavailable: 'the Docker engine did not answer within 100 ms' });
  });
});

describe('the cache', () => {
  it('answers from the cache within the max age; concurrent callers share one refresh', async () => {
    const engine = new FakeEngine();
    let calls = 0;
    const source = createHostFacts({
      engine: async () => {
        calls++;
        return engine;
      },
      maxAgeMs: 400,
    });
    const [a, b, c] = await Promise.all([source.get(), source.get(), source.get()]);
    expect(calls).toBe(1);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(await source.get()).toBe(a);
    expect(calls).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 450));
    const later = await source.get();
    expect(later).not.toBe(a);
    expect(calls).toBe(2);
  });
});
