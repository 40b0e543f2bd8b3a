import { booleanFlag, stringFlag, type CommandSpec } from '../command-spec.js';
import { commonOptions, type CommonOptions } from '../common-options.js';
import { parseSeconds, parseTag } from './install.command.js';

export type UpdateCommandOptions = CommonOptions & { check: boolean; to?: string; timeout?: number };

export const updateCommandSpec: CommandSpec<UpdateCommandOptions> = {
  path: ['server', 'update'],
  summary: 'update to the newest release (or --to TAG): pull, back up, switch, and roll back by itself if it does not come up healthy',
  common: ['path', 'json', 'yes'],
  flags: {
    check: { type: 'boolean', help: 'only show the plan: current and newest version, images, backup, disk (exit 0 whether or not an update is available)' },
    to: { type: 'string', value: 'TAG', help: 'update to this version instead of the newest release of the channel' },
    timeout: { type: 'string', value: 'SECONDS', help: 'how long to wait for the stack to become healthy (default: the stack\'s healthTimeout)' },
  },
  parse: (flags) => {
    const to = parseTag(stringFlag(flags, 'to'), '--to');
    const check = booleanFlag(flags, 'check');
    const timeout = parseSeconds(stringFlag(flags, 'timeout'));
    return { ...commonOptions(flags), check, ...(to !== undefined ? { to } : {}), ...(timeout !== undefined ? { timeout } : {}) };
  },
  run: async (options, context) => (await import('./update.js')).updateCommand(options, context),
};
