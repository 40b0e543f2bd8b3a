import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventSink, OperationEvent } from '../core/events.js';
import { emptyProgress, foldEvents, progressWithPlannedSteps, type InstallProgress } from './install-progress.js';

/**
 * The install's view state, fed by an event sink. Events are queued and folded in one state update
 * per tick, so a burst of pull-progress events costs one render, not hundreds.
 */
export function useInstallProgress(flushEveryMs = 50): {
  progress: InstallProgress;
  /**
   * Clears the view (listing `plannedSteps` as pending) and returns the sink for a new run;
   * events from older runs are dropped.
   */
  startRun: (plannedSteps?: readonly { id: string; title: string }[]) => EventSink;
  /** Folds the queued events now (call before reading the outcome of a finished run). */
  flush: () => void;
} {
  const [progress, setProgress] = useState<InstallProgress>(emptyProgress);
  const queue = useRef<OperationEvent[]>([]);
  const run = useRef(0);

  const flush = useCallback(() => {
    if (queue.current.length === 0) return;
    const batch = queue.current;
    queue.current = [];
    setProgress((current) => foldEvents(current, batch));
  }, []);

  const startRun = useCallback((plannedSteps: readonly { id: string; title: string }[] = []): EventSink => {
    run.current += 1;
    const thisRun = run.current;
    queue.current = [];
    setProgress(plannedSteps.length > 0 ? progressWithPlannedSteps(plannedSteps) : emptyProgress);
    return (event) => {
      if (run.current === thisRun) queue.current.push(event);
    };
  }, []);

  useEffect(() => {
    const timer = setInterval(flush, flushEveryMs);
    return () => {
      clearInterval(timer);
      run.current += 1; // the screen is gone: late events go nowhere
    };
  }, [flush, flushEveryMs]);

  return { progress, startRun, flush };
}
