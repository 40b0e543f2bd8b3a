import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cpuBusyPercent, parseMeminfo, parseProcStat } from '../../../src/core/dashboard/host-metrics.js';
import type { DashboardSnapshot } from '../../../src/core/dashboard/types.js';
import { watchDashboard, type DashboardTiming } from '../../../src/core/dashboard/watch-dashboard.js';
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

const stackFile = `name: demo
compose: ./compose.yml
registry: reg
registryVariable: REG
tag: v1.0.0
tagVariable: TAG
versionImage: api
volumes: { data: [demo-db-data], cache: [demo-cache] }
urls: [{ name: Web app, url: "http://localhost:1" }]
`;

const fast: DashboardTiming = { statsEveryMs: 20, checksEveryMs: 60_000, emitEveryMs: 5, retryEveryMs: 30, eventSettleMs: 5 };

describe('watchDashboard (fake engine)', () => {
  let dir: string;
  let engine: FakeEngine;
  let snapshots: DashboardSnapshot[];
  let controller: AbortController;
  let watching: Promise<void>;
  const latest = () => snapshots.at(-1)!;
  const service = (name: string) => latest().services.find((s) => s.service === name)!;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'om-dash-'));
    await writeFile(join(dir, 'openmates-stack.yml'), stackFile);
    await writeFile(join(dir, 'docker-compose.yml'), compose);
    await writeFile(join(dir, '.env'), 'TAG=v1.1.0\nREG=reg\n', { mode: 0o600 });
    engine = new FakeEngine();
    engine.containers = [
      container('demo', 'setup', { state: 'exited', exitCode: 0, restartPolicy: 'no' }),
      container('demo', 'db', { health: 'healthy' }),
      container('demo', 'api', { health: 'healthy', restartCount: 2 }),
    ];
    engine.stats.set('demo-api-id', { cpuPercent: 12.5, memoryBytes: 50_000_000, memoryLimitBytes: 2_000_000_000, onlineCpus: 2 });
    snapshots = [];
    controller = new AbortController();
  });
  afterEach(async () => {
    controller.abort();
    await watching?.catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  const start = () => {
    watching = watchDashboard({ installDir: dir }, { engine, compose: async () => new FakeCompose(engine, () => []) }, (s) => snapshots.push(s), controller.signal, fast);
  };

  it('lists each service with state, health, restarts, CPU and memory, the version from .env, and the host', async () => {
    start();
    await vi.waitFor(() => expect(latest().sampledAt).toBeDefined());
    const snapshot = latest();
    expect(snapshot).toMatchObject({ installed: true, project: 'demo', version: 'v1.1.0', engine: { state: 'live' }, healthy: true, urls: [{ name: 'Web app' }] });
    expect(service('api')).toMatchObject({ state: 'healthy', engineState: 'running', health: 'healthy', restartCount: 2, cpuPercent: 12.5, memoryBytes: 50_000_000 });
    expect(service('setup')).toMatchObject({ state: 'completed', engineState: 'exited' });
    expect(service('setup').cpuPercent).toBeUndefined();
    expect(snapshot.host!.cpuCount).toBeGreaterThan(0);
    expect(snapshot.host!.memoryTotalBytes).toBeGreaterThan(0);
    expect(snapshot.host!.disks[0]).toMatchObject({ label: 'install', path: dir });
  });

  it('refreshes only the container an event names, and ignores healthcheck probes', async () => {
    start();
    await vi.waitFor(() => expect(latest().engine.state).toBe('live'));
    const inspectsBefore = engine.inspectCalls;
    for (let i = 0; i < 20; i++) engine.emit({ action: i % 2 ? 'exec_start' : 'exec_die', containerId: 'demo-api-id', time: Date.now() });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(engine.inspectCalls).toBe(inspectsBefore);
    // The engine is asked for the state changes only, so the probes never reach the idle dashboard.
    expect(engine.watchedActions.at(-1)).toEqual(expect.arrayContaining(['start', 'die', 'destroy', 'health_status']));
    expect(engine.watchedActions.at(-1)).not.toContain('exec_start');

    engine.containers = engine.containers.map((c) => (c.service === 'db' ? { ...c, state: 'exited', exitCode: 137, health: undefined } : c));
    engine.emit({ action: 'kill', containerId: 'demo-db-id', time: Date.now() });
    engine.emit({ action: 'die', containerId: 'demo-db-id', exitCode: 137, time: Date.now() });
    await vi.waitFor(() => expect(service('db')).toMatchObject({ state: 'exited', engineState: 'exited', exitCode: 137 }));
    expect(latest().healthy).toBe(false);
    expect(engine.inspectCalls).toBe(inspectsBefore + 1);
    expect(engine.listCalls).toBe(1);
  });

  it('drops a destroyed container and picks up a recreated one', async () => {
    start();
    await vi.waitFor(() => expect(latest().engine.state).toBe('live'));
    engine.containers = engine.containers.filter((c) => c.service !== 'api');
    engine.emit({ action: 'destroy', containerId: 'demo-api-id', time: Date.now() });
    await vi.waitFor(() => expect(service('api')).toMatchObject({ state: 'missing', container: '' }));

    engine.containers.push(container('demo', 'api', { id: 'demo-api-2', health: 'starting', startedAt: '2026-02-02T00:00:00Z' }));
    engine.emit({ action: 'create', containerId: 'demo-api-2', time: Date.now() });
    engine.emit({ action: 'start', containerId: 'demo-api-2', time: Date.now() });
    await vi.waitFor(() => expect(service('api')).toMatchObject({ state: 'starting', startedAt: '2026-02-02T00:00:00Z' }));
    expect(engine.listCalls).toBe(1);
  });

  it('samples stats for running containers only, at the stats rate', async () => {
    start();
    await vi.waitFor(() => expect(engine.statsCalls).toBeGreaterThanOrEqual(6));
    // Two running containers (db, api) per round; the finished one-shot is never sampled.
    expect(engine.statsCalls % 2).toBe(0);
  });

  it('says the engine is lost, keeps the last services, and recovers when it is back', async () => {
    start();
    await vi.waitFor(() => expect(latest().sampledAt).toBeDefined());
    engine.loseConnection();
    await vi.waitFor(() => expect(latest().engine).toMatchObject({ state: 'lost', message: expect.stringMatching(/Docker engine at unix:\/\/\/fake.sock/) }));
    expect(latest().healthy).toBe(false);
    expect(latest().services.map((s) => s.service)).toEqual(['setup', 'db', 'api']);
    expect(service('api').cpuPercent).toBeUndefined();

    engine.reachable = true;
    await vi.waitFor(() => expect(latest().engine.state).toBe('live'));
    expect(engine.listCalls).toBeGreaterThanOrEqual(2);
  });

  it('resolves when aborted', async () => {
    start();
    await vi.waitFor(() => expect(latest().engine.state).toBe('live'));
    controller.abort();
    await expect(watching).resolves.toBeUndefined();
  });

  it('sends one "not installed" snapshot and ends when nothing is installed', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'om-dash-empty-'));
    const seen: DashboardSnapshot[] = [];
    await watchDashboard({ installDir: empty }, { engine, compose: async () => new FakeCompose(engine, () => []) }, (s) => seen.push(s), controller.signal, fast);
    expect(seen).toEqual([expect.objectContaining({ installed: false, installDir: empty, services: [] })]);
    await rm(empty, { recursive: true });
  });
});

describe('host metrics', () => {
  it('reads the aggregate CPU line of /proc/stat, iowait counting as idle', () => {
    const text = 'cpu  100 5 50 800 40 3 2 0 0 0\ncpu0 50 2 25 400 20 1 1 0 0 0\nintr 1 2\n';
    expect(parseProcStat(text)).toEqual({ busy: 160, total: 1000 });
    expect(parseProcStat('nothing here')).toBeUndefined();
  });

  it('turns two samples into a busy percentage', () => {
    expect(cpuBusyPercent({ busy: 160, total: 1000 }, { busy: 210, total: 1200 })).toBe(25);
    expect(cpuBusyPercent({ busy: 160, total: 1000 }, { busy: 160, total: 1000 })).toBeUndefined();
  });

  it('reads MemTotal and MemAvailable', () => {
    expect(parseMeminfo('MemTotal:        2000 kB\nMemFree:  100 kB\nMemAvailable:     500 kB\n')).toEqual({ totalBytes: 2000 * 1024, availableBytes: 500 * 1024 });
    expect(parseMeminfo('MemTotal: 1 kB\n')).toBeUndefined();
  });
});
