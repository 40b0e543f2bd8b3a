import { OpenmatesError } from '../../core/errors.js';
import { booleanFlag, stringFlag, type CommandSpec } from '../command-spec.js';
import { commonOptions, type CommonOptions } from '../common-options.js';

export type InstallCommandOptions = CommonOptions & { timeout?: number; strictRequirements: boolean };

export const installCommandSpec: CommandSpec<InstallCommandOptions> = {
  path: ['server', 'install'],
  selectors: [['server', 'install']],
  summary: 'install the stack, or check and repair an existing install',
  common: ['path', 'stack', 'json', 'yes'],
  flags: {
    timeout: { type: 'string', value: 'SECONDS', help: 'how long to wait for the stack to become healthy (default: the stack\'s healthTimeout)' },
    'strict-requirements': { type: 'boolean', help: 'fail instead of warn when RAM or disk is below the stack\'s requirements' },
  },
  parse: (flags) => ({ ...commonOptions(flags), timeout: parseSeconds(stringFlag(flags, 'timeout')), strictRequirements: booleanFlag(flags, 'strict-requirements') }),
  run: async (options, context) => (await import('./install.js')).installCommand(options, context),
};

export function parseSeconds(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds <= 0) throw new OpenmatesError('usage', `--timeout takes a whole number of seconds, not "${raw}".`);
  return seconds;
}
