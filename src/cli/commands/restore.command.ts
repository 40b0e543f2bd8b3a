import { OpenmatesError } from '../../core/errors.js';
import { stringFlag, type CommandSpec } from '../command-spec.js';
import { commonOptions, type CommonOptions } from '../common-options.js';

export type RestoreCommandOptions = CommonOptions & { file: string; confirm?: string };

export const restoreCommandSpec: CommandSpec<RestoreCommandOptions> = {
  path: ['server', 'restore'],
  summary: 'check a backup, then replace the data volumes, .env and compose file with it and start the stack',
  common: ['path', 'json'],
  flags: {
    file: { type: 'string', value: 'FILE', help: 'the backup archive to restore (see `openmates server backups`)' },
    confirm: { type: 'string', value: 'PHRASE', help: 'the exact confirmation phrase, e.g. "restore openmates-core on <hostname>" (the error names it)' },
  },
  parse: (flags) => {
    const file = stringFlag(flags, 'file');
    if (!file) throw new OpenmatesError('usage', '"openmates server restore" needs --file FILE: the backup to restore.', 'List the backups with `openmates server backups`.');
    const confirm = stringFlag(flags, 'confirm');
    return { ...commonOptions(flags), file, ...(confirm !== undefined ? { confirm } : {}) };
  },
  run: async (options, context) => (await import('./restore.js')).restoreCommand(options, context),
};
