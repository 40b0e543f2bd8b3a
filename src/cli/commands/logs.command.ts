import { OpenmatesError } from '../../core/errors.js';
import { parseSince } from '../../core/logs/since.js';
import { booleanFlag, stringFlag, type CommandSpec } from '../command-spec.js';
import { commonOptions, type CommonOptions } from '../common-options.js';

export type LogsCommandOptions = CommonOptions & {
  follow: boolean;
  services?: string[];
  since?: string;
  tail?: number;
  timestamps: boolean;
};

export const logsCommandSpec: CommandSpec<LogsCommandOptions> = {
  path: ['server', 'logs'],
  summary: 'the services\' logs, one stream (`service | line`); -f follows them live',
  common: ['path', 'json'],
  flags: {
    follow: { type: 'boolean', short: 'f', help: 'keep following: new lines, and services that start, restart or are recreated (Ctrl-C ends)' },
    service: { type: 'string', value: 'NAMES', help: 'only these services, comma-separated (e.g. api,worker)' },
    since: { type: 'string', value: 'TIME', help: 'only lines since then: a duration (10m, 2h, 30s) or a time (2024-05-01T12:00:00Z)' },
    tail: { type: 'string', value: 'N', help: 'start with the last N lines of each service (default: all)' },
    timestamps: { type: 'boolean', help: 'put the engine\'s timestamp in front of each line' },
  },
  parse: (flags) => {
    const since = stringFlag(flags, 'since');
    if (since !== undefined) parseSince(since); // a bad value is a usage error before anything runs
    const services = stringFlag(flags, 'service')
      ?.split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    if (services !== undefined && services.length === 0) throw new OpenmatesError('usage', '--service needs at least one service name, e.g. --service api,worker.');
    return {
      ...commonOptions(flags),
      follow: booleanFlag(flags, 'follow'),
      ...(services ? { services } : {}),
      ...(since === undefined ? {} : { since }),
      ...tailOption(stringFlag(flags, 'tail')),
      timestamps: booleanFlag(flags, 'timestamps'),
    };
  },
  run: async (options, context) => (await import('./logs.js')).logsCommand(options, context),
};

function tailOption(raw: string | undefined): { tail?: number } {
  if (raw === undefined || raw === 'all') return {};
  const tail = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(tail)) throw new OpenmatesError('usage', `--tail takes a number of lines (or "all"), not "${raw}".`);
  return { tail };
}
