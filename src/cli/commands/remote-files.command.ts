import { OpenmatesError } from '../../core/errors.js';
import { booleanFlag, stringFlag, type CommandSpec, type FlagSpec, type ParsedFlags } from '../command-spec.js';
import { REMOTE_FLAGS, remoteOptions, type RemoteOptions } from '../remote/remote-options.js';

export type RemoteFilesAction = 'ls' | 'stat' | 'cat' | 'put' | 'mkdir' | 'cp' | 'mv' | 'rm' | 'search';

export type RemoteFilesOptions = RemoteOptions & { action: RemoteFilesAction; words: string[]; recursive: boolean; in?: string };

const WORDS: Record<RemoteFilesAction, { arguments: string; count: number; summary: string }> = {
  ls: { arguments: '[PATH]', count: -1, summary: 'list a remote folder (default: the first shared folder)' },
  stat: { arguments: 'PATH', count: 1, summary: 'a remote file\'s type, size, mode, time and version' },
  cat: { arguments: 'PATH', count: 1, summary: 'a remote file\'s bytes on stdout (streamed; .env files masked)' },
  put: { arguments: 'PATH', count: 1, summary: 'write stdin to a remote file (atomic: the old file or the new one, never half)' },
  mkdir: { arguments: 'PATH', count: 1, summary: 'make a remote folder' },
  cp: { arguments: 'SRC DST', count: 2, summary: 'copy a remote file or folder' },
  mv: { arguments: 'SRC DST', count: 2, summary: 'move or rename a remote file or folder' },
  rm: { arguments: 'PATH', count: 1, summary: 'delete a remote file (-r for a folder)' },
  search: { arguments: 'TEXT', count: 1, summary: 'find names and lines containing TEXT (bounded; skips binaries and .git)' },
};

const EXTRA: Partial<Record<RemoteFilesAction, Record<string, FlagSpec>>> = {
  rm: { recursive: { type: 'boolean', short: 'r', help: 'delete a folder with everything in it' } },
  search: { in: { type: 'string', value: 'PATH', help: 'search only under this folder' } },
};

function filesSpec(action: RemoteFilesAction): CommandSpec<RemoteFilesOptions> {
  const words = WORDS[action];
  return {
    path: ['remote', 'files', action],
    arguments: words.arguments,
    summary: words.summary,
    common: ['json'],
    flags: { ...REMOTE_FLAGS, ...EXTRA[action] },
    parse: (flags: ParsedFlags) => {
      const given = flags.positionals;
      if (words.count === -1 ? given.length > 1 : given.length !== words.count) {
        throw new OpenmatesError('usage', `Usage: openmates remote files ${action} ${words.arguments}`);
      }
      const within = stringFlag(flags, 'in');
      return { ...remoteOptions(flags), action, words: given, recursive: booleanFlag(flags, 'recursive'), ...(within !== undefined ? { in: within } : {}) };
    },
    run: async (options, context) => (await import('./remote-files.js')).remoteFilesCommand(options, context),
  };
}

export const remoteFilesCommandSpecs = (Object.keys(WORDS) as RemoteFilesAction[]).map(filesSpec);
