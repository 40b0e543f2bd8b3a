import { parseArgs } from 'node:util';
import { OpenmatesError } from '../core/errors.js';

export interface CommonOptions {
  installDir?: string;
  stackFile?: string;
  json: boolean;
  yes: boolean;
}

export type Command =
  | { name: 'app'; options: CommonOptions }
  | { name: 'help'; topic?: string }
  | { name: 'version' }
  | { name: 'install'; options: CommonOptions & { timeout?: number; strictRequirements: boolean } }
  | { name: 'status'; options: CommonOptions };

const optionSpec = {
  server: { type: 'boolean', short: 's' },
  install: { type: 'boolean', short: 'i' },
  status: { type: 'boolean' },
  path: { type: 'string' },
  stack: { type: 'string' },
  json: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  timeout: { type: 'string' },
  'strict-requirements': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

const SERVER_COMMANDS = ['install', 'status'] as const;

/** Turns argv (without node and the script) into one command, or throws a usage error. */
export function parseCommand(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: optionSpec, allowPositionals: true, strict: true });
  } catch (error) {
    throw new OpenmatesError('usage', (error as Error).message.replace(/\. To specify a positional.*$/s, '.'), 'See `openmates --help`.');
  }
  const { values, positionals } = parsed;
  if (values.version) return { name: 'version' };
  const [group, action, ...rest] = positionals;
  if (values.help) return { name: 'help', topic: group === 'server' ? 'server' : undefined };
  if (group === 'help') return { name: 'help', topic: action };
  if (rest.length > 0) throw new OpenmatesError('usage', `Unexpected argument "${rest[0]}".`, 'See `openmates --help`.');

  const common: CommonOptions = { installDir: values.path, stackFile: values.stack, json: values.json ?? false, yes: values.yes ?? false };
  let verb: string | undefined;
  if (group === 'server') {
    verb = action;
    if (!verb) throw new OpenmatesError('usage', `"openmates server" needs a command: ${SERVER_COMMANDS.join(', ')}.`, 'See `openmates --help`.');
  } else if (group !== undefined) {
    throw new OpenmatesError('usage', `Unknown command "${group}".`, 'See `openmates --help`.');
  } else if (values.server) {
    if (values.install && values.status) throw new OpenmatesError('usage', 'Choose one of --install and --status.');
    verb = values.install ? 'install' : values.status ? 'status' : undefined;
    if (!verb) throw new OpenmatesError('usage', '--server needs an operation, e.g. --install or --status.', 'See `openmates --help`.');
  } else if (values.install || values.status) {
    throw new OpenmatesError('usage', `--${values.install ? 'install' : 'status'} goes with --server (e.g. \`openmates --server --install\`).`);
  }
  if (verb !== undefined && (group === 'server' ? values.install || values.status : false)) {
    throw new OpenmatesError('usage', `Use either "openmates server ${verb}" or "openmates --server --${verb}", not both.`);
  }

  switch (verb) {
    case undefined:
      rejectOptions(values, ['timeout', 'strict-requirements', 'json', 'yes'], 'the full-screen app');
      return { name: 'app', options: common };
    case 'install':
      return { name: 'install', options: { ...common, timeout: parseTimeout(values.timeout), strictRequirements: values['strict-requirements'] ?? false } };
    case 'status':
      rejectOptions(values, ['timeout', 'strict-requirements', 'yes'], 'status');
      return { name: 'status', options: common };
    default:
      throw new OpenmatesError('usage', `Unknown server command "${verb}". Available: ${SERVER_COMMANDS.join(', ')}.`, 'See `openmates --help`.');
  }
}

function rejectOptions(values: Record<string, unknown>, names: string[], where: string): void {
  const given = names.find((name) => values[name] !== undefined);
  if (given) throw new OpenmatesError('usage', `--${given} does not apply to ${where}.`, 'See `openmates --help`.');
}

function parseTimeout(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds <= 0) throw new OpenmatesError('usage', `--timeout takes a whole number of seconds, not "${raw}".`);
  return seconds;
}
