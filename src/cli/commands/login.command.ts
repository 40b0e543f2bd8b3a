import { booleanFlag, stringFlag, type CommandSpec } from '../command-spec.js';
import { commonOptions, type CommonOptions } from '../common-options.js';

export type LoginCommandOptions = CommonOptions & { apiUrl?: string; appUrl?: string; pinStdin: boolean };

export const loginCommandSpec: CommandSpec<LoginCommandOptions> = {
  path: ['login'],
  summary: 'log in to OpenMates from another device: scan a QR code, approve, type the PIN',
  common: ['path', 'json'],
  flags: {
    'api-url': { type: 'string', value: 'URL', help: 'the OpenMates API to log in to (default: the installed instance\'s API URL)' },
    'app-url': { type: 'string', value: 'URL', help: 'the web app the link opens (default: derived from the API URL)' },
    'pin-stdin': { type: 'boolean', help: 'read the PIN from stdin, one per line (for scripts; a PIN is never a flag)' },
  },
  parse: (flags) => {
    const apiUrl = stringFlag(flags, 'api-url');
    const appUrl = stringFlag(flags, 'app-url');
    return { ...commonOptions(flags), ...(apiUrl === undefined ? {} : { apiUrl }), ...(appUrl === undefined ? {} : { appUrl }), pinStdin: booleanFlag(flags, 'pin-stdin') };
  },
  run: async (options, context) => (await import('./login.js')).loginCommand(options, context),
};
