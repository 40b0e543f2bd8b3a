import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containersOf, createTestStack, dockerOk, fileExistsInVolume, killAllTmuxSessions, runCli, serviceContainer, startCliInTmux, testEnv, writeFileInVolume, type TestStack, chooseMenuItem } from './harness/index.js';

/**
 * A unix socket that forwards to the test engine, so a test can make "the engine" go away (and
 * come back) for one program without touching the shared engine.
 */
function engineProxy() {
  const path = join(tmpdir(), `omt-engine-proxy-${randomBytes(4).toString('hex')}.sock`);
  const target = testEnv().dockerHost.replace(/^unix:\/\//, '');
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  return {
    path,
    up: () =>
      new Promise<void>((resolve, reject) => {
        server = createServer((client) => {
          const engine = connect(target);
          track(client);
          track(engine);
          client.pipe(engine).pipe(client);
        });
        server.once('error', reject);
        server.listen(path, resolve);
      }),
    down: async () => {
      // close() waits for open connections: cut them first, as a dying engine would.
      const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
      for (const socket of sockets) socket.destroy();
      await closed;
      rmSync(path, { force: true });
    },
  };
}

describe('the dashboard and restart in a real terminal (tmux)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await createTestStack({ name: 'dash' });
    const installed = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    expect(installed.exitCode, installed.stderr).toBe(0);
  });
  afterAll(async () => {
    await killAllTmuxSessions();
    await stack?.cleanup();
  });

  it('shows the live stack, marks a service stopped behind its back, and restarts it with the cache cleared', async () => {
    await writeFileInVolume(stack.cacheVolumes[0]!, 'warm.txt', 'cached');
    const app = await startCliInTmux(['--path', stack.installDir], { cols: 100, rows: 30 });

    const home = await app.waitForText('Installed · v1.0.0 · 6/6 services healthy', 30_000);
    expect(home).toMatch(/✓ api\s+running\s+healthy/);
    expect(home).toContain(`http://localhost:${stack.webPort}`);
    // CPU and memory arrive with the first stats round.
    expect(await app.waitForText(/✓ api\s+running\s+healthy\s+\S+\s+0\s+\d+\.\d%\s+[\d.]+ [kMG]?B/, 20_000)).toContain('Memory');

    // Stopped outside openmates: the engine's event reaches the screen.
    await dockerOk(['stop', (await serviceContainer(stack.project, 'worker')).id]);
    const troubled = await app.waitForText('→ worker stopped (exit code', 20_000);
    expect(troubled).toMatch(/✗ worker\s+exited/);
    expect(troubled).toContain('5/6 services healthy');

    // The cursor started on Restart (Start had nothing to do) and stays there now that Start
    // has: entries never move under it. The question lists the cache volume.
    expect(troubled).toContain('❯ Restart');
    await app.sendKeys('Enter');
    const question = await app.waitForText('Also delete cached data?');
    expect(question).toContain(stack.cacheVolumes[0]!);
    expect(question).toContain(`Data is never touched: ${stack.dataVolumes[0]}`);
    await app.sendKeys('Down');
    await app.waitForText('❯ Yes, delete the cached data and restart');
    await app.sendKeys('Enter');

    const done = await app.waitForText(`Restarted ${stack.project} v1.0.0, healthy`, 120_000);
    expect(done).toContain(`Cache deleted  ${stack.cacheVolumes[0]}`);
    expect(await fileExistsInVolume(stack.cacheVolumes[0]!, 'warm.txt')).toBe(false);
    expect((await containersOf(stack.project)).filter((c) => c.state === 'running').length).toBe(5);

    await app.sendKeys('q');
    await app.waitForText('6/6 services healthy', 20_000);
    await app.sendKeys('q');
    expect(await app.waitForExit()).toBe(0);
  });

  it('says so when Docker goes away while watching, and picks up again when it is back', async () => {
    const proxy = engineProxy();
    await proxy.up();
    try {
      const app = await startCliInTmux(['--path', stack.installDir], { cols: 100, rows: 30, env: { DOCKER_HOST: `unix://${proxy.path}` } });
      await app.waitForText(/Installed · v1\.0\.0 · \d\/6 services healthy/, 30_000);

      await proxy.down();
      const lost = await app.waitForText('Docker is not reachable', 20_000);
      expect(lost).toContain(`unix://${proxy.path}`);
      expect(lost).toMatch(/trying again every \d+ s/);
      expect(lost).toMatch(/\? api\s+running/); // the last known services stay on screen, marked as such
      expect(lost).toContain('❯ Check again');
      expect(lost).not.toMatch(/\n\s+at /); // no stack trace

      await proxy.up();
      const back = await app.waitForText(/Installed · v1\.0\.0 · \d\/6 services healthy/, 30_000);
      expect(back).not.toContain('Docker is not reachable');
      await app.sendKeys('q');
      expect(await app.waitForExit()).toBe(0);
    } finally {
      await proxy.down();
    }
  });
});
