import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containersOf, createTestStack, networkExists, runCli, volumeExists, type TestStack } from './harness/index.js';
import { finalObject, jsonLines } from './json-lines.js';

describe('openmates server install (real engine, registry and Compose)', () => {
  let stack: TestStack;
  let first: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    stack = await createTestStack({ name: 'install' });
    first = await runCli(['--server', '--install', '--yes', '--json', '--stack', stack.stackFile, '--path', stack.installDir]);
  });
  afterAll(async () => {
    await stack?.cleanup();
  });

  it('exits 0 with a result object after live events', () => {
    expect(first.exitCode, first.stderr).toBe(0);
    const events = jsonLines(first.stdout);
    const types = new Set(events.map((event) => event.type));
    for (const type of ['step-started', 'step-finished', 'pull-progress', 'health', 'result']) expect(types).toContain(type);
    const pulled = events.filter((event) => event.type === 'pull-progress' && event.status !== 'pulling').map((event) => event.image);
    expect(new Set(pulled)).toEqual(new Set(['api', 'webapp', 'database', 'cache', 'setup'].map((name) => `${stack.imageRegistry}/openmates-${name}:v1.0.0`)));
    // Everything was pulled before Compose started anything.
    const lastPull = events.findLastIndex((event) => event.type === 'pull-progress');
    const start = events.findIndex((event) => event.type === 'step-started' && event.step === 'start');
    expect(lastPull).toBeLessThan(start);
  });

  it('leaves every container healthy, running or completed, as the engine sees it', async () => {
    const containers = await containersOf(stack.project);
    const byService = Object.fromEntries(containers.map((c) => [c.service, c]));
    expect(Object.keys(byService).sort()).toEqual(['api', 'cache', 'database', 'setup', 'webapp', 'worker']);
    for (const service of ['api', 'cache', 'database', 'webapp']) expect(byService[service]!.health, service).toBe('healthy');
    expect(byService.worker!.state).toBe('running');
    expect(byService.setup!.state).toBe('exited');
    expect(byService.setup!.exitCode).toBe(0);
    expect(await networkExists(stack.network)).toBe(true);
    expect(await volumeExists(stack.dataVolumes[0]!)).toBe(true);
  });

  it('answers on the health URL', async () => {
    const response = await fetch(`${stack.apiUrl}/v1/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'healthy' });
  });

  it('writes .env with mode 0600 holding the secrets, and shows only the invite code', async () => {
    const envPath = join(stack.installDir, '.env');
    expect((await stat(envPath)).mode & 0o777).toBe(0o600);
    const env = Object.fromEntries(
      (await readFile(envPath, 'utf8'))
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(env.DATABASE_PASSWORD).toMatch(/^[0-9a-f]{48}$/);
    expect(env.DRAGONFLY_PASSWORD).toMatch(/^[0-9a-f]{48}$/);
    expect(env.SELF_HOST_FIRST_INVITE_CODE).toMatch(/^\d{4}-\d{4}-\d{4}$/);
    expect(env.OPENMATES_IMAGE_TAG).toBe('v1.0.0');
    const result = finalObject(first.stdout);
    expect(result).toMatchObject({ type: 'result', ok: true, version: 'v1.0.0', shownSecret: { name: 'SELF_HOST_FIRST_INVITE_CODE', value: env.SELF_HOST_FIRST_INVITE_CODE } });
    expect(first.stdout).not.toContain(env.DATABASE_PASSWORD);
    expect(first.stderr).not.toContain(env.DATABASE_PASSWORD);
    const log = await readFile(result.logFile as string, 'utf8');
    expect(log).toContain('install finished');
    expect(log).not.toContain(env.DATABASE_PASSWORD);
  });

  it('status --json agrees with the engine, without --stack', async () => {
    const status = await runCli(['server', 'status', '--json', '--path', stack.installDir]);
    expect(status.exitCode, status.stderr).toBe(0);
    const result = finalObject(status.stdout);
    expect(result).toMatchObject({ installed: true, healthy: true, project: stack.project, version: 'v1.0.0' });
    const services = result.services as { service: string; state: string }[];
    expect(Object.fromEntries(services.map((s) => [s.service, s.state]))).toEqual({
      setup: 'completed',
      database: 'healthy',
      cache: 'healthy',
      api: 'healthy',
      webapp: 'healthy',
      worker: 'running',
    });
    expect(result.checks).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'API', ok: true })]));
  });

  it('status in words names the version, the services and the URLs', async () => {
    const status = await runCli(['server', 'status', '--path', stack.installDir]);
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toContain(`${stack.project} v1.0.0 · healthy`);
    expect(status.stdout).toMatch(/api\s+healthy/);
    expect(status.stdout).toContain(stack.webUrl.replace('127.0.0.1', 'localhost'));
  });

  it('changes nothing when run again: same secrets, same containers', async () => {
    const envBefore = await readFile(join(stack.installDir, '.env'), 'utf8');
    const containersBefore = (await containersOf(stack.project)).map((c) => c.id).sort();
    const again = await runCli(['server', 'install', '--yes', '--json', '--path', stack.installDir]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(finalObject(again.stdout)).toMatchObject({ ok: true, changed: false });
    expect(await readFile(join(stack.installDir, '.env'), 'utf8')).toBe(envBefore);
    expect((await containersOf(stack.project)).map((c) => c.id).sort()).toEqual(containersBefore);
  });

  it('prints a human summary with the URL and the invite code on stdout, progress on stderr', async () => {
    const again = await runCli(['-s', '-i', '-y', '--path', stack.installDir]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).toContain('Checking this server');
    expect(again.stdout).toContain('already installed and healthy; nothing changed');
    expect(again.stdout).toMatch(/First invite code: \d{4}-\d{4}-\d{4}/);
  });
});
