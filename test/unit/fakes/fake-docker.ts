import type { ComposeCli, ContainerEvent, ContainerLogLine, ContainerLogOptions, ContainerSummary, DockerEngine, PullProgress } from '../../../src/docker/types.js';
import { OpenmatesError } from '../../../src/core/errors.js';

/** An in-memory engine: enough of Docker for the core's logic, nothing more. */
export class FakeEngine implements DockerEngine {
  readonly endpoint = 'unix:///fake.sock';
  containers: ContainerSummary[] = [];
  volumes = new Set<string>();
  networks = new Set<string>();
  images = new Set<string>();
  /** Images whose pull fails with this message. */
  failingPulls = new Map<string, string>();
  pulled: string[] = [];
  logs = new Map<string, string[]>();
  reachable = true;

  async ping() {
    if (!this.reachable) throw new OpenmatesError('engine-unreachable', `Cannot reach the Docker engine at ${this.endpoint}.`);
  }
  async info() {
    return { serverVersion: '99.0', apiVersion: '1.41', architecture: 'x86_64', memoryBytes: 16 * 1024 ** 3, dockerRootDir: '/var/lib/docker' };
  }
  async projectContainers(project: string) {
    return this.containers.filter((container) => container.name.startsWith(`${project}-`)).map((c) => ({ ...c }));
  }
  async containersPublishingPort(port: number) {
    return this.containers.filter((c) => c.ports.some((p) => p.hostPort === port)).map((c) => ({ name: c.name, project: c.name.split('-')[0] }));
  }
  async networkExists(name: string) {
    return this.networks.has(name);
  }
  async createNetwork(name: string) {
    this.networks.add(name);
  }
  async existingVolumes(names: string[]) {
    return names.filter((name) => this.volumes.has(name));
  }
  async imageExists(ref: string) {
    return this.images.has(ref);
  }
  async pullImage(ref: string, onProgress: (progress: PullProgress) => void) {
    const failure = this.failingPulls.get(ref);
    if (failure) throw new OpenmatesError('operation-failed', `Could not pull ${ref}: ${failure}.`);
    const fresh = !this.images.has(ref);
    onProgress({ bytesDone: fresh ? 50 : 0, bytesTotal: fresh ? 100 : 0, layersDone: 0, layersTotal: 1 });
    onProgress({ bytesDone: fresh ? 100 : 0, bytesTotal: fresh ? 100 : 0, layersDone: 1, layersTotal: 1 });
    this.images.add(ref);
    this.pulled.push(ref);
  }
  /** Events pushed with emit() reach every watcher until its signal aborts. */
  private watchers = new Set<(event: ContainerEvent) => void>();
  emit(event: ContainerEvent) {
    for (const watcher of this.watchers) watcher(event);
  }
  watchContainerEvents(_project: string, onEvent: (event: ContainerEvent) => void, signal: AbortSignal) {
    this.watchers.add(onEvent);
    return new Promise<void>((resolve) => signal.addEventListener('abort', () => (this.watchers.delete(onEvent), resolve()), { once: true }));
  }
  async containerLogTail(id: string, lines: number) {
    return (this.logs.get(id) ?? []).slice(-lines);
  }

  /** What each container has written, for followContainerLog; writeLog() appends and reaches followers. */
  logLines = new Map<string, ContainerLogLine[]>();
  /** Every followContainerLog call, to check what was asked for. */
  logRequests: { id: string; options: ContainerLogOptions }[] = [];
  private logFollowers = new Map<string, Set<{ deliver: (lines: ContainerLogLine[]) => void; end: () => void }>>();
  private logClock = Math.floor(Date.now() / 1000) * 1000 - 60_000;

  /** The fake's clock for log lines, in ms; advanced by every written line. */
  now() {
    return this.logClock;
  }
  /**
   * Appends lines (stamped one ms apart) to a container's log and hands them to its followers
   * (unless `toFollowers` is false: a follow stream the engine left hanging).
   */
  writeLog(id: string, texts: string[], stream: ContainerLogLine['stream'] = 'stdout', toFollowers = true) {
    const lines = texts.map((text) => ({ stream, time: nanoTime((this.logClock += 1)), text }));
    this.logLines.set(id, [...(this.logLines.get(id) ?? []), ...lines]);
    if (toFollowers) for (const follower of this.logFollowers.get(id) ?? []) follower.deliver(lines);
  }
  /** The container stopped: its follow streams end. */
  endLogs(id: string) {
    for (const follower of this.logFollowers.get(id) ?? []) follower.end();
    this.logFollowers.delete(id);
  }
  async followContainerLog(id: string, options: ContainerLogOptions, onLines: (lines: ContainerLogLine[]) => void | Promise<void>, signal: AbortSignal) {
    this.logRequests.push({ id, options });
    if (signal.aborted) return;
    const startedAt = this.containers.find((c) => c.id === id)?.startedAt;
    const lastStart = options.sinceLastStart && startedAt ? Date.parse(startedAt) / 1000 : undefined;
    const since = lastStart === undefined ? options.since : Math.max(lastStart, options.since ?? 0);
    let backlog = (this.logLines.get(id) ?? []).filter((line) => since === undefined || Date.parse(line.time) / 1000 >= since);
    if (options.tail !== undefined) backlog = options.tail === 0 ? [] : backlog.slice(-options.tail);
    if (backlog.length > 0) await onLines(backlog);
    const running = this.containers.some((c) => c.id === id && c.state === 'running');
    if (!options.follow || !running || signal.aborted) return;
    await new Promise<void>((resolve) => {
      const followers = this.logFollowers.get(id) ?? new Set();
      this.logFollowers.set(id, followers);
      const follower = {
        deliver: (lines: ContainerLogLine[]) => void onLines(lines),
        end: () => {
          followers.delete(follower);
          signal.removeEventListener('abort', follower.end);
          resolve();
        },
      };
      followers.add(follower);
      signal.addEventListener('abort', follower.end, { once: true });
    });
  }
}

/** An engine log timestamp (nanosecond precision, UTC) for a time in ms. */
export function nanoTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000000Z');
}

export function container(project: string, service: string, overrides: Partial<ContainerSummary> = {}): ContainerSummary {
  return {
    id: `${project}-${service}-id`,
    name: `${project}-${service}-1`,
    service,
    image: `img/${service}`,
    state: 'running',
    exitCode: 0,
    startedAt: '2026-01-01T00:00:00Z',
    restartCount: 0,
    restartPolicy: 'unless-stopped',
    ports: [],
    ...overrides,
  };
}

/** Compose that "starts" a project by putting the given containers into the engine. */
export class FakeCompose implements ComposeCli {
  readonly command = 'docker compose';
  readonly version = '2.99.0';
  ups = 0;
  constructor(
    private readonly engine: FakeEngine,
    private readonly makeContainers: () => ContainerSummary[],
  ) {}
  async up() {
    this.ups++;
    const wanted = this.makeContainers();
    const kept = this.engine.containers.filter((c) => wanted.some((w) => w.name === c.name));
    const added = wanted.filter((w) => !kept.some((c) => c.name === w.name));
    this.engine.containers = [...this.engine.containers.filter((c) => !wanted.some((w) => w.name === c.name)), ...kept, ...added];
  }
  async down() {
    this.engine.containers = [];
  }
}
