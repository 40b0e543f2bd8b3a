import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { OpenmatesError } from '../../../src/core/errors.js';
import { streamLogs } from '../../../src/core/logs/stream-logs.js';
import type { LogEntry, LogStreamInfo, LogsOptions } from '../../../src/core/logs/types.js';
import type { ContainerEvent } from '../../../src/docker/types.js';
import { FakeEngine, container } from '../fakes/fake-docker.js';

const compose = `services:
  api:
    image: reg/api:v1
  worker:
    image: reg/api:v1
  db:
    image: reg/db:v1
`;
const stack = `name: demo
compose: ./docker-compose.yml
registry: reg
registryVariable: REG
tag: v1
tagVariable: TAG
versionImage: api
`;

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until every container shown is being followed (the core has listed and attached them). */
async function following(engine: FakeEngine, count: number) {
  await vi.waitFor(() => expect(engine.logRequests.length).toBeGreaterThanOrEqual(count), { timeout: 2000, interval: 2 });
  await tick();
}

/** An engine whose event stream the test can break, like an engine that goes away. */
class BreakableEngine extends FakeEngine {
  private failWatchers = new Set<(error: unknown) => void>();
  override watchContainerEvents(project: string, onEvent: (event: ContainerEvent) => void, signal: AbortSignal) {
    const watching = super.watchContainerEvents(project, onEvent, signal);
    return new Promise<void>((resolve, reject) => {
      this.failWatchers.add(reject);
      void watching.then(resolve);
    });
  }
  goAway() {
    for (const fail of this.failWatchers) fail(new OpenmatesError('engine-unreachable', 'The Docker engine at unix:///fake.sock stopped answering.'));
  }
}

