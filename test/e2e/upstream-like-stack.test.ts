/**
 * The stack that uses every Compose feature upstream's compose file uses
 * (test/fixtures/upstream-like-stack/), through every operation, on the Compose under test
 * (OPENMATES_TEST_COMPOSE, default v2). Compose v1 cannot read the top-level `name:`: under v1
 * install must stop at preflight saying so, and the rest runs on the file without that line.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  containersOf,
  createTestStack,
  docker,
  dockerOk,
  fileExistsInVolume,
  portIsFree,
  networkExists,
  readFileInVolume,
  runCli,
  testCompose,
  testEnv,
  UPSTREAM_LIKE_STACK_DIR,
  writeFileInVolume,
  type TestStack,
} from './harness/index.js';
import { finalObject, jsonLines } from './json-lines.js';
import { startNpmRegistry, type LocalServer } from './update-helpers.js';

const SERVICES = ['api', 'cache', 'database', 'setup', 'webapp'];
const MARKER = 'marker/upstream-like.txt';
const compose = testCompose();
const withoutTopLevelName = (source: string) => source.replace(/^name: .*\n/m, '');

let npm: LocalServer;
beforeAll(async () => {
  npm = await startNpmRegistry('openmates-server-cli', '0.1.0');
});
afterAll(async () => {
  await npm?.close();
});
const cli = (args: string[]) => runCli(args, { env: { OPENMATES_NPM_REGISTRY: npm.url } });

/** Every service on `tag` as the engine reports it: under its container_name, healthy (setup exited 0), one container each. */
async function expectHealthyOn(stack: TestStack, tag: string): Promise<void> {
  const containers = await containersOf(stack.project);
  expect(containers.map((c) => c.service)).toEqual(SERVICES);
  for (const container of containers) {
    expect(container.name, container.service).toBe(`${stack.id}-${container.service}`);
    expect(container.image.split(':').at(-1), container.service).toBe(tag);
    if (container.service === 'setup') expect(container).toMatchObject({ state: 'exited', exitCode: 0 });
    else expect(container.health, container.service).toBe('healthy');
  }
  expect(await (await fetch(`${stack.apiUrl}/v1/health`)).json()).toEqual({ status: 'healthy', version: tag });
  const status = finalObject((await cli(['server', 'status', '--json', '--path', stack.installDir])).stdout);
  expect(status).toMatchObject({ installed: true, healthy: true, version: tag });
  const reported = Object.fromEntries((status.services as { service: string; container: string }[]).map((s) => [s.service, s.container]));
  expect(reported).toEqual(Object.fromEntries(SERVICES.map((service) => [service, `${stack.id}-${service}`])));
}

if (compose === 'v1') {
  describe('the upstream-like stack on Compose v1: its top-level name: is stopped at preflight', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await createTestStack({ name: 'upstream-v1name', fixtureDir: UPSTREAM_LIKE_STACK_DIR });
    });
    afterAll(async () => {
      await stack?.cleanup();
    });

    it('exit 4, "this stack needs Compose v2" with how to get it, nothing created', async () => {
      const result = await cli(['server', 'install', '--yes', '--json', '--stack', stack.stackFile, '--path', stack.installDir]);
      expect(result.exitCode, result.stderr).toBe(4);
      expect(result.stderr).toContain('this stack needs Compose v2: docker-compose 1.');
      expect(result.stderr).toContain('cannot read its top-level `name:`');
      expect(result.stderr).toContain('docker-compose-plugin');
      expect(result.stderr).not.toMatch(/wrong Compose file version|Traceback/);
      expect(finalObject(result.stdout)).toMatchObject({ type: 'error', kind: 'preflight', exitCode: 4 });
      expect(await containersOf(stack.project)).toEqual([]);
      expect(existsSync(join(stack.installDir, '.env'))).toBe(false);
      expect(await networkExists(stack.network)).toBe(false);
    });
  });
}

