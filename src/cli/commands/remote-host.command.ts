import type { CommandSpec } from '../command-spec.js';
import { REMOTE_FLAGS, remoteOptions, type RemoteOptions } from '../remote/remote-options.js';

export const remoteHostCommandSpec: CommandSpec<RemoteOptions> = {
  path: ['remote', 'host'],
  summary: 'the remote server\'s host facts: CPU, memory, disks, ports, containers, scripts, uptime',
  common: ['json'],
  flags: REMOTE_FLAGS,
  parse: remoteOptions,
  run: async (options, context) => (await import('./remote-host.js')).remoteHostCommand(options, context),
};
