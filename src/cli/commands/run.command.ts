import { OpenmatesError } from '../../core/errors.js';
import type { RunFlags } from '../../core/runs/run-settings.js';
import { booleanFlag, stringFlag, stringsFlag, type CommandSpec, type ParsedFlags } from '../command-spec.js';
import { parseSeconds } from './install.command.js';

export type RunOptions = RunFlags & { detach: boolean; json: boolean };

export const RUN_FLAGS: CommandSpec['flags'] = {
  repo: { type: 'string', value: 'URL|PATH', help: 'the repository to copy in (default: .openmates-run.yaml, else this folder\'s git remote)' },
  branch: { type: 'string', value: 'NAME', help: 'the branch (default: .openmates-run.yaml, else this folder\'s branch)' },
  image: { type: 'string', value: 'IMAGE', help: 'the image it runs in (pulled when missing; default: .openmates-run.yaml)' },
  env: { type: 'string', value: 'KEY=VALUE', multiple: true, help: 'a variable for the command (repeat for more)' },
  timeout: { type: 'string', value: 'SECONDS', help: 'kill it after this long: exit 124, as `timeout` (default 3600)' },
  cpus: { type: 'string', value: 'N', help: 'CPUs it may use (default 1)' },
  memory: { type: 'string', value: 'SIZE', help: 'memory it may use, e.g. 512m, 2g (default 1g)' },
  network: { type: 'string', value: 'none|bridge', help: 'none (the default: no network at all) or bridge' },
  detach: { type: 'boolean', short: 'd', help: 'print the run\'s id and return at once (`openmates runs logs ID -f` follows it)' },
};

export const runCommandSpec: CommandSpec<RunOptions> = {
  path: ['run'],
  arguments: '-- COMMAND...',
  summary: 'run a command from a git repository in a fresh, throw-away container: output streamed, exits with its exit code',
  common: ['json'],
  flags: RUN_FLAGS,
  parse: (flags) => parseRunFlags(flags),
  run: async (options, context) => (await import('./run.js')).runCommand(options, context),
};

/** The flags of `run` (and `remote run`) as RunFlags. */
export function parseRunFlags(flags: ParsedFlags): RunOptions {
  const env: Record<string, string> = {};
  for (const pair of stringsFlag(flags, 'env')) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
    if (!match) throw new OpenmatesError('usage', `--env takes KEY=VALUE, not "${pair.split('=')[0]}…".`);
    env[match[1]!] = match[2]!;
  }
  const network = stringFlag(flags, 'network');
  if (network !== undefined && network !== 'none' && network !== 'bridge') throw new OpenmatesError('usage', `--network is none or bridge, not "${network}".`);
  const cpus = stringFlag(flags, 'cpus');
  if (cpus !== undefined && !(Number(cpus) > 0 && Number(cpus) <= 256)) throw new OpenmatesError('usage', `--cpus takes a number of CPUs like 1 or 0.5, not "${cpus}".`);
  const memory = stringFlag(flags, 'memory');
  const memoryBytes = memory === undefined ? undefined : parseMemory(memory);
  const timeoutSeconds = parseSeconds(stringFlag(flags, 'timeout'));
  const option = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));
  return {
    command: flags.positionals,
    env,
    detach: booleanFlag(flags, 'detach'),
    json: booleanFlag(flags, 'json'),
    ...option('repo', stringFlag(flags, 'repo')),
    ...option('branch', stringFlag(flags, 'branch')),
    ...option('image', stringFlag(flags, 'image')),
    ...option('timeoutSeconds', timeoutSeconds),
    ...option('cpus', cpus === undefined ? undefined : Number(cpus)),
    ...option('memoryBytes', memoryBytes),
    ...option('network', network as RunFlags['network']),
  };
}

/** Docker's sizes (512m, 2g, 1.5G) and ours (512MiB, 1GiB). */
export function parseMemory(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(value.trim());
  const units: Record<string, number> = { b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };
  const bytes = match ? Math.round(Number(match[1]) * units[(match[2] ?? 'b').toLowerCase()]!) : NaN;
  if (!(bytes >= 6 * 1024 ** 2)) throw new OpenmatesError('usage', `--memory takes a size of at least 6m, like 512m or 2g, not "${value}".`);
  return bytes;
}
