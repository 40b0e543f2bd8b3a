import { OpenmatesError } from '../../core/errors.js';
import { stringFlag, type CommandSpec } from '../command-spec.js';
import { REMOTE_FLAGS, remoteOptions, type RemoteOptions } from '../remote/remote-options.js';

export type RemoteAuditOptions = RemoteOptions & { limit?: number };

export const remoteAuditCommandSpec: CommandSpec<RemoteAuditOptions> = {
  path: ['remote', 'audit'],
  summary: "the remote server's recent activity: its audit log, newest first (redacted)",
  common: ['json'],
  flags: { ...REMOTE_FLAGS, limit: { type: 'string', value: 'N', help: 'this many records (default 50, at most 500)' } },
  parse: (flags) => {
    const limit = stringFlag(flags, 'limit');
    if (limit !== undefined && (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > 500)) {
      throw new OpenmatesError('usage', `--limit takes a number from 1 to 500, not "${limit}".`, 'e.g. `openmates remote audit --limit 100`.');
    }
    return { ...remoteOptions(flags), ...(limit !== undefined ? { limit: Number(limit) } : {}) };
  },
  run: async (options, context) => (await import('./remote-audit.js')).remoteAuditCommand(options, context),
};
