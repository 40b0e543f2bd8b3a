import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOperations } from '../../../src/core/create-operations.js';
import type { OperationEvent } from '../../../src/core/events.js';
import { OpenmatesError } from '../../../src/core/errors.js';
import { FakeCompose, FakeEngine, container } from '../fakes/fake-docker.js';

const compose = `services:
  setup:
    image: reg/setup:v1
  db:
    image: reg/db:v1
    depends_on:
      setup: { condition: service_completed_successfully }
  api:
    image: reg/api:v1
`;

const stackFile = (volumes = '{ data: [demo-db-data], cache: [demo-cache, demo-tmp] }') => `name: demo
compose: ./compose.yml
registry: reg
registryVariable: REG
tag: v1.0.0
tagVariable: TAG
versionImage: api
networks: [demo-net]
volumes: ${volumes}
healthTimeout: 2
`;

describe('start / stop / restart (core, fake engine)', () => {
  let dir: string;
  let engine: FakeEngine;
  let composeCli: FakeCompose;
  let events: OperationEvent[];
  const healthy = () => [
    container('demo', 'setup', { state: 'exited', exitCode: 0, restartPolicy: 'no' }),
    container('demo', 'db', { health: 'healthy' }),
    container('demo', 'api'),
  ];
  const operations = () => createOperations({ engine, compose: async () => composeCli });
  const sink = (event: OperationEvent) => events.push(event);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'om-life-'));
    await writeFile(join(dir, 'openmates-stack.yml'), stackFile());
    await writeFile(join(dir, 'docker-compose.yml'), compose);
    await writeFile(join(dir, '.env'), 'TAG=v1.0.0\n', { mode: 0o600 });
    engine = new FakeEngine();
    engine.networks.add('demo-net');
    engine.containers = healthy();
    engine.volumes = new Set(['demo-db-data', 'demo-cache', 'demo-cache-keep', 'other-demo-cache']);
    engine.volumeBytes.set('demo-cache', 12_300_000);
    composeCli = new FakeCompose(engine, healthy);
    events = [];
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('needs an install, and says how to make one', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'om-life-empty-'));
    const error = await operations().planLifecycle({ installDir: empty, action: 'restart' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenmatesError);
    expect(error).toMatchObject({ kind: 'not-installed', message: `Nothing is installed in ${empty}.`, hint: expect.stringContaining(`openmates server install --path ${empty}`) });
    await rm(empty, { recursive: true });
  });

  it('plans a restart: services, downtime, and exactly the stack\'s cache volumes that exist, with sizes', async () => {
    const plan = await operations().planLifecycle({ installDir: dir, action: 'restart', clearCache: true });
    expect(plan.services.map((s) => [s.service, s.state])).toEqual([
      ['setup', 'completed'],
      ['db', 'healthy'],
      ['api', 'running'],
    ]);
    expect(plan.cacheVolumes).toEqual([{ name: 'demo-cache', sizeBytes: 12_300_000 }]);
    expect(plan.dataVolumes).toEqual(['demo-db-data']);
    expect(plan.expectedDowntime.maxSeconds).toBe(12);
    expect(plan.steps.map((step) => step.id)).toEqual(['stop', 'clear-cache', 'start', 'health']);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan); // plain data
  });

  it("reads the restart's stop time from the compose file's stop_grace_period (upstream's api has 15 s)", async () => {
    await writeFile(join(dir, 'docker-compose.yml'), compose.replace('    image: reg/api:v1\n', '    image: reg/api:v1\n    stop_grace_period: 15s\n'));
    const plan = await operations().planLifecycle({ installDir: dir, action: 'restart' });
    expect(plan.expectedDowntime).toEqual({ maxSeconds: 17, summary: 'Unavailable from the stop until healthy again: at most about 17 s (up to 15 s to stop, up to 2 s to become healthy).' });
  });

  it('never lists a volume the stack names as data too', async () => {
    await writeFile(join(dir, 'openmates-stack.yml'), stackFile('{ data: [demo-db-data, demo-cache], cache: [demo-cache] }'));
    const plan = await operations().planLifecycle({ installDir: dir, action: 'restart', clearCache: true });
    expect(plan.cacheVolumes).toEqual([]);
    await operations().runLifecycle(plan, sink);
    expect(engine.volumes.has('demo-cache')).toBe(true);
    expect(engine.removedVolumes).toEqual([]);
  });

  it('refuses --clear-cache for start and stop', async () => {
    await expect(operations().planLifecycle({ installDir: dir, action: 'stop', clearCache: true })).rejects.toMatchObject({ kind: 'usage' });
  });

  it('restarts: Compose stop, then up, then the health wait, with the steps in order', async () => {
    const plan = await operations().planLifecycle({ installDir: dir, action: 'restart' });
    const result = await operations().runLifecycle(plan, sink);
    expect(composeCli.stopCount).toBe(1);
    expect(composeCli.ups).toBe(1);
    expect(result).toMatchObject({ action: 'restart', project: 'demo', version: 'v1.0.0', clearedVolumes: [] });
    expect(result.downtimeSeconds).toBeGreaterThanOrEqual(0);
    expect(result.services.every((s) => ['healthy', 'running', 'completed'].includes(s.state))).toBe(true);
    const steps = events.filter((e) => e.type === 'step-started').map((e) => (e as { step: string }).step);
    expect(steps).toEqual(['stop', 'start', 'health']);
    expect(engine.removedVolumes).toEqual([]);
    const log = await readFile(result.logFile, 'utf8');
    expect(log).toContain('restart finished');
  });

  it('clears the cache: containers removed, exactly the cache volumes deleted after being listed, data and look-alikes kept', async () => {
    const plan = await operations().planLifecycle({ installDir: dir, action: 'restart', clearCache: true });
    const result = await operations().runLifecycle(plan, sink);
    expect(engine.removedVolumes).toEqual(['demo-cache']);
    expect([...engine.volumes].sort()).toEqual(['demo-cache-keep', 'demo-db-data', 'other-demo-cache']);
    expect(result.clearedVolumes).toEqual(['demo-cache']);
    const listedAt = events.findIndex((e) => e.type === 'info' && e.message === 'Deleting the cache volume demo-cache (12.3 MB)');
    const finishedAt = events.findIndex((e) => e.type === 'step-finished' && e.step === 'clear-cache');
    expect(listedAt).toBeGreaterThan(-1);
    expect(listedAt).toBeLessThan(finishedAt);
  });

  it('restarts a stack with a crashed container and one never started', async () => {
    engine.containers = [
      container('demo', 'setup', { state: 'exited', exitCode: 0, restartPolicy: 'no' }),
      container('demo', 'db', { state: 'exited', exitCode: 1, restartPolicy: 'no' }),
    ];
    const plan = await operations().planLifecycle({ installDir: dir, action: 'restart' });
    expect(plan.services.find((s) => s.service === 'api')!.state).toBe('missing');
    const result = await operations().runLifecycle(plan, sink);
    expect(result.services.map((s) => s.state)).toEqual(['completed', 'healthy', 'running']);
  });

  it('stops, and then starts again', async () => {
    const stopPlan = await operations().planLifecycle({ installDir: dir, action: 'stop' });
    expect(stopPlan.expectedDowntime.summary).toContain('2 running services stop');
    const stopped = await operations().runLifecycle(stopPlan, sink);
    expect(stopped.services.map((s) => s.state)).toEqual(['completed', 'exited', 'exited']);
    expect(composeCli.ups).toBe(0);

    const startPlan = await operations().planLifecycle({ installDir: dir, action: 'start' });
    expect(startPlan.expectedDowntime).toEqual({ summary: 'None: nothing is running yet.', maxSeconds: 0 });
    const started = await operations().runLifecycle(startPlan, sink);
    expect(started.services.map((s) => s.state)).toEqual(['completed', 'healthy', 'running']);
  });

  it('creates the external network again when it went missing', async () => {
    engine.networks.clear();
    await operations().runLifecycle(await operations().planLifecycle({ installDir: dir, action: 'start' }), sink);
    expect(engine.networks.has('demo-net')).toBe(true);
  });

  it('fails with the service and a start hint when the stack does not get healthy', async () => {
    composeCli = new FakeCompose(engine, () => [...healthy().slice(0, 2), container('demo', 'api', { health: 'unhealthy' })]);
    engine.logs.set('demo-api-id', ['api | cannot reach the database']);
    const plan = await operations().planLifecycle({ installDir: dir, action: 'restart', healthTimeout: 1 });
    const error = await operations().runLifecycle(plan, sink).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'health-timeout', message: expect.stringContaining('api is unhealthy'), hint: expect.stringContaining('openmates server start') });
    expect((error as OpenmatesError).details).toContain('  api | cannot reach the database');
  });
});
