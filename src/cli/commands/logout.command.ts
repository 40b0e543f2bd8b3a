import type { CommandSpec } from '../command-spec.js';
import { commonOptions, type CommonOptions } from '../common-options.js';

export const logoutCommandSpec: CommandSpec<CommonOptions> = {
  path: ['logout'],
  summary: 'end the login: tell the server when it can be reached, and delete the session file',
  common: ['json'],
  flags: {},
  parse: commonOptions,
  run: async (options, context) => (await import('./logout.js')).logoutCommand(options, context),
};
