/**
 * Host facts, cached: a refresh at most every 2 s (by default), and callers who ask while one runs
 * share it, so attaching the facts to every response costs next to nothing.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg, uptime } from 'node:os';
import { messageOf } from '../errors.js';
import { cpuBusyPercent, parseMeminfo, parseProcStat, type CpuTimes } from '../dashboard/host-metrics.js';
import { readDisks } from './disks.js';
import { readListeningPorts } from './listening-ports.js';
import { readScripts } from './scripts.js';
import type { ContainerLister, HostFacts } from './types.js';

export const DEFAULT_MAX_AGE_MS = 2000;
const DEFAULT_ENGINE_TIMEOUT_MS = 2000;
/** The first refresh has no earlier CPU sample: it takes two this far apart. */
const FIRST_CPU_SAMPLE_MS = 100;

export interface HostFactsOptions {
  /** The Docker engine, connected when first needed; a rejection or a timeout marks containers unavailable. */
  engine?: () => Promise<ContainerLister>;
  maxAgeMs?: number;
  engineTimeoutMs?: number;
}

export interface HostFactsSource {
  get(): Promise<HostFacts>;
}

async function cpuTimes(): Promise<CpuTimes | undefined> {
  return readFile('/proc/stat', 'utf8').then(parseProcStat, () => undefined);
}

async function memory(): Promise<HostFacts['memory']> {
  const fromProc = await readFile('/proc/meminfo', 'utf8').then(parseMeminfo, () => undefined);
  if (fromProc) return fromProc;
  const { totalmem, freemem } = await import('node:os');
  return { totalBytes: totalmem(), availableBytes: freemem() };
}

async function uptimeSeconds(): Promise<number> {
  const text = await readFile('/proc/uptime', 'utf8').catch(() => undefined);
  const value = text ? Number(text.split(' ')[0]) : Number.NaN;
  return Math.floor(Number.isFinite(value) ? value : uptime());
}

async function containers(options: HostFactsOptions): Promise<HostFacts['containers']> {
  if (!options.engine) return { unavailable: 'no Docker engine is configured' };
  const timeoutMs = options.engineTimeoutMs ?? DEFAULT_ENGINE_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the Docker engine did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const listed = await Promise.race([options.engine().then((engine) => engine.allContainers()), timeout]);
    return listed.map(({ name, image, state, health }) => ({ name, image, state, ...(health ? { health } : {}) }));
  } catch (error) {
    return { unavailable: messageOf(error) };
  } finally {
    clearTimeout(timer);
  }
}

export function createHostFacts(options: HostFactsOptions = {}): HostFactsSource {
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  let cached: { at: number; facts: HostFacts } | undefined;
  let refreshing: Promise<HostFacts> | undefined;
  let previousCpu: CpuTimes | undefined;

  const cpuPercent = async (): Promise<number> => {
    let before = previousCpu;
    if (!before) {
      before = await cpuTimes();
      await new Promise((resolve) => setTimeout(resolve, FIRST_CPU_SAMPLE_MS));
    }
    const now = await cpuTimes();
    if (now) previousCpu = now;
    const percent = before && now ? cpuBusyPercent(before, now) : undefined;
    return Math.round((percent ?? 0) * 10) / 10;
  };

  const refresh = async (): Promise<HostFacts> => {
    const [usedPercent, mem, up, disks, ports, scripts, running] = await Promise.all([
      cpuPercent(),
      memory(),
      uptimeSeconds(),
      readDisks(),
      readListeningPorts(),
      readScripts(),
      containers(options),
    ]);
    const facts: HostFacts = {
      takenAt: new Date().toISOString(),
      uptimeSeconds: up,
      cpu: { cores: availableParallelism(), usedPercent, load: loadavg().map((value) => Math.round(value * 100) / 100) as [number, number, number] },
      memory: mem,
      disks,
      ports,
      containers: running,
      scripts,
    };
    cached = { at: Date.now(), facts };
    return facts;
  };

  return {
    async get() {
      if (cached && Date.now() - cached.at < maxAgeMs) return cached.facts;
      refreshing ??= refresh().finally(() => {
        refreshing = undefined;
      });
      return refreshing;
    },
  };
}
