import type { CommandSpec } from '../command-spec.js';
import { commonOptions, type CommonOptions } from '../common-options.js';

export const whoamiCommandSpec: CommandSpec<CommonOptions> = {
  path: ['whoami'],
  summary: 'who is logged in, as the server sees it',
  common: ['json'],
  flags: {},
  parse: commonOptions,
  run: async (options, context) => (await import('./whoami.js')).whoamiCommand(options, context),
};
