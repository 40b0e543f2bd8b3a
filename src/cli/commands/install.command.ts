import { OpenmatesError } from '../../core/errors.js';
import { booleanFlag, stringFlag, type CommandSpec } from '../command-spec.js';
import { commonOptions, type CommonOptions } from '../common-options.js';

export type InstallCommandOptions = CommonOptions & { timeout?: number; strictRequirements: boolean; tag?: string };

export const installCommandSpec: CommandSpec<InstallCommandOptions> = {
  path: ['server', 'install'],
  selectors: [['server', 'install']],
  summary: 'install the stack, or check and repair an existing install',
  common: ['path', 'stack', 'json', 'yes'],
  flags: {
    tag: { type: 'string', value: 'TAG', help: 'install this version (a tag of the stack\'s version image) instead of the newest release of the update channel' },
    timeout: { type: 'string', value: 'SECONDS', help: 'how long to wait for the stack to become healthy (default: the stack\'s healthTimeout)' },
    'strict-requirements': { type: 'boolean', help: 'fail instead of warn when RAM or disk is below the stack\'s requirements' },
  },
  parse: (flags) => {
    const tag = parseTag(stringFlag(flags, 'tag'), '--tag');
    return { ...commonOptions(flags), timeout: parseSeconds(stringFlag(flags, 'timeout')), strictRequirements: booleanFlag(flags, 'strict-requirements'), ...(tag !== undefined ? { tag } : {}) };
  },
  run: async (options, context) => (await import('./install.js')).installCommand(options, context),
};

export function parseSeconds(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds <= 0) throw new OpenmatesError('usage', `--timeout takes a whole number of seconds, not "${raw}".`);
  return seconds;
}

export function parseTag(raw: string | undefined, flag: string): string | undefined {
  if (raw !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(raw)) throw new OpenmatesError('usage', `${flag} takes an image tag like v1.2.0, not "${raw}".`);
  return raw;
}
