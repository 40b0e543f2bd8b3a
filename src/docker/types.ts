/**
 * What the core needs from Docker. src/docker/ implements it with dockerode (engine API) and
 * execa (the Compose CLI, only for up/down/stop); unit tests implement it with small fakes.
 */

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ContainerSummary {
  id: string;
  /** Container name without the leading "/". */
  name: string;
  /** Value of the com.docker.compose.service label. */
  service: string;
  image: string;
  state: ContainerState;
  /** Docker healthcheck status, when the container declares one. */
  health?: 'starting' | 'healthy' | 'unhealthy';
  exitCode: number;
  /** ISO time the container last started, when it has. */
  startedAt?: string;
  restartCount: number;
  /** The container's restart policy name ("no", "always", "unless-stopped", "on-failure"). */
  restartPolicy: string;
  ports: { hostIp: string; hostPort: number; containerPort: number }[];
  /** com.docker.compose.oneoff: a `compose run` container, not one of the service's own. */
  oneOff?: boolean;
  /** com.docker.compose.container-number: which replica of the service (1 unless scaled). */
  containerNumber?: number;
  /** ISO time the container was created. */
  created?: string;
}

/** A container as one list call describes it (host facts: what runs on this machine). */
export interface ContainerBrief {
  name: string;
  image: string;
  state: ContainerState;
  /** From the engine's status text ("Up 2 hours (healthy)"), when the container declares a healthcheck. */
  health?: 'starting' | 'healthy' | 'unhealthy';
}

/** A change to one of a project's containers, from the engine's event stream. */
export interface ContainerEvent {
  /** "create", "start", "die", "stop", "kill", "restart", "destroy", "health_status", "oom", ... */
  action: string;
  containerId: string;
  containerName?: string;
  /** The com.docker.compose.service label. */
  service?: string;
  /** For "health_status": healthy | unhealthy | starting. */
  health?: string;
  /** For "die". */
  exitCode?: number;
  /** Milliseconds since the epoch. */
  time: number;
}

export interface EngineInfo {
  serverVersion: string;
  apiVersion: string;
  /** As the engine reports it: "x86_64", "aarch64", ... */
  architecture: string;
  memoryBytes: number;
  dockerRootDir: string;
  /** The engine host's name (Docker Desktop's VM says "docker-desktop"): tells whether it is this machine. */
  hostName: string;
  /** e.g. "name=rootless", "name=userns": ids inside volumes are then not the host's. */
  securityOptions: string[];
}

export interface PullProgress {
  bytesDone: number;
  bytesTotal: number;
  layersDone: number;
  layersTotal: number;
}

