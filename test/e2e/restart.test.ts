import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  containersOf,
  docker,
  dockerOk,
  fileExistsInVolume,
  readFileInVolume,
  runCli,
  serviceContainer,
  volumeExists,
  writeFileInVolume,
  createTestStack,
  type TestStack,
} from './harness/index.js';
import { finalObject, jsonLines } from './json-lines.js';

/** Every service as a user would check it: healthy where it has a healthcheck, the worker running, setup done. */
async function expectAllHealthy(stack: TestStack) {
  const byService = Object.fromEntries((await containersOf(stack.project)).map((c) => [c.service, c]));
  expect(Object.keys(byService).sort()).toEqual(['api', 'cache', 'database', 'setup', 'webapp', 'worker']);
  for (const service of ['api', 'cache', 'database', 'webapp']) expect(byService[service]!.health, service).toBe('healthy');
  expect(byService.worker!.state).toBe('running');
  expect(byService.setup).toMatchObject({ state: 'exited', exitCode: 0 });
  const response = await fetch(`${stack.apiUrl}/v1/health`);
  expect(response.status).toBe(200);
}

async function startedAt(containerId: string): Promise<string> {
  return (await dockerOk(['inspect', '--format', '{{.State.StartedAt}}', containerId])).trim();
}

describe('openmates server start / stop / restart (real engine and Compose)', () => {
  let stack: TestStack;
  let decoy: string;
  let dataVolume: string;
  let cacheVolume: string;

  beforeAll(async () => {
    stack = await createTestStack({ name: 'restart' });
    [dataVolume] = stack.dataVolumes as [string];
    [cacheVolume] = stack.cacheVolumes as [string];
    // Another project's volume whose name starts like the cache volume's: restart must leave it alone.
    decoy = `${cacheVolume}-keep`;
    const installed = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    expect(installed.exitCode, installed.stderr).toBe(0);
  });
  afterAll(async () => {
    if (decoy && (await volumeExists(decoy))) await dockerOk(['volume', 'rm', decoy]);
    await stack?.cleanup();
  });

  it('restart brings everything back healthy with fresh starts, and keeps the cache without --clear-cache', async () => {
    await writeFileInVolume(cacheVolume, 'warm.txt', 'still cached');
    const api = await serviceContainer(stack.project, 'api');
    const before = await startedAt(api.id);

    const result = await runCli(['server', 'restart', '--json', '--path', stack.installDir]);
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = jsonLines(result.stdout);
    expect(lines[0]).toMatchObject({ type: 'plan', action: 'restart', clearCache: false, project: stack.project });
    expect(lines.filter((line) => line.type === 'step-started').map((line) => line.step)).toEqual(['stop', 'start', 'health']);
    expect(finalObject(result.stdout)).toMatchObject({ type: 'result', ok: true, action: 'restart', clearedVolumes: [] });

    await expectAllHealthy(stack);
    expect(await startedAt((await serviceContainer(stack.project, 'api')).id)).not.toBe(before);
    expect(await readFileInVolume(cacheVolume, 'warm.txt')).toBe('still cached');
  });

  it('--clear-cache empties the cache volume, and leaves the data volume and a look-alike volume alone', async () => {
    await writeFileInVolume(cacheVolume, 'warm.txt', 'cached');
    await writeFileInVolume(dataVolume, 'marker.txt', 'user data');
    await writeFileInVolume(decoy, 'keep.txt', 'not yours');

    const result = await runCli(['server', 'restart', '--clear-cache', '--json', '--path', stack.installDir]);
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = jsonLines(result.stdout);
    const plan = lines[0]!;
    expect(plan).toMatchObject({ type: 'plan', clearCache: true, dataVolumes: [dataVolume] });
    expect(plan.cacheVolumes).toEqual([{ name: cacheVolume, sizeBytes: expect.any(Number) }]);
    // The volume was named before it went.
    const listed = lines.findIndex((line) => line.type === 'info' && String(line.message).startsWith(`Deleting the cache volume ${cacheVolume}`));
    const cleared = lines.findIndex((line) => line.type === 'step-finished' && line.step === 'clear-cache');
    expect(listed).toBeGreaterThan(-1);
    expect(listed).toBeLessThan(cleared);
    expect(finalObject(result.stdout)).toMatchObject({ ok: true, clearedVolumes: [cacheVolume] });

    await expectAllHealthy(stack);
    expect(await volumeExists(cacheVolume)).toBe(true); // Compose made it again, empty
    expect(await fileExistsInVolume(cacheVolume, 'warm.txt')).toBe(false);
    expect(await readFileInVolume(dataVolume, 'marker.txt')).toBe('user data');
    expect(await readFileInVolume(decoy, 'keep.txt')).toBe('not yours');
  });

  it('restart repairs a stack with one service stopped by hand', async () => {
    const api = await serviceContainer(stack.project, 'api');
    await dockerOk(['stop', api.id]);
    expect((await serviceContainer(stack.project, 'api')).state).toBe('exited');

    const result = await runCli(['server', 'restart', '--path', stack.installDir]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('Services now: setup completed, database healthy, cache healthy, api exited');
    expect(result.stdout).toContain('restarted and healthy');
    await expectAllHealthy(stack);
  });

  it('stop stops every container and keeps them and the data; start brings them back', async () => {
    const stopped = await runCli(['server', 'stop', '--path', stack.installDir]);
    expect(stopped.exitCode, stopped.stderr).toBe(0);
    expect(stopped.stdout).toContain('stopped in');
    expect(stopped.stdout).toContain(`Start it again with: openmates server start --path ${stack.installDir}`);
    const containers = await containersOf(stack.project);
    expect(containers).toHaveLength(6);
    expect(containers.filter((c) => c.state === 'running')).toEqual([]);
    await expect(fetch(`${stack.apiUrl}/v1/health`)).rejects.toThrow();
    expect(await readFileInVolume(dataVolume, 'marker.txt')).toBe('user data');

    const started = await runCli(['server', 'start', '--json', '--path', stack.installDir]);
    expect(started.exitCode, started.stderr).toBe(0);
    expect(jsonLines(started.stdout)[0]).toMatchObject({ type: 'plan', action: 'start', expectedDowntime: { maxSeconds: 0 } });
    await expectAllHealthy(stack);
  });

  it('restart brings up a fully stopped stack', async () => {
    expect((await runCli(['server', 'stop', '--path', stack.installDir])).exitCode).toBe(0);
    expect((await containersOf(stack.project)).some((c) => c.state === 'running')).toBe(false);
    const result = await runCli(['server', 'restart', '--json', '--path', stack.installDir]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(jsonLines(result.stdout)[0]).toMatchObject({ expectedDowntime: { summary: 'None: nothing is running now.' } });
    await expectAllHealthy(stack);
  });

  it('says what is wrong without an install, and when --clear-cache goes with the wrong command', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'omt-restart-empty-'));
    try {
      const result = await runCli(['server', 'restart', '--json', '--path', empty]);
      expect(result.exitCode).toBe(10);
      expect(result.stderr).toContain(`Nothing is installed in ${empty}.`);
      expect(result.stderr).toContain(`openmates server install --path ${empty}`);
      expect(finalObject(result.stdout)).toMatchObject({ type: 'error', kind: 'not-installed', exitCode: 10 });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
    const wrong = await runCli(['server', 'start', '--clear-cache', '--path', stack.installDir]);
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toContain('--clear-cache does not apply to "openmates server start"');
    expect((await docker(['volume', 'inspect', cacheVolume])).exitCode).toBe(0);
  });

  it('a corrupt settings file stops status and restart --yes with exit 11 naming it, as config get does; nothing restarts', async () => {
    const config = await mkdtemp(join(tmpdir(), 'omt-restart-config-'));
    const file = join(config, 'openmates', 'config.json');
    await mkdir(join(config, 'openmates'), { recursive: true });
    await writeFile(file, '{bad');
    const env = { XDG_CONFIG_HOME: config };
    const api = (await containersOf(stack.project)).find((container) => container.service === 'api')!;
    const before = await startedAt(api.id);
    try {
      for (const args of [['config', 'get', 'safety-mode'], ['server', 'status', '--path', stack.installDir], ['server', 'restart', '--yes', '--path', stack.installDir]]) {
        const result = await runCli(args, { env });
        expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(11);
        expect(result.stderr).toContain(file);
      }
      expect(await startedAt(api.id)).toBe(before);
    } finally {
      await rm(config, { recursive: true, force: true });
    }
  });
});
