import { rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { CoreDeps } from '../deps.js';
import { OpenmatesError, isOpenmatesError, messageOf } from '../errors.js';
import type { EventSink } from '../events.js';
import { openOperationLog } from '../install/install-log.js';
import type { InstallLayout } from '../install-dir.js';
import { createBackup } from '../backup/create-backup.js';
import { readBackupAdvice } from './backup-advice.js';
import { confirmationPhrase, requireConfirmation } from './confirmation-phrase.js';
import { takeInventory, type InstanceInventory } from './inventory.js';
import { deleteInstallFiles, deleteVolumes, removeOwnNetworks, removeStackContainers } from './removal.js';
import { stepRunner } from '../step-runner.js';
import type { DeletionResult, DestructivePlan } from './types.js';

export interface UninstallOptions {
  installDir: string;
  /** Also delete the data volumes, .env and the configuration (needs the phrase). */
  deleteData?: boolean;
  hostName?: string;
}

export interface UninstallPlan extends DestructivePlan {
  action: 'uninstall';
  deleteData: boolean;
  /** Only deleting data needs the phrase; a plain uninstall keeps everything of value. */
  requiresPhrase: boolean;
  /** An earlier uninstall already removed the stack (its data was kept). */
  alreadyUninstalled: boolean;
}

export interface UninstallRun {
  /** Needed (exactly plan.phrase) when the plan deletes data. */
  confirmation?: string;
  /** Make a backup (after the phrase is checked, before anything is removed). */
  backupFirst?: boolean;
}

const AGAIN = 'Run the uninstall again to finish; what is done stays done.';

export async function planUninstall(options: UninstallOptions, deps: CoreDeps): Promise<UninstallPlan> {
  const inventory = await takeInventory(options.installDir, deps, { allowUninstalled: true });
  const { stack, layout } = inventory;
  const deleteData = options.deleteData ?? false;
  const host = options.hostName ?? hostname();
  const backup = deleteData ? await readBackupAdvice(layout.root, { uninstalled: inventory.uninstalled }) : { supported: false };
  const containers = inventory.containers.length;
  const steps = [
    ...(inventory.uninstalled && !deleteData ? [] : [{ id: 'uninstall-stop', title: 'Stopping and removing the containers' }]),
    ...(inventory.uninstalled && !deleteData ? [] : [{ id: 'uninstall-networks', title: 'Removing the networks openmates created' }]),
    ...(deleteData
      ? [
          { id: 'uninstall-volumes', title: `Deleting ${inventory.volumes.length} volume${inventory.volumes.length === 1 ? '' : 's'}` },
          { id: 'uninstall-files', title: 'Deleting the configuration and secrets' },
        ]
      : inventory.uninstalled
        ? []
        : [{ id: 'uninstall-files', title: 'Keeping .env, writing a note, moving the stack copy aside' }]),
  ];
  const alsoRemoved = [
    ...(containers > 0 ? [`${containers} container${containers === 1 ? '' : 's'} of ${stack.name}`] : []),
    ...inventory.ownNetworks.map((network) => `the network ${network}`),
  ];
  const keeps = deleteData
    ? [
        'the downloaded images (remove them with `docker image prune -a` if you want the space)',
        `the logs in ${layout.logsDir}`,
        ...(backup.directory && backup.last ? [`the backups in ${backup.directory}`] : []),
        `every other volume on this server (only the ${inventory.volumes.length} listed are deleted)`,
        `the directory ${layout.root} itself, and anything else you put there`,
      ]
    : [
        ...(inventory.volumes.length > 0 ? [`the ${inventory.volumes.length === 1 ? 'volume' : `${inventory.volumes.length} volumes`} above, with all the data in ${inventory.volumes.length === 1 ? 'it' : 'them'}`] : []),
        `${layout.envFile} with its secrets (mode 0600): a reinstall opens the same data with them`,
        'the configuration files and the Compose file',
        'the downloaded images',
        `the logs in ${layout.logsDir}`,
      ];
  return {
    action: 'uninstall',
    project: stack.name,
    installDir: layout.root,
    hostName: host,
    phrase: confirmationPhrase('uninstall', stack.name, host),
    headline: deleteData
      ? `Uninstall ${stack.name} and delete all its data, its configuration and its secrets.`
      : inventory.uninstalled
        ? `${stack.name} is already uninstalled from ${layout.root}; its data is kept.`
        : `Uninstall ${stack.name}: remove its containers and networks, keep the data and the secrets.`,
    volumes: deleteData ? inventory.volumes : [],
    files: deleteData ? inventory.files : [],
    alsoRemoved,
    keeps,
    keptVolumes: deleteData ? [] : inventory.volumes,
    backup,
    warnings: inventory.warnings,
    steps,
    deleteData,
    requiresPhrase: deleteData,
    alreadyUninstalled: inventory.uninstalled,
  };
}

/** Carries out an uninstall plan; with deleteData only once the phrase matches. */
export async function runUninstall(plan: UninstallPlan, run: UninstallRun, deps: CoreDeps, outerSink: EventSink, signal?: AbortSignal): Promise<DeletionResult> {
  if (plan.requiresPhrase) requireConfirmation(run.confirmation, plan.phrase, 'the uninstall with --delete-data');
  const inventory = await takeInventory(plan.installDir, deps, { allowUninstalled: true });
  const { layout, stack } = inventory;
  const log = openOperationLog(layout, 'uninstall');
  const sink: EventSink = (event) => {
    log.sink(event);
    outerSink(event);
  };
  const step = stepRunner(plan.steps, sink, signal, AGAIN);
  const has = (id: string) => plan.steps.some((candidate) => candidate.id === id);
  log.line(`uninstall ${stack.name} from ${layout.root}${plan.deleteData ? ', deleting its data (confirmed with the phrase)' : ', keeping its data'}`);
  if (run.backupFirst && !plan.backup.supported) {
    throw new OpenmatesError('usage', `No backup can be made here: ${plan.backup.unavailable ?? 'backups are not available'}; nothing was changed.`, 'Go on without --backup, or reinstall first.');
  }
  try {
    const backupFile = run.backupFirst ? (await createBackup({ installDir: layout.root, reason: 'manual' }, deps, sink, signal)).file : undefined;
    const removedContainers = has('uninstall-stop')
      ? await step('uninstall-stop', async () => {
          const count = await removeStackContainers(inventory, deps, sink, signal);
          return { value: count, detail: count > 0 ? `Removed ${count} containers` : 'No containers were there', outcome: count > 0 ? 'done' : 'skipped' };
        })
      : 0;
    const removedNetworks = has('uninstall-networks')
      ? await step('uninstall-networks', async () => {
          const removed = await removeOwnNetworks(inventory, deps, sink);
          return { value: removed, detail: removed.length > 0 ? `Removed ${removed.join(', ')}` : 'No networks to remove', outcome: removed.length > 0 ? 'done' : 'skipped' };
        })
      : [];
    let deletedVolumes: DeletionResult['deletedVolumes'] = [];
    let deletedFiles: string[] = [];
    if (plan.deleteData) {
      const planned = new Set(plan.volumes.map((volume) => volume.name));
      deletedVolumes = await step('uninstall-volumes', async () => {
        const deleted = await deleteVolumes(inventory.volumes.filter((volume) => planned.has(volume.name)), deps, sink, signal);
        return { value: deleted.map((v) => (v.bytes === undefined ? { name: v.name } : { name: v.name, bytes: v.bytes })), detail: deleted.length > 0 ? `Deleted ${deleted.map((v) => v.name).join(', ')}` : 'No volumes were there', outcome: deleted.length > 0 ? 'done' : 'skipped' };
      });
      const plannedFiles = new Set(plan.files.map((file) => file.path));
      deletedFiles = await step('uninstall-files', async () => {
        const deleted = await deleteInstallFiles(layout.root, inventory.files.filter((file) => plannedFiles.has(file.path)), stack.directories);
        return { value: deleted, detail: deleted.length > 0 ? `Deleted ${deleted.join(', ')}` : 'No files were there', outcome: deleted.length > 0 ? 'done' : 'skipped' };
      });
    } else if (has('uninstall-files')) {
      await step('uninstall-files', async () => {
        await keepForReinstall(layout, inventory, plan);
        return { value: undefined, detail: `Kept .env; wrote ${layout.uninstalledNote}` };
      });
    }
    const volumeNames = inventory.volumes.map((volume) => volume.name);
    const next = plan.deleteData
      ? [`Install again from scratch: openmates server install --path ${layout.root}`]
      : [
          `Reinstall with the same data and secrets: openmates server install --path ${layout.root}`,
          `Delete the kept data for good: openmates server uninstall --delete-data --path ${layout.root} --confirm "${plan.phrase}"`,
          ...(volumeNames.length > 0 ? [`  (by hand: docker volume rm ${volumeNames.join(' ')} && rm ${layout.envFile})`] : []),
        ];
    log.line(plan.deleteData ? `deleted volumes: ${deletedVolumes.map((v) => v.name).join(', ') || 'none'}; files: ${deletedFiles.join(', ') || 'none'}` : `kept volumes: ${volumeNames.join(', ') || 'none'}`);
    log.line('uninstall finished');
    return {
      action: 'uninstall',
      project: stack.name,
      installDir: layout.root,
      deletedVolumes,
      deletedFiles,
      removedContainers,
      removedNetworks,
      kept: plan.keeps,
      next,
      startedFresh: false,
      logFile: log.path,
      ...(backupFile ? { backupFile } : {}),
    };
  } catch (error) {
    log.line(`failed: ${messageOf(error)}`);
    if (isOpenmatesError(error)) for (const detail of error.details) log.line(`  ${detail}`);
    throw error;
  } finally {
    await log.close();
  }
}

/**
 * .env stays where it is, so a reinstall finds the secrets the kept volumes are locked with; the
 * stack copy moves aside, so the dir no longer counts as installed but a reinstall (or a later
 * uninstall --delete-data) still knows the stack. The note says all this to a person.
 */
async function keepForReinstall(layout: InstallLayout, inventory: InstanceInventory, plan: UninstallPlan): Promise<void> {
  const volumes = inventory.volumes.map((volume) => volume.name);
  const note = [
    `${inventory.stack.name} was uninstalled from ${layout.root} on ${new Date().toISOString()} (host ${plan.hostName}).`,
    '',
    'Kept, so that a reinstall comes back with the same data and secrets:',
    `  volumes: ${volumes.length > 0 ? volumes.join(', ') : '(none existed)'}`,
    `  ${layout.envFile} (the secrets the data is locked with; mode 0600)`,
    '  the configuration files, the Compose file and the logs',
    '',
    'Reinstall with the same data:',
    `  openmates server install --path ${layout.root}`,
    'Delete the kept data for good:',
    `  openmates server uninstall --delete-data --path ${layout.root} --confirm "${plan.phrase}"`,
    ...(volumes.length > 0 ? ['or by hand:', `  docker volume rm ${volumes.join(' ')} && rm ${layout.envFile}`] : []),
    '',
  ].join('\n');
  try {
    await writeFile(layout.uninstalledNote, note, { mode: 0o644 });
    await rename(layout.stackCopy, layout.uninstalledStackCopy);
  } catch (error) {
    throw new OpenmatesError('operation-failed', `Could not write the uninstall note in ${layout.root}: ${messageOf(error)}.`, 'Check the permissions of the install dir, then run the uninstall again.');
  }
}
