import { OpenmatesError } from '../../core/errors.js';
import { booleanFlag, stringFlag, type CommandSpec } from '../command-spec.js';
import { REMOTE_FLAGS, remoteOptions, type RemoteOptions } from '../remote/remote-options.js';

export type RemoteShellOptions = RemoteOptions & { cwd?: string; shell?: string } & ({ mode: 'open' } | { mode: 'list' } | { mode: 'attach'; id: string });

// Host facts come with answers, and a shell's screen has no place to print them.
const { 'with-host': _withHost, ...SHELL_REMOTE_FLAGS } = REMOTE_FLAGS;

export const remoteShellCommandSpec: CommandSpec<RemoteShellOptions> = {
  path: ['remote', 'shell'],
  summary: 'an interactive shell on the remote server (needs a terminal); exits with the shell\'s exit code; Ctrl-] detaches, leaving it running (hung up when nobody re-attaches within 10 minutes, the default)',
  common: ['json'],
  flags: {
    ...SHELL_REMOTE_FLAGS,
    cwd: { type: 'string', value: 'DIR', help: 'where the shell starts (inside the shared folders; default: the first one)' },
    shell: { type: 'string', value: 'PATH', help: 'the shell\'s absolute path on the server (default: the agent\'s $SHELL, else /bin/sh)' },
    list: { type: 'boolean', help: 'the server\'s running terminals: id, shell, folder, size, who opened it, who watches, bytes, start, exit (--json: one result object)' },
    attach: {
      type: 'string',
      value: 'ID',
      help: 'join a running terminal: from where this machine left it (nothing twice), else its scrollback; only the device that opened it types into it, any other watches read-only (Ctrl-] or Ctrl-C stops watching); Ctrl-] detaches',
    },
  },
  parse: (flags) => {
    const list = booleanFlag(flags, 'list');
    const attach = stringFlag(flags, 'attach');
    const cwd = stringFlag(flags, 'cwd');
    const shell = stringFlag(flags, 'shell');
    if (list && attach !== undefined) throw new OpenmatesError('usage', 'Pass either --list or --attach ID, not both.');
    if ((list || attach !== undefined) && (cwd !== undefined || shell !== undefined)) {
      throw new OpenmatesError('usage', '--cwd and --shell are for opening a new terminal, not for --list or --attach.', 'Drop them, or run `openmates remote shell --cwd DIR` to open a new one.');
    }
    const base = { ...remoteOptions(flags), ...(cwd !== undefined ? { cwd } : {}), ...(shell !== undefined ? { shell } : {}) };
    if (list) return { ...base, mode: 'list' };
    if (base.json) throw new OpenmatesError('usage', '--json goes with --list only: an interactive shell has no JSON form.', 'For a command\'s output as JSON use `openmates remote exec --json -- COMMAND`.');
    if (attach !== undefined) return { ...base, mode: 'attach', id: attach };
    return { ...base, mode: 'open' };
  },
  run: async (options, context) => (await import('./remote-shell.js')).remoteShellCommand(options, context),
};
