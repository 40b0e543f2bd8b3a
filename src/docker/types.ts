/**
 * What the core needs from Docker. src/docker/ implements it with dockerode (engine API) and
 * execa (the Compose CLI, only for up/down); unit tests implement it with small fakes.
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
  /** Containers of any project that publish the given host port. */
  containersPublishingPort(port: number): Promise<{ name: string; project?: string }[]>;
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
   */
  watchContainerEvents(project: string, onEvent: (event: ContainerEvent) => void, signal: AbortSignal): Promise<void>;
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
}
