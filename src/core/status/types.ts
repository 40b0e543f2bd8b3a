import type { UpdatePhase } from '../update/types.js';
import type { ServiceHealth } from '../events.js';

export interface ServiceStatus {
  service: string;
  container: string;
  state: ServiceHealth;
  /** Docker's own state word ("running", "exited", ...). */
  engineState: string;
  startedAt?: string;
  restartCount: number;
}

export interface HealthCheckResult {
  name: string;
  url: string;
  /** Up: the answer the stack expects, or one it counts as degraded. */
  ok: boolean;
  /** "HTTP 200, status healthy", "connection refused", 'status is "unhealthy", expected "healthy"', ... */
  detail: string;
  /** Up with a warning: the answer matched the check's `degraded` fields. */
  degraded?: boolean;
  /** For a degraded answer, what it names as not healthy ("providers.openai unhealthy"). */
  reasons?: string[];
}

export interface InstanceStatus {
  installed: boolean;
  installDir: string;
  project?: string;
  version?: string;
  services: ServiceStatus[];
  checks: HealthCheckResult[];
  urls: { name: string; url: string }[];
  /** Installed, every service healthy/running/completed, and every check ok (degraded counts as ok). */
  healthy: boolean;
  /** Healthy, but a check answered degraded (see its reasons). */
  degraded: boolean;
  /** Not installed, but an uninstall kept the data here (the stack's volumes and .env) for a reinstall. */
  keptData?: { project: string; volumes: string[]; envFile: string; note: string };
  /** An update that was interrupted (or is running right now, `running`), found in the install dir. */
  interruptedUpdate?: UpdateInProgress;
}

export interface UpdateInProgress {
  from: string;
  to: string;
  phase: UpdatePhase;
  startedAt: string;
  /** Its process is still alive: an update is running, not interrupted. */
  running: boolean;
}
