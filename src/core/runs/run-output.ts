import { findRun } from './run-control.js';
import { runContainerName, runInfo } from './run-labels.js';
import type { RunEngine } from './run-engine.js';
import type { RunInfo } from './run-types.js';

export type RunOutput = (stream: 'stdout' | 'stderr', bytes: Buffer) => void;

/**
 * A run's output from its start: with `follow` until the run ends (or the signal aborts), else
 * what it wrote so far. A follow that raced the container's end (the engine then answers it with
 * less than was written) is completed from the stored log, so no output is lost or doubled.
 * Answers the run as it is then.
 */
export async function runOutput(engine: RunEngine, id: string, options: { follow: boolean; signal?: AbortSignal }, onOutput: RunOutput): Promise<RunInfo> {
  // A full id is found by its container's name: one inspect instead of listing every run.
  const container = (await engine.inspect(runContainerName(id))) ?? (await findRun(engine, id)).container;
  const run = runInfo(container);
  const written = { stdout: 0, stderr: 0 };
  const emit: RunOutput = (stream, bytes) => {
    written[stream] += bytes.byteLength;
    onOutput(stream, bytes);
  };
  if (options.follow && run.status === 'running') {
    await engine.logs(container.id, { follow: true, ...(options.signal ? { signal: options.signal } : {}) }, emit);
    if (options.signal?.aborted) return runInfo((await engine.inspect(container.id)) ?? container);
    await engine.wait(container.id).catch(() => undefined);
  }
  const seen = { stdout: 0, stderr: 0 };
  await engine.logs(container.id, { follow: false }, (stream, bytes) => {
    const from = Math.max(0, written[stream] - seen[stream]);
    seen[stream] += bytes.byteLength;
    if (from < bytes.byteLength) emit(stream, bytes.subarray(from));
  });
  return runInfo((await engine.inspect(container.id)) ?? container);
}
