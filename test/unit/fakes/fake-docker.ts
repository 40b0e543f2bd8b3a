import { Readable } from 'node:stream';
import type {
  ComposeCli,
  ComposeProject,
  ContainerEvent,
  ContainerLogLine,
  ContainerLogOptions,
  ContainerStats,
  ContainerSummary,
  DockerEngine,
  HelperContainerOptions,
  PullProgress,
  VolumeDetails,
  VolumeSize,
  VolumeUser,
} from '../../../src/docker/types.js';
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
    return { serverVersion: '99.0', apiVersion: '1.41', architecture: 'x86_64', memoryBytes: 16 * 1024 ** 3, dockerRootDir: '/var/lib/docker', hostName: 'fake-engine', securityOptions: [] };
  }
  listCalls = 0;
  async projectContainers(project: string) {
    this.listCalls++;
    if (!this.reachable) throw new OpenmatesError('engine-unreachable', `Cannot reach the Docker engine at ${this.endpoint}.`);
    // By name, standing in for the project label: Compose v2 names `<project>-`, v1 `<project>_`.
    return this.containers.filter((container) => container.name.startsWith(`${project}-`) || container.name.startsWith(`${project}_`)).map((c) => ({ ...c }));
  }
  async allContainers() {
    if (!this.reachable) throw new OpenmatesError('engine-unreachable', `Cannot reach the Docker engine at ${this.endpoint}.`);
    return this.containers.map((c) => ({ name: c.name, image: c.image, state: c.state, ...(c.health ? { health: c.health } : {}) }));
  }
  async containersPublishingPort(port: number) {
    return this.containers.filter((c) => c.ports.some((p) => p.hostPort === port)).map((c) => ({ name: c.name, project: c.name.split('-')[0] }));
  }
  /** What socketGroupId answers (undefined: a remote engine). */
  socketGid: number | undefined = 994;
  async socketGroupId() {
    return this.socketGid;
  }
  /** The com.docker.compose.project label of containers whose name does not start with it (fixed container_names). */
  containerProjects = new Map<string, string | undefined>();
  async containersNamed(names: string[]) {
    return this.containers
      .filter((c) => names.includes(c.name))
      .map((c) => {
        const project = this.containerProjects.has(c.id) ? this.containerProjects.get(c.id) : c.name.split('-')[0];
        return { name: c.name, state: c.state, service: c.service, ...(project ? { project } : {}) };
      });
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
  /** The `actions` each watch asked the engine for (undefined: all). */
  watchedActions: (readonly string[] | undefined)[] = [];
  watchContainerEvents(_project: string, listener: (event: ContainerEvent) => void, signal: AbortSignal, actions?: readonly string[]) {
    if (!this.reachable) return Promise.reject(new OpenmatesError('engine-unreachable', `Cannot reach the Docker engine at ${this.endpoint}.`));
    this.watchedActions.push(actions);
    // As the engine filters: only the asked-for actions arrive.
    const onEvent = actions ? (event: ContainerEvent) => void (actions.includes(event.action) && listener(event)) : listener;
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
  /** The com.docker.compose.project label of volumes that carry one. */
  volumeProjects = new Map<string, string>();
  /** Networks that carry openmates' created-by label. */
  ownNetworks = new Set<string>();
  removedNetworks: string[] = [];
  async projectVolumes(project: string) {
    return [...this.volumes].filter((name) => this.volumeProjects.get(name) === project);
  }
  async removeVolume(name: string) {
    if (this.volumes.delete(name)) this.removedVolumes.push(name);
  }
  async networkDetails(name: string) {
    return this.networks.has(name) ? { createdByOpenmates: this.ownNetworks.has(name), containers: [] } : undefined;
  }
  /** Networks the engine refuses to remove for an endpoint no container holds (moby/moby#33156). */
  staleEndpointNetworks = new Set<string>();
  async removeNetwork(name: string): Promise<'removed' | 'has-active-endpoints'> {
    if (this.staleEndpointNetworks.has(name)) return 'has-active-endpoints';
    if (this.networks.delete(name)) this.removedNetworks.push(name);
    return 'removed';
  }
  async removeContainer(id: string) {
    this.containers = this.containers.filter((c) => c.id !== id);
  }
  // Volumes and archives: FakeVolumeEngine (below) gives them behaviour.
  async inspectVolume(_name: string): Promise<VolumeDetails | undefined> {
    return undefined;
  }
  async createVolume(_volume: Omit<VolumeDetails, 'mountpoint'>): Promise<void> {}
  async containersUsingVolume(_name: string): Promise<VolumeUser[]> {
    return [];
  }
  async createHelperContainer(_options: HelperContainerOptions): Promise<string> {
    throw new OpenmatesError('operation-failed', 'FakeEngine has no helper containers; use FakeVolumeEngine.');
  }
  async containersWithLabel(_key: string, _value: string): Promise<string[]> {
    return [];
  }
  async getArchive(_containerId: string, _path: string): Promise<NodeJS.ReadableStream> {
    throw new OpenmatesError('operation-failed', 'FakeEngine has no archives; use FakeVolumeEngine.');
  }
  async putArchive(_containerId: string, _path: string, _tar: NodeJS.ReadableStream): Promise<void> {
    throw new OpenmatesError('operation-failed', 'FakeEngine has no archives; use FakeVolumeEngine.');
  }
  /** Per container id; a running container without an entry samples as idle. */
  stats = new Map<string, ContainerStats>();
  statsCalls = 0;
  inspectCalls = 0;
  /** Volume sizes in bytes; a volume without an entry has no known size. */
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
  imageBytes = new Map<string, number>();
  async imageSizes(refs: string[]) {
    return Object.fromEntries(refs.filter((ref) => this.images.has(ref)).map((ref) => [ref, this.imageBytes.get(ref) ?? 1000]));
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
  downs = 0;
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
  /** Removes the project's containers (every container when no project is given). */
  async down(project?: ComposeProject) {
    this.downs++;
    this.engine.containers = project ? this.engine.containers.filter((c) => !c.name.startsWith(`${project.name}-`)) : [];
  }
  stopCount = 0;
  /** Stops the project's running containers (only `services` when given), keeping them. */
  async stop(_project: ComposeProject, services: string[] = []) {
    this.stopCount++;
    this.engine.containers = this.engine.containers.map((c) =>
      (c.state === 'running' || c.state === 'restarting') && (services.length === 0 || services.includes(c.service)) ? { ...c, state: 'exited' as const, exitCode: 0, health: undefined } : c,
    );
  }
  async waitForOtherRuns() {
    return [];
  }
  async start(_project: ComposeProject, _services: string[]) {}
  /** What `config -q` prints: empty when Compose accepts the file. */
  validateErrors: string[] = [];
  async validate() {
    return this.validateErrors;
  }
}

/**
 * Volumes and archives for backup/restore tests: a volume's content is an opaque buffer (the tar
 * the engine would send), helper containers remember their mounts, and `calls` records the
 * order of what was done.
 */
export class FakeVolumeEngine extends FakeEngine {
  volumeDetails = new Map<string, VolumeDetails>();
  volumeContent = new Map<string, Buffer>();
  /** Which volumes each container (by id) mounts. */
  containerMounts = new Map<string, string[]>();
  helpers = new Map<string, HelperContainerOptions>();
  /** getArchive of this volume fails half-way. */
  failingVolume?: string;
  calls: string[] = [];
  private nextHelper = 0;

  addVolume(name: string, content: Buffer, labels: Record<string, string> = {}) {
    this.volumes.add(name);
    this.volumeDetails.set(name, { name, driver: 'local', options: {}, labels, mountpoint: `/var/lib/docker/volumes/${name}/_data` });
    this.volumeContent.set(name, content);
  }
  override async inspectVolume(name: string) {
    return this.volumeDetails.get(name);
  }
  override async createVolume(volume: Omit<VolumeDetails, 'mountpoint'>) {
    this.calls.push(`create-volume ${volume.name}`);
    this.addVolume(volume.name, Buffer.alloc(0), volume.labels);
  }
  override async removeVolume(name: string) {
    const users = await this.containersUsingVolume(name);
    if (users.length > 0) throw new OpenmatesError('unsafe', `The volume ${name} is still used by a container.`);
    this.calls.push(`remove-volume ${name}`);
    this.volumes.delete(name);
    this.volumeDetails.delete(name);
    this.volumeContent.delete(name);
  }
  override async containersUsingVolume(name: string): Promise<VolumeUser[]> {
    const users: VolumeUser[] = this.containers
      .filter((c) => this.containerMounts.get(c.id)?.includes(name))
      .map((c) => ({ id: c.id, name: c.name, image: c.image, state: c.state, project: c.name.split('-')[0]!, service: c.service }));
    for (const [id, helper] of this.helpers) {
      if (helper.mounts.some((mount) => mount.volume === name)) users.push({ id, name: helper.name, image: helper.image, state: 'created' });
    }
    return users;
  }
  override async createHelperContainer(options: HelperContainerOptions) {
    if (!this.images.has(options.image)) throw new OpenmatesError('operation-failed', `No such image: ${options.image}.`);
    const id = `helper-${this.nextHelper++}`;
    this.helpers.set(id, options);
    for (const mount of options.mounts) if (!this.volumes.has(mount.volume)) this.addVolume(mount.volume, Buffer.alloc(0));
    return id;
  }
  override async removeContainer(id: string) {
    this.helpers.delete(id);
    this.containers = this.containers.filter((c) => c.id !== id);
  }
  override async containersWithLabel(key: string, value: string) {
    return [...this.helpers].filter(([, helper]) => helper.labels[key] === value).map(([id]) => id);
  }
  private mountedVolume(containerId: string): string {
    const volume = this.helpers.get(containerId)?.mounts[0]?.volume;
    if (!volume) throw new OpenmatesError('operation-failed', `No such container: ${containerId}.`);
    return volume;
  }
  override async getArchive(containerId: string) {
    const volume = this.mountedVolume(containerId);
    this.calls.push(`get-archive ${volume}`);
    const content = this.volumeContent.get(volume) ?? Buffer.alloc(0);
    if (this.failingVolume === volume) {
      return Readable.from(
        (async function* () {
          yield content.subarray(0, Math.floor(content.length / 2));
          throw new OpenmatesError('operation-failed', `The engine stopped sending ${volume}.`);
        })(),
      );
    }
    return Readable.from([content]);
  }
  override async putArchive(containerId: string, _path: string, tar: NodeJS.ReadableStream) {
    const volume = this.mountedVolume(containerId);
    this.calls.push(`put-archive ${volume}`);
    const chunks: Buffer[] = [];
    for await (const chunk of tar) chunks.push(Buffer.from(chunk as Buffer));
    this.volumeContent.set(volume, Buffer.concat([this.volumeContent.get(volume) ?? Buffer.alloc(0), ...chunks]));
  }
}

/** FakeCompose that also records stop/start and changes the containers' state. */
export class FakeVolumeCompose extends FakeCompose {
  stops: string[][] = [];
  starts: string[][] = [];
  constructor(
    private readonly volumeEngine: FakeVolumeEngine,
    makeContainers: () => ContainerSummary[],
  ) {
    super(volumeEngine, makeContainers);
  }
  override async up() {
    this.volumeEngine.calls.push('compose up');
    await super.up();
  }
  override async down(project?: ComposeProject) {
    this.volumeEngine.calls.push('compose down');
    await super.down(project);
  }
  override async stop(_project: ComposeProject, services: string[]) {
    this.stops.push(services);
    this.volumeEngine.calls.push(`compose stop ${services.join(' ')}`);
    for (const c of this.volumeEngine.containers) if (services.length === 0 || services.includes(c.service)) c.state = 'exited';
  }
  override async start(_project: ComposeProject, services: string[]) {
    this.starts.push(services);
    this.volumeEngine.calls.push(`compose start ${services.join(' ')}`);
    for (const c of this.volumeEngine.containers) if (services.length === 0 || services.includes(c.service)) c.state = 'running';
  }
}
