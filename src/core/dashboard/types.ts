import type { ServiceHealth } from '../events.js';
import type { HealthCheckResult, InstanceStatus } from '../status/types.js';

/** One service on the dashboard: its container's state and health, and its last CPU/memory sample. */
export interface DashboardService {
  service: string;
  /** Container name; empty when the service has no container. */
  container: string;
  /** The summary state the rest of openmates uses ("healthy", "exited", "completed", ...). */
  state: ServiceHealth;
  /** Docker's own state word ("running", "exited", "restarting", ...) or "missing". */
  engineState: string;
  /** The Docker healthcheck's status, when the container has one. */
  health?: 'starting' | 'healthy' | 'unhealthy';
  exitCode: number;
  /** ISO time the container last started. */
  startedAt?: string;
  restartCount: number;
  /** From the last stats sample; undefined until sampled, or when not running. */
  cpuPercent?: number;
  memoryBytes?: number;
  memoryLimitBytes?: number;
}

export interface DiskUsage {
  /** What lives there: "install", "Docker", or "install, Docker" when both share a file system. */
  label: string;
  path: string;
  totalBytes: number;
  freeBytes: number;
}

export interface HostMetrics {
  /** Busy share of all CPUs since the previous sample, 0..100; undefined on the first sample. */
  cpuPercent?: number;
  cpuCount: number;
  loadAverage: [number, number, number];
  memoryTotalBytes: number;
  /** MemAvailable on Linux. */
  memoryAvailableBytes: number;
  disks: DiskUsage[];
}

export type EngineConnection =
  | { state: 'connecting' }
  | { state: 'live' }
  /** The engine went away (or never answered); the watch keeps trying every few seconds. */
  | { state: 'lost'; message: string; hint?: string; retryInSeconds: number };

export interface DashboardSnapshot {
  installed: boolean;
  installDir: string;
  project?: string;
  version?: string;
  urls: { name: string; url: string }[];
  services: DashboardService[];
  /** The stack's health URLs, checked every few stats rounds. */
  checks: HealthCheckResult[];
  /** Every service ready and every check answering. */
  healthy: boolean;
  host?: HostMetrics;
  engine: EngineConnection;
  /** When the last stats round finished (ms since the epoch). */
  sampledAt?: number;
  /** Not installed, but an uninstall kept the data here for a reinstall (see InstanceStatus). */
  keptData?: InstanceStatus['keptData'];
  /** An update left unfinished (or running right now), as status reports it. */
  interruptedUpdate?: InstanceStatus['interruptedUpdate'];
}

export interface DashboardOptions {
  installDir: string;
}
