import { booleanFlag, type CommandSpec } from '../command-spec.js';

export interface RemoteAccessAuditOptions {
  json: boolean;
  follow: boolean;
  verify: boolean;
}

export const remoteAccessAuditCommandSpec: CommandSpec<RemoteAccessAuditOptions> = {
  path: ['remote-access', 'audit'],
  summary: 'every remote request: who, what, the decision and the result; --verify checks the hash chain',
  common: ['json'],
  flags: {
    follow: { type: 'boolean', short: 'f', help: 'keep following: new records as they are written (Ctrl-C ends)' },
    verify: { type: 'boolean', help: 'check that no record was changed, removed, reordered or cut off (exit 11 naming the first bad line)' },
  },
  parse: (flags) => ({ json: booleanFlag(flags, 'json'), follow: booleanFlag(flags, 'follow'), verify: booleanFlag(flags, 'verify') }),
  run: async (options, context) => (await import('./remote-access-audit.js')).remoteAccessAuditCommand(options, context),
};
