/**
 * Samples this process's memory every few milliseconds and keeps the sample taken at the highest
 * RSS, split the way V8 sees it: its heap spaces (young, old, code, large objects, ...), memory
 * outside the heap that V8 knows of (Buffers, Wasm), and the rest of the RSS (native code, the
 * allocator, thread stacks). For benchmarks that say where a peak came from.
 */
import { getHeapSpaceStatistics } from 'node:v8';

export interface MemorySample {
  rssMB: number;
  heapUsedMB: number;
  /** Committed size of each V8 heap space, by its name without `_space`. */
  spacesMB: Record<string, number>;
  /** Buffers, Wasm memory and other memory V8 is told about (includes arrayBuffers). */
  externalMB: number;
}

const MB = 1024 * 1024;

export function sampleMemory(): MemorySample {
  const usage = process.memoryUsage();
  const spacesMB: Record<string, number> = {};
  for (const space of getHeapSpaceStatistics()) spacesMB[space.space_name.replace(/_space$/, '')] = space.space_size / MB;
  return { rssMB: usage.rss / MB, heapUsedMB: usage.heapUsed / MB, spacesMB, externalMB: usage.external / MB };
}

export class MemorySampler {
  private highest: MemorySample = sampleMemory();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(everyMs = 20) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  sample(): MemorySample {
    const now = sampleMemory();
    if (now.rssMB > this.highest.rssMB) this.highest = now;
    return now;
  }

  /** The sample with the highest RSS so far. */
  get peak(): MemorySample {
    return this.highest;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** "heap 80 MB (new 32, old 40, ...), external 5 MB, the rest 60 MB" for a sample. */
export function describeSample(sample: MemorySample): string {
  const heap = Object.values(sample.spacesMB).reduce((sum, size) => sum + size, 0);
  const spaces = Object.entries(sample.spacesMB)
    .filter(([, size]) => size >= 0.5)
    .sort((a, b) => b[1] - a[1])
    .map(([name, size]) => `${name} ${size.toFixed(0)}`)
    .join(', ');
  const rest = sample.rssMB - heap - sample.externalMB;
  return `V8 heap ${heap.toFixed(0)} MB committed (${spaces}; ${sample.heapUsedMB.toFixed(0)} MB in use), external ${sample.externalMB.toFixed(0)} MB, the rest ${rest.toFixed(0)} MB`;
}