describe('streamLogs (core, with a fake engine)', () => {
  let installDir: string;
  let engine: BreakableEngine;

  beforeEach(async () => {
    installDir = await mkdtemp(join(tmpdir(), 'om-logs-'));
    await writeFile(join(installDir, 'openmates-stack.yml'), stack);
    await writeFile(join(installDir, 'docker-compose.yml'), compose);
    engine = new BreakableEngine();
    engine.containers = [container('demo', 'api'), container('demo', 'worker'), container('demo', 'db', { state: 'exited', exitCode: 0 })];
    engine.writeLog('demo-api-id', ['api 1', 'api 2']);
    engine.writeLog('demo-worker-id', ['worker 1']);
    engine.writeLog('demo-db-id', ['db 1', 'db 2', 'db 3'], 'stderr');
  });

  function run(options: Partial<LogsOptions>, signal?: AbortSignal) {
    const entries: LogEntry[] = [];
    const batches: number[] = [];
    let info: LogStreamInfo | undefined;
    const done = streamLogs(
      { installDir, follow: false, timestamps: false, ...options },
      { engine, compose: () => Promise.reject(new Error('compose is not used by logs')) },
      {
        started: (started) => (info = started),
        entries: (batch) => {
          batches.push(batch.length);
          entries.push(...batch);
        },
      },
      signal,
    );
    const texts = (service?: string) => entries.filter((e) => !service || e.service === service).map((e) => (e.kind === 'notice' ? `— ${e.text}` : e.text));
    return { done, entries, batches, texts, info: () => info };
  }

  it('reads every service once, merged, with one batch per chunk, and reports what it showed', async () => {
    const logs = run({});
    const result = await logs.done;
    expect(logs.texts('api')).toEqual(['api 1', 'api 2']);
    expect(logs.texts('worker')).toEqual(['worker 1']);
    expect(logs.texts('db')).toEqual(['db 1', 'db 2', 'db 3']);
    expect(logs.entries.find((e) => e.service === 'db')).toMatchObject({ kind: 'line', stream: 'stderr' });
    expect(logs.batches).toEqual(expect.arrayContaining([2, 1, 3]));
    expect(result).toEqual({ project: 'demo', shown: ['api', 'db', 'worker'], lines: 6 });
    expect(logs.info()).toEqual({ project: 'demo', services: ['api', 'db', 'worker'], shown: ['api', 'db', 'worker'] });
    expect(logs.entries.every((e) => e.time === undefined)).toBe(true);
  });

  it('filters services, passes tail and since to the engine, and adds timestamps when asked', async () => {
    const logs = run({ services: ['db', 'api'], tail: 1, since: '10m', timestamps: true });
    await logs.done;
    expect(logs.texts('db')).toEqual(['db 3']);
    expect(logs.texts('api')).toEqual(['api 2']);
    expect(logs.texts('worker')).toEqual([]);
    expect(logs.entries[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    const since = engine.logRequests[0]!.options.since!;
    expect(Math.abs(since - (Date.now() / 1000 - 600))).toBeLessThan(5);
    expect(engine.logRequests.map((r) => r.options.tail)).toEqual([1, 1]);
  });

  it('refuses an unknown service, naming the real ones', async () => {
    const error = await run({ services: ['api', 'frontend'] }).done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenmatesError);
    expect((error as OpenmatesError).kind).toBe('usage');
    expect((error as OpenmatesError).message).toBe('There is no service "frontend" in demo; its services are api, db, worker.');
  });

  it('refuses a time it cannot read, and a directory without an install', async () => {
    await expect(run({ since: 'yesterday' }).done).rejects.toMatchObject({ kind: 'usage', message: 'Cannot read "yesterday" as a time to show logs since.' });
    await expect(run({ installDir: join(installDir, 'nothing-here') }).done).rejects.toMatchObject({ kind: 'not-installed' });
  });

  it('follows new lines, says when a service stops, and picks a restarted container up without repeating lines', async () => {
    const controller = new AbortController();
    const logs = run({ follow: true, services: ['api', 'worker'] }, controller.signal);
    await following(engine, 2);
    engine.writeLog('demo-api-id', ['api 3']);
    expect(logs.texts('api')).toEqual(['api 1', 'api 2', 'api 3']);

    // docker restart: the old stream ends, die, then start of the same container.
    engine.containers[0]!.state = 'exited';
    engine.endLogs('demo-api-id');
    engine.emit({ action: 'die', containerId: 'demo-api-id', service: 'api', exitCode: 137, time: engine.now() });
    await tick();
    engine.containers[0]!.state = 'running';
    engine.containers[0]!.startedAt = new Date(engine.now() + 1).toISOString();
    // The first lines come before the engine reports the start.
    engine.writeLog('demo-api-id', ['api booting']);
    engine.emit({ action: 'start', containerId: 'demo-api-id', service: 'api', time: engine.now() + 5 });
    await tick();
    engine.writeLog('demo-api-id', ['api restarted']);
    await tick();
    expect(logs.texts('api')).toEqual(['api 1', 'api 2', 'api 3', '— api stopped (exit code 137)', '— api started', 'api booting', 'api restarted']);
    expect(engine.logRequests.at(-1)!.options).toEqual({ follow: true, sinceLastStart: true });

    // A recreated container (new id) of a shown service is followed too; other services are not.
    engine.containers.push(container('demo', 'worker', { id: 'worker-2', name: 'demo-worker-2', startedAt: new Date(engine.now()).toISOString() }));
    engine.emit({ action: 'start', containerId: 'worker-2', service: 'worker', time: engine.now() });
    engine.emit({ action: 'start', containerId: 'demo-db-id', service: 'db', time: engine.now() });
    await tick();
    engine.writeLog('worker-2', ['new worker']);
    await tick();
    expect(logs.texts('worker')).toEqual(['worker 1', '— worker started', 'new worker']);
    expect(logs.texts('db')).toEqual([]);

    controller.abort();
    await expect(logs.done).resolves.toMatchObject({ lines: 7 });
  });

  it('keeps a stop notice until the lines before it have arrived', async () => {
    const controller = new AbortController();
    const logs = run({ follow: true, services: ['worker'] }, controller.signal);
    await following(engine, 1);
    engine.emit({ action: 'die', containerId: 'demo-worker-id', service: 'worker', exitCode: 0, time: engine.now() });
    engine.writeLog('demo-worker-id', ['last words']);
    engine.endLogs('demo-worker-id');
    await tick();
    expect(logs.texts()).toEqual(['worker 1', 'last words', '— worker stopped (exit code 0)']);
    controller.abort();
    await logs.done;
  });

  it('does not repeat lines when a start arrives while the container is still being read', async () => {
    const controller = new AbortController();
    const logs = run({ follow: true, services: ['api'] }, controller.signal);
    await following(engine, 1);
    // The start event of the run we are already reading (it raced the first listing).
    engine.emit({ action: 'start', containerId: 'demo-api-id', service: 'api', time: engine.now() - 10_000 });
    engine.writeLog('demo-api-id', ['api 3']);
    engine.endLogs('demo-api-id');
    await tick();
    expect(logs.texts()).toEqual(['api 1', 'api 2', 'api 3', '— api started']);
    controller.abort();
    await logs.done;
  });

  it('ordered: hands the starting lines of all services over in time order, then goes on live without repeats', async () => {
    engine.writeLog('demo-worker-id', ['worker 2']);
    engine.writeLog('demo-api-id', ['api 3']);
    const controller = new AbortController();
    const logs = run({ follow: true, ordered: true, tail: 2, services: ['api', 'worker'] }, controller.signal);
    await following(engine, 4);
    expect(logs.texts()).toEqual(['api 2', 'worker 1', 'worker 2', 'api 3']);
    engine.writeLog('demo-worker-id', ['worker 3']);
    engine.writeLog('demo-api-id', ['api 4']);
    expect(logs.texts()).toEqual(['api 2', 'worker 1', 'worker 2', 'api 3', 'worker 3', 'api 4']);
    // Live reading starts at each container's last line shown.
    expect(engine.logRequests.slice(2).map((request) => request.options.follow)).toEqual([true, true]);
    controller.abort();
    await expect(logs.done).resolves.toMatchObject({ lines: 6 });
  });

  it('closes an old stream the engine keeps open across a restart, and reads the new run', async () => {
    const controller = new AbortController();
    const logs = run({ follow: true, services: ['api'] }, controller.signal);
    await following(engine, 1);
    engine.containers[0]!.startedAt = new Date(engine.now() + 1).toISOString();
    engine.writeLog('demo-api-id', ['new run'], 'stdout', false);
    engine.emit({ action: 'start', containerId: 'demo-api-id', service: 'api', time: engine.now() });
    await tick(50);
    expect(logs.texts()).toEqual(['api 1', 'api 2']);
    await vi.waitFor(() => expect(logs.texts()).toEqual(['api 1', 'api 2', '— api started', 'new run']), { timeout: 3000, interval: 20 });
    controller.abort();
    await logs.done;
  });

  it('fails with the engine error when the engine goes away while following, and stops reading', async () => {
    const controller = new AbortController();
    const logs = run({ follow: true }, controller.signal);
    await following(engine, 3);
    engine.goAway();
    await expect(logs.done).rejects.toMatchObject({ kind: 'engine-unreachable' });
    engine.writeLog('demo-api-id', ['after the end']);
    expect(logs.texts('api')).not.toContain('after the end');
  });

  it('waits for a slow reader before reading on (backpressure), keeping nothing itself', async () => {
    let release!: () => void;
    let calls = 0;
    const done = streamLogs(
      { installDir, follow: false, timestamps: false, services: ['db'] },
      { engine, compose: () => Promise.reject(new Error('unused')) },
      {
        entries: () => {
          calls++;
          return new Promise<void>((resolve) => (release = resolve));
        },
      },
    );
    await tick();
    let finished = false;
    void done.then(() => (finished = true));
    await tick();
    expect(calls).toBe(1);
    expect(finished).toBe(false);
    release();
    await expect(done).resolves.toMatchObject({ lines: 3 });
  });
});

describe('the log directory without compose file', () => {
  it('still lists the services of the running containers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'om-logs-'));
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'openmates-stack.yml'), stack);
    const engine = new FakeEngine();
    engine.containers = [container('demo', 'api')];
    engine.writeLog('demo-api-id', ['hello']);
    const seen: string[] = [];
    let services: string[] = [];
    await streamLogs(
      { installDir: dir, follow: false, timestamps: false },
      { engine, compose: () => Promise.reject(new Error('unused')) },
      { started: (info) => (services = info.services), entries: (b) => void seen.push(...b.map((e) => e.text)) },
    );
    expect(services).toEqual(['api']);
    expect(seen).toEqual(['hello']);
  });
});
