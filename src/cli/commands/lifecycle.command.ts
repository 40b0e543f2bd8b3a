import type { LifecycleAction } from '../../core/lifecycle/types.js';
import { booleanFlag, stringFlag, type CommandSpec, type FlagSpec } from '../command-spec.js';
import { commonOptions, type CommonOptions } from '../common-options.js';
import { parseSeconds } from './install.command.js';

export type LifecycleCommandOptions = CommonOptions & { timeout?: number; clearCache: boolean };

const timeoutFlag: FlagSpec = { type: 'string', value: 'SECONDS', help: 'how long to wait for the stack to become healthy (default: the stack\'s healthTimeout)' };

function lifecycleSpec(action: LifecycleAction, summary: string, flags: Record<string, FlagSpec>): CommandSpec<LifecycleCommandOptions> {
  return {
    path: ['server', action],
    summary,
    // --yes answers safety mode's question before a restart.
    common: action === 'restart' ? ['path', 'json', 'yes'] : ['path', 'json'],
    flags,
    parse: (parsed) => ({
      ...commonOptions(parsed),
      timeout: 'timeout' in flags ? parseSeconds(stringFlag(parsed, 'timeout')) : undefined,
      clearCache: booleanFlag(parsed, 'clear-cache'),
    }),
    run: async (options, context) => (await import('./lifecycle.js')).lifecycleCommand(action, options, context),
  };
}

export const startCommandSpec = lifecycleSpec('start', 'start what is stopped, then wait until the stack is healthy', { timeout: timeoutFlag });

export const stopCommandSpec = lifecycleSpec('stop', 'stop the stack (containers and data are kept)', {});

export const restartCommandSpec = lifecycleSpec('restart', 'stop and start the stack, then wait until it is healthy', {
  'clear-cache': { type: 'boolean', help: 'also delete the stack\'s cache volumes between stop and start (never data volumes)' },
  timeout: timeoutFlag,
});
