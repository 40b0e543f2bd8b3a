import type { CommandSpec } from '../command-spec.js';
import { installCommandSpec } from './install.command.js';
import { statusCommandSpec } from './status.command.js';
import { restartCommandSpec, startCommandSpec, stopCommandSpec } from './lifecycle.command.js';
import { resetCommandSpec } from './reset.command.js';
import { uninstallCommandSpec } from './uninstall.command.js';
import { configGetCommandSpec, configListCommandSpec, configSetCommandSpec } from './config.command.js';
import { backupCommandSpec } from './backup.command.js';
import { backupsCommandSpec } from './backups.command.js';
import { restoreCommandSpec } from './restore.command.js';

/** Every command, in the order --help lists them. Add a command: one *.command.ts file and one line here. */
export const COMMANDS: CommandSpec<never>[] = [
  installCommandSpec,
  statusCommandSpec,
  startCommandSpec,
  stopCommandSpec,
  restartCommandSpec,
  backupCommandSpec,
  restoreCommandSpec,
  backupsCommandSpec,
  resetCommandSpec,
  uninstallCommandSpec,
  configListCommandSpec,
  configGetCommandSpec,
  configSetCommandSpec,
] as CommandSpec<never>[];
