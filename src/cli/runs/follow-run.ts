import { findRun, runContainerName, runInfo, type RunEngine, type RunInfo } from '../../core/runs/index.js';
import { writeJsonLine } from '../render/json-lines.js';

type Stream = 'stdout' | 'stderr';

/**
 * Streams a run's output (from its start) until it ends or `signal` aborts; answers the run as it
 * is then. A follow that raced the container's end (the engine then answers it with less than
 * was written) is completed from the stored log, so no output is lost. A full id is looked up
 * by its container's name (one inspect instead of listing every run).
 */
export async function followRun(engine: RunEngine, id: string, out: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; json: boolean }, signal: AbortSignal): Promise<RunInfo> {
  const container = (await engine.inspect(runContainerName(id))) ?? (await findRun(engine, id)).container;
  const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  const written = { stdout: 0, stderr: 0 };
  const emit = (stream: Stream, bytes: Buffer) => {
    written[stream] += bytes.byteLength;
    if (out.json) {
      const text = decoders[stream].decode(bytes, { stream: true });
      if (text) writeJsonLine(out.stdout, { type: 'output', stream, text });
    } else out[stream].write(bytes);
  };
  await engine.logs(container.id, { follow: true, signal }, emit);
  if (signal.aborted) return (await findRun(engine, id)).run;
  await engine.wait(container.id).catch(() => undefined);
  const seen = { stdout: 0, stderr: 0 };
  await engine.logs(container.id, { follow: false }, (stream, bytes) => {
    const from = Math.max(0, written[stream] - seen[stream]);
    seen[stream] += bytes.byteLength;
    if (from < bytes.byteLength) emit(stream, bytes.subarray(from));
  });
  return runInfo((await engine.inspect(container.id)) ?? container);
}
