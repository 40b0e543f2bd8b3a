import { useEffect, useState } from 'react';
import { findRun, isFinished, type RunEngine, type RunInfo } from '../../core/runs/index.js';

/** Lines kept of a run's output; older ones are dropped. */
export const RUN_LOG_CAPACITY = 5_000;
/** New output is drawn at most this often. */
const FLUSH_MS = 50;

export type RunLogsView =
  | { state: 'loading' }
  | { state: 'following' | 'ended'; run: RunInfo; lines: string[] }
  | { state: 'failed'; error: unknown };

/** Splits output into lines across chunks; the unfinished last line is shown as it is. */
class LineCollector {
  private lines: string[] = [];
  private partial = '';
  private readonly decoder = new TextDecoder();
  constructor(private readonly capacity: number) {}
  push(bytes: Buffer): void {
    const parts = (this.partial + this.decoder.decode(bytes, { stream: true })).split('\n');
    this.partial = parts.pop()!;
    this.lines.push(...parts.map((line) => line.replace(/\r$/, '')));
    if (this.lines.length > this.capacity) this.lines = this.lines.slice(-this.capacity);
  }
  snapshot(): string[] {
    return this.partial ? [...this.lines, this.partial] : [...this.lines];
  }
}

/**
 * A run's output from its start: followed while it runs, then read once more from the stored log
 * when it ends (the whole output, however the follow raced the end), with the run as it ended.
 */
export function useRunLogs(engine: RunEngine, id: string, capacity = RUN_LOG_CAPACITY): RunLogsView {
  const [view, setView] = useState<RunLogsView>({ state: 'loading' });
  useEffect(() => {
    const stop = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const follow = async () => {
      const { run, container } = await findRun(engine, id);
      const collector = new LineCollector(capacity);
      const draw = () => {
        timer = undefined;
        if (!stop.signal.aborted) setView({ state: 'following', run, lines: collector.snapshot() });
      };
      if (!isFinished(run)) {
        draw();
        await engine.logs(container.id, { follow: true, signal: stop.signal }, (_stream, bytes) => {
          collector.push(bytes);
          timer ??= setTimeout(draw, FLUSH_MS);
        });
        if (stop.signal.aborted) return;
        await engine.wait(container.id).catch(() => undefined);
      }
      const stored = new LineCollector(capacity);
      await engine.logs(container.id, { follow: false }, (_stream, bytes) => stored.push(bytes));
      const ended = (await findRun(engine, id)).run;
      if (timer) clearTimeout(timer);
      if (!stop.signal.aborted) setView({ state: 'ended', run: ended, lines: stored.snapshot() });
    };
    follow().catch((error: unknown) => !stop.signal.aborted && setView({ state: 'failed', error }));
    return () => {
      stop.abort();
      if (timer) clearTimeout(timer);
    };
  }, [engine, id, capacity]);
  return view;
}
