import type { ComposeProject, VolumeSize } from '../../docker/types.js';
import type { ServiceHealth } from '../events.js';
import type { Stack } from '../stack/schema.js';
import type { HealthCheckResult, ServiceStatus } from '../status/types.js';

export type LifecycleAction = 'start' | 'stop' | 'restart';

export interface LifecycleOptions {
  installDir: string;
  action: LifecycleAction;
  /** Restart only: delete the stack's cache volumes between the stop and the start. */
  clearCache?: boolean;
  /** Seconds to wait for health after the start (default: the stack's healthTimeout). */
  healthTimeout?: number;
}

/**
 * What start / stop / restart will do, found out without changing anything. Plain data, so a
 * face can show it and ask before anything runs.
 */
export interface LifecyclePlan {
  action: LifecycleAction;
  installDir: string;
  project: string;
  version: string;
  stack: Stack;
  compose: ComposeProject;
  expectedServices: string[];
  oneShotServices: string[];
  /** Each service as it is now. */
  services: { service: string; state: ServiceHealth; engineState: string }[];
  expectedDowntime: {
    summary: string;
    /** Upper bound in seconds, when there is one (0: no downtime). */
    maxSeconds?: number;
  };
  clearCache: boolean;
  /**
   * Restart: the stack's `volumes.cache` volumes that exist now, with their sizes: exactly what
   * clearing the cache deletes (and only when clearCache is true). Empty for start and stop.
   */
  cacheVolumes: VolumeSize[];
  /** The stack's data volumes: never touched by start, stop or restart. */
  dataVolumes: string[];
  healthTimeout: number;
  steps: { id: string; title: string }[];
}

export interface LifecycleResult {
  action: LifecycleAction;
  project: string;
  version: string;
  installDir: string;
  services: ServiceStatus[];
  checks: HealthCheckResult[];
  urls: { name: string; url: string }[];
  /** The cache volumes deleted (restart with clearCache). */
  clearedVolumes: string[];
  logFile: string;
  durationSeconds: number;
  /** Restart: seconds from the start of the stop until the stack was healthy again. */
  downtimeSeconds?: number;
}
