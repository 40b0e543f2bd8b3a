import { stringFlag, type CommandSpec } from '../command-spec.js';
import { commonOptions, type CommonOptions } from '../common-options.js';

export type BackupCommandOptions = CommonOptions & { output?: string };

export const backupCommandSpec: CommandSpec<BackupCommandOptions> = {
  path: ['server', 'backup'],
  summary: 'back up the data volumes, .env and compose file into one archive (services using the volumes pause meanwhile)',
  common: ['path', 'json'],
  flags: {
    output: { type: 'string', value: 'FILE', help: 'where to write the archive (default <install dir>/backups/<stack>-<version>-<time>-manual.tar)' },
  },
  parse: (flags) => ({ ...commonOptions(flags), output: stringFlag(flags, 'output') }),
  run: async (options, context) => (await import('./backup.js')).backupCommand(options, context),
};
