import type { CommandSpec } from '../command-spec.js';
import { commonOptions, type CommonOptions } from '../common-options.js';

export const statusCommandSpec: CommandSpec<CommonOptions> = {
  path: ['server', 'status'],
  selectors: [['server', 'status']],
  summary: 'what is installed, each service\'s state and health, the health checks\' answers, URLs',
  common: ['path', 'json'],
  flags: {},
  parse: commonOptions,
  run: async (options, context) => (await import('./status.js')).statusCommand(options, context),
};
