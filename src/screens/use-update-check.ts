import { useCallback, useEffect, useState } from 'react';
import type { Operations } from '../core/operations.js';
import type { UpdateCheckView } from './update-notice.js';

/**
 * The start-up update check, begun after the first frame (effects run after it is drawn), so it
 * never delays the home screen; `recheck` runs it again (after an update, to compare anew).
 */
export function useUpdateCheck(operations: Operations, installDir: string, cliVersion: string): { updates: UpdateCheckView; recheck: () => void } {
  const [updates, setUpdates] = useState<UpdateCheckView>({ state: 'checking' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setUpdates({ state: 'checking' });
    operations.checkForUpdates({ installDir, cliVersion }, controller.signal).then(
      (check) => {
        if (!controller.signal.aborted) setUpdates({ state: 'done', check });
      },
      (error: unknown) => {
        // checkForUpdates never throws; if it ever did, a quiet note is still all it deserves.
        if (!controller.signal.aborted) setUpdates({ state: 'done', check: { notes: [`Could not check for updates: ${String((error as Error)?.message ?? error)}`] } });
      },
    );
    return () => controller.abort();
  }, [operations, installDir, cliVersion, round]);
  const recheck = useCallback(() => setRound((value) => value + 1), []);
  return { updates, recheck };
}
