import { booleanFlag, type CommandSpec } from '../command-spec.js';

export interface RemoteAccessStatusOptions {
  json: boolean;
}

export const remoteAccessStatusCommandSpec: CommandSpec<RemoteAccessStatusOptions> = {
  path: ['remote-access', 'status'],
  summary: 'is the agent running: its name, shared folders, mode, connected devices, requests served',
  common: ['json'],
  flags: {},
  parse: (flags) => ({ json: booleanFlag(flags, 'json') }),
  run: async (options, context) => (await import('./remote-access-status.js')).remoteAccessStatusCommand(options, context),
};

export const remoteAccessStopCommandSpec: CommandSpec<RemoteAccessStatusOptions> = {
  path: ['remote-access', 'stop'],
  summary: 'stop the running agent (every device is disconnected)',
  common: ['json'],
  flags: {},
  parse: (flags) => ({ json: booleanFlag(flags, 'json') }),
  run: async (options, context) => (await import('./remote-access-status.js')).remoteAccessStopCommand(options, context),
};
