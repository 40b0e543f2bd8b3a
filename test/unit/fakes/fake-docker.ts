import type { ComposeCli, ComposeProject, ContainerEvent, ContainerSummary, DockerEngine, PullProgress } from '../../../src/docker/types.js';
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
    this.ownNetworks.add(name);
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
  /** Volume sizes in bytes; a volume without an entry has no known size. */
  volumeBytes = new Map<string, number>();
  /** The com.docker.compose.project label of volumes that carry one. */
  volumeProjects = new Map<string, string>();
  /** Networks that carry openmates' created-by label. */
  ownNetworks = new Set<string>();
  removedVolumes: string[] = [];
  removedNetworks: string[] = [];
  async volumeSizes(names: string[]) {
    return Object.fromEntries(names.filter((name) => this.volumes.has(name)).map((name) => [name, this.volumeBytes.get(name)]));
  }
  async projectVolumes(project: string) {
    return [...this.volumes].filter((name) => this.volumeProjects.get(name) === project);
  }
  async containersUsingVolume(_name: string) {
    return [];
  }
  async removeVolume(name: string) {
    if (this.volumes.delete(name)) this.removedVolumes.push(name);
  }
  async networkDetails(name: string) {
    return this.networks.has(name) ? { createdByOpenmates: this.ownNetworks.has(name), containers: [] } : undefined;
  }
  async removeNetwork(name: string) {
    if (this.networks.delete(name)) this.removedNetworks.push(name);
  }
  async removeContainer(id: string) {
    this.containers = this.containers.filter((c) => c.id !== id);
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
  downs = 0;
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
  async down(project: ComposeProject) {
    this.downs++;
    this.engine.containers = this.engine.containers.filter((c) => !c.name.startsWith(`${project.name}-`));
  }
}
