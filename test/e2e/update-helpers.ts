/**
 * What the update e2e tests share: an installed test stack with a marker in its data volume, the
 * engine's view of which version each service runs, a local npm registry (so the CLI's own
 * version check never leaves the machine), and a registry that accepts connections but never answers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect } from 'vitest';
import { execa } from 'execa';
import { CLI_BIN, cliEnv, containersOf, createTestStack, readFileInVolume, runCli, writeFileInVolume, type TestStack } from './harness/index.js';
import { finalObject } from './json-lines.js';

export const MARKER_PATH = 'marker/written-before-update.txt';

export async function installedStack(name: string, tag: string): Promise<{ stack: TestStack; marker: string }> {
  const stack = await createTestStack({ name, tag });
  const install = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
  expect(install.exitCode, install.stderr).toBe(0);
  const marker = `written on ${tag} at ${new Date().toISOString()}\n`;
  await writeFileInVolume(stack.dataVolumes[0]!, MARKER_PATH, marker);
  return { stack, marker };
}

export async function markerOf(stack: TestStack): Promise<string> {
  return `${await readFileInVolume(stack.dataVolumes[0]!, MARKER_PATH)}\n`;
}

/** The tag of every service's container image, as the engine sees them, and their states. */
export async function runningVersions(stack: TestStack): Promise<Record<string, { tag: string; state: string; health?: string }>> {
  const containers = await containersOf(stack.project);
  return Object.fromEntries(containers.map((c) => [c.service, { tag: c.image.split(':').at(-1)!, state: c.state, ...(c.health ? { health: c.health } : {}) }]));
}

/** Asserts: every service on `tag`, long-running ones healthy or running, the one-shot job done, the API answering. */
export async function expectHealthyOn(stack: TestStack, tag: string): Promise<void> {
  const versions = await runningVersions(stack);
  expect(Object.keys(versions).sort()).toEqual(['api', 'cache', 'database', 'setup', 'webapp', 'worker']);
  for (const [service, info] of Object.entries(versions)) expect(info.tag, `${service} runs ${info.tag}`).toBe(tag);
  for (const service of ['api', 'cache', 'database', 'webapp']) expect(versions[service]!.health, service).toBe('healthy');
  expect(versions.worker!.state).toBe('running');
  expect(versions.setup!.state).toBe('exited');
  expect(await (await fetch(`${stack.apiUrl}/v1/health`)).json()).toEqual({ status: 'healthy', version: tag });
  const status = finalObject((await runCli(['server', 'status', '--json', '--path', stack.installDir])).stdout);
  expect(status).toMatchObject({ installed: true, healthy: true, version: tag });
}

export function envValue(stack: TestStack, name: string): string | undefined {
  const line = readFileSync(join(stack.installDir, '.env'), 'utf8')
    .split('\n')
    .find((candidate) => candidate.startsWith(`${name}=`));
  return line?.slice(name.length + 1);
}

/** Points the install (.env and the stack copy) at another registry, as a user with a mirror would. */
export function pointRegistryAt(stack: TestStack, registry: string): void {
  const envPath = join(stack.installDir, '.env');
  writeFileSync(envPath, readFileSync(envPath, 'utf8').replace(/^OPENMATES_IMAGE_REGISTRY=.*$/m, `OPENMATES_IMAGE_REGISTRY=${registry}`), { mode: 0o600 });
  const stackPath = join(stack.installDir, 'openmates-stack.yml');
  writeFileSync(stackPath, readFileSync(stackPath, 'utf8').replace(/^registry: .*$/m, `registry: ${registry}`));
}

export interface LocalServer {
  url: string;
  host: string;
  close(): Promise<void>;
}

/** An npm registry on 127.0.0.1 that knows one package. */
export async function startNpmRegistry(packageName: string, latest: string): Promise<LocalServer> {
  const server: Server = createHttpServer((request, response) => {
    const known = decodeURIComponent((request.url ?? '/').slice(1)) === packageName;
    response.writeHead(known ? 200 : 404, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(known ? { name: packageName, 'dist-tags': { latest } } : { error: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** A "registry" that accepts connections and never says a word: the slowest kind of offline. */
export async function startSilentServer(): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts `update --yes --json` and SIGKILLs it the moment it starts the step `killAt`; returns the steps it had started. */
export async function updateKilledAt(npm: LocalServer, installDir: string, args: string[], killAt: (step: string) => boolean): Promise<string[]> {
  const child = execa(process.execPath, [CLI_BIN, 'server', 'update', '--yes', '--json', '--path', installDir, ...args], {
    env: { ...cliEnv(), OPENMATES_NPM_REGISTRY: npm.url },
    reject: false,
    stdin: 'ignore',
    timeout: 180_000,
  });
  const started: string[] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const event = JSON.parse(line) as { type: string; step?: string };
      if (event.type !== 'step-started' || !event.step) continue;
      started.push(event.step);
      if (killAt(event.step)) child.kill('SIGKILL');
    }
  });
  const result = await child;
  expect(result.signal, `the update was meant to be killed; it ended with ${result.exitCode}: ${String(result.stderr).slice(-1500)}`).toBe('SIGKILL');
  return started;
}

