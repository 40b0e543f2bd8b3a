import { OpenmatesError } from '../../core/errors.js';
import { booleanFlag, stringFlag, type CommandSpec, type ParsedFlags } from '../command-spec.js';

export interface RemoteAccessApprovalsOptions {
  json: boolean;
  follow: boolean;
  id?: string;
  forSession: boolean;
  reason?: string;
}

function oneId(flags: ParsedFlags, usage: string): string {
  if (flags.positionals.length !== 1) throw new OpenmatesError('usage', `Usage: openmates remote-access ${usage}`, 'The ID is the one `openmates remote-access approvals` lists (e.g. k7p2qd).');
  return flags.positionals[0]!.trim().toLowerCase();
}

export const remoteAccessApprovalsCommandSpec: CommandSpec<RemoteAccessApprovalsOptions> = {
  path: ['remote-access', 'approvals'],
  summary: 'what waits for approval (safety mode): each request in full (diff, what goes, downtime, undo), then the recently decided',
  common: ['json'],
  flags: { follow: { type: 'boolean', short: 'f', help: 'keep following: new and decided approvals as they come (Ctrl-C ends)' } },
  parse: (flags) => ({ json: booleanFlag(flags, 'json'), follow: booleanFlag(flags, 'follow'), forSession: false }),
  run: async (options, context) => (await import('./remote-access-approvals.js')).approvalsListCommand(options, context),
};

export const remoteAccessApproveCommandSpec: CommandSpec<RemoteAccessApprovalsOptions> = {
  path: ['remote-access', 'approve'],
  arguments: 'ID',
  summary: 'approve a waiting request: it runs at once (the first answer wins)',
  common: ['json'],
  flags: { 'for-session': { type: 'boolean', help: 'also allow the same operation on the same folder (or the same command) from that device until it disconnects; never for destructive requests' } },
  parse: (flags) => ({ json: booleanFlag(flags, 'json'), follow: false, id: oneId(flags, 'approve ID [--for-session]'), forSession: booleanFlag(flags, 'for-session') }),
  run: async (options, context) => (await import('./remote-access-approvals.js')).approvalsDecideCommand('approve', options, context),
};

export const remoteAccessDenyCommandSpec: CommandSpec<RemoteAccessApprovalsOptions> = {
  path: ['remote-access', 'deny'],
  arguments: 'ID',
  summary: 'deny a waiting request: nothing runs, the caller gets exit 16 with your reason',
  common: ['json'],
  flags: { reason: { type: 'string', value: 'TEXT', help: 'why (the caller sees it, the audit log keeps it)' } },
  parse: (flags) => {
    const reason = stringFlag(flags, 'reason');
    if (reason !== undefined && reason.length > 500) throw new OpenmatesError('usage', `--reason is at most 500 characters (this one has ${reason.length}).`);
    return { json: booleanFlag(flags, 'json'), follow: false, id: oneId(flags, 'deny ID [--reason TEXT]'), forSession: false, ...(reason !== undefined ? { reason } : {}) };
  },
  run: async (options, context) => (await import('./remote-access-approvals.js')).approvalsDecideCommand('deny', options, context),
};
