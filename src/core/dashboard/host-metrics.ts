/**
 * This machine's CPU, memory and disks for the dashboard. CPU is the busy share between two
 * samples of /proc/stat (os.cpus() where there is none); memory is MemAvailable, what the kernel
 * can hand out without swapping; disks are statfs of the install dir and the engine's data root.
 */
import { readFile, stat, statfs } from 'node:fs/promises';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import type { DiskUsage, HostMetrics } from './types.js';

export interface CpuTimes {
  busy: number;
  total: number;
}

/** The aggregate "cpu" line of /proc/stat: idle and iowait count as idle; guest time is already in user. */
export function parseProcStat(text: string): CpuTimes | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (!line) return undefined;
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 4 || fields.some((value) => !Number.isFinite(value))) return undefined;
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = fields[3]! + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** Busy share of all CPUs between two samples, 0..100; undefined when no time passed. */
export function cpuBusyPercent(before: CpuTimes, after: CpuTimes): number | undefined {
  const total = after.total - before.total;
  if (total <= 0) return undefined;
  return Math.min(100, Math.max(0, ((after.busy - before.busy) / total) * 100));
}

export function parseMeminfo(text: string): { totalBytes: number; availableBytes: number } | undefined {
  const kb = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s*kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  const totalBytes = kb('MemTotal');
  const availableBytes = kb('MemAvailable');
  return totalBytes !== undefined && availableBytes !== undefined ? { totalBytes, availableBytes } : undefined;
}

async function readCpuTimes(): Promise<CpuTimes> {
  const fromProc = await readFile('/proc/stat', 'utf8').then(parseProcStat, () => undefined);
  if (fromProc) return fromProc;
  let busy = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const { user, nice, sys, idle, irq } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + idle + irq;
  }
  return { busy, total };
}

async function readMemory(): Promise<{ totalBytes: number; availableBytes: number }> {
  const fromProc = await readFile('/proc/meminfo', 'utf8').then(parseMeminfo, () => undefined);
  return fromProc ?? { totalBytes: totalmem(), availableBytes: freemem() };
}

export interface WatchedPath {
  label: string;
  path: string;
}

async function diskUsages(paths: readonly WatchedPath[]): Promise<DiskUsage[]> {
  const byDevice = new Map<number, DiskUsage>();
  const disks: DiskUsage[] = [];
  for (const { label, path } of paths) {
    try {
      const [{ dev }, fs] = await Promise.all([stat(path), statfs(path)]);
      const same = byDevice.get(dev);
      if (same) {
        same.label = `${same.label}, ${label}`;
        continue;
      }
      const disk = { label, path, totalBytes: fs.blocks * fs.bsize, freeBytes: fs.bavail * fs.bsize };
      byDevice.set(dev, disk);
      disks.push(disk);
    } catch {
      // Not there or not ours to read (a remote engine's root): left out.
    }
  }
  return disks;
}

/** Samples the host; CPU needs two samples, so the first one has no cpuPercent. */
export class HostSampler {
  private previous: CpuTimes | undefined;
  private readonly cpuCount = Math.max(1, cpus().length);

  constructor(private paths: WatchedPath[]) {}

  watchPath(path: WatchedPath): void {
    if (!this.paths.some((known) => known.path === path.path)) this.paths = [...this.paths, path];
  }

  async sample(): Promise<HostMetrics> {
    const [times, memory, disks] = await Promise.all([readCpuTimes(), readMemory(), diskUsages(this.paths)]);
    const cpuPercent = this.previous ? cpuBusyPercent(this.previous, times) : undefined;
    this.previous = times;
    return {
      ...(cpuPercent !== undefined ? { cpuPercent } : {}),
      cpuCount: this.cpuCount,
      loadAverage: loadavg() as [number, number, number],
      memoryTotalBytes: memory.totalBytes,
      memoryAvailableBytes: memory.availableBytes,
      disks,
    };
  }
}
