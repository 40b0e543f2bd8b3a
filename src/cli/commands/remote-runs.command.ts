import { OpenmatesError } from '../../core/errors.js';
import { booleanFlag, type CommandSpec } from '../command-spec.js';
import { REMOTE_FLAGS, remoteOptions, type RemoteOptions } from '../remote/remote-options.js';
import { RUN_FLAGS, parseRunFlags, type RunOptions } from './run.command.js';

export type RemoteRunsOptions = RemoteOptions & ({ action: 'list'; all: boolean } | { action: 'status' | 'logs' | 'cancel'; id: string; follow: boolean } | ({ action: 'run' } & RunOptions));

const idSpec = (action: 'status' | 'logs' | 'cancel', summary: string): CommandSpec<RemoteRunsOptions> => ({
  path: ['remote', 'runs', action],
  arguments: 'ID',
  summary,
  common: ['json'],
  flags: { ...REMOTE_FLAGS, ...(action === 'logs' ? { follow: { type: 'boolean', short: 'f', help: 'keep following until the run ends (Ctrl-C stops following, not the run)' } } : {}) },
  parse: (flags) => {
    if (flags.positionals.length !== 1) throw new OpenmatesError('usage', `Usage: openmates remote runs ${action} ID`, '`openmates remote runs` lists the ids');
    return { ...remoteOptions(flags), action, id: flags.positionals[0]!, follow: booleanFlag(flags, 'follow') };
  },
  run: async (options, context) => (await import('./remote-runs.js')).remoteRunsCommand(options, context),
});

export const remoteRunsCommandSpecs = [
  {
    path: ['remote', 'run'],
    arguments: '-- COMMAND...',
    summary: 'an isolated run on the remote server (as `openmates run` there; settings from here: flags, .openmates-run.yaml, the git remote)',
    common: ['json'],
    flags: { ...REMOTE_FLAGS, ...RUN_FLAGS },
    parse: (flags) => ({ ...remoteOptions(flags), action: 'run', ...parseRunFlags(flags) }),
    run: async (options, context) => (await import('./remote-runs.js')).remoteRunsCommand(options, context),
  } satisfies CommandSpec<RemoteRunsOptions>,
  {
    path: ['remote', 'runs'],
    summary: 'the remote server\'s isolated runs (as `openmates runs` there)',
    common: ['json'],
    flags: { ...REMOTE_FLAGS, all: { type: 'boolean', help: 'every run kept, not only the running and the 20 newest' } },
    parse: (flags) => ({ ...remoteOptions(flags), action: 'list', all: booleanFlag(flags, 'all') }),
    run: async (options, context) => (await import('./remote-runs.js')).remoteRunsCommand(options, context),
  } satisfies CommandSpec<RemoteRunsOptions>,
  idSpec('status', 'one remote run in full'),
  idSpec('logs', 'a remote run\'s output, while it runs (-f follows) and after'),
  idSpec('cancel', 'stop a remote run (marked cancelled, output kept)'),
] as CommandSpec<never>[];
