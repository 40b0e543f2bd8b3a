import { OpenmatesError } from '../../core/errors.js';
import { stringFlag, stringsFlag, type CommandSpec } from '../command-spec.js';
import { REMOTE_FLAGS, remoteOptions, type RemoteOptions } from '../remote/remote-options.js';
import { parseSeconds } from './install.command.js';

export type RemoteExecOptions = RemoteOptions & { command: string; cwd?: string; env: Record<string, string>; timeout?: number; session?: string };

export const remoteExecCommandSpec: CommandSpec<RemoteExecOptions> = {
  path: ['remote', 'exec'],
  arguments: '-- COMMAND...',
  summary: 'run a command on the remote server: output streamed, exits with its exit code',
  common: ['json'],
  flags: {
    ...REMOTE_FLAGS,
    cwd: { type: 'string', value: 'DIR', help: 'where it runs (inside the shared folders; default: the first one)' },
    env: { type: 'string', value: 'K=V', multiple: true, help: 'an environment variable for it (repeat for more)' },
    timeout: { type: 'string', value: 'SECONDS', help: 'stop the command (its whole process group) after this many seconds' },
    session: { type: 'string', value: 'NAME', help: 'keep the working folder and exported variables between commands of this name' },
  },
  parse: (flags) => {
    if (flags.positionals.length === 0) throw new OpenmatesError('usage', 'Usage: openmates remote exec [options] -- COMMAND...', 'Put the command after --, e.g. openmates remote exec -- ls -la');
    const env: Record<string, string> = {};
    for (const pair of stringsFlag(flags, 'env')) {
      const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
      if (!match) throw new OpenmatesError('usage', `--env takes NAME=VALUE, not "${pair.split('=')[0]}…".`);
      env[match[1]!] = match[2]!;
    }
    const cwd = stringFlag(flags, 'cwd');
    const session = stringFlag(flags, 'session');
    const timeout = parseSeconds(stringFlag(flags, 'timeout'));
    return {
      ...remoteOptions(flags),
      command: flags.positionals.join(' '),
      env,
      ...(cwd !== undefined ? { cwd } : {}),
      ...(session !== undefined ? { session } : {}),
      ...(timeout !== undefined ? { timeout } : {}),
    };
  },
  run: async (options, context) => (await import('./remote-exec.js')).remoteExecCommand(options, context),
};