export interface DockerEngine {
  /** Where we talk to, for messages: "unix:///var/run/docker.sock", "tcp://...". */
  readonly endpoint: string;
  /** Throws OpenmatesError('engine-unreachable') naming the endpoint and the fix. */
  ping(): Promise<void>;
  info(): Promise<EngineInfo>;
  /** Containers (running or not) with label com.docker.compose.project=<project>. */
  projectContainers(project: string): Promise<ContainerSummary[]>;
  /** Every container on the engine (any project or none, running or not), from one list call: no inspect per container. */
  allContainers(): Promise<ContainerBrief[]>;
  /** Containers of any project that publish the given host port. */
  containersPublishingPort(port: number): Promise<{ name: string; project?: string }[]>;
  /**
   * The group id of the Docker socket as containers that bind-mount /var/run/docker.sock see it;
   * undefined when the engine is not on this machine or the socket cannot be read.
   */
  socketGroupId(): Promise<number | undefined>;
  /** Containers (of any project, running or not) whose name is exactly one of `names`. */
  containersNamed(names: string[]): Promise<NamedContainer[]>;
  networkExists(name: string): Promise<boolean>;
  createNetwork(name: string): Promise<void>;
  /** The subset of `names` that exist as volumes. */
  existingVolumes(names: string[]): Promise<string[]>;
  imageExists(ref: string): Promise<boolean>;
  /**
   * Pulls through the engine API, reporting progress; throws OpenmatesError('operation-failed')
   * with the registry's own message when the stream carries an error line.
   */
  pullImage(ref: string, onProgress: (progress: PullProgress) => void, signal?: AbortSignal): Promise<void>;
  /** The last `lines` log lines (stdout and stderr, demultiplexed) of a container. */
  containerLogTail(id: string, lines: number): Promise<string[]>;
  /**
   * Follows the engine's events for the project's containers until `signal` aborts (then it
   * resolves); rejects with OpenmatesError('engine-unreachable') when the engine goes away.
   * `actions`: only these (the engine filters them, so e.g. healthcheck exec_* events never arrive);
   * "health_status" covers every "health_status: ..." event.
   */
  watchContainerEvents(project: string, onEvent: (event: ContainerEvent) => void, signal: AbortSignal, actions?: readonly string[]): Promise<void>;
  /** Volumes labelled com.docker.compose.project=<project> (exact), e.g. ones Compose named itself. */
  projectVolumes(project: string): Promise<string[]>;
  /** The network with exactly this name, or undefined: whether openmates created it, and who is attached. */
  networkDetails(name: string): Promise<{ createdByOpenmates: boolean; containers: string[] } | undefined>;
  /**
   * Removes the network with exactly this name; a missing one is fine. "has-active-endpoints": the
   * engine kept it because it counts endpoints on it (with none attached, Docker's stale-endpoint
   * bug, moby/moby#33156).
   */
  removeNetwork(name: string): Promise<'removed' | 'has-active-endpoints'>;

  // Volumes and archives (backups and restore).
  /** A volume's driver, options and labels; undefined when there is no such volume. */
  inspectVolume(name: string): Promise<VolumeDetails | undefined>;
  createVolume(volume: Omit<VolumeDetails, 'mountpoint'>): Promise<void>;
  /** Removes a volume; OpenmatesError('unsafe') when a container still uses it. Missing is fine. */
  removeVolume(name: string): Promise<void>;
  /** Containers (of any project, running or not) that mount the volume. */
  containersUsingVolume(name: string): Promise<VolumeUser[]>;
  /** Creates (never starts) a container with volumes mounted, for reading and writing them through archives. */
  createHelperContainer(options: HelperContainerOptions): Promise<string>;
  /** Force-removes a container (its named volumes stay); a missing one is fine. */
  removeContainer(id: string): Promise<void>;
  /** IDs of containers (running or not) carrying the label `key=value`. */
  containersWithLabel(key: string, value: string): Promise<string[]>;
  /** A tar stream of `path` in a container; it errors when the engine stays silent too long. */
  getArchive(containerId: string, path: string, signal?: AbortSignal): Promise<NodeJS.ReadableStream>;
  /** Extracts a tar stream into `path` (a directory) of a container. */
  putArchive(containerId: string, path: string, tar: NodeJS.ReadableStream, signal?: AbortSignal): Promise<void>;
  /** Bytes of each image present on this server (absent when the image is not here). */
  imageSizes(refs: string[]): Promise<Record<string, number>>;
  /** One container by id, as projectContainers describes it; undefined when it no longer exists. */
  containerSummary(id: string): Promise<ContainerSummary | undefined>;
  /**
   * One CPU and memory sample (GET /containers/{id}/stats?stream=false: the engine takes two
   * readings about a second apart); undefined when the container is not running or is gone.
   */
  containerStats(id: string, signal?: AbortSignal): Promise<ContainerStats | undefined>;
  /** The subset of `names` that exist as volumes, with their size when the engine can tell it. */
  volumeSizes(names: string[]): Promise<VolumeSize[]>;
  /**
   * Removes exactly these volumes, by full name (never a prefix or pattern); missing ones are
   * skipped. Returns the ones removed. A volume still used by a container is an error naming it.
   */
  removeVolumes(names: string[]): Promise<string[]>;
  /**
   * Reads a container's log (stdout and stderr, demultiplexed unless it has a TTY) and hands it
   * over in batches, one per chunk the engine sends (with `follow`, then what it writes next).
   * When `onLines` returns a promise, reading waits for it (backpressure). Resolves when the log
   * ends (all read, or with `follow` the container stopped), when `signal` aborts, or at once when
   * the container no longer exists; rejects with OpenmatesError('engine-unreachable') when the
   * engine goes away.
   */
  followContainerLog(id: string, options: ContainerLogOptions, onLines: (lines: ContainerLogLine[]) => void | Promise<void>, signal: AbortSignal): Promise<void>;
}

