import type { CommandSpec, FlagSpec } from './command-spec.js';
import { COMMON_FLAGS } from './command-spec.js';
import { COMMANDS } from './commands/index.js';
import { EXIT_CODES } from './exit-codes.js';

/** --help, made from the command specs so it cannot drift from what the parser accepts. */
export function helpText(version: string, commands: CommandSpec<never>[] = COMMANDS): string {
  const usageRows: [string, string][] = [
    ['openmates', 'open the full-screen app (needs a terminal)'],
    ...commands.map((command): [string, string] => [`openmates ${command.path.join(' ')}${command.arguments ? ` ${command.arguments}` : ''}`, command.summary]),
    ['openmates help | --help | -h', 'this text'],
    ['openmates --version | -v', 'the CLI\'s version'],
  ];
  const lines = [`openmates ${version}: install and look after a self-hosted OpenMates server`, '', 'Usage', ...columns(usageRows)];
  const selectorForms = commands.flatMap((command) => (command.selectors ?? []).map((selector) => `--${selector.join(' --')} = ${command.path.join(' ')}`));
  if (selectorForms.length > 0) lines.push('', `Short forms: ${selectorForms.join(', ')} (-s = --server, -i = --install)`);

  lines.push('', 'Common options', ...columns(Object.entries(COMMON_FLAGS).map(([name, flag]) => [flagLabel(name, flag), flag.help])));
  for (const command of commands) {
    const own = Object.entries(command.flags);
    const commons = command.common.map((name) => `--${name}`).join(' ');
    lines.push('', `openmates ${command.path.join(' ')}${command.arguments ? ` ${command.arguments}` : ''}${commons ? `  (also ${commons})` : ''}`);
    lines.push(...columns(own.map(([name, flag]) => [flagLabel(name, flag), flag.help])));
  }
  lines.push(
    '',
    'Environment',
    ...columns([
      ['DOCKER_HOST', 'the Docker engine to use (unix://, tcp://, ssh://), as for the docker CLI'],
      ['NO_COLOR', 'no colours'],
      ['OPENMATES_NO_UPDATE_CHECK=1', 'no update check when the app starts (also a setting: updateCheck)'],
      ['OPENMATES_NPM_REGISTRY', 'where the CLI looks for its own newer version (default https://registry.npmjs.org)'],
      ['OPENMATES_REMOTE_LINK', 'the device link for `openmates remote` when --link-file is not given (a secret: keep it out of argv and logs)'],
      ['OPENMATES_COMPOSE', 'which Compose to use: v2 (`docker compose`), v1 (`docker-compose`) or a binary\'s absolute path (default: v2 first, then v1)'],
    ]),
    '',
    'Exit codes',
    ...columns(EXIT_CODES.map((entry) => [String(entry.code), entry.meaning])),
    '',
  );
  return lines.join('\n');
}

function flagLabel(name: string, flag: FlagSpec): string {
  return `${flag.short ? `-${flag.short}, ` : ''}--${name}${flag.value ? ` ${flag.value}` : ''}`;
}

function columns(rows: [string, string][]): string[] {
  const width = Math.max(0, ...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`);
}
