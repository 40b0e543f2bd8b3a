import type { CommandSpec } from '../command-spec.js';
import { commonOptions, type CommonOptions } from '../common-options.js';

export const backupsCommandSpec: CommandSpec<CommonOptions> = {
  path: ['server', 'backups'],
  summary: 'list the backups of the install, newest first (file, time, version, reason, size)',
  common: ['path', 'json'],
  flags: {},
  parse: commonOptions,
  run: async (options, context) => (await import('./backups.js')).backupsCommand(options, context),
};
