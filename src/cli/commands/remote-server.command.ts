import { OpenmatesError } from '../../core/errors.js';
import { booleanFlag, stringFlag, type CommandSpec, type FlagSpec } from '../command-spec.js';
import { REMOTE_FLAGS, remoteOptions, type RemoteOptions } from '../remote/remote-options.js';

export type RemoteServerAction = 'status' | 'logs' | 'start' | 'stop' | 'restart' | 'update';

export type RemoteServerOptions = RemoteOptions & { action: RemoteServerAction; follow: boolean; services?: string[]; tail?: number; clearCache: boolean; tag?: string };

const SUMMARY: Record<RemoteServerAction, string> = {
  status: 'the remote stack\'s status (as `openmates server status` there)',
  logs: 'the remote stack\'s logs; -f follows them',
  start: 'start the remote stack and wait until it is healthy',
  stop: 'stop the remote stack (data kept)',
  restart: 'restart the remote stack and wait until it is healthy',
  update: 'update the remote stack (pre-update backup, rollback on failure)',
};

const FLAGS: Partial<Record<RemoteServerAction, Record<string, FlagSpec>>> = {
  logs: {
    follow: { type: 'boolean', short: 'f', help: 'keep following new lines (Ctrl-C ends)' },
    service: { type: 'string', value: 'NAMES', help: 'only these services, comma-separated' },
    tail: { type: 'string', value: 'N', help: 'start with the last N lines of each service' },
  },
  restart: { 'clear-cache': { type: 'boolean', help: 'also delete the stack\'s cache volumes (never data volumes)' } },
  // --tag, not --to: in `openmates remote` --to names the saved server.
  update: { tag: { type: 'string', value: 'TAG', help: 'go to this version instead of the newest release' } },
};

function serverSpec(action: RemoteServerAction): CommandSpec<RemoteServerOptions> {
  return {
    path: ['remote', 'server', action],
    summary: SUMMARY[action],
    common: ['json'],
    flags: { ...REMOTE_FLAGS, ...FLAGS[action] },
    parse: (flags) => {
      const services = stringFlag(flags, 'service')?.split(',').map((name) => name.trim()).filter(Boolean);
      const tailText = stringFlag(flags, 'tail');
      if (tailText !== undefined && !/^\d+$/.test(tailText)) throw new OpenmatesError('usage', `--tail takes a number of lines, not "${tailText}".`);
      const tag = stringFlag(flags, 'tag');
      return {
        ...remoteOptions(flags),
        action,
        follow: booleanFlag(flags, 'follow'),
        ...(services?.length ? { services } : {}),
        ...(tailText !== undefined ? { tail: Number(tailText) } : {}),
        clearCache: booleanFlag(flags, 'clear-cache'),
        ...(tag !== undefined ? { tag } : {}),
      };
    },
    run: async (options, context) => (await import('./remote-server.js')).remoteServerCommand(options, context),
  };
}

export const remoteServerCommandSpecs = (['status', 'logs', 'start', 'stop', 'restart', 'update'] as const).map(serverSpec);
