import { OpenmatesError } from '../../core/errors.js';
import { booleanFlag, stringFlag, type CommandSpec, type ParsedFlags } from '../command-spec.js';

export interface RemoteServersOptions {
  json: boolean;
  name?: string;
  linkFile?: string;
}

function oneName(flags: ParsedFlags, usage: string): string {
  if (flags.positionals.length !== 1) throw new OpenmatesError('usage', `Usage: openmates remote ${usage}`);
  return flags.positionals[0]!;
}

export const remoteServersCommandSpec: CommandSpec<RemoteServersOptions> = {
  path: ['remote', 'servers'],
  summary: 'the saved servers: name, address, and whether each answers now (its name, safety mode, your role)',
  common: ['json'],
  flags: {},
  parse: (flags) => ({ json: booleanFlag(flags, 'json') }),
  run: async (options, context) => (await import('./remote-servers.js')).serversListCommand(options, context),
};

export const remoteServersAddCommandSpec: CommandSpec<RemoteServersOptions> = {
  path: ['remote', 'servers', 'add'],
  arguments: 'NAME',
  summary: 'save a server\'s device link under a name (0600), for `openmates remote --to NAME ...`',
  common: ['json'],
  flags: { 'link-file': { type: 'string', value: 'FILE', help: 'the device link, read from this file (else OPENMATES_REMOTE_LINK)' } },
  parse: (flags) => {
    const linkFile = stringFlag(flags, 'link-file');
    return { json: booleanFlag(flags, 'json'), name: oneName(flags, 'servers add NAME --link-file FILE'), ...(linkFile !== undefined ? { linkFile } : {}) };
  },
  run: async (options, context) => (await import('./remote-servers.js')).serversAddCommand(options, context),
};

export const remoteServersRemoveCommandSpec: CommandSpec<RemoteServersOptions> = {
  path: ['remote', 'servers', 'rm'],
  arguments: 'NAME',
  summary: 'forget a saved server (its device stays valid on the server: revoke it there)',
  common: ['json'],
  flags: {},
  parse: (flags) => ({ json: booleanFlag(flags, 'json'), name: oneName(flags, 'servers rm NAME') }),
  run: async (options, context) => (await import('./remote-servers.js')).serversRemoveCommand(options, context),
};

export const remoteServersCommandSpecs = [remoteServersCommandSpec, remoteServersAddCommandSpec, remoteServersRemoveCommandSpec];
