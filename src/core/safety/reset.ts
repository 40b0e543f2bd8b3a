import { hostname } from 'node:os';
import type { CoreDeps } from '../deps.js';
import { isOpenmatesError, messageOf } from '../errors.js';
import type { EventSink } from '../events.js';
import { planInstall } from '../install/plan-install.js';
import { openOperationLog } from '../install/install-log.js';
import { runInstall } from '../install/run-install.js';
import type { InstallResult } from '../install/types.js';
import { createBackup } from '../backup/create-backup.js';
import { readBackupAdvice } from './backup-advice.js';
import { confirmationPhrase, requireConfirmation } from './confirmation-phrase.js';
import { takeInventory } from './inventory.js';
import { deleteInstallFiles, deleteVolumes, removeOwnNetworks, removeStackContainers } from './removal.js';
import { stepRunner } from '../step-runner.js';
import type { DeletionResult, DestructivePlan } from './types.js';

export interface ResetOptions {
  installDir: string;
  /** Also delete .env with its secrets and the generated configuration: back to not installed. */
  configs?: boolean;
  /** The machine's name in the phrase; defaults to this one's. */
  hostName?: string;
}

export interface ResetPlan extends DestructivePlan {
  action: 'reset';
  configs: boolean;
  /** Whether the stack can start fresh afterwards (not when the configuration goes too). */
  canStartFresh: boolean;
}

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

/** What a reset of this install would delete and keep, found without changing anything. */
export async function planReset(options: ResetOptions, deps: CoreDeps): Promise<ResetPlan> {
  const inventory = await takeInventory(options.installDir, deps, { allowUninstalled: false });
  const { stack, layout } = inventory;
  const configs = options.configs ?? false;
  const host = options.hostName ?? hostname();
  const backup = await readBackupAdvice(layout.root);
  const files = configs ? inventory.files : [];
  const steps = [
    { id: 'reset-stop', title: 'Stopping and removing the containers' },
    { id: 'reset-volumes', title: `Deleting ${inventory.volumes.length} volume${inventory.volumes.length === 1 ? '' : 's'}` },
    ...(configs
      ? [
          { id: 'reset-files', title: 'Deleting the configuration and secrets' },
          { id: 'reset-networks', title: 'Removing the networks openmates created' },
        ]
      : []),
  ];
  const alsoRemoved = [
    ...(inventory.containers.length > 0 ? [`${inventory.containers.length} container${inventory.containers.length === 1 ? '' : 's'} of ${stack.name} (made again when it starts)`] : []),
    ...(configs ? inventory.ownNetworks.map((network) => `the network ${network} (made again on install)`) : []),
  ];
  const keeps = [
    ...(configs ? [] : ['.env with its secrets, and the configuration: the stack starts again with the same settings, empty']),
    'the downloaded images (nothing to download again)',
    `the logs in ${layout.logsDir}`,
    ...(backup.directory && backup.last ? [`the backups in ${backup.directory}`] : []),
    `every other volume on this server (only the ${inventory.volumes.length} listed are deleted)`,
    ...(configs ? [`the directory ${layout.root} itself, and anything else you put there`] : []),
  ];
  return {
    action: 'reset',
    project: stack.name,
    installDir: layout.root,
    hostName: host,
    phrase: confirmationPhrase('reset', stack.name, host),
    headline: configs
      ? `Reset ${stack.name}: delete all its data, its configuration and its secrets (back to not installed).`
      : `Reset ${stack.name}: delete all its data, keep the configuration, so it can start again empty.`,
    volumes: inventory.volumes,
    files,
    alsoRemoved,
    keeps,
    keptVolumes: [],
    backup,
    warnings: inventory.warnings,
    steps,
    configs,
    canStartFresh: !configs,
  };
}

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
