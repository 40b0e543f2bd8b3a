import { OpenmatesError } from '../../core/errors.js';
import { booleanFlag, stringFlag, type CommandSpec } from '../command-spec.js';
import { commonOptions, type CommonOptions } from '../common-options.js';

export type ResetCommandOptions = CommonOptions & { configs: boolean; start: boolean; confirm?: string; backup: boolean };

export const CONFIRM_FLAG = { type: 'string', value: 'PHRASE', help: 'the exact confirmation phrase ("<verb> <stack> on <host>"); the only way to delete data without a terminal' } as const;
export const BACKUP_FLAG = { type: 'boolean', help: 'make a backup before deleting anything' } as const;

export const resetCommandSpec: CommandSpec<ResetCommandOptions> = {
  path: ['server', 'reset'],
  summary: 'delete the stack\'s data (and with --configs its configuration and secrets), after the typed phrase',
  common: ['path', 'json', 'yes'],
  flags: {
    configs: { type: 'boolean', help: 'also delete .env with its secrets and the generated configuration (back to not installed)' },
    start: { type: 'boolean', help: 'start the stack fresh (empty) once its data is deleted' },
    confirm: CONFIRM_FLAG,
    backup: BACKUP_FLAG,
  },
  parse: (flags) => {
    const options = { ...commonOptions(flags), configs: booleanFlag(flags, 'configs'), start: booleanFlag(flags, 'start'), confirm: stringFlag(flags, 'confirm'), backup: booleanFlag(flags, 'backup') };
    if (options.configs && options.start) {
      throw new OpenmatesError('usage', '--start cannot go with --configs: the configuration it would start with is deleted.', 'Reset with --configs, then install again (openmates server install).');
    }
    return options;
  },
  run: async (options, context) => (await import('./reset.js')).resetCommand(options, context),
};
