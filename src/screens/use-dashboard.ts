import { useEffect, useState } from 'react';
import type { Operations } from '../core/operations.js';
import type { StatusView } from './instance-summary.js';

/**
 * The dashboard's live view: subscribes to operations.watchDashboard while mounted (and again
 * when `round` changes), and drops the subscription on unmount. Snapshots arrive throttled by
 * the core, so each one is one render.
 */
export function useDashboard(operations: Operations, installDir: string, round: number): StatusView {
  const [view, setView] = useState<StatusView>({ state: 'checking' });
  useEffect(() => {
    const controller = new AbortController();
    setView({ state: 'checking' });
    operations
      .watchDashboard({ installDir }, (snapshot) => {
        if (!controller.signal.aborted) setView({ state: 'ready', snapshot });
      }, controller.signal)
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setView({ state: 'failed', error });
      });
    return () => controller.abort();
  }, [operations, installDir, round]);
  return view;
}