describe(`the upstream-like stack through every operation (Compose ${compose}${compose === 'v1' ? ', without the top-level name:' : ''})`, () => {
  let stack: TestStack;
  let dataVolume: string;
  beforeAll(async () => {
    stack = await createTestStack({ name: `upstream-${compose}`, fixtureDir: UPSTREAM_LIKE_STACK_DIR, ...(compose === 'v1' ? { transformCompose: withoutTopLevelName } : {}) });
    dataVolume = stack.dataVolumes[0]!;
  });
  afterAll(async () => {
    await stack?.cleanup();
  });

  it('install: healthy, the compose file in backend/core/ reading ../../.env, the test engine socket and host-gateway inside', async () => {
    const result = await cli(['server', 'install', '--yes', '--json', '--stack', stack.stackFile, '--path', stack.installDir]);
    expect(result.exitCode, result.stderr).toBe(0);
    const composeCheck = jsonLines(result.stdout).find((event) => event.type === 'check' && event.name === 'Compose file');
    expect(composeCheck).toMatchObject({ ok: true, detail: expect.stringMatching(compose === 'v2' ? /^accepted by docker compose 2\./ : /^accepted by docker-compose 1\./) });
    expect(existsSync(join(stack.installDir, 'backend', 'core', 'docker-compose.yml'))).toBe(true);
    await expectHealthyOn(stack, 'v1.0.0');

    const api = `${stack.id}-api`;
    // env_file: ../../.env gave the api the install's secrets (compared here, never printed).
    const envPassword = /^DATABASE_PASSWORD=(.*)$/m.exec(await readFile(join(stack.installDir, '.env'), 'utf8'))![1];
    expect((await dockerOk(['exec', api, 'sh', '-c', 'echo "$DATABASE_PASSWORD"'])).trim() === envPassword).toBe(true);
    expect((await docker(['exec', api, 'test', '-S', '/var/run/docker.sock'])).exitCode).toBe(0);
    const mounts = JSON.parse(await dockerOk(['inspect', '--format', '{{json .Mounts}}', api])) as { Source: string; Destination: string }[];
    expect(mounts.find((m) => m.Destination === '/var/run/docker.sock')?.Source).toBe(testEnv().dockerHost.replace('unix://', ''));
    expect(await dockerOk(['exec', api, 'cat', '/etc/hosts'])).toMatch(/\shost\.docker\.internal(\s|$)/m);
    await writeFileInVolume(dataVolume, MARKER, 'the first account\n');
  });

  it('restart: the same containers by their container_name, healthy, no duplicates', async () => {
    const result = await cli(['server', 'restart', '--json', '--path', stack.installDir]);
    expect(result.exitCode, result.stderr).toBe(0);
    await expectHealthyOn(stack, 'v1.0.0');
  });

  it('update to v1.1.0, then to v1.2.0 (never healthy) rolled back: v1.1.0 healthy with the data', async () => {
    const update = await cli(['server', 'update', '--yes', '--json', '--to', 'v1.1.0', '--path', stack.installDir]);
    expect(update.exitCode, update.stderr).toBe(0);
    await expectHealthyOn(stack, 'v1.1.0');
    expect(await readFileInVolume(dataVolume, MARKER)).toBe('the first account');

    const broken = await cli(['server', 'update', '--yes', '--json', '--to', 'v1.2.0', '--timeout', '30', '--path', stack.installDir]);
    expect(broken.exitCode, broken.stderr).toBe(12);
    expect(finalObject(broken.stdout)).toMatchObject({ type: 'error', kind: 'rolled-back' });
    await expectHealthyOn(stack, 'v1.1.0');
    expect(await readFileInVolume(dataVolume, MARKER)).toBe('the first account');
  });

  it('backup: the named data volume and the compose file from backend/core/', async () => {
    const result = await cli(['server', 'backup', '--json', '--path', stack.installDir]);
    expect(result.exitCode, result.stderr).toBe(0);
    const backup = finalObject(result.stdout);
    expect(backup).toMatchObject({ type: 'result', ok: true, volumes: [dataVolume] });
    const { stdout: listing } = await promisify(execFile)('tar', ['tf', backup.file as string]);
    expect(listing.split('\n').filter(Boolean).sort()).toEqual(['config/.env', 'config/backend/core/docker-compose.yml', 'config/openmates-stack.yml', 'manifest.json', `volumes/${dataVolume}.tar`]);
    await expectHealthyOn(stack, 'v1.1.0');
  });

  it('reset --start: fresh volumes, healthy again', async () => {
    const phrase = `reset ${stack.project} on ${hostname()}`;
    const result = await cli(['server', 'reset', '--start', '--path', stack.installDir, '--confirm', phrase]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await fileExistsInVolume(dataVolume, MARKER)).toBe(false);
    await expectHealthyOn(stack, 'v1.1.0');
  });

  it('uninstall: no container left, the network gone, the ports free', async () => {
    const result = await cli(['server', 'uninstall', '--yes', '--path', stack.installDir]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await containersOf(stack.project)).toEqual([]);
    expect((await docker(['ps', '-aq', '--filter', `name=^${stack.id}-`])).stdout).toBe('');
    expect(await networkExists(stack.network)).toBe(false);
    expect(await portIsFree(stack.apiPort)).toBe(true);
    expect(await portIsFree(stack.webPort)).toBe(true);
  });
});
