import type { ComposeCli, ContainerEvent, ContainerStats, ContainerSummary, DockerEngine, PullProgress, VolumeSize } from '../../../src/docker/types.js';
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
  listCalls = 0;
  async projectContainers(project: string) {
    this.listCalls++;
    if (!this.reachable) throw new OpenmatesError('engine-unreachable', `Cannot reach the Docker engine at ${this.endpoint}.`);
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
  private watchFailures = new Set<(error: Error) => void>();
  emit(event: ContainerEvent) {
    for (const watcher of this.watchers) watcher(event);
  }
  /** The engine goes away: every event stream ends with an engine-unreachable error, and later calls fail. */
  loseConnection() {
    this.reachable = false;
    const error = new OpenmatesError('engine-unreachable', `The Docker engine at ${this.endpoint} stopped answering.`, 'Check that Docker is running.');
    for (const fail of this.watchFailures) fail(error);
  }
  watchContainerEvents(_project: string, onEvent: (event: ContainerEvent) => void, signal: AbortSignal) {
    if (!this.reachable) return Promise.reject(new OpenmatesError('engine-unreachable', `Cannot reach the Docker engine at ${this.endpoint}.`));
    this.watchers.add(onEvent);
    return new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => {
        this.watchers.delete(onEvent);
        this.watchFailures.delete(fail);
        reject(error);
      };
      this.watchFailures.add(fail);
      signal.addEventListener('abort', () => (this.watchers.delete(onEvent), this.watchFailures.delete(fail), resolve()), { once: true });
    });
  }
  async containerLogTail(id: string, lines: number) {
    return (this.logs.get(id) ?? []).slice(-lines);
  }
  /** Per container id; a running container without an entry samples as idle. */
  stats = new Map<string, ContainerStats>();
  statsCalls = 0;
  inspectCalls = 0;
  volumeBytes = new Map<string, number>();
  removedVolumes: string[] = [];
  async containerSummary(id: string) {
    this.inspectCalls++;
    if (!this.reachable) throw new OpenmatesError('engine-unreachable', `Cannot reach the Docker engine at ${this.endpoint}.`);
    const found = this.containers.find((c) => c.id === id);
    return found ? { ...found } : undefined;
  }
  async containerStats(id: string): Promise<ContainerStats | undefined> {
    this.statsCalls++;
    if (!this.reachable) throw new OpenmatesError('engine-unreachable', `Cannot reach the Docker engine at ${this.endpoint}.`);
    const found = this.containers.find((c) => c.id === id);
    if (!found || found.state !== 'running') return undefined;
    return this.stats.get(id) ?? { cpuPercent: 0, memoryBytes: 0, memoryLimitBytes: 1024 ** 3, onlineCpus: 2 };
  }
  async volumeSizes(names: string[]): Promise<VolumeSize[]> {
    return names.filter((name) => this.volumes.has(name)).map((name) => (this.volumeBytes.has(name) ? { name, sizeBytes: this.volumeBytes.get(name)! } : { name }));
  }
  async removeVolumes(names: string[]) {
    const removed = names.filter((name) => this.volumes.delete(name));
    this.removedVolumes.push(...removed);
    return removed;
  }
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
    // Like Compose, up starts a stopped container again (same id); a running one is left alone.
    const kept = this.engine.containers
      .filter((c) => wanted.some((w) => w.name === c.name))
      .map((c) => (c.state === 'running' ? c : { ...wanted.find((w) => w.name === c.name)!, id: c.id }));
    const added = wanted.filter((w) => !kept.some((c) => c.name === w.name));
    this.engine.containers = [...this.engine.containers.filter((c) => !wanted.some((w) => w.name === c.name)), ...kept, ...added];
  }
  async down() {
    this.engine.containers = [];
  }
  stops = 0;
  async stop() {
    this.stops++;
    this.engine.containers = this.engine.containers.map((c) => (c.state === 'running' || c.state === 'restarting' ? { ...c, state: 'exited' as const, exitCode: 0, health: undefined } : c));
  }
}
