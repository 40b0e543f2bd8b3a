/**
 * One CPU and memory sample of a container, computed the way `docker stats` does, so the numbers
 * match what a user sees there.
 */
import type { ContainerStats } from './types.js';

/** The parts of GET /containers/{id}/stats (one frame) the formulas read. */
export interface RawStats {
  read?: string;
  cpu_stats?: RawCpuStats;
  precpu_stats?: RawCpuStats;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
}

interface RawCpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null };
  system_cpu_usage?: number;
  online_cpus?: number;
}

/**
 * CPU %: the container's CPU time over the host's between the two samples the frame holds,
 * times the online CPUs, times 100 (so one busy core is 100 %). 0 when there is no earlier sample.
 */
export function cpuPercent(raw: RawStats): number {
  const now = raw.cpu_stats;
  const before = raw.precpu_stats;
  if (!now || !before) return 0;
  const cpuDelta = (now.cpu_usage?.total_usage ?? 0) - (before.cpu_usage?.total_usage ?? 0);
  const systemDelta = (now.system_cpu_usage ?? 0) - (before.system_cpu_usage ?? 0);
  const onlineCpus = now.online_cpus || now.cpu_usage?.percpu_usage?.length || 0;
  if (systemDelta <= 0 || cpuDelta <= 0) return 0;
  return (cpuDelta / systemDelta) * onlineCpus * 100;
}

/**
 * Memory in use without the page cache the kernel can drop: usage minus total_inactive_file on
 * cgroup v1, minus inactive_file on cgroup v2 (the docker CLI since 20.10); engines too old to
 * report either give `cache`, which older CLIs subtracted.
 */
export function memoryUsage(raw: RawStats): number {
  const usage = raw.memory_stats?.usage ?? 0;
  const stats = raw.memory_stats?.stats ?? {};
  const v1 = stats.total_inactive_file;
  if (v1 !== undefined && v1 < usage) return usage - v1;
  const v2 = stats.inactive_file;
  if (v2 !== undefined && v2 < usage) return usage - v2;
  const cache = stats.cache;
  if (v1 === undefined && v2 === undefined && cache !== undefined && cache < usage) return usage - cache;
  return usage;
}

export function toContainerStats(raw: RawStats): ContainerStats {
  return {
    cpuPercent: cpuPercent(raw),
    memoryBytes: memoryUsage(raw),
    memoryLimitBytes: raw.memory_stats?.limit ?? 0,
    onlineCpus: raw.cpu_stats?.online_cpus || raw.cpu_stats?.cpu_usage?.percpu_usage?.length || 0,
  };
}
