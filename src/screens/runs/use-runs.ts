import { useEffect, useRef, useState } from 'react';
import { listRuns, type RunEngine, type RunInfo } from '../../core/runs/index.js';

export type RunsView = { state: 'loading' } | { state: 'ready'; runs: RunInfo[] } | { state: 'failed'; error: unknown };

/** How often the list is read again. */
export const RUNS_REFRESH_MS = 2000;

/**
 * The runs, newest first, read again every `intervalMs` while the screen is open. A change of
 * `round` reads at once (after a failure it connects again: "try again"). The engine is kept for the other
 * actions (logs, cancel). A failed read stops the polling until the next round.
 */
export function useRuns(connect: () => Promise<RunEngine>, round: number, intervalMs = RUNS_REFRESH_MS): { view: RunsView; engine: RunEngine | undefined } {
  const [view, setView] = useState<RunsView>({ state: 'loading' });
  const engine = useRef<RunEngine | undefined>(undefined);
  useEffect(() => {
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setView((current) => (current.state === 'failed' ? { state: 'loading' } : current));
    const read = async () => {
      try {
        engine.current ??= await connect();
        const runs = await listRuns(engine.current);
        if (!active) return;
        setView({ state: 'ready', runs });
        timer = setTimeout(() => void read(), intervalMs);
      } catch (error) {
        if (!active) return;
        engine.current = undefined;
        setView({ state: 'failed', error });
      }
    };
    void read();
    return () => {
      active = false;
      if (timer) clearTimeout(timer);
    };
  }, [connect, round, intervalMs]);
  return { view, engine: engine.current };
}
