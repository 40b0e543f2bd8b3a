/**
 * Upgrading Debian 12 to 13 replaces Compose v1 with v2 under a running install: a stack that v1
 * brought up (containers `<project>_<service>_1`) must restart, update, roll back and uninstall
 * under v2 with one container per service and no port left held, also when an earlier Compose
 * run left a second container of a service behind (an interrupted recreate's renamed copy, or a
 * v1 container beside the v2 one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containersOf, createTestStack, dockerOk, portIsFree, readFileInVolume, runCli, writeFileInVolume, type TestStack } from './harness/index.js';
import { finalObject, jsonLines } from './json-lines.js';
import { startNpmRegistry, type LocalServer } from './update-helpers.js';

const SERVICES = ['api', 'cache', 'database', 'setup', 'webapp', 'worker'];
const MARKER = 'marker/before-debian-13.txt';

let npm: LocalServer;
let stack: TestStack;
beforeAll(async () => {
  npm = await startNpmRegistry('openmates-server-cli', '0.1.0');
  stack = await createTestStack({ name: 'v1-to-v2' });
});
afterAll(async () => {
  await stack?.cleanup();
  await npm?.close();
});

const on = (compose: 'v1' | 'v2', args: string[]) => runCli(args, { env: { OPENMATES_NPM_REGISTRY: npm.url, OPENMATES_COMPOSE: compose } });

/** One container per service, named the way `style` names them, on `tag`, long-running ones up, the API answering. */
async function expectOneEachOn(tag: string, style: 'v1' | 'v2'): Promise<void> {
  const containers = await containersOf(stack.project);
  expect(containers.map((c) => c.service)).toEqual(SERVICES);
  for (const c of containers) {
    expect(c.name).toBe(style === 'v1' ? `${stack.project}_${c.service}_1` : `${stack.project}-${c.service}-1`);
    expect(c.image.split(':').at(-1), c.service).toBe(tag);
    expect(c.state, c.service).toBe(c.service === 'setup' ? 'exited' : 'running');
  }
  expect(await (await fetch(`${stack.apiUrl}/v1/health`)).json()).toEqual({ status: 'healthy', version: tag });
}

/**
 * What a Compose run that stopped half-way leaves: a second container of the service with the
 * same labels (project, service, container-number 1, oneoff False) and the same published port,
 * never started.
 */
async function leaveDuplicateOf(service: string, name: string): Promise<void> {
  const [original] = (await containersOf(stack.project)).filter((c) => c.service === service);
  const inspected = JSON.parse(await dockerOk(['inspect', original!.id])) as [{ HostConfig: { PortBindings: Record<string, { HostIp: string; HostPort: string }[]> | null } }];
  const ports = Object.entries(inspected[0].HostConfig.PortBindings ?? {}).flatMap(([containerPort, bindings]) =>
    bindings.flatMap((binding) => ['-p', `${binding.HostIp ? `${binding.HostIp}:` : ''}${binding.HostPort}:${containerPort}`]),
  );
  const labels = Object.entries(original!.labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
  await dockerOk(['create', '--name', name, ...labels, ...ports, original!.image]);
}

describe('a stack brought up by Compose v1, then run by Compose v2 (Debian 12 → 13)', () => {
  it('installs with Compose v1: <project>_<service>_1 containers', async () => {
    const install = await on('v1', ['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    expect(install.exitCode, install.stderr).toBe(0);
    await expectOneEachOn('v1.0.0', 'v1');
    await writeFileInVolume(stack.dataVolumes[0]!, MARKER, 'kept across Compose versions\n');
  });

  it("restart under v2 with an interrupted recreate's renamed api left behind: one container each, v2's names, healthy", async () => {
    const renamed = `0123456789ab_${stack.project}_api_1`;
    await leaveDuplicateOf('api', renamed);
    const restart = await on('v2', ['server', 'restart', '--json', '--path', stack.installDir]);
    expect(restart.exitCode, restart.stderr).toBe(0);
    expect(jsonLines(restart.stdout)).toContainEqual(expect.objectContaining({ type: 'warning', message: expect.stringContaining(`Removed ${renamed} (created), a second container of api`) }));
    await expectOneEachOn('v1.0.0', 'v2');
  });

  it('update and rollback under v2 with a v1 api container beside the v2 one: healthy, one container each, data kept', async () => {
    await leaveDuplicateOf('api', `${stack.project}_api_1`);
    const update = await on('v2', ['server', 'update', '--yes', '--json', '--to', 'v1.1.0', '--path', stack.installDir]);
    expect(update.exitCode, update.stderr).toBe(0);
    await expectOneEachOn('v1.1.0', 'v2');

    await leaveDuplicateOf('worker', `${stack.project}_worker_1`);
    const broken = await on('v2', ['server', 'update', '--yes', '--json', '--to', 'v1.2.0', '--timeout', '30', '--path', stack.installDir]);
    expect(broken.exitCode, broken.stderr).toBe(12);
    expect(finalObject(broken.stdout)).toMatchObject({ type: 'error', kind: 'rolled-back' });
    await expectOneEachOn('v1.1.0', 'v2');
    expect(await readFileInVolume(stack.dataVolumes[0]!, MARKER)).toBe('kept across Compose versions');
    const status = finalObject((await on('v2', ['server', 'status', '--json', '--path', stack.installDir])).stdout);
    expect(status).toMatchObject({ installed: true, healthy: true, version: 'v1.1.0' });
  });

  it('uninstall under v2, with yet another leftover: no container of the project, the ports free', async () => {
    await leaveDuplicateOf('webapp', `0123456789ab_${stack.project}_webapp_1`);
    const uninstall = await on('v2', ['server', 'uninstall', '--yes', '--path', stack.installDir]);
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(await containersOf(stack.project)).toEqual([]);
    expect(await portIsFree(stack.apiPort)).toBe(true);
    expect(await portIsFree(stack.webPort)).toBe(true);
  });
});
