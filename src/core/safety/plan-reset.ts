import { hostname } from 'node:os';
import type { CoreDeps } from '../deps.js';
import { readBackupAdvice } from './backup-advice.js';
import { confirmationPhrase } from './confirmation-phrase.js';
import { takeInventory } from './inventory.js';
import type { DestructivePlan } from './types.js';

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
