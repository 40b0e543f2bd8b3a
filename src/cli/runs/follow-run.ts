import { runOutput, type RunEngine, type RunInfo } from '../../core/runs/index.js';
import { writeJsonLine } from '../render/json-lines.js';

/** A run's output on this terminal (or as JSON lines) until it ends or `signal` aborts. */
export async function followRun(engine: RunEngine, id: string, out: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; json: boolean; follow?: boolean }, signal: AbortSignal): Promise<RunInfo> {
  const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  return runOutput(engine, id, { follow: out.follow ?? true, signal }, (stream, bytes) => {
    if (!out.json) return void out[stream].write(bytes);
    const text = decoders[stream].decode(bytes, { stream: true });
    if (text) writeJsonLine(out.stdout, { type: 'output', stream, text });
  });
}
