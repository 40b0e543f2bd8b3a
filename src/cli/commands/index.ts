import type { CommandSpec } from '../command-spec.js';
import { installCommandSpec } from './install.command.js';
import { statusCommandSpec } from './status.command.js';
import { backupCommandSpec } from './backup.command.js';
import { backupsCommandSpec } from './backups.command.js';
import { restoreCommandSpec } from './restore.command.js';
import { updateCommandSpec } from './update.command.js';

/** Every command, in the order --help lists them. Add a command: one *.command.ts file and one line here. */
export const COMMANDS: CommandSpec<never>[] = [installCommandSpec, statusCommandSpec, backupCommandSpec, restoreCommandSpec, backupsCommandSpec, updateCommandSpec] as CommandSpec<never>[];
