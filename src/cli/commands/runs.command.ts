import { OpenmatesError } from '../../core/errors.js';
import { booleanFlag, stringFlag, type CommandSpec, type ParsedFlags } from '../command-spec.js';
import { parseSeconds } from './install.command.js';

export interface RunsListOptions { all: boolean; json: boolean }
export interface RunIdOptions { id: string; json: boolean; follow: boolean }
export interface RunsRemoveOptions { id?: string; finished: boolean; json: boolean }
export interface RunsInitOptions { repo?: string; branch?: string; image?: string; timeout?: number; yes: boolean; json: boolean }

function oneId(flags: ParsedFlags, usage: string): string {
  if (flags.positionals.length !== 1) throw new OpenmatesError('usage', `Usage: ${usage}`, '`openmates runs` lists the ids');
  return flags.positionals[0]!;
}

const idCommand = (word: string, summary: string, extra: CommandSpec<RunIdOptions>['flags'] = {}): CommandSpec<RunIdOptions> => ({
  path: ['runs', word],
  arguments: 'ID',
  summary,
  common: ['json'],
  flags: extra,
  parse: (flags) => ({ id: oneId(flags, `openmates runs ${word} ID`), json: booleanFlag(flags, 'json'), follow: booleanFlag(flags, 'follow') }),
  run: async (options, context) => (await import('./runs.js')).runsIdCommand(word as 'status', options, context),
});

export const runsCommandSpecs = [
  {
    path: ['runs'],
    summary: 'recent isolated runs: id, status, exit code, started, duration, repo@branch, command',
    common: ['json'],
    flags: { all: { type: 'boolean', help: 'every run kept, not only the running and the 20 newest' } },
    parse: (flags) => ({ all: booleanFlag(flags, 'all'), json: booleanFlag(flags, 'json') }),
    run: async (options, context) => (await import('./runs.js')).runsListCommand(options, context),
  } satisfies CommandSpec<RunsListOptions>,
  idCommand('status', 'one run: status, exit code, times, repository, image, limits'),
  idCommand('logs', 'a run\'s output, while it runs and after it ended', { follow: { type: 'boolean', short: 'f', help: 'keep following until the run ends (Ctrl-C stops following, not the run)' } }),
  idCommand('cancel', 'stop a run (its container is killed; it is marked cancelled, its output kept)'),
  {
    path: ['runs', 'rm'],
    arguments: 'ID',
    summary: 'remove a finished run and its output (or every finished run with --finished)',
    common: ['json'],
    flags: { finished: { type: 'boolean', help: 'remove every finished run' } },
    parse: (flags) => {
      const finished = booleanFlag(flags, 'finished');
      if (finished === (flags.positionals.length === 1) || flags.positionals.length > 1) throw new OpenmatesError('usage', 'Usage: openmates runs rm ID | --finished');
      return { finished, json: booleanFlag(flags, 'json'), ...(flags.positionals[0] ? { id: flags.positionals[0] } : {}) };
    },
    run: async (options, context) => (await import('./runs.js')).runsRemoveCommand(options, context),
  } satisfies CommandSpec<RunsRemoveOptions>,
  {
    path: ['runs', 'init'],
    summary: 'write .openmates-run.yaml here (repo, branch, image, timeout) after asking, like `git init`',
    common: ['json', 'yes'],
    flags: {
      repo: { type: 'string', value: 'URL|PATH', help: 'the repository (default: this folder\'s git remote)' },
      branch: { type: 'string', value: 'NAME', help: 'the branch (default: this folder\'s branch)' },
      image: { type: 'string', value: 'IMAGE', help: 'the image runs use (asked when not given)' },
      timeout: { type: 'string', value: 'SECONDS', help: 'the deadline of each run' },
    },
    parse: (flags) => {
      const timeout = parseSeconds(stringFlag(flags, 'timeout'));
      const option = (key: string, value: string | number | undefined) => (value === undefined ? {} : { [key]: value });
      return { yes: booleanFlag(flags, 'yes'), json: booleanFlag(flags, 'json'), ...option('repo', stringFlag(flags, 'repo')), ...option('branch', stringFlag(flags, 'branch')), ...option('image', stringFlag(flags, 'image')), ...option('timeout', timeout) } as RunsInitOptions;
    },
    run: async (options, context) => (await import('./runs.js')).runsInitCommand(options, context),
  } satisfies CommandSpec<RunsInitOptions>,
  idCommand('supervise', 'wait for a run and kill it at its deadline (`run` starts this by itself in the background)'),
] as CommandSpec<never>[];
