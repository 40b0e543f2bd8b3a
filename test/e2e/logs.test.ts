import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, cliEnv, createTestStack, docker, killAllTmuxSessions, runCli, serviceContainer, startCliInTmux, testEnv, type TestStack, chooseMenuItem } from './harness/index.js';
import { jsonLines } from './json-lines.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `openmates server logs ...` running in the background, its output collected as it comes. */
function startLogs(args: string[], env: Record<string, string> = {}) {
  const child: ResultPromise = execa(process.execPath, [CLI_BIN, 'server', 'logs', ...args], {
    env: { ...cliEnv(), ...env },
    stdin: 'ignore',
    reject: false,
    timeout: 120_000,
  });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const waitFor = async (pattern: RegExp, timeoutMs = 30_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(output.stdout)) {
      if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${pattern} in the logs output; it has:\n${output.stdout.slice(-3000)}\nstderr:\n${output.stderr}`);
      if (child.exitCode !== null) throw new Error(`logs exited (${child.exitCode}) before ${pattern} appeared:\n${output.stdout.slice(-3000)}\nstderr:\n${output.stderr}`);
      await sleep(100);
    }
  };
  return { child, output, waitFor };
}

/** A stand-in for the engine's socket that forwards to the real one until closed: an engine that goes away. */
async function engineProxy(): Promise<{ dockerHost: string; close: () => void; dir: string }> {
  const target = testEnv().dockerHost.replace(/^unix:\/\//, '');
  const dir = mkdtempSync(join(tmpdir(), 'omt-proxy-'));
  const path = join(dir, 'docker.sock');
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    dockerHost: `unix://${path}`,
    dir,
    close: () => {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}

describe('openmates server logs (real engine and Compose)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await createTestStack({ name: 'logs' });
    const installed = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    expect(installed.exitCode, installed.stderr).toBe(0);
  });
  afterAll(async () => {
    await killAllTmuxSessions();
    await stack?.cleanup();
  });
  afterEach(async () => {
    await killAllTmuxSessions();
  });

  it('-f shows lines of two services, says when one restarts, then shows its new lines; Ctrl-C exits 0', async () => {
    const logs = startLogs(['-f', '--service', 'api,worker', '--tail', '3', '--path', stack.installDir]);
    await logs.waitFor(/^worker \| worker v1\.0\.0 heartbeat \d+$/m);
    await logs.waitFor(/^api +\| .*response:200$/m);

    const worker = await serviceContainer(stack.project, 'worker');
    const restarted = await docker(['restart', '-t', '2', worker.id]);
    expect(restarted.exitCode, restarted.stderr).toBe(0);
    await logs.waitFor(/^worker \| — worker started$/m);
    await logs.waitFor(/— worker started\n(?:.*\n)*worker \| worker v1\.0\.0 heartbeat 1$/m);

    logs.child.kill('SIGINT');
    const result = await logs.child;
    expect(result.exitCode, logs.output.stderr).toBe(0);
    const lines = logs.output.stdout.trimEnd().split('\n');
    expect(lines.every((line) => /^(api|worker) +\| /.test(line)), lines.join('\n')).toBe(true);
    const stopped = lines.findIndex((line) => /^worker \| — worker stopped \(exit code \d+\)$/.test(line));
    const started = lines.indexOf('worker | — worker started');
    expect(stopped).toBeGreaterThan(-1);
    expect(started).toBeGreaterThan(stopped);
    // The worker's own goodbye comes before the notice, and is not repeated when its new run is read.
    expect(lines.slice(0, stopped)).toContain('worker | worker v1.0.0 stopping');
    const afterRestart = lines.slice(started + 1);
    expect(afterRestart).toContain('worker | worker v1.0.0 started');
    expect(afterRestart).not.toContain('worker | worker v1.0.0 stopping');
  });

  it('--service shows only the services named, in plain text and as JSON', async () => {
    const plain = await runCli(['server', 'logs', '--service', 'webapp', '--tail', '20', '--path', stack.installDir]);
    expect(plain.exitCode, plain.stderr).toBe(0);
    const lines = plain.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.startsWith('webapp | ')), plain.stdout).toBe(true);

    const json = await runCli(['server', 'logs', '--service', 'database,setup', '--json', '--path', stack.installDir]);
    expect(json.exitCode, json.stderr).toBe(0);
    const objects = jsonLines(json.stdout);
    const logLines = objects.filter((object) => object.type === 'log');
    expect(new Set(logLines.map((object) => object.service))).toEqual(new Set(['database', 'setup']));
    expect(logLines.map((object) => object.line)).toContain('setup v1.0.0 complete');
    expect(logLines.every((object) => typeof object.time === 'string' && object.stream)).toBe(true);
    expect(objects.at(-1)).toMatchObject({ type: 'result', project: stack.project, shown: ['database', 'setup'], lines: logLines.length });
  });

  it('`| head -n 5` gets five lines and openmates exits 0 promptly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omt-head-'));
    try {
      const status = join(dir, 'status');
      const script = `{ "$NODE" "$CLI" server logs -f --path "$INSTALL_DIR"; echo $? > "${status}"; } | head -n 5`;
      const started = Date.now();
      const result = await execa('sh', ['-c', script], {
        env: { ...cliEnv(), NODE: process.execPath, CLI: CLI_BIN, INSTALL_DIR: stack.installDir },
        reject: false,
        timeout: 30_000,
      });
      expect(result.timedOut, 'openmates kept running after head had gone').toBe(false);
      expect(String(result.stdout).split('\n')).toHaveLength(5);
      expect(readFileSync(status, 'utf8').trim()).toBe('0');
      expect(String(result.stderr)).toBe('');
      // Prompt: the health checks log every second, so the next write finds the pipe closed.
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown service, listing the real ones, with exit code 2', async () => {
    const result = await runCli(['server', 'logs', '--service', 'api,frontend', '--path', stack.installDir]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`There is no service "frontend" in ${stack.project}; its services are api, cache, database, setup, webapp, worker.`);
    expect(result.stdout).toBe('');
  });

  it('says clearly that the engine went away while following, without a stack trace, and exits 5', async () => {
    const proxy = await engineProxy();
    try {
      const logs = startLogs(['-f', '--path', stack.installDir], { DOCKER_HOST: proxy.dockerHost });
      await logs.waitFor(/^api +\| /m);
      proxy.close();
      const result = await logs.child;
      expect(result.exitCode).toBe(5);
      expect(logs.output.stderr).toMatch(new RegExp(`The Docker engine at ${proxy.dockerHost.replace(/[/.]/g, '\\$&')} stopped answering`));
      expect(logs.output.stderr).toContain('Check that Docker is running');
      expect(logs.output.stderr).not.toMatch(/^\s+at /m);
      expect(logs.output.stderr).not.toContain('Unexpected error');
    } finally {
      proxy.close();
      rmSync(proxy.dir, { recursive: true, force: true });
    }
  });

  it('opens Logs from the home menu in a real terminal and shows live lines', async () => {
    const app = await startCliInTmux(['--path', stack.installDir], { cols: 100, rows: 30 });
    await app.waitForText('More…');
    await chooseMenuItem(app, 'Logs');
    await app.sendKeys('Enter');
    const first = await app.waitForText(/worker +\| worker v1\.0\.0 heartbeat (\d+)/, 20_000);
    expect(first).toContain('● live');
    expect(first).toContain('6 services');
    const heartbeat = (screen: string) => Math.max(...[...screen.matchAll(/heartbeat (\d+)/g)].map((match) => Number(match[1])));
    const seen = heartbeat(first);
    // The worker writes a heartbeat every 2 s: a newer one appears without any key pressed.
    await app.waitForText(new RegExp(`worker +\\| worker v1\\.0\\.0 heartbeat ${seen + 1}\\b`), 15_000);
    await app.sendKeys('Escape');
    await app.waitForText('More…');
    await app.sendKeys('q');
    expect(await app.waitForExit()).toBe(0);
  });
});
