import { OpenmatesError, isOpenmatesError, messageOf } from '../errors.js';
import type { HealthySnapshot } from '../health/wait-for-healthy.js';
import { nestedSink } from './backup-tools.js';
import type { UpdateRoute } from './recovery.js';
import { announceSteps, bringUpVersion, confirmHealthy, save, step, type Run } from './run-context.js';
import { rollbackSteps } from './steps.js';
import { switchVersion } from './switch-version.js';
import { rollbackFailedError, rolledBackError } from './update-errors.js';
import { clearUpdateState } from './update-state.js';

/**
 * Puts the previous version back: its tag (and compose file), its data from the pre-update
 * backup when the new version may have written to it, then Compose and a bounded health wait.
 * With a `failure` (an automatic rollback) it always throws: 'rolled-back' when the previous
 * version is healthy again, 'rollback-failed' otherwise. A rollback the user chose returns.
 */
export async function rollBack(run: Run, route: Extract<UpdateRoute, { kind: 'back' }>, failure: unknown): Promise<HealthySnapshot> {
  const { installed, sink, signal, deps } = run;
  const { layout, stack } = installed;
  const from = run.state?.from ?? run.plan.current;
  const to = run.state?.to ?? run.plan.target;
  if (failure !== undefined) sink({ type: 'warning', message: `${to} did not come up: ${messageOf(failure)}`, hint: `Rolling back to ${from}.` });
  if (route.dataAtRisk) sink({ type: 'warning', message: `The data volumes cannot be restored: the pre-update backup was not complete.` });
  announceSteps(run, rollbackSteps(from, route.restoreFrom !== undefined));
  await save(run, { phase: 'rolling-back', failure: failure === undefined ? 'rollback chosen by the user' : messageOf(failure) });
  try {
    await step(run, 'rollback', async () => {
      await switchVersion(layout, stack, from, run.state?.previousCompose);
      return { value: undefined, detail: `${stack.tagVariable}=${from} in .env` };
    });
    if (route.restoreFrom) {
      const file = route.restoreFrom;
      await step(run, 'restore', async () => {
        await run.tools.restoreBackup({ installDir: layout.root, file }, deps, nestedSink(sink, 'restore'), signal);
        // The archive's .env names the version it was taken on, which is `from`; make sure of it.
        await switchVersion(layout, stack, from, run.state?.previousCompose);
        return { value: undefined, detail: `Restored from ${file}` };
      });
    }
    // A restore starts the stack itself; then only the health check is left to do.
    const snapshot = route.restoreFrom ? await confirmHealthy(run, from, 'rollback-health') : await bringUpVersion(run, from, 'rollback-start', 'rollback-health');
    await clearUpdateState(layout);
    run.log.line(`rolled back to ${from}`);
    if (failure !== undefined) {
      throw rolledBackError({ from, to, failure, ...(route.restoreFrom ? { restoredFrom: route.restoreFrom } : {}), logFile: run.log.path });
    }
    return snapshot;
  } catch (error) {
    if (isOpenmatesError(error) && error.kind === 'rolled-back') throw error;
    if (signal?.aborted) {
      throw new OpenmatesError('interrupted', `Stopped while rolling back to ${from}.`, `Run \`openmates server update --yes --path ${layout.root}\` to finish the rollback.`);
    }
    throw rollbackFailedError({ from, to, failure, rollbackError: error, ...(run.state?.backupFile ? { backupFile: run.state.backupFile } : {}), layout, stack });
  }
}
