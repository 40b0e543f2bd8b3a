import type { ContainerStats, ContainerSummary } from '../../docker/types.js';
import { serviceStatuses } from '../health/service-state.js';
import { isHealthy } from '../health/wait-for-healthy.js';
import type { HealthCheckResult } from '../status/types.js';
import type { DashboardService, DashboardSnapshot, EngineConnection, HostMetrics } from './types.js';

export interface DashboardBase {
  installDir: string;
  project: string;
  version: string;
  urls: { name: string; url: string }[];
  expectedServices: string[];
  oneShotServices: string[];
}

/**
 * What the dashboard knows, kept by container id: the watch feeds it containers (all at once on
 * connect, then one at a time as events name them), stats samples, health checks and host
 * metrics; snapshot() turns that into one row per service.
 */
export class DashboardModel {
  private readonly containers = new Map<string, ContainerSummary>();
  private readonly stats = new Map<string, ContainerStats>();
  checks: HealthCheckResult[] = [];
  host: HostMetrics | undefined;
  engine: EngineConnection = { state: 'connecting' };
  sampledAt: number | undefined;

  constructor(private readonly base: DashboardBase) {}

  replaceAll(containers: readonly ContainerSummary[]): void {
    this.containers.clear();
    for (const container of containers) this.containers.set(container.id, container);
    for (const id of this.stats.keys()) if (!this.isRunning(id)) this.stats.delete(id);
  }

  upsert(container: ContainerSummary): void {
    this.containers.set(container.id, container);
    if (container.state !== 'running') this.stats.delete(container.id);
  }

  remove(id: string): void {
    this.containers.delete(id);
    this.stats.delete(id);
  }

  setStats(id: string, stats: ContainerStats | undefined): void {
    if (stats && this.isRunning(id)) this.stats.set(id, stats);
    else this.stats.delete(id);
  }

  /** Forgets the samples (they go stale while the engine is away); the containers stay as last seen. */
  clearStats(): void {
    this.stats.clear();
  }

  runningContainerIds(): string[] {
    return [...this.containers.values()].filter((container) => container.state === 'running').map((container) => container.id);
  }

  private isRunning(id: string): boolean {
    return this.containers.get(id)?.state === 'running';
  }

  snapshot(): DashboardSnapshot {
    const containers = [...this.containers.values()].sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
    const statuses = serviceStatuses(containers, this.base.expectedServices, this.base.oneShotServices);
    const byName = new Map(containers.map((container) => [container.name, container]));
    const services = statuses.map((status): DashboardService => {
      const container = byName.get(status.container);
      const stats = container ? this.stats.get(container.id) : undefined;
      return {
        service: status.service,
        container: status.container,
        state: status.state,
        engineState: status.engineState,
        ...(container?.health ? { health: container.health } : {}),
        exitCode: container?.exitCode ?? 0,
        ...(status.startedAt ? { startedAt: status.startedAt } : {}),
        restartCount: status.restartCount,
        ...(stats ? { cpuPercent: stats.cpuPercent, memoryBytes: stats.memoryBytes, memoryLimitBytes: stats.memoryLimitBytes } : {}),
      };
    });
    return {
      installed: true,
      installDir: this.base.installDir,
      project: this.base.project,
      version: this.base.version,
      urls: this.base.urls,
      services,
      checks: this.checks,
      healthy: this.engine.state === 'live' && isHealthy({ services: statuses, checks: this.checks }),
      ...(this.host ? { host: this.host } : {}),
      engine: this.engine,
      ...(this.sampledAt !== undefined ? { sampledAt: this.sampledAt } : {}),
    };
  }
}
