import type { CoreDeps } from '../deps.js';
import { isOpenmatesError, messageOf } from '../errors.js';
import type { EventSink } from '../events.js';
import { planInstall } from '../install/plan-install.js';
import { openOperationLog } from '../install/install-log.js';
import { runInstall } from '../install/run-install.js';
import type { InstallResult } from '../install/types.js';
import { createBackup } from '../backup/create-backup.js';
import { requireConfirmation } from './confirmation-phrase.js';
import { takeInventory } from './inventory.js';
import { deleteInstallFiles, deleteVolumes, removeOwnNetworks, removeStackContainers } from './removal.js';
import { stepRunner } from '../step-runner.js';
import type { DeletionResult } from './types.js';
import type { ResetPlan } from './plan-reset.js';

export { planReset, type ResetOptions, type ResetPlan } from './plan-reset.js';

export interface ResetRun {
  /** The phrase as the user typed or passed it; anything but plan.phrase stops the reset before it starts. */
  confirmation: string | undefined;
  /** Start the stack again, empty, once the data is gone (install with the kept configuration). */
  startFresh: boolean;
  /** Make a backup (after the phrase is checked, before anything is deleted). */
  backupFirst?: boolean;
}

export interface ResetResult extends DeletionResult {
  /** When started fresh: the install's result (services, URLs, the first invite code). */
  freshInstall?: InstallResult;
}

const AGAIN = 'Run the reset again to finish; what is deleted stays deleted, nothing else was touched.';

/**
 * Carries out a reset plan once the phrase matches: containers down, exactly the plan's volumes
 * deleted, with `configs` the plan's files and networks too, then (if asked) a fresh start.
 */
export async function runReset(plan: ResetPlan, run: ResetRun, deps: CoreDeps, outerSink: EventSink, signal?: AbortSignal): Promise<ResetResult> {
  requireConfirmation(run.confirmation, plan.phrase, 'the reset');
  const inventory = await takeInventory(plan.installDir, deps, { allowUninstalled: false });
  const { layout, stack } = inventory;
  const log = openOperationLog(layout, 'reset');
  const sink: EventSink = (event) => {
    log.sink(event);
    outerSink(event);
  };
  const step = stepRunner(plan.steps, sink, signal, AGAIN);
  log.line(`reset ${stack.name} in ${layout.root}${plan.configs ? ' with its configuration' : ''}, confirmed with the phrase`);
  try {
    const backupFile = run.backupFirst ? (await createBackup({ installDir: layout.root, reason: 'manual' }, deps, sink, signal)).file : undefined;
    const removedContainers = await step('reset-stop', async () => {
      const count = await removeStackContainers(inventory, deps, sink, signal);
      return { value: count, detail: count > 0 ? `Removed ${count} containers` : 'No containers were there', outcome: count > 0 ? 'done' : 'skipped' };
    });
    // Only what the user saw in the plan; a volume that appeared since stays.
    const planned = new Set(plan.volumes.map((volume) => volume.name));
    const deletedVolumes = await step('reset-volumes', async () => {
      const deleted = await deleteVolumes(inventory.volumes.filter((volume) => planned.has(volume.name)), deps, sink, signal);
      return { value: deleted, detail: deleted.length > 0 ? `Deleted ${deleted.map((volume) => volume.name).join(', ')}` : 'No volumes were there', outcome: deleted.length > 0 ? 'done' : 'skipped' };
    });
    let deletedFiles: string[] = [];
    let removedNetworks: string[] = [];
    if (plan.configs) {
      const plannedFiles = new Set(plan.files.map((file) => file.path));
      deletedFiles = await step('reset-files', async () => {
        const deleted = await deleteInstallFiles(layout.root, inventory.files.filter((file) => plannedFiles.has(file.path)), stack.directories);
        return { value: deleted, detail: deleted.length > 0 ? `Deleted ${deleted.join(', ')}` : 'No files were there', outcome: deleted.length > 0 ? 'done' : 'skipped' };
      });
      removedNetworks = await step('reset-networks', async () => {
        const removed = await removeOwnNetworks(inventory, deps, sink);
        return { value: removed, detail: removed.length > 0 ? `Removed ${removed.join(', ')}` : 'No networks to remove', outcome: removed.length > 0 ? 'done' : 'skipped' };
      });
    }
    log.line(`deleted volumes: ${deletedVolumes.map((volume) => volume.name).join(', ') || 'none'}; files: ${deletedFiles.join(', ') || 'none'}`);

    let freshInstall: InstallResult | undefined;
    if (run.startFresh && plan.canStartFresh) {
      const installPlan = await planInstall({ installDir: layout.root }, deps, sink, signal);
      freshInstall = await runInstall(installPlan, deps, sink, signal);
      log.line('started fresh and healthy');
    }
    const result: ResetResult = {
      action: 'reset',
      project: stack.name,
      installDir: layout.root,
      deletedVolumes: deletedVolumes.map((volume) => (volume.bytes === undefined ? { name: volume.name } : { name: volume.name, bytes: volume.bytes })),
      deletedFiles,
      removedContainers,
      removedNetworks,
      kept: plan.keeps,
      next: freshInstall
        ? []
        : plan.configs
          ? [`Install again from scratch (new secrets): openmates server install --path ${layout.root}`]
          : [`Start it fresh (same configuration, empty data): openmates server install --path ${layout.root}`],
      startedFresh: freshInstall !== undefined,
      logFile: log.path,
      ...(backupFile ? { backupFile } : {}),
      ...(freshInstall ? { freshInstall } : {}),
    };
    log.line('reset finished');
    return result;
  } catch (error) {
    log.line(`failed: ${messageOf(error)}`);
    if (isOpenmatesError(error)) for (const detail of error.details) log.line(`  ${detail}`);
    throw error;
  } finally {
    await log.close();
  }
}