export interface ContainerLogOptions {
  /** Keep reading what the container writes until it stops. */
  follow: boolean;
  /** Start this many lines from the end; undefined: the whole log. */
  tail?: number;
  /** Only lines written at or after this time, in Unix seconds (fractions allowed). */
  since?: number;
  /** Only what the container wrote in its current run (since its previous run ended); the later bound if `since` is given too. */
  sinceLastStart?: boolean;
}

export interface ContainerLogLine {
  stream: 'stdout' | 'stderr';
  /** The engine's timestamp of the line (RFC 3339 with nanoseconds, UTC). */
  time: string;
  /** The line without its newline. */
  text: string;
}

export interface VolumeDetails {
  name: string;
  driver: string;
  options: Record<string, string>;
  labels: Record<string, string>;
  /** Where the engine keeps it on its host (local driver). */
  mountpoint: string;
}

export interface NamedContainer {
  name: string;
  state: ContainerState;
  /** com.docker.compose.project / .service labels, when it has them. */
  project?: string;
  service?: string;
}

export interface VolumeUser {
  id: string;
  name: string;
  image: string;
  state: ContainerState;
  /** com.docker.compose.project / .service labels, when it has them. */
  project?: string;
  service?: string;
}

export interface HelperContainerOptions {
  name: string;
  image: string;
  labels: Record<string, string>;
  mounts: { volume: string; target: string }[];
}

export interface ContainerStats {
  /** As `docker stats` shows it: 100 = one core busy. */
  cpuPercent: number;
  /** Memory in use without the reclaimable page cache, as `docker stats` shows it. */
  memoryBytes: number;
  /** The container's limit, or the host's memory when it has none. */
  memoryLimitBytes: number;
  onlineCpus: number;
}

export interface VolumeSize {
  name: string;
  /** Undefined when the engine could not tell (it measures sizes only on request, and slowly). */
  sizeBytes?: number;
}

export interface ComposeProject {
  name: string;
  composeFile: string;
  envFile: string;
}

export interface ComposeCli {
  /** "docker compose" (v2 plugin) or "docker-compose" (v1). */
  readonly command: string;
  readonly version: string;
  /** `up -d`; throws OpenmatesError('operation-failed') with Compose's stderr tail. */
  up(project: ComposeProject, signal?: AbortSignal): Promise<void>;
  /** `down` (keeps volumes). */
  down(project: ComposeProject, signal?: AbortSignal): Promise<void>;
  /** `stop <services>` (all of the project's services when the list is empty). */
  stop(project: ComposeProject, services: string[], signal?: AbortSignal): Promise<void>;
  /**
   * `config -q`: Compose's own check of the file with the project's env file. Returns what
   * Compose printed when it rejects the file (empty when it accepts it, or did not answer in time).
   */
  validate(project: ComposeProject, signal?: AbortSignal): Promise<string[]>;
  /** `start <services>`: starts existing, stopped containers again. */
  start(project: ComposeProject, services: string[], signal?: AbortSignal): Promise<void>;
  /**
   * Waits for Compose runs on the project that another process left behind (an openmates killed
   * mid-update leaves its Compose child running) to end, stopping them at the deadline. Returns their pids.
   */
  waitForOtherRuns(project: string, timeoutMs: number, signal?: AbortSignal): Promise<number[]>;
}
