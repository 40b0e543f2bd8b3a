import { booleanFlag, stringFlag, type CommandSpec } from '../command-spec.js';
import { commonOptions, type CommonOptions } from '../common-options.js';
import { BACKUP_FLAG, CONFIRM_FLAG } from './reset.command.js';

export type UninstallCommandOptions = CommonOptions & { deleteData: boolean; confirm?: string; backup: boolean };

export const uninstallCommandSpec: CommandSpec<UninstallCommandOptions> = {
  path: ['server', 'uninstall'],
  summary: 'remove the stack\'s containers and networks, keeping its data and secrets (--delete-data: those too, after the typed phrase)',
  common: ['path', 'json', 'yes'],
  flags: {
    'delete-data': { type: 'boolean', help: 'also delete the data volumes, .env with its secrets and the configuration (needs the phrase)' },
    confirm: CONFIRM_FLAG,
    backup: BACKUP_FLAG,
  },
  parse: (flags) => ({ ...commonOptions(flags), deleteData: booleanFlag(flags, 'delete-data'), confirm: stringFlag(flags, 'confirm'), backup: booleanFlag(flags, 'backup') }),
  run: async (options, context) => (await import('./uninstall.js')).uninstallCommand(options, context),
};
